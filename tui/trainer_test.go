package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// The demo's trainer keys: sign in as the new administrator, undo the last
// simulated step, start the scenario over.

// trainerConfig wires a demo account's trainer seams as the command line
// does, with attestations in memory and the runs recorded.
func trainerConfig(acct *demo.Account, marks *MemoryAttestations, runs *[]string) Config {
	return Config{
		Account: acct, Writer: acct, Region: acct.Region(), Demo: true,
		Simulate: acct.Simulate, CanSimulate: acct.CanSimulate,
		AdminToSignIn: acct.AdminToSignIn, SignInAsAdmin: acct.SignInAsAdmin,
		CanUndo: acct.CanUndoSimulation,
		UndoSimulation: func() (string, string, error) {
			u, err := acct.UndoSimulation()
			return u.ItemID, u.Note, err
		},
		StartOver: func() error {
			acct.Reset()
			for _, it := range steps.All() {
				_ = marks.Delete(it.ID)
			}
			*runs = append(*runs, "start over")
			return nil
		},
		DemoStory:    "a new account nobody has hardened yet",
		Attestations: marks,
		Now:          func() time.Time { return testNow },
		Items:        steps.All(),
	}
}

type trainerWizard struct {
	*App
	acct  *demo.Account
	marks *MemoryAttestations
	runs  *[]string
}

// trainerApp is the wizard over the demo at w×h, on the checklist.
func trainerApp(t *testing.T, w, h int, edit func(*Config)) trainerWizard {
	t.Helper()
	acct := demo.New(demo.Options{Now: func() time.Time { return testNow }})
	marks, runs := NewMemoryAttestations(), &[]string{}
	cfg := trainerConfig(acct, marks, runs)
	cfg.RecordRun = func(r progress.Run) error { *runs = append(*runs, "run "+r.Score().String()); return nil }
	if edit != nil {
		edit(&cfg)
	}
	a, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	drive(t, a, a.Init())
	send(t, a, "enter")
	return trainerWizard{a, acct, marks, runs}
}

// openItem walks the checklist to an item's step.
func (d trainerWizard) openItem(t *testing.T, id string) {
	t.Helper()
	send(t, d.App, "esc", "g")
	for d.checklist.cursor != id {
		prev := d.checklist.cursor
		send(t, d.App, "down")
		if d.checklist.cursor == prev {
			t.Fatalf("item %q is not in the checklist", id)
		}
	}
	send(t, d.App, "enter")
}

func status(a *App, id string) steps.Status { return a.c.sess.byID[id].status() }

// The demo screen answers through its own Update and says what it asks.
func TestDemoScreenAsksAndAnswers(t *testing.T) {
	c := testCommon(t)
	c.cfg.Demo, c.cfg.DemoScenario, c.cfg.DemoStory = true, "partial", "an account hardened halfway"
	s := newDemoScreen(c)
	s.open(askStartOver, "", screenChecklist)
	v := strings.Join(strings.Fields(ansi.Strip(s.View(80, 19))), " ")
	for _, want := range []string{"Start the demo over?", "where the partial scenario starts: an account hardened halfway.",
		"history, marks and recorded fixes", "y starts over · n/esc keeps going"} {
		if !strings.Contains(v, want) {
			t.Errorf("start over lacks %q:\n%s", want, v)
		}
	}
	for key, yes := range map[string]bool{"y": true, "n": false, "esc": false} {
		if _, cmd := s.Update(keyMsg(key)); intentOf(cmd) != (demoAnsweredMsg{Yes: yes}) {
			t.Errorf("%s answers %#v", key, intentOf(cmd))
		}
	}
	if _, cmd := s.Update(keyMsg("x")); cmd != nil {
		t.Error("another key answers")
	}
	s.open(askSignIn, "jane", screenSummary)
	v = strings.Join(strings.Fields(ansi.Strip(s.View(80, 19))), " ")
	for _, want := range []string{"Sign in as jane?", "https://123456789012.signin.aws.amazon.com/console",
		"from now on it runs as jane, not root", "y signs in as jane · n/esc not now (undo later with z)"} {
		if !strings.Contains(v, want) {
			t.Errorf("sign-in lacks %q:\n%s", want, v)
		}
	}
	if h := ansi.Strip(helpView(help.New(), s.help(), 80, false)); !strings.Contains(h, "y sign in as jane") {
		t.Errorf("help %q", h)
	}
}

