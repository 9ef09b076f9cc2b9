package steps

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

type checkCase struct {
	item     string
	name     string
	setup    func(f *factsFake)
	attested map[string]time.Time
	want     Status
	summary  string            // substring of Summary
	evidence map[string]string // exact values
	details  string            // substring of some Details line
	todo     string            // substring of Todo
	blocked  string            // the item it waits for (Result.BlockedBy)
}

// runCheck runs one item against a fake, with the test clock.
func runCheck(t *testing.T, fake *factsFake, id string, attested map[string]time.Time) Result {
	t.Helper()
	it, ok := Lookup(id)
	if !ok {
		t.Fatalf("no item %q", id)
	}
	f := NewFacts(fake, FactsOptions{
		Now: func() time.Time { return testNow },
		Attestations: func(id string) (Attestation, bool) {
			at, ok := attested[id]
			return Attestation{ItemID: id, At: at}, ok
		},
	})
	return CheckOne(context.Background(), f, it)
}

func assertResult(t *testing.T, r Result, c checkCase) {
	t.Helper()
	if r.Status != c.want {
		t.Fatalf("status = %s, want %s\nsummary: %s\nevidence: %v\ndetails: %v", r.Status, c.want, r.Summary, r.Evidence, r.Details)
	}
	if r.Summary == "" || strings.Contains(r.Summary, "\n") {
		t.Errorf("summary must be one non-empty line: %q", r.Summary)
	}
	if !strings.Contains(r.Summary, c.summary) {
		t.Errorf("summary %q does not contain %q", r.Summary, c.summary)
	}
	for k, want := range c.evidence {
		got, ok := evidenceValue(r, k)
		if !ok || got != want {
			t.Errorf("evidence %s = %q (present %v), want %q; all: %v", k, got, ok, want, r.Evidence)
		}
	}
	if c.details != "" && !strings.Contains(strings.Join(r.Details, "\n"), c.details) {
		t.Errorf("details do not mention %q: %v", c.details, r.Details)
	}
	if r.BlockedBy != c.blocked {
		t.Errorf("blocked by %q, want %q", r.BlockedBy, c.blocked)
	}
	if c.todo != "" && !strings.Contains(r.Todo, c.todo) {
		t.Errorf("todo %q does not contain %q", r.Todo, c.todo)
	}
	switch r.Status {
	case StatusFail, StatusWarn, StatusManual, StatusUnknown:
		if r.Todo == "" {
			t.Errorf("an open %s verdict needs a Todo", r.Status)
		}
	}
	if r.Status == StatusUnknown && r.Err == nil {
		t.Error("unknown without the error behind it")
	}
	if r.CheckedAt != testNow {
		t.Errorf("CheckedAt = %v, want the injected clock", r.CheckedAt)
	}
}

func evidenceValue(r Result, key string) (string, bool) {
	for _, e := range r.Evidence {
		if e.Key == key {
			return e.Value, true
		}
	}
	return "", false
}

// allCheckCases is every table case of every item.
func allCheckCases() []checkCase {
	var cases []checkCase
	cases = append(cases, knowCases()...)
	cases = append(cases, rootCases()...)
	cases = append(cases, attestCases()...)
	cases = append(cases, settingsCases()...)
	cases = append(cases, s3Cases()...)
	cases = append(cases, identityCases()...)
	cases = append(cases, watchCases()...)
	cases = append(cases, orgCases()...)
	cases = append(cases, verdictCases()...)
	return cases
}

// runCase runs one table case against a healthy fake changed by its setup.
func runCase(t *testing.T, c checkCase) Result {
	t.Helper()
	fake := healthyFake()
	if c.setup != nil {
		c.setup(fake)
	}
	return runCheck(t, fake, c.item, c.attested)
}

func TestChecks(t *testing.T) {
	cases := allCheckCases()

	statuses := map[string]map[Status]bool{}
	for _, c := range cases {
		t.Run(c.item+"/"+c.name, func(t *testing.T) {
			assertResult(t, runCase(t, c), c)
		})
		if statuses[c.item] == nil {
			statuses[c.item] = map[Status]bool{}
		}
		statuses[c.item][c.want] = true
	}
	// Every item is covered, with every verdict it can reach (errors are
	// covered for each read in TestCheckReadErrors).
	for _, it := range All() {
		n := len(statuses[it.ID])
		if it.Kind == KindInfo { // never fails or warns: n/a, or unknown on errors
			n++
		}
		if n < 2 {
			t.Errorf("%s: only %d verdicts tested", it.ID, len(statuses[it.ID]))
		}
	}
}

func knowCases() []checkCase {
	return []checkCase{
		{item: "credential-report", name: "nothing found", want: StatusPass, summary: "nothing to fix",
			evidence: map[string]string{"generated_at": "2026-11-20T11:00:00Z", "iam_users": "1", "users_password_without_mfa": "0"}},
		{item: "credential-report", name: "root key active", want: StatusWarn, details: "root: access key 1 is active, last used 2026-11-19",
			setup: func(f *factsFake) {
				f.report.Root.Keys[0] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(500)), LastUsed: stampAt(daysAgo(1))}
			}},
		{item: "credential-report", name: "root certificate active", want: StatusWarn, details: "root: signing certificate 2 is active",
			setup: func(f *factsFake) { f.report.Root.Certs[1].Active = true }},
		{item: "credential-report", name: "user without MFA", want: StatusWarn, summary: "1 finding",
			evidence: map[string]string{"users_password_without_mfa": "1"}, details: "alice: console password without MFA",
			setup: func(f *factsFake) { f.report.Users[0].MFAActive = false }},
		{item: "credential-report", name: "old key and unused password", want: StatusWarn, summary: "2 findings",
			evidence: map[string]string{"keys_older_than_90_days": "1", "credentials_unused_45_days": "1"},
			details:  "alice: access key 1 created or rotated 120 days ago",
			setup: func(f *factsFake) {
				f.report.Users[0].Keys[0].LastRotated = stampAt(daysAgo(120))
				f.report.Users[0].PasswordLastUsed = stampAt(daysAgo(60))
			}},
		{item: "credential-report", name: "never-used password of an old user", want: StatusWarn, details: "console password never used",
			setup: func(f *factsFake) { f.report.Users[0].PasswordLastUsed = awsops.Stamp{Raw: "no_information"} }},
		{item: "credential-report", name: "never-used key counts from creation", want: StatusWarn, details: "access key 1 never used",
			setup: func(f *factsFake) {
				f.report.Users[0].Keys[0].LastUsed = stampNA
				f.report.Users[0].Keys[0].LastRotated = stampAt(daysAgo(50))
			}},
		{item: "credential-report", name: "inactive old key ignored", want: StatusPass,
			setup: func(f *factsFake) {
				f.report.Users[0].Keys[1] = awsops.KeyUsage{Active: false, LastRotated: stampAt(daysAgo(700)), LastUsed: stampAt(daysAgo(600))}
			}},
		{item: "credential-report", name: "no report", want: StatusUnknown, summary: "unexpected answer",
			setup: func(f *factsFake) { f.report = nil }},
	}
}

