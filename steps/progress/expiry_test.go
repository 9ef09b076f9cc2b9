package progress_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

func item(t *testing.T, id string) steps.Item {
	t.Helper()
	for _, it := range steps.All() {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %q", id)
	return steps.Item{}
}

// An attestation saved in one session holds in the next, until its
// validity period (root password: 90 days) runs out: then the item is
// manual again, with the reason.
func TestSavedAttestationExpires(t *testing.T) {
	attestedAt := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	s, err := progress.Open(dir, progress.DemoAccount, progress.Options{Now: func() time.Time { return attestedAt }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Attest("root-password", attestedAt, "rotated"); err != nil {
		t.Fatal(err)
	}
	if err := s.Attest("root-email", attestedAt, ""); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		id      string
		age     time.Duration
		want    steps.Status
		summary string
	}{
		{"root-password", 89 * 24 * time.Hour, steps.StatusAttested, "marked done"},
		{"root-password", 91 * 24 * time.Hour, steps.StatusManual, "older than 90 days"},
		{"root-email", 400 * 24 * time.Hour, steps.StatusAttested, "marked done"}, // no validity period
		{"root-multi-person", 0, steps.StatusManual, ""},                          // never attested
	} {
		now := attestedAt.Add(tc.age)
		clock := func() time.Time { return now }
		next, err := progress.Open(dir, progress.DemoAccount, progress.Options{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		f := steps.NewFacts(demo.New(demo.Options{Now: clock}), steps.FactsOptions{Now: clock, Attestations: next.Attestation})
		r := steps.CheckOne(context.Background(), f, item(t, tc.id))
		if r.Status != tc.want || !strings.Contains(r.Summary, tc.summary) {
			t.Errorf("%s after %v: %s %q, want %s containing %q", tc.id, tc.age, r.Status, r.Summary, tc.want, tc.summary)
		}
	}
}
