package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// drive runs cmd and everything that follows from it, depth first, feeding
// every message back through Update (huh forms advance through their own
// messages). Timers are dropped.
func drive(t testing.TB, a *App, cmd tea.Cmd) {
	t.Helper()
	var run func(cmd tea.Cmd, depth int)
	run = func(cmd tea.Cmd, depth int) {
		if cmd == nil || timer(cmd) {
			return
		}
		if depth > 200 {
			t.Fatal("commands never settle")
		}
		msg := cmd()
		if msg == nil {
			return
		}
		if cmds, ok := asCmds(msg); ok { // batch or sequence
			for _, c := range cmds {
				run(c, depth+1)
			}
			return
		}
		_, next := a.Update(msg)
		run(next, depth+1)
	}
	run(cmd, 0)
}

func fixKeyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	return keyMsg(s)
}

// send presses keys one by one, running what each one starts.
func send(t testing.TB, a *App, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := a.Update(fixKeyMsg(k))
		drive(t, a, cmd)
	}
}

// typeText types text into the focused field.
func typeText(t testing.TB, a *App, text string) {
	t.Helper()
	for _, r := range text {
		_, cmd := a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		drive(t, a, cmd)
	}
}

// recorded is a RecordFix seam that keeps what it was given.
type recorded struct {
	mu      sync.Mutex
	entries []string
}

func (r *recorded) record(item string, at time.Time, summary string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, item+" @"+at.Format(time.DateOnly)+": "+summary)
}

func (r *recorded) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.entries...)
}

type demoWizard struct {
	*App
	acct *demo.Account
	rec  *recorded
}

// demoFixApp is the wizard over the demo account, which validates writes
// like AWS, at w×h, started and showing the step of item.
func demoFixApp(t *testing.T, item string, w, h int, edit func(*Config)) demoWizard {
	t.Helper()
	return scenarioFixApp(t, "", item, w, h, edit)
}

// scenarioFixApp is demoFixApp on one of the demo's scenarios ("" is the
// default).
func scenarioFixApp(t *testing.T, scenario, item string, w, h int, edit func(*Config)) demoWizard {
	t.Helper()
	acct := demo.New(demo.Options{Scenario: scenario, Now: func() time.Time { return testNow }})
	rec := &recorded{}
	cfg := Config{
		Account: acct, Writer: acct, Region: acct.Region(), Demo: true,
		Now: func() time.Time { return testNow }, Items: steps.All(),
		RecordFix: rec.record,
	}
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
	for a.checklist.cursor != item {
		prev := a.checklist.cursor
		send(t, a, "down")
		if a.checklist.cursor == prev {
			t.Fatalf("item %q is not in the checklist", item)
		}
	}
	send(t, a, "enter")
	if a.screen != screenStep || a.step.id != item {
		t.Fatalf("screen %v step %q, want the %s step", a.screen, a.step.id, item)
	}
	return demoWizard{a, acct, rec}
}

func requireNoWrites(t *testing.T, acct *demo.Account) {
	t.Helper()
	if w := acct.Writes(); len(w) != 0 {
		t.Fatalf("writes were made: %q", w)
	}
}

func TestFixPasswordPolicyRecommendedPreset(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, nil)
	requireContains(t, d.App, "x fix this")
	send(t, d.App, "x")
	if d.screen != screenFix || d.fix.phase != phaseForm {
		t.Fatalf("after x: screen %v, want the fix form", d.screen)
	}
	requireContains(t, d.App, "Which password policy", "Recommended", "Strict", "Custom")
	send(t, d.App, "enter")
	requireContains(t, d.App, "What changes", "Minimum length", "→ 14", "Write this change to account 111122223333?", "▸ No")
	requireNoWrites(t, d.acct)

	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 1 || !strings.HasPrefix(w[0], "UpdatePasswordPolicy MinimumLength=14 ") {
		t.Fatalf("writes = %q, want one UpdatePasswordPolicy with the recommended preset", w)
	}
	requireContains(t, d.App, "✓ Written to the account", "password policy saved", "Re-checked live", "✓ PASS")
	if got := d.c.sess.byID[steps.FixPasswordPolicy].result.Status; got != steps.StatusPass {
		t.Fatalf("checklist row = %s after the fix, want pass", got)
	}
	rec := d.rec.all()
	if len(rec) != 1 || rec[0] != "password-policy @2026-01-15: was the AWS default; now: min 14, reuse 24, upper/lower/number/symbol, users may change" {
		t.Fatalf("recorded %q", rec)
	}
	send(t, d.App, "enter")
	if d.screen != screenStep {
		t.Fatalf("enter on the result: screen %v, want the step", d.screen)
	}
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	requireContains(t, d.App, "✓ PASS", "or x to change it")
	d.Update(tea.WindowSizeMsg{Width: 80, Height: 24})

	// Again: the target already holds, so there is nothing to confirm.
	send(t, d.App, "x", "enter")
	requireContains(t, d.App, "Already in place", "nothing will be written")
	send(t, d.App, "y", "enter")
	if w := d.acct.Writes(); len(w) != 1 {
		t.Fatalf("a no-op plan wrote: %q", w)
	}
}

