package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// orgFixApp is the wizard over the demo's org scenario (as --demo=org
// runs it: the badge names the scenario), showing the step of item.
func orgFixApp(t *testing.T, item string, w, h int) demoWizard {
	t.Helper()
	return scenarioFixApp(t, "org", item, w, h, func(c *Config) {
		c.DemoScenario = "org"
		sim := c.Account.(*demo.Account)
		c.Simulate, c.CanSimulate = sim.Simulate, sim.CanSimulate
	})
}

// TestOrgFixGolden snapshots both Organizations previews (and the SCP's
// choice of targets) at 80x24, on dark and light backgrounds.
func TestOrgFixGolden(t *testing.T) {
	for _, sc := range []struct {
		name string
		item string
		keys []string
	}{
		{"root-access-preview", steps.FixOrgRootAccess, []string{"x"}},
		{"scp-form", steps.FixOrgRootSCP, []string{"x"}},
		{"scp-preview", steps.FixOrgRootSCP, []string{"x", "enter"}},
		// Scrolled to the calls: the policy document as it is sent.
		{"scp-preview-document", steps.FixOrgRootSCP, append([]string{"x", "enter"}, repeat("down", 40)...)},
	} {
		for _, dark := range []bool{true, false} {
			theme := map[bool]string{true: "dark", false: "light"}[dark]
			t.Run(fmt.Sprintf("%s/80x24/%s", sc.name, theme), func(t *testing.T) {
				d := orgFixApp(t, sc.item, 80, 24)
				d.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
				d.setDark(dark)
				send(t, d.App, sc.keys...)
				golden.RequireEqual(t, viewText(d.App))
			})
		}
	}
}

func TestOrgHeaderNamesTheScenario(t *testing.T) {
	d := orgFixApp(t, steps.FixOrgRootSCP, 80, 24)
	if first := strings.SplitN(viewText(d.App), "\n", 2)[0]; !strings.HasSuffix(strings.TrimRight(first, " "), "DEMO ACCOUNT · org") {
		t.Errorf("header %q", first)
	}
	narrow := orgFixApp(t, steps.FixOrgRootSCP, 60, 24)
	if first := strings.SplitN(viewText(narrow.App), "\n", 2)[0]; !strings.Contains(first, "DEMO · org") || len([]rune(first)) > 60 {
		t.Errorf("narrow header %q", first)
	}
}

// The typed confirmation is the management account's ID: a yes or another
// value writes nothing; the ID applies, and the item turns green.
func TestOrgFixesNeedTheTypedID(t *testing.T) {
	for _, tc := range []struct {
		item string
		keys []string // to the preview
	}{
		{steps.FixOrgRootAccess, []string{"x"}},
		{steps.FixOrgRootSCP, []string{"x", "enter"}},
	} {
		t.Run(tc.item, func(t *testing.T) {
			d := orgFixApp(t, tc.item, 80, 24)
			send(t, d.App, tc.keys...)
			requireSays(t, d.App, "Type the management account's ID ("+demo.AccountID+")")
			send(t, d.App, "y", "enter")
			requireSays(t, d.App, "nothing was written")
			requireNoWrites(t, d.acct)
			send(t, d.App, "ctrl+u")
			typeText(t, d.App, demo.AccountID)
			send(t, d.App, "enter")
			requireSays(t, d.App, "Re-checked live", "PASS")
			if it := d.c.sess.byID[tc.item]; it.result.Status != steps.StatusPass {
				t.Errorf("after the fix: %s (%s)", it.result.Status, it.result.Summary)
			}
			if got := d.rec.all(); len(got) != 1 || !strings.HasPrefix(got[0], tc.item) {
				t.Errorf("recorded %q", got)
			}
		})
	}
}

// The scenario's console simulations: a guided item and both
// Organizations items turn green with s.
func TestOrgSimulationsInTheWizard(t *testing.T) {
	for _, id := range []string{"root-mfa", steps.FixOrgRootAccess, steps.FixOrgRootSCP} {
		d := orgFixApp(t, id, 80, 24)
		send(t, d.App, "s")
		if it := d.c.sess.byID[id]; it.result.Status != steps.StatusPass {
			t.Errorf("%s after s: %s (%s)", id, it.result.Status, it.result.Summary)
		}
		requireNoWrites(t, d.acct)
	}
}

func repeat(key string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = key
	}
	return out
}
