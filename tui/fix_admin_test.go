package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// adminToCodes takes the admin fix on the demo account to its MFA stage
// and returns the device's secret, read from the stage the user sees.
func adminToCodes(t *testing.T, d demoWizard) string {
	t.Helper()
	send(t, d.App, "x")
	requireSays(t, d.App, "User name")
	send(t, d.App, "enter") // the suggested name, admin
	requireSays(t, d.App, "Create the daily-use administrator admin", "Write these changes")
	requireNoWrites(t, d.acct)
	send(t, d.App, "y")
	if d.fix == nil || d.fix.stage == nil {
		t.Fatal("no MFA stage after the first writes")
	}
	for _, s := range d.fix.stage.Show {
		if s.Kind == steps.ShownSecret {
			return s.Value
		}
	}
	t.Fatal("the stage shows no secret")
	return ""
}

// The daily-use administrator in the wizard: a wrong pair of codes asks
// again; two real TOTP codes enable the device; the end shows the sign-in
// URL and the password once, the item passes, and nothing recorded holds a
// secret; leaving the result drops the secrets from the model.
func TestFixAdminInTheWizard(t *testing.T) {
	d := demoFixApp(t, steps.FixAdminIdentity, 80, 24, nil)
	seed := adminToCodes(t, d)
	requireSays(t, d.App, "The QR code needs a terminal of at least", "type the secret below", steps.GroupSecret(seed))

	send(t, d.App, "enter")
	typeText(t, d.App, "111111")
	send(t, d.App, "enter")
	typeText(t, d.App, "222222")
	send(t, d.App, "enter")
	requireSays(t, d.App, "Those codes were not accepted")

	prev, cur, err := demo.CurrentCodes(seed, testNow)
	if err != nil {
		t.Fatal(err)
	}
	typeText(t, d.App, prev)
	send(t, d.App, "enter")
	typeText(t, d.App, cur)
	send(t, d.App, "enter")
	d.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	requireSays(t, d.App, "admin is ready", "https://acme-sandbox.signin.aws.amazon.com/console", "One-time password")
	var password string
	for _, s := range d.fix.stageDone.Show {
		if s.Kind == steps.ShownSecret {
			password = s.Value
		}
	}
	if len(password) < 20 || !strings.Contains(viewText(d.App), password) {
		t.Fatalf("the one-time password %q is not shown", password)
	}
	if got := d.c.sess.byID[steps.FixAdminIdentity].result.Status; got != steps.StatusPass {
		t.Fatalf("admin-identity = %s after the fix, want pass", got)
	}
	for _, r := range d.rec.all() {
		if strings.Contains(r, password) || strings.Contains(r, seed) {
			t.Errorf("a recorded fix holds a secret: %q", r)
		}
	}
	send(t, d.App, "enter") // back to the step
	if d.screen == screenFix || (d.fix != nil && (holds(d.fix, password) || holds(d.fix, seed))) {
		t.Error("the secrets stay in the model after their screen is left")
	}
}

var qrSize = regexp.MustCompile(`at least \d+x\d+`)

// TestFixAdminGolden snapshots the admin fix's MFA screens at 80x24: the
// QR stage (the code needs a taller terminal, so the secret is shown as
// text) and the code entry, with and without the retry message.
func TestFixAdminGolden(t *testing.T) {
	for _, sc := range []struct {
		name string
		keys func(t *testing.T, d demoWizard)
	}{
		{"qr-stage", func(*testing.T, demoWizard) {}},
		{"code-entry", func(t *testing.T, d demoWizard) { send(t, d.App, "enter") }},
		{"code-retry", func(t *testing.T, d demoWizard) {
			send(t, d.App, "enter")
			typeText(t, d.App, "111111")
			send(t, d.App, "enter")
			typeText(t, d.App, "222222")
			send(t, d.App, "enter")
		}},
	} {
		t.Run(fmt.Sprintf("%s/80x24", sc.name), func(t *testing.T) {
			d := demoFixApp(t, steps.FixAdminIdentity, 80, 24, nil)
			d.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
			seed := adminToCodes(t, d)
			sc.keys(t, d)
			// The secret is random: the golden shows where it goes.
			view := strings.ReplaceAll(viewText(d.App), steps.GroupSecret(seed), "XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
			// The code's size depends on the random secret's bits.
			view = qrSize.ReplaceAllString(view, "at least WWxHH")
			golden.RequireEqual(t, view)
		})
	}
}
