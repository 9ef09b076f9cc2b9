package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// screen is what the body of the window shows. New screens (fix forms,
// previews) are added here and routed in Update and render.
type screen int

const (
	screenIdentity screen = iota
	screenChecklist
	screenStep
	screenQR
	screenSummary
	screenFix // a fix flow: form, preview, apply, result (fix.go)
)

// Smallest terminal the layout works in.
const (
	minWidth  = 60
	minHeight = 16
)

// itemState is one checklist item during the session.
type itemState struct {
	item     steps.Item
	result   steps.Result
	has      bool // a verdict has arrived
	pending  bool // a check is in flight
	checking bool // ...and its spinner shows
	gen      int  // results of older generations are dropped
	plan     plan
	first    steps.Status // the first verdict of the session
}

func (s *itemState) status() steps.Status {
	if s.checking || !s.has {
		return steps.StatusChecking
	}
	return s.result.Status
}

// open reports whether the item needs the user's attention.
func (s *itemState) open() bool { return !s.checking && s.has && s.result.Status.Open() }

// visible: organization-only items show once a check says they apply.
func (s *itemState) visible() bool {
	return !s.item.OrgOnly || (s.has && s.result.Status != steps.StatusNA)
}

// fixedToday: open at the first check of the session, closed now.
func (s *itemState) fixedToday() bool {
	return s.has && s.first.Open() && !s.result.Status.Open()
}

// recheckNote is a re-check in flight that the flash talks about: every
// item (all) or one item (id), after a demo simulation (simulated).
type recheckNote struct {
	all       bool
	id        string
	simulated bool
}

// App is the wizard: the only tea.Model.
type App struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc

	keys     KeyMap
	styles   Styles
	profile  colorprofile.Profile
	width    int
	height   int
	help     help.Model
	spinner  spinner.Model
	spinning bool

	screen screen

	identity    *awsops.Identity
	identityErr error
	identityGen int

	items     []*itemState
	byID      map[string]*itemState
	cursor    string // selected item in the checklist
	offset    int    // first list line shown
	stepID    string // item of the step and QR screens
	stepVP    viewport.Model
	summaryVP viewport.Model
	lastOpen  int // open items when nothing was last in flight

	flash    string
	flashBad bool
	// recheck is the re-check the flash reports on; when it finishes the
	// flash says how it went.
	recheck  recheckNote
	quitting bool

	fix    *fixFlow // the open fix flow, if any
	fixGen int      // bumped per flow, so a closed flow's messages are dropped

	since sinceState // changes since the previous saved run
}

