package demo

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

var testNow = time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC)

func newTest(t *testing.T, o Options) *Account {
	t.Helper()
	if o.Now == nil {
		o.Now = func() time.Time { return testNow }
	}
	return New(o)
}

// calls invokes every Reader and Writer method by name, with valid input.
var calls = map[string]func(context.Context, *Account) error{
	"CallerIdentity": func(ctx context.Context, a *Account) error { _, err := a.CallerIdentity(ctx); return err },
	"AccountSummary": func(ctx context.Context, a *Account) error { _, err := a.AccountSummary(ctx); return err },
	"CredentialReport": func(ctx context.Context, a *Account) error {
		_, err := a.CredentialReport(ctx)
		return err
	},
	"PasswordPolicy": func(ctx context.Context, a *Account) error { _, err := a.PasswordPolicy(ctx); return err },
	"AlternateContact": func(ctx context.Context, a *Account) error {
		_, err := a.AlternateContact(ctx, awsops.ContactSecurity)
		return err
	},
	"ContactInformation": func(ctx context.Context, a *Account) error {
		_, err := a.ContactInformation(ctx)
		return err
	},
	"VirtualMFADevices": func(ctx context.Context, a *Account) error {
		_, err := a.VirtualMFADevices(ctx)
		return err
	},
	"CallerMFADevices": func(ctx context.Context, a *Account) error {
		_, err := a.CallerMFADevices(ctx)
		return err
	},
	"Administrators": func(ctx context.Context, a *Account) error { _, err := a.Administrators(ctx); return err },
	"IdentityProviders": func(ctx context.Context, a *Account) error {
		_, err := a.IdentityProviders(ctx)
		return err
	},
	"IdentityCenterAccess": func(ctx context.Context, a *Account) error {
		_, err := a.IdentityCenterAccess(ctx, awsops.IdentityCenterInstance{}, AccountID)
		return err
	},
	"OrganizationAccounts": func(ctx context.Context, a *Account) error {
		_, err := a.OrganizationAccounts(ctx)
		return err
	},
	"EnabledRegions": func(ctx context.Context, a *Account) error { _, err := a.EnabledRegions(ctx); return err },
	"IAMUsers":       func(ctx context.Context, a *Account) error { _, err := a.IAMUsers(ctx); return err },
	"UserCredentials": func(ctx context.Context, a *Account) error {
		_, err := a.UserCredentials(ctx, "ci-deploy")
		return err
	},
	"GuardDutyDetectorsIn": func(ctx context.Context, a *Account) error {
		_, err := a.GuardDutyDetectorsIn(ctx, "eu-west-1")
		return err
	},
	"RootUsageAlarms": func(ctx context.Context, a *Account) error {
		_, err := a.RootUsageAlarms(ctx, "arn:aws:logs:us-east-1:111122223333:log-group:trail:*")
		return err
	},
	"RootSignIns": func(ctx context.Context, a *Account) error {
		_, err := a.RootSignIns(ctx, time.Now().Add(-90*24*time.Hour))
		return err
	},
	"IdentityCenterInstances": func(ctx context.Context, a *Account) error {
		_, err := a.IdentityCenterInstances(ctx)
		return err
	},
	"Organization": func(ctx context.Context, a *Account) error { _, err := a.Organization(ctx); return err },
	"OrganizationsRootFeatures": func(ctx context.Context, a *Account) error {
		_, err := a.OrganizationsRootFeatures(ctx)
		return err
	},
	"ServiceControlPolicies": func(ctx context.Context, a *Account) error {
		_, err := a.ServiceControlPolicies(ctx)
		return err
	},
	"RootSignInAlerts": func(ctx context.Context, a *Account) error {
		_, err := a.RootSignInAlerts(ctx)
		return err
	},
	"Trails": func(ctx context.Context, a *Account) error { _, err := a.Trails(ctx); return err },
	"GuardDutyDetectors": func(ctx context.Context, a *Account) error {
		_, err := a.GuardDutyDetectors(ctx)
		return err
	},
	"Budgets":     func(ctx context.Context, a *Account) error { _, err := a.Budgets(ctx, AccountID); return err },
	"SecurityHub": func(ctx context.Context, a *Account) error { _, err := a.SecurityHub(ctx); return err },
	"ConfigRecorders": func(ctx context.Context, a *Account) error {
		_, err := a.ConfigRecorders(ctx)
		return err
	},
	"UpdatePasswordPolicy": func(ctx context.Context, a *Account) error {
		return a.UpdatePasswordPolicy(ctx, recommendedPasswordPolicy())
	},
	"PutAlternateContact": func(ctx context.Context, a *Account) error {
		return a.PutAlternateContact(ctx, demoContacts[0])
	},
	"PutContactInformation": func(ctx context.Context, a *Account) error {
		return a.PutContactInformation(ctx, *startingState(testNow).contact)
	},
	"AccountPublicAccessBlock": func(ctx context.Context, a *Account) error {
		_, err := a.AccountPublicAccessBlock(ctx, AccountID)
		return err
	},
	"PutAccountPublicAccessBlock": func(ctx context.Context, a *Account) error {
		return a.PutAccountPublicAccessBlock(ctx, AccountID, awsops.PublicAccessBlockAllOn)
	},
}