// The step, checklist and summary turn the demo keys into their intents,
// only in the demo and only when they can act.
func TestDemoKeysOnTheScreens(t *testing.T) {
	c := testCommon(t)
	undo, admin := "", ""
	c.cfg.Demo = true
	c.cfg.AdminToSignIn = func() (string, bool) { return admin, admin != "" }
	c.cfg.SignInAsAdmin = func(string) error { return nil }
	c.cfg.CanUndo = func() (string, bool) { return undo, undo != "" }
	c.cfg.UndoSimulation = func() (string, string, error) { return undo, "", nil }
	c.cfg.StartOver = func() error { return nil }
	c.sess.byID["root-usage"] = c.sess.byID["root-mfa"] // the test items have no root-usage: borrow a step

	step := func(id string) stepScreen {
		s := newStepScreen(c)
		s.open(id)
		s.sync(80, 19)
		return s
	}
	for _, tc := range []struct {
		key  string
		want intent
	}{{"a", nil}, {"z", nil}, {"N", askDemoMsg{Ask: askStartOver}}} {
		if _, cmd := step("root-mfa").Update(keyMsg(tc.key)); intentOf(cmd) != tc.want {
			t.Errorf("nothing to sign in as or undo: %s asks %#v, want %#v", tc.key, intentOf(cmd), tc.want)
		}
	}
	undo, admin = "root-mfa", "jane"
	if _, cmd := step("root-mfa").Update(keyMsg("a")); intentOf(cmd) != nil {
		t.Errorf("a on a step that does not offer signing in asks %#v", intentOf(cmd))
	}
	s := step("root-usage")
	if _, cmd := s.Update(keyMsg("a")); intentOf(cmd) != (askDemoMsg{Ask: askSignIn}) {
		t.Errorf("a on root-usage asks %#v", intentOf(cmd))
	}
	if _, cmd := s.Update(keyMsg("z")); intentOf(cmd) != (undoSimulationMsg{}) {
		t.Errorf("z asks %#v", intentOf(cmd))
	}
	if !strings.Contains(ansi.Strip(s.View(80, 19)), "DEMO  a signs in as jane: rootguard then runs as jane, not root") {
		t.Errorf("the step does not say how to sign in:\n%s", ansi.Strip(s.View(80, 19)))
	}
	if full := ansi.Strip(helpView(help.New(), s.help(), 200, true)); !strings.Contains(full, "a sign in as jane (demo)") ||
		!strings.Contains(full, "z undo simulation (demo)") || !strings.Contains(full, "N start over (demo)") {
		t.Errorf("full help lacks the demo keys:\n%s", full)
	}

	sum := newSummaryScreen(c)
	sum.sync(80, 19)
	if _, cmd := sum.Update(keyMsg("a")); intentOf(cmd) != (askDemoMsg{Ask: askSignIn}) {
		t.Errorf("a on the summary asks %#v", intentOf(cmd))
	}
	sum.vp.GotoBottom()
	if v := ansi.Strip(sum.View(80, 19)); !strings.Contains(v, "DEMO  a sign in as jane · z undo simulation · N start over") {
		t.Errorf("the summary does not list the demo keys:\n%s", v)
	}

	list := newChecklistScreen(c)
	list.sync(80, 19)
	if _, cmd := list.Update(keyMsg("z")); intentOf(cmd) != (undoSimulationMsg{}) {
		t.Errorf("z on the checklist asks %#v", intentOf(cmd))
	}
	if _, cmd := list.Update(keyMsg("a")); intentOf(cmd) != nil {
		t.Errorf("a on the checklist asks %#v", intentOf(cmd))
	}

	// A dry run changes nothing, demo or not: the keys are off.
	c.cfg.DryRun = true
	for _, k := range []string{"a", "z", "N"} {
		if _, cmd := step("root-usage").Update(keyMsg(k)); intentOf(cmd) != nil {
			t.Errorf("dry run: %s asks %#v", k, intentOf(cmd))
		}
	}
	// A real account has none of them.
	c.cfg.DryRun, c.cfg.Demo = false, false
	for _, k := range []string{"a", "z", "N"} {
		if _, cmd := step("root-usage").Update(keyMsg(k)); intentOf(cmd) != nil {
			t.Errorf("real account: %s asks %#v", k, intentOf(cmd))
		}
	}
}

