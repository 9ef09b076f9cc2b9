package steps

import (
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// ReportSchemaVersion is the version of the JSON report. It changes only
// when a field is removed or changes meaning; new fields keep it.
const ReportSchemaVersion = 1

// Report is the stable JSON report of one check pass (`rootguard check
// --format json`). Field names are a public interface: see README.md.
type Report struct {
	SchemaVersion int            `json:"schema_version"`
	AccountID     string         `json:"account_id"`
	AccountAlias  string         `json:"account_alias"`
	CallerARN     string         `json:"caller_arn"`
	CallerIsRoot  bool           `json:"caller_is_root"`
	GeneratedAt   time.Time      `json:"generated_at"`
	Results       []ReportResult `json:"results"`
	Summary       ReportSummary  `json:"summary"`
}

// ReportResult is one checklist item and its verdict.
type ReportResult struct {
	ID         string            `json:"id"`
	Phase      int               `json:"phase"`
	PhaseTitle string            `json:"phase_title"`
	Title      string            `json:"title"`
	Severity   Severity          `json:"severity"`
	Kind       Kind              `json:"kind"`
	Status     Status            `json:"status"`
	Summary    string            `json:"summary"`
	Evidence   map[string]string `json:"evidence"`
	Todo       string            `json:"todo"`
	// BlockedBy is the item this one waits for ("" when none); a waiting
	// item is open.
	BlockedBy  string `json:"blocked_by"`
	ConsoleURL string `json:"console_url"`
	Fixable    bool   `json:"fixable"`
}

// ReportSummary counts results by status; every status is always present.
type ReportSummary struct {
	Pass     int `json:"pass"`
	Fail     int `json:"fail"`
	Warn     int `json:"warn"`
	Manual   int `json:"manual"`
	Attested int `json:"attested"`
	NA       int `json:"n/a"`
	Unknown  int `json:"unknown"`
}

// Count returns the number of results with status s.
func (s ReportSummary) Count(st Status) int {
	switch st {
	case StatusPass:
		return s.Pass
	case StatusFail:
		return s.Fail
	case StatusWarn:
		return s.Warn
	case StatusManual:
		return s.Manual
	case StatusAttested:
		return s.Attested
	case StatusNA:
		return s.NA
	case StatusUnknown:
		return s.Unknown
	}
	return 0
}

func (s *ReportSummary) add(st Status) {
	switch st {
	case StatusPass:
		s.Pass++
	case StatusFail:
		s.Fail++
	case StatusWarn:
		s.Warn++
	case StatusManual:
		s.Manual++
	case StatusAttested:
		s.Attested++
	case StatusNA:
		s.NA++
	default:
		s.Unknown++
	}
}

// FinalStatus reports whether s is one of the seven statuses a report holds.
func FinalStatus(s Status) bool {
	for _, f := range Statuses {
		if s == f {
			return true
		}
	}
	return false
}

// NewReport builds the report of a pass. Outcomes keep their order. A result
// without a final status (a bug in a check) is reported as unknown, never
// dropped and never passed.
func NewReport(id awsops.Identity, outs []Outcome, at time.Time) Report {
	r := Report{
		SchemaVersion: ReportSchemaVersion,
		AccountID:     id.Account,
		AccountAlias:  id.Alias,
		CallerARN:     id.ARN,
		CallerIsRoot:  id.IsRoot,
		GeneratedAt:   at.UTC().Truncate(time.Second),
		Results:       make([]ReportResult, 0, len(outs)),
	}
	for _, o := range outs {
		res := o.Result
		if !FinalStatus(res.Status) {
			res = Result{Status: StatusUnknown,
				Summary: "internal error: the check returned no verdict (" + string(res.Status) + ")",
				Todo:    "Please report this as a rootguard bug."}
		}
		evidence := make(map[string]string, len(res.Evidence))
		for _, e := range res.Evidence {
			evidence[e.Key] = e.Value
		}
		r.Results = append(r.Results, ReportResult{
			ID:         o.Item.ID,
			Phase:      int(o.Item.Phase),
			PhaseTitle: o.Item.Phase.Title(),
			Title:      o.Item.Title,
			Severity:   o.Item.Severity,
			Kind:       o.Item.Kind,
			Status:     res.Status,
			Summary:    res.Summary,
			Evidence:   evidence,
			Todo:       res.Todo,
			BlockedBy:  res.BlockedBy,
			ConsoleURL: o.Item.ConsoleURL,
			Fixable:    o.Item.Fixable,
		})
		r.Summary.add(res.Status)
	}
	return r
}
