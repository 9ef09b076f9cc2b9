package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// Every fix follows one pattern: plan → preview → confirm → apply →
// re-verify live → record. A Plan is data built by a pure function from the
// current facts and the user's input; the same plan drives the wizard's
// preview, `fix --dry-run` and `fix --yes`. Apply is the only step that writes.
//
// The wizard drives a fix like this: read the current state
// (CurrentPasswordPolicy, CurrentAlternateContacts, CurrentContactInfo) to
// pre-fill the form; validate each field as it is typed (Validate…,
// IntRange.ValidateInput); build the plan (Plan…) and show its Changes, Calls
// and Warnings with a confirmation that defaults to no; on yes, run Apply in
// a command; show ApplyResult.Explain and Todo; then Reverify the item and
// record its new verdict.

// Plan is what a fix would do: the API calls with their values, and a human
// diff of current → proposed, field by field.
type Plan struct {
	ItemID string
	Title  string
	// Calls are the writes, in the order Apply makes them.
	Calls []Call
	// Changes is the field-by-field diff the user confirms.
	Changes []Change
	// Warnings must be shown before confirmation (e.g. weakening a stronger
	// existing policy).
	Warnings []string
	// NoOp is true when the target state already holds: Apply writes nothing.
	NoOp bool
	// record is what a successful apply records (see RecordSummary); ""
	// means the applied calls and changed field names.
	record string
}

// Call is one API write.
type Call struct {
	API    string     // the operation, which is also its IAM permission: "iam:UpdateAccountPasswordPolicy"
	Label  string     // what it saves, in plain words: "password policy", "security contact"
	Params []Evidence // the request parameters, as sent
	write  func(ctx context.Context, w awsops.Writer) error
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
}

// OK reports whether every call of the plan was made.
func (r ApplyResult) OK() bool { return r.Err == nil }

// Apply makes the plan's calls in order and stops at the first failure. A
// no-op plan writes nothing. Errors are classified, naming the permission.
func (p Plan) Apply(ctx context.Context, w awsops.Writer) ApplyResult {
	res := ApplyResult{NoOp: p.NoOp}
	if p.NoOp {
		return res
	}
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
			err = c.write(ctx, w)
		}
		if err != nil {
			failed := c
			res.Failed = &failed
			res.Err = withPermission(c.API, err)
			res.NotAttempted = append([]Call(nil), p.Calls[i+1:]...)
			return res
		}
		res.Applied = append(res.Applied, c)
	}
	return res
}

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
		parts = append(parts, c.Label+" saved")
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
	if len(r.Applied) == 0 && (r.Failed == nil || awsops.KindOf(r.Err) != awsops.KindCanceled) {
		parts = append(parts, "nothing was changed")
	}
	return strings.Join(parts, "; ")
}

// Todo says what to do after a failed apply ("" when it succeeded).
func (r ApplyResult) Todo() string {
	if r.Err == nil {
		return ""
	}
	switch awsops.KindOf(r.Err) {
	case awsops.KindAccessDenied:
		if perm := awsops.PermissionOf(r.Err); perm != "" {
			return fmt.Sprintf("Grant %s to the identity you run rootguard with (or run as a user who has it), then run the fix again. If the message mentions a service control policy, the organization's management account must allow it.", perm)
		}
		return "Grant the write permission to the identity you run rootguard with, then run the fix again."
	case awsops.KindThrottled:
		return "Wait a minute and run the fix again; what was saved stays saved."
	case awsops.KindCredentials:
		return "Refresh your credentials (e.g. `aws sso login`) and run the fix again."
	case awsops.KindCanceled:
		return "Run the fix again to finish; what was saved stays saved."
	}
	return "Check the message above, correct the input if AWS rejected a value, and run the fix again."
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

// FixInfo describes a fix for listings (`rootguard fix --list`, the wizard).
type FixInfo struct {
	ItemID  string
	Summary string
	// Available is false for fixes planned in a later release.
	Available bool
	// Writes are the API calls (and IAM permissions) the fix may make.
	Writes []string
	// Usage is the non-interactive command line ("" when not available).
	Usage string
}

// Item IDs of the fixes.
const (
	FixPasswordPolicy    = "password-policy"
	FixAlternateContacts = "alternate-contacts"
	FixContactInfo       = "contact-info"
)

// Fixes lists every fixable item in checklist order.
func Fixes() []FixInfo {
	return []FixInfo{
		{ItemID: "credential-report", Summary: "generate the IAM credential report and summarise it",
			Writes: []string{"iam:GenerateCredentialReport"}},
		{ItemID: FixAlternateContacts, Summary: "set the security, billing and operations contacts", Available: true,
			Writes: []string{"account:PutAlternateContact"},
			Usage:  "rootguard fix alternate-contacts --security-name … --security-title … --security-email … --security-phone … [--billing-… | --billing-same-as-security] [--operations-…]"},
		{ItemID: FixContactInfo, Summary: "set the account's primary contact details", Available: true,
			Writes: []string{"account:PutContactInformation"},
			Usage:  "rootguard fix contact-info [--full-name …] [--address-line1 …] [--city …] [--postal-code …] [--country-code …] [--phone +…] (fields left out keep their current values)"},
		{ItemID: FixPasswordPolicy, Summary: "set the IAM password policy (recommended, strict or custom)", Available: true,
			Writes: []string{"iam:UpdateAccountPasswordPolicy"},
			Usage:  "rootguard fix password-policy --preset recommended|strict|custom [--min-length N …]"},
		{ItemID: "admin-identity", Summary: "create an administrator IAM user with MFA instead of using root",
			Writes: []string{"iam:CreateGroup", "iam:AttachGroupPolicy", "iam:CreateUser", "iam:AddUserToGroup",
				"iam:CreateLoginProfile", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice"}},
		{ItemID: "root-activity-alert", Summary: "email an alert when root signs in (EventBridge + SNS, us-east-1)",
			Writes: []string{"sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "events:PutRule", "events:PutTargets"}},
		{ItemID: "budget-alert", Summary: "create a monthly cost budget with email alerts",
			Writes: []string{"budgets:CreateBudget"}},
		{ItemID: "org-root-access", Summary: "centralize root access management for member accounts",
			Writes: []string{"organizations:EnableAWSServiceAccess", "iam:EnableOrganizationsRootCredentialsManagement",
				"iam:EnableOrganizationsRootSessions"}},
		{ItemID: "org-root-scp", Summary: "attach an SCP that denies member-account root",
			Writes: []string{"organizations:CreatePolicy", "organizations:AttachPolicy"}},
	}
}

// FixFor returns the fix of an item, if it has one.
func FixFor(id string) (FixInfo, bool) {
	for _, f := range Fixes() {
		if f.ItemID == id {
			return f, true
		}
	}
	return FixInfo{}, false
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
