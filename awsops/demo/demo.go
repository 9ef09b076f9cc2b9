// Package demo is a simulated AWS account that lives in memory: a typical
// new, unhardened account for `rootguard --demo`, trainings and tests, or
// another starting point (a Scenario, e.g. an organization's management
// account for `--demo=org`). It
// implements awsops.Account without any network, answers every read from
// its state, validates writes like AWS does, and can simulate the console
// actions a person would take to fix an item (Simulate). Snapshot and
// Restore carry its state from one process to the next.
package demo

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// The demo account's fixed identity.
const (
	AccountID  = "111122223333"
	Alias      = "acme-sandbox"
	HomeRegion = "us-east-1"
	RootARN    = "arn:aws:iam::" + AccountID + ":root"
)

// Options configures a demo account.
type Options struct {
	// Scenario names the starting state (see Scenarios); "" is
	// DefaultScenario. An unknown name panics.
	Scenario string
	// Now is the clock; nil means time.Now. The starting state (key ages,
	// last use) is laid out relative to it when the account is made or reset.
	Now func() time.Time
	// Latency returns how long an operation takes (op is the Reader or
	// Writer method name); nil means instant. See RealisticLatency.
	Latency func(op string) time.Duration
	// Fail makes a Reader or Writer method (by name, e.g. "PasswordPolicy")
	// return that error. "ListAccountAliases" fails only the alias part of
	// CallerIdentity (Identity.AliasErr). Unclassified errors are wrapped
	// with awsops.Wrap and the method's IAM permission. An unknown method
	// name panics, so a mistyped name cannot make a test pass silently.
	Fail map[string]error
}

// Account is the demo account. It is safe for concurrent use; reads return
// copies.
type Account struct {
	now      func() time.Time
	latency  func(op string) time.Duration
	scenario Scenario

	mu     sync.Mutex
	fail   map[string]error
	st     *state
	writes []string
	// pendingMFA are virtual MFA devices not yet assigned to a user. Their
	// secrets live here, outside the state, so no snapshot can save them.
	pendingMFA []pendingMFA
	// undo is the state before each simulated step (undo.go).
	undo []undoEntry
}

var _ awsops.Account = (*Account)(nil)

// New returns a demo account in its starting state.
func New(o Options) *Account {
	a := &Account{now: o.Now, latency: o.Latency, scenario: scenarioOf(o.Scenario), fail: map[string]error{}}
	if a.now == nil {
		a.now = time.Now
	}
	for method, err := range o.Fail {
		a.SetFail(method, err)
	}
	a.st = a.scenario.start(a.now())
	return a
}

// Reset puts the account back in its scenario's starting state (relative
// to Now) and clears the write log. Injected failures stay.
func (a *Account) Reset() {
	st := a.scenario.start(a.now())
	a.mu.Lock()
	defer a.mu.Unlock()
	a.st = st
	a.writes = nil
	a.pendingMFA = nil
	a.undo = nil
}

// SetFail injects (or, with a nil error, clears) a failure for a method
// while the account is in use.
func (a *Account) SetFail(method string, err error) {
	if _, ok := permissions[method]; !ok {
		panic(fmt.Sprintf("demo: no method %q to fail; use a Reader or Writer method name or ListAccountAliases", method))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err == nil {
		delete(a.fail, method)
		return
	}
	a.fail[method] = err
}

// Region is the home region.
func (a *Account) Region() string { return HomeRegion }

// Writes returns every Writer call made so far, in order: the method and its
// key parameters (never secrets). A call that returned an error ends with
// "(error: kind code)".
func (a *Account) Writes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.writes...)
}

// AccessDenied builds the classified error AWS gives when the caller lacks
// permission, e.g. AccessDenied("iam:GetAccountPasswordPolicy").
func AccessDenied(permission string) error {
	return &awsops.Error{
		Kind:       awsops.KindAccessDenied,
		Permission: permission,
		Code:       accessDeniedCode(permission),
		Message: fmt.Sprintf("User: arn:aws:sts::%s:assumed-role/ReadOnly/trainee is not authorized to perform: %s",
			AccountID, permission),
	}
}

// accessDeniedCode is the code each service uses for a denial.
func accessDeniedCode(permission string) string {
	service, _, _ := strings.Cut(permission, ":")
	switch service {
	case "iam", "sts", "s3":
		return "AccessDenied"
	case "sns":
		return "AuthorizationError"
	}
	return "AccessDeniedException"
}

