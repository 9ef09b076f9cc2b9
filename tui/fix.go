package tui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// A fix runs plan → preview → confirm → apply → re-verify live → record on
// the fix screen: read the current values (a command), edit them in an
// embedded huh form, preview the plan with a confirmation that defaults to
// no, apply it in a command, re-check the item and remember the fix.

// fixStage is where a fix flow is.
type fixStage int

const (
	fixLoading    fixStage = iota // reading the current values
	fixLoadFailed                 // they could not be read
	fixEditing                    // a form is open
	fixPreview                    // the plan, waiting for yes or no
	fixApplying                   // writing
	fixDone                       // what was written and the new verdict
)

// fixFlow is one fix of one item, from reading to result.
type fixFlow struct {
	id      string
	gen     int // messages of other flows are dropped
	stage   fixStage
	loadErr error

	cur  fixCurrent
	in   *fixInput
	form *huh.Form
	step formStep // the form that is (or was last) open
	// size the form was last laid out for
	formW, formH int

	plan   steps.Plan
	yes    bool // the confirmation's selected answer; default no
	result steps.ApplyResult
	vp     viewport.Model
}

// fixCurrent is what the account holds now, read when the flow starts.
type fixCurrent struct {
	Policy      *awsops.PasswordPolicy
	Contacts    map[awsops.ContactType]*awsops.AlternateContact
	ContactsErr error // some contacts could not be read (missing from Contacts)
	Info        *awsops.ContactInfo
}

// fixLoadedMsg carries the current values for a flow.
type fixLoadedMsg struct {
	Gen     int
	Current fixCurrent
	Err     error // the values the fix needs could not be read
}

// fixAppliedMsg reports what a plan's Apply did.
type fixAppliedMsg struct {
	Gen    int
	Result steps.ApplyResult
}

func fixLoadCmd(ctx context.Context, f *steps.Facts, id string, gen int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		msg := fixLoadedMsg{Gen: gen}
		switch id {
		case steps.FixPasswordPolicy:
			msg.Current.Policy, msg.Err = steps.CurrentPasswordPolicy(ctx, f)
		case steps.FixAlternateContacts:
			msg.Current.Contacts, msg.Current.ContactsErr = steps.CurrentAlternateContacts(ctx, f)
			if len(msg.Current.Contacts) == 0 && msg.Current.ContactsErr != nil {
				msg.Err = msg.Current.ContactsErr
			}
		case steps.FixContactInfo:
			msg.Current.Info, msg.Err = steps.CurrentContactInfo(ctx, f)
		}
		return msg
	}
}

func fixApplyCmd(ctx context.Context, w awsops.Writer, p steps.Plan, gen int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return fixAppliedMsg{Gen: gen, Result: p.Apply(ctx, w)}
	}
}

func recordFixCmd(record func(string, time.Time, string), id string, at time.Time, summary string) tea.Cmd {
	return func() tea.Msg {
		record(id, at, summary)
		return nil
	}
}

// fixAvailable reports whether the wizard can run a fix for the item.
func fixAvailable(id string) bool {
	info, ok := steps.FixFor(id)
	return ok && info.Available()
}

// canWrite reports whether an applied fix would write.
func (a *App) canWrite() bool { return a.cfg.Writer != nil && !a.cfg.DryRun }

// fixBusy reports whether the fix flow waits for a command (for the spinner).
func (a *App) fixBusy() bool {
	return a.fix != nil && (a.fix.stage == fixLoading || a.fix.stage == fixApplying)
}

// startFix opens the fix flow of an item and reads its current values.
func (a *App) startFix(id string) tea.Cmd {
	if !fixAvailable(id) {
		a.setFlash("rootguard cannot make this change yet: follow the console steps below.", false)
		return nil
	}
	a.fixGen++
	a.fix = &fixFlow{id: id, gen: a.fixGen, stage: fixLoading, vp: viewport.New()}
	a.screen = screenFix
	return tea.Batch(fixLoadCmd(a.ctx, a.facts(), id, a.fix.gen, a.cfg.CheckTimeout), a.startSpinner())
}

// endFix leaves the flow for the item's step.
func (a *App) endFix(flash string) {
	id := a.fix.id
	a.fix = nil
	a.fixGen++ // anything still in flight is stale
	a.openStep(id)
	if flash != "" {
		a.setFlash(flash, false)
	}
}

func (a *App) gotFixLoaded(msg fixLoadedMsg) tea.Cmd {
	f := a.fix
	if f == nil || msg.Gen != f.gen || f.stage != fixLoading {
		return nil
	}
	if msg.Err != nil {
		f.stage, f.loadErr = fixLoadFailed, msg.Err
		return nil
	}
	f.cur = msg.Current
	f.in = newFixInput(f.id, f.cur)
	return a.openForm(firstForm(f.id))
}

func (a *App) gotFixApplied(msg fixAppliedMsg) tea.Cmd {
	f := a.fix
	if f == nil || msg.Gen != f.gen || f.stage != fixApplying {
		return nil
	}
	f.stage, f.result = fixDone, msg.Result
	f.vp.GotoTop()
	cmds := []tea.Cmd{a.recheckLive(f.id)}
	if len(msg.Result.Applied) > 0 && a.cfg.RecordFix != nil {
		cmds = append(cmds, recordFixCmd(a.cfg.RecordFix, f.id, a.cfg.Now(), f.plan.RecordSummary(msg.Result)))
	}
	if !msg.Result.OK() {
		a.setFlash("Not everything was saved: see below.", true)
	}
	return tea.Batch(cmds...)
}

