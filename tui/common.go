package tui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/colorprofile"

	"github.com/rootguard/rootguard/steps"
)

// common is what every screen shares (soft-serve's and crush's Common):
// the configuration, styles, key map, terminal size and colour profile,
// the spinner's frame and the session to read. The App owns it and is
// the only one that changes it.
type common struct {
	ctx     context.Context // cancelled on quit: commands use it
	cfg     Config
	styles  Styles
	keys    KeyMap
	width   int
	height  int
	profile colorprofile.Profile
	spinner spinner.Model
	showAll bool // the full help is open
	sess    *session
}

// isDark reports whether the background is dark (as the styles are now).
func (c *common) isDark() bool { return c.styles.IsDark }

// spin is the spinner's current frame.
func (c *common) spin() string { return c.spinner.View() }

// helpKey is the global ? binding as the footer shows it now.
func (c *common) helpKey() key.Binding {
	b := c.keys.Global.Help
	if c.showAll {
		b.SetHelp(keyName(b), "fewer keys")
	}
	return b
}

// facts starts a pass with fresh reads.
func (c *common) facts() *steps.Facts { return c.factsWith(false) }

// liveFacts starts a pass that reads every IAM user live rather than from
// the cached credential report (steps.FactsOptions.Live): for re-checks of
// one item and after a fix, which must see the change.
func (c *common) liveFacts() *steps.Facts { return c.factsWith(true) }

func (c *common) factsWith(live bool) *steps.Facts {
	return steps.NewFacts(c.cfg.Account, steps.FactsOptions{
		Identity:     c.sess.identity,
		Now:          c.cfg.Now,
		Attestations: c.cfg.Attestations.Get,
		Live:         live,
	})
}

// accountName is "account 123456789012", or "this account".
func (c *common) accountName() string {
	if c.sess.identity == nil {
		return "this account"
	}
	return "account " + c.sess.identity.Account
}
