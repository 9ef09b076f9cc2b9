package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// screenID is the screen the body shows.
type screenID int

const (
	screenIdentity screenID = iota
	screenChecklist
	screenStep
	screenQR
	screenSummary
	screenFix
	screenDemo // a demo question (start over, sign in as the admin)
)

// recheckNote is a re-check in flight that the flash talks about: every
// item (all) or one item (id), after a demo simulation (simulated).
type recheckNote struct {
	all       bool
	id        string
	simulated bool
	// prefix starts the flash when an all-items pass is done, and focus is
	// the item whose verdict it names (after a demo sign-in or undo).
	prefix, focus string
	// identity: the pass starts once the caller is read again; until then
	// a result still in flight from before is not this pass's end.
	identity bool
}

// App is the wizard: the only tea.Model. It owns the session (the
// account's verdicts), routes messages to the screen that shows, and acts
// on what screens ask for (intents). Each screen is its own type with its
// own state, Update and View(width, height).
type App struct {
	c      *common
	cancel context.CancelFunc

	help     help.Model
	spinning bool

	screen    screenID
	identity  identityScreen
	checklist checklistScreen
	step      stepScreen
	qr        qrScreen
	summary   summaryScreen
	demo      demoScreen
	fix       *fixFlow // the open fix flow, if any
	fixGen    int      // bumped per flow, so a closed flow's messages are dropped

	identityGen int
	aliasGen    int
	flash       string
	flashBad    bool
	// recheck is the re-check the flash reports on; when it finishes the
	// flash says how it went.
	recheck  recheckNote
	lastOpen int // open items when nothing was last in flight
	quitting bool
}

// New builds the wizard. Work it starts is cancelled when ctx is, or on quit.
func New(ctx context.Context, cfg Config) (*App, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	c := &common{
		ctx: ctx, cfg: cfg, keys: DefaultKeyMap(),
		width: 80, height: 24, profile: colorprofile.TrueColor,
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		sess:    newSession(cfg.Items),
	}
	a := &App{c: c, cancel: cancel, help: help.New()}
	a.identity = newIdentityScreen(c)
	a.checklist = newChecklistScreen(c)
	a.step = newStepScreen(c)
	a.qr = newQRScreen(c)
	a.summary = newSummaryScreen(c)
	a.demo = newDemoScreen(c)
	a.setDark(true)
	return a, nil
}

// Run opens the wizard on the terminal and returns when the user quits,
// with where the session ended. ctrl+c returns tea.ErrInterrupted.
func Run(ctx context.Context, cfg Config, opts ...tea.ProgramOption) (Final, error) {
	a, err := New(ctx, cfg)
	if err != nil {
		return Final{}, err
	}
	defer a.cancel()
	p := tea.NewProgram(a, append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...)
	_, err = p.Run()
	return a.Final(), err
}

// Final is where a session ended, for a line printed after the wizard
// closes and for the saved history. Only completed verdicts count: a check
// still in flight when the session ended (canceled by the quit) is never a
// verdict; its item keeps the verdict it had, or none.
type Final struct {
	Account string      // "" when the caller was never read
	Checked bool        // every item had a verdict: the first pass completed
	Pending int         // checks still in flight when the session ended
	Score   steps.Score // the session's tally of completed verdicts, as on the summary
	Open    int         // items listed that still need attention
	// Start is the session's first complete pass, which RecordRun saves
	// (nil when no pass completed: nothing is to be saved). The caller
	// makes sure it was saved: a quit can come before the command that
	// saves it runs.
	Start *progress.Run
	// End is the session's end as a run to record, so that history ends
	// where the session did: nil unless something changed since Start.
	End *progress.Run
}

// Final reports where the session is now.
func (a *App) Final() Final {
	sess := a.c.sess
	var f Final
	if sess.identity == nil {
		return f
	}
	t := sess.tally()
	f.Account, f.Checked = sess.identity.Account, sess.complete()
	f.Score, f.Open = t.Score, t.Open
	for _, it := range sess.items {
		if it.pending {
			f.Pending++
		}
	}
	if sess.start != nil {
		start := *sess.start
		f.Start = &start
	}
	if end, ok := sess.run(a.c.cfg.Now()); ok && sess.start != nil && !progress.SameStatuses(*sess.start, end) {
		f.End = &end
	}
	return f
}

