package progress

import (
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/steps"
)

// ChangeKind says how an item moved between two runs.
type ChangeKind string

const (
	ChangeUnchanged ChangeKind = "unchanged"
	// ChangeFixed: was fail, warn or manual; now pass, attested or n/a.
	ChangeFixed ChangeKind = "fixed"
	// ChangeNewProblem: now fail, warn or manual; was pass, attested or
	// unknown (or was absent). An item that was n/a is not a new problem: it
	// now applies (e.g. root MFA strength once root MFA is on).
	ChangeNewProblem ChangeKind = "new-problem"
	// ChangeOther: any other move, e.g. fail → warn, pass → unknown, or n/a →
	// fail (NowApplies).
	ChangeOther ChangeKind = "changed"
)

// Change is one item's move between two runs. From is "" when the item was
// not in the previous run.
type Change struct {
	ID       string
	From, To steps.Status
	Kind     ChangeKind
}

// Changes is what changed since the previous run. The ID lists follow the
// current run's order.
type Changes struct {
	// First is true when there is no previous run to compare with.
	First       bool
	Fixed       []string
	NewProblems []string
	Other       []string
	Unchanged   []string
	PerItem     map[string]Change
}

// Diff compares the current run with the previous one (a zero Run when there
// is none). Items only in prev are ignored.
func Diff(prev, cur Run) Changes {
	c := Changes{First: prev.At.IsZero() && len(prev.Results) == 0, PerItem: map[string]Change{}}
	for _, it := range cur.Results {
		var from steps.Status
		if p, ok := prev.Status(it.ID); ok {
			from = p.Status
		}
		ch := Change{ID: it.ID, From: from, To: it.Status, Kind: classify(from, it.Status)}
		if c.First {
			ch.Kind = ChangeUnchanged
		}
		c.PerItem[it.ID] = ch
		switch ch.Kind {
		case ChangeFixed:
			c.Fixed = append(c.Fixed, it.ID)
		case ChangeNewProblem:
			c.NewProblems = append(c.NewProblems, it.ID)
		case ChangeOther:
			c.Other = append(c.Other, it.ID)
		default:
			c.Unchanged = append(c.Unchanged, it.ID)
		}
	}
	return c
}

func problem(s steps.Status) bool {
	return s == steps.StatusFail || s == steps.StatusWarn || s == steps.StatusManual
}

func solved(s steps.Status) bool {
	return s == steps.StatusPass || s == steps.StatusAttested || s == steps.StatusNA
}

func classify(from, to steps.Status) ChangeKind {
	switch {
	case from == to:
		return ChangeUnchanged
	case problem(from) && solved(to):
		return ChangeFixed
	case problem(to) && !problem(from) && from != steps.StatusNA:
		return ChangeNewProblem
	}
	return ChangeOther
}

// Changed reports whether the item moved since the previous run.
func (c Changes) Changed(id string) bool {
	ch, ok := c.PerItem[id]
	return ok && ch.Kind != ChangeUnchanged
}

// String is e.g. "3 fixed, 1 new problem, 2 unchanged" (plus "1 other
// change" when there is one), or "first run" with nothing to compare.
func (c Changes) String() string {
	if c.First {
		return "first run"
	}
	parts := []string{
		fmt.Sprintf("%d fixed", len(c.Fixed)),
		plural(len(c.NewProblems), "new problem", "new problems"),
	}
	if len(c.Other) > 0 {
		parts = append(parts, plural(len(c.Other), "other change", "other changes"))
	}
	parts = append(parts, fmt.Sprintf("%d unchanged", len(c.Unchanged)))
	return strings.Join(parts, ", ")
}

// NowApplies reports whether the item was n/a (e.g. waiting for another
// item) and now has a verdict of its own: progress, not a regression.
func (ch Change) NowApplies() bool {
	return ch.From == steps.StatusNA && ch.To != steps.StatusNA && ch.To != ""
}

// Label is a short per-item mark for lists: "fixed", "new problem",
// "now applies", "changed" or "" when unchanged.
func (ch Change) Label() string {
	switch ch.Kind {
	case ChangeFixed:
		return "fixed"
	case ChangeNewProblem:
		return "new problem"
	case ChangeOther:
		if ch.NowApplies() {
			return "now applies"
		}
		return "changed"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
