package demo_test

// The partial and hardened scenarios: their verdicts, and every trap of
// the partial one taken to a pass the way a trainer would (rootguard's fix,
// or the console simulation).

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

func scenarioDemo(name string) *demo.Account {
	return demo.New(demo.Options{Scenario: name, Now: func() time.Time { return flowNow }})
}

// scenarioFacts reads with the scenario's attestations, as the command line
// seeds them.
func scenarioFacts(a *demo.Account) steps.FactsOptions {
	sc, _ := demo.LookupScenario(a.Scenario())
	marks := map[string]steps.Attestation{}
	for _, at := range sc.Attestations() {
		marks[at.ItemID] = steps.Attestation{ItemID: at.ItemID, At: flowNow.Add(-48 * time.Hour), Note: at.Note}
	}
	return steps.FactsOptions{Now: func() time.Time { return flowNow }, Attestations: func(id string) (steps.Attestation, bool) {
		m, ok := marks[id]
		return m, ok
	}}
}

func verdicts(a *demo.Account) map[string]steps.Result {
	outs := steps.Run(context.Background(), steps.NewFacts(a, scenarioFacts(a)), steps.All(), nil)
	out := map[string]steps.Result{}
	for _, o := range outs {
		out[o.Item.ID] = o.Result
	}
	return out
}

// planDefaults plans a fix with the form's defaults, over values, as the
// wizard's form hands them in.
func planDefaults(t *testing.T, a *demo.Account, id string, values steps.Values) steps.Plan {
	t.Helper()
	fix, _ := steps.FixFor(id)
	st, err := fix.Load(context.Background(), flowFacts(a))
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	in := steps.Input{Values: fix.Defaults(st), Given: map[string]bool{}}
	maps.Copy(in.Values, values)
	for _, g := range fix.Form(st) {
		if g.Shown != nil && !g.Shown(in.Values) {
			continue
		}
		for _, f := range g.Fields {
			in.Given[f.Key] = true
		}
	}
	p, err := fix.Plan(st, in)
	if err != nil {
		t.Fatalf("plan %s: %v", id, err)
	}
	return p
}

// The partial scenario: half done, and each trap reads as what it is.
func TestDemoPartialScenarioTraps(t *testing.T) {
	got := verdicts(scenarioDemo("partial"))
	want := map[string]struct {
		status  steps.Status
		summary string
	}{
		"root-mfa":               {steps.StatusPass, "has MFA"},
		"root-mfa-strength":      {steps.StatusWarn, "only virtual MFA"},
		"root-access-keys":       {steps.StatusPass, "no access keys"},
		"root-usage":             {steps.StatusWarn, "right now"},
		"root-email":             {steps.StatusAttested, ""},
		"root-password":          {steps.StatusManual, ""},
		"password-policy":        {steps.StatusWarn, "weaker than recommended"},
		"alternate-contacts":     {steps.StatusWarn, "missing: BILLING, OPERATIONS"},
		"s3-block-public-access": {steps.StatusWarn, "partly off"},
		"admin-identity":         {steps.StatusFail, "permissions boundary DeveloperBoundary"},
		"iam-users-mfa":          {steps.StatusFail, "dev-sam"},
		"access-key-hygiene":     {steps.StatusPass, ""},
		"root-activity-alert":    {steps.StatusFail, "does not let EventBridge (events.amazonaws.com) publish"},
		"cloudtrail":             {steps.StatusFail, "records no management events"},
		"budget-alert":           {steps.StatusWarn, "watches only part of the bill"},
		"guardduty":              {steps.StatusWarn, "off in 16 other regions"},
		"org-root-access":        {steps.StatusNA, ""},
	}
	for id, w := range want {
		r := got[id]
		if r.Status != w.status || !strings.Contains(r.Summary, w.summary) {
			t.Errorf("%s = %s (%s), want %s (%q)", id, r.Status, r.Summary, w.status, w.summary)
		}
	}
	if d := strings.Join(got["root-activity-alert"].Details, "\n"); !strings.Contains(d, "No trail records management events") {
		t.Errorf("the alert does not say it depends on the trail trap: %s", d)
	}
}

// Every trap of the partial scenario turns green in the demo: by
// rootguard's fix where there is one, and by the console simulation.
func TestDemoPartialTrapsAreFixable(t *testing.T) {
	fixed := map[string]steps.Values{
		steps.FixPasswordPolicy: nil,
		steps.FixAlternateContacts: {"billing-name": "Priya Raman", "billing-title": "Finance Manager", "billing-email": "billing@acme.example",
			"billing-phone": "+1 206 555 0117", "operations-name": "Marcus Oyelaran", "operations-title": "Head of Platform",
			"operations-email": "ops@acme.example", "operations-phone": "+1 206 555 0163"},
		steps.FixS3BlockPublicAccess: nil,
		"cloudtrail":                 nil,
		"budget-alert":               {steps.FieldBudgetAmount: "50", steps.FieldBudgetEmail: "billing@acme.example"},
		"guardduty":                  {"accept-cost": "true", "all-regions": "true"},
		"root-activity-alert":        {"email": "security@acme.example"},
	}
	for id, values := range fixed {
		t.Run("fix "+id, func(t *testing.T) {
			a := scenarioDemo("partial")
			p := planDefaults(t, a, id, values)
			if res := p.Apply(context.Background(), a); !res.OK() {
				t.Fatalf("apply: %s", res.Explain())
			}
			r := recheck(t, a, id)
			if id == "root-activity-alert" { // the email waits for its confirmation
				if r.Status != steps.StatusWarn || !strings.Contains(r.Summary, "pending confirmation") {
					t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
				}
				if err := a.Simulate(id); err != nil {
					t.Fatal(err)
				}
				r = recheck(t, a, id)
			}
			if r.Status != steps.StatusPass {
				t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
			}
		})
	}
	for _, id := range []string{"root-mfa-strength", "admin-identity", "iam-users-mfa", "root-activity-alert", "cloudtrail",
		"budget-alert", "guardduty", "password-policy", "alternate-contacts", "s3-block-public-access"} {
		t.Run("simulate "+id, func(t *testing.T) {
			a := scenarioDemo("partial")
			if err := a.Simulate(id); err != nil {
				t.Fatal(err)
			}
			if r := recheck(t, a, id); r.Status != steps.StatusPass {
				t.Fatalf("after simulating: %s (%s)", r.Status, r.Summary)
			}
		})
	}
}