func (a *App) Init() tea.Cmd {
	a.identityGen++
	return tea.Batch(
		tea.RequestBackgroundColor,
		identityCmd(a.c.ctx, a.c.cfg.Account, a.c.cfg.CheckTimeout, a.identityGen),
		a.readAlias(),
		a.startSpinner(),
	)
}

// readAlias reads the account alias beside the identity: the identity
// shows when it arrives, the alias when it does.
func (a *App) readAlias() tea.Cmd {
	a.aliasGen++
	a.c.sess.alias = aliasState{}
	return aliasCmd(a.c.ctx, a.c.cfg.Account, a.c.cfg.CheckTimeout, a.aliasGen)
}

func (a *App) setDark(isDark bool) {
	a.c.styles = DefaultStyles(isDark)
	a.help.Styles = a.c.styles.Help
	a.c.spinner.Style = a.c.styles.Status[steps.StatusChecking]
}

func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.update(msg)
	a.sync()
	return a, cmd
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.width, a.c.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
	case tea.BackgroundColorMsg:
		a.setDark(msg.IsDark())
	case tea.ColorProfileMsg:
		a.c.profile = msg.Profile
	case tea.KeyPressMsg:
		return a.key(msg)
	case spinner.TickMsg:
		if !a.loading() {
			a.spinning = false
			return nil
		}
		var cmd tea.Cmd
		a.c.spinner, cmd = a.c.spinner.Update(msg)
		return cmd
	case identityMsg:
		return a.gotIdentity(msg)
	case aliasMsg:
		a.gotAlias(msg)
	case checkDoneMsg:
		return a.gotResult(msg)
	case simulateDoneMsg:
		if msg.Err != nil {
			if s := a.c.sess.byID[msg.ID]; s != nil {
				s.checking = s.pending
			}
			a.setFlash("Demo: could not simulate this step: "+msg.Err.Error(), true)
			return nil
		}
		a.setFlash("Demo: simulated doing this in the console. Re-checking the account…", false)
		a.recheck = recheckNote{id: msg.ID, simulated: true}
		return a.checkAll(a.c.liveFacts(), func(id string) bool { return id == msg.ID })
	case exportDoneMsg:
		if msg.Err != nil {
			a.setFlash("Could not save "+msg.What+" to "+msg.Path+": "+msg.Err.Error(), true)
			return nil
		}
		a.setFlash("Saved "+msg.What+" to "+msg.Path+" (readable by you only). "+msg.Warning, false)
		return nil
	case attestDoneMsg:
		if msg.Err != nil {
			a.setFlash("Could not save that: "+msg.Err.Error(), true)
			return nil
		}
		if msg.Marked {
			a.setFlash(fmt.Sprintf("Marked done on %s. Press %s to undo.", a.c.cfg.Now().Format("2 Jan 2006"), keyName(a.c.keys.Step.Unattest)), false)
		} else {
			a.setFlash("Mark removed.", false)
		}
		return a.recheckLive(msg.ID)
	case recordDoneMsg:
		if msg.Err != nil {
			a.setFlash("Progress not saved: "+msg.Err.Error(), true)
		}
	case openDoneMsg:
		if msg.Err != nil {
			k := a.c.keys.Step
			a.setFlash(fmt.Sprintf("Could not open a browser (%s): press %s to copy the link or %s for a QR code.", msg.Err, keyName(k.Copy), keyName(k.QR)), true)
		} else {
			a.setFlash("Opened the console link in your browser.", false)
		}
	case intent:
		return a.act(msg)
	case signedInMsg, undoneMsg, startedOverMsg:
		return a.demoResult(msg)
	case fixLoadedMsg, fixAppliedMsg:
		return a.updateFix(msg)
	default:
		return a.route(msg) // the screen's own messages (forms, text inputs)
	}
	return nil
}

