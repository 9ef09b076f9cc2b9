package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

func TestDryRunIsVisibleAndRefusesSimulate(t *testing.T) {
	fa := newFakeAccount()
	cfg := testConfig(fa)
	cfg.DryRun = true
	a := started(t, cfg)
	requireSays(t, a, "DRY RUN", "nothing is ever written")
	press(a, "enter", "n", "enter")
	requireContains(t, a, "DRY RUN")
	if strings.Contains(viewText(a), "simulates doing this") {
		t.Error("the demo line offers s in a dry run")
	}
	if cmd := press(a, "s"); cmd != nil {
		t.Fatal("s simulated in a dry run")
	}
	requireContains(t, a, "Dry run: s is off")
	if fa.isFixed("root-mfa") {
		t.Fatal("the demo account was changed in a dry run")
	}
}

func TestRecheckFlashSaysHowItWent(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	cmd := press(a, "R")
	requireContains(t, a, "Re-checking everything…")
	settle(t, a, cmd)
	requireContains(t, a, "Re-checked 7 items.")
	if strings.Contains(viewText(a), "Re-checking") {
		t.Error("the in-progress message stayed")
	}

	press(a, "n", "enter")
	settle(t, a, press(a, "s"))
	requireContains(t, a, "Demo: simulated in the console; now pass")
	if strings.Contains(viewText(a), "Re-checking the account") {
		t.Error("the in-progress message stayed after simulate")
	}
}

func TestConsoleStepsSayWhoToSignInAs(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	a.openStep("root-mfa")
	a.sync()
	requireSays(t, a, "Sign in as the root user")
	a.openStep("iam-users-mfa")
	a.c.sess.byID["iam-users-mfa"].result.Status = steps.StatusFail
	a.sync()
	requireSays(t, a, "Sign in as your admin user (or root until you have one)")
}

func TestAutoItemWithoutFixSaysConsole(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	press(a, "enter")
	a.c.sess.byID["credential-report"].result.Status = steps.StatusFail
	a.openStep("credential-report")
	a.sync()
	requireSays(t, a, "You fix it in the console.")
	for _, bad := range []string{"rootguard can fix", "later version", "What rootguard would change"} {
		if strings.Contains(viewText(a), bad) {
			t.Errorf("an item with no fix says %q", bad)
		}
	}
}

func TestAttestAndInfoShowNoLastVerified(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	a.openStep("security-questions")
	a.sync()
	if strings.Contains(viewText(a), "Last verified") {
		t.Error("an information item says Last verified")
	}
	a.openStep("root-password")
	a.sync()
	if strings.Contains(viewText(a), "Last verified") {
		t.Error("an unmarked attest item says Last verified")
	}
	settle(t, a, press(a, "m", "enter"))
	requireContains(t, a, "Marked done on")
	if strings.Contains(viewText(a), "Last verified") {
		t.Error("an attested item says Last verified")
	}
}

// The footer never cuts a key: every hint shown is whole, and help, quit
// or back stay at every width.
func TestFooterKeepsHelpAndQuitAtAnyWidth(t *testing.T) {
	screens := [][]string{nil, {"enter"}, {"enter", "n", "enter"}, {"enter", "n", "n", "enter"}, {"enter", "f"}}
	for _, size := range [][2]int{{60, 16}, {80, 24}} {
		for _, keys := range screens {
			for _, full := range []bool{false, true} {
				a := started(t, testConfig(newFakeAccount()))
				a.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				press(a, keys...)
				if full {
					press(a, "?")
				}
				help := ansi.Strip(helpView(a.help, a.screenHelp(), a.c.width, a.c.showAll))
				for _, l := range strings.Split(help, "\n") {
					if ansi.StringWidth(l) > size[0] || strings.Contains(l, "…") {
						t.Errorf("%v %v full=%v: help line cut: %q", size, keys, full, l)
					}
				}
				if a.screen != screenIdentity && !strings.Contains(help, "?") {
					t.Errorf("%v %v full=%v: no ? in %q", size, keys, full, help)
				}
				if !strings.Contains(help, "q ") && !strings.Contains(help, "esc/q") {
					t.Errorf("%v %v full=%v: no q in %q", size, keys, full, help)
				}
			}
		}
	}
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter", "n", "enter", "?")
	requireSays(t, a, "f finish/summary", "ctrl+c quit", "esc/q back to list")
}

