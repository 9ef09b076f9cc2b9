package steps

import "time"

// CheckTimeout bounds one item's check (and a fix's reads and re-check)
// everywhere: the wizard, check, report and fix.
const CheckTimeout = 2 * time.Minute

// Listed reports whether an item is shown and counted: every item, except
// organization items that do not apply to this account.
func Listed(it Item, r Result) bool {
	return !it.OrgOnly || (r.Status != StatusNA && r.Status != "" && r.Status != StatusChecking)
}

// Tally is the one count every screen, command and report shows: the same
// items, counted the same way.
type Tally struct {
	Listed int   // items shown (see Listed)
	Done   int   // pass or attested
	Open   int   // still need the user (fail, warn, manual, unknown)
	Score  Score // see ScoreExplanation
}

// TallyOf counts outcomes; items still checking count as listed only.
func TallyOf(outs []Outcome) Tally {
	var t Tally
	statuses := make([]Status, 0, len(outs))
	for _, o := range outs {
		if !Listed(o.Item, o.Result) {
			continue
		}
		t.Listed++
		statuses = append(statuses, o.Result.Status)
		switch {
		case o.Result.Status == StatusPass || o.Result.Status == StatusAttested:
			t.Done++
		case o.Result.Status.Open():
			t.Open++
		}
	}
	t.Score = ScoreOf(statuses)
	return t
}
