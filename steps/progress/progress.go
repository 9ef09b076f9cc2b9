// Package progress keeps what rootguard remembers between runs, per account:
// each run's statuses, the user's attestations and the fixes applied. It also
// compares two runs ("since last run") and scores a run.
//
// Wiring (check and the wizard):
//
//	st, err := progress.Open(dir, key, progress.Options{Now: now, ReadOnly: noSave})
//	// err: the store is unusable (bad key); carry on without saving.
//	// st.Warnings(): e.g. a corrupt file was set aside; show them.
//	prev, hadPrev := st.Previous()              // baseline for "since last run"
//	f := steps.NewFacts(acct, steps.FactsOptions{Attestations: st.Attestation})
//	outs := steps.Run(ctx, f, steps.All(), nil)
//	cur := progress.NewRun(now(), callerARN, "check", outs)
//	changes := progress.Diff(prev, cur)         // changes.String(): "3 fixed, 1 new problem, 2 unchanged"
//	changes.PerItem["root-mfa"].Kind            // per-item mark (ChangeFixed, ChangeNewProblem…)
//	err = st.RecordRun(cur)                     // a second call from the same Store replaces its run
//
// The account key is the AWS account ID, or DemoAccount for the demo.
package progress

import (
	"regexp"
	"slices"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// DemoAccount is the account key of the built-in demo; its progress is kept
// apart from real accounts.
const DemoAccount = "demo"

// ItemStatus is one item's verdict in a saved run.
type ItemStatus struct {
	ID      string       `json:"id"`
	Status  steps.Status `json:"status"`
	Summary string       `json:"summary,omitempty"`
}

// Run is one check pass as saved.
type Run struct {
	// ID identifies the session that recorded the run (set by RecordRun).
	ID        string    `json:"id,omitempty"`
	At        time.Time `json:"at"`
	CallerARN string    `json:"caller_arn,omitempty"`
	// Source is what made the run: "check", "wizard" or "report".
	Source  string       `json:"source,omitempty"`
	Results []ItemStatus `json:"results"`
}

// Fix is a change rootguard applied. Summary says what changed, never a
// secret value.
type Fix struct {
	ItemID  string    `json:"item"`
	At      time.Time `json:"at"`
	Summary string    `json:"summary"`
}

// NewRun turns a pass's outcomes into a run to record.
func NewRun(at time.Time, callerARN, source string, outs []steps.Outcome) Run {
	r := Run{At: at, CallerARN: callerARN, Source: source, Results: make([]ItemStatus, 0, len(outs))}
	for _, o := range outs {
		r.Results = append(r.Results, ItemStatus{ID: o.Item.ID, Status: o.Result.Status, Summary: MaskSecrets(o.Result.Summary)})
	}
	return r
}

// SameStatuses reports whether two runs hold the same items with the same
// statuses (in any order; summaries and times may differ).
func SameStatuses(a, b Run) bool {
	if len(a.Results) != len(b.Results) {
		return false
	}
	for _, it := range b.Results {
		if prev, ok := a.Status(it.ID); !ok || prev.Status != it.Status {
			return false
		}
	}
	return true
}

// Status returns an item's status in the run.
func (r Run) Status(id string) (ItemStatus, bool) {
	for _, it := range r.Results {
		if it.ID == id {
			return it, true
		}
	}
	return ItemStatus{}, false
}

// Score is steps.Score: one definition for every screen and report.
type Score = steps.Score

// ScoreExplanation says how a score is computed, for reports.
const ScoreExplanation = steps.ScoreExplanation

// Score scores the run (see ScoreExplanation).
func (r Run) Score() Score { return ScoreOf(r.Results) }

// ScoreOf scores a list of item statuses (see ScoreExplanation).
func ScoreOf(results []ItemStatus) Score {
	sts := make([]steps.Status, len(results))
	for i, it := range results {
		sts[i] = it.Status
	}
	return steps.ScoreOf(sts)
}

// ItemPoint is one item's status in one run.
type ItemPoint struct {
	At      time.Time
	Status  steps.Status
	Summary string
	Changed bool // differs from the previous run that had the item
}

// ItemHistory returns one item over time, oldest first; runs without the
// item are skipped.
func ItemHistory(runs []Run, id string) []ItemPoint {
	var pts []ItemPoint
	for _, r := range runs {
		it, ok := r.Status(id)
		if !ok {
			continue
		}
		p := ItemPoint{At: r.At, Status: it.Status, Summary: it.Summary}
		if n := len(pts); n > 0 && pts[n-1].Status != it.Status {
			p.Changed = true
		}
		pts = append(pts, p)
	}
	return pts
}

var accessKeyID = regexp.MustCompile(`\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)

// MaskSecrets masks anything that looks like an access key ID. It is a last
// line of defence for text that is saved or shared; checks should already
// mask what they show.
func MaskSecrets(s string) string {
	return accessKeyID.ReplaceAllStringFunc(s, awsops.MaskKey)
}

// sortRuns orders runs oldest first (stable for equal times).
func sortRuns(runs []Run) {
	slices.SortStableFunc(runs, func(a, b Run) int { return a.At.Compare(b.At) })
}
