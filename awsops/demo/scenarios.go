package demo

import (
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// The partial and hardened scenarios (scenario.go lists them).

// Attested is an item a scenario starts with marked done. No AWS API holds
// attestations (they are the person's word, kept in the saved progress),
// so the command line seeds them into the scenario's progress when it
// starts (or starts over).
type Attested struct {
	ItemID string
	Note   string
}

// The people of the partial and hardened scenarios.
const (
	partialAdminName  = "ops-admin"
	partialDevName    = "dev-sam"
	hardenedAdminName = "jane"
	// developerBoundary is the permissions boundary that cuts ops-admin's
	// AdministratorAccess down (partial scenario).
	developerBoundary = "arn:aws:iam::" + AccountID + ":policy/DeveloperBoundary"
)

// partialStartingState is an account someone hardened halfway, with the
// traps that make things look done when they are not:
//   - root has MFA, but one authenticator app and no backup;
//   - the password policy, alternate contacts, S3 Block Public Access and
//     GuardDuty are each partly done;
//   - ops-admin holds AdministratorAccess, with console and MFA, but a
//     permissions boundary cuts it down: there is no working administrator;
//   - dev-sam has a console password and no MFA;
//   - a root sign-in rule exists and is enabled, but its topic keeps SNS's
//     default policy, which does not let EventBridge publish;
//   - the multi-region trail is logging, but records data events only;
//   - the cost budget emails, but watches EC2 alone.
func partialStartingState(now time.Time) *state {
	st := startingState(now)
	now = now.UTC().Truncate(time.Second)
	day := 24 * time.Hour
	st.created = now.Add(-95*day - 3*time.Hour)
	st.rootKeys = nil
	st.rootMFA = []mfaDevice{{serial: "arn:aws:iam::" + AccountID + ":mfa/root-account-mfa-device", virtual: true, enabledAt: st.created.Add(2 * day)}}
	ci := st.user("ci-deploy")
	ci.keys = []accessKey{{id: rotatedKeyID(ci.keys[0].id), active: true, created: now.Add(-30 * day),
		lastUsed: now.Add(-1*day - 4*time.Hour), lastRegion: "us-east-1", lastService: "s3"}}

	st.passwordPolicy = &awsops.PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
		RequireNumbers: true, AllowUsersToChange: true}
	st.alternate[awsops.ContactSecurity] = demoContacts[0]
	st.publicAccessBlock = &awsops.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true}

	st.addUser(iamUser{name: partialAdminName, created: now.Add(-60 * day), console: true,
		passwordChanged: now.Add(-60 * day), passwordLastUsed: now.Add(-3 * day),
		mfa:      []mfaDevice{{serial: "arn:aws:iam::" + AccountID + ":mfa/" + partialAdminName, virtual: true, enabledAt: now.Add(-60 * day)}},
		policies: []string{AdministratorAccessARN}, boundary: developerBoundary})
	st.addUser(iamUser{name: partialDevName, created: now.Add(-20 * day), console: true,
		passwordChanged: now.Add(-20 * day), passwordLastUsed: now.Add(-2 * day)})

	alerts := topicARN("security-alerts")
	st.topics = append(st.topics, snsTopic{arn: alerts, policy: defaultTopicPolicy(alerts),
		subs: []snsSubscription{{arn: alerts + ":0b7c41d2-9e3a-4f5b-a1c8-3d6e2f9a7b10", protocol: "email", endpoint: securityEmail, confirmed: true}}})
	st.rules = append(st.rules, ebRule{name: "root-console-sign-in", arn: alertRuleARN("root-console-sign-in"),
		pattern: awsops.RootSignInPattern, state: awsops.RuleEnabled, description: "Email security when root signs in",
		targets: []awsops.RuleTarget{{ID: "security-alerts", ARN: alerts}}})

	st.trails = append(st.trails, awsops.Trail{Name: "account-trail",
		ARN:        "arn:aws:cloudtrail:" + HomeRegion + ":" + AccountID + ":trail/account-trail",
		HomeRegion: HomeRegion, MultiRegion: true, IsLogging: true, EverStarted: true, Management: awsops.ManagementNone})

	st.budgets = append(st.budgets, awsops.Budget{Name: "ec2-monthly", Type: "COST", Limit: "40.0", Unit: "USD", TimeUnit: "MONTHLY",
		CostFilters: []string{"Service"},
		Notifications: []awsops.BudgetNotification{{Type: "ACTUAL", Comparison: "GREATER_THAN", Threshold: 80, ThresholdType: "PERCENTAGE",
			EmailSubscribers: 1, Emails: []string{"billing@acme.example"}}}})

	st.detectors = []awsops.Detector{{ID: detectorID(HomeRegion), Enabled: true}}
	st.serviceRoles++ // AWSServiceRoleForAmazonGuardDuty
	return st
}