var writeOps = []string{"UpdatePasswordPolicy", "PutAlternateContact", "PutContactInformation", "PutAccountPublicAccessBlock"}

func TestUnknownFailNamePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a mistyped method name was accepted")
		}
	}()
	New(Options{Fail: map[string]error{"PasswordPolicies": AccessDenied("iam:GetAccountPasswordPolicy")}})
}

func TestCallsCoverEveryPermission(t *testing.T) {
	for op := range permissions {
		_, fixCall := adminCalls[op]
		for _, fixCalls := range []map[string]func(context.Context, *Account) error{rootKeyCalls, alertCalls, budgetCalls} {
			if _, ok := fixCalls[op]; ok {
				fixCall = true
			}
		}
		for _, c := range trailCalls {
			fixCall = fixCall || c.op == op
		}
		if _, ok := orgCalls[op]; ok {
			fixCall = true
		}
		if _, ok := calls[op]; !ok && !fixCall && op != "ListAccountAliases" {
			t.Errorf("no test call for %s", op)
		}
	}
	for op := range calls {
		if permissions[op] == "" {
			t.Errorf("%s has no permission name", op)
		}
	}
}

// dump reads everything the account answers, as JSON, to compare states.
func dump(t *testing.T, a *Account) string {
	t.Helper()
	ctx := context.Background()
	var all []any
	add := func(v any, err error) {
		if err != nil {
			t.Fatalf("read failed: %v", err)
		}
		all = append(all, v)
	}
	add(a.CallerIdentity(ctx))
	add(a.AccountSummary(ctx))
	add(a.CredentialReport(ctx))
	add(a.PasswordPolicy(ctx))
	for _, ct := range awsops.ContactTypes {
		add(a.AlternateContact(ctx, ct))
	}
	add(a.ContactInformation(ctx))
	add(a.VirtualMFADevices(ctx))
	add(a.CallerMFADevices(ctx))
	add(a.Administrators(ctx))
	add(a.IdentityCenterInstances(ctx))
	add(a.Organization(ctx))
	feats, err := a.OrganizationsRootFeatures(ctx)
	all = append(all, feats, errorCode(err)) // an error while IAM has no trusted access
	add(a.AccountPublicAccessBlock(ctx, AccountID))
	add(a.ServiceControlPolicies(ctx))
	add(a.RootSignInAlerts(ctx))
	add(a.Trails(ctx))
	add(a.GuardDutyDetectors(ctx))
	add(a.Budgets(ctx, AccountID))
	add(a.SecurityHub(ctx))
	add(a.ConfigRecorders(ctx))
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFailInjection(t *testing.T) {
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			perm := permissions[op]
			a := newTest(t, Options{Fail: map[string]error{op: AccessDenied(perm)}})
			err := call(context.Background(), a)
			if awsops.KindOf(err) != awsops.KindAccessDenied || awsops.PermissionOf(err) != perm {
				t.Fatalf("err = %v (kind %s, permission %q), want access denied needing %s",
					err, awsops.KindOf(err), awsops.PermissionOf(err), perm)
			}
			// Every other method still works.
			for other, c := range calls {
				if other != op {
					if err := c(context.Background(), a); err != nil {
						t.Errorf("%s failed too: %v", other, err)
					}
				}
			}
		})
	}
}

func TestFailInjectionWrapsPlainErrors(t *testing.T) {
	a := newTest(t, Options{Fail: map[string]error{"Trails": errors.New("connection reset")}})
	_, err := a.Trails(context.Background())
	if awsops.KindOf(err) != awsops.KindOther || awsops.PermissionOf(err) != "cloudtrail:DescribeTrails" {
		t.Fatalf("err = %v, want an unclassified error naming cloudtrail:DescribeTrails", err)
	}
}