// noRootCreds: the root user has no MFA, password, keys or certificates.
func noRootCreds(f *factsFake) {
	f.summary[awsops.SummaryAccountMFAEnabled] = 0
	f.summary[awsops.SummaryAccountPasswordPresent] = 0
	f.summary[awsops.SummaryAccountAccessKeysPresent] = 0
}

func rootCases() []checkCase {
	return []checkCase{
		{item: "root-mfa", name: "on", want: StatusPass, evidence: map[string]string{"AccountMFAEnabled": "1"}},
		{item: "root-mfa", name: "off", want: StatusFail, evidence: map[string]string{"AccountMFAEnabled": "0"},
			todo:  "email and phone",
			setup: func(f *factsFake) { f.summary[awsops.SummaryAccountMFAEnabled] = 0 }},
		{item: "root-mfa", name: "member account without root credentials", want: StatusNA, summary: "this account's root has no password, keys or certificates",
			evidence: map[string]string{"management_account": "999988887777", "AccountPasswordPresent": "0", "AccountSigningCertificatesPresent": "0"},
			setup:    func(f *factsFake) { noRootCreds(f); inOrg(f, "999988887777") }},
		{item: "root-mfa", name: "no root password but management account", want: StatusFail,
			setup: func(f *factsFake) { noRootCreds(f); inOrg(f, testAccount) }},
		{item: "root-mfa", name: "no root password outside an organization", want: StatusFail,
			setup: func(f *factsFake) { noRootCreds(f) }},
		{item: "root-mfa", name: "organizations not in use", want: StatusFail,
			setup: func(f *factsFake) {
				noRootCreds(f)
				f.errs = map[string]error{"Organization": &awsops.Error{Kind: awsops.KindNotEnabled, Code: "AWSOrganizationsNotInUseException"}}
			}},
		{item: "root-mfa", name: "organization unreadable stays a fail", want: StatusFail, details: "organizations:DescribeOrganization",
			setup: func(f *factsFake) {
				noRootCreds(f)
				f.errs = map[string]error{"Organization": accessDenied("organizations:DescribeOrganization")}
			}},
		{item: "root-mfa", name: "key missing is not zero", want: StatusUnknown, summary: "did not report AccountMFAEnabled",
			setup: func(f *factsFake) { delete(f.summary, awsops.SummaryAccountMFAEnabled) }},
		{item: "root-mfa", name: "odd value", want: StatusUnknown, summary: "AccountMFAEnabled = 2",
			setup: func(f *factsFake) { f.summary[awsops.SummaryAccountMFAEnabled] = 2 }},

		{item: "root-mfa-strength", name: "no MFA waits for root-mfa", want: StatusFail, summary: "waits for root-mfa", blocked: "root-mfa",
			todo: "root-mfa", setup: func(f *factsFake) { f.summary[awsops.SummaryAccountMFAEnabled] = 0 }},
		{item: "root-mfa-strength", name: "member account without root credentials", want: StatusNA, summary: "no password, keys or certificates",
			setup: func(f *factsFake) { noRootCreds(f); inOrg(f, "999988887777") }},
		{item: "root-mfa-strength", name: "non-root sees no root virtual device", want: StatusManual, summary: "only root can see",
			evidence: map[string]string{"root_virtual_mfa": "none"}},
		{item: "root-mfa-strength", name: "backup confirmed", want: StatusAttested, summary: "2026-10-01",
			attested: map[string]time.Time{"root-mfa-strength": daysAgo(50)}},
		{item: "root-mfa-strength", name: "root virtual device by user ARN", want: StatusWarn, summary: "virtual",
			evidence: map[string]string{"root_virtual_mfa": "arn:aws:iam::111122223333:mfa/my-phone"},
			setup: func(f *factsFake) {
				f.virtualMFA = append(f.virtualMFA, awsops.VirtualMFADevice{SerialNumber: "arn:aws:iam::111122223333:mfa/my-phone", UserARN: "arn:aws:iam::111122223333:root"})
			}},
		{item: "root-mfa-strength", name: "root virtual device by serial", want: StatusWarn,
			setup: func(f *factsFake) {
				f.virtualMFA = append(f.virtualMFA, awsops.VirtualMFADevice{SerialNumber: "arn:aws:iam::111122223333:mfa/root-account-mfa-device"})
			}},
		{item: "root-mfa-strength", name: "root with one virtual device", want: StatusWarn, summary: "only virtual MFA (1 device)",
			evidence: map[string]string{"root_mfa_devices": "1"}, todo: "second device",
			setup: func(f *factsFake) {
				asRoot(f, awsops.CredentialsTemporary, "")
				f.callerMFA = []awsops.MFADevice{{SerialNumber: "arn:aws:iam::111122223333:mfa/root-phone"}}
			}},
		{item: "root-mfa-strength", name: "root with two virtual devices", want: StatusWarn, summary: "only virtual MFA (2 devices)",
			setup: func(f *factsFake) {
				asRoot(f, awsops.CredentialsTemporary, "")
				f.callerMFA = []awsops.MFADevice{{SerialNumber: "arn:aws:iam::111122223333:mfa/a"}, {SerialNumber: "arn:aws:iam::111122223333:mfa/b"}}
			}},
		{item: "root-mfa-strength", name: "root with a single passkey", want: StatusWarn, summary: "single MFA device (passkey or security key)",
			setup: func(f *factsFake) {
				asRoot(f, awsops.CredentialsTemporary, "")
				f.callerMFA = []awsops.MFADevice{{SerialNumber: "arn:aws:iam::111122223333:u2f/root/key-R1"}}
			}},
		{item: "root-mfa-strength", name: "root with passkey and backup", want: StatusPass, summary: "2 MFA devices",
			evidence: map[string]string{"root_mfa_devices": "2", "passkey or security key": "1", "virtual (authenticator app)": "1"},
			setup: func(f *factsFake) {
				asRoot(f, awsops.CredentialsTemporary, "")
				f.callerMFA = []awsops.MFADevice{{SerialNumber: "arn:aws:iam::111122223333:u2f/root/key-R1"}, {SerialNumber: "arn:aws:iam::111122223333:mfa/phone"}}
			}},
		{item: "root-mfa-strength", name: "root lists no device although MFA is on", want: StatusUnknown, summary: "unexpected answer",
			setup: func(f *factsFake) { asRoot(f, awsops.CredentialsTemporary, "") }},
		{item: "root-mfa-strength", name: "summary key missing", want: StatusUnknown,
			setup: func(f *factsFake) { delete(f.summary, awsops.SummaryAccountMFAEnabled) }},

		{item: "root-access-keys", name: "none", want: StatusPass, evidence: map[string]string{"AccountAccessKeysPresent": "0"}},
		{item: "root-access-keys", name: "present, with last use", want: StatusFail, evidence: map[string]string{
			"AccountAccessKeysPresent": "1", "key_1": "active", "key_1_last_used": "2026-11-19", "key_2": "inactive or absent"},
			details: "last used on 2026-11-19 by ec2 in eu-central-1",
			setup: func(f *factsFake) {
				f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
				f.report.Root.Keys[0] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(800)), LastUsed: stampAt(daysAgo(1)), LastUsedRegion: "eu-central-1", LastUsedService: "ec2"}
			}},
		{item: "root-access-keys", name: "present, never used", want: StatusFail, details: "never been used",
			setup: func(f *factsFake) {
				f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
				f.report.Root.Keys[1] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(3)), LastUsed: stampNA}
			}},
		{item: "root-access-keys", name: "present, report unreadable", want: StatusFail, details: "iam:GetCredentialReport",
			setup: func(f *factsFake) {
				f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
				f.errs = map[string]error{"CredentialReport": accessDenied("iam:GetCredentialReport")}
			}},
		{item: "root-access-keys", name: "present, no root row", want: StatusFail, details: "no root row",
			setup: func(f *factsFake) { f.summary[awsops.SummaryAccountAccessKeysPresent] = 1; f.report.Root = nil }},
		{item: "root-access-keys", name: "rootguard runs on a root key", want: StatusFail, summary: "ROOT ACCESS KEY (AKIA…MPLE)",
			evidence: map[string]string{"caller_key": "AKIA…MPLE"}, details: "never delete the key it is running on", todo: "admin-identity",
			setup: func(f *factsFake) {
				f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
				asRoot(f, awsops.CredentialsLongTerm, "AKIAIOSFODNN7EXAMPLE")
			}},
		{item: "root-access-keys", name: "root on temporary credentials is not loud", want: StatusPass,
			setup: func(f *factsFake) { asRoot(f, awsops.CredentialsTemporary, "ASIAIOSFODNN7EXAMPLE") }},
		{item: "root-access-keys", name: "identity unreadable", want: StatusFail, details: "Could not check whether rootguard itself",
			setup: func(f *factsFake) {
				f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
				f.errs = map[string]error{"CallerIdentity": &awsops.Error{Kind: awsops.KindCredentials, Code: "ExpiredToken"}}
			}},
		{item: "root-access-keys", name: "key missing", want: StatusUnknown,
			setup: func(f *factsFake) { delete(f.summary, awsops.SummaryAccountAccessKeysPresent) }},

		{item: "root-signing-certs", name: "none", want: StatusPass, evidence: map[string]string{"AccountSigningCertificatesPresent": "0"}},
		{item: "root-signing-certs", name: "present", want: StatusFail, evidence: map[string]string{"AccountSigningCertificatesPresent": "1"},
			setup: func(f *factsFake) { f.summary[awsops.SummaryAccountSigningCerts] = 1 }},
		{item: "root-signing-certs", name: "odd value", want: StatusUnknown, summary: "AccountSigningCertificatesPresent = 3",
			setup: func(f *factsFake) { f.summary[awsops.SummaryAccountSigningCerts] = 3 }},

		{item: "root-usage", name: "not used lately", want: StatusPass, summary: "last used 2026-10-21",
			evidence: map[string]string{"password_last_used": "2026-10-21"}},
		{item: "root-usage", name: "never used", want: StatusPass, evidence: map[string]string{"password_last_used": "no_information"},
			setup: func(f *factsFake) { f.report.Root.PasswordLastUsed = awsops.Stamp{Raw: "no_information"} }},
		{item: "root-usage", name: "password used while an admin user exists", want: StatusWarn, summary: "root was used 2026-11-18",
			evidence: map[string]string{"other_admin": "true"}, todo: "admin identity for daily work",
			setup: func(f *factsFake) { f.report.Root.PasswordLastUsed = stampAt(daysAgo(2)) }},
		{item: "root-usage", name: "key used, no other admin", want: StatusWarn, summary: "2026-11-19 and there is no other administrator yet",
			evidence: map[string]string{"access_key_1_last_used": "2026-11-19", "other_admin": "false"}, todo: "admin-identity",
			setup: func(f *factsFake) {
				f.admins = nil
				f.report.Root.Keys[0] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(300)), LastUsed: stampAt(daysAgo(1))}
			}},
		{item: "root-usage", name: "caller is root right now", want: StatusWarn, summary: "right now",
			evidence: map[string]string{"caller": "root"},
			setup:    func(f *factsFake) { asRoot(f, awsops.CredentialsTemporary, "") }},
		{item: "root-usage", name: "recent use but no other admin yet is a finding, never n/a", want: StatusWarn, todo: "admin-identity",
			summary: "no other administrator yet",
			setup:   func(f *factsFake) { f.admins = nil; f.report.Root.PasswordLastUsed = stampAt(daysAgo(1)) }},
		{item: "root-usage", name: "recent use, Identity Center searched in some regions only", want: StatusWarn, summary: "no other administrator yet",
			evidence: map[string]string{"other_admin": "false"},
			setup: func(f *factsFake) {
				f.admins = nil
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(1))
				f.errs = map[string]error{"IdentityCenterInstances": &awsops.PartialSearchError{
					Searched: []string{"eu-west-1", "us-east-1"}, Err: accessDenied("account:ListRegions")}}
			}},
		{item: "root-usage", name: "admin reads unreadable: still a finding", want: StatusWarn,
			setup: func(f *factsFake) {
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(1))
				f.errs = map[string]error{"Administrators": accessDenied("iam:GetAccountAuthorizationDetails")}
			}},
		// Root used lately, but only before the working administrator existed.
		{item: "root-usage", name: "recent use before the admin user was created passes", want: StatusPass,
			summary:  "root was last used on 2026-11-16, before the administrator alice was created on 2026-11-17; not since",
			evidence: map[string]string{"administrator": "alice", "administrator_created": "2026-11-17", "root_last_used": "2026-11-16"},
			setup: func(f *factsFake) {
				f.admins[0].Created = daysAgo(3)
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(4))
			}},
		{item: "root-usage", name: "same day: times show which came first", want: StatusPass,
			summary: "root was last used on 2026-11-20 09:00 UTC, before the administrator alice was created on 2026-11-20 09:30 UTC",
			setup: func(f *factsFake) {
				f.admins[0].Created = testNow.Add(-150 * time.Minute)
				f.report.GeneratedAt = testNow.Add(-time.Minute)
				f.report.Root.PasswordLastUsed = stampAt(testNow.Add(-3 * time.Hour))
			}},
		{item: "root-usage", name: "recent use after the admin user was created stays a warning", want: StatusWarn,
			summary:  "root was used on 2026-11-18, after the administrator alice was created on 2026-11-17",
			evidence: map[string]string{"root_last_used": "2026-11-18"}, todo: "admin identity for daily work",
			setup: func(f *factsFake) {
				f.admins[0].Created = daysAgo(3)
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(2))
			}},
		{item: "root-usage", name: "a console sign-in after the admin existed stays a warning", want: StatusWarn,
			summary: "after the administrator alice was created",
			setup: func(f *factsFake) {
				f.admins[0].Created = daysAgo(3)
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(4))
				f.signIns = &awsops.SignInHistory{Events: []awsops.SignInEvent{{Time: daysAgo(1), Success: true, MFAUsed: true, SourceIP: "198.51.100.7"}}}
			}},
		{item: "root-usage", name: "a root key used after the admin existed stays a warning", want: StatusWarn,
			summary: "after the administrator alice was created",
			setup: func(f *factsFake) {
				f.admins[0].Created = daysAgo(3)
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(4))
				f.report.Root.Keys[0] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(300)), LastUsed: stampAt(daysAgo(1))}
			}},
		{item: "root-usage", name: "the first admin decides: use after it stays a warning", want: StatusWarn,
			summary: "after the administrator bob was created on 2026-11-10",
			setup: func(f *factsFake) {
				f.admins[0].Created = daysAgo(1)
				f.admins = append(f.admins, awsops.AdminUser{Name: "bob", Via: "direct", ConsoleAccess: true, MFADevices: 1, Created: daysAgo(10)})
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(2))
			}},
		{item: "root-usage", name: "an admin cut down by a boundary does not count", want: StatusWarn,
			summary: "root was used 2026-11-18",
			setup: func(f *factsFake) {
				f.admins[0].Created = daysAgo(1)
				f.admins[0].LimitedBy = "permissions boundary DeveloperBoundary"
				f.adminRoles = []awsops.AdminRole{{Name: "AWSReservedSSO_Admin_0123456789abcdef", Via: "AdministratorAccess", IdentityCenter: true}}
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(2))
			}},
		{item: "root-usage", name: "an admin of unknown creation date: no claim", want: StatusWarn,
			summary: "root was used 2026-11-18",
			setup: func(f *factsFake) {
				f.admins = append(f.admins, awsops.AdminUser{Name: "bob", Via: "direct", ConsoleAccess: true, MFADevices: 1, Created: daysAgo(10)})
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(2))
			}},
		{item: "root-usage", name: "root calling is in use right now, whatever the admin's age", want: StatusWarn, summary: "right now",
			setup: func(f *factsFake) {
				asRoot(f, awsops.CredentialsTemporary, "")
				f.admins[0].Created = daysAgo(3)
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(4))
			}},
		{item: "root-usage", name: "a credential report older than the admin, with an active root key: no claim yet", want: StatusWarn,
			summary: "the credential report is older than alice", details: "re-check once the report is regenerated",
			setup: func(f *factsFake) {
				f.admins[0].Created = testNow.Add(-30 * time.Minute)
				f.report.Root.PasswordLastUsed = stampAt(daysAgo(2))
				f.report.Root.Keys[0] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(300)), LastUsed: stampAt(daysAgo(5))}
			}},
		{item: "root-usage", name: "no root row", want: StatusUnknown, summary: "no root row",
			setup: func(f *factsFake) { f.report.Root = nil }},

		{item: "security-questions", name: "retired", want: StatusNA, summary: "retired", details: "root-mfa"},
	}
}

