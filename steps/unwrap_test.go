package steps_test

import (
	"context"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// wrapped is an account behind a wrapper, as the command line hands it
// over once connect has proven its identity.
type wrapped struct{ awsops.Account }

func (w wrapped) Unwrap() awsops.Account { return w.Account }

// A fix reaches its own reader and writer through the wrapper: the
// cloudtrail fix loads, plans and applies on a wrapped demo account.
func TestFixesReachTheirInterfacesThroughAWrapper(t *testing.T) {
	acct := demo.New(demo.Options{Now: func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) }})
	var outer awsops.Account = wrapped{wrapped{acct}}
	if _, ok := outer.(awsops.TrailSetupReader); ok {
		t.Fatal("the wrapper itself must not have the fix's reader, or this test proves nothing")
	}
	fix, _ := steps.FixFor(steps.FixCloudTrail)
	ctx := context.Background()
	st, err := fix.Load(ctx, steps.NewFacts(outer, steps.FactsOptions{}))
	if err != nil {
		t.Fatalf("load through the wrapper: %v", err)
	}
	p, err := fix.Plan(st, steps.NewInput(nil))
	if err != nil {
		t.Fatal(err)
	}
	if res := p.Apply(ctx, outer); !res.OK() {
		t.Fatalf("apply through the wrapper: %s", res.Explain())
	}
	if len(acct.Writes()) != len(p.Calls) {
		t.Errorf("writes = %q", acct.Writes())
	}
}
