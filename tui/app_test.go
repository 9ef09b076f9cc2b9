package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

func TestFirstFrameShowsLoadingBeforeAnyRead(t *testing.T) {
	a := newTestApp(t, testConfig(newFakeAccount()))
	if a.Init() == nil {
		t.Fatal("Init returned no command")
	}
	requireContains(t, a, "Connecting to AWS", "DEMO ACCOUNT")
}

func TestIdentityScreenThenChecklist(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	requireContains(t, a, "123456789012", "acme-test", "Signed in as root", "eu-west-1", "33% · 2 of 7 done · 4 to do · 1 n/a")
	press(a, "enter")
	if a.screen != screenChecklist {
		t.Fatalf("screen = %v, want checklist", a.screen)
	}
	requireContains(t, a, "✗ fail", "Turn on MFA for the root user", "? unknown", "○ manual", "– n/a")
	if strings.Contains(viewText(a), "Deny member-account root") {
		t.Error("an organization-only item that does not apply is shown")
	}
}

func TestNonRootHasNoRootWarning(t *testing.T) {
	fa := newFakeAccount()
	fa.root = false
	a := started(t, testConfig(fa))
	requireContains(t, a, "user/alice")
	if strings.Contains(viewText(a), "Signed in as root") {
		t.Error("root warning shown for an IAM user")
	}
}

func TestChecklistNavigationAndNextOpen(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	if a.checklist.cursor != "credential-report" {
		t.Fatalf("cursor starts at %q", a.checklist.cursor)
	}
	press(a, "down", "j")
	if a.checklist.cursor != "root-password" {
		t.Fatalf("after down, j: cursor = %q", a.checklist.cursor)
	}
	press(a, "up")
	if a.checklist.cursor != "root-mfa" {
		t.Fatalf("after up: cursor = %q", a.checklist.cursor)
	}
	var got []string
	for range 5 {
		press(a, "n")
		got = append(got, a.checklist.cursor)
	}
	want := "root-password password-policy alternate-contacts root-mfa root-password"
	if strings.Join(got, " ") != want {
		t.Fatalf("n walks %v, want %s", got, want)
	}
	press(a, "G")
	if a.checklist.cursor != "iam-users-mfa" {
		t.Fatalf("G: cursor = %q", a.checklist.cursor)
	}
}

func TestWalkFromStepToStepThenSummary(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "enter")
	if a.screen != screenStep || a.step.id != "root-mfa" {
		t.Fatalf("screen %v step %q, want root-mfa step", a.screen, a.step.id)
	}
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	requireContains(t, a, "Step 2 of 7", "AccountMFAEnabled", "Why it matters", "1. Sign in as the root user.", "Console link")
	press(a, "n")
	if a.step.id != "root-password" {
		t.Fatalf("next open from root-mfa = %q", a.step.id)
	}
	press(a, "tab")
	if a.step.id != "security-questions" {
		t.Fatalf("tab from root-password = %q", a.step.id)
	}
	press(a, "esc")
	if a.screen != screenChecklist || a.checklist.cursor != "security-questions" {
		t.Fatalf("esc: screen %v cursor %q", a.screen, a.checklist.cursor)
	}
	press(a, "G", "enter", "tab")
	if a.screen != screenSummary {
		t.Fatalf("tab on the last step: screen %v, want summary", a.screen)
	}
	requireContains(t, a, "Still open (4)", "Turn on MFA for the root user", "access denied")
}

// results runs cmd's commands without feeding them back.
func results(cmd tea.Cmd) []checkDoneMsg {
	var out []checkDoneMsg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case checkDoneMsg:
			out = append(out, msg)
		}
	}
	return out
}

func TestRecheckDropsStaleResults(t *testing.T) {
	fa := newFakeAccount()
	a := started(t, testConfig(fa))
	press(a, "enter", "n", "enter")
	first := press(a, "r")
	requireContains(t, a, "checking")
	old := results(first) // read before the fix: fail
	fa.fixed["root-mfa"] = true
	fresh := results(press(a, "r")) // a newer re-check: pass
	if len(old) != 1 || len(fresh) != 1 {
		t.Fatalf("got %d and %d results", len(old), len(fresh))
	}
	a.Update(fresh[0])
	a.Update(old[0]) // arrives late: must be dropped
	if got := a.c.sess.byID["root-mfa"].result.Status; got != steps.StatusPass {
		t.Fatalf("status = %s after a stale result, want pass", got)
	}
	requireContains(t, a, "✓ PASS")
}

