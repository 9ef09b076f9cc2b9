package steps

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// factsFake is an awsops.Reader made of plain values. errs fails a read by
// method name ("AlternateContact:SECURITY" for one contact type). It counts
// calls per method and the most reads ever in flight at once.
type factsFake struct {
	identity        awsops.Identity
	summary         awsops.AccountSummary
	report          *awsops.CredentialReport
	policy          *awsops.PasswordPolicy
	contacts        map[awsops.ContactType]*awsops.AlternateContact
	contactInfo     *awsops.ContactInfo
	virtualMFA      []awsops.VirtualMFADevice
	callerMFA       []awsops.MFADevice
	users           []awsops.IAMUser
	userCreds       map[string]awsops.UserCredentials
	admins          []awsops.AdminUser
	adminRoles      []awsops.AdminRole
	fullPolicies    []string
	providers       []awsops.IdentityProvider
	identityCenter  []awsops.IdentityCenterInstance
	icAccess        []awsops.PermissionSetAccess
	orgAccounts     []awsops.OrgAccount
	alarms          map[string][]awsops.RootUsageAlarm
	signIns         *awsops.SignInHistory
	regions         []string
	regionDets      map[string][]awsops.Detector
	home            string
	org             *awsops.Organization
	orgFeatures     []string
	scps            []awsops.SCP
	alerts          []awsops.AlertRule
	trails          []awsops.Trail
	detectors       []awsops.Detector
	budgets         []awsops.Budget
	securityHub     awsops.SecurityHubStatus
	configRecorders []awsops.ConfigRecorder
	// publicAccessBlock is the account-level S3 setting (nil: none).
	publicAccessBlock *awsops.PublicAccessBlock

	errs map[string]error

	// latency is added to every call; the credential report costs two
	// calls' worth (generate, then poll).
	latency time.Duration
	// holdUntil, when > 0, holds every read until that many reads are in
	// flight at once (or holdTimeout passes): sequential reads never get
	// there, so the recorded maximum shows whether reads overlapped.
	holdUntil   int
	holdTimeout time.Duration
	holdOnce    sync.Once
	hold        chan struct{}

	mu          sync.Mutex
	calls       map[string]int
	inFlight    int
	maxInFlight int
	// latencyUnits sums the calls' costs: what a sequential pass would wait.
	latencyUnits int
	budgetsFor   string
	alertsFor    string
	s3For        string
	icFor        string
}

var _ awsops.Reader = (*factsFake)(nil)

func (f *factsFake) enter(ctx context.Context, method string, cost int) error {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[method]++
	f.latencyUnits += cost
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	reached := f.holdUntil > 0 && f.inFlight >= f.holdUntil
	if f.hold == nil {
		f.hold = make(chan struct{})
	}
	hold := f.hold
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()

	if reached {
		f.holdOnce.Do(func() { close(hold) })
	}
	if f.holdUntil > 0 {
		select {
		case <-hold:
		case <-time.After(f.holdTimeout):
		case <-ctx.Done():
			return awsops.Wrap("", ctx.Err())
		}
	}
	if f.latency > 0 {
		t := time.NewTimer(time.Duration(cost) * f.latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return awsops.Wrap("", ctx.Err())
		}
	}
	return f.errs[method]
}

// callCounts returns a copy of the per-method call counts.
func (f *factsFake) callCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.calls)
}

func (f *factsFake) totalCalls() int {
	n := 0
	for _, c := range f.callCounts() {
		n += c
	}
	return n
}

func (f *factsFake) CallerIdentity(ctx context.Context) (awsops.Identity, error) {
	if err := f.enter(ctx, "CallerIdentity", 1); err != nil {
		return awsops.Identity{}, err
	}
	return f.identity, nil
}

func (f *factsFake) Caller(ctx context.Context) (awsops.Identity, error) {
	id, err := f.CallerIdentity(ctx)
	id.Alias = ""
	return id, err
}

func (f *factsFake) AccountAlias(ctx context.Context) (string, error) {
	if err := f.enter(ctx, "AccountAlias", 1); err != nil {
		return "", err
	}
	return f.identity.Alias, nil
}

