package demo

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// SnapshotVersion is the layout version of Snapshot.
const SnapshotVersion = 1

// Snapshot is the demo account's whole state as plain data that encodes to
// JSON, so a demo can continue across runs (Account.Snapshot, then
// Account.Restore in the next process). It holds no secrets: the demo has
// none (key IDs are fake and no secret keys exist). The write log and
// injected failures are not part of it.
type Snapshot struct {
	Version int `json:"version"`
	// Scenario is the scenario the state grew from ("" in older
	// snapshots: the default). Restore refuses another scenario's state.
	Scenario             string         `json:"scenario,omitempty"`
	Created              time.Time      `json:"created"`
	RootPasswordLastUsed time.Time      `json:"root_password_last_used"`
	RootKeys             []SnapshotKey  `json:"root_keys,omitempty"`
	RootCerts            []SnapshotCert `json:"root_certs,omitempty"`
	RootMFA              []SnapshotMFA  `json:"root_mfa,omitempty"`
	CallerKeyID          string         `json:"caller_key_id"`
	// Caller is the IAM user signed in ("" root, as in older snapshots).
	Caller            string                                         `json:"caller,omitempty"`
	PasswordPolicy    *awsops.PasswordPolicy                         `json:"password_policy,omitempty"`
	Alternate         map[awsops.ContactType]awsops.AlternateContact `json:"alternate_contacts,omitempty"`
	Contact           *awsops.ContactInfo                            `json:"contact,omitempty"`
	Users             []SnapshotUser                                 `json:"users,omitempty"`
	Groups            []SnapshotGroup                                `json:"groups,omitempty"`
	ServiceRoles      int                                            `json:"service_roles"`
	IdentityCenter    []awsops.IdentityCenterInstance                `json:"identity_center,omitempty"`
	Alerts            []SnapshotAlert                                `json:"alerts,omitempty"`
	Topics            []SnapshotTopic                                `json:"topics,omitempty"`
	Trails            []SnapshotTrail                                `json:"trails,omitempty"`
	Detectors         []awsops.Detector                              `json:"detectors,omitempty"`
	RegionDetectors   map[string][]awsops.Detector                   `json:"region_detectors,omitempty"`
	Budgets           []awsops.Budget                                `json:"budgets,omitempty"`
	SecurityHub       awsops.SecurityHubStatus                       `json:"security_hub"`
	Recorders         []awsops.ConfigRecorder                        `json:"config_recorders,omitempty"`
	PublicAccessBlock *awsops.PublicAccessBlock                      `json:"s3_public_access_block,omitempty"`
	Buckets           []SnapshotBucket                               `json:"buckets,omitempty"`
	TrailDetails      map[string]SnapshotTrailDetail                 `json:"trail_details,omitempty"`
	Organization      *SnapshotOrg                                   `json:"organization,omitempty"`
}

// SnapshotBucket is an S3 bucket for trail logs.
type SnapshotBucket struct {
	Name              string                    `json:"name"`
	PublicAccessBlock *awsops.PublicAccessBlock `json:"public_access_block,omitempty"`
	Encryption        string                    `json:"encryption,omitempty"`
	Policy            string                    `json:"policy,omitempty"`
}

// SnapshotOrg is the organization the account manages (org scenario).
type SnapshotOrg struct {
	ID         string              `json:"id"`
	FeatureSet string              `json:"feature_set"`
	RootID     string              `json:"root_id"`
	Units      []SnapshotOrgUnit   `json:"units,omitempty"`
	Members    []SnapshotOrgMember `json:"members,omitempty"`
	Trusted    []string            `json:"trusted_services,omitempty"`
	Features   []string            `json:"root_features,omitempty"`
	SCPs       string              `json:"scp_policy_type,omitempty"`
	Policies   []SnapshotOrgPolicy `json:"policies,omitempty"`
	NextPolicy int                 `json:"next_policy"`
}

// SnapshotOrgUnit is an OU.
type SnapshotOrgUnit struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
}

// SnapshotOrgMember is a member account.
type SnapshotOrgMember struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Parent string `json:"parent"`
	State  string `json:"state"`
}

// SnapshotOrgPolicy is a service control policy and where it is attached.
type SnapshotOrgPolicy struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Content     string   `json:"content"`
	AWSManaged  bool     `json:"aws_managed,omitempty"`
	Targets     []string `json:"targets,omitempty"`
}