func TestRecheckAllShowsSpinnersThenVerdicts(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	cmd := press(a, "R")
	requireContains(t, a, "re-checking 7")
	settle(t, a, cmd)
	requireContains(t, a, "33% · 2 of 7 done · 4 to do · 1 n/a")
}

func TestAttestAndUndo(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "n", "enter")
	if a.step.id != "root-password" {
		t.Fatalf("step %q", a.step.id)
	}
	requireSays(t, a, "press m to mark it", "after 90 days")
	settle(t, a, press(a, "m", "enter"))
	if got := a.c.sess.byID["root-password"].result.Status; got != steps.StatusAttested {
		t.Fatalf("after m: %s", got)
	}
	requireContains(t, a, "◉ attested", "marked done on 2026-01-15", "You marked this done")
	settle(t, a, press(a, "u"))
	if got := a.c.sess.byID["root-password"].result.Status; got != steps.StatusManual {
		t.Fatalf("after u: %s", got)
	}
	press(a, "u")
	requireContains(t, a, "There is no mark to undo here.")
}

func TestMarkDoneOnlyForAttestItems(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "enter")
	if cmd := press(a, "m"); cmd != nil {
		t.Fatal("m on a live-verified item returned a command")
	}
	requireContains(t, a, "verified live")
}

func TestSimulateTurnsItemGreen(t *testing.T) {
	fa := newFakeAccount()
	a := started(t, testConfig(fa))
	press(a, "enter", "n", "enter")
	requireContains(t, a, "DEMO", "simulates doing this in the console")
	settle(t, a, press(a, "s"))
	if got := a.c.sess.byID["root-mfa"].result.Status; got != steps.StatusPass {
		t.Fatalf("after simulate: %s", got)
	}
	if !a.c.sess.byID["root-mfa"].fixedThisSession() {
		t.Error("not counted as fixed today")
	}
	press(a, "f")
	requireContains(t, a, "Fixed this session (1)", "Still open (3)")
}

func TestNoSimulateOnRealAccounts(t *testing.T) {
	cfg := testConfig(newFakeAccount())
	cfg.Demo, cfg.Simulate, cfg.CanSimulate = false, nil, nil
	a := started(t, cfg)
	press(a, "enter", "n", "enter")
	if cmd := press(a, "s"); cmd != nil {
		t.Fatal("s did something on a real account")
	}
	if strings.Contains(viewText(a), "DEMO") {
		t.Error("demo labels on a real account")
	}
}

func TestSummaryOpensWhenNothingIsLeft(t *testing.T) {
	fa := newFakeAccount()
	cfg := testConfig(fa)
	cfg.Items = cfg.Items[:2] // credential-report (pass), root-mfa (fail)
	a := started(t, cfg)
	press(a, "enter", "n", "enter")
	settle(t, a, press(a, "s"))
	if a.screen != screenSummary {
		t.Fatalf("screen %v, want the summary once nothing is open", a.screen)
	}
	requireContains(t, a, "All done", "Score 100%", "Fixed this session (1)")
}

func TestQuitCancelsInFlightWork(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	pending := press(a, "R") // in flight
	cmd := press(a, "q")
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
	if a.c.ctx.Err() == nil {
		t.Fatal("quitting left the work context alive")
	}
	_ = pending
}

func TestCtrlCInterruptsFromAnyScreen(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "enter")
	cmd := press(a, "ctrl+c")
	if _, ok := cmd().(tea.InterruptMsg); !ok {
		t.Fatal("ctrl+c did not interrupt")
	}
	if a.c.ctx.Err() == nil {
		t.Fatal("ctrl+c left the work context alive")
	}
}

func TestQOnStepGoesBackNotQuit(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "enter")
	if cmd := press(a, "q"); cmd != nil {
		t.Fatal("q on a step returned a command")
	}
	if a.screen != screenChecklist {
		t.Fatalf("screen %v", a.screen)
	}
}

func TestIdentityErrorSaysWhatToDoAndRetries(t *testing.T) {
	fa := newFakeAccount()
	fa.identityErr = &awsops.Error{Kind: awsops.KindCredentials, Message: "token expired"}
	a := started(t, testConfig(fa))
	requireContains(t, a, "could not read who you are", "Sign in again", "r retry")
	press(a, "enter")
	if a.screen != screenIdentity {
		t.Fatal("enter left the identity screen without an identity")
	}
	fa.identityErr = nil
	settle(t, a, press(a, "r"))
	requireContains(t, a, "123456789012", "2 of 7 done")
}

