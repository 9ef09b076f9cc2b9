package demo

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// checklistIDs are the item IDs of /work/shared/docs/checklist.md.
var checklistIDs = []string{
	"caller", "credential-report",
	"root-mfa", "root-mfa-strength", "root-access-keys", "root-signing-certs", "root-usage",
	"root-password", "root-email", "root-recovery", "root-multi-person", "security-questions",
	"alternate-contacts", "contact-info", "password-policy", "s3-block-public-access",
	"admin-identity", "iam-users-mfa", "access-key-hygiene",
	"root-activity-alert", "cloudtrail", "budget-alert", "guardduty", "detective-services",
	"org-root-access", "org-root-scp",
}

func TestEveryItemIsSimulatedOrExplained(t *testing.T) {
	for _, scenario := range ScenarioNames() {
		a := newTest(t, Options{Scenario: scenario})
		for _, id := range checklistIDs {
			_, sim := simulations[id]
			_, not := notSimulated[id]
			if sim == not {
				t.Errorf("%s: simulated %t, explained refusal %t; want exactly one", id, sim, not)
			}
			// The Organizations items need an organization.
			can := sim && (!slices.Contains(orgItems, id) || a.st.org != nil)
			// An administrator cannot see root's devices once they are strong.
			if id == "root-mfa-strength" && a.st.caller != "" && a.st.rootMFAStrong() {
				can = false
			}
			if a.CanSimulate(id) != can {
				t.Errorf("%s scenario: CanSimulate(%s) = %t", scenario, id, !can)
			}
			if sim && a.SimulationNote(id) == "" {
				t.Errorf("%s has no note", id)
			}
			if err := a.Simulate(id); !can && !errors.Is(err, ErrCannotSimulate) {
				t.Errorf("%s scenario: Simulate(%s) = %v, want ErrCannotSimulate", scenario, id, err)
			}
		}
	}
	a := newTest(t, Options{})
	if len(simulations)+len(notSimulated) != len(checklistIDs) {
		t.Errorf("simulation tables name items outside the checklist")
	}
	if err := a.Simulate("root-yoga"); !errors.Is(err, ErrUnknownItem) || a.CanSimulate("root-yoga") {
		t.Errorf("unknown item: %v", err)
	}
	if a.SimulationNote("root-usage") != "" {
		t.Error("note for an item that cannot be simulated")
	}
}

// reads bundles what the simulation tests look at.
type reads struct {
	summary  awsops.AccountSummary
	report   *awsops.CredentialReport
	virtual  []awsops.VirtualMFADevice
	caller   []awsops.MFADevice
	admins   []awsops.AdminUser
	policy   *awsops.PasswordPolicy
	contacts map[awsops.ContactType]*awsops.AlternateContact
	contact  *awsops.ContactInfo
	alerts   []awsops.AlertRule
	trails   []awsops.Trail
	dets     []awsops.Detector
	budgets  []awsops.Budget
	s3Block  *awsops.PublicAccessBlock
	orgFeats []string // centralized root access features; nil without IAM's trusted access
	scps     []awsops.SCP
}

func readAll(t *testing.T, a *Account) reads {
	t.Helper()
	ctx := context.Background()
	var r reads
	var err error
	r.summary, err = a.AccountSummary(ctx)
	must(t, err)
	r.report, err = a.CredentialReport(ctx)
	must(t, err)
	r.virtual, err = a.VirtualMFADevices(ctx)
	must(t, err)
	r.caller, err = a.CallerMFADevices(ctx)
	must(t, err)
	adm, err := a.Administrators(ctx)
	if adm != nil {
		r.admins = adm.Users
	}
	must(t, err)
	r.policy, err = a.PasswordPolicy(ctx)
	must(t, err)
	r.contacts = map[awsops.ContactType]*awsops.AlternateContact{}
	for _, ct := range awsops.ContactTypes {
		r.contacts[ct], err = a.AlternateContact(ctx, ct)
		must(t, err)
	}
	r.contact, err = a.ContactInformation(ctx)
	must(t, err)
	r.alerts, err = a.RootSignInAlerts(ctx)
	must(t, err)
	r.trails, err = a.Trails(ctx)
	must(t, err)
	r.dets, err = a.GuardDutyDetectors(ctx)
	must(t, err)
	r.budgets, err = a.Budgets(ctx, AccountID)
	must(t, err)
	r.s3Block, err = a.AccountPublicAccessBlock(ctx, AccountID)
	must(t, err)
	r.orgFeats, err = a.OrganizationsRootFeatures(ctx)
	if errorCode(err) != "ServiceAccessNotEnabledException" {
		must(t, err)
	}
	r.scps, err = a.ServiceControlPolicies(ctx)
	must(t, err)
	return r
}

