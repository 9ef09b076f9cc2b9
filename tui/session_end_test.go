package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// cmdMsgs runs cmd and every batch in it, returning the messages (timers
// dropped), without feeding them to the wizard.
func cmdMsgs(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	var walk func(tea.Cmd)
	walk = func(c tea.Cmd) {
		if c == nil || timer(c) {
			return
		}
		msg := c()
		if cmds, ok := asCmds(msg); ok {
			for _, x := range cmds {
				walk(x)
			}
			return
		}
		if msg != nil {
			out = append(out, msg)
		}
	}
	walk(cmd)
	return out
}

// The identity shows as soon as it is read; the alias follows on its own
// and never holds the first screen.
func TestIdentityShowsBeforeTheAlias(t *testing.T) {
	fa := newFakeAccount()
	a := newTestApp(t, testConfig(fa))
	a.Init()
	id, _ := fa.Caller(context.Background())
	a.Update(identityMsg{Gen: a.identityGen, Identity: id})
	requireContains(t, a, "123456789012", "Alias", "reading…")
	if strings.Contains(viewText(a), "Connecting to AWS") {
		t.Fatal("the identity waits for the alias")
	}
	a.Update(aliasMsg{Gen: a.aliasGen, Alias: "acme-test"})
	requireContains(t, a, "acme-test")
	if a.c.sess.identity.Alias != "acme-test" {
		t.Errorf("identity alias = %q", a.c.sess.identity.Alias)
	}
	// An alias that arrives first waits for the identity.
	b := newTestApp(t, testConfig(fa))
	b.Init()
	b.Update(aliasMsg{Gen: b.aliasGen, Alias: "acme-test"})
	b.Update(identityMsg{Gen: b.identityGen, Identity: id})
	if b.c.sess.identity.Alias != "acme-test" {
		t.Errorf("alias before identity: identity alias = %q", b.c.sess.identity.Alias)
	}
}

func TestAliasThatCannotBeReadSaysSo(t *testing.T) {
	fa := newFakeAccount()
	fa.aliasErr = awsops.Wrap("iam:ListAccountAliases", &awsops.Error{Kind: awsops.KindAccessDenied, Permission: "iam:ListAccountAliases"})
	a := started(t, testConfig(fa))
	requireContains(t, a, "could not be read (needs iam:ListAccountAliases)")
	if a.c.sess.identity == nil || a.c.sess.identity.Account != "123456789012" {
		t.Fatal("a failed alias read kept the identity out")
	}
}

// Quitting while the first pass is in flight: the canceled checks are not
// verdicts, no run is saved, and Final says how many were still running.
func TestQuitDuringTheFirstPassSavesNoRun(t *testing.T) {
	fa := newFakeAccount()
	cfg := testConfig(fa)
	saved := 0
	cfg.RecordRun = func(progress.Run) error { saved++; return nil }
	a := newTestApp(t, cfg)
	a.Init()
	id, _ := fa.Caller(context.Background())
	_, checks := a.Update(identityMsg{Gen: a.identityGen, Identity: id})
	press(a, "q") // the identity screen's quit, with every check in flight
	if !a.quitting || a.c.ctx.Err() == nil {
		t.Fatal("q did not quit")
	}
	for _, m := range cmdMsgs(checks) { // they answer after the quit (canceled)
		a.Update(m)
	}
	f := a.Final()
	if f.Checked || f.Start != nil || f.End != nil || f.Pending != len(a.c.sess.items) {
		t.Errorf("final = %+v, want no pass and %d pending", f, len(a.c.sess.items))
	}
	if saved != 0 {
		t.Errorf("a run was saved %d times", saved)
	}
	for _, it := range a.c.sess.items {
		if it.has {
			t.Errorf("%s has a verdict from a canceled check: %s", it.item.ID, it.result.Status)
		}
	}
}

