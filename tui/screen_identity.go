package tui

import (
	"errors"
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// identityScreen is the first screen: who is calling, the read-only
// promise, and where the account stands.
type identityScreen struct {
	c    *common
	keys IdentityKeys
}

func newIdentityScreen(c *common) identityScreen {
	s := identityScreen{c: c, keys: c.keys.Identity}
	s.setKeys()
	return s
}

// sync fits the screen to the session and the body size (after every
// Update, so View only reads).
func (s *identityScreen) sync(w, h int) { s.setKeys() }

func (s *identityScreen) setKeys() {
	s.keys.Continue.SetEnabled(s.c.sess.identity != nil)
	s.keys.Retry.SetEnabled(s.c.sess.identityErr != nil)
}

func (s identityScreen) Update(msg tea.Msg) (identityScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Quit):
		return s, do(quitMsg{})
	case key.Matches(k, s.keys.Retry):
		return s, do(retryIdentityMsg{})
	case key.Matches(k, s.keys.Continue):
		return s, do(openChecklistMsg{})
	}
	return s, nil
}

func (s identityScreen) help() helpKeys {
	short := []key.Binding{s.keys.Continue, s.keys.Retry, s.keys.Quit}
	return helpKeys{short: short, full: [][]key.Binding{short}}
}

func (s identityScreen) View(w, h int) string {
	c := s.c
	st := c.styles
	id := c.sess.identity
	var b []string
	switch {
	case c.sess.identityErr != nil:
		err := c.sess.identityErr
		b = append(b, st.Error.Bold(true).Render("rootguard could not read who you are."), "",
			wrap(st.Text.Render(safetext.Text(err.Error())), w, "", ""), "",
			wrap(st.Text.Render(identityAdvice(err, keyName(s.keys.Retry))), w, "", ""), "",
			st.Dim.Render(fmt.Sprintf("Press %s to try again, %s to quit.", keyName(s.keys.Retry), keyName(s.keys.Quit))))
	case id == nil:
		b = append(b, c.spin()+" "+st.Text.Render("Connecting to AWS and reading who you are…"),
			"", st.Dim.Render(c.readOnlyNote()))
	default:
		b = append(b, wrap(st.Title.Render("rootguard walks you through securing this AWS account's root user and settings, one step at a time."), w, "", ""),
			wrap(st.Dim.Render(c.readOnlyNote()), w, "", ""), "")
		who := st.Text.Render(safetext.Line(id.ARN))
		if id.IsRoot {
			who += st.RootBanner.Render("  (root user)")
		}
		rows := [][2]string{
			{"Account", st.Text.Render(safetext.Line(id.Account))},
			{"Alias", c.aliasText()},
			{"Signed in as", who},
			{"Credentials", st.Text.Render(credentialsText(id, c.cfg.Demo))},
			{"Region", st.Text.Render(c.regionName())},
		}
		// Long values (an SSO role's session ARN) wrap inside the box, at
		// a slash where they can, under their own column.
		const labelW = 13
		valueW := max(w-4-labelW, 10) // the box's border and padding
		var t []string
		for _, r := range rows {
			for i, l := range strings.Split(ansi.Wrap(r[1], valueW, "/:"), "\n") {
				label := strings.Repeat(" ", labelW)
				if i == 0 {
					label = st.Dim.Render(fmt.Sprintf("%-*s", labelW, r[0]))
				}
				t = append(t, label+l)
			}
		}
		b = append(b, st.Box.Render(strings.Join(t, "\n")), "")
		if c.cfg.Demo {
			sim := keyName(c.keys.Step.Simulate)
			demo := "This is the built-in demo account: nothing is real. On console steps, " + sim + " simulates doing them so you can watch items turn green."
			if c.cfg.DryRun {
				demo = "This is the built-in demo account: nothing is real. Simulating console steps (" + sim + ") is off in a dry run."
			}
			b = append(b, wrap(st.Dim.Render(demo), w, "", ""))
			if note := c.demoNote(); note != "" {
				b = append(b, wrap(st.Text.Render(note), w, "", ""))
			}
			b = append(b, "")
		}
		b = append(b, c.progressLine(w), "", st.Text.Render("Press ")+st.Key.Render(keyName(s.keys.Continue))+st.Text.Render(" to walk the checklist."))
	}
	return strings.Join(b, "\n")
}

// aliasText is the identity screen's alias: read beside the identity, so
// it can still be on its way, or could not be read.
func (c *common) aliasText() string {
	st := c.styles
	a := c.sess.alias
	switch {
	case !a.done:
		return c.spin() + st.Dim.Render(" reading…")
	case a.err != nil:
		why := "could not be read"
		if p := awsops.PermissionOf(a.err); p != "" && awsops.KindOf(a.err) == awsops.KindAccessDenied {
			why += " (needs " + safetext.Line(p) + ")"
		} else if awsops.KindOf(a.err) == awsops.KindCanceled {
			why += " (no answer in time)"
		}
		return st.Status[steps.StatusWarn].Render(why)
	case a.value == "":
		return st.Dim.Render("none set")
	}
	return st.Text.Render(safetext.Line(a.value))
}

// readOnlyNote says when rootguard writes: after a yes, or in a dry run
// never.
func (c *common) readOnlyNote() string {
	if c.cfg.DryRun {
		return "Dry run (--dry-run): rootguard only reads; fixes are previewed and nothing is ever written."
	}
	return "It only reads your account; nothing changes unless you say yes."
}

func credentialsText(id *awsops.Identity, demo bool) string {
	if demo {
		return "simulated (demo account: no AWS credentials are used)"
	}
	switch id.Credentials {
	case awsops.CredentialsTemporary:
		return "temporary (SSO, a role or CloudShell)"
	case awsops.CredentialsLongTerm:
		if id.AccessKeyID != "" {
			return "long-term access key " + awsops.MaskKey(id.AccessKeyID)
		}
		return "long-term access key"
	}
	return "unknown"
}

// identityAdvice says what to do when the caller cannot be read.
func identityAdvice(err error, retry string) string {
	switch awsops.KindOf(err) {
	case awsops.KindCredentials:
		return "Your AWS credentials are missing or expired. Sign in again (for example `aws sso login --profile NAME`), or pass --profile, then press " + retry + ". To try rootguard without AWS, run `rootguard --demo`."
	case awsops.KindAccessDenied:
		return "These credentials may not call " + orDefault(awsops.PermissionOf(err), "sts:GetCallerIdentity") + ". `rootguard policy` prints the read-only policy rootguard needs."
	case awsops.KindThrottled:
		return "AWS is throttling requests: wait a minute, then press " + retry + "."
	}
	var ae *awsops.Error
	if errors.As(err, &ae) && ae.Kind == awsops.KindCanceled {
		return "The request was canceled: press " + retry + " to try again."
	}
	return "Check your network and AWS configuration (profile, region), then press " + retry + "."
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
