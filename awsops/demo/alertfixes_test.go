package demo_test

// The root-activity-alert and budget-alert fixes of package steps on the
// demo account, as the wizard and the command line run them.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// Red → warn (the email waits for confirmation) → green once the person
// clicks the link (Simulate); a second run writes nothing.
func TestDemoRootAlertFromRedThroughWarnToGreen(t *testing.T) {
	a := demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	if r := recheck(t, a, steps.FixRootActivityAlert); r.Status != steps.StatusFail {
		t.Fatalf("a new demo account: %s (%s), want fail", r.Status, r.Summary)
	}
	p := loadPlan(t, a, steps.FixRootActivityAlert, steps.Values{steps.FieldAlertEmail: "security@acme.example"})
	res := p.Apply(context.Background(), a)
	if !res.OK() || res.Next == nil {
		t.Fatalf("apply: %s, next %+v", res.Explain(), res.Next)
	}
	want := []string{
		"CreateAlertTopic Name=rootguard-root-activity",
		"PutAlertRule Name=rootguard-root-activity State=ENABLED",
		"PutAlertTarget Rule=rootguard-root-activity Id=rootguard-sns",
		"SubscribeEmail TopicArn=arn:aws:sns:us-east-1:111122223333:rootguard-root-activity Protocol=email",
	}
	if w := a.Writes(); !slices.Equal(w, want) {
		t.Errorf("writes = %q\nwant %q", w, want)
	}
	r := recheck(t, a, steps.FixRootActivityAlert)
	if r.Status != steps.StatusWarn || !strings.Contains(r.Summary, "pending confirmation") || !strings.Contains(r.Todo, "press r") {
		t.Fatalf("after the fix: %s (%s), todo %q", r.Status, r.Summary, r.Todo)
	}
	if again := loadPlan(t, a, steps.FixRootActivityAlert, steps.Values{steps.FieldAlertEmail: "security@acme.example"}); !again.NoOp {
		t.Errorf("a pending subscription is not made again: %+v", again.Calls)
	}
	if err := a.Simulate(steps.FixRootActivityAlert); err != nil {
		t.Fatal(err)
	}
	if r := recheck(t, a, steps.FixRootActivityAlert); r.Status != steps.StatusPass {
		t.Fatalf("after confirming the email: %s (%s)", r.Status, r.Summary)
	}
	before := len(a.Writes())
	again := loadPlan(t, a, steps.FixRootActivityAlert, steps.Values{steps.FieldAlertEmail: "security@acme.example"})
	if res := again.Apply(context.Background(), a); !again.NoOp || !res.NoOp || len(a.Writes()) != before {
		t.Errorf("the second run must write nothing: %q", a.Writes()[before:])
	}
	// Adding root API calls repairs the rule in place; the alert stays green.
	api := loadPlan(t, a, steps.FixRootActivityAlert, steps.Values{steps.FieldAlertEmail: "security@acme.example", steps.FieldAlertAPICalls: "true"})
	if res := api.Apply(context.Background(), a); !res.OK() || len(api.Calls) != 1 || api.Calls[0].API != "events:PutRule" {
		t.Fatalf("API calls: %s, calls %v", res.Explain(), api.Calls)
	}
	if r := recheck(t, a, steps.FixRootActivityAlert); r.Status != steps.StatusPass {
		t.Errorf("with API calls: %s (%s)", r.Status, r.Summary)
	}
}

// A failure midway leaves nothing on the demo account.
func TestDemoRootAlertFailureLeavesNothing(t *testing.T) {
	a := demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	a.SetFail("SubscribeEmail", demo.AccessDenied("sns:Subscribe"))
	p := loadPlan(t, a, steps.FixRootActivityAlert, steps.Values{steps.FieldAlertEmail: "security@acme.example"})
	res := p.Apply(context.Background(), a)
	if res.OK() || len(res.Undone) != 3 || len(res.UndoFailed) != 0 {
		t.Fatalf("apply: %s", res.Explain())
	}
	a.SetFail("SubscribeEmail", nil)
	if again := loadPlan(t, a, steps.FixRootActivityAlert, steps.Values{steps.FieldAlertEmail: "security@acme.example"}); len(again.Calls) != 4 {
		t.Errorf("something was left behind: the next plan makes %d calls", len(again.Calls))
	}
}

func TestDemoBudgetFromRedToGreen(t *testing.T) {
	a := demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	if r := recheck(t, a, steps.FixBudgetAlert); r.Status != steps.StatusFail {
		t.Fatalf("a new demo account: %s (%s), want fail", r.Status, r.Summary)
	}
	v := steps.Values{steps.FieldBudgetAmount: "50", steps.FieldBudgetEmail: "billing@acme.example"}
	if res := loadPlan(t, a, steps.FixBudgetAlert, v).Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixBudgetAlert); r.Status != steps.StatusPass {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
	again := loadPlan(t, a, steps.FixBudgetAlert, v)
	before := len(a.Writes())
	if res := again.Apply(context.Background(), a); !again.NoOp || !res.NoOp || len(a.Writes()) != before {
		t.Errorf("the second run must write nothing: %q", a.Writes())
	}
	v[steps.FieldBudgetAmount] = "80.25"
	if res := loadPlan(t, a, steps.FixBudgetAlert, v).Apply(context.Background(), a); !res.OK() {
		t.Fatalf("a new amount: %s", res.Explain())
	}
	want := []string{"CreateCostBudget BudgetName=rootguard-monthly-cost Limit=50 USD", "SetBudgetLimit BudgetName=rootguard-monthly-cost Limit=80.25 USD"}
	if w := a.Writes(); !slices.Equal(w, want) {
		t.Errorf("writes = %q, want %q", w, want)
	}
	if r := recheck(t, a, steps.FixBudgetAlert); r.Status != steps.StatusPass {
		t.Errorf("after the new amount: %s (%s)", r.Status, r.Summary)
	}
}
