package steps

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rootguard/rootguard/awsops"
)

// Outcome is one item with its verdict.
type Outcome struct {
	Item   Item
	Result Result
}

// Run checks every item concurrently against one shared pass of facts and
// returns the outcomes in checklist order. onDone, when set, is called as
// each verdict arrives (from the checking goroutine).
func Run(ctx context.Context, f *Facts, items []Item, onDone func(Outcome)) []Outcome {
	out := make([]Outcome, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Outcome{Item: it, Result: CheckOne(ctx, f, it)}
			if onDone != nil {
				onDone(out[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// CheckOne runs a single item's check. A panic or an error never becomes a
// pass: it becomes unknown, with the reason.
func CheckOne(ctx context.Context, f *Facts, it Item) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Status: StatusUnknown, Summary: fmt.Sprintf("internal error while checking: %v", p),
				Todo: "Please report this as a rootguard bug."}
		}
		if r.CheckedAt.IsZero() {
			r.CheckedAt = f.Now()
		}
		if r.BlockedBy != "" && r.Status != StatusFail && r.Status != StatusManual && r.Status != StatusUnknown {
			r.Status = StatusFail // an item that waits for another is never done
		}
	}()
	if it.Check == nil {
		return Result{Status: StatusNA, Summary: "nothing to check"}
	}
	return it.Check(ctx, f)
}

// Unknown turns a read error into an unknown verdict that says why and what
// to do: the missing permission by name, or to retry.
func Unknown(what string, err error) Result {
	r := Result{Status: StatusUnknown, Err: err}
	switch awsops.KindOf(err) {
	case awsops.KindAccessDenied:
		perm := awsops.PermissionOf(err)
		r.Summary = fmt.Sprintf("could not read %s: access denied", what)
		if perm != "" {
			r.Summary += " (needs " + perm + ")"
			r.Todo = fmt.Sprintf("Grant %s to the identity you run rootguard with (`rootguard policy` prints a policy with every permission it needs), then re-check.", perm)
		} else {
			r.Todo = "Grant read access (see `rootguard policy`), then re-check."
		}
		r.Evidence = []Evidence{{Key: "error", Value: "access denied"}}
		if perm != "" {
			r.Evidence = append(r.Evidence, Evidence{Key: "permission", Value: perm})
		}
	case awsops.KindThrottled:
		r.Summary = fmt.Sprintf("could not read %s: AWS throttled the request", what)
		r.Todo = "Wait a minute and re-check."
		r.Evidence = []Evidence{{Key: "error", Value: "throttled"}}
	case awsops.KindCredentials:
		r.Summary = fmt.Sprintf("could not read %s: the credentials were rejected", what)
		r.Todo = "Refresh your credentials (e.g. `aws sso login`) and re-check."
		r.Evidence = []Evidence{{Key: "error", Value: err.Error()}}
	case awsops.KindCanceled:
		r.Summary = fmt.Sprintf("check of %s was canceled", what)
		r.Todo = "Re-check."
		if errors.Is(err, context.DeadlineExceeded) {
			r.Summary = fmt.Sprintf("check of %s timed out", what)
			r.Todo = "Re-check; if it keeps timing out, check your network and the AWS service health."
		}
	default:
		r.Summary = fmt.Sprintf("could not read %s: %v", what, err)
		r.Todo = "Re-check; if it keeps failing, check the AWS service health and your network."
		r.Evidence = []Evidence{{Key: "error", Value: err.Error()}}
	}
	return r
}

// Summary counts outcomes by status and, for open items, by severity.
// Info items (context only, they never fail) count by status only.
type Summary struct {
	ByStatus   map[Status]int   `json:"by_status"`
	BySeverity map[Severity]int `json:"open_by_severity"`
	Total      int              `json:"total"`
}

// Summarize counts outcomes.
func Summarize(outs []Outcome) Summary {
	s := Summary{ByStatus: map[Status]int{}, BySeverity: map[Severity]int{}}
	for _, o := range outs {
		s.Total++
		s.ByStatus[o.Result.Status]++
		if o.Result.Status.Open() && o.Item.Kind != KindInfo {
			s.BySeverity[o.Item.Severity]++
		}
	}
	return s
}
