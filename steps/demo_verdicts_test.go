package steps_test

import (
	"context"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// Every console action the demo can simulate leaves a state the item's
// rule calls working: a simulated fix is never a path that cannot deliver.
func TestDemoSimulationsPass(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	for _, it := range steps.All() {
		acct := demo.New(demo.Options{Now: clock})
		if !acct.CanSimulate(it.ID) {
			continue
		}
		t.Run(it.ID, func(t *testing.T) {
			before := steps.CheckOne(context.Background(), steps.NewFacts(acct, steps.FactsOptions{Now: clock}), it)
			if err := acct.Simulate(it.ID); err != nil {
				t.Fatal(err)
			}
			r := steps.Reverify(context.Background(), acct, it, steps.FactsOptions{Now: clock})
			if r.Status != steps.StatusPass {
				t.Errorf("after simulating: %s (%s); before: %s (%s)", r.Status, r.Summary, before.Status, before.Summary)
			}
		})
	}
}
