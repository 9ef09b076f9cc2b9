package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// A fix flow runs one steps.Fix, whichever it is: Load (a command) → the
// form built from Fix.Form → the preview of Fix.Plan → a confirmation that
// defaults to no (or the typed value of Plan.Confirm) → Apply (a command)
// → each stage the result asks for (its items, its form, its plan; Retry on
// failure, Abort when the user stops) → the result and a live re-check of
// every item in Fix.Recheck. The App checks State, as a parent checks a
// huh form's, and closes the flow when it is no longer running.

// flowState is whether a fix flow still runs.
type flowState int

const (
	flowRunning flowState = iota
	flowDone              // it ended; the step shows Flash
	flowAborted           // the user left before anything was written
)

// flowPhase is where a fix flow is.
type flowPhase int

const (
	phaseLoading       flowPhase = iota // reading the current values
	phaseLoadFailed                     // they could not be read
	phaseForm                           // the fix's form
	phaseDiscard                        // esc in a form with typed values: drop them?
	phasePreview                        // the plan, and the confirmation
	phaseApplying                       // writing the plan
	phaseStageShow                      // a stage's items (a QR code, a secret)
	phaseStageForm                      // a stage's questions (codes)
	phaseStageApplying                  // writing the stage's plan
	phaseStop                           // esc at a stage: stop and undo?
	phaseStopping                       // running the stage's Abort
	phaseResult                         // what was written and the new verdicts
)

// applyKind says which plan an apply was.
type applyKind int

const (
	applyMain applyKind = iota
	applyStage
	applyAbort
)

// applied is one plan the flow applied and what happened.
type applied struct {
	kind   applyKind
	plan   steps.Plan
	result steps.ApplyResult // Outputs dropped: they may hold secrets
}

type fixFlow struct {
	c     *common
	keys  FixKeys
	fix   steps.Fix
	gen   int // messages of other flows are dropped
	State flowState
	Flash string // what the step says when the flow ends
	phase flowPhase

	loadErr    error
	planFailed bool // loadErr is a plan's error (a fix with no form)
	st         steps.State
	// values are what the form holds: the defaults, then what the user
	// typed. They outlive the form (No at the confirmation, going back).
	values   steps.Values
	pristine steps.Values // the values before any typing
	form     *fixForm
	formMsg  string // a message above the form (a plan's error, a retry)

	plan     steps.Plan
	yes      bool
	typed    textinput.Model // the value Plan.Confirm wants typed
	typedErr string

	applies []applied
	stage   *steps.Stage // the stage the user is in (its copy; secrets cleared when left)
	// stageAt is the phase esc at a stage returns to when the user keeps going.
	stageAt   flowPhase
	stopped   bool         // the user stopped at a stage
	stageDone *steps.Stage // a final stage that only shows items, with the result
	zoom      bool         // the screen's QR code shows alone

	vp viewport.Model
}

// Messages of the fix flow.
type (
	fixLoadedMsg struct {
		Gen   int
		State steps.State
		Err   error
	}
	fixAppliedMsg struct {
		Gen    int
		Kind   applyKind
		Result steps.ApplyResult
	}
)

func fixLoadCmd(ctx context.Context, fix steps.Fix, f *steps.Facts, gen int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		st, err := fix.Load(ctx, f)
		return fixLoadedMsg{Gen: gen, State: st, Err: err}
	}
}

func fixApplyCmd(ctx context.Context, w awsops.Writer, p steps.Plan, kind applyKind, gen int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return fixAppliedMsg{Gen: gen, Kind: kind, Result: p.Apply(ctx, w)}
	}
}

func recordFixCmd(record func(string, time.Time, string), id string, at time.Time, summary string) tea.Cmd {
	return func() tea.Msg {
		record(id, at, summary)
		return nil
	}
}

// newFixFlow opens the flow of fix; Init starts reading.
func newFixFlow(c *common, fix steps.Fix, gen int) fixFlow {
	f := fixFlow{c: c, keys: c.keys.Fix, fix: fix, gen: gen, phase: phaseLoading, vp: viewport.New(), typed: textinput.New()}
	f.typed.Prompt = "> "
	return f
}

func (f fixFlow) Init() tea.Cmd {
	return fixLoadCmd(f.c.ctx, f.fix, f.c.facts(), f.gen, f.c.cfg.CheckTimeout)
}

