// Package awsops is rootguard's only door to AWS. It reads and writes the
// account through narrow interfaces and returns plain Go values, so the rest
// of the program never sees an SDK type.
package awsops

import (
	"context"
	"time"
)

// Reader is every read the checklist needs. Both the real AWS backend and the
// demo account implement it. Each method is one fact; "not set" is a nil or
// empty result, never an error.
type Reader interface {
	// CallerIdentity: Caller and AccountAlias at once, waiting for both
	// (a failed alias read only sets Identity.AliasErr).
	CallerIdentity(ctx context.Context) (Identity, error)
	// Caller: sts GetCallerIdentity alone (Identity.Alias is not read), so
	// who is calling shows without waiting for the alias.
	Caller(ctx context.Context) (Identity, error)
	// AccountAlias: iam ListAccountAliases; "" when the account has none.
	AccountAlias(ctx context.Context) (string, error)
	// AccountSummary: iam GetAccountSummary.
	AccountSummary(ctx context.Context) (AccountSummary, error)
	// CredentialReport: an existing report under 4 hours old, otherwise a
	// newly generated one (generate, then poll with backoff).
	CredentialReport(ctx context.Context) (*CredentialReport, error)
	// IAMUsers: iam ListUsers, live (the report can be hours old).
	IAMUsers(ctx context.Context) ([]IAMUser, error)
	// UserCredentials: one user's login profile, MFA devices and access
	// keys (with last use), read live.
	UserCredentials(ctx context.Context, user string) (UserCredentials, error)
	// PasswordPolicy: nil when none is set (the AWS default applies).
	PasswordPolicy(ctx context.Context) (*PasswordPolicy, error)
	// AlternateContact: nil when that type is not set.
	AlternateContact(ctx context.Context, t ContactType) (*AlternateContact, error)
	// ContactInformation: the primary contact; nil when none is on file.
	ContactInformation(ctx context.Context) (*ContactInfo, error)
	// VirtualMFADevices: assigned virtual MFA devices and their users.
	VirtualMFADevices(ctx context.Context) ([]VirtualMFADevice, error)
	// CallerMFADevices: iam ListMFADevices without a user name, i.e. the
	// caller's own devices. Only meaningful when the caller is root.
	CallerMFADevices(ctx context.Context) ([]MFADevice, error)
	// Administrators: IAM users and roles whose policies grant full rights,
	// with what cuts them down, and each admin user's console password
	// and MFA.
	Administrators(ctx context.Context) (*Administrators, error)
	// IdentityProviders: the account's IAM SAML and OIDC providers.
	IdentityProviders(ctx context.Context) ([]IdentityProvider, error)
	// IdentityCenterInstances: sso-admin ListInstances in the home region,
	// else in the other enabled regions; a *PartialSearchError when some
	// regions could not be searched and none had an instance.
	IdentityCenterInstances(ctx context.Context) ([]IdentityCenterInstance, error)
	// IdentityCenterAccess: the permission sets of an instance provisioned
	// to accountID, their policies and assignments (with whether each
	// assigned group has members). Management account or delegated admin.
	IdentityCenterAccess(ctx context.Context, in IdentityCenterInstance, accountID string) ([]PermissionSetAccess, error)
	// Organization: nil when the account is not in an organization.
	Organization(ctx context.Context) (*Organization, error)
	// OrganizationsRootFeatures: iam ListOrganizationsFeatures (management account).
	OrganizationsRootFeatures(ctx context.Context) ([]string, error)
	// ServiceControlPolicies: service control policies, what each does to
	// member-account root, and where each is attached (management account).
	ServiceControlPolicies(ctx context.Context) ([]SCP, error)
	// OrganizationAccounts: every account with its ancestry (management
	// account or delegated admin).
	OrganizationAccounts(ctx context.Context) ([]OrgAccount, error)
	// RootSignInAlerts: EventBridge rules on the default bus in us-east-1
	// that match a root console sign-in to this account, with every link
	// of their path: SNS targets, topic policy, key, subscriptions.
	RootSignInAlerts(ctx context.Context) ([]AlertRule, error)
	// RootUsageAlarms: on a trail's CloudWatch Logs group (its ARN), the
	// metric filters matching root use and the alarms on their metrics.
	RootUsageAlarms(ctx context.Context, logGroupARN string) ([]RootUsageAlarm, error)
	// RootSignIns: the root user's console sign-ins since the given time
	// (CloudTrail event history in us-east-1; free, needs no trail).
	RootSignIns(ctx context.Context, since time.Time) (*SignInHistory, error)
	// Trails: CloudTrail trails visible in the home region, with status
	// and event selectors.
	Trails(ctx context.Context) ([]Trail, error)
	// EnabledRegions: the account's enabled regions (account ListRegions).
	EnabledRegions(ctx context.Context) ([]string, error)
	// GuardDutyDetectors: detectors in the home region.
	GuardDutyDetectors(ctx context.Context) ([]Detector, error)
	// GuardDutyDetectorsIn: detectors in another region.
	GuardDutyDetectorsIn(ctx context.Context, region string) ([]Detector, error)
	// Budgets: budgets of the account with their notifications.
	Budgets(ctx context.Context, accountID string) ([]Budget, error)
	// SecurityHub: whether Security Hub is enabled in the home region.
	SecurityHub(ctx context.Context) (SecurityHubStatus, error)
	// ConfigRecorders: AWS Config recorders in the home region and status.
	ConfigRecorders(ctx context.Context) ([]ConfigRecorder, error)
}