func (f *factsFake) AccountSummary(ctx context.Context) (awsops.AccountSummary, error) {
	if err := f.enter(ctx, "AccountSummary", 1); err != nil {
		return nil, err
	}
	return f.summary, nil
}

func (f *factsFake) CredentialReport(ctx context.Context) (*awsops.CredentialReport, error) {
	if err := f.enter(ctx, "CredentialReport", 2); err != nil {
		return nil, err
	}
	return f.report, nil
}

func (f *factsFake) PasswordPolicy(ctx context.Context) (*awsops.PasswordPolicy, error) {
	if err := f.enter(ctx, "PasswordPolicy", 1); err != nil {
		return nil, err
	}
	return f.policy, nil
}

func (f *factsFake) AlternateContact(ctx context.Context, t awsops.ContactType) (*awsops.AlternateContact, error) {
	if err := f.enter(ctx, "AlternateContact:"+string(t), 1); err != nil {
		return nil, err
	}
	return f.contacts[t], nil
}

func (f *factsFake) ContactInformation(ctx context.Context) (*awsops.ContactInfo, error) {
	if err := f.enter(ctx, "ContactInformation", 1); err != nil {
		return nil, err
	}
	return f.contactInfo, nil
}

func (f *factsFake) VirtualMFADevices(ctx context.Context) ([]awsops.VirtualMFADevice, error) {
	if err := f.enter(ctx, "VirtualMFADevices", 1); err != nil {
		return nil, err
	}
	return f.virtualMFA, nil
}

func (f *factsFake) CallerMFADevices(ctx context.Context) ([]awsops.MFADevice, error) {
	if err := f.enter(ctx, "CallerMFADevices", 1); err != nil {
		return nil, err
	}
	return f.callerMFA, nil
}

func (f *factsFake) Administrators(ctx context.Context) (*awsops.Administrators, error) {
	if err := f.enter(ctx, "Administrators", 1); err != nil {
		return nil, err
	}
	return &awsops.Administrators{Users: f.admins, Roles: f.adminRoles, FullAccessPolicies: f.fullPolicies}, nil
}

func (f *factsFake) IdentityProviders(ctx context.Context) ([]awsops.IdentityProvider, error) {
	if err := f.enter(ctx, "IdentityProviders", 1); err != nil {
		return nil, err
	}
	return f.providers, nil
}

func (f *factsFake) IdentityCenterAccess(ctx context.Context, _ awsops.IdentityCenterInstance, accountID string) ([]awsops.PermissionSetAccess, error) {
	if err := f.enter(ctx, "IdentityCenterAccess", 1); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.icFor = accountID
	f.mu.Unlock()
	return f.icAccess, nil
}

func (f *factsFake) IAMUsers(ctx context.Context) ([]awsops.IAMUser, error) {
	if err := f.enter(ctx, "IAMUsers", 1); err != nil {
		return nil, err
	}
	if f.users == nil && f.report != nil { // by default, exactly the report's users
		var out []awsops.IAMUser
		for _, r := range f.report.Users {
			out = append(out, awsops.IAMUser{Name: r.User, ARN: r.ARN, CreatedAt: r.CreatedAt})
		}
		return out, nil
	}
	return f.users, nil
}

func (f *factsFake) UserCredentials(ctx context.Context, user string) (awsops.UserCredentials, error) {
	if err := f.enter(ctx, "UserCredentials:"+user, 1); err != nil {
		return awsops.UserCredentials{}, err
	}
	if err := f.errs["UserCredentials"]; err != nil {
		return awsops.UserCredentials{}, err
	}
	return f.userCreds[user], nil
}

func (f *factsFake) OrganizationAccounts(ctx context.Context) ([]awsops.OrgAccount, error) {
	if err := f.enter(ctx, "OrganizationAccounts", 1); err != nil {
		return nil, err
	}
	return f.orgAccounts, nil
}

func (f *factsFake) RootUsageAlarms(ctx context.Context, logGroupARN string) ([]awsops.RootUsageAlarm, error) {
	if err := f.enter(ctx, "RootUsageAlarms", 1); err != nil {
		return nil, err
	}
	return f.alarms[logGroupARN], nil
}