// route gives a message to the screen that shows.
func (a *App) route(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch a.screen {
	case screenIdentity:
		a.identity, cmd = a.identity.Update(msg)
	case screenChecklist:
		a.checklist, cmd = a.checklist.Update(msg)
	case screenStep:
		a.step, cmd = a.step.Update(msg)
	case screenQR:
		a.qr, cmd = a.qr.Update(msg)
	case screenSummary:
		a.summary, cmd = a.summary.Update(msg)
	case screenFix:
		cmd = a.updateFix(msg)
	case screenDemo:
		a.demo, cmd = a.demo.Update(msg)
	}
	return cmd
}

// updateFix gives a message to the fix flow and closes it when it ends.
func (a *App) updateFix(msg tea.Msg) tea.Cmd {
	if a.fix == nil {
		return nil
	}
	f, cmd := a.fix.Update(msg)
	a.fix = &f
	if f.State != flowRunning {
		a.fix = nil
		a.fixGen++ // anything still in flight is stale
		a.openStep(f.fix.ID)
		if f.Flash != "" {
			a.setFlash(f.Flash, false)
		}
		if name, ok := a.c.cfg.adminToSignIn(); ok && f.fix.ID == steps.FixAdminIdentity && f.State == flowDone && f.wrote() {
			a.setFlash(fmt.Sprintf("Demo: %s is ready. Press %s to sign in as %s: rootguard then runs as %s, not root.",
				name, keyName(a.c.keys.Step.Demo.SignIn), name, name), false)
		}
	}
	return cmd
}

// act does what a screen asked for.
func (a *App) act(m intent) tea.Cmd {
	sess := a.c.sess
	switch m := m.(type) {
	case openChecklistMsg:
		a.screen = screenChecklist
		if m.ID != "" {
			a.checklist.cursor = m.ID
		}
	case openStepMsg:
		a.openStep(m.ID)
	case openSummaryMsg:
		a.screen = screenSummary
		a.summary.open()
	case openQRMsg:
		a.qr.open(m.ID)
		a.screen = screenQR
	case recheckMsg:
		switch {
		case m.All:
			return a.recheckAll()
		case len(m.IDs) == 1 && !m.Quiet:
			return a.recheckItem(m.IDs[0])
		}
		cmds := make([]tea.Cmd, 0, len(m.IDs))
		for _, id := range m.IDs {
			cmds = append(cmds, a.recheckLive(id))
		}
		return tea.Batch(cmds...)
	case retryIdentityMsg:
		sess.identityErr = nil
		a.identityGen++
		var alias tea.Cmd
		if sess.alias.done && sess.alias.err != nil {
			alias = a.readAlias()
		}
		return tea.Batch(identityCmd(a.c.ctx, a.c.cfg.Account, a.c.cfg.CheckTimeout, a.identityGen), alias, a.startSpinner())
	case simulateMsg:
		if s := sess.byID[m.ID]; s != nil && a.c.cfg.canSimulate(m.ID) {
			s.checking = true
			return tea.Batch(simulateCmd(a.c.cfg.Simulate, m.ID), a.startSpinner())
		}
	case startFixMsg:
		fix, ok := a.c.cfg.fixFor(m.ID)
		if !ok {
			a.setFlash("rootguard cannot make this change yet: follow the console steps below.", false)
			return nil
		}
		a.fixGen++
		f := newFixFlow(a.c, fix, a.fixGen)
		a.fix, a.screen = &f, screenFix
		return tea.Batch(f.Init(), a.startSpinner())
	case askDemoMsg:
		return a.askDemo(m.Ask)
	case demoAnsweredMsg:
		return a.demoAnswered(m.Yes)
	case undoSimulationMsg:
		if _, ok := a.c.cfg.canUndo(); !ok {
			a.setFlash("Demo: there is no simulated step to undo.", false)
			return nil
		}
		return undoCmd(a.c.cfg.UndoSimulation)
	case flashMsg:
		a.setFlash(m.Text, m.Bad)
	case quitMsg:
		return a.quit(false)
	}
	return nil
}