func TestFixConfirmationDefaultsToNo(t *testing.T) {
	for _, keys := range [][]string{{"enter"}, {"n"}, {"esc"}, {"tab", "tab", "enter"}} {
		t.Run(strings.Join(keys, "+"), func(t *testing.T) {
			d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, nil)
			send(t, d.App, "x", "down", "enter") // strict
			send(t, d.App, keys...)
			requireNoWrites(t, d.acct)
			if d.screen != screenFix || d.fix.phase != phaseForm {
				t.Fatalf("screen %v, want back at the values", d.screen)
			}
			requireSays(t, d.App, "Nothing was written. Every value you typed is kept", "> Strict")
			if len(d.rec.all()) != 0 {
				t.Fatal("a fix was recorded without a write")
			}
			// The values are what was chosen: enter shows the same plan.
			send(t, d.App, "enter")
			requireContains(t, d.App, "Maximum age", "→ 90 days")
		})
	}
}

// TestFixNoKeepsEveryValueTyped: No at the confirmation goes back to the
// form with every value kept; esc there asks before dropping them.
func TestFixNoKeepsEveryValueTyped(t *testing.T) {
	d := demoFixApp(t, steps.FixAlternateContacts, 80, 24, nil)
	send(t, d.App, "x")
	fillSecurityContact(t, d.App)
	send(t, d.App, "down", "enter", "down", "enter") // both: same as security
	requireContains(t, d.App, "Write these changes")
	send(t, d.App, "n")
	requireContains(t, d.App, "> Jane Doe", "> Security lead", "> jane@example.com")
	send(t, d.App, "esc")
	requireContains(t, d.App, "Drop the values you typed?")
	send(t, d.App, "n")
	if d.fix == nil || d.fix.phase != phaseForm {
		t.Fatal("n did not go back to the form")
	}
	requireContains(t, d.App, "> Jane Doe")
	send(t, d.App, "enter", "enter", "enter", "enter", "enter", "enter")
	requireContains(t, d.App, "security email", "jane@example.com", "Write these changes")
	send(t, d.App, "esc", "esc", "y")
	if d.screen != screenStep || d.fix != nil {
		t.Fatalf("screen %v, want the step", d.screen)
	}
	requireSays(t, d.App, "the values you typed were dropped and nothing was written")
	requireNoWrites(t, d.acct)
}

func TestFixDryRunNeverWrites(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, func(c *Config) { c.DryRun = true })
	send(t, d.App, "x", "enter")
	requireContains(t, d.App, "Dry run: nothing will be written.", "→ 14")
	send(t, d.App, "y", "tab", "enter")
	requireNoWrites(t, d.acct)
	if d.screen != screenStep {
		t.Fatalf("screen %v, want back on the step", d.screen)
	}
}

func TestFixWithoutWriterIsPreviewOnly(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, func(c *Config) { c.Writer = nil })
	send(t, d.App, "x", "enter")
	requireContains(t, d.App, "Preview only: this session cannot write")
	send(t, d.App, "y")
	requireNoWrites(t, d.acct)
}

// failAfterFirst denies every PutAlternateContact after the first.
type failAfterFirst struct {
	*demo.Account
	n int
}

func (w *failAfterFirst) PutAlternateContact(ctx context.Context, c awsops.AlternateContact) error {
	err := w.Account.PutAlternateContact(ctx, c)
	if w.n++; w.n == 1 {
		w.SetFail("PutAlternateContact", demo.AccessDenied("account:PutAlternateContact"))
	}
	return err
}

// fillSecurityContact types a valid security contact into the open form.
func fillSecurityContact(t *testing.T, a *App) {
	t.Helper()
	for _, v := range []string{"Jane Doe", "Security lead", "jane@example.com", "+1 206 555 0100"} {
		typeText(t, a, v)
		send(t, a, "enter")
	}
}

