package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/steps"
)

// The cloudtrail fix has no questions: x shows the preview, y applies it,
// and the result says what the re-check cannot see yet.
func TestFixCloudTrailInTheWizard(t *testing.T) {
	d := demoFixApp(t, steps.FixCloudTrail, 80, 24, nil)
	send(t, d.App, "x")
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 80})
	requireSays(t, d.App, "Create the multi-region trail", "S3 bucket", "s3:PutBucketPolicy", "AWSCloudTrailWrite", "first copy of management events is free")
	d.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	requireNoWrites(t, d.acct)
	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 7 || !strings.HasPrefix(w[0], "CreateLogBucket ") || !strings.HasPrefix(w[6], "StartLogging ") {
		t.Fatalf("writes = %q", w)
	}
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	requireSays(t, d.App, "first log files within about 15 minutes", "Re-checked live", "PASS")
	if got := d.c.sess.byID[steps.FixCloudTrail].result.Status; got != steps.StatusPass {
		t.Fatalf("checklist row = %s after the fix, want pass", got)
	}
}

// The cost must be accepted at its field: No (the default) stops the form
// there with the reason; Yes goes on to the preview with the cost note.
func TestFixGuardDutyCostMustBeAccepted(t *testing.T) {
	d := demoFixApp(t, steps.FixGuardDuty, 80, 24, nil)
	send(t, d.App, "x", "enter", "enter")
	requireSays(t, d.App, "Do you accept the cost? Choose Yes to continue: GuardDuty costs money after its 30-day free trial in each region")
	if d.fix == nil || d.fix.phase != phaseForm {
		t.Fatal("the form went on without the cost accepted")
	}
	requireNoWrites(t, d.acct)
	send(t, d.App, "y")
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	requireSays(t, d.App, "guardduty:CreateDetector", "30-day free trial")
	requireNoWrites(t, d.acct)
	send(t, d.App, "y")
	if w := d.acct.Writes(); len(w) != 1 || w[0] != "CreateDetector Region=us-east-1 Enable=true" {
		t.Fatalf("writes = %q", w)
	}
	if got := d.c.sess.byID[steps.FixGuardDuty].result.Status; got != steps.StatusWarn {
		t.Fatalf("home region only: %s, want warn", got)
	}
}

// TestFixWatchGolden snapshots the previews of the cloudtrail and
// guardduty fixes at 80x24, and the refused cost.
func TestFixWatchGolden(t *testing.T) {
	screens := []struct {
		name string
		item string
		keys []string
	}{
		{"cloudtrail-preview", steps.FixCloudTrail, []string{"x"}},
		{"guardduty-cost-refused", steps.FixGuardDuty, []string{"x", "enter", "enter"}},
		{"guardduty-preview", steps.FixGuardDuty, []string{"x", "y", "y"}},
	}
	for _, sc := range screens {
		for _, dark := range []bool{true, false} {
			theme := "light"
			if dark {
				theme = "dark"
			}
			t.Run(fmt.Sprintf("%s/80x24/%s", sc.name, theme), func(t *testing.T) {
				d := demoFixApp(t, sc.item, 80, 24, nil)
				d.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
				d.setDark(dark)
				send(t, d.App, sc.keys...)
				requireNoWrites(t, d.acct)
				golden.RequireEqual(t, viewText(d.App))
			})
		}
	}
}