func TestFailedWriteChangesNothingAndIsLogged(t *testing.T) {
	a := newTest(t, Options{Fail: map[string]error{
		"UpdatePasswordPolicy": AccessDenied("iam:UpdateAccountPasswordPolicy"),
	}})
	before := dump(t, a)
	if err := a.UpdatePasswordPolicy(context.Background(), recommendedPasswordPolicy()); awsops.KindOf(err) != awsops.KindAccessDenied {
		t.Fatalf("err = %v, want access denied", err)
	}
	if after := dump(t, a); after != before {
		t.Errorf("a refused write changed the state")
	}
	w := a.Writes()
	if len(w) != 1 || !strings.HasSuffix(w[0], "(error: access-denied AccessDenied)") {
		t.Errorf("Writes() = %q, want the refused call marked", w)
	}
}

func TestSetFail(t *testing.T) {
	a := newTest(t, Options{})
	a.SetFail("AccountSummary", AccessDenied("iam:GetAccountSummary"))
	if _, err := a.AccountSummary(context.Background()); awsops.KindOf(err) != awsops.KindAccessDenied {
		t.Fatalf("err = %v, want access denied", err)
	}
	a.SetFail("AccountSummary", nil)
	if _, err := a.AccountSummary(context.Background()); err != nil {
		t.Fatalf("after clearing: %v", err)
	}
}

func TestAliasFailureKeepsIdentity(t *testing.T) {
	a := newTest(t, Options{Fail: map[string]error{"ListAccountAliases": AccessDenied("iam:ListAccountAliases")}})
	id, err := a.CallerIdentity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id.Alias != "" || awsops.PermissionOf(id.AliasErr) != "iam:ListAccountAliases" || id.Account != AccountID || !id.IsRoot {
		t.Errorf("identity = %+v, want the account without alias and AliasErr naming iam:ListAccountAliases", id)
	}
}

func TestAccessDenied(t *testing.T) {
	for perm, code := range map[string]string{
		"iam:GetAccountPasswordPolicy": "AccessDenied",
		"account:GetAlternateContact":  "AccessDeniedException",
		"sns:ListSubscriptionsByTopic": "AuthorizationError",
	} {
		err := AccessDenied(perm)
		var ae *awsops.Error
		if !errors.As(err, &ae) || ae.Kind != awsops.KindAccessDenied || ae.Permission != perm || ae.Code != code {
			t.Errorf("AccessDenied(%q) = %#v, want kind access-denied, code %s", perm, err, code)
		}
		if err.Error() != "access denied: needs "+perm {
			t.Errorf("message = %q", err.Error())
		}
	}
}