// Writer is every write rootguard can make. Each call is one API write.
type Writer interface {
	// UpdatePasswordPolicy sends every field: UpdateAccountPasswordPolicy
	// resets any field that is omitted.
	UpdatePasswordPolicy(ctx context.Context, p PasswordPolicy) error
	PutAlternateContact(ctx context.Context, c AlternateContact) error
	PutContactInformation(ctx context.Context, c ContactInfo) error
}

// Account is a whole account: what the wizard and check talk to.
type Account interface {
	Reader
	Writer
	// Region is the home region used for regional reads.
	Region() string
}

// CredentialKind says what kind of credentials are in use.
type CredentialKind string

const (
	CredentialsLongTerm  CredentialKind = "long-term" // AKIA… access key
	CredentialsTemporary CredentialKind = "temporary" // ASIA… (SSO, roles, CloudShell)
	CredentialsUnknown   CredentialKind = "unknown"
)

// Identity is who is calling.
type Identity struct {
	Account   string
	ARN       string
	UserID    string
	Alias     string // "" when the account has none
	IsRoot    bool
	Partition string // aws, aws-cn, aws-us-gov
	// Credentials is the kind of credentials in use; AccessKeyID is kept
	// for masking and comparison only (MaskKey before any display).
	Credentials CredentialKind
	AccessKeyID string
	// AliasErr is set when the alias could not be read (the rest is valid).
	AliasErr error
}

// AccountSummary is iam GetAccountSummary's map. A key missing from the map
// is unknown, not zero.
type AccountSummary map[string]int32

// Get returns a value and whether AWS reported it.
func (s AccountSummary) Get(key string) (int32, bool) {
	v, ok := s[key]
	return v, ok
}

// Summary map keys rootguard reads.
const (
	SummaryAccountMFAEnabled        = "AccountMFAEnabled"
	SummaryAccountAccessKeysPresent = "AccountAccessKeysPresent"
	SummaryAccountSigningCerts      = "AccountSigningCertificatesPresent"
	SummaryAccountPasswordPresent   = "AccountPasswordPresent"
	SummaryMFADevicesInUse          = "MFADevicesInUse"
	SummaryUsers                    = "Users"
)

// CredentialReport is a parsed IAM credential report.
type CredentialReport struct {
	GeneratedAt time.Time
	Root        *CredentialRow // nil when the report has no <root_account> row
	Users       []CredentialRow
	// Raw is the CSV exactly as AWS returned it, for saving to a file the
	// user asks for (0600). It lists every user: it never goes into saved
	// progress, reports or logs.
	Raw []byte `json:"-"`
}

// CredentialRow is one row of the report. Timestamps are zero when the
// report says N/A, no_information or not_supported; the raw text is kept.
type CredentialRow struct {
	User                string
	ARN                 string
	CreatedAt           time.Time
	PasswordEnabled     string // "true", "false" or "not_supported"
	PasswordLastUsed    Stamp
	PasswordLastChanged Stamp
	MFAActive           bool
	Keys                [2]KeyUsage
	Certs               [2]CertUsage
	// Live: the row was read live (ListUsers and the user's credentials),
	// not taken from the report, e.g. for a user created after it.
	Live bool
}