// busy reports whether the flow waits for a command (for the spinner).
func (f fixFlow) busy() bool {
	switch f.phase {
	case phaseLoading, phaseApplying, phaseStageApplying, phaseStopping:
		return true
	}
	return false
}

// typing reports whether keys go to a form or a text input.
func (f fixFlow) typing() bool {
	return f.phase == phaseForm || f.phase == phaseStageForm || f.typedConfirm()
}

func (f fixFlow) typedConfirm() bool {
	return f.phase == phasePreview && f.confirms() && f.plan.Confirm != nil
}

// confirms reports whether the preview asks for a yes.
func (f fixFlow) confirms() bool { return !f.plan.NoOp && f.c.cfg.canWrite() }

// end closes the flow; the step shows flash.
func (f fixFlow) end(state flowState, flash string) (fixFlow, tea.Cmd) {
	f.State, f.Flash = state, flash
	f.clearSecrets()
	return f, nil
}

// clearStage drops the items of the stage the user is leaving (its
// secrets never outlive their screen).
func (f *fixFlow) clearStage() {
	f.zoom = false
	if f.stage != nil {
		st := *f.stage
		st.Show = nil
		f.stage = &st
	}
}

// clearSecrets drops every secret the flow holds: the stages' items and
// any typed value.
func (f *fixFlow) clearSecrets() {
	f.clearStage()
	if f.stageDone != nil {
		st := *f.stageDone
		st.Show = nil
		f.stageDone = &st
	}
	f.typed.SetValue("")
}

func (f fixFlow) Update(msg tea.Msg) (fixFlow, tea.Cmd) {
	switch msg := msg.(type) {
	case fixLoadedMsg:
		if msg.Gen != f.gen || f.phase != phaseLoading {
			return f, nil
		}
		if msg.Err != nil {
			f.phase, f.loadErr = phaseLoadFailed, msg.Err
			return f, nil
		}
		f.st = msg.State
		f.values = f.fix.Defaults(f.st)
		return f.openForm(nil)
	case fixAppliedMsg:
		if msg.Gen != f.gen {
			return f, nil
		}
		return f.gotApplied(msg)
	case tea.KeyPressMsg:
		return f.key(msg)
	}
	// The open form's own messages (huh moves through its fields with them).
	if f.phase == phaseForm || f.phase == phaseStageForm {
		return f.updateForm(msg)
	}
	if f.typedConfirm() {
		var cmd tea.Cmd
		f.typed, cmd = f.typed.Update(msg)
		return f, cmd
	}
	return f, nil
}

// groups is the form the flow asks now: the fix's or the stage's.
func (f fixFlow) groups() []steps.Group {
	if f.phase == phaseStageForm && f.stage != nil {
		return f.stage.Form
	}
	return f.fix.Form(f.st)
}

// openForm opens the fix's form with the values kept; es are a plan's
// messages to show at their fields.
func (f fixFlow) openForm(errs error) (fixFlow, tea.Cmd) {
	groups := f.fix.Form(f.st)
	if len(groups) == 0 {
		// Nothing to ask: straight to the plan.
		return f.planned(formInput(nil, f.values))
	}
	f.phase = phaseForm
	f.form = newFixForm(groups, f.values, f.c.isDark)
	if f.pristine == nil {
		f.pristine = f.form.values()
	}
	cmd := f.form.form.Init()
	f.showPlanError(errs)
	return f, cmd
}

// openStageForm opens the stage's questions, empty; msg is said above it.
func (f fixFlow) openStageForm(msg string) (fixFlow, tea.Cmd) {
	return f.openStageFormWith(steps.Values{}, msg)
}

// openStageFormWith opens the stage's questions with values.
func (f fixFlow) openStageFormWith(values steps.Values, msg string) (fixFlow, tea.Cmd) {
	f.phase = phaseStageForm
	f.form = newFixForm(f.stage.Form, values, f.c.isDark)
	f.formMsg = msg
	return f, f.form.form.Init()
}