func TestSimulate(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		id       string
		scenario string
		setup    func(st *state) // makes the item open when the start state has it done
		done     func(r reads) bool
	}{
		{id: "root-mfa", done: func(r reads) bool {
			return r.summary[awsops.SummaryAccountMFAEnabled] == 1 && r.report.Root.MFAActive &&
				len(r.caller) == 1 && r.caller[0].Kind() == "passkey or security key" &&
				len(r.virtual) == 0 && r.summary[awsops.SummaryMFADevicesInUse] == 1
		}},
		{id: "root-mfa-strength", done: func(r reads) bool {
			return len(r.caller) == 2 && r.caller[0].Kind() == "passkey or security key" &&
				r.caller[1].Kind() == "passkey or security key" && r.caller[0].SerialNumber != r.caller[1].SerialNumber &&
				len(r.virtual) == 0 && r.summary[awsops.SummaryAccountMFAEnabled] == 1
		}},
		{id: "root-access-keys", done: func(r reads) bool {
			k := r.report.Root.Keys
			return r.summary[awsops.SummaryAccountAccessKeysPresent] == 0 && !k[0].Active && !k[1].Active &&
				k[0].LastUsed.Raw == "N/A"
		}},
		{id: "root-signing-certs",
			setup: func(st *state) {
				st.rootCerts = []signingCert{{id: "CERTDEMO", active: true, created: st.created}}
			},
			done: func(r reads) bool {
				return r.summary[awsops.SummaryAccountSigningCerts] == 0 && !r.report.Root.Certs[0].Active
			}},
		{id: "iam-users-mfa",
			setup: func(st *state) { st.user("ci-deploy").console = true },
			done: func(r reads) bool {
				for _, u := range r.report.Users {
					if u.PasswordEnabled == "true" && !u.MFAActive {
						return false
					}
				}
				return len(r.virtual) == 1 && r.virtual[0].UserName == "ci-deploy"
			}},
		{id: "access-key-hygiene", done: func(r reads) bool {
			for _, u := range r.report.Users {
				active := 0
				for _, k := range u.Keys {
					if !k.Active {
						continue
					}
					active++
					if testNow.Sub(k.LastRotated.Time) > 90*day {
						return false
					}
				}
				if active > 1 {
					return false
				}
			}
			return r.report.Users[0].Keys[0].Active // rotated, not just deleted
		}},
		{id: "cloudtrail", done: func(r reads) bool {
			return len(r.trails) == 1 && r.trails[0].MultiRegion && r.trails[0].IsLogging && r.trails[0].HomeRegion == "us-east-1"
		}},
		{id: "guardduty", done: func(r reads) bool {
			return len(r.dets) == 1 && r.dets[0].Enabled && len(r.dets[0].ID) == 32
		}},
		{id: "admin-identity", done: func(r reads) bool {
			if len(r.admins) != 1 {
				return false
			}
			ad := r.admins[0]
			row := r.report.Users[0] // "admin" sorts before "ci-deploy"
			return ad.Name == "admin" && ad.Via == "group Administrators" && ad.ConsoleAccess && ad.MFADevices == 1 &&
				ad.ARN == "arn:aws:iam::111122223333:user/admin" &&
				row.User == "admin" && row.PasswordEnabled == "true" && row.MFAActive &&
				row.PasswordLastUsed.Raw == "no_information" &&
				len(r.virtual) == 1 && r.virtual[0].UserName == "admin" &&
				r.summary[awsops.SummaryUsers] == 2 && r.summary["Groups"] == 1 && r.summary[awsops.SummaryMFADevicesInUse] == 1
		}},
		{id: "root-activity-alert", done: func(r reads) bool {
			if len(r.alerts) != 1 || !r.alerts[0].Enabled || len(r.alerts[0].Topics) != 1 {
				return false
			}
			subs := r.alerts[0].Topics[0].Subscriptions
			return len(subs) == 1 && subs[0].Protocol == "email" && subs[0].Confirmed
		}},
		{id: "budget-alert", done: func(r reads) bool {
			if len(r.budgets) != 1 || r.budgets[0].Type != "COST" || r.budgets[0].TimeUnit != "MONTHLY" {
				return false
			}
			n := r.budgets[0].Notifications
			return len(n) == 1 && n[0].Type == "ACTUAL" && n[0].Threshold == 80 && n[0].ThresholdType == "PERCENTAGE" &&
				n[0].EmailSubscribers == 1
		}},
		{id: "alternate-contacts", done: func(r reads) bool {
			names := map[string]bool{}
			for _, ct := range awsops.ContactTypes {
				c := r.contacts[ct]
				if c == nil || c.Type != ct || validateAlternateContact(*c) != nil {
					return false
				}
				names[c.Name] = true
			}
			return len(names) == 3
		}},
		{id: "contact-info",
			setup: func(st *state) { st.contact = &awsops.ContactInfo{FullName: "Jordan Lee", PhoneNumber: "206 555 0100"} },
			done: func(r reads) bool {
				return r.contact != nil && validateContactInfo(*r.contact) == nil && r.contact.FullName == "Jordan Lee"
			}},
		{id: "password-policy", done: func(r reads) bool {
			return r.policy != nil && *r.policy == recommendedPasswordPolicy()
		}},
		{id: "s3-block-public-access", done: func(r reads) bool {
			return r.s3Block != nil && r.s3Block.AllOn()
		}},
		{id: "org-root-access", scenario: "org", done: func(r reads) bool {
			return slices.Contains(r.orgFeats, "RootCredentialsManagement") && slices.Contains(r.orgFeats, "RootSessions")
		}},
		{id: "org-root-scp", scenario: "org", done: func(r reads) bool {
			return slices.ContainsFunc(r.scps, func(p awsops.SCP) bool {
				return p.DeniesRoot && len(p.NarrowedBy)+len(p.RootDenyExcept) == 0 && slices.Equal(p.Targets, []string{OrgRootID})
			})
		}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.id] = true
		t.Run(tt.id, func(t *testing.T) {
			a := newTest(t, Options{Scenario: tt.scenario})
			if tt.setup != nil {
				a.mu.Lock()
				tt.setup(a.st)
				a.mu.Unlock()
			}
			if tt.done(readAll(t, a)) {
				t.Fatal("already done before simulating")
			}
			must(t, a.Simulate(tt.id))
			if !tt.done(readAll(t, a)) {
				t.Fatalf("not done after simulating: %+v", readAll(t, a))
			}
			once := dump(t, a)
			must(t, a.Simulate(tt.id))
			if dump(t, a) != once {
				t.Error("simulating twice changed the account again")
			}
			if w := a.Writes(); len(w) != 0 {
				t.Errorf("simulation logged writes: %q", w)
			}
		})
	}
	for id := range simulations {
		if !covered[id] {
			t.Errorf("no test for simulating %s", id)
		}
	}
}

