package steps

import (
	"fmt"
	"math"
)

// Score is how far along an account is: the share of applicable items that
// are done. Every screen, command and report shows this one number.
type Score struct {
	Percent    int // 0–100
	Done       int // pass or attested
	Warn       int
	Open       int // fail, manual, unknown
	Applicable int // every item except n/a
}

// ScoreExplanation says how a score is computed, for reports and help.
const ScoreExplanation = "share of applicable items that are done (pass or attested); a warning counts half; n/a items are left out"

// String is e.g. "55%".
func (s Score) String() string { return fmt.Sprintf("%d%%", s.Percent) }

// ScoreOf scores a list of statuses (see ScoreExplanation). Items still
// checking are left out.
func ScoreOf(statuses []Status) Score {
	var s Score
	for _, st := range statuses {
		switch st {
		case StatusNA, StatusChecking, "":
			continue
		case StatusPass, StatusAttested:
			s.Done++
		case StatusWarn:
			s.Warn++
		default:
			s.Open++
		}
		s.Applicable++
	}
	if s.Applicable > 0 {
		s.Percent = int(math.Round(100 * (float64(s.Done) + 0.5*float64(s.Warn)) / float64(s.Applicable)))
	}
	return s
}