func TestCanceledContext(t *testing.T) {
	a := newTest(t, Options{Latency: func(string) time.Duration { return time.Hour }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for op, call := range calls {
		if err := call(ctx, a); awsops.KindOf(err) != awsops.KindCanceled {
			t.Errorf("%s: err = %v, want canceled", op, err)
		}
	}
	if w := a.Writes(); len(w) != len(writeOps) || !strings.HasSuffix(w[0], "(error: canceled)") {
		t.Errorf("Writes() = %q, want %d canceled attempts", w, len(writeOps))
	}
}

func TestCanceledContextWithoutLatency(t *testing.T) {
	a := newTest(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := dump(t, a)
	for op, call := range calls {
		if err := call(ctx, a); awsops.KindOf(err) != awsops.KindCanceled {
			t.Errorf("%s: err = %v, want canceled", op, err)
		}
	}
	if dump(t, a) != before {
		t.Error("canceled writes changed the state")
	}
}

func TestLatencyWaitEndsOnCancel(t *testing.T) {
	started := make(chan string, 1)
	a := newTest(t, Options{Latency: func(op string) time.Duration {
		started <- op
		return time.Hour
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := a.CredentialReport(ctx)
		done <- err
	}()
	if op := <-started; op != "CredentialReport" {
		t.Fatalf("latency asked for %q", op)
	}
	cancel()
	// The guard only keeps a regression from hanging the suite for an hour.
	select {
	case err := <-done:
		if awsops.KindOf(err) != awsops.KindCanceled || awsops.PermissionOf(err) != "iam:GetCredentialReport" {
			t.Fatalf("err = %v, want canceled", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the latency wait ignored the canceled context")
	}
}

func TestLatencyIsAskedPerOperation(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	a := newTest(t, Options{Latency: func(op string) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, op)
		return time.Nanosecond
	}})
	for op, call := range calls {
		asked = nil
		if err := call(context.Background(), a); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if !slices.Equal(asked, []string{op}) {
			t.Errorf("%s asked latency for %q", op, asked)
		}
	}
}

func TestRealisticLatency(t *testing.T) {
	slowest := ""
	for op := range calls {
		d := RealisticLatency(op)
		if d < 150*time.Millisecond || d > 1200*time.Millisecond {
			t.Errorf("%s: %v out of 150ms–1.2s", op, d)
		}
		if d != RealisticLatency(op) {
			t.Errorf("%s: not deterministic", op)
		}
		if slowest == "" || d > RealisticLatency(slowest) {
			slowest = op
		}
	}
	if slowest != "CredentialReport" {
		t.Errorf("slowest op is %s, want CredentialReport", slowest)
	}
	if d := RealisticLatency("SomethingNew"); d < 150*time.Millisecond || d > 600*time.Millisecond {
		t.Errorf("unknown op: %v", d)
	}
}

func TestReset(t *testing.T) {
	a := newTest(t, Options{Scenario: "org"})
	start := dump(t, a)
	for id := range simulations {
		if err := a.Simulate(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.PutAlternateContact(context.Background(), demoContacts[1]); err != nil {
		t.Fatal(err)
	}
	if dump(t, a) == start {
		t.Fatal("nothing changed")
	}
	a.Reset()
	if got := dump(t, a); got != start {
		t.Errorf("after Reset:\n%s\nwant\n%s", got, start)
	}
	if w := a.Writes(); len(w) != 0 {
		t.Errorf("Writes() after Reset = %q", w)
	}
}

func TestReadsReturnCopies(t *testing.T) {
	a := newTest(t, Options{})
	for _, id := range []string{"root-activity-alert", "budget-alert", "cloudtrail", "guardduty", "password-policy"} {
		if err := a.Simulate(id); err != nil {
			t.Fatal(err)
		}
	}
	before := dump(t, a)
	ctx := context.Background()
	alerts, _ := a.RootSignInAlerts(ctx)
	alerts[0].Topics[0].Subscriptions[0].Confirmed = false
	alerts[0].Enabled = false
	budgets, _ := a.Budgets(ctx, AccountID)
	budgets[0].Notifications[0].EmailSubscribers = 0
	trails, _ := a.Trails(ctx)
	trails[0].IsLogging = false
	dets, _ := a.GuardDutyDetectors(ctx)
	dets[0].Enabled = false
	p, _ := a.PasswordPolicy(ctx)
	p.MinimumLength = 6
	ci, _ := a.ContactInformation(ctx)
	ci.PhoneNumber = ""
	s, _ := a.AccountSummary(ctx)
	s[awsops.SummaryAccountMFAEnabled] = 1
	if dump(t, a) != before {
		t.Error("changing a read result changed the account")
	}
}

// TestConcurrentUse is for `go test -race`.
func TestConcurrentUse(t *testing.T) {
	a := newTest(t, Options{Scenario: "org", Latency: func(string) time.Duration { return time.Microsecond }})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for op, call := range calls {
				// Organizations' answers while a feature is off are answers.
				if err := call(ctx, a); err != nil && awsops.KindOf(err) != awsops.KindNotEnabled {
					t.Errorf("%s: %v", op, err)
				}
			}
			for op, call := range orgCalls {
				if err := call(ctx, a); err != nil && !expectedOrgError(err) {
					t.Errorf("%s: %v", op, err)
				}
			}
		})
		wg.Go(func() {
			for id := range simulations {
				if err := a.Simulate(id); err != nil {
					t.Error(err)
				}
			}
			_ = a.Writes()
			if i%4 == 0 {
				a.Reset()
			}
			a.SetFail("SecurityHub", nil)
		})
	}
	wg.Wait()
}

func BenchmarkCredentialReport(b *testing.B) {
	a := New(Options{Now: func() time.Time { return testNow }})
	_ = a.Simulate("admin-identity")
	ctx := context.Background()
	for b.Loop() {
		if _, err := a.CredentialReport(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEveryRead(b *testing.B) {
	a := New(Options{Now: func() time.Time { return testNow }})
	ctx := context.Background()
	for b.Loop() {
		for op, call := range calls {
			if !slices.Contains(writeOps, op) {
				if err := call(ctx, a); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