// showPlanError puts a plan's error at its fields, or above the form.
func (f *fixFlow) showPlanError(err error) {
	f.formMsg = ""
	if err == nil {
		return
	}
	var es steps.FieldErrors
	if errors.As(err, &es) && f.form.showErrors(es) {
		var rest []string
		for _, e := range es {
			if _, ok := f.form.fields[e.Field]; !ok {
				rest = append(rest, e.Message)
			}
		}
		f.formMsg = strings.Join(rest, "; ")
		return
	}
	f.formMsg = err.Error()
	if errors.As(err, &es) {
		msgs := make([]string, len(es))
		for i, e := range es {
			msgs[i] = e.Message
		}
		f.formMsg = strings.Join(msgs, "; ")
	}
}

func (f fixFlow) updateForm(msg tea.Msg) (fixFlow, tea.Cmd) {
	m, cmd := f.form.form.Update(msg)
	if ff, ok := m.(*huh.Form); ok {
		f.form.form = ff
	}
	if _, paste := msg.(tea.PasteMsg); paste {
		f.form.checkFocused()
	}
	switch f.form.form.State {
	case huh.StateCompleted:
		if f.phase == phaseStageForm {
			return f.stageAnswered()
		}
		f.values = f.form.values()
		return f.planned(f.form.input())
	case huh.StateAborted:
		return f.end(flowAborted, "Fix cancelled: nothing was written.")
	}
	if f.phase == phaseForm {
		f.values = f.form.values()
	}
	return f, cmd
}

// planned builds the plan of in and shows its preview; a rejected input
// reopens the form at the field.
func (f fixFlow) planned(in steps.Input) (fixFlow, tea.Cmd) {
	p, err := f.fix.Plan(f.st, in)
	if err != nil {
		if len(f.fix.Form(f.st)) == 0 {
			f.phase, f.loadErr, f.planFailed = phaseLoadFailed, err, true
			return f, nil
		}
		return f.openForm(err)
	}
	f.plan, f.phase, f.yes, f.typedErr = p, phasePreview, false, ""
	f.typed.SetValue("")
	f.vp.GotoTop()
	if f.typedConfirm() {
		f.typed.Placeholder = p.Confirm.Want
		return f, f.typed.Focus()
	}
	return f, nil
}

// stageAnswered plans the stage's answers and applies them.
func (f fixFlow) stageAnswered() (fixFlow, tea.Cmd) {
	in := f.form.input()
	p, err := f.stage.Plan(in)
	if err != nil {
		msg := ""
		f2, cmd := f.openStageFormWith(in.Values, "")
		var es steps.FieldErrors
		if !errors.As(err, &es) || !f2.form.showErrors(es) {
			msg = err.Error()
		}
		f2.formMsg = msg
		return f2, cmd
	}
	f.plan, f.phase = p, phaseStageApplying
	return f, fixApplyCmd(f.c.ctx, f.c.cfg.Writer, p, applyStage, f.gen, f.c.cfg.CheckTimeout)
}

func (f fixFlow) apply() (fixFlow, tea.Cmd) {
	f.phase = phaseApplying
	f.typed.Blur()
	return f, fixApplyCmd(f.c.ctx, f.c.cfg.Writer, f.plan, applyMain, f.gen, f.c.cfg.CheckTimeout)
}

// stop runs the stage's Abort (or ends, when there is nothing to undo).
func (f fixFlow) stop() (fixFlow, tea.Cmd) {
	f.stopped = true
	f.clearSecrets()
	if f.stage == nil || f.stage.Abort == nil {
		return f.result()
	}
	f.phase = phaseStopping
	return f, fixApplyCmd(f.c.ctx, f.c.cfg.Writer, *f.stage.Abort, applyAbort, f.gen, f.c.cfg.CheckTimeout)
}