func TestFixContactsFailureMidwaySaysWhatWasSaved(t *testing.T) {
	var w *failAfterFirst
	d := demoFixApp(t, steps.FixAlternateContacts, 120, 40, func(c *Config) {
		w = &failAfterFirst{Account: c.Account.(*demo.Account)}
		c.Writer = w
	})
	send(t, d.App, "x")
	requireContains(t, d.App, "Security contact", "Name")
	fillSecurityContact(t, d.App)
	requireContains(t, d.App, "Billing contact", "Same as the security contact")
	send(t, d.App, "down", "enter", "down", "enter") // both: same as security
	requireContains(t, d.App, "security email", "billing email", "operations email", "jane@example.com")
	send(t, d.App, "y")

	writes := d.acct.Writes()
	if len(writes) != 2 || writes[0] != "PutAlternateContact Type=SECURITY" ||
		!strings.HasPrefix(writes[1], "PutAlternateContact Type=BILLING (error: access-denied") {
		t.Fatalf("writes = %q", writes)
	}
	requireContains(t, d.App, "✗ Not everything was written", "security contact saved",
		"billing contact NOT saved", "operations contact not attempted", "account:PutAlternateContact",
		"Re-checked live", "! WARN", "missing: BILLING, OPERATIONS")
	rec := d.rec.all()
	if len(rec) != 1 || !strings.Contains(rec[0], "security contact saved (then stopped: access-denied)") {
		t.Fatalf("recorded %q", rec)
	}
	for _, e := range rec {
		if strings.Contains(e, "jane@") || strings.Contains(e, "555") {
			t.Errorf("the record holds contact values: %q", e)
		}
	}
}

func TestFixFieldErrorShownAtTheField(t *testing.T) {
	d := demoFixApp(t, steps.FixAlternateContacts, 80, 24, nil)
	send(t, d.App, "x")
	typeText(t, d.App, "Jane Doe")
	send(t, d.App, "enter")
	typeText(t, d.App, "Security lead")
	send(t, d.App, "enter")
	typeText(t, d.App, "jane@example")
	send(t, d.App, "enter")
	requireContains(t, d.App, "Email must be an email address like name@example.com")
	if d.fix.phase != phaseForm {
		t.Fatalf("stage %v: an invalid field let the form go on", d.fix.phase)
	}
	typeText(t, d.App, ".com")
	send(t, d.App, "enter")
	if strings.Contains(viewText(d.App), "must be an email address") {
		t.Fatal("the error stayed after the value was corrected")
	}
	// ? is typed into the field, not taken as "more keys".
	typeText(t, d.App, "?")
	if d.c.showAll {
		t.Fatal("? in a form toggled the help")
	}
	requireNoWrites(t, d.acct)
}

func TestFixCustomPasswordPolicyRanges(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, nil)
	send(t, d.App, "x", "down", "down", "enter")
	requireContains(t, d.App, "Custom password policy (1 of 2)", "Minimum length", "pre-filled with the recommended preset")
	send(t, d.App, "ctrl+u")
	typeText(t, d.App, "5")
	send(t, d.App, "enter")
	requireContains(t, d.App, "Minimum length must be 6–128 characters")
	send(t, d.App, "backspace")
	typeText(t, d.App, "16")
	send(t, d.App, "enter", "enter") // length, then the rules as they are
	requireContains(t, d.App, "Custom password policy (2 of 2)", "Maximum age")
	send(t, d.App, "ctrl+u")
	typeText(t, d.App, "2000")
	send(t, d.App, "enter")
	requireContains(t, d.App, "Maximum age in days must be 1–1095 days, or 0 for passwords never expire")
	send(t, d.App, "ctrl+u")
	typeText(t, d.App, "90")
	send(t, d.App, "enter", "enter")
	requireContains(t, d.App, "Minimum length", "→ 16", "90 days")
	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 1 || !strings.Contains(w[0], "MinimumLength=16 ") || !strings.Contains(w[0], "MaxAgeDays=90 ") {
		t.Fatalf("writes = %q", w)
	}
}

func TestFixWeakerPolicyIsWarned(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 120, 40, nil)
	send(t, d.App, "x", "down", "enter", "y", "enter") // strict: 90-day expiry
	send(t, d.App, "x", "enter")                       // recommended: no expiry
	requireContains(t, d.App, "Warnings", "Weaker than the current policy: removes password expiry")
}

