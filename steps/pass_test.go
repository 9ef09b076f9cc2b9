package steps

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// A whole pass reads each fact at most once, and reads run concurrently.
func TestFullPassReadsEachFactOnceAndConcurrently(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *factsFake)
	}{
		{"healthy account", nil},
		{"root caller in a management account with root keys", func(f *factsFake) {
			asRoot(f, awsops.CredentialsLongTerm, "AKIAIOSFODNN7EXAMPLE")
			inOrg(f, testAccount)
			f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
			f.summary[awsops.SummaryAccountMFAEnabled] = 0
			f.summary[awsops.SummaryAccountPasswordPresent] = 0
		}},
		{"every read fails", func(f *factsFake) {
			f.errs = map[string]error{}
			for _, m := range readerMethods {
				f.errs[m] = accessDenied("x:" + m)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := healthyFake()
			if tc.setup != nil {
				tc.setup(fake)
			}
			// Hold reads until 6 are in flight together: only a concurrent
			// pass gets there (the timeout only keeps a regression from hanging).
			fake.holdUntil, fake.holdTimeout = 6, 10*time.Second
			f := NewFacts(fake, FactsOptions{Now: func() time.Time { return testNow }})
			outs := Run(context.Background(), f, All(), nil)
			if len(outs) != len(All()) {
				t.Fatalf("%d outcomes", len(outs))
			}
			for m, n := range fake.callCounts() {
				if n > 1 {
					t.Errorf("%s read %d times in one pass", m, n)
				}
			}
			if fake.maxInFlight < 6 {
				t.Errorf("at most %d reads in flight at once: the pass is not concurrent", fake.maxInFlight)
			}
			for _, o := range outs {
				if o.Result.Status == "" || o.Result.Status == StatusChecking {
					t.Errorf("%s: no final status", o.Item.ID)
				}
				if tc.name == "every read fails" && o.Result.Status == StatusPass {
					t.Errorf("%s passed although every read failed", o.Item.ID)
				}
				if strings.Contains(o.Result.Summary, "internal error") {
					t.Errorf("%s panicked: %s", o.Item.ID, o.Result.Summary)
				}
			}
		})
	}
}

var readerMethods = []string{
	"CallerIdentity", "AccountSummary", "CredentialReport", "IAMUsers", "PasswordPolicy",
	"AlternateContact:SECURITY", "AlternateContact:BILLING", "AlternateContact:OPERATIONS",
	"ContactInformation", "VirtualMFADevices", "CallerMFADevices", "Administrators", "IdentityProviders",
	"IdentityCenterInstances", "IdentityCenterAccess", "Organization", "OrganizationsRootFeatures",
	"ServiceControlPolicies", "OrganizationAccounts", "RootSignInAlerts", "RootUsageAlarms", "RootSignIns",
	"Trails", "EnabledRegions", "GuardDutyDetectors", "Budgets", "SecurityHub", "ConfigRecorders", "AccountPublicAccessBlock",
}

// The healthy account passes every live check (a regression guard for the
// fake, so the per-item cases start from a known state).
func TestHealthyAccountVerdicts(t *testing.T) {
	f := NewFacts(healthyFake(), FactsOptions{Now: func() time.Time { return testNow }})
	want := map[string]Status{
		"root-mfa-strength": StatusManual, "root-password": StatusManual, "root-email": StatusManual,
		"root-recovery": StatusManual, "root-multi-person": StatusManual, "security-questions": StatusNA,
		"detective-services": StatusNA, "org-root-access": StatusNA, "org-root-scp": StatusNA,
	}
	for _, o := range Run(context.Background(), f, All(), nil) {
		w, ok := want[o.Item.ID]
		if !ok {
			w = StatusPass
		}
		if o.Result.Status != w {
			t.Errorf("%s: %s (%s), want %s", o.Item.ID, o.Result.Status, o.Result.Summary, w)
		}
	}
}

// BenchmarkFullPass runs every check against a reader that takes 100 ms per
// call (the credential report 200 ms: generate, then poll). The slowest
// chain is two calls deep (e.g. identity → budgets, or the report), so a
// pass should take ~200–300 ms, not the sum of its calls.
func BenchmarkFullPass(b *testing.B) {
	calls, units := 0, 0
	for b.Loop() {
		fake := healthyFake()
		fake.latency = 100 * time.Millisecond
		inOrg(fake, testAccount) // reach the organization reads too
		f := NewFacts(fake, FactsOptions{Now: func() time.Time { return testNow }})
		Run(context.Background(), f, All(), nil)
		calls += fake.totalCalls()
		fake.mu.Lock()
		units += fake.latencyUnits
		fake.mu.Unlock()
	}
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
	b.ReportMetric(float64(units)/float64(b.N)*100, "sequential-ms/op")
}
