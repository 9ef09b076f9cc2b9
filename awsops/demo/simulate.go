package demo

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// Errors from Simulate.
var (
	ErrUnknownItem    = errors.New("unknown checklist item")
	ErrCannotSimulate = errors.New("cannot be simulated")
)

// simulation is what "doing it in the console" does to the demo account.
type simulation struct {
	note  string // what the person did, for the wizard to show
	apply func(st *state, now time.Time)
}

// simulations covers every live-verified item whose fix is a console
// action or not automated yet. Each apply is idempotent.
var simulations = map[string]simulation{
	"root-mfa": {"Signed in as root and registered a passkey as the root user's MFA device.",
		(*state).ensureRootMFA},
	"root-mfa-strength": {"Registered a second, backup security key for the root user.",
		(*state).ensureRootBackupMFA},
	"root-access-keys": {"Deactivated, then deleted, the root user's access keys.",
		func(st *state, _ time.Time) { st.rootKeys = nil }},
	"root-signing-certs": {"Deleted the root user's X.509 signing certificates.",
		func(st *state, _ time.Time) { st.rootCerts = nil }},
	"iam-users-mfa": {"Each IAM user with a console password enabled an authenticator app.",
		(*state).ensureUsersMFA},
	"access-key-hygiene": {"Rotated old access keys (new key issued, old one deleted) and removed second active keys.",
		(*state).rotateOldKeys},
	"cloudtrail": {"Created the multi-region trail \"management-events\" and started logging.",
		(*state).ensureTrail},
	"guardduty": {"Enabled GuardDuty in every enabled region (30-day free trial per region, then paid).",
		(*state).ensureDetector},
	"admin-identity": {"Created group Administrators (AdministratorAccess) and user \"admin\" with a console password and an authenticator app.",
		(*state).ensureAdmin},
	"root-activity-alert": {"Clicked \"Confirm subscription\" in the email AWS sent (after rootguard's fix); without one, created in the console an SNS topic EventBridge may publish to, a confirmed email subscription and an EventBridge rule for root sign-in in us-east-1.",
		(*state).ensureRootAlert},
	"budget-alert": {"Created a monthly cost budget of 50 USD that emails at 80% of actual spend.",
		(*state).ensureBudget},
	"alternate-contacts": {"Filled in the security, billing and operations contacts.",
		(*state).ensureAlternateContacts},
	"contact-info": {"Completed the primary contact information.",
		(*state).ensureContactInfo},
	"password-policy": {"Set the recommended IAM password policy (14+ characters, all character types, reuse 24).",
		(*state).ensurePasswordPolicy},
	"s3-block-public-access": {"Turned on all four Block Public Access settings for the account in the S3 console.",
		(*state).ensurePublicAccessBlock},
	"org-root-access": {"Enabled trusted access for IAM in Organizations, then root credentials management and root sessions in IAM's Root access management.",
		(*state).ensureOrgRootAccess},
	"org-root-scp": {"Enabled service control policies, then created an SCP denying member-account root and attached it to the organization root.",
		(*state).ensureOrgRootSCP},
}

// rootOnlyItems are the items only the root user can do in the console:
// simulating one while the caller is an administrator signs in as root.
var rootOnlyItems = []string{"root-mfa", "root-mfa-strength", "root-access-keys", "root-signing-certs"}

// orgItems are the items only a demo with an organization can simulate.
var orgItems = []string{"org-root-access", "org-root-scp"}

// notSimulated are the known items Simulate refuses, with why.
var notSimulated = map[string]string{
	"caller":             "it is a header, not a fix",
	"credential-report":  "the report is generated for you; it turns green when the items it points to (root keys, user MFA, old keys) are fixed",
	"root-usage":         "root really was used: it turns green once you work as an administrator (create one with admin-identity, then sign in as it) and root has not been used since that administrator was created",
	"root-password":      "it is attested by the user",
	"root-email":         "it is attested by the user",
	"root-recovery":      "it is attested by the user",
	"root-multi-person":  "it is attested by the user",
	"security-questions": "it is information only",
	"detective-services": "it is information only",
}

// noOrg says why an organization item cannot be simulated in a scenario
// without an organization.
const noOrg = "this demo account is not in an organization (the org scenario is)"