func (f fixFlow) gotApplied(msg fixAppliedMsg) (fixFlow, tea.Cmd) {
	want := map[applyKind]flowPhase{applyMain: phaseApplying, applyStage: phaseStageApplying, applyAbort: phaseStopping}[msg.Kind]
	if f.phase != want {
		return f, nil
	}
	res := msg.Result
	res.Outputs = nil // secrets live only in the stage the fix built
	p := f.plan
	if msg.Kind == applyAbort {
		p = *f.stage.Abort
	}
	f.applies = append(f.applies, applied{kind: msg.Kind, plan: p, result: res})
	var cmds []tea.Cmd
	if len(res.Applied) > 0 && f.c.cfg.RecordFix != nil {
		cmds = append(cmds, recordFixCmd(f.c.cfg.RecordFix, f.fix.ID, f.c.cfg.Now(), p.RecordSummary(res)))
	}
	var next tea.Cmd
	switch {
	case msg.Kind == applyAbort:
		f, next = f.result()
	case !res.OK() && msg.Kind == applyStage && f.stage.Retry != nil:
		if why, again := f.stage.Retry(res.Err); again {
			if len(res.Applied) == 0 {
				f.applies = f.applies[:len(f.applies)-1] // nothing was made: ask again
			}
			f, next = f.openStageForm(why)
			break
		}
		f, next = f.stop()
		f.stopped = false
	case !res.OK() && msg.Kind == applyStage:
		f, next = f.stop()
		f.stopped = false
	case !res.OK():
		f, next = f.result()
	case res.Next != nil && res.Next.Asks():
		st := *res.Next
		f.stage = &st
		if len(st.Show) > 0 {
			f.phase = phaseStageShow
			f.vp.GotoTop()
		} else {
			f, next = f.openStageForm("")
		}
	case res.Next != nil:
		st := *res.Next
		f.stageDone = &st
		f, next = f.result()
	default:
		f, next = f.result()
	}
	return f, tea.Batch(append(cmds, next)...)
}

// result shows what happened and re-checks every item the fix touches.
func (f fixFlow) result() (fixFlow, tea.Cmd) {
	f.phase = phaseResult
	f.vp.GotoTop()
	f.clearStage()
	return f, do(recheckMsg{IDs: f.fix.Recheck(), Quiet: true})
}

// abortOnQuit undoes what the fix made when the wizard quits at a stage
// (ctrl+c), so an interrupted fix leaves nothing half-made. The undo runs
// with a deadline of its own, as the quit cancels everything else.
func (f fixFlow) abortOnQuit() tea.Cmd {
	switch f.phase {
	case phaseStageShow, phaseStageForm, phaseStop:
	default:
		return nil
	}
	if f.stage == nil || f.stage.Abort == nil {
		return nil
	}
	abort, w, timeout := *f.stage.Abort, f.c.cfg.Writer, f.c.cfg.CheckTimeout
	ctx := context.WithoutCancel(f.c.ctx)
	record, id, now := f.c.cfg.RecordFix, f.fix.ID, f.c.cfg.Now
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res := abort.Apply(ctx, w)
		if record != nil && len(res.Applied) > 0 {
			record(id, now(), abort.RecordSummary(res))
		}
		return nil
	}
}

// wrote reports whether any call of the flow was made.
func (f fixFlow) wrote() bool {
	for _, a := range f.applies {
		if len(a.result.Applied) > 0 {
			return true
		}
	}
	return false
}

// shown is the stage items the screen shows now.
func (f fixFlow) shown() []steps.Shown {
	switch {
	case f.phase == phaseStageShow && f.stage != nil:
		return f.stage.Show
	case f.phase == phaseResult && f.stageDone != nil:
		return f.stageDone.Show
	}
	return nil
}

// secret is the first secret the screen shows now ("" when none).
func (f fixFlow) secret() string {
	for _, s := range f.shown() {
		if s.Kind == steps.ShownSecret {
			return s.Value
		}
	}
	return ""
}

// qrItem is the first item the screen shows as a QR code.
func (f fixFlow) qrItem() (steps.Shown, bool) {
	for _, s := range f.shown() {
		if s.Kind == steps.ShownQR || s.Kind == steps.ShownLink {
			return s, true
		}
	}
	return steps.Shown{}, false
}

func (f fixFlow) qrValue() string {
	s, _ := f.qrItem()
	return s.Value
}