// Stamp is a report timestamp with the raw value it came from.
type Stamp struct {
	Time time.Time // zero when Raw is N/A, no_information, not_supported
	Raw  string
}

// Valid reports whether the stamp holds a time.
func (s Stamp) Valid() bool { return !s.Time.IsZero() }

// KeyUsage is one access key column group of the report.
type KeyUsage struct {
	Active          bool
	LastRotated     Stamp
	LastUsed        Stamp
	LastUsedRegion  string // "" when N/A
	LastUsedService string // "" when N/A
}

// CertUsage is one signing certificate column group of the report.
type CertUsage struct {
	Active      bool
	LastRotated Stamp
}

// PasswordPolicy mirrors the IAM account password policy. Zero MaxAgeDays
// and ReusePrevention mean "off".
type PasswordPolicy struct {
	MinimumLength      int
	RequireUppercase   bool
	RequireLowercase   bool
	RequireNumbers     bool
	RequireSymbols     bool
	AllowUsersToChange bool
	MaxAgeDays         int
	ReusePrevention    int
	HardExpiry         bool
}

// ContactType is an alternate contact type.
type ContactType string

const (
	ContactSecurity   ContactType = "SECURITY"
	ContactBilling    ContactType = "BILLING"
	ContactOperations ContactType = "OPERATIONS"
)

// ContactTypes lists the alternate contact types in display order.
var ContactTypes = []ContactType{ContactSecurity, ContactBilling, ContactOperations}

// AlternateContact is one alternate contact.
type AlternateContact struct {
	Type  ContactType
	Name  string
	Title string
	Email string
	Phone string
}

// ContactInfo is the account's primary contact.
type ContactInfo struct {
	FullName         string
	CompanyName      string
	AddressLine1     string
	AddressLine2     string
	AddressLine3     string
	City             string
	StateOrRegion    string
	DistrictOrCounty string
	PostalCode       string
	CountryCode      string
	PhoneNumber      string
	WebsiteURL       string
}

// VirtualMFADevice is an assigned virtual MFA device.
type VirtualMFADevice struct {
	SerialNumber string
	UserARN      string // arn:…:root for the root user
	UserName     string
	EnabledAt    time.Time
}

// MFADevice is an MFA device of the caller (virtual, FIDO or hardware).
type MFADevice struct {
	SerialNumber string
	EnabledAt    time.Time
}

// MFADeviceKind classifies a device from its serial number.
func (d MFADevice) Kind() string {
	switch {
	case containsSegment(d.SerialNumber, ":u2f/"):
		return "passkey or security key"
	case containsSegment(d.SerialNumber, ":mfa/"):
		return "virtual (authenticator app)"
	default:
		return "hardware TOTP"
	}
}

// IAMUser is an IAM user as iam ListUsers shows it (live, unlike the
// credential report).
type IAMUser struct {
	Name             string
	ARN              string
	CreatedAt        time.Time
	PasswordLastUsed time.Time // zero: never, or not since tracking began
}

// UserCredentials are one IAM user's credentials read live: login profile,
// MFA devices and access keys with their last use.
type UserCredentials struct {
	User            string
	ConsolePassword bool
	MFADevices      int
	Keys            []AccessKey // at most two
}

// AccessKey is an IAM user's access key. ID is for matching only: mask it
// (MaskKey) before any display.
type AccessKey struct {
	ID              string
	Active          bool
	CreatedAt       time.Time
	LastUsed        time.Time // zero: never used
	LastUsedService string
	LastUsedRegion  string
}

// Administrators are the identities whose policies grant full rights
// (AdministratorAccess, or a customer-managed or inline policy allowing *
// on *), from iam GetAccountAuthorizationDetails.
type Administrators struct {
	Users []AdminUser
	Roles []AdminRole
	// FullAccessPolicies are the paths+names of this account's own managed
	// policies that allow * on * (e.g. "/admin-all"), so an Identity Center
	// permission set referring to one by name can be judged.
	FullAccessPolicies []string
}