// New builds the wizard. Work it starts is cancelled when ctx is, or on quit.
func New(ctx context.Context, cfg Config) (*App, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	a := &App{
		cfg: cfg, ctx: ctx, cancel: cancel,
		keys:    DefaultKeyMap(),
		profile: colorprofile.TrueColor,
		width:   80, height: 24,
		help:      help.New(),
		spinner:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		byID:      map[string]*itemState{},
		stepVP:    viewport.New(),
		summaryVP: viewport.New(),
	}
	for _, it := range cfg.Items {
		s := &itemState{item: it}
		a.items = append(a.items, s)
		a.byID[it.ID] = s
	}
	a.cursor = a.items[0].item.ID
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
// closes.
type Final struct {
	Account string      // "" when the caller was never read
	Checked bool        // every item had a verdict
	Score   steps.Score // over the items shown, as on the summary
	Open    int         // items shown that still need attention
}

// Final reports where the session is now.
func (a *App) Final() Final {
	var f Final
	if a.identity == nil {
		return f
	}
	f.Account, f.Checked = a.identity.Account, true
	var statuses []steps.Status
	for _, s := range a.visibleItems() {
		if !s.has {
			f.Checked = false
			continue
		}
		statuses = append(statuses, s.result.Status)
		if s.result.Status.Open() {
			f.Open++
		}
	}
	f.Score = steps.ScoreOf(statuses)
	return f
}

func (a *App) Init() tea.Cmd {
	a.identityGen++
	return tea.Batch(
		tea.RequestBackgroundColor,
		identityCmd(a.ctx, a.cfg.Account, a.cfg.CheckTimeout, a.identityGen),
		a.startSpinner(),
	)
}

func (a *App) setDark(isDark bool) {
	a.styles = DefaultStyles(isDark)
	a.help.Styles = a.styles.Help
	a.spinner.Style = a.styles.Status[steps.StatusChecking]
}

func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.update(msg)
	a.syncViews()
	return a, cmd
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
	case tea.BackgroundColorMsg:
		a.setDark(msg.IsDark())
	case tea.ColorProfileMsg:
		a.profile = msg.Profile
	case tea.KeyPressMsg:
		return a.handleKey(msg)
	case spinner.TickMsg:
		if !a.loading() {
			a.spinning = false
			return nil
		}
		var cmd tea.Cmd
		a.spinner, cmd = a.spinner.Update(msg)
		return cmd
	case identityMsg:
		return a.gotIdentity(msg)
	case checkDoneMsg:
		return a.gotResult(msg)
	case simulateDoneMsg:
		if msg.Err != nil {
			if s := a.byID[msg.ID]; s != nil {
				s.checking = s.pending
			}
			a.setFlash("Demo: could not simulate this step: "+msg.Err.Error(), true)
			return nil
		}
		a.setFlash("Demo: simulated doing this in the console. Re-checking the account…", false)
		a.recheck = recheckNote{id: msg.ID, simulated: true}
		return a.checkAll(func(id string) bool { return id == msg.ID })
	case attestDoneMsg:
		if msg.Err != nil {
			a.setFlash("Could not save that: "+msg.Err.Error(), true)
			return nil
		}
		if msg.Marked {
			a.setFlash("Marked done on "+a.cfg.Now().Format("2 Jan 2006")+". Press u to undo.", false)
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
			a.setFlash("Could not open a browser ("+msg.Err.Error()+"): press c to copy the link or Q for a QR code.", true)
		} else {
			a.setFlash("Opened the console link in your browser.", false)
		}
	case fixLoadedMsg:
		return a.gotFixLoaded(msg)
	case fixAppliedMsg:
		return a.gotFixApplied(msg)
	default:
		return a.fixMsg(msg) // the open form's own messages
	}
	return nil
}

func (a *App) gotIdentity(msg identityMsg) tea.Cmd {
	if msg.Gen != a.identityGen {
		return nil
	}
	if msg.Err != nil {
		a.identityErr = msg.Err
		return nil
	}
	id := msg.Identity
	a.identity, a.identityErr = &id, nil
	return a.checkAll(func(string) bool { return true })
}

func (a *App) gotResult(msg checkDoneMsg) tea.Cmd {
	s := a.byID[msg.ID]
	if s == nil || msg.Gen != s.gen {
		return nil // stale: a newer check of this item is in flight or done
	}
	s.result, s.plan, s.has = msg.Result, msg.Plan, true
	s.pending, s.checking = false, false
	if s.first == "" {
		s.first = msg.Result.Status
	}
	if n := a.recheck; n.id == msg.ID {
		a.recheck = recheckNote{}
		a.setFlash(rechecked(s, n.simulated), false)
	}
	if a.inFlight() {
		return nil
	}
	if a.recheck.all {
		a.recheck = recheckNote{}
		a.setFlash(fmt.Sprintf("Re-checked %d items.", len(a.visibleItems())), false)
	}
	open := a.openCount()
	if a.lastOpen > 0 && open == 0 && (a.screen == screenChecklist || a.screen == screenStep) {
		a.screen = screenSummary
		a.summaryVP.GotoTop()
		a.setFlash("Nothing is left open: here is your summary.", false)
	}
	a.lastOpen = open
	return a.passDone()
}