// Signing in as the new admin: offered once the admin exists, asked first,
// then the wizard runs as the admin and root-usage passes.
func TestDemoSignInAsTheNewAdmin(t *testing.T) {
	d := trainerApp(t, 80, 24, nil)
	d.openItem(t, "admin-identity")
	send(t, d.App, "s")
	if st := status(d.App, "admin-identity"); st != steps.StatusPass {
		t.Fatalf("admin-identity after simulating: %s", st)
	}
	requireSays(t, d.App, "a signs in as admin: rootguard then runs as admin, not root")
	send(t, d.App, "a")
	if d.screen != screenDemo {
		t.Fatalf("a opens screen %v", d.screen)
	}
	requireSays(t, d.App, "Sign in as admin?", "https://acme-sandbox.signin.aws.amazon.com/console")
	send(t, d.App, "n")
	if d.screen != screenStep || d.acct.SignedInAs() != "" {
		t.Fatalf("n: screen %v, caller %q", d.screen, d.acct.SignedInAs())
	}
	send(t, d.App, "a", "y")
	if d.acct.SignedInAs() != "admin" || d.c.sess.identity.IsRoot {
		t.Fatalf("after y the caller is %q (%s)", d.acct.SignedInAs(), d.c.sess.identity.ARN)
	}
	if d.screen != screenStep || d.step.id != "admin-identity" {
		t.Errorf("back on screen %v %q", d.screen, d.step.id)
	}
	requireSays(t, d.App, "user/admin", "Demo: you are admin now, not root. Re-checked 23 items; Stop using the root user for daily work: pass.")
	if strings.Contains(viewText(d.App), "Signed in as root") {
		t.Error("the header still warns about root")
	}
	if st := status(d.App, "root-usage"); st != steps.StatusPass {
		t.Errorf("root-usage as admin: %s", st)
	}
	// Nothing more to sign in as; undo takes the sign-in back.
	if d.step.keys.Demo.SignIn.Enabled() {
		t.Error("a is still offered")
	}
	send(t, d.App, "z")
	requireSays(t, d.App, "Demo: undid the last simulated step (Stop using the root user for daily work: Signed out of root")
	if !d.c.sess.identity.IsRoot || status(d.App, "root-usage") != steps.StatusWarn {
		t.Errorf("after undo: root %v, root-usage %s", d.c.sess.identity.IsRoot, status(d.App, "root-usage"))
	}
}

// The admin fix's result leads to signing in: the step says how.
func TestDemoAdminFixEndsWithTheSignInHint(t *testing.T) {
	d := trainerApp(t, 120, 40, nil)
	d.openItem(t, steps.FixAdminIdentity)
	send(t, d.App, "x")
	typeText(t, d.App, "")
	send(t, d.App, "enter") // the default name: admin
	send(t, d.App, "y")
	if d.fix == nil || d.fix.phase != phaseStageShow {
		t.Fatalf("the fix is not at the QR stage: %+v", d.fix)
	}
	seed := strings.ReplaceAll(secretOnScreen(t, viewText(d.App)), " ", "")
	prev, cur, err := demo.CurrentCodes(seed, testNow)
	if err != nil {
		t.Fatal(err)
	}
	send(t, d.App, "enter")
	typeText(t, d.App, prev)
	send(t, d.App, "enter")
	typeText(t, d.App, cur)
	send(t, d.App, "enter")
	requireSays(t, d.App, "admin is ready")
	send(t, d.App, "G")
	requireSays(t, d.App, "DEMO Back on the step, a signs in as admin: rootguard then runs as admin, not root, and “Stop using the root user for daily work” can turn green.")
	send(t, d.App, "enter")
	requireSays(t, d.App, "Demo: admin is ready. Press a to sign in as admin: rootguard then runs as admin, not root.")
}

// A fix that leaves its item waiting for a console step says that s acts
// it out in the demo (the root alert's email confirmation).
func TestDemoFixResultPointsToTheSimulation(t *testing.T) {
	d := trainerApp(t, 120, 40, nil)
	d.openItem(t, "root-activity-alert")
	send(t, d.App, "x")
	typeText(t, d.App, "security@acme.example")
	send(t, d.App, "enter", "enter", "y", "G")
	requireSays(t, d.App, "DEMO Back on the step, s simulates the rest in the console (such as clicking the link in that email).")
	send(t, d.App, "enter", "s")
	if st := status(d.App, "root-activity-alert"); st != steps.StatusPass {
		t.Errorf("after simulating the confirmation: %s", st)
	}
}