func TestSimulateNoOps(t *testing.T) {
	// Already true in the starting state: simulating changes nothing.
	for _, id := range []string{"root-signing-certs", "iam-users-mfa", "contact-info"} {
		a := newTest(t, Options{})
		before := dump(t, a)
		must(t, a.Simulate(id))
		if dump(t, a) != before {
			t.Errorf("%s changed an account where it was already done", id)
		}
	}
}

func TestSimulateMFAStrengthFromNothing(t *testing.T) {
	a := newTest(t, Options{})
	must(t, a.Simulate("root-mfa-strength"))
	must(t, a.Simulate("root-mfa"))
	if r := readAll(t, a); len(r.caller) != 2 {
		t.Errorf("caller devices = %+v, want a passkey and a backup key", r.caller)
	}
}

func TestSimulateAdminKeepsExistingAdmin(t *testing.T) {
	a := newTest(t, Options{})
	a.mu.Lock()
	a.st.addUser(iamUser{name: "alice", created: testNow, console: true, policies: []string{AdministratorAccessARN},
		mfa: []mfaDevice{{serial: "arn:aws:iam::111122223333:mfa/alice", virtual: true, enabledAt: testNow}}})
	a.mu.Unlock()
	before := dump(t, a)
	must(t, a.Simulate("admin-identity"))
	if dump(t, a) != before {
		t.Error("created a second admin although alice qualifies")
	}
	r := readAll(t, a)
	if len(r.admins) != 1 || r.admins[0].Via != "direct" {
		t.Errorf("admins = %+v", r.admins)
	}
}

func TestWizardRunThroughEndsClean(t *testing.T) {
	a := newTest(t, Options{Scenario: "org"})
	for id := range simulations {
		must(t, a.Simulate(id))
	}
	r := readAll(t, a)
	if r.summary[awsops.SummaryAccountMFAEnabled] != 1 || r.summary[awsops.SummaryAccountAccessKeysPresent] != 0 ||
		len(r.admins) != 1 || len(r.trails) != 1 || len(r.dets) != 1 || len(r.budgets) != 1 || len(r.alerts) != 1 {
		t.Errorf("after every simulation: %+v", r)
	}
	if r.summary[awsops.SummaryMFADevicesInUse] != 3 { // two root keys, admin's app
		t.Errorf("MFADevicesInUse = %d", r.summary[awsops.SummaryMFADevicesInUse])
	}
}
