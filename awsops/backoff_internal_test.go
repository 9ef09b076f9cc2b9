package awsops

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestBackoffDoublesUpToMax(t *testing.T) {
	b := Backoff{Initial: 2 * time.Second, Max: 15 * time.Second}
	var got []time.Duration
	for n := range 6 {
		got = append(got, b.next(n))
	}
	want := []time.Duration{2, 4, 8, 15, 15, 15}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("waits = %v", got)
		}
	}
	if (Backoff{}).next(3) != 0 {
		t.Fatal("zero backoff must not wait")
	}
}

func TestPollErrorTellsTimeoutFromCancel(t *testing.T) {
	a := &AWS{ReportPoll: Backoff{Timeout: 3 * time.Minute}}
	err := a.pollError(context.Background(), context.DeadlineExceeded)
	if KindOf(err) != KindOther || !strings.Contains(err.Error(), "still being generated after 3m0s") {
		t.Fatalf("own timeout: %v (%s)", err, KindOf(err))
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.pollError(canceled, context.Canceled); KindOf(err) != KindCanceled {
		t.Fatalf("caller cancel: %v (%s)", err, KindOf(err))
	}
}
