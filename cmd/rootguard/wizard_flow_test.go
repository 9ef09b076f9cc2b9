package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/tui"
)

// The trainer's story, end to end: `rootguard --demo` (the new scenario,
// no latency) from the first screen to 100 % with the wizard's keys only —
// simulations, marks with and without a note, fix forms typed into, the
// admin fix with two real TOTP codes of the secret on the screen, the
// email confirmation simulated, signing in as the new admin — wired as
// runWizard wires it, then `rootguard history --demo` over the same state
// directory shows where the session began and where it ended.

// flowClock is a clock the test moves on; the demo checks TOTP codes at it.
type flowClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *flowClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *flowClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// viewTap is the wizard with its last view kept, ANSI stripped, so the test
// reads the screen as the user sees it (never the raw terminal bytes).
type viewTap struct {
	tea.Model
	mu   sync.Mutex
	last string
}

func (v *viewTap) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := v.Model.Update(msg)
	v.Model = m
	return v, cmd
}

func (v *viewTap) View() tea.View {
	view := v.Model.View()
	v.mu.Lock()
	v.last = ansi.Strip(view.Content)
	v.mu.Unlock()
	return view
}

func (v *viewTap) screen() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

// base32Run is the MFA secret as the stage shows it: groups of four.
var base32Run = regexp.MustCompile(`[A-Z2-7]{4}( [A-Z2-7]{1,4})+`)

