package steps

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// panickyReader is a healthy account whose Identity Center read panics.
type panickyReader struct{ *factsFake }

func (panickyReader) IdentityCenterInstances(context.Context) ([]awsops.IdentityCenterInstance, error) {
	panic("boom in a read")
}

// withinAMinute fails the test instead of hanging when run never returns.
func withinAMinute(t *testing.T, run func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		run()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the pass hung after a read panicked")
	}
}

// A read that panics makes the items needing it unknown, once each, and
// never hangs the checks waiting for the same fact or crashes the program.
func TestPanickingReadBecomesUnknownWithoutHanging(t *testing.T) {
	fake := healthyFake()
	fake.admins = nil                                       // admin-identity then depends on Identity Center
	fake.report.Root.PasswordLastUsed = stampAt(daysAgo(1)) // root-usage only takes advice from it
	f := NewFacts(panickyReader{fake}, FactsOptions{Now: func() time.Time { return testNow }})
	var outs []Outcome
	withinAMinute(t, func() { outs = Run(context.Background(), f, All(), nil) })
	for _, o := range outs {
		switch o.Item.ID {
		case "admin-identity":
			if o.Result.Status != StatusUnknown || !strings.Contains(o.Result.Summary, "internal error") {
				t.Errorf("%s: %s %q, want unknown naming the internal error", o.Item.ID, o.Result.Status, o.Result.Summary)
			}
		default:
			if o.Result.Status == StatusUnknown {
				t.Errorf("%s: unknown (%s), but it does not depend on the panicking read", o.Item.ID, o.Result.Summary)
			}
		}
	}
	// The fact stays failed: a second check asking for it returns at once.
	withinAMinute(t, func() {
		if r := CheckOne(context.Background(), f, mustLookup(t, "admin-identity")); r.Status != StatusUnknown {
			t.Errorf("second check: %s %q", r.Status, r.Summary)
		}
	})
}

// A panic inside one of a check's concurrent reads reaches CheckOne's
// recover instead of crashing the program from another goroutine.
func TestPanicInConcurrentReadIsRecovered(t *testing.T) {
	it := Item{ID: "x", Check: func(ctx context.Context, f *Facts) Result {
		concurrently(func() {}, func() { panic("boom in a goroutine") })
		return Result{Status: StatusPass}
	}}
	r := CheckOne(context.Background(), NewFacts(healthyFake(), FactsOptions{}), it)
	if r.Status != StatusUnknown || !strings.Contains(r.Summary, "boom in a goroutine") {
		t.Fatalf("got %s %q, want unknown with the panic", r.Status, r.Summary)
	}
}

func mustLookup(t *testing.T, id string) Item {
	t.Helper()
	it, ok := Lookup(id)
	if !ok {
		t.Fatalf("no item %q", id)
	}
	return it
}