func attestCases() []checkCase {
	var cases []checkCase
	for _, id := range []string{"root-password", "root-email", "root-recovery", "root-multi-person"} {
		cases = append(cases,
			checkCase{item: id, name: "not yet", want: StatusManual, todo: " "},
			checkCase{item: id, name: "attested", want: StatusAttested, summary: "marked done on 2026-11-02",
				evidence: map[string]string{"attested_on": "2026-11-02"}, attested: map[string]time.Time{id: daysAgo(18)}},
			checkCase{item: id, name: "other item's attestation does not count", want: StatusManual,
				attested: map[string]time.Time{"root-mfa": daysAgo(1)}},
		)
	}
	return append(cases,
		checkCase{item: "root-password", name: "older than 90 days", want: StatusManual,
			summary: "your attestation of 2026-08-20 is older than 90 days", attested: map[string]time.Time{"root-password": daysAgo(92)}},
		checkCase{item: "root-password", name: "89 days still holds", want: StatusAttested,
			evidence: map[string]string{"ask_again_on": "2026-11-21"}, attested: map[string]time.Time{"root-password": daysAgo(89)}},
		checkCase{item: "root-email", name: "never expires", want: StatusAttested, attested: map[string]time.Time{"root-email": daysAgo(900)}},
		checkCase{item: "root-recovery", name: "phone on file", want: StatusManual, evidence: map[string]string{"phone_on_file": "yes"}},
		checkCase{item: "root-recovery", name: "no phone", want: StatusAttested, evidence: map[string]string{"phone_on_file": "no"},
			attested: map[string]time.Time{"root-recovery": daysAgo(3)}, setup: func(f *factsFake) { f.contactInfo.PhoneNumber = "" }},
		checkCase{item: "root-recovery", name: "no contact information", want: StatusManual, evidence: map[string]string{"phone_on_file": "no"},
			setup: func(f *factsFake) { f.contactInfo = nil }},
		checkCase{item: "root-recovery", name: "contact unreadable: still attested", want: StatusAttested,
			evidence: map[string]string{"phone_on_file": "unknown"}, details: "account:GetContactInformation",
			attested: map[string]time.Time{"root-recovery": daysAgo(3)},
			setup: func(f *factsFake) {
				f.errs = map[string]error{"ContactInformation": accessDenied("account:GetContactInformation")}
			}},
		checkCase{item: "root-recovery", name: "contact throttled: still manual", want: StatusManual,
			evidence: map[string]string{"phone_on_file": "unknown"},
			setup: func(f *factsFake) {
				f.errs = map[string]error{"ContactInformation": &awsops.Error{Kind: awsops.KindThrottled, Code: "TooManyRequestsException"}}
			}},
	)
}

