package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/steps"
)

// The demo's trainer keys (DemoKeys): sign in as the new administrator,
// undo the last simulated step, start the scenario over. The two that
// change the story a lot ask first, on the demo screen; undo says what it
// took back. The demo account does the work, through Config's seams, in
// commands; the App re-reads who is calling and re-checks everything.

// demoAsk is the question the demo screen asks.
type demoAsk int

const (
	askStartOver demoAsk = iota
	askSignIn
)

// demoScreen asks before the demo starts over or signs in as the new
// administrator.
type demoScreen struct {
	c    *common
	keys DemoConfirmKeys
	ask  demoAsk
	name string   // the administrator to sign in as (askSignIn)
	back screenID // where the answer returns to
}

func newDemoScreen(c *common) demoScreen {
	return demoScreen{c: c, keys: c.keys.DemoConfirm}
}

// open asks a question; back is the screen to return to.
func (s *demoScreen) open(ask demoAsk, name string, back screenID) {
	s.ask, s.name, s.back = ask, name, back
}

func (s *demoScreen) sync(w, h int) {}

func (s demoScreen) Update(msg tea.Msg) (demoScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Yes):
		return s, do(demoAnsweredMsg{Yes: true})
	case key.Matches(k, s.keys.No):
		return s, do(demoAnsweredMsg{})
	}
	return s, nil
}

func (s demoScreen) help() helpKeys {
	yes, no := s.keys.Yes, s.keys.No
	switch s.ask {
	case askStartOver:
		yes.SetHelp(keyName(yes), "start over")
		no.SetHelp(keyName(no), "keep going")
	case askSignIn:
		yes.SetHelp(keyName(yes), "sign in as "+s.name)
		no.SetHelp(keyName(no), "not now")
	}
	short := []key.Binding{yes, no}
	return helpKeys{short: short, full: [][]key.Binding{short, {s.c.keys.Global.Interrupt}}}
}

func (s demoScreen) View(w, h int) string {
	c := s.c
	st := c.styles
	w = contentWidth(w)
	para := func(text string) string { return wrap(st.Text.Render(text), w, "", "") }
	badge := st.DemoBadge.Render(" DEMO ") + " "
	var b []string
	switch s.ask {
	case askStartOver:
		story := c.cfg.DemoStory
		if story == "" {
			story = "its starting state"
		}
		scenario := "this scenario"
		if c.cfg.DemoScenario != "" {
			scenario = "the " + c.cfg.DemoScenario + " scenario"
		}
		b = append(b, badge+st.Title.Render("Start the demo over?"), "",
			para("The demo account goes back to where "+scenario+" starts: "+story+"."), "",
			para("This scenario's saved progress is forgotten too: its history, marks and recorded fixes. Other scenarios keep theirs, and rootguard keeps running."),
			"", wrap(st.Dim.Render(fmt.Sprintf("%s starts over · %s keeps going", keyName(s.keys.Yes), keyName(s.keys.No))), w, "", ""))
	case askSignIn:
		url := "the account's sign-in page"
		if id := c.sess.identity; id != nil {
			url = steps.SignInURL(*id)
		}
		usage := "Stop using the root user"
		if it := c.sess.byID["root-usage"]; it != nil {
			usage = it.item.Title
		}
		b = append(b, badge+st.Title.Render("Sign in as "+s.name+"?"), "",
			para("In a real account you would now sign out of root, sign in as "+s.name+" at"),
			"  "+st.Link.Render(url),
			para("with the one-time password and a code from the authenticator app (AWS asks for a new password), open CloudShell and run rootguard there."),
			"",
			para("In the demo, rootguard does that for you: from now on it runs as "+s.name+", not root. "+
				"\u201c"+usage+"\u201d turns green when root has not been used since "+s.name+" was created. "+
				"An administrator cannot see root's own MFA devices, so rootguard asks you to confirm their strength."),
			"", wrap(st.Dim.Render(fmt.Sprintf("%s signs in as %s · %s not now (undo later with %s)", keyName(s.keys.Yes), s.name, keyName(s.keys.No),
				keyName(c.keys.Step.Demo.Undo))), w, "", ""))
	}
	return strings.Join(b, "\n")
}

// setDemoKeys enables the demo keys that can act now. signIn: the screen
// offers signing in (the summary, and the admin and root-usage steps);
// prompt: a text prompt owns the keys.
func (c *common) setDemoKeys(k *DemoKeys, signIn, prompt bool) {
	name, ok := c.cfg.adminToSignIn()
	k.SignIn.SetEnabled(!prompt && signIn && ok && c.sess.identity != nil)
	if ok {
		k.SignIn.SetHelp(keyName(k.SignIn), "sign in as "+name+" (demo)")
	}
	_, undo := c.cfg.canUndo()
	k.Undo.SetEnabled(!prompt && undo)
	k.StartOver.SetEnabled(!prompt && c.cfg.canStartOver())
}

// demoKey turns a demo key into its intent; ok is false for other keys.
func demoKey(k tea.KeyPressMsg, keys DemoKeys) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, keys.SignIn):
		return do(askDemoMsg{Ask: askSignIn}), true
	case key.Matches(k, keys.Undo):
		return do(undoSimulationMsg{}), true
	case key.Matches(k, keys.StartOver):
		return do(askDemoMsg{Ask: askStartOver}), true
	}
	return nil, false
}