// SnapshotKey is an access key (its ID only; the demo has no secrets).
type SnapshotKey struct {
	ID          string    `json:"id"`
	Active      bool      `json:"active"`
	Created     time.Time `json:"created"`
	LastUsed    time.Time `json:"last_used"`
	LastRegion  string    `json:"last_region,omitempty"`
	LastService string    `json:"last_service,omitempty"`
}

// SnapshotCert is an X.509 signing certificate.
type SnapshotCert struct {
	ID      string    `json:"id"`
	Active  bool      `json:"active"`
	Created time.Time `json:"created"`
}

// SnapshotMFA is an MFA device (its serial number only).
type SnapshotMFA struct {
	Serial    string    `json:"serial"`
	Virtual   bool      `json:"virtual"`
	EnabledAt time.Time `json:"enabled_at"`
}

// SnapshotUser is an IAM user.
type SnapshotUser struct {
	Name             string        `json:"name"`
	Created          time.Time     `json:"created"`
	Console          bool          `json:"console"`
	PasswordChanged  time.Time     `json:"password_changed"`
	PasswordLastUsed time.Time     `json:"password_last_used"`
	Keys             []SnapshotKey `json:"keys,omitempty"`
	MFA              []SnapshotMFA `json:"mfa,omitempty"`
	Policies         []string      `json:"policies,omitempty"`
	Groups           []string      `json:"groups,omitempty"`
	Boundary         string        `json:"permissions_boundary,omitempty"`
}

// SnapshotGroup is an IAM group.
type SnapshotGroup struct {
	Name     string   `json:"name"`
	Policies []string `json:"policies,omitempty"`
}

// SnapshotAlert is an EventBridge rule on the default bus (us-east-1).
type SnapshotAlert struct {
	Name    string `json:"name"`
	ARN     string `json:"arn,omitempty"`
	Enabled bool   `json:"enabled"`
	// Written since rules are kept with their pattern, state and targets
	// (the topics are in Snapshot.Topics).
	Pattern     string           `json:"pattern,omitempty"`
	State       string           `json:"state,omitempty"`
	Description string           `json:"description,omitempty"`
	Targets     []SnapshotTarget `json:"targets,omitempty"`
	// Older snapshots hold only root sign-in rules, each with its SNS
	// topics and a count of its other targets.
	Topics       []SnapshotTopic `json:"topics,omitempty"`
	OtherTargets int             `json:"other_targets,omitempty"`
}

// SnapshotTarget is a rule's target.
type SnapshotTarget struct {
	ID  string `json:"id"`
	ARN string `json:"arn"`
}

// SnapshotTopic is an SNS topic and its subscriptions.
type SnapshotTopic struct {
	ARN           string                 `json:"arn"`
	Policy        string                 `json:"policy,omitempty"`
	KMSKeyID      string                 `json:"kms_key_id,omitempty"`
	Subscriptions []SnapshotSubscription `json:"subscriptions,omitempty"`
}

// SnapshotSubscription is an SNS subscription (older snapshots have no ARN).
type SnapshotSubscription struct {
	ARN       string `json:"arn,omitempty"`
	Protocol  string `json:"protocol"`
	Endpoint  string `json:"endpoint"`
	Confirmed bool   `json:"confirmed"`
}

// SnapshotTrail is a CloudTrail trail.
type SnapshotTrail struct {
	Name         string `json:"name"`
	ARN          string `json:"arn"`
	HomeRegion   string `json:"home_region"`
	MultiRegion  bool   `json:"multi_region"`
	Organization bool   `json:"organization"`
	IsLogging    bool   `json:"is_logging"`
	// Written since the trail's event selectors are judged; older
	// snapshots only hold trails the simulation made, which record all
	// management events.
	EverStarted   bool   `json:"ever_started,omitempty"`
	Management    string `json:"management,omitempty"`
	DeliveryError string `json:"delivery_error,omitempty"`
}

// SnapshotTrailDetail is what a trail has beyond SnapshotTrail (written
// since the cloudtrail fix; simulated trails have none).
type SnapshotTrailDetail struct {
	Bucket        string                 `json:"bucket,omitempty"`
	LogValidation bool                   `json:"log_validation,omitempty"`
	GlobalEvents  bool                   `json:"global_events,omitempty"`
	Selectors     *awsops.EventSelectors `json:"selectors,omitempty"`
}

// Snapshot returns a deep copy of the account's current state.
func (a *Account) Snapshot() Snapshot {
	a.mu.Lock()
	s := snapshotOf(a.st)
	a.mu.Unlock()
	s.Scenario = a.scenario.Name
	return deepCopy(s)
}