func (f *fixFlow) setKeys() {
	k := &f.keys
	all := []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Retry, &k.Back,
		&k.FormNext, &k.FormPrev, &k.FormChoose, &k.FormToggle, &k.FormCancel,
		&k.Yes, &k.No, &k.Choose, &k.Enter, &k.Edit, &k.Continue, &k.Copy, &k.QR, &k.Stop, &k.Done, &k.Recheck,
		&k.TypedScroll.Up, &k.TypedScroll.Down, &k.TypedScroll.PageUp, &k.TypedScroll.PageDown}
	enable(false, all...)
	scrolls := []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom}
	k.Back.SetHelp("esc", "back")
	k.Yes.SetHelp("y", "yes, apply")
	k.No.SetHelp("n", "no")
	switch f.phase {
	case phaseLoading:
		k.Back.SetEnabled(true)
		k.Back.SetHelp("esc", "cancel")
	case phaseLoadFailed:
		enable(true, &k.Retry, &k.Back)
	case phaseForm, phaseStageForm:
		enable(true, &k.FormNext, &k.FormPrev)
		if fld, _ := f.form.focused(); fld.Kind != steps.FieldText {
			k.FormChoose.SetEnabled(true)
			k.FormToggle.SetEnabled(fld.Kind == steps.FieldMulti || (fld.Kind == steps.FieldBool && fld.Choice != ""))
		}
		if f.phase == phaseForm {
			k.FormCancel.SetEnabled(true)
		} else {
			k.Stop.SetEnabled(true)
		}
	case phaseDiscard:
		enable(true, &k.Yes, &k.No)
		k.Yes.SetHelp("y", "drop them and leave")
		k.No.SetHelp("n", "keep editing")
	case phaseStop:
		enable(true, &k.Yes, &k.No)
		k.Yes.SetHelp("y", "stop and undo")
		k.No.SetHelp("n", "go on")
	case phasePreview:
		enable(true, scrolls...)
		enable(true, &k.Back, &k.Edit)
		k.Back.SetHelp("esc", "back to the values")
		switch {
		case f.typedConfirm():
			enable(false, scrolls...)
			enable(true, &k.TypedScroll.Up, &k.TypedScroll.Down, &k.TypedScroll.PageUp, &k.TypedScroll.PageDown)
			k.Edit.SetEnabled(false) // e is typed
			k.Enter.SetEnabled(true)
		case f.confirms():
			enable(true, &k.Yes, &k.No, &k.Choose, &k.Enter)
			k.No.SetHelp("n", "no, edit")
		default:
			k.Done.SetEnabled(true)
		}
	case phaseStageShow, phaseResult:
		if f.zoom {
			k.QR.SetEnabled(true)
			k.QR.SetHelp(keyName(k.QR), "back to the text")
			break
		}
		enable(true, scrolls...)
		if f.phase == phaseStageShow {
			enable(true, &k.Continue, &k.Stop)
		} else {
			enable(true, &k.Done, &k.Recheck)
		}
		k.Copy.SetEnabled(f.secret() != "")
		k.QR.SetEnabled(f.qrValue() != "")
		k.QR.SetHelp(keyName(k.QR), "QR code alone")
	}
}

func (f fixFlow) key(k tea.KeyPressMsg) (fixFlow, tea.Cmd) {
	keys := f.keys
	switch f.phase {
	case phaseLoading:
		if key.Matches(k, keys.Back) {
			return f.end(flowAborted, "Fix cancelled: nothing was written.")
		}
	case phaseLoadFailed:
		switch {
		case key.Matches(k, keys.Retry):
			f.phase, f.loadErr, f.planFailed = phaseLoading, nil, false
			return f, f.Init()
		case key.Matches(k, keys.Back):
			return f.end(flowAborted, "")
		}
	case phaseForm:
		if key.Matches(k, keys.FormCancel) {
			if f.form.typedOver(f.pristine) {
				f.phase = phaseDiscard
				return f, nil
			}
			return f.end(flowAborted, "Fix cancelled: nothing was written.")
		}
		return f.updateForm(k)
	case phaseDiscard:
		switch {
		case key.Matches(k, keys.Yes):
			return f.end(flowAborted, "Fix cancelled: the values you typed were dropped and nothing was written.")
		case key.Matches(k, keys.No, keys.Back):
			f.phase = phaseForm
		}
	case phasePreview:
		return f.previewKey(k)
	case phaseStageShow:
		if f.zoom || key.Matches(k, keys.QR) {
			if key.Matches(k, keys.QR, keys.Back) {
				f.zoom = !f.zoom
			}
			return f, nil
		}
		switch {
		case key.Matches(k, keys.Stop):
			f.stageAt, f.phase = phaseStageShow, phaseStop
		case key.Matches(k, keys.Continue):
			f.clearStage() // the secret's screen is left
			return f.openStageForm("")
		case key.Matches(k, keys.Copy):
			return f, tea.Batch(tea.SetClipboard(f.secret()), flash("Sent it to your clipboard (if your terminal allows it); it is not kept anywhere."))
		case scroll(&f.vp, keys.ScrollKeys, k):
		}
	case phaseStageForm:
		if key.Matches(k, keys.Stop) {
			f.stageAt, f.phase = phaseStageForm, phaseStop
			return f, nil
		}
		return f.updateForm(k)
	case phaseStop:
		switch {
		case key.Matches(k, keys.Yes):
			return f.stop()
		case key.Matches(k, keys.No, keys.Back):
			f.phase = f.stageAt
		}
	case phaseResult:
		if f.zoom || key.Matches(k, keys.QR) {
			if key.Matches(k, keys.QR, keys.Back) {
				f.zoom = !f.zoom
			}
			return f, nil
		}
		switch {
		case key.Matches(k, keys.Done):
			flash := ""
			if !f.wrote() {
				flash = "Nothing was written."
			}
			return f.end(flowDone, flash)
		case key.Matches(k, keys.Recheck):
			return f, do(recheckMsg{IDs: f.fix.Recheck(), Quiet: true})
		case key.Matches(k, keys.Copy):
			return f, tea.Batch(tea.SetClipboard(f.secret()), flash("Sent it to your clipboard (if your terminal allows it); it is not kept anywhere."))
		case scroll(&f.vp, keys.ScrollKeys, k):
		}
	case phaseApplying, phaseStageApplying, phaseStopping:
		return f, flash("Saving: wait for AWS to answer.")
	}
	return f, nil
}

