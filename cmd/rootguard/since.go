package main

import (
	"time"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// sinceRun is what changed since the previous saved run of the account.
type sinceRun struct {
	ok      bool // there is a previous run to compare with
	prevAt  time.Time
	changes progress.Changes
	order   []string // the current run's item IDs, in order
}

// sinceLastRun compares cur with the session's previous saved run.
func sinceLastRun(s *session, cur progress.Run) sinceRun {
	prev, ok := s.previous()
	if !ok {
		return sinceRun{}
	}
	r := sinceRun{ok: true, prevAt: prev.At, changes: progress.Diff(prev, cur)}
	for _, it := range cur.Results {
		r.order = append(r.order, it.ID)
	}
	return r
}

// anyMarks reports whether some item moved, so the table needs its mark
// column.
func (s sinceRun) anyMarks() bool {
	return s.ok && len(s.changes.Fixed)+len(s.changes.NewProblems)+len(s.changes.Other) > 0
}

// Per-item marks beside the rows.
const (
	markFixed   = "▲ fixed"
	markNew     = "▼ new"
	markChanged = "• changed"
	markCol     = 9 // the widest mark
)

// mark is the item's change mark ("" when it did not move).
func (s sinceRun) mark(id string) string {
	if !s.ok {
		return ""
	}
	switch s.changes.PerItem[id].Kind {
	case progress.ChangeFixed:
		return markFixed
	case progress.ChangeNewProblem:
		return markNew
	case progress.ChangeOther:
		return markChanged
	}
	return ""
}

// line is "Since last run (2026-11-20): 3 fixed, 1 new problem, 2 unchanged"
// ("" without a previous run). now is the current run's time: a previous
// run of the same day shows its time too.
func (s sinceRun) line(now time.Time) string {
	if !s.ok {
		return ""
	}
	at := s.prevAt.UTC()
	when := at.Format("2006-01-02")
	if when == now.UTC().Format("2006-01-02") {
		when = at.Format("2006-01-02 15:04 UTC")
	}
	return "Since last run (" + when + "): " + s.changes.String()
}

// jsonReport is the JSON report: steps.Report plus the optional
// since_last_run object (schema_version stays 1: fields are only added).
type jsonReport struct {
	steps.Report
	SinceLastRun *sinceJSON `json:"since_last_run,omitempty"`
}

// sinceJSON is "since_last_run" in the JSON report. The README documents it.
type sinceJSON struct {
	PreviousRunAt time.Time    `json:"previous_run_at"`
	Summary       string       `json:"summary"`
	Fixed         []string     `json:"fixed"`
	NewProblems   []string     `json:"new_problems"`
	OtherChanges  []string     `json:"other_changes"`
	Unchanged     int          `json:"unchanged"`
	Changes       []changeJSON `json:"changes"`
}

// changeJSON is one item that moved.
type changeJSON struct {
	ID     string       `json:"id"`
	From   steps.Status `json:"from"`
	To     steps.Status `json:"to"`
	Change string       `json:"change"`
}

// json is the since_last_run object; nil without a previous run.
func (s sinceRun) json() *sinceJSON {
	if !s.ok {
		return nil
	}
	c := s.changes
	out := &sinceJSON{
		PreviousRunAt: s.prevAt.UTC().Truncate(time.Second),
		Summary:       c.String(),
		Fixed:         nonNil(c.Fixed),
		NewProblems:   nonNil(c.NewProblems),
		OtherChanges:  nonNil(c.Other),
		Unchanged:     len(c.Unchanged),
		Changes:       []changeJSON{},
	}
	for _, id := range s.order {
		if ch := c.PerItem[id]; c.Changed(id) {
			out.Changes = append(out.Changes, changeJSON{ID: id, From: ch.From, To: ch.To, Change: string(ch.Kind)})
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
