package tui

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// previousRun is a saved run from three days before testNow: against the
// fake account with root-mfa fixed it gives 3 fixed, 1 new problem, 1 other
// change and 3 unchanged.
func previousRun() *progress.Run {
	r := progress.Run{At: testNow.Add(-72 * time.Hour), Source: "check"}
	for id, st := range map[string]steps.Status{
		"credential-report":  steps.StatusWarn,   // → pass: fixed
		"root-mfa":           steps.StatusFail,   // → pass: fixed
		"iam-users-mfa":      steps.StatusFail,   // → pass: fixed
		"password-policy":    steps.StatusPass,   // → fail: new problem
		"alternate-contacts": steps.StatusFail,   // → unknown: other
		"root-password":      steps.StatusManual, // unchanged
		"security-questions": steps.StatusNA,     // unchanged
		"org-root-scp":       steps.StatusNA,     // unchanged
	} {
		r.Results = append(r.Results, progress.ItemStatus{ID: id, Status: st})
	}
	return &r
}

// runRecorder keeps what RecordRun saved.
type runRecorder struct {
	mu   sync.Mutex
	runs []progress.Run
	err  error
}

func (r *runRecorder) record(run progress.Run) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs = append(r.runs, run)
	return r.err
}

func (r *runRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.runs)
}

func sinceConfig(fa *fakeAccount, rec *runRecorder) Config {
	fa.fixed["root-mfa"] = true
	cfg := testConfig(fa)
	cfg.Since = previousRun()
	cfg.RecordRun = rec.record
	return cfg
}

func TestSinceLastRunHeaderAndMarks(t *testing.T) {
	rec := &runRecorder{}
	a := newTestApp(t, sinceConfig(newFakeAccount(), rec))
	a.Init()
	if strings.Contains(viewText(a), "Since last run") {
		t.Fatal("the since line shows before any pass completed")
	}
	settle(t, a, a.Init())
	press(a, "enter")
	requireContains(t, a, "Since 12 Jan 10:00: ▲ 3 fixed · ▼ 1 new · • 1 other · 2 same") // one form for the session at 80 columns
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	requireContains(t, a, "Since last run (12 Jan 2026 10:00): ▲ 3 fixed · ▼ 1 new problem · • 1 other change · 2 unchanged")
	want := map[string]string{
		"Turn on MFA for the root user":        "▲",
		"Keep a multi-region CloudTrail trail": "▲",
		"Review the IAM credential report":     "▲",
		"Set a strong password policy":         "▼",
		"Set the alternate contacts":           "•",
		"Give root a long, unique password":    "",
	}
	for _, line := range strings.Split(viewText(a), "\n") {
		for title, mark := range want {
			if !strings.Contains(line, title) {
				continue
			}
			has := strings.ContainsAny(line, "▲▼•")
			if mark == "" && has {
				t.Errorf("unchanged row is marked: %q", line)
			}
			if mark != "" && !strings.Contains(line, mark+" ") {
				t.Errorf("row lacks %s: %q", mark, line)
			}
		}
	}
}

func TestNoSinceLineOnFirstRun(t *testing.T) {
	a := started(t, testConfig(newFakeAccount()))
	press(a, "enter")
	if v := viewText(a); strings.Contains(v, "Since last run") || strings.ContainsAny(v, "▲▼") {
		t.Fatalf("first run shows changes:\n%s", v)
	}
}

func TestRecordRunSavesTheSessionAsFound(t *testing.T) {
	rec := &runRecorder{}
	fa := newFakeAccount()
	a := newTestApp(t, sinceConfig(fa, rec))
	other := settle(t, a, a.Init())
	if rec.count() != 1 {
		t.Fatalf("RecordRun called %d times after the first pass, want 1", rec.count())
	}
	var done bool
	for _, m := range other {
		if _, done = m.(recordDoneMsg); done {
			break
		}
	}
	if !done {
		t.Error("saving did not report back with a message")
	}
	run := rec.runs[0]
	if run.Source != "wizard" || run.CallerARN != "arn:aws:iam::123456789012:root" || !run.At.Equal(testNow) || len(run.Results) != 8 {
		t.Errorf("saved run = %+v", run)
	}
	if st, _ := run.Status("password-policy"); st.Status != steps.StatusFail {
		t.Errorf("password-policy saved as %s", st.Status)
	}

	// Fixed during the session: the header updates at once (the new
	// problem is gone), while the saved run stays the account as found, so
	// the next run shows the fix.
	press(a, "enter")
	fa.fixed["password-policy"] = true
	settle(t, a, press(a, "R"))
	if rec.count() != 1 {
		t.Fatalf("RecordRun called %d times, want once per session", rec.count())
	}
	requireContains(t, a, "▲ 3 fixed · ▼ 0 new")
	if st, _ := rec.runs[0].Status("password-policy"); st.Status != steps.StatusFail {
		t.Errorf("the saved run changed: password-policy %s", st.Status)
	}
}

func TestRecordRunFailureIsShown(t *testing.T) {
	rec := &runRecorder{err: errors.New("disk full")}
	a := started(t, sinceConfig(newFakeAccount(), rec))
	a.Update(recordDoneMsg{Err: rec.err})
	requireContains(t, a, "Progress not saved: disk full")
}

func TestDemoNoteOnIdentityScreen(t *testing.T) {
	cfg := testConfig(newFakeAccount())
	cfg.DemoResumedAt = testNow.Add(-26 * time.Hour)
	a := started(t, cfg)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	requireContains(t, a, "Continued from 14 Jan 08:00 · start over: rootguard --demo --reset-demo")

	// With a previous run too, the identity screen still fits 80x24.
	cfg = sinceConfig(newFakeAccount(), &runRecorder{})
	cfg.DemoResumedAt = testNow.Add(-26 * time.Hour)
	a = started(t, cfg)
	requireContains(t, a, "Continued from", "Press enter to walk the checklist.")

	cfg = testConfig(newFakeAccount())
	cfg.DemoSaving = true
	a = started(t, cfg)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	requireContains(t, a, "Kept for next time · start over: --reset-demo · keep nothing: --no-save")

	a = started(t, testConfig(newFakeAccount()))
	if v := viewText(a); strings.Contains(v, "next time") || strings.Contains(v, "Continued from") {
		t.Fatalf("a demo that is not saved talks about saving:\n%s", v)
	}
}

// TestGoldenSince is the checklist with the since-last-run header and the
// row marks.
func TestGoldenSince(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			a := started(t, sinceConfig(newFakeAccount(), &runRecorder{}))
			a.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
			a.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			press(a, "enter")
			golden.RequireEqual(t, viewText(a))
		})
	}
}