// facts starts a pass with fresh reads.
func (a *App) facts() *steps.Facts {
	return steps.NewFacts(a.cfg.Account, steps.FactsOptions{
		Identity:     a.identity,
		Now:          a.cfg.Now,
		Attestations: a.cfg.Attestations.Get,
	})
}

// checkAll re-checks every item in one shared pass; spin says which items
// show a spinner meanwhile (the others keep their verdict until replaced).
func (a *App) checkAll(spin func(id string) bool) tea.Cmd {
	f := a.facts()
	cmds := make([]tea.Cmd, 0, len(a.items)+1)
	for _, s := range a.items {
		s.gen++
		s.pending = true
		s.checking = spin(s.item.ID) || !s.has
		cmds = append(cmds, checkCmd(a.ctx, f, s.item, s.gen, a.cfg.CheckTimeout))
	}
	cmds = append(cmds, a.startSpinner())
	return tea.Batch(cmds...)
}

// recheckItem re-checks one item at the user's request; the flash says
// the new verdict when it is back.
func (a *App) recheckItem(id string) tea.Cmd {
	if a.byID[id] == nil || a.identity == nil {
		return nil
	}
	a.setFlash("Re-checking…", false)
	a.recheck = recheckNote{id: id}
	return a.recheckLive(id)
}

// recheckLive checks one item live with fresh reads.
func (a *App) recheckLive(id string) tea.Cmd {
	s := a.byID[id]
	if s == nil || a.identity == nil {
		return nil
	}
	s.gen++
	s.pending, s.checking = true, true
	return tea.Batch(checkCmd(a.ctx, a.facts(), s.item, s.gen, a.cfg.CheckTimeout), a.startSpinner())
}

func (a *App) startSpinner() tea.Cmd {
	if a.spinning {
		return nil
	}
	a.spinning = true
	return a.spinner.Tick
}

func (a *App) loading() bool {
	return (a.identity == nil && a.identityErr == nil) || a.anyChecking() || a.fixBusy()
}

func (a *App) anyChecking() bool {
	for _, s := range a.items {
		if s.checking {
			return true
		}
	}
	return false
}

func (a *App) inFlight() bool {
	for _, s := range a.items {
		if s.pending {
			return true
		}
	}
	return false
}

func (a *App) openCount() int {
	n := 0
	for _, s := range a.items {
		if s.visible() && s.open() {
			n++
		}
	}
	return n
}

// visibleItems is the checklist as shown, in order.
func (a *App) visibleItems() []*itemState {
	out := make([]*itemState, 0, len(a.items))
	for _, s := range a.items {
		if s.visible() {
			out = append(out, s)
		}
	}
	return out
}

func indexOf(list []*itemState, id string) int {
	for i, s := range list {
		if s.item.ID == id {
			return i
		}
	}
	return -1
}

// nextOpen is the first open item after id, wrapping around; "" if none.
func (a *App) nextOpen(id string, includeSelf bool) string {
	list := a.visibleItems()
	start := indexOf(list, id)
	for n := 1; n <= len(list); n++ {
		i := (start + n) % len(list)
		if start < 0 {
			i = n - 1
		}
		if list[i].item.ID == id && !includeSelf {
			continue
		}
		if list[i].open() {
			return list[i].item.ID
		}
	}
	return ""
}

// mostImportantOpen is the open item of highest severity, first in order.
func (a *App) mostImportantOpen() string {
	best := ""
	rank := len(severityRank)
	for _, s := range a.visibleItems() {
		if r, ok := severityRank[s.item.Severity]; ok && s.open() && r < rank {
			best, rank = s.item.ID, r
		}
	}
	return best
}

func (a *App) setFlash(s string, bad bool) { a.flash, a.flashBad = s, bad }

