package demo

import (
	"slices"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// AdministratorAccessARN is the AWS managed policy an admin holds.
const AdministratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// state is everything the account knows. Only Account touches it, under
// its lock; reads copy out of it.
type state struct {
	created              time.Time // the account (and root) creation time
	rootPasswordLastUsed time.Time
	rootKeys             []accessKey
	rootCerts            []signingCert
	rootMFA              []mfaDevice
	callerKeyID          string // the CloudShell session's temporary key
	// caller is the IAM user signed in to the console (and CloudShell);
	// "" is the root user (SignInAsAdmin changes it).
	caller string

	passwordPolicy *awsops.PasswordPolicy
	alternate      map[awsops.ContactType]awsops.AlternateContact
	contact        *awsops.ContactInfo

	users        []iamUser // sorted by name
	groups       []iamGroup
	serviceRoles int // service-linked roles AWS made (shown in the summary)

	identityCenter []awsops.IdentityCenterInstance
	// EventBridge rules on the default bus and SNS topics in us-east-1
	// (rootalert.go): the root alert's path is derived from them.
	rules     []ebRule
	topics    []snsTopic
	trails    []awsops.Trail
	detectors []awsops.Detector // the home region's
	// regionDetectors are GuardDuty detectors in the other enabled regions.
	regionDetectors map[string][]awsops.Detector
	budgets         []awsops.Budget
	securityHub     awsops.SecurityHubStatus
	recorders       []awsops.ConfigRecorder

	publicAccessBlock *awsops.PublicAccessBlock // nil: none configured (s3.go)

	buckets      []logBucket            // S3 buckets for trail logs (trail.go)
	trailDetails map[string]trailDetail // by trail name: bucket, validation, selectors
	org          *orgState              // the organization it manages (org.go); nil: standalone
}

type accessKey struct {
	id          string
	active      bool
	created     time.Time
	lastUsed    time.Time // zero: never used
	lastRegion  string
	lastService string
}

type signingCert struct {
	id      string
	active  bool
	created time.Time
}

type mfaDevice struct {
	serial    string
	virtual   bool
	enabledAt time.Time
}

type iamUser struct {
	name             string
	created          time.Time
	console          bool // has a login profile
	passwordChanged  time.Time
	passwordLastUsed time.Time // zero: never
	keys             []accessKey
	mfa              []mfaDevice
	policies         []string // attached managed policy ARNs
	groups           []string
	// boundary is the permissions boundary's ARN ("" none); anything but
	// AdministratorAccess cuts an admin's rights down.
	boundary string
}

type iamGroup struct {
	name     string
	policies []string
}

func (u iamUser) arn() string { return "arn:aws:iam::" + AccountID + ":user/" + u.name }

// startingState is a typical new account nobody has hardened yet: the owner
// signed in as root and opened CloudShell; a root access key made on day one
// is still in use; a legacy CI user has a seven-month-old key.
func startingState(now time.Time) *state {
	now = now.UTC().Truncate(time.Second)
	day := 24 * time.Hour
	created := now.Add(-21*day - 5*time.Hour)
	return &state{
		created:              created,
		rootPasswordLastUsed: earlierToday(now, 14*time.Minute),
		rootKeys: []accessKey{{
			id:          "AKIARJ4X7QWZ2EXAMPLE",
			active:      true,
			created:     created.Add(2 * time.Hour),
			lastUsed:    now.Add(-6*day - 3*time.Hour),
			lastRegion:  "us-east-1",
			lastService: "ec2",
		}},
		callerKeyID: "ASIARJ4X7QWZCLDSHELL",
		alternate:   map[awsops.ContactType]awsops.AlternateContact{},
		contact: &awsops.ContactInfo{
			FullName:      "Jordan Lee",
			AddressLine1:  "1200 Harbor Avenue SW",
			AddressLine2:  "Suite 400",
			City:          "Seattle",
			StateOrRegion: "WA",
			PostalCode:    "98126",
			CountryCode:   "US",
			PhoneNumber:   "+1 206 555 0100",
		},
		users: []iamUser{{
			name:    "ci-deploy",
			created: now.Add(-200*day - 2*time.Hour),
			keys: []accessKey{{
				id:          "AKIARJ4X7QWZ5CIDEPLY",
				active:      true,
				created:     now.Add(-200*day - time.Hour),
				lastUsed:    now.Add(-2*day - 7*time.Hour),
				lastRegion:  "us-east-1",
				lastService: "s3",
			}},
			policies: []string{"arn:aws:iam::aws:policy/AmazonS3FullAccess"},
		}},
		serviceRoles: 2, // AWSServiceRoleForSupport, AWSServiceRoleForTrustedAdvisor
	}
}

// earlierToday is now minus d, but never before today's midnight (UTC), so
// "used today" stays true whatever the clock says.
func earlierToday(now time.Time, d time.Duration) time.Time {
	t := now.Add(-d)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if t.Before(midnight) {
		return midnight
	}
	return t
}

func (st *state) user(name string) *iamUser {
	for i := range st.users {
		if st.users[i].name == name {
			return &st.users[i]
		}
	}
	return nil
}

func (st *state) group(name string) *iamGroup {
	for i := range st.groups {
		if st.groups[i].name == name {
			return &st.groups[i]
		}
	}
	return nil
}

func (st *state) addUser(u iamUser) {
	st.users = append(st.users, u)
	slices.SortFunc(st.users, func(a, b iamUser) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
}

// limitedBy says what cuts a user's rights down ("" nothing), as the
// real reader words it.
func (u iamUser) limitedBy() string {
	if u.boundary == "" || u.boundary == AdministratorAccessARN {
		return ""
	}
	return "permissions boundary " + u.boundary[strings.LastIndex(u.boundary, "/")+1:]
}

// workingAdmin reports whether a user is an administrator a person can
// use: full rights nothing cuts down, a console password and MFA.
func (st *state) workingAdmin(u iamUser) bool {
	return st.adminVia(u) != "" && u.limitedBy() == "" && u.console && len(u.mfa) > 0
}

// adminVia says how a user holds AdministratorAccess ("" when not).
func (st *state) adminVia(u iamUser) string {
	if slices.Contains(u.policies, AdministratorAccessARN) {
		return "direct"
	}
	for _, g := range u.groups {
		if grp := st.group(g); grp != nil && slices.Contains(grp.policies, AdministratorAccessARN) {
			return "group " + g
		}
	}
	return ""
}

// Regions are the demo account's enabled regions (those on by default).
var Regions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "sa-east-1",
}

// Copies, so nothing handed out aliases the state.

func cloneBudgets(in []awsops.Budget) []awsops.Budget {
	if in == nil {
		return nil
	}
	out := make([]awsops.Budget, len(in))
	for i, b := range in {
		b.CostFilters = slices.Clone(b.CostFilters)
		b.Notifications = slices.Clone(b.Notifications)
		for j := range b.Notifications {
			b.Notifications[j].SNSTopics = cloneTopics(b.Notifications[j].SNSTopics)
			b.Notifications[j].Emails = slices.Clone(b.Notifications[j].Emails)
		}
		out[i] = b
	}
	return out
}

func cloneTopics(in []awsops.AlertTopic) []awsops.AlertTopic {
	out := slices.Clone(in)
	for i := range out {
		out[i].Subscriptions = slices.Clone(out[i].Subscriptions)
	}
	return out
}

// eventBridgeTopicPolicy is the topic policy a working root alert needs:
// the account owns the topic, and EventBridge may publish to it.
func eventBridgeTopicPolicy(topicARN string) string {
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"OwnerFullAccess","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + AccountID + `:root"},"Action":"sns:*","Resource":"` + topicARN + `"},` +
		`{"Sid":"AllowEventBridgePublish","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topicARN + `"}]}`
}