func TestFixContactInfoStateRequired(t *testing.T) {
	d := demoFixApp(t, steps.FixContactInfo, 80, 24, nil)
	send(t, d.App, "x")
	requireContains(t, d.App, "Primary contact (1 of 3)", "Full name")
	send(t, d.App, "enter", "enter", "enter", "enter")                   // who
	send(t, d.App, "enter", "enter", "enter", "enter", "enter", "enter") // address, country code
	send(t, d.App, "ctrl+u", "enter")
	requireContains(t, d.App, "State/region is required for country US")
	typeText(t, d.App, "OR")
	send(t, d.App, "enter", "enter")
	requireContains(t, d.App, "State or region", "→ OR", "account:PutContactInformation")
	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 1 || w[0] != "PutContactInformation CountryCode=US" {
		t.Fatalf("writes = %q", w)
	}
	requireContains(t, d.App, "contact information saved")
}

func TestFixEscCancelsTheForm(t *testing.T) {
	// Nothing typed: esc leaves at once.
	d := demoFixApp(t, steps.FixAlternateContacts, 80, 24, nil)
	send(t, d.App, "x", "esc")
	if d.screen != screenStep || d.fix != nil {
		t.Fatalf("esc: screen %v, want the step", d.screen)
	}
	requireContains(t, d.App, "Fix cancelled: nothing was written.")

	// Typed: esc asks first; y drops the values.
	send(t, d.App, "x")
	typeText(t, d.App, "Jane")
	send(t, d.App, "esc")
	requireContains(t, d.App, "Drop the values you typed?", "y drops them")
	send(t, d.App, "y")
	if d.screen != screenStep || d.fix != nil {
		t.Fatalf("y: screen %v, want the step", d.screen)
	}
	requireNoWrites(t, d.acct)
}

func TestFixNotAvailableStaysReadOnly(t *testing.T) {
	d := demoFixApp(t, "credential-report", 120, 40, nil)
	if strings.Contains(viewText(d.App), "x fix this") {
		t.Fatal("a fix that is not available offers x")
	}
	send(t, d.App, "x")
	if d.screen != screenStep {
		t.Fatalf("screen %v, want the step", d.screen)
	}
	requireSays(t, d.App, "rootguard cannot make this change through the API: follow the console steps below")
}

func TestFixReadErrorSaysWhyAndRetries(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, nil)
	d.acct.SetFail("PasswordPolicy", demo.AccessDenied("iam:GetAccountPasswordPolicy"))
	send(t, d.App, "x")
	requireContains(t, d.App, "could not read the current values", "Grant iam:GetAccountPasswordPolicy", "r retry")
	d.acct.SetFail("PasswordPolicy", nil)
	send(t, d.App, "r")
	requireContains(t, d.App, "Which password policy")
}

func TestFixStaleMessagesAreDropped(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, nil)
	_, x := d.Update(fixKeyMsg("x"))
	load := resolve(d.App, x) // the fix opens; its read is not delivered yet
	send(t, d.App, "esc")     // leave before the values arrive
	drive(t, d.App, load)
	if d.screen != screenStep || d.fix != nil {
		t.Fatalf("a stale load reopened the fix: screen %v", d.screen)
	}
}

// TestFixGolden snapshots the fix screens without colour: a form, the
// preview and the result, at two sizes on dark and light backgrounds.
func TestFixGolden(t *testing.T) {
	screens := []struct {
		name  string
		item  string
		keys  []string
		sizes [][2]int
	}{
		{"form-preset", steps.FixPasswordPolicy, []string{"x"}, [][2]int{{80, 24}}},
		{"form-contacts", steps.FixAlternateContacts, []string{"x"}, [][2]int{{80, 24}}},
		{"form-custom-password", steps.FixPasswordPolicy, []string{"x", "down", "down", "enter"}, [][2]int{{80, 24}}},
		{"form-contact-info", steps.FixContactInfo, []string{"x"}, [][2]int{{80, 24}}},
		{"preview", steps.FixPasswordPolicy, []string{"x", "enter"}, [][2]int{{60, 16}, {80, 24}, {120, 40}}},
		{"result", steps.FixPasswordPolicy, []string{"x", "enter", "y"}, [][2]int{{80, 24}, {120, 40}}},
	}
	for _, sc := range screens {
		for _, size := range sc.sizes {
			for _, dark := range []bool{true, false} {
				theme := "light"
				if dark {
					theme = "dark"
				}
				t.Run(fmt.Sprintf("%s/%dx%d/%s", sc.name, size[0], size[1], theme), func(t *testing.T) {
					d := demoFixApp(t, sc.item, size[0], size[1], nil)
					d.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
					d.setDark(dark)
					send(t, d.App, sc.keys...)
					golden.RequireEqual(t, viewText(d.App))
				})
			}
		}
	}
}