// openForm shows a form of the flow.
func (a *App) openForm(step formStep) tea.Cmd {
	f := a.fix
	f.step, f.stage = step, fixEditing
	f.form = a.buildForm(step, f.in, f.cur)
	f.formW, f.formH = 0, 0
	a.syncFix(a.bodyHeight(a.headerView(), a.footerView()))
	return f.form.Init()
}

// updateForm passes a message to the open form and acts when it is done.
func (a *App) updateForm(msg tea.Msg) tea.Cmd {
	f := a.fix
	if f == nil || f.stage != fixEditing || f.form == nil {
		return nil
	}
	m, cmd := f.form.Update(msg)
	if ff, ok := m.(*huh.Form); ok {
		f.form = ff
	}
	switch f.form.State {
	case huh.StateAborted:
		a.endFix("Fix cancelled: nothing was written.")
		return nil
	case huh.StateCompleted:
		return a.formDone()
	}
	return cmd
}

// formDone moves on from a completed form: to the next form, or to the
// preview of the plan built from the input.
func (a *App) formDone() tea.Cmd {
	f := a.fix
	f.form = nil
	next, p, errs := planFromInput(f.step, f.in, f.cur)
	if len(errs) > 0 {
		cmd := a.openForm(f.step)
		a.setFlash("Check "+errs[0].Error(), true)
		return cmd
	}
	if next >= 0 {
		return a.openForm(next)
	}
	f.plan, f.stage, f.yes = p, fixPreview, false
	f.vp.GotoTop()
	return nil
}

func (a *App) applyFix() tea.Cmd {
	f := a.fix
	f.stage = fixApplying
	return tea.Batch(fixApplyCmd(a.ctx, a.cfg.Writer, f.plan, f.gen, a.cfg.CheckTimeout), a.startSpinner())
}

// fixMsg routes a message the wizard does not know to the open form (huh
// drives its fields with its own messages).
func (a *App) fixMsg(msg tea.Msg) tea.Cmd {
	if a.screen != screenFix || a.fix == nil || a.fix.stage != fixEditing {
		return nil
	}
	return a.updateForm(msg)
}

// previewConfirms reports whether the preview asks for a yes.
func (a *App) previewConfirms() bool {
	return a.fix != nil && a.fix.stage == fixPreview && !a.fix.plan.NoOp && a.canWrite()
}

func (a *App) fixKey(k tea.KeyPressMsg) tea.Cmd {
	f := a.fix
	if f == nil {
		a.screen = screenChecklist
		return nil
	}
	switch f.stage {
	case fixLoading:
		if key.Matches(k, a.keys.Back, a.keys.Quit) {
			a.endFix("Fix cancelled: nothing was written.")
		}
	case fixLoadFailed:
		switch {
		case key.Matches(k, a.keys.Recheck):
			id := f.id
			a.fix = nil
			return a.startFix(id)
		case key.Matches(k, a.keys.Back, a.keys.Quit, a.keys.Continue):
			a.endFix("")
		}
	case fixEditing:
		if key.Matches(k, a.keys.Back) {
			a.endFix("Fix cancelled: nothing was written.")
			return nil
		}
		return a.updateForm(k)
	case fixPreview:
		return a.previewKey(k)
	case fixApplying:
		a.setFlash("Saving: wait for AWS to answer.", false)
	case fixDone:
		switch {
		case key.Matches(k, a.keys.Back, a.keys.Quit, a.keys.Continue):
			a.endFix("")
		default:
			a.scroll(&a.fix.vp, k)
		}
	}
	return nil
}

func (a *App) previewKey(k tea.KeyPressMsg) tea.Cmd {
	f := a.fix
	if key.Matches(k, a.keys.Edit) {
		return a.openForm(firstForm(f.id))
	}
	if !a.previewConfirms() {
		if key.Matches(k, a.keys.Back, a.keys.Quit, a.keys.Continue) {
			a.endFix("Nothing was written.")
			return nil
		}
		a.scroll(&a.fix.vp, k)
		return nil
	}
	switch {
	case key.Matches(k, a.keys.Yes):
		return a.applyFix()
	case key.Matches(k, a.keys.No, a.keys.Back, a.keys.Quit):
		a.endFix("Nothing was written.")
	case key.Matches(k, a.keys.NextItem, a.keys.PrevItem):
		f.yes = !f.yes
	case key.Matches(k, a.keys.Continue):
		if f.yes {
			return a.applyFix()
		}
		a.endFix("Nothing was written.")
	default:
		a.scroll(&a.fix.vp, k)
	}
	return nil
}

// scroll moves vp for the scrolling keys (up, down, pages, top, bottom)
// and reports whether k was one of them. Every scrollable screen uses it.
func (a *App) scroll(vp *viewport.Model, k tea.KeyPressMsg) bool {
	switch {
	case key.Matches(k, a.keys.Up):
		vp.ScrollUp(1)
	case key.Matches(k, a.keys.Down):
		vp.ScrollDown(1)
	case key.Matches(k, a.keys.PageUp):
		vp.PageUp()
	case key.Matches(k, a.keys.PageDown):
		vp.PageDown()
	case key.Matches(k, a.keys.Top):
		vp.GotoTop()
	case key.Matches(k, a.keys.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// formOpen reports whether a fix form has the keyboard (so keys like ? are
// typed, not commands).
func (a *App) formOpen() bool {
	return a.screen == screenFix && a.fix != nil && a.fix.stage == fixEditing
}