// Restore replaces the account's state with s (from Snapshot, possibly in
// an earlier process). The root user's last sign-in moves to today when it
// is older while the demo's caller is root, signed in right now. The
// write log and injected failures are kept; the undo stack of simulations
// is emptied (it belongs to the state replaced).
func (a *Account) Restore(s Snapshot) error {
	if s.Version != SnapshotVersion {
		return fmt.Errorf("demo: snapshot version %d, want %d", s.Version, SnapshotVersion)
	}
	if s.Created.IsZero() {
		return fmt.Errorf("demo: snapshot has no creation time")
	}
	if got := cmpOr(s.Scenario, DefaultScenario); got != a.scenario.Name {
		return fmt.Errorf("demo: the snapshot is of the %s scenario, this account is the %s scenario", got, a.scenario.Name)
	}
	st := stateOf(deepCopy(s))
	if today := earlierToday(a.now().UTC().Truncate(time.Second), 14*time.Minute); st.caller == "" && st.rootPasswordLastUsed.Before(today) {
		st.rootPasswordLastUsed = today
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.st = st
	a.undo = nil
	return nil
}

// deepCopy copies s through JSON, so nothing aliases the account's state.
func deepCopy(s Snapshot) Snapshot {
	data, err := json.Marshal(s)
	if err != nil {
		panic("demo: snapshot does not encode: " + err.Error()) // plain data: cannot happen
	}
	var out Snapshot
	if err := json.Unmarshal(data, &out); err != nil {
		panic("demo: snapshot does not decode: " + err.Error())
	}
	return out
}

func snapshotOf(st *state) Snapshot {
	s := Snapshot{
		Version:              SnapshotVersion,
		Created:              st.created,
		RootPasswordLastUsed: st.rootPasswordLastUsed,
		RootKeys:             keysOut(st.rootKeys),
		RootMFA:              mfaOut(st.rootMFA),
		CallerKeyID:          st.callerKeyID,
		Caller:               st.caller,
		PasswordPolicy:       st.passwordPolicy,
		Alternate:            st.alternate,
		Contact:              st.contact,
		ServiceRoles:         st.serviceRoles,
		IdentityCenter:       st.identityCenter,
		Detectors:            st.detectors,
		RegionDetectors:      st.regionDetectors,
		Budgets:              st.budgets,
		SecurityHub:          st.securityHub,
		Recorders:            st.recorders,
		PublicAccessBlock:    st.publicAccessBlock,
		Organization:         orgOut(st.org),
	}
	for _, c := range st.rootCerts {
		s.RootCerts = append(s.RootCerts, SnapshotCert{ID: c.id, Active: c.active, Created: c.created})
	}
	for _, u := range st.users {
		s.Users = append(s.Users, SnapshotUser{Name: u.name, Created: u.created, Console: u.console,
			PasswordChanged: u.passwordChanged, PasswordLastUsed: u.passwordLastUsed,
			Keys: keysOut(u.keys), MFA: mfaOut(u.mfa), Policies: u.policies, Groups: u.groups, Boundary: u.boundary})
	}
	for _, g := range st.groups {
		s.Groups = append(s.Groups, SnapshotGroup{Name: g.name, Policies: g.policies})
	}
	for _, r := range st.rules {
		sa := SnapshotAlert{Name: r.name, ARN: r.arn, Enabled: r.enabled(), Pattern: r.pattern, State: r.state, Description: r.description}
		for _, t := range r.targets {
			sa.Targets = append(sa.Targets, SnapshotTarget{ID: t.ID, ARN: t.ARN})
		}
		s.Alerts = append(s.Alerts, sa)
	}
	for _, t := range st.topics {
		top := SnapshotTopic{ARN: t.arn, Policy: t.policy, KMSKeyID: t.kmsKeyID}
		for _, sub := range t.subs {
			top.Subscriptions = append(top.Subscriptions, SnapshotSubscription{ARN: sub.arn, Protocol: sub.protocol, Endpoint: sub.endpoint, Confirmed: sub.confirmed})
		}
		s.Topics = append(s.Topics, top)
	}
	for _, t := range st.trails {
		s.Trails = append(s.Trails, SnapshotTrail{Name: t.Name, ARN: t.ARN, HomeRegion: t.HomeRegion,
			MultiRegion: t.MultiRegion, Organization: t.Organization, IsLogging: t.IsLogging,
			EverStarted: t.EverStarted, Management: t.Management, DeliveryError: t.DeliveryError})
	}
	for name, d := range st.trailDetails {
		if s.TrailDetails == nil {
			s.TrailDetails = map[string]SnapshotTrailDetail{}
		}
		s.TrailDetails[name] = SnapshotTrailDetail{Bucket: d.bucket, LogValidation: d.logValidation, GlobalEvents: d.globalEvents, Selectors: d.selectors}
	}
	for _, b := range st.buckets {
		s.Buckets = append(s.Buckets, SnapshotBucket{Name: b.name, PublicAccessBlock: b.pab, Encryption: b.encryption, Policy: b.policy})
	}
	return s
}

func stateOf(s Snapshot) *state {
	st := &state{
		created:              s.Created,
		rootPasswordLastUsed: s.RootPasswordLastUsed,
		rootKeys:             keysIn(s.RootKeys),
		rootMFA:              mfaIn(s.RootMFA),
		callerKeyID:          s.CallerKeyID,
		caller:               s.Caller,
		passwordPolicy:       s.PasswordPolicy,
		alternate:            s.Alternate,
		contact:              s.Contact,
		serviceRoles:         s.ServiceRoles,
		identityCenter:       s.IdentityCenter,
		detectors:            s.Detectors,
		regionDetectors:      s.RegionDetectors,
		budgets:              s.Budgets,
		securityHub:          s.SecurityHub,
		recorders:            s.Recorders,
		publicAccessBlock:    s.PublicAccessBlock,
		org:                  orgIn(s.Organization),
	}
	if st.alternate == nil {
		st.alternate = map[awsops.ContactType]awsops.AlternateContact{}
	}
	for _, c := range s.RootCerts {
		st.rootCerts = append(st.rootCerts, signingCert{id: c.ID, active: c.Active, created: c.Created})
	}
	for _, u := range s.Users {
		st.addUser(iamUser{name: u.Name, created: u.Created, console: u.Console,
			passwordChanged: u.PasswordChanged, passwordLastUsed: u.PasswordLastUsed,
			keys: keysIn(u.Keys), mfa: mfaIn(u.MFA), policies: u.Policies, groups: u.Groups, boundary: u.Boundary})
	}
	for _, g := range s.Groups {
		st.groups = append(st.groups, iamGroup{name: g.Name, policies: g.Policies})
	}
	for _, t := range s.Topics {
		st.addSnapshotTopic(t)
	}
	for _, r := range s.Alerts {
		st.rules = append(st.rules, st.ruleOf(r))
	}
	for _, t := range s.Trails {
		tr := awsops.Trail{Name: t.Name, ARN: t.ARN, HomeRegion: t.HomeRegion,
			MultiRegion: t.MultiRegion, Organization: t.Organization, IsLogging: t.IsLogging,
			EverStarted: t.EverStarted || t.IsLogging, Management: t.Management, DeliveryError: t.DeliveryError}
		if tr.Management == "" { // older snapshots
			tr.Management = awsops.ManagementAll
		}
		st.trails = append(st.trails, tr)
	}
	for name, d := range s.TrailDetails {
		st.setDetail(name, trailDetail{bucket: d.Bucket, logValidation: d.LogValidation, globalEvents: d.GlobalEvents, selectors: d.Selectors})
	}
	for _, b := range s.Buckets {
		st.buckets = append(st.buckets, logBucket{name: b.Name, pab: b.PublicAccessBlock, encryption: b.Encryption, policy: b.Policy})
	}
	return st
}

func keysOut(in []accessKey) []SnapshotKey {
	var out []SnapshotKey
	for _, k := range in {
		out = append(out, SnapshotKey{ID: k.id, Active: k.active, Created: k.created, LastUsed: k.lastUsed,
			LastRegion: k.lastRegion, LastService: k.lastService})
	}
	return out
}

func keysIn(in []SnapshotKey) []accessKey {
	var out []accessKey
	for _, k := range in {
		out = append(out, accessKey{id: k.ID, active: k.Active, created: k.Created, lastUsed: k.LastUsed,
			lastRegion: k.LastRegion, lastService: k.LastService})
	}
	return out
}

func mfaOut(in []mfaDevice) []SnapshotMFA {
	var out []SnapshotMFA
	for _, m := range in {
		out = append(out, SnapshotMFA{Serial: m.serial, Virtual: m.virtual, EnabledAt: m.enabledAt})
	}
	return out
}

func mfaIn(in []SnapshotMFA) []mfaDevice {
	var out []mfaDevice
	for _, m := range in {
		out = append(out, mfaDevice{serial: m.Serial, virtual: m.Virtual, enabledAt: m.EnabledAt})
	}
	return out
}

// addSnapshotTopic adds a topic, giving subscriptions of older snapshots
// an ARN.
func (st *state) addSnapshotTopic(t SnapshotTopic) {
	st.topics = append(st.topics, snsTopic{arn: t.ARN, policy: t.Policy, kmsKeyID: t.KMSKeyID})
	i := len(st.topics) - 1
	for _, sub := range t.Subscriptions {
		arn := sub.ARN
		if arn == "" {
			arn = st.nextSubscriptionARN(t.ARN)
		}
		st.topics[i].subs = append(st.topics[i].subs, snsSubscription{arn: arn, protocol: sub.Protocol, endpoint: sub.Endpoint, confirmed: sub.Confirmed})
	}
}

// ruleOf is a snapshot's rule; an older snapshot's root sign-in rule gets
// the root sign-in pattern, its topics as targets (and in Topics) and a
// Lambda target for each other target.
func (st *state) ruleOf(r SnapshotAlert) ebRule {
	rule := ebRule{name: r.Name, arn: r.ARN, pattern: r.Pattern, state: r.State, description: r.Description}
	if rule.arn == "" {
		rule.arn = alertRuleARN(r.Name)
	}
	for _, t := range r.Targets {
		rule.targets = append(rule.targets, awsops.RuleTarget{ID: t.ID, ARN: t.ARN})
	}
	if r.State != "" {
		return rule
	}
	rule.pattern, rule.state = awsops.RootSignInPattern, awsops.RuleDisabled
	if r.Enabled {
		rule.state = awsops.RuleEnabled
	}
	for i, t := range r.Topics {
		if st.topic(t.ARN) == nil {
			if t.Policy == "" { // the simulation's working topic
				t.Policy = eventBridgeTopicPolicy(t.ARN)
			}
			st.addSnapshotTopic(t)
		}
		rule.targets = append(rule.targets, awsops.RuleTarget{ID: fmt.Sprintf("sns-%d", i+1), ARN: t.ARN})
	}
	for i := range r.OtherTargets {
		rule.targets = append(rule.targets, awsops.RuleTarget{ID: fmt.Sprintf("other-%d", i+1),
			ARN: fmt.Sprintf("arn:aws:lambda:%s:%s:function:alert-%d", alertRegion, AccountID, i+1)})
	}
	return rule
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orgOut(o *orgState) *SnapshotOrg {
	if o == nil {
		return nil
	}
	s := &SnapshotOrg{ID: o.id, FeatureSet: o.featureSet, RootID: o.rootID, Trusted: o.trusted, Features: o.features,
		SCPs: o.scpType, NextPolicy: o.nextPolicy}
	for _, u := range o.units {
		s.Units = append(s.Units, SnapshotOrgUnit{ID: u.id, Name: u.name, Parent: u.parent})
	}
	for _, m := range o.members {
		s.Members = append(s.Members, SnapshotOrgMember{ID: m.id, Name: m.name, Email: m.email, Parent: m.parent, State: m.state})
	}
	for _, p := range o.policies {
		s.Policies = append(s.Policies, SnapshotOrgPolicy{ID: p.id, Name: p.name, Description: p.description, Content: p.content,
			AWSManaged: p.awsManaged, Targets: p.targets})
	}
	return s
}

func orgIn(s *SnapshotOrg) *orgState {
	if s == nil {
		return nil
	}
	o := &orgState{id: s.ID, featureSet: s.FeatureSet, rootID: s.RootID, trusted: s.Trusted, features: s.Features,
		scpType: s.SCPs, nextPolicy: s.NextPolicy}
	for _, u := range s.Units {
		o.units = append(o.units, orgUnit{id: u.ID, name: u.Name, parent: u.Parent})
	}
	for _, m := range s.Members {
		o.members = append(o.members, orgMember{id: m.ID, name: m.Name, email: m.Email, parent: m.Parent, state: m.State})
	}
	for _, p := range s.Policies {
		o.policies = append(o.policies, orgPolicy{id: p.ID, name: p.Name, description: p.Description, content: p.Content,
			awsManaged: p.AWSManaged, targets: p.Targets})
	}
	return o
}