// CanSimulate reports whether Simulate can act out itemID's fix. Root's
// backup MFA device, once registered, cannot be simulated again for an
// administrator caller: the check cannot see root's devices then, and
// asks for the person's mark instead.
func (a *Account) CanSimulate(itemID string) bool {
	_, ok := simulations[itemID]
	if !ok {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case slices.Contains(orgItems, itemID):
		return a.st.org != nil
	case itemID == "root-mfa-strength" && a.st.caller != "":
		return !a.st.rootMFAStrong()
	}
	return true
}

// rootMFAStrong: root has two devices or more, one of them a passkey or
// security key.
func (st *state) rootMFAStrong() bool {
	return len(st.rootMFA) >= 2 && slices.ContainsFunc(st.rootMFA, func(d mfaDevice) bool { return !d.virtual })
}

// SimulationNote says in one line what simulating itemID does ("" when it
// cannot be simulated).
func (a *Account) SimulationNote(itemID string) string {
	return simulations[itemID].note
}

// Simulate changes the account as if a person had fixed itemID in the AWS
// console. It is for the demo only, makes no entry in Writes, and does
// nothing when the item is already done. A simulation that changed
// something can be undone (UndoSimulation).
func (a *Account) Simulate(itemID string) error {
	sim, ok := simulations[itemID]
	if !ok {
		if why, known := notSimulated[itemID]; known {
			return fmt.Errorf("%s %w: %s", itemID, ErrCannotSimulate, why)
		}
		return fmt.Errorf("%w %q", ErrUnknownItem, itemID)
	}
	now := a.now().UTC().Truncate(time.Second)
	a.mu.Lock()
	defer a.mu.Unlock()
	if slices.Contains(orgItems, itemID) && a.st.org == nil {
		return fmt.Errorf("%s %w: %s", itemID, ErrCannotSimulate, noOrg)
	}
	if itemID == "root-mfa-strength" && a.st.caller != "" && a.st.rootMFAStrong() {
		return fmt.Errorf("%s %w: root already has a passkey and a backup device; an administrator cannot see root's devices, so mark it done", itemID, ErrCannotSimulate)
	}
	before := snapshotOf(a.st)
	sim.apply(a.st, now)
	if slices.Contains(rootOnlyItems, itemID) && a.st.caller != "" && !reflect.DeepEqual(before, snapshotOf(a.st)) {
		// Only root can do it: the person signed in as root again.
		a.st.rootPasswordLastUsed = now
	}
	a.pushUndo(itemID, sim.note, before)
	return nil
}

// Serial numbers of the devices the simulations register.
const (
	rootPasskeySerial   = "arn:aws:iam::" + AccountID + ":u2f/root/laptop-passkey-KZQ4HV3D7XW2NOPE5TRY"
	rootBackupKeySerial = "arn:aws:iam::" + AccountID + ":u2f/root/yubikey-backup-M8PA3RC6JDF2QWEX9TLB"
	adminUserName       = "admin"
	adminsGroup         = "Administrators"
)

func (st *state) ensureRootMFA(now time.Time) {
	if len(st.rootMFA) == 0 {
		st.rootMFA = append(st.rootMFA, mfaDevice{serial: rootPasskeySerial, enabledAt: now})
	}
}

// ensureRootBackupMFA leaves root with at least two devices, at least one
// of them phishing-resistant.
func (st *state) ensureRootBackupMFA(now time.Time) {
	st.ensureRootMFA(now)
	if st.rootMFAStrong() {
		return
	}
	st.rootMFA = append(st.rootMFA, mfaDevice{serial: rootBackupKeySerial, enabledAt: now})
}

func (st *state) ensureUsersMFA(now time.Time) {
	for i := range st.users {
		u := &st.users[i]
		if u.console && len(u.mfa) == 0 {
			u.mfa = append(u.mfa, mfaDevice{serial: "arn:aws:iam::" + AccountID + ":mfa/" + u.name, virtual: true, enabledAt: now})
		}
	}
}

// Key hygiene thresholds (the checklist's).
const (
	maxKeyAge    = 90 * 24 * time.Hour
	maxKeyUnused = 45 * 24 * time.Hour
)