func (f *factsFake) RootSignIns(ctx context.Context, _ time.Time) (*awsops.SignInHistory, error) {
	if err := f.enter(ctx, "RootSignIns", 1); err != nil {
		return nil, err
	}
	if f.signIns == nil {
		return &awsops.SignInHistory{}, nil
	}
	return f.signIns, nil
}

func (f *factsFake) EnabledRegions(ctx context.Context) ([]string, error) {
	if err := f.enter(ctx, "EnabledRegions", 1); err != nil {
		return nil, err
	}
	return f.regions, nil
}

func (f *factsFake) GuardDutyDetectorsIn(ctx context.Context, region string) ([]awsops.Detector, error) {
	if err := f.enter(ctx, "GuardDutyDetectorsIn:"+region, 1); err != nil {
		return nil, err
	}
	return f.regionDets[region], nil
}

// Region is the home region (Facts reads it to tell the other regions).
func (f *factsFake) Region() string { return orText(f.home, "eu-west-1") }

func (f *factsFake) IdentityCenterInstances(ctx context.Context) ([]awsops.IdentityCenterInstance, error) {
	if err := f.enter(ctx, "IdentityCenterInstances", 1); err != nil {
		return nil, err
	}
	return f.identityCenter, nil
}

func (f *factsFake) Organization(ctx context.Context) (*awsops.Organization, error) {
	if err := f.enter(ctx, "Organization", 1); err != nil {
		return nil, err
	}
	return f.org, nil
}

func (f *factsFake) OrganizationsRootFeatures(ctx context.Context) ([]string, error) {
	if err := f.enter(ctx, "OrganizationsRootFeatures", 1); err != nil {
		return nil, err
	}
	return f.orgFeatures, nil
}

func (f *factsFake) ServiceControlPolicies(ctx context.Context) ([]awsops.SCP, error) {
	if err := f.enter(ctx, "ServiceControlPolicies", 1); err != nil {
		return nil, err
	}
	return f.scps, nil
}

func (f *factsFake) RootSignInAlerts(ctx context.Context) ([]awsops.AlertRule, error) {
	if err := f.enter(ctx, "RootSignInAlerts", 1); err != nil {
		return nil, err
	}
	return f.alerts, nil
}

func (f *factsFake) Trails(ctx context.Context) ([]awsops.Trail, error) {
	if err := f.enter(ctx, "Trails", 1); err != nil {
		return nil, err
	}
	return f.trails, nil
}

func (f *factsFake) GuardDutyDetectors(ctx context.Context) ([]awsops.Detector, error) {
	if err := f.enter(ctx, "GuardDutyDetectors", 1); err != nil {
		return nil, err
	}
	return f.detectors, nil
}

func (f *factsFake) Budgets(ctx context.Context, accountID string) ([]awsops.Budget, error) {
	f.mu.Lock()
	f.budgetsFor = accountID
	f.mu.Unlock()
	if err := f.enter(ctx, "Budgets", 1); err != nil {
		return nil, err
	}
	return f.budgets, nil
}

func (f *factsFake) SecurityHub(ctx context.Context) (awsops.SecurityHubStatus, error) {
	if err := f.enter(ctx, "SecurityHub", 1); err != nil {
		return awsops.SecurityHubStatus{}, err
	}
	return f.securityHub, nil
}

func (f *factsFake) ConfigRecorders(ctx context.Context) ([]awsops.ConfigRecorder, error) {
	if err := f.enter(ctx, "ConfigRecorders", 1); err != nil {
		return nil, err
	}
	return f.configRecorders, nil
}

func (f *factsFake) AccountPublicAccessBlock(ctx context.Context, accountID string) (*awsops.PublicAccessBlock, error) {
	f.mu.Lock()
	f.s3For = accountID
	f.mu.Unlock()
	if err := f.enter(ctx, "AccountPublicAccessBlock", 1); err != nil {
		return nil, err
	}
	if f.publicAccessBlock == nil {
		return nil, nil
	}
	cp := *f.publicAccessBlock
	return &cp, nil
}