func (f fixFlow) previewKey(k tea.KeyPressMsg) (fixFlow, tea.Cmd) {
	keys := f.keys
	back := func(note string) (fixFlow, tea.Cmd) {
		f2, cmd := f.openForm(nil)
		return f2, tea.Batch(cmd, flash(note))
	}
	edit := fmt.Sprintf("Nothing was written. Every value you typed is kept: change any, or press %s to leave.", keyName(keys.FormCancel))
	switch {
	case key.Matches(k, keys.Edit, keys.Back):
		return back(edit)
	case f.typedConfirm():
		if scroll(&f.vp, keys.TypedScroll, k) {
			return f, nil
		}
		if key.Matches(k, keys.Enter) {
			if f.plan.Confirm.Matches(f.typed.Value()) {
				return f.apply()
			}
			f.typedErr = fmt.Sprintf("That is not %q: nothing was written. Type it exactly, or press %s to go back.", f.plan.Confirm.Want, keyName(keys.Back))
			return f, nil
		}
		var cmd tea.Cmd
		f.typed, cmd = f.typed.Update(k)
		f.typedErr = ""
		return f, cmd
	case !f.confirms():
		if key.Matches(k, keys.Done) {
			return f.end(flowDone, "Nothing was written.")
		}
		scroll(&f.vp, keys.ScrollKeys, k)
		return f, nil
	}
	switch {
	case key.Matches(k, keys.Yes):
		return f.apply()
	case key.Matches(k, keys.No):
		return back(edit)
	case key.Matches(k, keys.Choose):
		f.yes = !f.yes
	case key.Matches(k, keys.Enter):
		if f.yes {
			return f.apply()
		}
		return back(edit)
	default:
		scroll(&f.vp, keys.ScrollKeys, k)
	}
	return f, nil
}

func (f fixFlow) help() helpKeys {
	k := f.keys
	h := f.c.helpKey()
	short := []key.Binding{k.Yes, k.No, k.Edit, k.Retry, k.Continue, k.Copy, k.QR,
		k.FormNext, k.FormPrev, k.FormChoose, k.FormToggle, k.Done, k.Recheck, k.Back, k.FormCancel, k.Stop}
	if f.typing() {
		short = append(short, k.Enter)
		if f.typedConfirm() && f.vp.TotalLineCount() > f.vp.Height() {
			short = append(short, k.TypedScroll.Down) // the preview scrolls while the value is typed
		}
		return helpKeys{short: short, full: [][]key.Binding{short, {f.c.keys.Global.Interrupt}}}
	}
	short = append(short, h, k.Down)
	return helpKeys{short: short, full: [][]key.Binding{append(short, k.Choose, k.Enter), {k.Up, k.Down, k.PageUp, k.PageDown}, {h, f.c.keys.Global.Interrupt}}}
}