// rotateOldKeys replaces active keys older than 90 days or unused for 45
// days with fresh ones and deletes a user's second active key.
func (st *state) rotateOldKeys(now time.Time) {
	for i := range st.users {
		u := &st.users[i]
		var kept []accessKey
		for _, k := range u.keys {
			if !k.active {
				continue // inactive keys are deleted on the way
			}
			if len(kept) == 1 {
				continue // a second active key
			}
			lastUse := k.lastUsed
			if lastUse.IsZero() {
				lastUse = k.created
			}
			if now.Sub(k.created) > maxKeyAge || now.Sub(lastUse) > maxKeyUnused {
				k = accessKey{id: rotatedKeyID(k.id), active: true, created: now}
			}
			kept = append(kept, k)
		}
		u.keys = kept
	}
}

// rotatedKeyID makes a believable new key ID from the old one.
func rotatedKeyID(old string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := []byte(old)
	for i := len(b) - 1; i >= 12; i-- {
		b[i] = alphabet[(int(b[i])*7+i)%len(alphabet)]
	}
	return string(b)
}

func (st *state) ensureTrail(time.Time) {
	for i, t := range st.trails {
		if t.MultiRegion {
			st.trails[i].IsLogging, st.trails[i].EverStarted = true, true
			st.trails[i].Management, st.trails[i].DeliveryError = awsops.ManagementAll, ""
			return
		}
	}
	st.trails = append(st.trails, awsops.Trail{
		Name:        "management-events",
		ARN:         "arn:aws:cloudtrail:" + HomeRegion + ":" + AccountID + ":trail/management-events",
		HomeRegion:  HomeRegion,
		MultiRegion: true,
		IsLogging:   true,
		EverStarted: true,
		Management:  awsops.ManagementAll,
	})
}

// ensureDetector turns GuardDuty on in every enabled region (one detector
// per region).
func (st *state) ensureDetector(time.Time) {
	if len(st.detectors) > 0 {
		st.detectors[0].Enabled = true
	} else {
		st.detectors = []awsops.Detector{{ID: detectorID(HomeRegion), Enabled: true}}
		st.serviceRoles++ // AWSServiceRoleForAmazonGuardDuty
	}
	if st.regionDetectors == nil {
		st.regionDetectors = map[string][]awsops.Detector{}
	}
	for _, region := range Regions {
		if region == HomeRegion {
			continue
		}
		dets := st.regionDetectors[region]
		if len(dets) > 0 {
			dets[0].Enabled = true
			continue
		}
		st.regionDetectors[region] = []awsops.Detector{{ID: detectorID(region), Enabled: true}}
	}
}

func (st *state) ensureAdmin(now time.Time) {
	for _, u := range st.users {
		if st.workingAdmin(u) {
			return
		}
	}
	if st.group(adminsGroup) == nil {
		st.groups = append(st.groups, iamGroup{name: adminsGroup})
	}
	g := st.group(adminsGroup)
	if !slices.Contains(g.policies, AdministratorAccessARN) {
		g.policies = append(g.policies, AdministratorAccessARN)
	}
	if st.user(adminUserName) == nil {
		st.addUser(iamUser{name: adminUserName, created: now})
	}
	u := st.user(adminUserName)
	if !slices.Contains(u.groups, adminsGroup) {
		u.groups = append(u.groups, adminsGroup)
	}
	if !u.console {
		u.console, u.passwordChanged = true, now
	}
	if len(u.mfa) == 0 {
		u.mfa = append(u.mfa, mfaDevice{serial: "arn:aws:iam::" + AccountID + ":mfa/" + adminUserName, virtual: true, enabledAt: now})
	}
}

const securityEmail = "security@acme.example"

// ensureRootAlert confirms the email subscriptions waiting for it (the
// person clicking the link AWS sent, after rootguard's fix). When no rule
// works then, it makes the whole path as a person would in the console: an enabled
// rule, an unencrypted topic of this account whose policy lets EventBridge
// publish, and a confirmed email subscription.
func (st *state) ensureRootAlert(time.Time) {
	st.confirmPendingEmails()
	for _, r := range st.rootSignInAlerts() {
		if r.Enabled && r.Misses == "" && slices.ContainsFunc(r.Topics, func(t awsops.AlertTopic) bool { return confirmedEmail(t, r.ARN) }) {
			return
		}
	}
	topic := topicARN("rootguard-root-activity")
	if st.topic(topic) == nil {
		st.topics = append(st.topics, snsTopic{arn: topic, policy: eventBridgeTopicPolicy(topic)})
	}
	t := st.topic(topic)
	if !awsops.TopicPolicyLetsEventBridgePublish(t.policy, topic, alertRuleARN("rootguard-root-sign-in")).Allowed {
		t.policy = eventBridgeTopicPolicy(topic)
	}
	t.subs = append(t.subs, snsSubscription{arn: st.nextSubscriptionARN(topic), protocol: "email", endpoint: securityEmail, confirmed: true})
	if r := st.rule("rootguard-root-sign-in"); r != nil {
		r.pattern, r.state = awsops.RootSignInPattern, awsops.RuleEnabled
		r.targets = append(r.targets, awsops.RuleTarget{ID: "email-security", ARN: topic})
		return
	}
	st.rules = append(st.rules, ebRule{name: "rootguard-root-sign-in", arn: alertRuleARN("rootguard-root-sign-in"),
		pattern: awsops.RootSignInPattern, state: awsops.RuleEnabled,
		targets: []awsops.RuleTarget{{ID: "email-security", ARN: topic}}})
}