// demoKeysLine names the demo keys that act now, for the summary ("" when
// none does).
func (c *common) demoKeysLine(k DemoKeys) string {
	var parts []string
	for _, b := range []key.Binding{k.SignIn, k.Undo, k.StartOver} {
		if b.Enabled() {
			parts = append(parts, c.styles.Key.Render(keyName(b))+" "+c.styles.Text.Render(strings.TrimSuffix(b.Help().Desc, " (demo)")))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return c.styles.DemoBadge.Render(" DEMO ") + " " + strings.Join(parts, c.styles.Dim.Render(" · "))
}

// Intents and results of the demo keys.
type (
	// askDemoMsg opens the demo screen's question.
	askDemoMsg struct{ Ask demoAsk }
	// demoAnsweredMsg is the answer to it.
	demoAnsweredMsg struct{ Yes bool }
	// undoSimulationMsg undoes the last simulated step.
	undoSimulationMsg struct{}
)

func (askDemoMsg) intent()        {}
func (demoAnsweredMsg) intent()   {}
func (undoSimulationMsg) intent() {}

type (
	signedInMsg struct {
		Name string
		Err  error
	}
	undoneMsg struct {
		ItemID, Note string
		Err          error
	}
	startedOverMsg struct{ Err error }
)

func signInCmd(signIn func(string) error, name string) tea.Cmd {
	return func() tea.Msg { return signedInMsg{Name: name, Err: signIn(name)} }
}

func undoCmd(undo func() (string, string, error)) tea.Cmd {
	return func() tea.Msg {
		id, note, err := undo()
		return undoneMsg{ItemID: id, Note: note, Err: err}
	}
}

func startOverCmd(startOver func() error) tea.Cmd {
	return func() tea.Msg { return startedOverMsg{Err: startOver()} }
}

// askDemo opens the demo screen's question, when it can be asked now.
func (a *App) askDemo(ask demoAsk) tea.Cmd {
	name := ""
	switch ask {
	case askSignIn:
		n, ok := a.c.cfg.adminToSignIn()
		if !ok {
			return flash("There is no administrator to sign in as yet: create one first (admin-identity).")
		}
		name = n
	case askStartOver:
		if !a.c.cfg.canStartOver() {
			return nil
		}
	}
	a.demo.open(ask, name, a.screen)
	a.screen = screenDemo
	return nil
}

// demoAnswered acts on the demo screen's answer.
func (a *App) demoAnswered(yes bool) tea.Cmd {
	a.screen = a.demo.back
	if !yes {
		a.setFlash("Nothing changed.", false)
		return nil
	}
	switch a.demo.ask {
	case askSignIn:
		a.setFlash("Demo: signing out of root and in as "+a.demo.name+"…", false)
		return tea.Batch(signInCmd(a.c.cfg.SignInAsAdmin, a.demo.name), a.startSpinner())
	case askStartOver:
		a.setFlash("Demo: starting over…", false)
		return tea.Batch(startOverCmd(a.c.cfg.StartOver), a.startSpinner())
	}
	return nil
}

// rereadAll reads who is calling again, then re-checks every item; the
// flash starts with prefix when the pass is done and names focus's verdict.
func (a *App) rereadAll(prefix, focus string) tea.Cmd {
	a.recheck = recheckNote{all: true, prefix: prefix, focus: focus, identity: true}
	a.identityGen++
	return tea.Batch(identityCmd(a.c.ctx, a.c.cfg.Account, a.c.cfg.CheckTimeout, a.identityGen), a.startSpinner())
}

// demoResult acts on what a demo seam did.
func (a *App) demoResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case signedInMsg:
		if msg.Err != nil {
			a.setFlash("Demo: could not sign in as "+msg.Name+": "+msg.Err.Error(), true)
			return nil
		}
		a.setFlash("Demo: signed in as "+msg.Name+". Re-checking everything as "+msg.Name+"…", false)
		return a.rereadAll("Demo: you are "+msg.Name+" now, not root. ", "root-usage")
	case undoneMsg:
		if msg.Err != nil {
			a.setFlash("Demo: nothing undone: "+msg.Err.Error(), true)
			return nil
		}
		what := msg.ItemID
		if s := a.c.sess.byID[msg.ItemID]; s != nil {
			what = s.item.Title
		}
		done := "Demo: undid the last simulated step (" + what + ": " + strings.TrimSuffix(msg.Note, ".") + "). "
		a.setFlash(done+"Re-checking…", false)
		return a.rereadAll(done, msg.ItemID)
	case startedOverMsg:
		if msg.Err != nil {
			a.setFlash("Demo: could not start over: "+msg.Err.Error(), true)
			return nil
		}
		a.startOver()
		a.setFlash("Demo: started over. The account is back at the start and this scenario's progress is forgotten.", false)
		a.identityGen++
		return tea.Batch(identityCmd(a.c.ctx, a.c.cfg.Account, a.c.cfg.CheckTimeout, a.identityGen), a.startSpinner())
	}
	return nil
}

// startOver forgets the session, as a new start of the wizard would: a
// fresh session (its generations go on, so results still in flight are
// dropped), no previous run, the first screen.
func (a *App) startOver() {
	old := a.c.sess
	sess := newSession(a.c.cfg.Items)
	for _, s := range sess.items {
		if o := old.byID[s.item.ID]; o != nil {
			s.gen = o.gen + 1
		}
	}
	a.c.sess = sess
	a.c.cfg.Since = nil
	a.lastOpen, a.recheck = 0, recheckNote{}
	a.checklist = newChecklistScreen(a.c)
	a.screen = screenIdentity
}
