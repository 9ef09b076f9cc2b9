package demo_test

// The s3-block-public-access and root-access-keys fixes of package steps,
// run against the demo account as the wizard and the command line run
// them: load, plan, apply, re-check live.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

var flowNow = time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC)

func flowFacts(a *demo.Account) *steps.Facts {
	return steps.NewFacts(a, steps.FactsOptions{Now: func() time.Time { return flowNow }})
}

func recheck(t *testing.T, a *demo.Account, id string) steps.Result {
	t.Helper()
	it, ok := steps.Lookup(id)
	if !ok {
		t.Fatalf("no item %s", id)
	}
	return steps.Reverify(context.Background(), a, it, steps.FactsOptions{Now: func() time.Time { return flowNow }})
}

func loadPlan(t *testing.T, a *demo.Account, id string, v steps.Values) steps.Plan {
	t.Helper()
	fix, _ := steps.FixFor(id)
	st, err := fix.Load(context.Background(), flowFacts(a))
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	p, err := fix.Plan(st, steps.NewInput(v))
	if err != nil {
		t.Fatalf("plan %s: %v", id, err)
	}
	return p
}

func TestDemoS3BlockPublicAccessFromRedToGreen(t *testing.T) {
	a := demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	if r := recheck(t, a, steps.FixS3BlockPublicAccess); r.Status != steps.StatusFail {
		t.Fatalf("a new demo account: %s (%s), want fail", r.Status, r.Summary)
	}
	p := loadPlan(t, a, steps.FixS3BlockPublicAccess, nil)
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixS3BlockPublicAccess); r.Status != steps.StatusPass {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
	again := loadPlan(t, a, steps.FixS3BlockPublicAccess, nil)
	before := len(a.Writes())
	again.Apply(context.Background(), a)
	if !again.NoOp || len(a.Writes()) != before || before != 1 {
		t.Errorf("the second run must write nothing: writes %q", a.Writes())
	}
}

// The demo caller is root on CloudShell's temporary key: the demo's root
// key can be deactivated, then deleted, and the item turns green.
func TestDemoRootAccessKeysFromRedToGreen(t *testing.T) {
	a := demo.New(demo.Options{Now: func() time.Time { return flowNow }})
	if r := recheck(t, a, steps.FixRootAccessKeys); r.Status != steps.StatusFail || !strings.Contains(r.Todo, "You run rootguard as root") {
		t.Fatalf("before: %s (%s), todo %q", r.Status, r.Summary, r.Todo)
	}
	off := loadPlan(t, a, steps.FixRootAccessKeys, nil) // the defaults: the first key, deactivate
	if off.Confirm == nil || off.Confirm.Want != "MPLE" || len(off.Calls) != 1 {
		t.Fatalf("plan = %+v", off)
	}
	if res := off.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("deactivate: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixRootAccessKeys); r.Status != steps.StatusFail {
		t.Errorf("an inactive key is still a root key: %s", r.Status)
	}
	del := loadPlan(t, a, steps.FixRootAccessKeys, nil) // the default is now delete
	if len(del.Calls) != 1 || del.Calls[0].API != "iam:DeleteAccessKey" {
		t.Fatalf("plan = %+v", del.Calls)
	}
	if res := del.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("delete: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixRootAccessKeys); r.Status != steps.StatusPass {
		t.Errorf("after deleting: %s (%s)", r.Status, r.Summary)
	}
	if again := loadPlan(t, a, steps.FixRootAccessKeys, nil); !again.NoOp {
		t.Errorf("no key left: %+v", again)
	}
	want := []string{"DeactivateRootAccessKey AccessKeyId=AKIA…MPLE Status=Inactive", "DeleteRootAccessKey AccessKeyId=AKIA…MPLE"}
	if w := a.Writes(); !slices.Equal(w, want) {
		t.Errorf("writes = %q, want %q", w, want)
	}
}