func confirmedEmail(t awsops.AlertTopic, ruleARN string) bool {
	return awsops.TopicPolicyLetsEventBridgePublish(t.Policy, t.ARN, ruleARN).Allowed &&
		slices.ContainsFunc(t.Subscriptions, func(s awsops.Subscription) bool {
			return s.Protocol == "email" && s.Confirmed
		})
}

func (st *state) ensureBudget(time.Time) {
	for _, b := range st.budgets {
		if b.Type == "COST" && len(b.CostFilters) == 0 && slices.ContainsFunc(b.Notifications, func(n awsops.BudgetNotification) bool { return n.EmailSubscribers > 0 }) {
			return
		}
	}
	st.budgets = append(st.budgets, awsops.Budget{
		Name: "monthly-cost", Type: "COST", Limit: "50.0", Unit: "USD", TimeUnit: "MONTHLY",
		Notifications: []awsops.BudgetNotification{{
			Type: "ACTUAL", Comparison: "GREATER_THAN", Threshold: 80, ThresholdType: "PERCENTAGE", EmailSubscribers: 1,
		}},
	})
}

// The people the simulations fill in: three different people, so the
// alternate-contacts check has nothing to warn about.
var demoContacts = []awsops.AlternateContact{
	{Type: awsops.ContactSecurity, Name: "Dana Whitfield", Title: "Security Lead", Email: securityEmail, Phone: "+1 206 555 0142"},
	{Type: awsops.ContactBilling, Name: "Priya Raman", Title: "Finance Manager", Email: "billing@acme.example", Phone: "+1 206 555 0117"},
	{Type: awsops.ContactOperations, Name: "Marcus Oyelaran", Title: "Head of Platform", Email: "ops@acme.example", Phone: "+1 206 555 0163"},
}

func (st *state) ensureAlternateContacts(time.Time) {
	for _, c := range demoContacts {
		if _, ok := st.alternate[c.Type]; !ok {
			st.alternate[c.Type] = c
		}
	}
}

func (st *state) ensureContactInfo(time.Time) {
	c := awsops.ContactInfo{}
	if st.contact != nil {
		c = *st.contact
	}
	fill := func(field *string, v string) {
		if *field == "" {
			*field = v
		}
	}
	fill(&c.FullName, "Jordan Lee")
	fill(&c.AddressLine1, "1200 Harbor Avenue SW")
	fill(&c.City, "Seattle")
	fill(&c.PostalCode, "98126")
	fill(&c.CountryCode, "US")
	if statesRequired[c.CountryCode] {
		fill(&c.StateOrRegion, "WA")
	}
	fill(&c.PhoneNumber, "+1 206 555 0100")
	if c.PhoneNumber[0] != '+' {
		c.PhoneNumber = "+1 206 555 0100"
	}
	st.contact = &c
}

// recommendedPasswordPolicy is the checklist's "recommended" preset (CIS).
func recommendedPasswordPolicy() awsops.PasswordPolicy {
	return awsops.PasswordPolicy{
		MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
		RequireSymbols: true, AllowUsersToChange: true, ReusePrevention: 24,
	}
}

func (st *state) ensurePasswordPolicy(time.Time) {
	p := st.passwordPolicy
	good := p != nil && p.MinimumLength >= 14 && p.ReusePrevention == 24 && p.RequireUppercase &&
		p.RequireLowercase && p.RequireNumbers && p.RequireSymbols && p.AllowUsersToChange
	if !good {
		rec := recommendedPasswordPolicy()
		st.passwordPolicy = &rec
	}
}