func TestConsoleLinkActions(t *testing.T) {
	var opened []string
	cfg := testConfig(newFakeAccount())
	a := started(t, cfg)
	press(a, "enter", "n", "enter")
	if cmd := press(a, "c"); cmd == nil || cmd() == nil {
		t.Fatal("c did not copy")
	}
	requireContains(t, a, "Sent the link to your clipboard")
	if cmd := press(a, "o"); cmd != nil {
		t.Fatal("o without a browser returned a command")
	}
	requireContains(t, a, "No browser can be opened")

	cfg.OpenURL = func(url string) error { opened = append(opened, url); return nil }
	a = started(t, cfg)
	press(a, "enter", "n", "enter", "?")
	requireContains(t, a, "o open link")
	press(a, "?")
	settle(t, a, press(a, "o"))
	if len(opened) != 1 || opened[0] != "https://console.aws.amazon.com/iam/home#/security_credentials" {
		t.Fatalf("opened %v", opened)
	}
	requireContains(t, a, "Opened the console link")
}

func TestAutoItemShowsPlannedChangeReadOnly(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "n", "n", "enter")
	if a.step.id != "password-policy" {
		t.Fatalf("step %q", a.step.id)
	}
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	requireContains(t, a, "What rootguard would change", "Minimum length", "→ 14", "Press x to choose the values", "x fix this")
}

func TestUnknownSaysWhichPermission(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "n", "n", "n", "enter")
	requireContains(t, a, "? UNKNOWN", "account:GetAlternateContact")
}

func TestTooSmallTerminal(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	a.Update(tea.WindowSizeMsg{Width: 50, Height: 12})
	requireContains(t, a, "Make the terminal larger", "at least 60×16", "50×12")
	press(a, "enter")
	if a.screen != screenIdentity {
		t.Fatal("keys other than quit act while the terminal is too small")
	}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	requireContains(t, a, "Press enter to walk the checklist")
}

func TestQRCodeNeedsRoom(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "enter", "Q")
	if a.screen != screenQR {
		t.Fatalf("screen %v", a.screen)
	}
	requireContains(t, a, "Scan with your phone")
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 16})
	requireContains(t, a, "Make the terminal at least 60x")
	press(a, "esc")
	if a.screen != screenStep {
		t.Fatal("esc did not leave the QR code")
	}
}

func TestFullHelpToggles(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	press(a, "?")
	requireContains(t, a, "re-check all", "page down")
	press(a, "?")
	if strings.Contains(viewText(a), "page down") {
		t.Error("? did not close the full help")
	}
}

// TestGolden snapshots every screen at two sizes on dark and light
// backgrounds, without colour (as with NO_COLOR). Refresh with -update.
func TestGolden(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"identity", nil},
		{"checklist", []string{"enter"}},
		{"step-guided", []string{"enter", "n", "enter"}},
		{"step-attest", []string{"enter", "n", "n", "enter"}},
		{"step-auto", []string{"enter", "n", "n", "n", "enter"}},
		{"step-unknown", []string{"enter", "n", "n", "n", "n", "enter"}},
		{"qr", []string{"enter", "n", "enter", "Q"}},
		{"summary", []string{"enter", "f"}},
		{"step-help", []string{"enter", "n", "enter", "?"}},
		{"step-note", []string{"enter", "n", "n", "enter", "m"}},
		{"qr-about", []string{"enter", "n", "enter", "Q", "?"}},
	}
	for _, sc := range screens {
		for _, size := range [][2]int{{60, 16}, {80, 24}, {120, 40}} {
			for _, dark := range []bool{true, false} {
				theme := "light"
				if dark {
					theme = "dark"
				}
				t.Run(fmt.Sprintf("%s/%dx%d/%s", sc.name, size[0], size[1], theme), func(t *testing.T) {
					a := started(t, testConfig(newFakeAccount()))
					a.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
					a.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
					a.setDark(dark)
					press(a, sc.keys...)
					golden.RequireEqual(t, viewText(a))
				})
			}
		}
	}
}

func TestNewRejectsEmptyConfig(t *testing.T) {
	if _, err := New(t.Context(), Config{}); err == nil {
		t.Fatal("no error without an account")
	}
	if _, err := New(t.Context(), Config{Account: newFakeAccount()}); err == nil {
		t.Fatal("no error without items")
	}
}

func BenchmarkRenderChecklistFrame(b *testing.B) {
	fa := newFakeAccount()
	a, err := New(b.Context(), testConfig(fa))
	if err != nil {
		b.Fatal(err)
	}
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	settle(b, a, a.Init())
	press(a, "enter")
	b.ReportAllocs()
	for b.Loop() {
		a.Update(keyMsg("j"))
		_ = a.View()
	}
}
