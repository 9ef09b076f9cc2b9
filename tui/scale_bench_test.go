package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// bigAccount is the demo account with n more IAM users, every one with a
// console password, no MFA and an old access key never used: a finding
// each for credential-report, iam-users-mfa and access-key-hygiene.
type bigAccount struct {
	*demo.Account
	n   int
	now time.Time
}

func (b bigAccount) name(i int) string { return fmt.Sprintf("user%05d", i) }

func (b bigAccount) CredentialReport(ctx context.Context) (*awsops.CredentialReport, error) {
	r, err := b.Account.CredentialReport(ctx)
	if err != nil {
		return nil, err
	}
	created := b.now.Add(-400 * 24 * time.Hour)
	for i := range b.n {
		r.Users = append(r.Users, awsops.CredentialRow{
			User: b.name(i), ARN: "arn:aws:iam::" + demo.AccountID + ":user/" + b.name(i), CreatedAt: created,
			PasswordEnabled: "true", PasswordLastUsed: awsops.Stamp{Raw: "no_information"},
			Keys: [2]awsops.KeyUsage{{Active: true, LastRotated: awsops.Stamp{Time: created, Raw: created.Format(time.RFC3339)},
				LastUsed: awsops.Stamp{Raw: "N/A"}}, {LastRotated: awsops.Stamp{Raw: "N/A"}, LastUsed: awsops.Stamp{Raw: "N/A"}}},
		})
	}
	return r, nil
}

func (b bigAccount) IAMUsers(ctx context.Context) ([]awsops.IAMUser, error) {
	users, err := b.Account.IAMUsers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range b.n {
		users = append(users, awsops.IAMUser{Name: b.name(i), ARN: "arn:aws:iam::" + demo.AccountID + ":user/" + b.name(i),
			CreatedAt: b.now.Add(-400 * 24 * time.Hour)})
	}
	return users, nil
}

// bigWizard is the wizard over the demo account with 50,000 more users,
// after its first pass, at 80x24.
func bigWizard(tb testing.TB) *App {
	tb.Helper()
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	acct := bigAccount{Account: demo.New(demo.Options{Now: clock}), n: 50000, now: now}
	a, err := New(context.Background(), Config{Account: acct, Region: demo.HomeRegion, Demo: true, Now: clock, Items: steps.All()})
	if err != nil {
		tb.Fatal(err)
	}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	settle(tb, a, a.Init())
	if a.c.sess.identity == nil || !a.c.sess.complete() {
		tb.Fatal("the first pass did not complete")
	}
	return a
}

// The 50,000 users are shown capped, on the step and in the fix preview;
// the report keeps them (steps' result is whole).
func TestFiftyThousandUsersAreCappedOnScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50,000-user account")
	}
	a := bigWizard(t)
	it := a.c.sess.byID["iam-users-mfa"]
	if n := len(it.result.Details); n < 50000 {
		t.Fatalf("iam-users-mfa has %d details, want every user", n)
	}
	a.act(openStepMsg{ID: "iam-users-mfa"})
	a.sync()
	content := a.step.content(it, contentWidth(80))
	if lines := strings.Count(content, "\n"); lines > 200 {
		t.Errorf("the step has %d lines for 50,000 users", lines)
	}
	if !strings.Contains(content, "and 50,000 more") && !strings.Contains(content, "49,") {
		t.Errorf("no count of the users left out:\n%s", content)
	}
}

// BenchmarkKeystrokeFiftyThousandUsers is one keystroke and its frame on
// each screen of a wizard over an account with 50,000 IAM users (each a
// finding of three items).
func BenchmarkKeystrokeFiftyThousandUsers(b *testing.B) {
	a := bigWizard(b)
	for _, tc := range []struct {
		name   string
		open   func()
		keys   []string
		expect string
	}{
		{"identity", func() { a.screen = screenIdentity }, []string{"?", "?"}, "Account"},
		{"checklist", func() { a.act(openChecklistMsg{ID: "credential-report"}) }, []string{"down", "up"}, "credential report"},
		{"step-credential-report", func() { a.act(openStepMsg{ID: "credential-report"}) }, []string{"j", "k"}, "Evidence"},
		{"step-iam-users-mfa", func() { a.act(openStepMsg{ID: "iam-users-mfa"}) }, []string{"j", "k"}, "more"},
		{"step-access-key-hygiene", func() { a.act(openStepMsg{ID: "access-key-hygiene"}) }, []string{"j", "k"}, "Evidence"},
		{"summary", func() { a.act(openSummaryMsg{}) }, []string{"j", "k"}, "Summary"},
	} {
		tc.open()
		a.sync()
		if !strings.Contains(viewText(a), tc.expect) {
			b.Fatalf("%s: the frame lacks %q:\n%s", tc.name, tc.expect, viewText(a))
		}
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				a.Update(keyMsg(tc.keys[i%len(tc.keys)]))
				_ = a.View()
				i++
			}
		})
	}
}