// Quitting while a re-check is in flight keeps the completed verdict.
func TestQuitDuringARecheckKeepsTheCompletedVerdict(t *testing.T) {
	fa := newFakeAccount()
	a := started(t, testConfig(fa))
	press(a, "enter")
	start := a.Final()
	if !start.Checked || start.Start == nil {
		t.Fatalf("after the first pass: %+v", start)
	}
	recheck := press(a, "r")
	press(a, "q")
	for _, m := range cmdMsgs(recheck) {
		a.Update(m)
	}
	f := a.Final()
	if !f.Checked || f.Pending != 1 || f.End != nil || f.Score != start.Score {
		t.Errorf("final = %+v, want the first pass's verdicts and 1 pending", f)
	}
}

func TestSecondCtrlCExitsWithoutWaitingForTheUndo(t *testing.T) {
	s := stageApp(t, 120, 40)
	s.toStage(t)
	_, first := s.Update(keyMsg("ctrl+c")) // an undo, then the interrupt
	_, second := s.Update(keyMsg("ctrl+c"))
	msgs := drain(second)
	if len(msgs) != 1 {
		t.Fatalf("second ctrl+c gave %d messages, want the interrupt alone", len(msgs))
	}
	if _, ok := msgs[0].(tea.InterruptMsg); !ok {
		t.Fatalf("second ctrl+c: %T, want the interrupt", msgs[0])
	}
	if got := s.acct.log(); len(got) != 2 {
		t.Errorf("calls = %v: the second ctrl+c ran the undo", got)
	}
	_ = first
}

// An item that waits on another says so, on the checklist and the step.
func TestWaitsForShowsOnTheChecklistAndTheStep(t *testing.T) {
	fa := newFakeAccount()
	cfg := testConfig(fa)
	for i := range cfg.Items {
		if cfg.Items[i].ID == "root-password" {
			cfg.Items[i].Check = func(context.Context, *steps.Facts) steps.Result {
				return steps.Result{Status: steps.StatusManual, Summary: "not confirmed yet", BlockedBy: "root-mfa"}
			}
		}
	}
	a := started(t, cfg)
	press(a, "enter", "down", "down")
	if a.checklist.cursor != "root-password" {
		t.Fatalf("cursor %q", a.checklist.cursor)
	}
	requireContains(t, a, "waits for: Turn on MFA for the root user")
	press(a, "enter")
	requireContains(t, a, "waits for: Turn on MFA for the root user")
}

// liveAccount has one IAM user in the credential report and reads her live.
type liveAccount struct {
	*fakeAccount
}

func (liveAccount) CredentialReport(context.Context) (*awsops.CredentialReport, error) {
	return &awsops.CredentialReport{GeneratedAt: testNow.Add(-time.Hour),
		Users: []awsops.CredentialRow{{User: "bob", ARN: "arn:aws:iam::123456789012:user/bob", PasswordEnabled: "true"}}}, nil
}

func (liveAccount) IAMUsers(context.Context) ([]awsops.IAMUser, error) {
	return []awsops.IAMUser{{Name: "bob", ARN: "arn:aws:iam::123456789012:user/bob", CreatedAt: testNow.Add(-48 * time.Hour)}}, nil
}

func (liveAccount) UserCredentials(_ context.Context, user string) (awsops.UserCredentials, error) {
	return awsops.UserCredentials{User: user, ConsolePassword: true, MFADevices: 1}, nil
}

// A re-check of one item reads live, not from the cached credential report.
func TestRecheckOfOneItemReadsLive(t *testing.T) {
	fa := liveAccount{newFakeAccount()}
	cfg := testConfig(fa.fakeAccount)
	cfg.Account = fa
	cfg.Items[0].Check = func(ctx context.Context, f *steps.Facts) steps.Result {
		rep, err := f.Credentials(ctx)
		if err != nil {
			return steps.Unknown("the credential report", err)
		}
		if rep.Users[0].Live {
			return steps.Result{Status: steps.StatusPass, Summary: "read live"}
		}
		return steps.Result{Status: steps.StatusWarn, Summary: "from the report"}
	}
	a := started(t, cfg)
	if got := a.c.sess.byID["credential-report"].result.Summary; got != "from the report" {
		t.Fatalf("first pass: %q", got)
	}
	press(a, "enter")
	settle(t, a, press(a, "r"))
	if got := a.c.sess.byID["credential-report"].result.Summary; got != "read live" {
		t.Errorf("re-check: %q, want a live read", got)
	}
}
