package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/steps"
)

// The root-activity-alert, budget-alert and credential report save through
// the wizard over the demo account.

const alertEmailTyped = "security@acme.example"

// fillAlertForm types the email and takes the default for API calls.
func fillAlertForm(t *testing.T, d demoWizard) {
	t.Helper()
	send(t, d.App, "x")
	requireContains(t, d.App, "Email address for the alert")
	typeText(t, d.App, alertEmailTyped)
	send(t, d.App, "enter", "enter")
}

func TestRootAlertFixInTheWizardRedWarnGreen(t *testing.T) {
	d := demoFixApp(t, steps.FixRootActivityAlert, 80, 24, nil)
	if s := d.c.sess.byID[steps.FixRootActivityAlert].result.Status; s != steps.StatusFail {
		t.Fatalf("before: %s", s)
	}
	fillAlertForm(t, d)
	requireSays(t, d.App, "Email an alert when root signs in", "Write these changes to account 111122223333?")
	requireNoWrites(t, d.acct)
	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 4 {
		t.Fatalf("writes = %q", w)
	}
	requireSays(t, d.App, "✓ Written to the account", "Confirm the email subscription", "Check your inbox and press r", alertEmailTyped)
	if s := d.c.sess.byID[steps.FixRootActivityAlert].result.Status; s != steps.StatusWarn {
		t.Fatalf("after the fix: %s, want warn until the email is confirmed", s)
	}
	// The person clicks the link (the demo simulates it); r re-checks here.
	if err := d.acct.Simulate(steps.FixRootActivityAlert); err != nil {
		t.Fatal(err)
	}
	send(t, d.App, "r")
	if s := d.c.sess.byID[steps.FixRootActivityAlert].result.Status; s != steps.StatusPass {
		t.Fatalf("after r: %s", s)
	}
	send(t, d.App, "enter")
	if d.screen != screenStep {
		t.Fatalf("screen %v", d.screen)
	}
}

// On the step, after the fix, s simulates confirming the email.
func TestRootAlertDemoSimulatesTheConfirmation(t *testing.T) {
	d := demoFixApp(t, steps.FixRootActivityAlert, 80, 24, func(c *Config) {})
	fillAlertForm(t, d)
	send(t, d.App, "y", "enter")
	if s := d.c.sess.byID[steps.FixRootActivityAlert].result.Status; s != steps.StatusWarn {
		t.Fatalf("after the fix: %s", s)
	}
	d.c.cfg.Simulate, d.c.cfg.CanSimulate = d.acct.Simulate, d.acct.CanSimulate
	send(t, d.App, "s")
	if s := d.c.sess.byID[steps.FixRootActivityAlert].result.Status; s != steps.StatusPass {
		t.Fatalf("after s: %s (%s)", s, d.c.sess.byID[steps.FixRootActivityAlert].result.Summary)
	}
}

func TestBudgetFixInTheWizard(t *testing.T) {
	d := demoFixApp(t, steps.FixBudgetAlert, 80, 24, nil)
	send(t, d.App, "x")
	requireSays(t, d.App, "This account has no budgets yet.", "Monthly budget (USD)")
	typeText(t, d.App, "12.345")
	send(t, d.App, "enter")
	requireSays(t, d.App, "must have at most two decimals")
	send(t, d.App, "backspace")
	send(t, d.App, "enter")
	typeText(t, d.App, "billing@acme.example")
	send(t, d.App, "enter")
	requireSays(t, d.App, "Create a monthly cost budget with email alerts", "Write this change to account 111122223333?")
	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 1 || w[0] != "CreateCostBudget BudgetName=rootguard-monthly-cost Limit=12.34 USD" {
		t.Fatalf("writes = %q", w)
	}
	if s := d.c.sess.byID[steps.FixBudgetAlert].result.Status; s != steps.StatusPass {
		t.Fatalf("after the fix: %s", s)
	}
	send(t, d.App, "enter", "x")
	requireSays(t, d.App, "Budgets in this account now:", "rootguard-monthly-cost: cost, 12.34 USD a month, 2 alerts")
}

// The previews at 80x24, light and dark.
func TestAlertFixPreviewGolden(t *testing.T) {
	for _, sc := range []struct {
		name string
		item string
		fill func(t *testing.T, d demoWizard)
	}{
		{"root-activity-alert", steps.FixRootActivityAlert, fillAlertForm},
		{"budget-alert", steps.FixBudgetAlert, func(t *testing.T, d demoWizard) {
			send(t, d.App, "x")
			typeText(t, d.App, "50")
			send(t, d.App, "enter")
			typeText(t, d.App, "billing@acme.example")
			send(t, d.App, "enter")
		}},
	} {
		for _, dark := range []bool{true, false} {
			theme := map[bool]string{true: "dark", false: "light"}[dark]
			t.Run(fmt.Sprintf("%s/80x24/%s", sc.name, theme), func(t *testing.T) {
				d := demoFixApp(t, sc.item, 80, 24, nil)
				d.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
				d.setDark(dark)
				sc.fill(t, d)
				if d.fix == nil || d.fix.phase != phasePreview {
					t.Fatalf("not at the preview:\n%s", viewText(d.App))
				}
				golden.RequireEqual(t, viewText(d.App))
			})
		}
	}
}

func TestCredentialReportSavedFromTheStep(t *testing.T) {
	d := demoFixApp(t, "credential-report", 80, 24, nil)
	requireContains(t, d.App, "w save as CSV")
	send(t, d.App, "w")
	requireSays(t, d.App, "Save the credential report (it lists every user) as:", "./credential-report-111122223333-2026-01-15.csv",
		"enter saves it (readable by you only)")
	path := filepath.Join(t.TempDir(), "report.csv")
	if err := os.WriteFile(path+".target", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(path+".target", path); err != nil { // a link there is replaced, never followed
		t.Fatal(err)
	}
	send(t, d.App, "ctrl+u")
	typeText(t, d.App, path)
	send(t, d.App, "enter")
	requireSays(t, d.App, "Saved the credential report to "+path+" (readable by you only).", "lists every user")
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want a regular file 0600", info.Mode())
	}
	if target, _ := os.ReadFile(path + ".target"); len(target) != 0 {
		t.Error("the symbolic link was followed")
	}
	got, _ := os.ReadFile(path)
	want, err := steps.CredentialReportCSV(t.Context(), d.acct)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) || !strings.HasPrefix(string(got), "user,arn,") {
		t.Errorf("file = %q\nwant %q", got, want)
	}
	requireNoWrites(t, d.acct)

	// esc cancels; an empty path is refused at the prompt.
	send(t, d.App, "w", "esc")
	requireSays(t, d.App, "Not saved.")
	send(t, d.App, "w", "ctrl+u", "enter")
	requireSays(t, d.App, "Type where to save the file")
	send(t, d.App, "esc")
	// A path that cannot be written says why.
	send(t, d.App, "w", "ctrl+u")
	typeText(t, d.App, filepath.Join(t.TempDir(), "missing", "x.csv"))
	send(t, d.App, "enter")
	requireSays(t, d.App, "Could not save the credential report to")
}

func TestCredentialReportSavePromptGolden(t *testing.T) {
	d := demoFixApp(t, "credential-report", 80, 24, nil)
	d.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
	send(t, d.App, "w")
	golden.RequireEqual(t, viewText(d.App))
}

func TestNoExportKeyWithoutAnExport(t *testing.T) {
	d := demoFixApp(t, steps.FixPasswordPolicy, 80, 24, nil)
	send(t, d.App, "w")
	if d.step.saving {
		t.Fatal("w opened a save prompt on an item without an export")
	}
}