func settingsCases() []checkCase {
	sec := awsops.ContactSecurity
	return []checkCase{
		{item: "alternate-contacts", name: "all set", want: StatusPass,
			evidence: map[string]string{"security": "Sec Team <security@example.com>", "billing": "Ann Billing <billing@example.com>"}},
		{item: "alternate-contacts", name: "no security contact", want: StatusFail, summary: "no security contact",
			evidence: map[string]string{"security": "not set"},
			setup:    func(f *factsFake) { delete(f.contacts, sec) }},
		{item: "alternate-contacts", name: "ResourceNotFound is not set", want: StatusFail, summary: "also missing: BILLING",
			setup: func(f *factsFake) {
				delete(f.contacts, awsops.ContactBilling)
				f.errs = map[string]error{"AlternateContact:SECURITY": notFound("account:GetAlternateContact", "ResourceNotFoundException")}
			}},
		{item: "alternate-contacts", name: "security contact without email", want: StatusFail, evidence: map[string]string{"security": "Sec Team (no email address)"},
			setup: func(f *factsFake) { f.contacts[sec].Email = " " }},
		{item: "alternate-contacts", name: "operations missing", want: StatusWarn, summary: "missing: OPERATIONS",
			setup: func(f *factsFake) { delete(f.contacts, awsops.ContactOperations) }},
		{item: "alternate-contacts", name: "all the same person", want: StatusWarn, summary: "same person",
			setup: func(f *factsFake) {
				for _, c := range f.contacts {
					c.Email = "Me@Example.com"
				}
				f.contacts[sec].Email = " me@example.com"
			}},

		{item: "contact-info", name: "complete", want: StatusPass, evidence: map[string]string{"phone": "+1 555 0199", "address": "present"}},
		{item: "contact-info", name: "none", want: StatusFail, evidence: map[string]string{"contact_information": "none"},
			setup: func(f *factsFake) { f.contactInfo = nil }},
		{item: "contact-info", name: "ResourceNotFound is none", want: StatusFail, summary: "no contact information",
			setup: func(f *factsFake) {
				f.errs = map[string]error{"ContactInformation": notFound("account:GetContactInformation", "ResourceNotFoundException")}
			}},
		{item: "contact-info", name: "missing phone and address", want: StatusFail, summary: "no phone, address",
			setup: func(f *factsFake) { f.contactInfo.PhoneNumber = ""; f.contactInfo.AddressLine1 = "" }},
		{item: "contact-info", name: "phone without +", want: StatusWarn, summary: "international format",
			setup: func(f *factsFake) { f.contactInfo.PhoneNumber = "555 0199" }},

		{item: "password-policy", name: "recommended", want: StatusPass, evidence: map[string]string{
			"MinimumPasswordLength": "14", "PasswordReusePrevention": "24", "RequireSymbols": "true",
			"AllowUsersToChangePassword": "true", "MaxPasswordAge": "off"}},
		{item: "password-policy", name: "with expiry still passes", want: StatusPass, evidence: map[string]string{"MaxPasswordAge": "90 days"},
			setup: func(f *factsFake) { f.policy.MaxAgeDays = 90 }},
		{item: "password-policy", name: "none set", want: StatusFail, summary: "minimum 8 characters",
			evidence: map[string]string{"password_policy": "none (AWS default)"},
			setup:    func(f *factsFake) { f.policy = nil }},
		{item: "password-policy", name: "NoSuchEntity is none set", want: StatusFail, summary: "AWS default applies",
			setup: func(f *factsFake) {
				f.errs = map[string]error{"PasswordPolicy": notFound("iam:GetAccountPasswordPolicy", "NoSuchEntity")}
			}},
		{item: "password-policy", name: "weaker", want: StatusWarn,
			summary:  "minimum length 8 (recommended 14), remembers 5 old passwords (recommended 24), does not require symbols, users cannot change their own password",
			evidence: map[string]string{"MinimumPasswordLength": "8", "RequireSymbols": "false"}, details: "users cannot change their own password",
			setup: func(f *factsFake) {
				f.policy.MinimumLength = 8
				f.policy.RequireSymbols = false
				f.policy.ReusePrevention = 5
				f.policy.AllowUsersToChange = false
			}},
		{item: "password-policy", name: "shorter than the AWS default fails", want: StatusFail,
			summary: "weaker than the AWS default: it allows 6-character passwords (the AWS default asks for at least 8)",
			details: "does not require uppercase",
			setup:   func(f *factsFake) { f.policy.MinimumLength = 6; f.policy.RequireUppercase = false }},
		{item: "password-policy", name: "fewer character types than the AWS default fails", want: StatusFail,
			summary: "requires only 2 of the 4 character types (the AWS default asks for 3",
			details: "does not require uppercase or symbols",
			setup:   func(f *factsFake) { f.policy.RequireUppercase = false; f.policy.RequireSymbols = false }},
		{item: "password-policy", name: "no character types required fails", want: StatusFail,
			summary: "requires no particular character type",
			setup: func(f *factsFake) {
				f.policy.RequireUppercase, f.policy.RequireLowercase, f.policy.RequireNumbers, f.policy.RequireSymbols = false, false, false, false
			}},
		{item: "password-policy", name: "AWS-default strength with 3 types is only weaker than recommended", want: StatusWarn,
			summary: "minimum length 8 (recommended 14)",
			setup:   func(f *factsFake) { f.policy.MinimumLength = 8; f.policy.RequireSymbols = false }},
		{item: "password-policy", name: "out of range", want: StatusUnknown, summary: "out of range",
			setup: func(f *factsFake) { f.policy.MinimumLength = 0 }},
	}
}