func TestWizardFlowNewScenarioToOneHundredPercent(t *testing.T) {
	clock := &flowClock{now: time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC)}
	dir := t.TempDir()
	var errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut, OutIsTerminal: true,
		Env: func(string) string { return "" }}
	d := deps{now: clock.Now, stateDir: func() (string, error) { return dir, nil },
		connect: func(_ context.Context, af accountFlags) (awsops.Account, error) {
			return demo.New(demo.Options{Now: clock.Now, Scenario: af.Scenario}), nil // no latency
		}}
	var o wizardOptions
	o.account.Demo, o.account.Scenario = true, demo.DefaultScenario
	w, err := prepareWizard(context.Background(), o, ios, d)
	if err != nil {
		t.Fatal(err)
	}
	w.cfg.OpenURL = nil
	app, err := tui.New(context.Background(), w.cfg)
	if err != nil {
		t.Fatal(err)
	}
	tap := &viewTap{Model: app}
	tm := teatest.NewTestModel(t, tap, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))

	// waitFor waits until the screen shows every token.
	waitFor := func(tokens ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func([]byte) bool {
			s := tap.screen()
			for _, tok := range tokens {
				if !strings.Contains(s, tok) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(2*time.Millisecond))
	}
	press := func(keys ...string) {
		for _, k := range keys {
			tm.Send(flowKey(k))
		}
	}
	// field types into a focused form field and leaves it.
	field := func(label, value string, context ...string) {
		t.Helper()
		waitFor(append(context, "┃ "+label)...)
		if value != "" {
			press("ctrl+u")
			tm.Type(value)
			waitFor("> " + value)
		}
		press("enter")
	}
	simulate := func(step, result string) {
		t.Helper()
		waitFor(step)
		press("s")
		waitFor("now pass (" + result)
	}
	// mark marks the step done; then waits for the flash (or after).
	mark := func(step, note string, after ...string) {
		t.Helper()
		waitFor(step)
		press("m")
		waitFor("A note to keep with the mark (optional):")
		tm.Type(note)
		if note != "" {
			waitFor("> " + note)
		}
		press("enter")
		if len(after) == 0 {
			after = []string{"Marked done on"}
		}
		waitFor(after...)
	}
	apply := func(result ...string) {
		t.Helper()
		waitFor("Write th", "to account 111122223333?")
		press("y")
		waitFor(append(result, "enter back to the step")...)
		press("enter")
	}

	waitFor("Press enter to walk the checklist.")
	press("enter")
	waitFor("1 · Know where you stand")

	// Lock down the root user.
	press("n", "enter")
	simulate("Step 2 of 23", "the root user has MFA")
	press("n")
	simulate("Step 3 of 23", "root has 2 MFA devices")
	press("n")
	waitFor("Step 4 of 23", "Delete the root user's access keys")
	press("x")
	waitFor("┃ Which root access key?")
	press("enter")
	waitFor("┃ What should happen to it?")
	press("down")
	waitFor("> Delete: gone for good")
	press("enter")
	waitFor("Type the last 4 characters of AKIA…MPLE")
	tm.Type("MPLE")
	waitFor("> MPLE")
	press("enter")
	waitFor("the root user has no access keys", "enter back to the step")
	press("enter")
	press("n") // root-usage waits for the admin
	waitFor("Step 6 of 23", "root is in use right now")
	press("n")
	mark("Step 7 of 23", "in the team password manager")
	press("n")
	mark("Step 8 of 23", "")
	press("n")
	mark("Step 9 of 23", "")
	press("n")
	mark("Step 10 of 23", "password with IT, security key with the CFO")

	// Account settings: the contacts typed in, the recommended password
	// policy, S3 Block Public Access.
	press("n")
	waitFor("Step 12 of 23", "Set security, billing and operations contacts")
	press("x")
	for _, c := range []struct{ group, name, title, email, phone string }{
		{"Security contact", "Dana Whitfield", "Security Lead", "security@acme.example", "+1 206 555 0142"},
		{"Billing contact", "Priya Raman", "Finance Manager", "billing@acme.example", "+1 206 555 0117"},
		{"Operations contact", "Marcus Oyelaran", "Head of Platform", "ops@acme.example", "+1 206 555 0163"},
	} {
		field("Name", c.name, c.group)
		field("Title", c.title, c.group)
		field("Email", c.email, c.group)
		field("Phone", c.phone, c.group)
		if c.group == "Security contact" {
			field("Billing contact", "", "Billing and operations contacts")
			field("Operations contact", "", "Billing and operations contacts")
		}
	}
	apply("security, billing and operations contacts are set")
	press("n")
	waitFor("Step 14 of 23", "Require strong IAM user passwords")
	press("x")
	field("Which password policy", "")
	apply("the password policy meets the recommended preset")
	press("n")
	waitFor("Step 15 of 23", "Block public S3 access")
	press("x")
	apply("account-level S3 Block Public Access saved")

	// The daily-use administrator, enrolled with two real TOTP codes of
	// the secret the screen shows.
	press("n")
	waitFor("Step 16 of 23", "Create a daily-use admin identity")
	press("x")
	field("User name", "jane")
	waitFor("Write these changes to account 111122223333?")
	press("y")
	waitFor("Or type this secret")
	secret := ""
	if lines := strings.SplitAfter(tap.screen(), "Or type this secret"); len(lines) == 2 {
		secret = strings.ReplaceAll(base32Run.FindString(lines[1]), " ", "")
	}
	if len(secret) != 32 {
		t.Fatalf("no MFA secret on the screen:\n%s", tap.screen())
	}
	first, next, err := demo.CurrentCodes(secret, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	press("enter")
	field("First code", first)
	field("Next code (after it changes)", next)
	waitFor("jane is ready", "enter back to the step")
	press("enter")
	waitFor("a signs in as jane: rootguard then runs as jane, not root")

	// Watch the root user and the bill.
	press("n")
	simulate("Step 18 of 23", "no old or unused access keys")
	press("n")
	waitFor("Step 19 of 23", "Get an email when someone signs in as root")
	press("x")
	field("Email address for the alert", "security@acme.example")
	field("Also alert on root API calls?", "")
	waitFor("Write these changes to account 111122223333?")
	press("y")
	waitFor("Confirmation email sent to", "! WARN", "enter back to the step")
	press("enter")
	simulate("Step 19 of 23", "root sign-in alerts reach a person") // the person clicks the link
	press("n")
	simulate("Step 20 of 23", "multi-region trail is logging")
	press("n")
	waitFor("Step 21 of 23", "Get an email before the bill surprises you")
	press("x")
	field("Monthly budget (USD)", "80")
	field("Email address for the alerts", "billing@acme.example")
	apply("cost budget for the whole bill")
	press("n")
	waitFor("Step 22 of 23", "Turn on GuardDuty")
	press("x")
	waitFor("┃ Enable it in every enabled region?")
	press("left", "enter")
	waitFor("┃ Do you accept the cost?")
	press("left", "enter")
	apply("GuardDuty in us-east-1 saved")

	// The end of the story: work as jane, not root.
	press("n")
	waitFor("Step 6 of 23", "root is in use right now")
	press("a")
	waitFor("Sign in as jane?")
	press("y")
	waitFor("Demo: you are jane now, not root.", "user/jane")
	// As jane, rootguard cannot see root's devices: the mark decides.
	press("n")
	// The last mark leaves nothing open: the summary opens by itself.
	mark("Step 3 of 23", "", "All done: nothing is left open.", "Score 100%")

	clock.add(10 * time.Minute) // the end of the session is a run of its own
	press("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(15*time.Second)).(*viewTap).Model.(*tui.App).Final()
	if final.Score.String() != "100%" || final.Open != 0 || final.End == nil {
		t.Fatalf("final %+v", final)
	}
	if err := w.finish(final, nil); err != nil {
		t.Fatal(err)
	}
	if got := errOut.String(); !strings.Contains(got, "Demo progress saved: score 100%, 0 open.") {
		t.Errorf("closing line: %q", got)
	}

	st, err := progress.Open(dir, demoProgressKey(demo.DefaultScenario), progress.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := st.Attestation("root-password"); !ok || a.Note != "in the team password manager" {
		t.Errorf("root-password's mark: %+v, %v", a, ok)
	}
	if a, ok := st.Attestation("root-email"); !ok || a.Note != "" {
		t.Errorf("root-email's mark: %+v, %v", a, ok)
	}
	if fixes := st.Fixes(); len(fixes) < 7 {
		t.Errorf("%d fixes recorded: %+v", len(fixes), fixes)
	}

	var out, herr bytes.Buffer
	hios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &herr, Env: func(string) string { return "" }}
	if code := run(context.Background(), []string{"history", "--demo", "--state-dir", dir}, hios, d); code != exitOK {
		t.Fatalf("history: exit %d, %s", code, herr.String())
	}
	h := out.String()
	start := regexp.MustCompile(`2026-11-24 15:30\s+19%.*wizard\s+first run`)
	end := regexp.MustCompile(`2026-11-24 15:40\s+100%.*wizard`)
	if !strings.Contains(h, "2 runs") || !start.MatchString(h) || !end.MatchString(h) {
		t.Errorf("history does not show the start (19%%) and the end (100%%) of the session:\n%s", h)
	}
}

func flowKey(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
}
