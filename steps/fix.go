package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// Every fix follows one pattern: plan → preview → confirm → apply →
// re-verify live → record. A Plan is data built by a pure function from the
// current state and the user's input (Fix.Plan); the same plan drives the
// wizard's preview, `fix --dry-run` and `fix --yes`. Apply is the only step
// that writes.

// Plan is what a fix would do: the API calls with their values, and a human
// diff of current → proposed, field by field.
type Plan struct {
	ItemID string
	Title  string
	// Calls are the writes, in the order Apply makes them.
	Calls []Call
	// Changes is the field-by-field diff the user confirms.
	Changes []Change
	// Kept lists fields sent again unchanged (Key = label), because the
	// call replaces the whole record.
	Kept []Evidence
	// Notes are choices the plan made for the user (a starting point, a
	// preset that is no longer the preset).
	Notes []string
	// Warnings must be shown before confirmation (e.g. weakening a stronger
	// existing policy, a cost).
	Warnings []string
	// NoOp is true when the target state already holds: Apply writes nothing.
	NoOp bool
	// Confirm, when set, asks the user to type a value instead of a plain
	// yes (changes with a wide blast radius).
	Confirm *TypedConfirm
	// record is what a successful apply records (see RecordSummary); ""
	// means the applied calls and changed field names.
	record string
	// then builds what follows a complete apply from the calls' outputs
	// (nil: the fix is done).
	then func(out Outputs) *Stage
}

// Call is one API write.
type Call struct {
	API    string     // the operation, which is also its IAM permission: "iam:UpdateAccountPasswordPolicy"
	Label  string     // what it saves, in plain words: "password policy", "security contact"
	Params []Evidence // the request parameters, as sent (secrets are never shown here)
	// Undo takes this call back when a later call of the same apply fails
	// (nil: nothing to take back, e.g. an update or a piece that existed).
	Undo  *Call
	write func(ctx context.Context, w awsops.Writer, out Outputs) error
}

// Outputs are values calls hand to later calls and stages within one apply
// (a created topic's ARN, a new MFA device's serial and seed). They live in
// memory only: they may hold secrets and are never recorded.
type Outputs map[string]string

// NewCall makes a call whose write needs no outputs of earlier calls.
func NewCall(api, label string, params []Evidence, write func(ctx context.Context, w awsops.Writer) error) Call {
	return Call{API: api, Label: label, Params: params,
		write: func(ctx context.Context, w awsops.Writer, _ Outputs) error { return write(ctx, w) }}
}

// NewCallOut makes a call that reads or sets outputs.
func NewCallOut(api, label string, params []Evidence, write func(ctx context.Context, w awsops.Writer, out Outputs) error) Call {
	return Call{API: api, Label: label, Params: params, write: write}
}

// WithUndo returns c with the call that takes it back.
func (c Call) WithUndo(undo Call) Call {
	c.Undo = &undo
	return c
}

// Then returns p with what follows a complete apply.
func (p Plan) Then(next func(out Outputs) *Stage) Plan {
	p.then = next
	return p
}

// Change is one field of the diff.
type Change struct {
	Field    string
	Current  string
	Proposed string
}

// ApplyResult says exactly which calls of a plan were made.
type ApplyResult struct {
	NoOp         bool
	Applied      []Call // succeeded, in order
	Failed       *Call  // the call that failed, if any
	Err          error  // why it failed (classified by awsops.Wrap)
	NotAttempted []Call // calls after the failure (or after cancellation)
	// Undone are applied calls taken back after the failure, newest first;
	// UndoFailed are those whose undo failed (they are still in place).
	Undone     []Call
	UndoFailed []Call
	UndoErr    error
	// Outputs are the calls' outputs (in memory only, never recorded).
	Outputs Outputs
	// Next is what the user must see or do now (nil: the fix is done).
	Next *Stage
}

// OK reports whether every call of the plan was made.
func (r ApplyResult) OK() bool { return r.Err == nil }

// InPlace lists the applied calls that are still in place (not undone).
func (r ApplyResult) InPlace() []Call {
	var out []Call
	for _, c := range r.Applied {
		if !containsCall(r.Undone, c) {
			out = append(out, c)
		}
	}
	return out
}

func containsCall(list []Call, c Call) bool {
	for _, x := range list {
		if x.API == c.API && x.Label == c.Label {
			return true
		}
	}
	return false
}

// Apply makes the plan's calls in order and stops at the first failure; the
// calls it made that have an Undo are then taken back, newest first, so a
// multi-call fix leaves nothing half-made. A no-op plan writes nothing.
// Errors are classified, naming the permission.
func (p Plan) Apply(ctx context.Context, w awsops.Writer) ApplyResult {
	res := ApplyResult{NoOp: p.NoOp, Outputs: Outputs{}}
	if p.NoOp {
		return res
	}
	w = unwrapWriter(w) // a fix's own writer is on the account itself
	for i, c := range p.Calls {
		var err error
		if ctxErr := ctx.Err(); ctxErr != nil {
			// Stop before the next write; nothing of this call was sent.
			res.Err = awsops.Wrap(c.API, ctxErr)
			res.NotAttempted = append([]Call(nil), p.Calls[i:]...)
			return res
		}
		if c.write == nil {
			err = fmt.Errorf("internal error: %s has no writer", c.API)
		} else {
			err = c.write(ctx, w, res.Outputs)
		}
		if err != nil {
			failed := c
			res.Failed = &failed
			res.Err = withPermission(c.API, err)
			res.NotAttempted = append([]Call(nil), p.Calls[i+1:]...)
			res.undo(ctx, w)
			return res
		}
		res.Applied = append(res.Applied, c)
	}
	if p.then != nil {
		res.Next = p.then(res.Outputs)
	}
	return res
}