func (a *App) quit(interrupt bool) tea.Cmd {
	a.cancel() // in-flight reads stop
	a.quitting = true
	if interrupt {
		return tea.Interrupt
	}
	return tea.Quit
}

// canSimulate reports whether s simulates the item's console step: a demo
// console step, outside a dry run.
func (a *App) canSimulate(id string) bool { return a.cfg.canSimulate(id) && !a.cfg.DryRun }

func (a *App) tooSmall() bool { return a.width < minWidth || a.height < minHeight }

func (a *App) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, a.keys.Interrupt) {
		return a.quit(true)
	}
	a.flash = ""
	if a.tooSmall() {
		if key.Matches(k, a.keys.Quit) {
			return a.quit(false)
		}
		return nil
	}
	if key.Matches(k, a.keys.Help) && !a.formOpen() {
		a.help.ShowAll = !a.help.ShowAll
		return nil
	}
	switch a.screen {
	case screenIdentity:
		return a.identityKey(k)
	case screenChecklist:
		return a.checklistKey(k)
	case screenStep:
		return a.stepKey(k)
	case screenQR:
		if key.Matches(k, a.keys.Back, a.keys.QR, a.keys.Quit) {
			a.screen = screenStep
		}
	case screenSummary:
		return a.summaryKey(k)
	case screenFix:
		return a.fixKey(k)
	}
	return nil
}

func (a *App) identityKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, a.keys.Quit):
		return a.quit(false)
	case key.Matches(k, a.keys.Recheck) && a.identityErr != nil:
		a.identityErr = nil
		a.identityGen++
		return tea.Batch(identityCmd(a.ctx, a.cfg.Account, a.cfg.CheckTimeout, a.identityGen), a.startSpinner())
	case key.Matches(k, a.keys.Continue) && a.identity != nil:
		a.screen = screenChecklist
	}
	return nil
}

