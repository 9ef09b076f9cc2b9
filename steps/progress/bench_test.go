package progress

import (
	"fmt"
	"testing"
	"time"
)

// fullRun is a run of the whole checklist (24 items) with summaries.
func fullRun(at time.Time) Run {
	r := Run{At: at, CallerARN: "arn:aws:iam::111122223333:user/alice", Source: "check"}
	for i := range 24 {
		r.Results = append(r.Results, ItemStatus{ID: fmt.Sprintf("item-%02d", i), Status: "fail",
			Summary: "a one-line summary of about the usual length for a verdict"})
	}
	return r
}

// BenchmarkRecordRunFullHistory: one run recorded into a file already at
// the cap (lock, read, merge, write, fsync, rename).
func BenchmarkRecordRunFullHistory(b *testing.B) {
	dir := b.TempDir()
	seed, _ := Open(dir, DemoAccount, Options{})
	seed.mu.Lock()
	for i := range DefaultMaxRuns {
		seed.state.Runs = append(seed.state.Runs, fullRun(t0.Add(time.Duration(i)*time.Hour)))
	}
	if err := seed.writeAtomic(seed.state); err != nil {
		b.Fatal(err)
	}
	seed.mu.Unlock()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s, err := Open(dir, DemoAccount, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.RecordRun(fullRun(t0.Add(time.Duration(DefaultMaxRuns+i) * time.Hour))); err != nil {
			b.Fatal(err)
		}
	}
}
