package demo_test

// The org-root-access and org-root-scp fixes of package steps against the
// org scenario, as the wizard and the command line run them: every check
// reads the organization, and both fixes take their item from fail to pass.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

func orgDemo() *demo.Account {
	return demo.New(demo.Options{Scenario: "org", Now: func() time.Time { return flowNow }})
}

// Every item of the checklist gives a verdict in the org scenario; the
// Organizations items apply and fail, the rest read as the new account.
func TestDemoOrgScenarioChecks(t *testing.T) {
	a, fresh := orgDemo(), demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	outs := steps.Run(context.Background(), steps.NewFacts(a, steps.FactsOptions{Now: func() time.Time { return flowNow }}), steps.All(), nil)
	plain := steps.Run(context.Background(), steps.NewFacts(fresh, steps.FactsOptions{Now: func() time.Time { return flowNow }}), steps.All(), nil)
	for i, o := range outs {
		r := o.Result
		switch o.Item.ID {
		case steps.FixOrgRootAccess:
			if r.Status != steps.StatusFail || !strings.Contains(r.Summary, "IAM has no trusted access") {
				t.Errorf("org-root-access = %s (%s)", r.Status, r.Summary)
			}
		case steps.FixOrgRootSCP:
			if r.Status != steps.StatusFail || r.Summary != "no attached SCP denies member-account root" {
				t.Errorf("org-root-scp = %s (%s)", r.Status, r.Summary)
			}
		case "admin-identity":
			if r.Status != plain[i].Result.Status {
				t.Errorf("admin-identity = %s, the new account's %s", r.Status, plain[i].Result.Status)
			}
		default:
			if r.Status == steps.StatusUnknown {
				t.Errorf("%s = %s (%s)", o.Item.ID, r.Status, r.Summary)
			}
			if r.Status != plain[i].Result.Status {
				t.Errorf("%s = %s, the new account's %s: the org scenario is otherwise the new account", o.Item.ID, r.Status, plain[i].Result.Status)
			}
		}
	}
	for _, o := range plain {
		if o.Item.OrgOnly && o.Result.Status != steps.StatusNA {
			t.Errorf("the new account: %s = %s, want n/a", o.Item.ID, o.Result.Status)
		}
	}
}

func TestDemoOrgRootAccessFromRedToGreen(t *testing.T) {
	a := orgDemo()
	p := loadPlan(t, a, steps.FixOrgRootAccess, nil)
	if p.Confirm == nil || p.Confirm.Want != demo.AccountID || len(p.Calls) != 3 {
		t.Fatalf("plan = %+v", p)
	}
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixOrgRootAccess); r.Status != steps.StatusPass {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
	before := len(a.Writes())
	again := loadPlan(t, a, steps.FixOrgRootAccess, nil)
	again.Apply(context.Background(), a)
	if !again.NoOp || len(a.Writes()) != before {
		t.Errorf("the second run must write nothing: %q", a.Writes())
	}
	want := []string{"EnableTrustedAccess ServicePrincipal=iam.amazonaws.com", "EnableRootCredentialsManagement", "EnableRootSessions"}
	if w := a.Writes(); !slices.Equal(w, want) {
		t.Errorf("writes %q, want %q", w, want)
	}
}