// The admin fix makes a working administrator beside the one a boundary
// cuts down, with codes of the real TOTP secret.
func TestDemoPartialAdminFix(t *testing.T) {
	a := scenarioDemo("partial")
	if _, ok := a.AdminToSignIn(); ok {
		t.Fatal("ops-admin is cut down by a boundary: nobody to sign in as yet")
	}
	createAdmin(t, a, "admin")
	if r := recheck(t, a, "admin-identity"); r.Status != steps.StatusPass || !strings.Contains(r.Summary, "admin") {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
	if name, ok := a.AdminToSignIn(); !ok || name != "admin" {
		t.Fatalf("sign in as %q, %v", name, ok)
	}
}

// createAdmin runs the admin-identity fix to the end, reading the secret
// from the stage it shows.
func createAdmin(t *testing.T, a *demo.Account, name string) {
	t.Helper()
	p := planDefaults(t, a, steps.FixAdminIdentity, steps.Values{steps.FieldUserName: name})
	res := p.Apply(context.Background(), a)
	if !res.OK() || res.Next == nil {
		t.Fatalf("create: %s", res.Explain())
	}
	seed := ""
	for _, s := range res.Next.Show {
		if s.Kind == steps.ShownSecret {
			seed = s.Value
		}
	}
	prev, cur, err := demo.CurrentCodes(seed, flowNow)
	if err != nil {
		t.Fatal(err)
	}
	enable, err := res.Next.Plan(steps.NewInput(steps.Values{steps.FieldMFACode1: prev, steps.FieldMFACode2: cur}))
	if err != nil {
		t.Fatal(err)
	}
	if done := enable.Apply(context.Background(), a); !done.OK() {
		t.Fatalf("enable MFA: %s", done.Explain())
	}
}

// The hardened scenario: everything verifiable passes, the rest is
// attested or does not apply.
func TestDemoHardenedScenario(t *testing.T) {
	a := scenarioDemo("hardened")
	for id, r := range verdicts(a) {
		switch r.Status {
		case steps.StatusPass, steps.StatusAttested, steps.StatusNA:
		default:
			t.Errorf("%s = %s (%s)", id, r.Status, r.Summary)
		}
	}
	id, err := a.CallerIdentity(context.Background())
	if err != nil || id.IsRoot || !strings.HasSuffix(id.ARN, ":user/jane") {
		t.Errorf("caller %+v, %v: want the administrator jane", id, err)
	}
}

// Signing in as the new administrator ends the story: root-usage passes,
// because root was last used before the administrator was created.
func TestDemoSignInAsTheNewAdmin(t *testing.T) {
	a := scenarioDemo("new")
	if _, ok := a.AdminToSignIn(); ok {
		t.Fatal("a new account has no administrator to sign in as")
	}
	createAdmin(t, a, "jane")
	if r := recheck(t, a, "root-usage"); r.Status != steps.StatusWarn || !strings.Contains(r.Summary, "right now") {
		t.Fatalf("still root: %s (%s)", r.Status, r.Summary)
	}
	name, ok := a.AdminToSignIn()
	if !ok || name != "jane" {
		t.Fatalf("sign in as %q, %v", name, ok)
	}
	if err := a.SignInAsAdmin(name); err != nil {
		t.Fatal(err)
	}
	id, _ := a.CallerIdentity(context.Background())
	if id.IsRoot || id.ARN != "arn:aws:iam::"+demo.AccountID+":user/jane" || !strings.HasPrefix(id.AccessKeyID, "ASIA") {
		t.Errorf("caller %+v", id)
	}
	r := recheck(t, a, "root-usage")
	if r.Status != steps.StatusPass || !strings.Contains(r.Summary, "before the administrator jane was created") {
		t.Fatalf("as jane: %s (%s)", r.Status, r.Summary)
	}
	if _, ok := a.AdminToSignIn(); ok {
		t.Error("signed in already: nothing more to offer")
	}

	// Doing a root-only task again is root use after jane existed.
	if err := a.Simulate("root-mfa"); err != nil {
		t.Fatal(err)
	}
	if r := recheck(t, a, "root-usage"); r.Status != steps.StatusWarn || !strings.Contains(r.Summary, "after the administrator jane") {
		t.Errorf("after a root sign-in: %s (%s)", r.Status, r.Summary)
	}
	// Undo takes the root sign-in back, then the sign-in as jane.
	if u, err := a.UndoSimulation(); err != nil || u.ItemID != "root-mfa" {
		t.Fatalf("undo: %+v, %v", u, err)
	}
	if r := recheck(t, a, "root-usage"); r.Status != steps.StatusPass {
		t.Errorf("after the undo: %s (%s)", r.Status, r.Summary)
	}
	if u, err := a.UndoSimulation(); err != nil || u.ItemID != "root-usage" || !strings.Contains(u.Note, "signed in to the console as jane") {
		t.Fatalf("undo: %+v, %v", u, err)
	}
	if id, _ := a.CallerIdentity(context.Background()); !id.IsRoot {
		t.Errorf("after undoing the sign-in the caller is %s", id.ARN)
	}
}