var _ awsops.S3AccountSettings = (*factsFake)(nil)

// ---- a well-kept account to start each test from ----

const testAccount = "111122223333"

var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return testNow.Add(-time.Duration(n) * 24 * time.Hour) }

func stampAt(t time.Time) awsops.Stamp {
	return awsops.Stamp{Time: t, Raw: t.Format("2006-01-02T15:04:05+00:00")}
}

var stampNA = awsops.Stamp{Raw: "N/A"}

// healthyFake is an account where every live check passes (attest items are
// manual, root-mfa-strength is manual: a non-root caller cannot count).
func healthyFake() *factsFake {
	rec := PasswordPresetRecommended
	return &factsFake{
		identity: awsops.Identity{
			Account: testAccount, ARN: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice",
			UserID: "AROAEXAMPLE:alice", Partition: "aws", Credentials: awsops.CredentialsTemporary,
			AccessKeyID: "ASIAIOSFODNN7EXAMPLE",
		},
		summary: awsops.AccountSummary{
			awsops.SummaryAccountMFAEnabled: 1, awsops.SummaryAccountAccessKeysPresent: 0,
			awsops.SummaryAccountSigningCerts: 0, awsops.SummaryAccountPasswordPresent: 1,
			awsops.SummaryMFADevicesInUse: 2, awsops.SummaryUsers: 1,
		},
		report: &awsops.CredentialReport{
			GeneratedAt: testNow.Add(-time.Hour),
			Root: &awsops.CredentialRow{
				User: "<root_account>", ARN: "arn:aws:iam::111122223333:root", CreatedAt: daysAgo(900),
				PasswordEnabled: "not_supported", PasswordLastUsed: stampAt(daysAgo(30)),
				MFAActive: true, Keys: [2]awsops.KeyUsage{{LastRotated: stampNA, LastUsed: stampNA}, {LastRotated: stampNA, LastUsed: stampNA}},
			},
			Users: []awsops.CredentialRow{{
				User: "alice", ARN: "arn:aws:iam::111122223333:user/alice", CreatedAt: daysAgo(400),
				PasswordEnabled: "true", PasswordLastUsed: stampAt(daysAgo(1)), MFAActive: true,
				Keys: [2]awsops.KeyUsage{
					{Active: true, LastRotated: stampAt(daysAgo(10)), LastUsed: stampAt(daysAgo(1)), LastUsedRegion: "eu-west-1", LastUsedService: "s3"},
					{LastRotated: stampNA, LastUsed: stampNA},
				},
			}},
		},
		policy: &rec,
		contacts: map[awsops.ContactType]*awsops.AlternateContact{
			awsops.ContactSecurity:   {Type: awsops.ContactSecurity, Name: "Sec Team", Title: "Security", Email: "security@example.com", Phone: "+1 555 0100"},
			awsops.ContactBilling:    {Type: awsops.ContactBilling, Name: "Ann Billing", Title: "Finance", Email: "billing@example.com", Phone: "+1 555 0101"},
			awsops.ContactOperations: {Type: awsops.ContactOperations, Name: "Ops Team", Title: "Operations", Email: "ops@example.com", Phone: "+1 555 0102"},
		},
		contactInfo: &awsops.ContactInfo{
			FullName: "Example Ltd", AddressLine1: "1 Main St", City: "Springfield", StateOrRegion: "IL",
			PostalCode: "62701", CountryCode: "US", PhoneNumber: "+1 555 0199",
		},
		virtualMFA: []awsops.VirtualMFADevice{{
			SerialNumber: "arn:aws:iam::111122223333:mfa/alice", UserARN: "arn:aws:iam::111122223333:user/alice", UserName: "alice", EnabledAt: daysAgo(300),
		}},
		admins: []awsops.AdminUser{{
			Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice", Via: "AdministratorAccess via group Administrators", ConsoleAccess: true, MFADevices: 1,
		}},
		alerts: []awsops.AlertRule{{
			Name: "rootguard-root-signin", ARN: testRuleARN, Enabled: true,
			Topics: []awsops.AlertTopic{{
				ARN:           testTopicARN,
				Policy:        eventBridgePolicy(testTopicARN),
				Subscriptions: []awsops.Subscription{{Protocol: "email", Endpoint: "security@example.com", Confirmed: true}},
			}},
		}},
		publicAccessBlock: &awsops.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true},
		trails: []awsops.Trail{{Name: "main", ARN: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main", HomeRegion: "eu-west-1",
			MultiRegion: true, IsLogging: true, EverStarted: true, Management: awsops.ManagementAll}},
		detectors:  []awsops.Detector{{ID: "d-1", Enabled: true}},
		regions:    []string{"eu-west-1", "us-east-1", "eu-central-1"},
		regionDets: map[string][]awsops.Detector{"us-east-1": {{ID: "d-2", Enabled: true}}, "eu-central-1": {{ID: "d-3", Enabled: true}}},
		budgets: []awsops.Budget{{
			Name: "monthly-total", Type: "COST", Limit: "20", Unit: "USD", TimeUnit: "MONTHLY",
			Notifications: []awsops.BudgetNotification{{Type: "ACTUAL", Comparison: "GREATER_THAN", Threshold: 80, ThresholdType: "PERCENTAGE", EmailSubscribers: 1}},
		}},
	}
}