// undo takes back the applied calls that have an Undo, newest first. It
// runs even when ctx was canceled (with a short deadline of its own), so an
// interrupted fix still cleans up.
func (r *ApplyResult) undo(ctx context.Context, w awsops.Writer) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	for i := len(r.Applied) - 1; i >= 0; i-- {
		u := r.Applied[i].Undo
		if u == nil || u.write == nil {
			continue
		}
		if err := u.write(ctx, w, r.Outputs); err != nil {
			r.UndoFailed = append(r.UndoFailed, r.Applied[i])
			if r.UndoErr == nil {
				r.UndoErr = withPermission(u.API, err)
			}
			continue
		}
		r.Undone = append(r.Undone, r.Applied[i])
	}
}

// undoTimeout bounds taking back a failed fix's calls.
const undoTimeout = 30 * time.Second

// withPermission classifies err and makes sure it names the call's
// permission, so an access denied says what to grant.
func withPermission(api string, err error) error {
	err = awsops.Wrap(api, err)
	var ae *awsops.Error
	if errors.As(err, &ae) && ae.Permission == "" {
		cp := *ae
		cp.Permission = api
		return &cp
	}
	return err
}

// Explain says in plain words what was and was not changed, e.g.
// "security contact saved; billing contact NOT saved: access denied: needs
// account:PutAlternateContact; operations contact not attempted".
func (r ApplyResult) Explain() string {
	if r.NoOp {
		return "already in place; nothing to do (nothing was written)"
	}
	if r.Err == nil {
		if len(r.Applied) == 0 {
			return "nothing to write"
		}
		parts := make([]string, len(r.Applied))
		for i, c := range r.Applied {
			parts[i] = c.Label + " saved"
		}
		return strings.Join(parts, "; ")
	}
	single := len(r.Applied) == 0 && len(r.NotAttempted) == 0 && r.Failed != nil
	if single && awsops.KindOf(r.Err) != awsops.KindCanceled {
		return r.Err.Error() + "; nothing was changed"
	}
	var parts []string
	for _, c := range r.Applied {
		switch {
		case containsCall(r.Undone, c):
			parts = append(parts, c.Label+" saved, then undone")
		case containsCall(r.UndoFailed, c):
			parts = append(parts, c.Label+" saved and could NOT be undone: "+r.UndoErr.Error())
		default:
			parts = append(parts, c.Label+" saved")
		}
	}
	switch {
	case r.Failed != nil && awsops.KindOf(r.Err) == awsops.KindCanceled:
		// The request may have reached AWS before it was canceled.
		parts = append(parts, r.Failed.Label+" interrupted: it may or may not have been saved (re-check to see)")
	case r.Failed != nil:
		parts = append(parts, r.Failed.Label+" NOT saved: "+r.Err.Error())
	default:
		parts = append(parts, "stopped: "+r.Err.Error())
	}
	for _, c := range r.NotAttempted {
		parts = append(parts, c.Label+" not attempted")
	}
	if len(r.InPlace()) == 0 && (r.Failed == nil || awsops.KindOf(r.Err) != awsops.KindCanceled) {
		parts = append(parts, "nothing was changed")
	}
	return strings.Join(parts, "; ")
}

// Todo says what to do after a failed apply ("" when it succeeded).
func (r ApplyResult) Todo() string {
	if r.Err == nil {
		return ""
	}
	todo := ""
	switch awsops.KindOf(r.Err) {
	case awsops.KindAccessDenied:
		if perm := awsops.PermissionOf(r.Err); perm != "" {
			todo = fmt.Sprintf("Grant %s to the identity you run rootguard with (or run as a user who has it), then run the fix again. If the message mentions a service control policy, the organization's management account must allow it.", perm)
		} else {
			todo = "Grant the write permission to the identity you run rootguard with, then run the fix again."
		}
	case awsops.KindThrottled:
		todo = "Wait a minute and run the fix again; what was saved stays saved."
	case awsops.KindCredentials:
		todo = "Refresh your credentials (e.g. `aws sso login`) and run the fix again."
	case awsops.KindCanceled:
		todo = "Run the fix again to finish; what was saved stays saved."
	default:
		todo = "Check the message above, correct the input if AWS rejected a value, and run the fix again."
	}
	if len(r.UndoFailed) > 0 {
		names := make([]string, len(r.UndoFailed))
		for i, c := range r.UndoFailed {
			names[i] = c.Label
		}
		todo += " rootguard could not take back " + strings.Join(names, ", ") + ": remove it in the console, or run the fix again to finish it."
	}
	return todo
}

// Reverify re-checks an item live with a fresh pass of facts, so the verdict
// after a fix reflects the account, not a cache: every IAM user's
// credentials are read live instead of from the cached credential report
// (FactsOptions.Live). A caller re-checking one item on its own (the
// wizard's re-check) should use Reverify, or NewFacts with Live set.
func Reverify(ctx context.Context, r awsops.Reader, it Item, opts FactsOptions) Result {
	opts.Live = true
	return CheckOne(ctx, NewFacts(r, opts), it)
}

// FixFor returns the fix of an item, if it has one (available or planned).
func FixFor(id string) (Fix, bool) {
	for _, f := range Fixes() {
		if f.ID == id {
			return f, true
		}
	}
	return Fix{}, false
}

// Values as shown in diffs.
const (
	shownNotSet = "(not set)"
	shownEmpty  = "(empty)"
	shownNoRead = "(could not read)"
)

func shown(s string) string {
	if s == "" {
		return shownEmpty
	}
	return s
}
