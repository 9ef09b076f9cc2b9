package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/rootguard/rootguard/assets"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// TestFlowOverDemoAccount walks the real checklist on the demo account:
// open, go to the first guided item, simulate doing it, see it pass, and
// reach the summary.
func TestFlowOverDemoAccount(t *testing.T) {
	acct := demo.New(demo.Options{Now: func() time.Time { return testNow }})
	cfg := Config{
		Account: acct, Region: acct.Region(), Demo: true,
		Simulate: acct.Simulate, CanSimulate: acct.CanSimulate,
		Now:   func() time.Time { return testNow },
		Items: steps.All(), Guide: assets.Guide,
	}
	a, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(120, 60),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	waitFor := func(token string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(token)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}

	waitFor("walk the checklist")
	tm.Send(keyMsg("enter"))
	waitFor("Know where")
	tm.Send(keyMsg("n")) // the first item that needs attention after the first row
	tm.Send(keyMsg("enter"))
	waitFor("Step 2 of")
	tm.Send(keyMsg("s"))
	waitFor("verified live")
	tm.Send(keyMsg("f"))
	waitFor("Score")
	tm.Send(keyMsg("q"))

	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*App)
	if !ok {
		t.Fatal("final model is not the wizard")
	}
	s := final.c.sess.byID["root-mfa"]
	if s.result.Status != steps.StatusPass || !s.fixedThisSession() {
		t.Fatalf("root-mfa: %s (first %s), want a pass fixed today", s.result.Status, s.first)
	}
	if final.screen != screenSummary {
		t.Fatalf("final screen %v, want the summary", final.screen)
	}
	view := ansi.Strip(final.View().Content)
	for _, want := range []string{"Fixed this session (1)", "Turn on MFA for the root user"} {
		if !strings.Contains(view, want) {
			t.Errorf("summary lacks %q:\n%s", want, view)
		}
	}
}