const (
	testRuleARN  = "arn:aws:events:us-east-1:111122223333:rule/rootguard-root-signin"
	testTopicARN = "arn:aws:sns:us-east-1:111122223333:rootguard-alerts"
)

// eventBridgePolicy lets EventBridge publish to a topic.
func eventBridgePolicy(topic string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"AllowEventBridge","Effect":"Allow",` +
		`"Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topic + `"}]}`
}

// asRoot makes the caller the root user.
func asRoot(f *factsFake, creds awsops.CredentialKind, key string) {
	f.identity = awsops.Identity{
		Account: testAccount, ARN: "arn:aws:iam::111122223333:root", UserID: testAccount, IsRoot: true,
		Partition: "aws", Credentials: creds, AccessKeyID: key,
	}
}

// withMembers gives the organization two member accounts under one OU,
// besides the management account.
func withMembers(f *factsFake) {
	f.orgAccounts = []awsops.OrgAccount{
		{ID: testAccount, Name: "management", State: "ACTIVE", Ancestors: []string{"r-ab12"}},
		{ID: "444455556666", Name: "prod", State: "ACTIVE", Ancestors: []string{"ou-ab12-cdef3456", "r-ab12"}},
		{ID: "555566667777", Name: "dev", State: "ACTIVE", Ancestors: []string{"ou-ab12-cdef3456", "r-ab12"}},
	}
}

// orgIdentityCenter makes this the management account of an organization
// whose Identity Center gives a group with members AdministratorAccess here.
func orgIdentityCenter(f *factsFake) {
	inOrg(f, testAccount)
	f.identityCenter = []awsops.IdentityCenterInstance{{ARN: "arn:aws:sso:::instance/ssoins-1", Status: "ACTIVE", Region: "eu-west-1",
		OwnerAccountID: testAccount, IdentityStoreID: "d-1"}}
	f.icAccess = []awsops.PermissionSetAccess{{
		ARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-1", Name: "AdministratorAccess",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
		Assignments:     []awsops.Assignment{{PrincipalType: "GROUP", PrincipalID: "g-1", GroupHasMembers: true}},
	}}
}

// inOrg puts the account in an organization managed by mgmt.
func inOrg(f *factsFake, mgmt string) {
	f.org = &awsops.Organization{ID: "o-abc123", ManagementAccountID: mgmt, FeatureSet: "ALL"}
}

func accessDenied(perm string) error {
	return &awsops.Error{Kind: awsops.KindAccessDenied, Permission: perm, Code: "AccessDenied", Message: "User is not authorized to perform " + perm}
}

func notFound(perm, code string) error {
	return &awsops.Error{Kind: awsops.KindNotFound, Permission: perm, Code: code, Message: "not found"}
}
