package steps

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// readDep is one read an item's verdict depends on, with the state that
// makes the check reach it.
type readDep struct {
	item, method, perm string
	setup              func(f *factsFake)
	// unsetOnNotFound marks reads where AWS's not-found means "not set"
	// (tested in TestChecks); other reads turn not-found into unknown.
	unsetOnNotFound bool
}

// newUserCarol adds a console user created after the credential report,
// so she is read live.
func newUserCarol(f *factsFake) {
	f.users = []awsops.IAMUser{
		{Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice", CreatedAt: daysAgo(400)},
		{Name: "carol", ARN: "arn:aws:iam::111122223333:user/carol", CreatedAt: testNow.Add(-10 * time.Minute)},
	}
	f.userCreds = map[string]awsops.UserCredentials{"carol": {User: "carol", ConsolePassword: true}}
}

func readDeps() []readDep {
	rootCaller := func(f *factsFake) { asRoot(f, awsops.CredentialsTemporary, "") }
	recentRoot := func(f *factsFake) { f.report.Root.PasswordLastUsed = stampAt(daysAgo(1)) }
	mgmt := func(f *factsFake) { inOrg(f, testAccount) }
	deps := []readDep{
		{item: "credential-report", method: "CredentialReport", perm: "iam:GetCredentialReport"},
		{item: "root-mfa", method: "AccountSummary", perm: "iam:GetAccountSummary"},
		{item: "root-mfa-strength", method: "AccountSummary", perm: "iam:GetAccountSummary"},
		{item: "root-mfa-strength", method: "CallerIdentity", perm: "sts:GetCallerIdentity"},
		{item: "root-mfa-strength", method: "VirtualMFADevices", perm: "iam:ListVirtualMFADevices"},
		{item: "root-mfa-strength", method: "CallerMFADevices", perm: "iam:ListMFADevices", setup: rootCaller},
		{item: "root-access-keys", method: "AccountSummary", perm: "iam:GetAccountSummary"},
		{item: "root-signing-certs", method: "AccountSummary", perm: "iam:GetAccountSummary"},
		{item: "root-usage", method: "CredentialReport", perm: "iam:GetCredentialReport"},
		{item: "root-usage", method: "CallerIdentity", perm: "sts:GetCallerIdentity"},
		{item: "root-usage", method: "RootSignIns", perm: "cloudtrail:LookupEvents", setup: recentRoot},
		{item: "alternate-contacts", method: "AlternateContact:SECURITY", perm: "account:GetAlternateContact", unsetOnNotFound: true},
		{item: "alternate-contacts", method: "AlternateContact:BILLING", perm: "account:GetAlternateContact", unsetOnNotFound: true},
		{item: "alternate-contacts", method: "AlternateContact:OPERATIONS", perm: "account:GetAlternateContact", unsetOnNotFound: true},
		{item: "contact-info", method: "ContactInformation", perm: "account:GetContactInformation", unsetOnNotFound: true},
		{item: "password-policy", method: "PasswordPolicy", perm: "iam:GetAccountPasswordPolicy", unsetOnNotFound: true},
		{item: "s3-block-public-access", method: "AccountPublicAccessBlock", perm: "s3:GetAccountPublicAccessBlock"},
		{item: "s3-block-public-access", method: "CallerIdentity", perm: "sts:GetCallerIdentity"},
		{item: "admin-identity", method: "Administrators", perm: "iam:GetAccountAuthorizationDetails", setup: func(f *factsFake) { f.admins = nil }},
		{item: "admin-identity", method: "IdentityCenterInstances", perm: "sso:ListInstances",
			setup: func(f *factsFake) { f.admins[0].MFADevices = 0 }},
		{item: "admin-identity", method: "IdentityCenterAccess", perm: "sso:ListPermissionSetsProvisionedToAccount",
			setup: func(f *factsFake) { f.admins = nil; orgIdentityCenter(f) }},
		{item: "admin-identity", method: "IdentityProviders", perm: "iam:ListSAMLProviders", setup: func(f *factsFake) {
			f.admins = nil
			f.adminRoles = []awsops.AdminRole{{Name: "okta-admin", Via: "AdministratorAccess", Federated: []string{"arn:aws:iam::111122223333:saml-provider/Okta"}}}
		}},
		{item: "credential-report", method: "IAMUsers", perm: "iam:ListUsers"},
		{item: "credential-report", method: "UserCredentials:carol", perm: "iam:GetLoginProfile", setup: newUserCarol},
		{item: "iam-users-mfa", method: "CredentialReport", perm: "iam:GetCredentialReport"},
		{item: "iam-users-mfa", method: "IAMUsers", perm: "iam:ListUsers"},
		{item: "iam-users-mfa", method: "UserCredentials:carol", perm: "iam:ListMFADevices", setup: newUserCarol},
		{item: "access-key-hygiene", method: "CredentialReport", perm: "iam:GetCredentialReport"},
		{item: "access-key-hygiene", method: "UserCredentials:carol", perm: "iam:ListAccessKeys", setup: newUserCarol},
		{item: "root-activity-alert", method: "RootSignInAlerts", perm: "events:ListRules"},
		{item: "root-activity-alert", method: "RootUsageAlarms", perm: "logs:DescribeMetricFilters", setup: func(f *factsFake) {
			f.alerts = nil
			f.trails[0].LogGroupARN = "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*"
		}},
		{item: "cloudtrail", method: "Trails", perm: "cloudtrail:DescribeTrails"},
		{item: "guardduty", method: "EnabledRegions", perm: "account:ListRegions"},
		{item: "guardduty", method: "GuardDutyDetectorsIn:eu-central-1", perm: "guardduty:ListDetectors"},
		{item: "budget-alert", method: "Budgets", perm: "budgets:ViewBudget", unsetOnNotFound: true},
		{item: "budget-alert", method: "CallerIdentity", perm: "sts:GetCallerIdentity"},
		{item: "guardduty", method: "GuardDutyDetectors", perm: "guardduty:ListDetectors"},
		{item: "detective-services", method: "SecurityHub", perm: "securityhub:DescribeHub"},
		{item: "detective-services", method: "ConfigRecorders", perm: "config:DescribeConfigurationRecorders"},
	}
	for _, id := range []string{"org-root-access", "org-root-scp"} {
		deps = append(deps,
			readDep{item: id, method: "Organization", perm: "organizations:DescribeOrganization"},
			readDep{item: id, method: "CallerIdentity", perm: "sts:GetCallerIdentity", setup: mgmt},
		)
	}
	return append(deps,
		readDep{item: "org-root-access", method: "OrganizationsRootFeatures", perm: "iam:ListOrganizationsFeatures", setup: mgmt},
		readDep{item: "org-root-scp", method: "ServiceControlPolicies", perm: "organizations:ListPolicies", setup: mgmt},
		readDep{item: "org-root-scp", method: "OrganizationAccounts", perm: "organizations:ListAccounts", setup: mgmt},
	)
}

// TestCheckReadErrors fails each read each item depends on with each class
// of error: the verdict is unknown, never a pass, and says why.
func TestCheckReadErrors(t *testing.T) {
	kinds := []struct {
		name    string
		err     func(perm string) error
		summary func(perm string) string
		todo    string
	}{
		{"access denied", accessDenied, func(p string) string { return "access denied (needs " + p + ")" }, "Grant "},
		{"throttled", func(p string) error {
			return &awsops.Error{Kind: awsops.KindThrottled, Permission: p, Code: "ThrottlingException"}
		}, func(string) string { return "throttled" }, "Wait a minute"},
		{"credentials", func(p string) error {
			return &awsops.Error{Kind: awsops.KindCredentials, Permission: p, Code: "ExpiredToken", Message: "the security token has expired"}
		}, func(string) string { return "credentials were rejected" }, "Refresh your credentials"},
		{"service failure", func(p string) error {
			return &awsops.Error{Kind: awsops.KindOther, Permission: p, Code: "ServiceFailure", Message: "internal failure"}
		}, func(string) string { return "ServiceFailure" }, "Re-check"},
		{"unclassified", func(string) error { return errors.New("connection reset by peer") },
			func(string) string { return "connection reset by peer" }, "Re-check"},
		{"canceled", func(string) error { return awsops.Wrap("", context.Canceled) },
			func(string) string { return "canceled" }, "Re-check"},
		{"not found", func(p string) error { return notFound(p, "NoSuchEntity") },
			func(string) string { return "NoSuchEntity" }, "Re-check"},
	}
	covered := map[string]bool{}
	for _, d := range readDeps() {
		covered[d.item] = true
		for _, k := range kinds {
			if k.name == "not found" && d.unsetOnNotFound {
				continue
			}
			t.Run(d.item+"/"+d.method+"/"+k.name, func(t *testing.T) {
				fake := healthyFake()
				if d.setup != nil {
					d.setup(fake)
				}
				fake.errs = map[string]error{d.method: k.err(d.perm)}
				r := runCheck(t, fake, d.item, nil)
				if r.Status != StatusUnknown {
					t.Fatalf("status %s (%s), want unknown", r.Status, r.Summary)
				}
				if want := k.summary(d.perm); !strings.Contains(r.Summary, want) {
					t.Errorf("summary %q does not say %q", r.Summary, want)
				}
				if !strings.Contains(r.Todo, k.todo) {
					t.Errorf("todo %q does not say %q", r.Todo, k.todo)
				}
				if k.name == "access denied" && !strings.Contains(r.Todo, d.perm) {
					t.Errorf("todo %q does not name the permission %s", r.Todo, d.perm)
				}
				if r.Err == nil {
					t.Error("Err not kept")
				}
				if n := fake.callCounts()[d.method]; n != 1 {
					t.Errorf("%s called %d times, want 1", d.method, n)
				}
			})
		}
	}
	for _, it := range All() {
		if it.Kind == KindAttest || it.ID == "security-questions" {
			continue
		}
		if !covered[it.ID] {
			t.Errorf("%s: no read-error cases", it.ID)
		}
	}
}