// AdminUser is an IAM user whose policies grant full rights.
type AdminUser struct {
	Name          string
	ARN           string
	Via           string // "AdministratorAccess via group Administrators", "inline policy all"…
	ConsoleAccess bool   // has a login profile
	MFADevices    int
	// LimitedBy says what cuts the full rights down (a permissions
	// boundary or a Deny statement); "" when they hold.
	LimitedBy string
	// Created is when the user was created (zero: unknown).
	Created time.Time
}

// AdminRole is an IAM role whose policies grant full rights.
type AdminRole struct {
	Name      string
	ARN       string
	Via       string
	LimitedBy string    // as for AdminUser
	Created   time.Time // when the role was created (zero: unknown)
	// IdentityCenter: the role is under /aws-reserved/sso.amazonaws.com/,
	// i.e. an Identity Center permission set provisioned to this account.
	IdentityCenter bool
	// Federated lists the SAML and OIDC providers its trust policy lets
	// assume it (provider ARNs).
	Federated []string
}

// IdentityProvider is an IAM SAML or OIDC identity provider.
type IdentityProvider struct {
	ARN  string
	Kind string // SAML or OIDC
}

// IdentityCenterInstance is an IAM Identity Center instance.
type IdentityCenterInstance struct {
	ARN             string
	Status          string
	Region          string
	OwnerAccountID  string // the management account for an organization instance
	IdentityStoreID string
}

// PermissionSetAccess is one Identity Center permission set provisioned to
// an account, with what it grants and to whom.
type PermissionSetAccess struct {
	ARN              string
	Name             string
	ManagedPolicies  []string // AWS managed policy ARNs
	InlinePolicy     string   // "" when none
	CustomerPolicies []string // references to this account's policies, path+name
	Assignments      []Assignment
}

// Assignment is a user or group assigned a permission set for an account.
type Assignment struct {
	PrincipalType string // USER or GROUP
	PrincipalID   string
	// GroupHasMembers: for a GROUP, whether it has at least one member.
	GroupHasMembers bool
}

// Organization is the organization the account belongs to.
type Organization struct {
	ID                  string
	ManagementAccountID string
	FeatureSet          string // ALL or CONSOLIDATED_BILLING
}

// SCP is a service control policy.
type SCP struct {
	ID         string
	Name       string
	DeniesRoot bool // denies actions by member-account root principals
	// RootDenyExcept lists the actions a NotAction deny leaves allowed to
	// root; empty when root is denied every action.
	RootDenyExcept []string
	// NarrowedBy names conditions that limit the root deny (a region, MFA,
	// one account…); empty when it holds for every member root user.
	NarrowedBy []string
	// Broken says why a statement written to deny root denies no root user.
	Broken  string
	Targets []string // root, OU or account IDs it is attached to
}

// OrgAccount is a member of the organization with where it sits.
type OrgAccount struct {
	ID    string
	Name  string
	State string // ACTIVE, SUSPENDED, PENDING_CLOSURE…
	// Ancestors are its parent, the parent's parent and so on up to the
	// organization root (ou-… then r-…).
	Ancestors []string
}

// AlertRule is an EventBridge rule (us-east-1, default bus) matching root
// sign-in, with every link of its delivery path.
type AlertRule struct {
	Name    string
	ARN     string
	Enabled bool
	Topics  []AlertTopic // SNS targets
	// OtherTargets counts non-SNS targets (Lambda, SQS…), which also deliver.
	OtherTargets int
	// Misses names root sign-ins the pattern does not match ("sign-ins
	// with MFA" or "sign-ins without MFA"); "" when it matches both.
	Misses string
}

// AlertTopic is an SNS topic an alert publishes to, with its subscriptions,
// policy and encryption key.
type AlertTopic struct {
	ARN           string
	Subscriptions []Subscription
	Err           error // subscriptions could not be read
	// Policy is the topic policy (GetTopicAttributes); AttrErr is set when
	// the attributes could not be read.
	Policy  string
	AttrErr error
	// KMSKeyID is the topic's KmsMasterKeyId ("" when not encrypted), and
	// Key what KMS says about it (nil when not read).
	KMSKeyID string
	Key      *KMSKey
	KeyErr   error
}