func TestProgressLineMatchesTheSummaryScore(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	requireContains(t, a, "33% · 2 of 7 done · 4 to do · 1 n/a")
	press(a, "f")
	requireSays(t, a, "Score 33% · 2 of 7 items done, 4 still open, 1 does not apply.")
}

func TestFinalReportsScoreAndOpenItems(t *testing.T) {
	a := newTestApp(t, testConfig(newFakeAccount()))
	if f := a.Final(); f.Account != "" {
		t.Fatalf("before the identity: %+v", f)
	}
	settle(t, a, a.Init())
	f := a.Final()
	if f.Account != "123456789012" || !f.Checked || f.Score.Percent != 33 || f.Open != 4 {
		t.Fatalf("final = %+v", f)
	}
}

// requireSays is requireContains with runs of spaces and line breaks
// counted as one space, for text that wraps.
func requireSays(t *testing.T, a *App, want ...string) {
	t.Helper()
	got := strings.Join(strings.Fields(viewText(a)), " ")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("view does not say %q:\n%s", w, viewText(a))
		}
	}
}

func TestChangeRowsAlignEveryColumn(t *testing.T) {
	st := DefaultStyles(true)
	changes := []steps.Change{
		{Field: "Reuse prevention", Current: "off", Proposed: "last 24 passwords"},
		{Field: "operations email", Current: "security@example.com", Proposed: "ops@example.com"},
	}
	got := ansi.Strip(strings.Join(changeRows(changes, 80, st), "\n"))
	want := "  Reuse prevention  off                  → last 24 passwords\n" +
		"  operations email  security@example.com → ops@example.com"
	if got != want {
		t.Fatalf("at 80:\n%s\nwant:\n%s", got, want)
	}
	got = ansi.Strip(strings.Join(changeRows(changes, 50, st), "\n"))
	want = "  Reuse prevention\n      off → last 24 passwords\n" +
		"  operations email\n      security@example.com → ops@example.com"
	if got != want {
		t.Fatalf("at 50:\n%s\nwant:\n%s", got, want)
	}
}

func TestSavingLineCountsTheChanges(t *testing.T) {
	p := steps.Plan{Calls: []steps.Call{{Label: "security contact"}, {Label: "billing contact"}, {Label: "operations contact"}}}
	if got := savingLine(p); got != "Saving 3 contacts…" {
		t.Fatalf("got %q", got)
	}
	p.Calls = p.Calls[:1]
	if got := savingLine(p); got != "Saving the security contact…" {
		t.Fatalf("got %q", got)
	}
}

func TestGuidesNameTheAccountsOwnSignInURL(t *testing.T) {
	a := &common{sess: newSession(nil)}
	if got := a.personalise("https://ACCOUNT_ID.signin.aws.amazon.com/console"); got != "https://ACCOUNT_ID.signin.aws.amazon.com/console" {
		t.Fatalf("without an identity: %q", got)
	}
	a.sess.identity = &awsops.Identity{Account: "123456789012"}
	if got := a.personalise("https://ACCOUNT_ID.signin.aws.amazon.com/console"); got != "https://123456789012.signin.aws.amazon.com/console" {
		t.Fatalf("account: %q", got)
	}
	a.sess.identity.Alias = "acme-sandbox"
	if got := a.personalise("https://ACCOUNT_ID.signin.aws.amazon.com/console"); got != "https://acme-sandbox.signin.aws.amazon.com/console" {
		t.Fatalf("alias: %q", got)
	}
}