// secretOnScreen reads the MFA secret the stage shows, in groups of four.
func secretOnScreen(t *testing.T, view string) string {
	t.Helper()
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Or type this secret") && i+1 < len(lines) {
			for _, next := range lines[i+1:] {
				if s := strings.TrimSpace(strings.Trim(next, "│ ")); s != "" {
					return s
				}
			}
		}
	}
	t.Fatalf("no secret on screen:\n%s", view)
	return ""
}

// Undo takes the last simulated step back and says which it was.
func TestDemoUndoTheLastSimulation(t *testing.T) {
	d := trainerApp(t, 80, 24, nil)
	d.openItem(t, "root-mfa")
	send(t, d.App, "z")
	if status(d.App, "root-mfa") != steps.StatusFail {
		t.Fatal("z with nothing simulated changed root-mfa")
	}
	send(t, d.App, "s")
	if status(d.App, "root-mfa") != steps.StatusPass {
		t.Fatalf("root-mfa after s: %s", status(d.App, "root-mfa"))
	}
	send(t, d.App, "z")
	requireSays(t, d.App, "Demo: undid the last simulated step (Turn on MFA for the root user: Signed in as root and registered a passkey")
	if status(d.App, "root-mfa") != steps.StatusFail {
		t.Errorf("root-mfa after undo: %s", status(d.App, "root-mfa"))
	}
	if _, ok := d.acct.CanUndoSimulation(); ok {
		t.Error("something is left to undo")
	}
}

// Start over asks first; yes puts the account and the session back at the
// start, without leaving the program.
func TestDemoStartOver(t *testing.T) {
	d := trainerApp(t, 80, 24, nil)
	d.openItem(t, "root-mfa")
	send(t, d.App, "s")
	d.openItem(t, "root-password")
	send(t, d.App, "m", "enter")
	if status(d.App, "root-password") != steps.StatusAttested || status(d.App, "root-mfa") != steps.StatusPass {
		t.Fatal("the session did not change")
	}
	send(t, d.App, "N")
	if d.screen != screenDemo {
		t.Fatalf("N opens screen %v", d.screen)
	}
	send(t, d.App, "esc")
	if d.screen != screenStep || status(d.App, "root-mfa") != steps.StatusPass {
		t.Fatal("esc started over")
	}
	send(t, d.App, "N", "y")
	if d.screen != screenIdentity {
		t.Fatalf("after starting over: screen %v, want the first screen", d.screen)
	}
	requireSays(t, d.App, "Demo: started over.")
	if status(d.App, "root-mfa") != steps.StatusFail || status(d.App, "root-password") != steps.StatusManual {
		t.Errorf("after starting over: root-mfa %s, root-password %s", status(d.App, "root-mfa"), status(d.App, "root-password"))
	}
	if d.c.sess.byID["root-mfa"].fixedThisSession() || d.c.sess.start == nil {
		t.Error("the session did not start again")
	}
	if got := strings.Join(*d.runs, "; "); got != "run 19%; start over; run 19%" {
		t.Errorf("runs: %s", got)
	}
}

// Goldens of the demo's questions at 80x24.
func TestDemoQuestionsGolden(t *testing.T) {
	t.Run("start-over", func(t *testing.T) {
		d := trainerApp(t, 80, 24, func(c *Config) { c.DemoScenario = "partial"; c.DemoStory = "an account hardened halfway, with traps" })
		send(t, d.App, "N")
		golden.RequireEqual(t, viewText(d.App))
	})
	t.Run("sign-in", func(t *testing.T) {
		d := trainerApp(t, 80, 24, nil)
		d.openItem(t, "admin-identity")
		send(t, d.App, "s", "a")
		golden.RequireEqual(t, viewText(d.App))
	})
}

// A result still in flight when a sign-in or undo re-reads the caller is
// not the end of the new pass: the flash waits for the pass's own verdicts.
func TestDemoRereadIgnoresResultsFromBefore(t *testing.T) {
	d := trainerApp(t, 80, 24, nil)
	d.openItem(t, "root-mfa")
	send(t, d.App, "s")
	s := d.c.sess.byID["root-mfa"]
	stale := checkDoneMsg{ID: "root-mfa", Gen: s.gen, Result: s.result}
	s.pending = true // the simulation's re-check, not back yet
	d.rereadAll("Demo: undid it. ", "root-mfa")
	d.gotResult(stale)
	if strings.Contains(d.flash, "Re-checked") {
		t.Fatalf("the flash reports the pass before it began: %q", d.flash)
	}
	if !d.recheck.all {
		t.Fatal("the pass's note was dropped by a result from before")
	}
}