// partialAttested: the root email was confirmed as a group address.
var partialAttested = []Attested{
	{ItemID: "root-email", Note: "aws-root@acme.example is a group address of the IT team"},
}

// hardenedStartingState is an account where everything rootguard can
// verify is done: the owner works as the administrator jane (root was last
// used weeks ago), root has a passkey and a backup security key, and the
// alerts, trail, budget and GuardDuty are in place. Only the items no API
// can see wait for the person's word (hardenedAttested).
func hardenedStartingState(now time.Time) *state {
	st := startingState(now)
	now = now.UTC().Truncate(time.Second)
	day := 24 * time.Hour
	st.created = now.Add(-400 * day)
	setup := st.created.Add(3 * day)
	st.rootPasswordLastUsed = now.Add(-40*day - 2*time.Hour)
	st.rootKeys = nil
	for _, ensure := range []func(*state, time.Time){
		(*state).ensureRootBackupMFA, (*state).ensureAlternateContacts, (*state).ensureContactInfo,
		(*state).ensurePasswordPolicy, (*state).ensurePublicAccessBlock, (*state).ensureRootAlert,
		(*state).ensureTrail, (*state).ensureBudget, (*state).ensureDetector,
	} {
		ensure(st, setup)
	}
	st.groups = append(st.groups, iamGroup{name: adminsGroup, policies: []string{AdministratorAccessARN}})
	st.addUser(iamUser{name: hardenedAdminName, created: setup, console: true,
		passwordChanged: setup.Add(time.Hour), passwordLastUsed: now.Add(-20 * time.Hour),
		mfa:    []mfaDevice{{serial: "arn:aws:iam::" + AccountID + ":mfa/" + hardenedAdminName, virtual: true, enabledAt: setup}},
		groups: []string{adminsGroup}})
	ci := st.user("ci-deploy")
	ci.created = setup.Add(10 * day)
	ci.keys = []accessKey{{id: rotatedKeyID(ci.keys[0].id), active: true, created: now.Add(-20 * day),
		lastUsed: now.Add(-1*day - 4*time.Hour), lastRegion: "us-east-1", lastService: "s3"}}
	st.caller = hardenedAdminName
	st.callerKeyID = sessionKeyID(hardenedAdminName)
	return st
}

// hardenedAttested: what only a person can confirm, confirmed. Root's MFA
// strength is among them: only root can list root's devices, and the
// caller is the administrator.
var hardenedAttested = []Attested{
	{ItemID: "root-password", Note: "48 random characters in the company password manager"},
	{ItemID: "root-email", Note: "aws-root@acme.example is a group address of the IT team"},
	{ItemID: "root-recovery", Note: "email with IT, phone with the CFO"},
	{ItemID: "root-multi-person", Note: "password: IT lead; security key: CFO's safe"},
	{ItemID: "root-mfa-strength", Note: "a passkey and a backup security key, checked as root"},
}

// defaultTopicPolicy is the policy SNS gives a topic made in the console:
// the owner account (aws:SourceOwner) may use it. EventBridge never sets
// aws:SourceOwner, so it cannot publish.
func defaultTopicPolicy(topicARN string) string {
	return `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow",` +
		`"Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission",` +
		`"SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"` + topicARN + `",` +
		`"Condition":{"StringEquals":{"AWS:SourceOwner":"` + AccountID + `"}}}]}`
}