func (a *App) openStep(id string) {
	if a.c.sess.byID[id] == nil {
		a.screen = screenChecklist
		return
	}
	a.step.open(id)
	a.checklist.cursor = id
	a.screen = screenStep
}

func (a *App) gotIdentity(msg identityMsg) tea.Cmd {
	sess := a.c.sess
	if msg.Gen != a.identityGen {
		return nil
	}
	if msg.Err != nil {
		sess.identityErr = msg.Err
		return nil
	}
	id := sess.alias.withAlias(msg.Identity)
	sess.identity, sess.identityErr = &id, nil
	a.recheck.identity = false
	return a.checkAll(a.c.facts(), func(string) bool { return true })
}

// gotAlias keeps the alias and, once the identity is in, puts it in a new
// identity (commands in flight keep the one they were given).
func (a *App) gotAlias(msg aliasMsg) {
	sess := a.c.sess
	if msg.Gen != a.aliasGen {
		return
	}
	sess.alias = aliasState{done: true, value: msg.Alias, err: msg.Err}
	if sess.identity != nil {
		id := sess.alias.withAlias(*sess.identity)
		sess.identity = &id
	}
}

func (a *App) gotResult(msg checkDoneMsg) tea.Cmd {
	sess := a.c.sess
	s := sess.byID[msg.ID]
	if s == nil || msg.Gen != s.gen {
		return nil // stale: a newer check of this item is in flight or done
	}
	if a.quitting {
		return nil // the quit canceled it: not a verdict
	}
	s.result, s.preview, s.mark, s.has = msg.Result, msg.Preview, msg.Mark, true
	s.pending, s.checking = false, false
	if s.first == "" {
		s.first = msg.Result.Status
	}
	if n := a.recheck; n.id == msg.ID {
		a.recheck = recheckNote{}
		a.setFlash(rechecked(s, n.simulated), false)
		if n.simulated && a.screen == screenStep && a.step.id == msg.ID {
			a.step.vp.GotoTop() // the new verdict is at the top
		}
	}
	if sess.inFlight() {
		return nil
	}
	if n := a.recheck; n.all && !n.identity {
		a.recheck = recheckNote{}
		msg := n.prefix + fmt.Sprintf("Re-checked %d items.", len(sess.listed()))
		if s := sess.byID[n.focus]; s != nil && s.has {
			msg = n.prefix + fmt.Sprintf("Re-checked %d items; %s: %s.", len(sess.listed()), s.item.Title, s.result.Status)
		}
		a.setFlash(msg, false)
	}
	open := sess.tally().Open
	if a.lastOpen > 0 && open == 0 && (a.screen == screenChecklist || a.screen == screenStep) {
		a.screen = screenSummary
		a.summary.open()
		a.setFlash("Nothing is left open: here is your summary.", false)
	}
	a.lastOpen = open
	return a.passDone()
}

// passDone runs when no check is in flight. Once every item has a verdict
// it compares the session with the previous saved run. The first complete
// pass, the account as the session found it, is saved as the session's
// run (in a command); Final hands back the end of the session when it
// differs, for the caller to record after the wizard closes.
func (a *App) passDone() tea.Cmd {
	sess := a.c.sess
	cur, ok := sess.run(a.c.cfg.Now())
	if !ok {
		return nil
	}
	if a.c.cfg.Since != nil {
		sess.since.ok, sess.since.changes = true, progress.Diff(*a.c.cfg.Since, cur)
	}
	if sess.start == nil {
		sess.start = &cur
	}
	if a.c.cfg.RecordRun == nil || sess.since.saved {
		return nil
	}
	sess.since.saved = true
	return recordRunCmd(a.c.cfg.RecordRun, cur)
}