// KMSKey is a KMS key with its key policy.
type KMSKey struct {
	ARN     string
	Manager string // AWS or CUSTOMER
	State   string // Enabled, Disabled, PendingDeletion…
	Policy  string
}

// Subscription is one SNS subscription.
type Subscription struct {
	Protocol  string
	Endpoint  string
	Confirmed bool
}

// RootUsageAlarm is the CIS route for a root alert: a CloudWatch Logs
// metric filter matching root use on a trail's log group, and the alarms
// on its metric with their SNS topics.
type RootUsageAlarm struct {
	LogGroup string
	Filter   string // metric filter name
	Metric   string // namespace/name
	Alarms   []MetricAlarm
}

// MetricAlarm is a CloudWatch alarm on a root-use metric.
type MetricAlarm struct {
	Name           string
	ActionsEnabled bool
	Topics         []AlertTopic // SNS alarm actions, with subscriptions only
}

// SignInEvent is one console sign-in from CloudTrail event history.
type SignInEvent struct {
	Time     time.Time
	Success  bool
	MFAUsed  bool
	SourceIP string
	Error    string // the failure reason, if any
}

// SignInHistory is the root user's console sign-ins of the last 90 days.
type SignInHistory struct {
	Since  time.Time
	Events []SignInEvent // newest first
	// Truncated: more sign-in events exist than rootguard read.
	Truncated bool
	// ReadBack is, when Truncated, the oldest event time on the pages read
	// (of every user's sign-ins): the history is complete from then on
	// only. Zero when no page said when its events happened.
	ReadBack time.Time
}

// Trail is a CloudTrail trail with its logging status and what it records.
type Trail struct {
	Name         string
	ARN          string
	HomeRegion   string
	MultiRegion  bool
	Organization bool
	IsLogging    bool
	// EverStarted: logging was started at some point (a trail created but
	// never started has no start time and no delivery).
	EverStarted bool
	// DeliveryError is GetTrailStatus's LatestDeliveryError ("" when none).
	DeliveryError string
	// LogGroupARN is the CloudWatch Logs group it delivers to ("" when none).
	LogGroupARN string
	StatusErr   error // status could not be read
	// Management says which management events it records, from its event
	// selectors: ManagementAll, ManagementWriteOnly, ManagementReadOnly or
	// ManagementNone. SelectorsErr is set when they could not be read.
	Management   string
	SelectorsErr error
}

// What a trail records of management events.
const (
	ManagementAll       = "all"
	ManagementWriteOnly = "write-only"
	ManagementReadOnly  = "read-only"
	ManagementNone      = "none"
)

// Detector is a GuardDuty detector.
type Detector struct {
	ID      string
	Enabled bool
}

// RegionDetectors are the GuardDuty detectors of one region.
type RegionDetectors struct {
	Region    string
	Detectors []Detector
	Err       error // the region could not be read
}

// Budget is an AWS budget with its notifications.
type Budget struct {
	Name     string
	Type     string // COST, USAGE, …
	Limit    string
	Unit     string
	TimeUnit string
	// CostFilters names the dimensions the budget is limited to (e.g.
	// Service); empty when it covers the whole bill.
	CostFilters []string
	// PeriodEnd is when the budget stops (zero: no end).
	PeriodEnd     time.Time
	Notifications []BudgetNotification
	// LimitKind is "" for one fixed limit, "planned" for a limit per
	// period or "auto-adjusting".
	LimitKind string
}

// BudgetNotification is one notification of a budget.
type BudgetNotification struct {
	Type             string // ACTUAL or FORECASTED
	Comparison       string
	Threshold        float64
	ThresholdType    string // PERCENTAGE or ABSOLUTE_VALUE
	EmailSubscribers int
	SNSSubscribers   int
	// Emails are the email subscribers' addresses.
	Emails []string
	// SNSTopics are the SNS subscribers' topics with their subscriptions.
	SNSTopics []AlertTopic
}

// SecurityHubStatus is whether Security Hub is on.
type SecurityHubStatus struct {
	Enabled      bool
	SubscribedAt string
}

// ConfigRecorder is an AWS Config configuration recorder.
type ConfigRecorder struct {
	Name      string
	Recording bool
}
