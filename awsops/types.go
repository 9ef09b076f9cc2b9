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
	// CallerIdentity: sts GetCallerIdentity + iam ListAccountAliases.
	CallerIdentity(ctx context.Context) (Identity, error)
	// AccountSummary: iam GetAccountSummary.
	AccountSummary(ctx context.Context) (AccountSummary, error)
	// CredentialReport: an existing report under 4 hours old, otherwise a
	// newly generated one (generate, then poll with backoff).
	CredentialReport(ctx context.Context) (*CredentialReport, error)
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
	// AdminUsers: IAM users holding AdministratorAccess (directly or through
	// a group), with whether they have a console password and MFA.
	AdminUsers(ctx context.Context) ([]AdminUser, error)
	// IdentityCenterInstances: sso-admin ListInstances in the home region,
	// else in the other enabled regions; a *PartialSearchError when some
	// regions could not be searched and none had an instance.
	IdentityCenterInstances(ctx context.Context) ([]IdentityCenterInstance, error)
	// Organization: nil when the account is not in an organization.
	Organization(ctx context.Context) (*Organization, error)
	// OrganizationsRootFeatures: iam ListOrganizationsFeatures (management account).
	OrganizationsRootFeatures(ctx context.Context) ([]string, error)
	// RootDenySCPs: service control policies and whether each denies
	// member-account root, with where they are attached (management account).
	ServiceControlPolicies(ctx context.Context) ([]SCP, error)
	// RootSignInAlerts: EventBridge rules in us-east-1 that match a root
	// sign-in to accountID (the caller's account), their SNS targets and
	// those topics' subscriptions.
	RootSignInAlerts(ctx context.Context, accountID string) ([]AlertRule, error)
	// Trails: CloudTrail trails visible in the home region, with status.
	Trails(ctx context.Context) ([]Trail, error)
	// GuardDutyDetectors: detectors in the home region.
	GuardDutyDetectors(ctx context.Context) ([]Detector, error)
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

// AdminUser is an IAM user with AdministratorAccess.
type AdminUser struct {
	Name            string
	ARN             string
	Via             string // "direct" or "group <name>"
	ConsoleAccess   bool   // has a login profile
	MFADevices      int
	PasswordLastUse time.Time
}

// IdentityCenterInstance is an IAM Identity Center instance.
type IdentityCenterInstance struct {
	ARN    string
	Status string
	Region string
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
	Targets        []string // root, OU or account IDs it is attached to
}

// AlertRule is an EventBridge rule (us-east-1) matching root sign-in.
type AlertRule struct {
	Name    string
	Enabled bool
	Topics  []AlertTopic // SNS targets
	// OtherTargets counts non-SNS targets (Lambda, SQS…), which also deliver.
	OtherTargets int
}

// AlertTopic is an SNS topic a rule targets, with its subscriptions.
type AlertTopic struct {
	ARN           string
	Subscriptions []Subscription
	Err           error // subscriptions could not be read
}

// Subscription is one SNS subscription.
type Subscription struct {
	Protocol  string
	Endpoint  string
	Confirmed bool
}

// Trail is a CloudTrail trail with its logging status.
type Trail struct {
	Name         string
	ARN          string
	HomeRegion   string
	MultiRegion  bool
	Organization bool
	IsLogging    bool
	StatusErr    error // status could not be read
}

// Detector is a GuardDuty detector.
type Detector struct {
	ID      string
	Enabled bool
}

// Budget is an AWS budget with its notifications.
type Budget struct {
	Name          string
	Type          string // COST, USAGE, …
	Limit         string
	Unit          string
	TimeUnit      string
	Notifications []BudgetNotification
}

// BudgetNotification is one notification of a budget.
type BudgetNotification struct {
	Type             string // ACTUAL or FORECASTED
	Comparison       string
	Threshold        float64
	ThresholdType    string // PERCENTAGE or ABSOLUTE_VALUE
	EmailSubscribers int
	SNSSubscribers   int
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