// checkAll re-checks every item in one shared pass over f; spin says which
// items show a spinner meanwhile (the others keep their verdict until
// replaced).
func (a *App) checkAll(f *steps.Facts, spin func(id string) bool) tea.Cmd {
	sess := a.c.sess
	cmds := make([]tea.Cmd, 0, len(sess.items)+1)
	for _, s := range sess.items {
		s.gen++
		s.pending = true
		s.checking = spin(s.item.ID) || !s.has
		cmds = append(cmds, a.checkCmd(f, s))
	}
	cmds = append(cmds, a.startSpinner())
	return tea.Batch(cmds...)
}

func (a *App) checkCmd(f *steps.Facts, s *itemState) tea.Cmd {
	var fix *steps.Fix
	if x, ok := a.c.cfg.fixFor(s.item.ID); ok {
		fix = &x
	}
	return checkCmd(a.c.ctx, f, s.item, fix, s.gen, a.c.cfg.CheckTimeout)
}

// recheckItem re-checks one item at the user's request; the flash says
// the new verdict when it is back.
func (a *App) recheckItem(id string) tea.Cmd {
	if a.c.sess.byID[id] == nil || a.c.sess.identity == nil {
		return nil
	}
	a.setFlash("Re-checking…", false)
	a.recheck = recheckNote{id: id}
	return a.recheckLive(id)
}

// recheckLive checks one item live: fresh reads, every IAM user read live
// rather than from the credential report (which can be hours old and
// would not show a change just made).
func (a *App) recheckLive(id string) tea.Cmd {
	s := a.c.sess.byID[id]
	if s == nil || a.c.sess.identity == nil {
		return nil
	}
	s.gen++
	s.pending, s.checking = true, true
	return tea.Batch(a.checkCmd(a.c.liveFacts(), s), a.startSpinner())
}

func (a *App) recheckAll() tea.Cmd {
	if a.c.sess.identity == nil {
		return nil
	}
	a.setFlash("Re-checking everything…", false)
	a.recheck = recheckNote{all: true}
	return a.checkAll(a.c.facts(), func(string) bool { return true })
}

// rechecked is the flash when an item's re-check is back: its new verdict.
func rechecked(s *itemState, simulated bool) string {
	msg := "Re-checked " + s.item.Title + ": " + string(s.result.Status)
	if simulated {
		msg = "Demo: simulated in the console; now " + string(s.result.Status)
	}
	if s.result.Summary != "" {
		msg += " (" + s.result.Summary + ")"
	}
	return msg + "."
}

func (a *App) startSpinner() tea.Cmd {
	if a.spinning {
		return nil
	}
	a.spinning = true
	return a.c.spinner.Tick
}

func (a *App) loading() bool {
	sess := a.c.sess
	return (sess.identity == nil && sess.identityErr == nil) || !sess.alias.done || sess.anyChecking() || (a.fix != nil && a.fix.busy())
}

// setFlash shows a line above the footer. Flashes carry error messages and
// summaries, so the line is sanitized here, for every flash at once.
func (a *App) setFlash(s string, bad bool) { a.flash, a.flashBad = safetext.Line(s), bad }

func (a *App) quit(interrupt bool) tea.Cmd {
	a.cancel() // in-flight reads stop
	a.quitting = true
	if interrupt {
		return tea.Interrupt
	}
	return tea.Quit
}

func (a *App) tooSmall() bool { return a.c.width < minWidth || a.c.height < minHeight }

// typing reports whether the screen takes keys as text (so ? is typed).
func (a *App) typing() bool {
	switch a.screen {
	case screenStep:
		return a.step.typing()
	case screenFix:
		return a.fix != nil && a.fix.typing()
	}
	return false
}

func (a *App) key(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, a.c.keys.Global.Interrupt) {
		if a.quitting {
			return tea.Interrupt // a second ctrl+c: at once, whatever is still running (an undo)
		}
		if a.fix != nil {
			if undo := a.fix.abortOnQuit(); undo != nil {
				return tea.Sequence(undo, a.quit(true))
			}
		}
		return a.quit(true)
	}
	a.flash = ""
	if a.tooSmall() {
		if key.Matches(k, a.c.keys.Identity.Quit) {
			return a.quit(false)
		}
		return nil
	}
	// The QR screen's ? says what the code is for.
	if a.screen != screenQR && !a.typing() && key.Matches(k, a.c.keys.Global.Help) {
		a.c.showAll = !a.c.showAll
		return nil
	}
	return a.route(k)
}