func identityCases() []checkCase {
	return []checkCase{
		{item: "admin-identity", name: "admin user with MFA", want: StatusPass, summary: "alice", evidence: map[string]string{"admin_with_mfa": "alice"}},
		{item: "admin-identity", name: "Identity Center", want: StatusPass, summary: "IAM Identity Center gives a person full rights here (permission set AdministratorAccess)",
			details: "enforces MFA", setup: func(f *factsFake) { f.admins = nil; orgIdentityCenter(f) }},
		{item: "admin-identity", name: "Identity Center being created", want: StatusFail, details: "CREATE_IN_PROGRESS",
			setup: func(f *factsFake) {
				f.admins = nil
				f.identityCenter = []awsops.IdentityCenterInstance{{Status: "CREATE_IN_PROGRESS"}}
			}},
		{item: "admin-identity", name: "admin without MFA", want: StatusWarn, summary: "without MFA: bob",
			setup: func(f *factsFake) { f.admins = []awsops.AdminUser{{Name: "bob", ConsoleAccess: true, Via: "direct"}} }},
		{item: "admin-identity", name: "admin without console", want: StatusWarn, summary: "none can sign in",
			setup: func(f *factsFake) { f.admins = []awsops.AdminUser{{Name: "ci-bot", MFADevices: 0}} }},
		{item: "admin-identity", name: "none", want: StatusFail, summary: "no administrator other than root",
			setup: func(f *factsFake) { f.admins = nil }},
		{item: "admin-identity", name: "Identity Center searched in some regions only", want: StatusFail, summary: "no administrator other than root",
			evidence: map[string]string{"identity_center_searched": "eu-west-1, us-east-1 only (the other regions need account:ListRegions)"},
			setup: func(f *factsFake) {
				f.admins = nil
				f.errs = map[string]error{"IdentityCenterInstances": &awsops.PartialSearchError{
					Searched: []string{"eu-west-1", "us-east-1"}, Err: accessDenied("account:ListRegions")}}
			}},
		{item: "admin-identity", name: "Identity Center unreadable but an admin user passes", want: StatusPass,
			setup: func(f *factsFake) {
				f.errs = map[string]error{"IdentityCenterInstances": accessDenied("sso:ListInstances")}
			}},

		{item: "iam-users-mfa", name: "all have MFA", want: StatusPass, evidence: map[string]string{"users_with_password": "1"}},
		{item: "iam-users-mfa", name: "no passwords", want: StatusPass, summary: "no IAM user has a console password",
			setup: func(f *factsFake) { f.report.Users[0].PasswordEnabled = "false" }},
		{item: "iam-users-mfa", name: "user without MFA", want: StatusFail, summary: "bob",
			details: "#/users/details/bob?section=security_credentials",
			setup: func(f *factsFake) {
				f.report.Users = append(f.report.Users, awsops.CredentialRow{User: "bob", PasswordEnabled: "TRUE"})
			}},
		{item: "iam-users-mfa", name: "no users", want: StatusNA, setup: func(f *factsFake) { f.report.Users = nil }},
		{item: "iam-users-mfa", name: "no report", want: StatusUnknown, setup: func(f *factsFake) { f.report = nil }},

		{item: "access-key-hygiene", name: "fresh keys", want: StatusPass, evidence: map[string]string{"active_keys": "1"}},
		{item: "access-key-hygiene", name: "no active keys", want: StatusPass, summary: "no IAM user has an active access key",
			setup: func(f *factsFake) { f.report.Users[0].Keys[0].Active = false }},
		{item: "access-key-hygiene", name: "no users", want: StatusNA, setup: func(f *factsFake) { f.report.Users = nil }},
		{item: "access-key-hygiene", name: "key older than 90 days", want: StatusFail, summary: "1 active access key is older than 90 days",
			details: "created or rotated 91 days ago",
			setup:   func(f *factsFake) { f.report.Users[0].Keys[0].LastRotated = stampAt(daysAgo(91)) }},
		{item: "access-key-hygiene", name: "key unused", want: StatusWarn, summary: "1 key unused for 45+ days",
			details: "last used 2026-10-06",
			setup: func(f *factsFake) {
				f.report.Users[0].Keys[0].LastRotated = stampAt(daysAgo(60))
				f.report.Users[0].Keys[0].LastUsed = stampAt(daysAgo(45))
			}},
		{item: "access-key-hygiene", name: "two active keys", want: StatusWarn, summary: "1 user has two active keys",
			evidence: map[string]string{"users_with_two_active_keys": "1"},
			setup: func(f *factsFake) {
				f.report.Users[0].Keys[1] = awsops.KeyUsage{Active: true, LastRotated: stampAt(daysAgo(2)), LastUsed: stampAt(daysAgo(1))}
			}},
		{item: "access-key-hygiene", name: "no report", want: StatusUnknown, setup: func(f *factsFake) { f.report = nil }},
	}
}