// permissions names the IAM action behind each method, for wrapping errors.
var permissions = map[string]string{
	"CallerIdentity":            "sts:GetCallerIdentity",
	"ListAccountAliases":        "iam:ListAccountAliases",
	"AccountSummary":            "iam:GetAccountSummary",
	"CredentialReport":          "iam:GetCredentialReport",
	"PasswordPolicy":            "iam:GetAccountPasswordPolicy",
	"AlternateContact":          "account:GetAlternateContact",
	"ContactInformation":        "account:GetContactInformation",
	"VirtualMFADevices":         "iam:ListVirtualMFADevices",
	"CallerMFADevices":          "iam:ListMFADevices",
	"IAMUsers":                  "iam:ListUsers",
	"UserCredentials":           "iam:GetLoginProfile",
	"Administrators":            "iam:GetAccountAuthorizationDetails",
	"IdentityProviders":         "iam:ListSAMLProviders",
	"IdentityCenterAccess":      "sso:ListPermissionSetsProvisionedToAccount",
	"OrganizationAccounts":      "organizations:ListAccounts",
	"RootUsageAlarms":           "logs:DescribeMetricFilters",
	"RootSignIns":               "cloudtrail:LookupEvents",
	"EnabledRegions":            "account:ListRegions",
	"GuardDutyDetectorsIn":      "guardduty:ListDetectors",
	"IdentityCenterInstances":   "sso:ListInstances",
	"Organization":              "organizations:DescribeOrganization",
	"OrganizationsRootFeatures": "iam:ListOrganizationsFeatures",
	"ServiceControlPolicies":    "organizations:ListPolicies",
	"RootSignInAlerts":          "events:ListRules",
	"Trails":                    "cloudtrail:DescribeTrails",
	"GuardDutyDetectors":        "guardduty:ListDetectors",
	"Budgets":                   "budgets:ViewBudget",
	"SecurityHub":               "securityhub:DescribeHub",
	"ConfigRecorders":           "config:DescribeConfigurationRecorders",
	"UpdatePasswordPolicy":      "iam:UpdateAccountPasswordPolicy",
	"PutAlternateContact":       "account:PutAlternateContact",
	"PutContactInformation":     "account:PutContactInformation",
	// The admin fix (admin.go).
	"IAMUserNames":           "iam:ListUsers",
	"IAMGroup":               "iam:GetGroup",
	"CreateGroup":            "iam:CreateGroup",
	"DeleteGroup":            "iam:DeleteGroup",
	"AttachGroupPolicy":      "iam:AttachGroupPolicy",
	"DetachGroupPolicy":      "iam:DetachGroupPolicy",
	"CreateUser":             "iam:CreateUser",
	"DeleteUser":             "iam:DeleteUser",
	"AddUserToGroup":         "iam:AddUserToGroup",
	"RemoveUserFromGroup":    "iam:RemoveUserFromGroup",
	"CreateLoginProfile":     "iam:CreateLoginProfile",
	"DeleteLoginProfile":     "iam:DeleteLoginProfile",
	"CreateVirtualMFADevice": "iam:CreateVirtualMFADevice",
	"DeleteVirtualMFADevice": "iam:DeleteVirtualMFADevice",
	"EnableMFADevice":        "iam:EnableMFADevice",
	// The s3-block-public-access check and fix (s3.go).
	"AccountPublicAccessBlock":    "s3:GetAccountPublicAccessBlock",
	"PutAccountPublicAccessBlock": "s3:PutAccountPublicAccessBlock",
	// The root-access-keys fix (rootkeys.go).
	"RootAccessKeys":          "iam:ListAccessKeys",
	"DeactivateRootAccessKey": "iam:UpdateAccessKey",
	"DeleteRootAccessKey":     "iam:DeleteAccessKey",
	// The cloudtrail fix (trail.go).
	"TrailEventSelectors":     "cloudtrail:GetEventSelectors",
	"LogBucket":               "s3:ListBucket",
	"CreateLogBucket":         "s3:CreateBucket",
	"DeleteLogBucket":         "s3:DeleteBucket",
	"BlockBucketPublicAccess": "s3:PutBucketPublicAccessBlock",
	"EncryptBucket":           "s3:PutEncryptionConfiguration",
	"PutBucketPolicy":         "s3:PutBucketPolicy",
	"CreateTrail":             "cloudtrail:CreateTrail",
	"DeleteTrail":             "cloudtrail:DeleteTrail",
	"MakeTrailMultiRegion":    "cloudtrail:UpdateTrail",
	"PutEventSelectors":       "cloudtrail:PutEventSelectors",
	"StartLogging":            "cloudtrail:StartLogging",
	// The guardduty fix (guardduty.go).
	"CreateDetector": "guardduty:CreateDetector",
	"EnableDetector": "guardduty:UpdateDetector",
	// The root-activity-alert fix (rootalert.go).
	"RootAlertSetup":      "events:DescribeRule",
	"CreateAlertTopic":    "sns:CreateTopic",
	"DeleteAlertTopic":    "sns:DeleteTopic",
	"SetAlertTopicPolicy": "sns:SetTopicAttributes",
	"SubscribeEmail":      "sns:Subscribe",
	"UnsubscribeEmail":    "sns:Unsubscribe",
	"PutAlertRule":        "events:PutRule",
	"DeleteAlertRule":     "events:DeleteRule",
	"PutAlertTarget":      "events:PutTargets",
	"RemoveAlertTarget":   "events:RemoveTargets",
	// The budget-alert fix (budget.go).
	"CreateCostBudget":       "budgets:ModifyBudget",
	"DeleteBudget":           "budgets:ModifyBudget",
	"SetBudgetLimit":         "budgets:ModifyBudget",
	"CreateBudgetAlert":      "budgets:ModifyBudget",
	"DeleteBudgetAlert":      "budgets:ModifyBudget",
	"AddBudgetAlertEmail":    "budgets:ModifyBudget",
	"RemoveBudgetAlertEmail": "budgets:ModifyBudget",
	// The Organizations fixes (org.go).
	"TrustedServices":                 "organizations:ListAWSServiceAccessForOrganization",
	"OrganizationRoot":                "organizations:ListRoots",
	"OrganizationalUnits":             "organizations:ListOrganizationalUnitsForParent",
	"PolicyContent":                   "organizations:DescribePolicy",
	"EnableTrustedAccess":             "organizations:EnableAWSServiceAccess",
	"EnableRootCredentialsManagement": "iam:EnableOrganizationsRootCredentialsManagement",
	"EnableRootSessions":              "iam:EnableOrganizationsRootSessions",
	"EnableSCPPolicyType":             "organizations:EnablePolicyType",
	"CreateSCP":                       "organizations:CreatePolicy",
	"UpdateSCPContent":                "organizations:UpdatePolicy",
	"DeleteSCP":                       "organizations:DeletePolicy",
	"AttachSCP":                       "organizations:AttachPolicy",
	"DetachSCP":                       "organizations:DetachPolicy",
}