func (a *App) checklistKey(k tea.KeyPressMsg) tea.Cmd {
	list := a.visibleItems()
	i := max(indexOf(list, a.cursor), 0)
	move := func(to int) { a.cursor = list[min(max(to, 0), len(list)-1)].item.ID }
	page := max(a.listHeight()-2, 1)
	switch {
	case key.Matches(k, a.keys.Quit):
		return a.quit(false)
	case key.Matches(k, a.keys.Up):
		move(i - 1)
	case key.Matches(k, a.keys.Down):
		move(i + 1)
	case key.Matches(k, a.keys.PageUp):
		move(i - page)
	case key.Matches(k, a.keys.PageDown):
		move(i + page)
	case key.Matches(k, a.keys.Top):
		move(0)
	case key.Matches(k, a.keys.Bottom):
		move(len(list) - 1)
	case key.Matches(k, a.keys.Open):
		a.openStep(list[i].item.ID)
	case key.Matches(k, a.keys.NextOpen):
		if id := a.nextOpen(a.cursor, false); id != "" {
			a.cursor = id
		} else if list[i].open() {
			a.setFlash("This is the only item left to do.", false)
		} else {
			a.setFlash("Nothing needs attention. Press f for the summary.", false)
		}
	case key.Matches(k, a.keys.Recheck):
		return a.recheckItem(a.cursor)
	case key.Matches(k, a.keys.RecheckAll):
		return a.recheckAll()
	case key.Matches(k, a.keys.Summary):
		a.openSummary()
	}
	return nil
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

func (a *App) recheckAll() tea.Cmd {
	if a.identity == nil {
		return nil
	}
	a.setFlash("Re-checking everything…", false)
	a.recheck = recheckNote{all: true}
	return a.checkAll(func(string) bool { return true })
}

func (a *App) openStep(id string) {
	a.stepID, a.cursor = id, id
	a.screen = screenStep
	a.syncViews()
	a.stepVP.GotoTop()
}

func (a *App) openSummary() {
	a.screen = screenSummary
	a.syncViews()
	a.summaryVP.GotoTop()
}

func (a *App) stepKey(k tea.KeyPressMsg) tea.Cmd {
	s := a.byID[a.stepID]
	it := s.item
	list := a.visibleItems()
	i := indexOf(list, it.ID)
	switch {
	case key.Matches(k, a.keys.Back, a.keys.Quit):
		a.screen = screenChecklist
	case a.scroll(&a.stepVP, k):
	case key.Matches(k, a.keys.NextOpen):
		if id := a.nextOpen(it.ID, false); id != "" {
			a.openStep(id)
		} else {
			a.openSummary()
			a.setFlash("Nothing else needs attention.", false)
		}
	case key.Matches(k, a.keys.NextItem):
		if i+1 < len(list) {
			a.openStep(list[i+1].item.ID)
		} else {
			a.openSummary()
		}
	case key.Matches(k, a.keys.PrevItem):
		if i > 0 {
			a.openStep(list[i-1].item.ID)
		}
	case key.Matches(k, a.keys.Recheck):
		return a.recheckItem(it.ID)
	case key.Matches(k, a.keys.RecheckAll):
		return a.recheckAll()
	case key.Matches(k, a.keys.Summary):
		a.openSummary()
	case key.Matches(k, a.keys.Attest):
		if it.Kind != steps.KindAttest {
			a.setFlash("This item is verified live: press r to re-check it after you make the change.", false)
			return nil
		}
		return attestCmd(a.cfg.Attestations, steps.Attestation{ItemID: it.ID, At: a.cfg.Now()})
	case key.Matches(k, a.keys.Unattest):
		if it.Kind != steps.KindAttest || s.result.Status != steps.StatusAttested {
			a.setFlash("There is no mark to undo here.", false)
			return nil
		}
		return unattestCmd(a.cfg.Attestations, it.ID)
	case key.Matches(k, a.keys.Copy):
		if it.ConsoleURL == "" {
			a.setFlash("This item has no console link.", false)
			return nil
		}
		a.setFlash("Sent the link to your clipboard; if it didn't arrive, select it above.", false)
		return tea.SetClipboard(it.ConsoleURL)
	case key.Matches(k, a.keys.Browser):
		if it.ConsoleURL == "" {
			a.setFlash("This item has no console link.", false)
			return nil
		}
		if a.cfg.OpenURL == nil {
			a.setFlash("No browser can be opened from this terminal: press c to copy the link or Q for a QR code.", false)
			return nil
		}
		return openCmd(a.cfg.OpenURL, it.ConsoleURL)
	case key.Matches(k, a.keys.QR):
		if it.ConsoleURL == "" {
			a.setFlash("This item has no console link.", false)
			return nil
		}
		a.screen = screenQR
	case key.Matches(k, a.keys.Fix) && it.Kind == steps.KindAuto:
		return a.startFix(it.ID)
	case key.Matches(k, a.keys.Simulate):
		if a.cfg.DryRun && a.cfg.canSimulate(it.ID) {
			a.setFlash("Dry run: s is off, because simulating changes the demo account. Run without --dry-run to try it.", false)
			return nil
		}
		if !a.cfg.canSimulate(it.ID) {
			if a.cfg.Demo {
				a.setFlash("Nothing to simulate for this item.", false)
			}
			return nil
		}
		s.checking = true
		return tea.Batch(simulateCmd(a.cfg.Simulate, it.ID), a.startSpinner())
	}
	return nil
}

func (a *App) summaryKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, a.keys.Quit):
		return a.quit(false)
	case key.Matches(k, a.keys.Back, a.keys.Continue):
		a.screen = screenChecklist
	case key.Matches(k, a.keys.NextOpen):
		if id := a.mostImportantOpen(); id != "" {
			a.openStep(id)
		}
	case a.scroll(&a.summaryVP, k):
	case key.Matches(k, a.keys.RecheckAll):
		return a.recheckAll()
	}
	return nil
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