// sync fits the screen that shows to the session and the size, after
// every Update, so View only reads.
func (a *App) sync() {
	if a.tooSmall() {
		return
	}
	head := lipgloss.Height(a.header())
	h := max(a.c.height-head-lipgloss.Height(a.footer()), 1)
	a.syncScreen(h)
	// The footer's help follows the keys the screen just enabled.
	if h2 := max(a.c.height-head-lipgloss.Height(a.footer()), 1); h2 != h {
		a.syncScreen(h2)
	}
}

func (a *App) syncScreen(h int) {
	w := a.c.width
	switch a.screen {
	case screenIdentity:
		a.identity.sync(w, h)
	case screenChecklist:
		a.checklist.sync(w, h)
	case screenStep:
		a.step.sync(w, h)
	case screenQR:
		a.qr.sync(w, h)
	case screenSummary:
		a.summary.sync(w, h)
	case screenDemo:
		a.demo.sync(w, h)
	case screenFix:
		if a.fix != nil {
			a.fix.sync(w, h)
		}
	}
}

// screenHelp is the key help of the screen that shows.
func (a *App) screenHelp() helpKeys {
	switch a.screen {
	case screenIdentity:
		return a.identity.help()
	case screenChecklist:
		return a.checklist.help()
	case screenStep:
		return a.step.help()
	case screenQR:
		return a.qr.help()
	case screenSummary:
		return a.summary.help()
	case screenDemo:
		return a.demo.help()
	case screenFix:
		if a.fix != nil {
			return a.fix.help()
		}
	}
	return helpKeys{}
}

func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "rootguard"
	if id := a.c.sess.identity; id != nil {
		v.WindowTitle = "rootguard · " + safetext.Line(id.Account)
	}
	return v
}

func (a *App) render() string {
	w, h := a.c.width, a.c.height
	if a.tooSmall() {
		return tooSmallView(w, h)
	}
	if a.screen == screenQR {
		if f := a.flashLine(); f != "" {
			return a.qr.View(w, h-lipgloss.Height(f)) + "\n" + f
		}
		return a.qr.View(w, h)
	}
	header, footer := a.header(), a.footer()
	if a.screen == screenFix && a.fix != nil && a.fix.zoom {
		// A fix's QR code alone takes the whole terminal, as the QR screen
		// does: the header would cost the rows a phone needs.
		zh := max(h-lipgloss.Height(footer), 1)
		return fit(a.fix.zoomView(w, zh), w, zh) + "\n" + footer
	}
	bh := max(h-lipgloss.Height(header)-lipgloss.Height(footer), 1)
	var body string
	switch a.screen {
	case screenIdentity:
		body = a.identity.View(w, bh)
	case screenChecklist:
		body = a.checklist.View(w, bh)
	case screenStep:
		body = a.step.View(w, bh)
	case screenSummary:
		body = a.summary.View(w, bh)
	case screenDemo:
		body = a.demo.View(w, bh)
	case screenFix:
		if a.fix != nil {
			body = a.fix.View(w, bh)
		}
	}
	return header + "\n" + fit(body, w, bh) + "\n" + footer
}

func (a *App) header() string { return a.c.header(a.screen != screenIdentity) }

func (a *App) flashLine() string {
	if a.flash == "" {
		return ""
	}
	style := a.c.styles.Flash
	if a.flashBad {
		style = a.c.styles.Error
	}
	return wrap(style.Render(a.flash), a.c.width, "", "")
}

func (a *App) footer() string {
	return a.flashLine() + "\n" + helpView(a.help, a.screenHelp(), a.c.width, a.c.showAll)
}

// relTime says how long ago t was, for "last verified".
func relTime(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 10*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds ago", int(d.Seconds()))
	case d < 2*time.Minute:
		return "a minute ago"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}