// begin waits the operation's latency (honouring ctx) and returns an
// injected failure, if any. It is called without the lock held.
func (a *Account) begin(ctx context.Context, op string) error {
	perm := permissions[op]
	if err := ctx.Err(); err != nil {
		return awsops.Wrap(perm, err)
	}
	if a.latency != nil {
		if d := a.latency(op); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return awsops.Wrap(perm, ctx.Err())
			case <-t.C:
			}
		}
	}
	return a.injected(op)
}

func (a *Account) injected(op string) error {
	a.mu.Lock()
	err := a.fail[op]
	a.mu.Unlock()
	return awsops.Wrap(permissions[op], err)
}

// read runs one read: latency, injected failure, then f under the lock.
func read[T any](a *Account, ctx context.Context, op string, f func(st *state) (T, error)) (T, error) {
	if err := a.begin(ctx, op); err != nil {
		var zero T
		return zero, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return f(a.st)
}

// write runs one write like read does and logs it with its outcome.
func (a *Account) write(ctx context.Context, op, params string, f func(st *state) error) error {
	err := a.begin(ctx, op)
	a.mu.Lock()
	defer a.mu.Unlock()
	if err == nil {
		var before Snapshot
		if len(a.undo) > 0 {
			before = snapshotOf(a.st)
		}
		if err = f(a.st); err == nil && len(a.undo) > 0 && !reflect.DeepEqual(before, snapshotOf(a.st)) {
			a.undo = nil // undoing an earlier simulation would undo this write too
		}
	}
	entry := op
	if params != "" {
		entry += " " + params
	}
	if err != nil {
		entry += " (error: " + string(awsops.KindOf(err))
		if code := errorCode(err); code != "" {
			entry += " " + code
		}
		entry += ")"
	}
	a.writes = append(a.writes, entry)
	return err
}

func errorCode(err error) string {
	var e *awsops.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