func watchCases() []checkCase {
	rule := func(f *factsFake) *awsops.AlertRule { return &f.alerts[0] }
	return []checkCase{
		{item: "root-activity-alert", name: "confirmed", want: StatusPass, summary: "rootguard-root-signin",
			evidence: map[string]string{"rule rootguard-root-signin": "enabled, 1 SNS topics, 0 other targets"},
			details:  "1 confirmed, 0 pending"},
		{item: "root-activity-alert", name: "pending confirmation", want: StatusWarn, summary: "pending confirmation", todo: "inbox",
			setup: func(f *factsFake) { rule(f).Topics[0].Subscriptions[0].Confirmed = false }},
		{item: "root-activity-alert", name: "disabled", want: StatusFail, summary: "the rule rootguard-root-signin is disabled", todo: "Enable the rule",
			setup: func(f *factsFake) { rule(f).Enabled = false }},
		{item: "root-activity-alert", name: "non-SNS target only", want: StatusWarn, summary: "non-SNS",
			setup: func(f *factsFake) { rule(f).Topics = nil; rule(f).OtherTargets = 1 }},
		{item: "root-activity-alert", name: "confirmed SQS only", want: StatusWarn, summary: "cannot verify reach a person (sqs subscription)",
			setup: func(f *factsFake) {
				rule(f).Topics[0].Subscriptions = []awsops.Subscription{{Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:111122223333:q", Confirmed: true}}
			}},
		{item: "root-activity-alert", name: "confirmed Lambda and pending email", want: StatusWarn, summary: "pending confirmation",
			setup: func(f *factsFake) {
				rule(f).Topics[0].Subscriptions = []awsops.Subscription{
					{Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:111122223333:function:f", Confirmed: true},
					{Protocol: "email", Endpoint: "ops@example.com"},
				}
			}},
		{item: "root-activity-alert", name: "confirmed SMS", want: StatusPass,
			setup: func(f *factsFake) {
				rule(f).Topics[0].Subscriptions = []awsops.Subscription{{Protocol: "sms", Endpoint: "+15555550100", Confirmed: true}}
			}},
		{item: "root-activity-alert", name: "confirmed email-json and https", want: StatusPass,
			setup: func(f *factsFake) {
				rule(f).Topics[0].Subscriptions = []awsops.Subscription{
					{Protocol: "https", Endpoint: "https://hooks.example.com/x", Confirmed: true},
					{Protocol: "email-json", Endpoint: "sec@example.com", Confirmed: true},
				}
			}},
		{item: "root-activity-alert", name: "no target", want: StatusFail, summary: "the rule rootguard-root-signin has no target",
			setup: func(f *factsFake) { rule(f).Topics = nil }},
		{item: "root-activity-alert", name: "none", want: StatusFail, summary: "no alert",
			setup: func(f *factsFake) { f.alerts = nil }},
		{item: "root-activity-alert", name: "subscriptions unreadable", want: StatusUnknown, summary: "sns:ListSubscriptionsByTopic",
			details: "could not be read",
			setup: func(f *factsFake) {
				rule(f).Topics[0] = awsops.AlertTopic{ARN: "arn:aws:sns:us-east-1:111122223333:t", Policy: eventBridgePolicy("arn:aws:sns:us-east-1:111122223333:t"),
					Err: accessDenied("sns:ListSubscriptionsByTopic")}
			}},
		{item: "root-activity-alert", name: "one topic unreadable, another confirmed", want: StatusPass,
			setup: func(f *factsFake) {
				rule(f).Topics = append(rule(f).Topics, awsops.AlertTopic{ARN: "arn:aws:sns:us-east-1:111122223333:t",
					Policy: eventBridgePolicy("arn:aws:sns:us-east-1:111122223333:t"), Err: accessDenied("sns:ListSubscriptionsByTopic")})
			}},

		{item: "cloudtrail", name: "multi-region logging", want: StatusPass, evidence: map[string]string{"trail main": "multi-region, logging, management events all"}},
		{item: "cloudtrail", name: "single region", want: StatusWarn, summary: "the trail main records only its own region (eu-west-1)",
			setup: func(f *factsFake) { f.trails[0].MultiRegion = false }},
		{item: "cloudtrail", name: "stopped logging", want: StatusFail, summary: "the trail main has stopped logging",
			evidence: map[string]string{"trail main": "multi-region, not logging, management events all"},
			setup:    func(f *factsFake) { f.trails[0].IsLogging = false }},
		{item: "cloudtrail", name: "none", want: StatusFail, setup: func(f *factsFake) { f.trails = nil }},
		{item: "cloudtrail", name: "status unreadable", want: StatusUnknown, summary: "cloudtrail:GetTrailStatus",
			setup: func(f *factsFake) {
				f.trails[0].IsLogging = false
				f.trails[0].StatusErr = accessDenied("cloudtrail:GetTrailStatus")
			}},

		{item: "budget-alert", name: "cost budget with email", want: StatusPass, summary: "whole bill with an alert a person receives: monthly-total",
			evidence: map[string]string{"budget monthly-total": "COST 20 USD/monthly, 1 notifications, 1 email subscribers"}},
		{item: "budget-alert", name: "SNS only", want: StatusWarn,
			setup: func(f *factsFake) {
				f.budgets[0].Notifications[0].EmailSubscribers = 0
				f.budgets[0].Notifications[0].SNSSubscribers = 1
			}},
		{item: "budget-alert", name: "no notifications", want: StatusWarn, summary: "the budget monthly-total has no alert",
			setup: func(f *factsFake) { f.budgets[0].Notifications = nil }},
		{item: "budget-alert", name: "usage budget only", want: StatusFail,
			setup: func(f *factsFake) { f.budgets[0].Type = "USAGE" }},
		{item: "budget-alert", name: "none", want: StatusFail, evidence: map[string]string{"budgets": "0"},
			setup: func(f *factsFake) { f.budgets = nil }},
		{item: "budget-alert", name: "NotFound means none", want: StatusFail,
			setup: func(f *factsFake) {
				f.errs = map[string]error{"Budgets": notFound("budgets:ViewBudget", "NotFoundException")}
			}},

		{item: "guardduty", name: "enabled", want: StatusPass},
		{item: "guardduty", name: "none", want: StatusFail, todo: "30-day free trial", setup: func(f *factsFake) { f.detectors = nil }},
		{item: "guardduty", name: "suspended", want: StatusFail, summary: "suspended",
			setup: func(f *factsFake) { f.detectors[0].Enabled = false }},

		{item: "detective-services", name: "both off", want: StatusNA, summary: "Security Hub is off, AWS Config is off",
			evidence: map[string]string{"aws_config": "no recorder"}},
		{item: "detective-services", name: "both on", want: StatusNA, summary: "Security Hub is on, AWS Config is on",
			evidence: map[string]string{"security_hub": "on since 2026-01-01T00:00:00Z", "aws_config": "recording (default)"},
			setup: func(f *factsFake) {
				f.securityHub = awsops.SecurityHubStatus{Enabled: true, SubscribedAt: "2026-01-01T00:00:00Z"}
				f.configRecorders = []awsops.ConfigRecorder{{Name: "default", Recording: true}}
			}},
		{item: "detective-services", name: "hub not subscribed, recorder stopped", want: StatusNA, summary: "AWS Config is stopped",
			setup: func(f *factsFake) {
				f.errs = map[string]error{"SecurityHub": &awsops.Error{Kind: awsops.KindNotEnabled, Code: "InvalidAccessException"}}
				f.configRecorders = []awsops.ConfigRecorder{{Name: "default"}}
			}},
	}
}

func orgCases() []checkCase {
	mgmt := func(f *factsFake) { inOrg(f, testAccount); withMembers(f) }
	var cases []checkCase
	for _, id := range []string{"org-root-access", "org-root-scp"} {
		cases = append(cases,
			checkCase{item: id, name: "not in an organization", want: StatusNA, summary: "not in an organization"},
			checkCase{item: id, name: "Organizations not in use", want: StatusNA, summary: "not in an organization",
				setup: func(f *factsFake) {
					f.errs = map[string]error{"Organization": &awsops.Error{Kind: awsops.KindNotEnabled, Code: "AWSOrganizationsNotInUseException"}}
				}},
			checkCase{item: id, name: "member account", want: StatusNA, summary: "managed from the management account (999988887777)",
				setup: func(f *factsFake) { inOrg(f, "999988887777") }},
		)
	}
	return append(cases,
		checkCase{item: "org-root-access", name: "both features", want: StatusPass,
			evidence: map[string]string{"RootCredentialsManagement": "true", "RootSessions": "true"},
			setup:    func(f *factsFake) { mgmt(f); f.orgFeatures = []string{"RootCredentialsManagement", "RootSessions"} }},
		checkCase{item: "org-root-access", name: "sessions only", want: StatusWarn, summary: "RootCredentialsManagement is off",
			setup: func(f *factsFake) { mgmt(f); f.orgFeatures = []string{"RootSessions"} }},
		checkCase{item: "org-root-access", name: "none", want: StatusFail,
			evidence: map[string]string{"RootCredentialsManagement": "false", "RootSessions": "false"}, setup: mgmt},
		checkCase{item: "org-root-access", name: "IAM trusted access off", want: StatusFail, summary: "no trusted access", todo: "enable trusted access for IAM",
			evidence: map[string]string{"iam_trusted_access": "false"},
			setup: func(f *factsFake) {
				mgmt(f)
				f.errs = map[string]error{"OrganizationsRootFeatures": &awsops.Error{Kind: awsops.KindNotEnabled,
					Permission: "iam:ListOrganizationsFeatures", Code: "ServiceAccessNotEnabledException", Message: "Service access is not enabled"}}
			}},
		checkCase{item: "org-root-access", name: "not all features", want: StatusFail, summary: "needs all features", todo: "Switch the organization to all features",
			setup: func(f *factsFake) {
				mgmt(f)
				f.errs = map[string]error{"OrganizationsRootFeatures": &awsops.Error{Kind: awsops.KindNotEnabled,
					Permission: "iam:ListOrganizationsFeatures", Code: "OrganizationNotInAllFeaturesModeException", Message: "not in all features mode"}}
			}},
		checkCase{item: "org-root-access", name: "consolidated billing", want: StatusFail, details: "needs all features",
			setup: func(f *factsFake) { mgmt(f); f.org.FeatureSet = "CONSOLIDATED_BILLING" }},

		checkCase{item: "org-root-scp", name: "attached to the root", want: StatusPass, summary: "DenyRoot",
			evidence: map[string]string{"scp DenyRoot": "attached to r-ab12"},
			setup: func(f *factsFake) {
				mgmt(f)
				f.scps = []awsops.SCP{{ID: "p-1", Name: "FullAWSAccess", Targets: []string{"r-ab12"}}, {ID: "p-2", Name: "DenyRoot", DeniesRoot: true, Targets: []string{"r-ab12"}}}
			}},
		checkCase{item: "org-root-scp", name: "attached to the root with exemptions", want: StatusWarn, summary: "denies member-account root except: s3:*, ec2:*",
			evidence: map[string]string{"scp DenyRootMostly": "attached to r-ab12 (denies root except: s3:*, ec2:*)"}, todo: "Action",
			setup: func(f *factsFake) {
				mgmt(f)
				f.scps = []awsops.SCP{{ID: "p-3", Name: "DenyRootMostly", DeniesRoot: true, RootDenyExcept: []string{"s3:*", "ec2:*"}, Targets: []string{"r-ab12"}}}
			}},
		checkCase{item: "org-root-scp", name: "full deny beats one with exemptions", want: StatusPass, summary: "DenyRoot",
			setup: func(f *factsFake) {
				mgmt(f)
				f.scps = []awsops.SCP{
					{ID: "p-3", Name: "DenyRootMostly", DeniesRoot: true, RootDenyExcept: []string{"s3:*"}, Targets: []string{"r-ab12"}},
					{ID: "p-2", Name: "DenyRoot", DeniesRoot: true, Targets: []string{"ou-ab12-cdef3456"}},
				}
			}},
		checkCase{item: "org-root-scp", name: "attached to an OU", want: StatusPass,
			setup: func(f *factsFake) {
				mgmt(f)
				f.scps = []awsops.SCP{{ID: "p-2", DeniesRoot: true, Targets: []string{"ou-ab12-cdef3456"}}}
			}},
		checkCase{item: "org-root-scp", name: "attached to one account", want: StatusWarn, summary: "covers 1 of 2 member accounts; not covered: 555566667777 (dev)",
			evidence: map[string]string{"members_not_covered": "555566667777 (dev)"},
			setup: func(f *factsFake) {
				mgmt(f)
				f.scps = []awsops.SCP{{ID: "p-2", Name: "DenyRoot", DeniesRoot: true, Targets: []string{"444455556666"}}}
			}},
		checkCase{item: "org-root-scp", name: "not attached", want: StatusFail, summary: "not attached: DenyRoot",
			setup: func(f *factsFake) { mgmt(f); f.scps = []awsops.SCP{{ID: "p-2", Name: "DenyRoot", DeniesRoot: true}} }},
		checkCase{item: "org-root-scp", name: "none denies root", want: StatusFail, summary: "no attached SCP",
			setup: func(f *factsFake) {
				mgmt(f)
				f.scps = []awsops.SCP{{ID: "p-1", Name: "FullAWSAccess", Targets: []string{"r-ab12"}}}
			}},
		checkCase{item: "org-root-scp", name: "consolidated billing", want: StatusFail, summary: "need all features",
			setup: func(f *factsFake) { mgmt(f); f.org.FeatureSet = "CONSOLIDATED_BILLING" }},
	)
}

// A root access key must never be shown whole, whatever the verdict.
func TestNoFullAccessKeyInAnyResult(t *testing.T) {
	const key = "AKIAIOSFODNN7EXAMPLE"
	fake := healthyFake()
	asRoot(fake, awsops.CredentialsLongTerm, key)
	fake.summary[awsops.SummaryAccountAccessKeysPresent] = 1
	f := NewFacts(fake, FactsOptions{Now: func() time.Time { return testNow }})
	for _, o := range Run(context.Background(), f, All(), nil) {
		r := o.Result
		text := r.Summary + r.Todo + strings.Join(r.Details, "")
		for _, e := range r.Evidence {
			text += e.Key + e.Value
		}
		if strings.Contains(text, key) {
			t.Errorf("%s shows the full access key: %s", o.Item.ID, text)
		}
	}
}

func TestBudgetsReadForTheCallersAccount(t *testing.T) {
	fake := healthyFake()
	runCheck(t, fake, "budget-alert", nil)
	if fake.budgetsFor != testAccount {
		t.Errorf("Budgets read for account %q, want %q", fake.budgetsFor, testAccount)
	}
}

// Identity Center is asked about the caller's own account.
func TestIdentityCenterAccessReadForTheCallersAccount(t *testing.T) {
	fake := healthyFake()
	fake.admins = nil
	inOrg(fake, testAccount)
	fake.identityCenter = []awsops.IdentityCenterInstance{{ARN: "arn:aws:sso:::instance/ssoins-1", Status: "ACTIVE", OwnerAccountID: testAccount}}
	runCheck(t, fake, "admin-identity", nil)
	if fake.icFor != testAccount {
		t.Errorf("IdentityCenterAccess read for account %q, want %q", fake.icFor, testAccount)
	}
}

func TestAlternateContactsReadsConcurrently(t *testing.T) {
	fake := healthyFake()
	fake.holdUntil, fake.holdTimeout = 3, 10*time.Second
	r := runCheck(t, fake, "alternate-contacts", nil)
	if r.Status != StatusPass {
		t.Fatalf("status %s: %s", r.Status, r.Summary)
	}
	if fake.maxInFlight < 3 {
		t.Errorf("at most %d contact reads were in flight at once, want all 3 together", fake.maxInFlight)
	}
}