func TestDemoOrgRootSCPFromRedToGreen(t *testing.T) {
	a := orgDemo()
	p := loadPlan(t, a, steps.FixOrgRootSCP, nil) // the default: the organization root
	if p.Confirm == nil || p.Confirm.Want != demo.AccountID {
		t.Fatalf("plan = %+v", p)
	}
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	r := recheck(t, a, steps.FixOrgRootSCP)
	if r.Status != steps.StatusPass || !strings.Contains(r.Summary, "in all 4 member accounts (rootguard-deny-member-root)") {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
	before := len(a.Writes())
	again := loadPlan(t, a, steps.FixOrgRootSCP, nil)
	again.Apply(context.Background(), a)
	if !again.NoOp || len(a.Writes()) != before {
		t.Errorf("the second run must write nothing: %q", a.Writes())
	}
	want := []string{"EnableSCPPolicyType RootId=" + demo.OrgRootID + " PolicyType=SERVICE_CONTROL_POLICY",
		"CreateSCP Name=rootguard-deny-member-root Type=SERVICE_CONTROL_POLICY", "AttachSCP PolicyId=p-demo0001 TargetId=" + demo.OrgRootID}
	if w := a.Writes(); !slices.Equal(w, want) {
		t.Errorf("writes %q, want %q", w, want)
	}
}

// Attached to the two OUs first, the SCP leaves log-archive out (warn);
// a second run on the root reuses the policy and turns it green.
func TestDemoOrgRootSCPOnOUsThenTheRoot(t *testing.T) {
	a := orgDemo()
	p := loadPlan(t, a, steps.FixOrgRootSCP, steps.Values{steps.FieldSCPTargets: demo.ProductionOU + "," + demo.SandboxOU})
	if !strings.Contains(strings.Join(p.Warnings, " "), "555566667777 (log-archive)") {
		t.Errorf("warnings %v", p.Warnings)
	}
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixOrgRootSCP); r.Status != steps.StatusWarn || !strings.Contains(r.Summary, "covers 3 of 4 member accounts") {
		t.Fatalf("on the OUs: %s (%s)", r.Status, r.Summary)
	}
	root := loadPlan(t, a, steps.FixOrgRootSCP, nil)
	if len(root.Calls) != 1 || root.Calls[0].API != "organizations:AttachPolicy" {
		t.Fatalf("the second run must only attach the existing policy: %+v", root.Calls)
	}
	if res := root.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixOrgRootSCP); r.Status != steps.StatusPass {
		t.Fatalf("on the root: %s (%s)", r.Status, r.Summary)
	}
}

// A denied attachment: the policy this run created is deleted again, and
// the enabled policy type stays (as the plan says).
func TestDemoOrgRootSCPRollback(t *testing.T) {
	a := orgDemo()
	a.SetFail("AttachSCP", demo.AccessDenied("organizations:AttachPolicy"))
	p := loadPlan(t, a, steps.FixOrgRootSCP, nil)
	res := p.Apply(context.Background(), a)
	if res.OK() || awsops.PermissionOf(res.Err) != "organizations:AttachPolicy" || len(res.Undone) != 1 {
		t.Fatalf("result %s", res.Explain())
	}
	scps, _ := a.ServiceControlPolicies(context.Background())
	if len(scps) != 1 || scps[0].Name != "FullAWSAccess" {
		t.Errorf("left behind: %+v", scps)
	}
	root, _ := a.OrganizationRoot(context.Background())
	if root.SCPs != awsops.PolicyTypeEnabled {
		t.Errorf("the policy type was not left enabled: %+v", root)
	}
	if r := recheck(t, a, steps.FixOrgRootSCP); r.Status != steps.StatusFail {
		t.Errorf("after the rollback: %s", r.Status)
	}
	a.SetFail("AttachSCP", nil)
	again := loadPlan(t, a, steps.FixOrgRootSCP, nil)
	if len(again.Calls) != 2 || again.Calls[0].API != "organizations:CreatePolicy" {
		t.Fatalf("the retry: %+v", again.Calls)
	}
	if res := again.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("retry: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixOrgRootSCP); r.Status != steps.StatusPass {
		t.Errorf("after the retry: %s (%s)", r.Status, r.Summary)
	}
}

// The console simulations take both items to pass as well.
func TestDemoOrgSimulations(t *testing.T) {
	a := orgDemo()
	for _, id := range []string{steps.FixOrgRootAccess, steps.FixOrgRootSCP} {
		if !a.CanSimulate(id) {
			t.Fatalf("%s cannot be simulated in the org scenario", id)
		}
		if err := a.Simulate(id); err != nil {
			t.Fatal(err)
		}
		if r := recheck(t, a, id); r.Status != steps.StatusPass {
			t.Errorf("%s after simulating: %s (%s)", id, r.Status, r.Summary)
		}
	}
	// After the simulation the fixes have nothing left to do.
	for _, id := range []string{steps.FixOrgRootAccess, steps.FixOrgRootSCP} {
		if p := loadPlan(t, a, id, nil); !p.NoOp {
			t.Errorf("%s after simulating: %+v", id, p.Calls)
		}
	}
}

func TestDemoOrgFixesNotAvailableInTheNewAccount(t *testing.T) {
	a := demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	for _, id := range []string{steps.FixOrgRootAccess, steps.FixOrgRootSCP} {
		fix, _ := steps.FixFor(id)
		st, err := fix.Load(context.Background(), flowFacts(a))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fix.Plan(st, steps.NewInput(nil)); err == nil || !strings.Contains(err.Error(), "is not in an organization") {
			t.Errorf("%s: %v", id, err)
		}
	}
	if len(a.Writes()) != 0 {
		t.Error("wrote something")
	}
}
