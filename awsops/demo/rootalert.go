package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// EventBridge and SNS in us-east-1, for the root-activity-alert check and
// fix: rules on the default bus with their targets, topics with their
// policies and subscriptions. Writes are validated like AWS does; an email
// subscription waits for confirmation, which Simulate("root-activity-alert")
// gives (the person clicking the link).

var (
	_ awsops.RootAlertDirectory = (*Account)(nil)
	_ awsops.RootAlertWriter    = (*Account)(nil)
)

// alertRegion is where the demo's alerts live (the sign-in events region).
const alertRegion = "us-east-1"

type snsTopic struct {
	arn      string
	policy   string
	kmsKeyID string
	subs     []snsSubscription
}

type snsSubscription struct {
	arn       string
	protocol  string
	endpoint  string
	confirmed bool
}

type ebRule struct {
	name        string
	arn         string
	pattern     string
	state       string
	description string
	targets     []awsops.RuleTarget
}

func (r ebRule) enabled() bool {
	return r.state == awsops.RuleEnabled || r.state == awsops.RuleEnabledAllManagement
}

func (st *state) topic(arn string) *snsTopic {
	for i := range st.topics {
		if st.topics[i].arn == arn {
			return &st.topics[i]
		}
	}
	return nil
}

func (st *state) rule(name string) *ebRule {
	for i := range st.rules {
		if st.rules[i].name == name {
			return &st.rules[i]
		}
	}
	return nil
}

func topicARN(name string) string { return "arn:aws:sns:" + alertRegion + ":" + AccountID + ":" + name }

func alertRuleARN(name string) string {
	return "arn:aws:events:" + alertRegion + ":" + AccountID + ":rule/" + name
}

// nextSubscriptionARN makes a subscription ARN no subscription has had.
func (st *state) nextSubscriptionARN(topic string) string {
	n := 1
	for _, t := range st.topics {
		n += len(t.subs)
	}
	for {
		arn := fmt.Sprintf("%s:5e1c0d2a-7b3f-4a9e-8c6d-%012x", topic, n)
		if !st.hasSubscription(arn) {
			return arn
		}
		n++
	}
}

func (st *state) hasSubscription(arn string) bool {
	for _, t := range st.topics {
		for _, s := range t.subs {
			if s.arn == arn {
				return true
			}
		}
	}
	return false
}

// rootSignInAlerts derives the check's view: every rule whose pattern
// matches a root sign-in, with its SNS targets followed.
func (st *state) rootSignInAlerts() []awsops.AlertRule {
	var out []awsops.AlertRule
	for _, r := range st.rules {
		if !awsops.PatternMatchesRootSignIn(r.pattern, AccountID) {
			continue
		}
		ar := awsops.AlertRule{Name: r.name, ARN: r.arn, Enabled: r.enabled(), Misses: awsops.PatternMisses(r.pattern, AccountID)}
		for _, tg := range r.targets {
			if !strings.HasPrefix(tg.ARN, "arn:aws:sns:") {
				ar.OtherTargets++
				continue
			}
			t := st.topic(tg.ARN)
			if t == nil {
				ar.Topics = append(ar.Topics, awsops.AlertTopic{ARN: tg.ARN, AttrErr: snsNotFound("RootSignInAlerts")})
				continue
			}
			ar.Topics = append(ar.Topics, t.alertTopic())
		}
		out = append(out, ar)
	}
	return out
}

func (t snsTopic) alertTopic() awsops.AlertTopic {
	at := awsops.AlertTopic{ARN: t.arn, Policy: t.policy, KMSKeyID: t.kmsKeyID}
	for _, s := range t.subs {
		at.Subscriptions = append(at.Subscriptions, awsops.Subscription{Protocol: s.protocol, Endpoint: s.endpoint, Confirmed: s.confirmed})
	}
	return at
}

func snsNotFound(op string) error {
	return &awsops.Error{Kind: awsops.KindNotFound, Permission: permissions[op], Code: "NotFound", Message: "Topic does not exist"}
}

func eventsError(op, code, msg string) error {
	kind := awsops.KindOther
	if code == "ResourceNotFoundException" {
		kind = awsops.KindNotFound
	}
	return &awsops.Error{Kind: kind, Permission: permissions[op], Code: code, Message: msg}
}

func snsInvalid(op, msg string) error {
	return &awsops.Error{Kind: awsops.KindOther, Permission: permissions[op], Code: "InvalidParameter", Message: "Invalid parameter: " + msg}
}

// RootAlertSetup reads the topic and rule with rootguard's names.
func (a *Account) RootAlertSetup(ctx context.Context, caller awsops.Identity) (*awsops.RootAlertSetup, error) {
	return read(a, ctx, "RootAlertSetup", func(st *state) (*awsops.RootAlertSetup, error) {
		if caller.Account != AccountID {
			return nil, AccessDenied(permissions["RootAlertSetup"])
		}
		s := &awsops.RootAlertSetup{Region: alertRegion}
		s.TopicARN, s.RuleARN = awsops.RootAlertARNs("aws", alertRegion, AccountID)
		if t := st.topic(s.TopicARN); t != nil {
			at := t.alertTopic()
			s.Topic = &at
		}
		if r := st.rule(awsops.RootAlertRuleName); r != nil {
			s.Rule = &awsops.RuleSetup{Name: r.name, ARN: r.arn, Pattern: r.pattern, State: r.state,
				Description: r.description, Targets: slices.Clone(r.targets)}
		}
		return s, nil
	})
}

var (
	topicNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	ruleNamePattern  = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,64}$`)
	targetIDPattern  = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,64}$`)
)

// validPolicy checks a topic policy like SNS does: a JSON object with
// statements, within the size limit.
func validPolicy(op, policy string) error {
	var doc struct {
		Statement json.RawMessage
	}
	if len(policy) > awsops.MaxTopicPolicyBytes {
		return snsInvalid(op, "Policy is too long")
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil || len(doc.Statement) == 0 {
		return snsInvalid(op, "Policy: Invalid policy document")
	}
	return nil
}

// CreateAlertTopic creates the topic; like SNS, the same name with the same
// attributes returns the existing topic, with others it is refused.
func (a *Account) CreateAlertTopic(ctx context.Context, name, policy string) (string, error) {
	arn := topicARN(name)
	err := a.write(ctx, "CreateAlertTopic", "Name="+name, func(st *state) error {
		if !topicNamePattern.MatchString(name) {
			return snsInvalid("CreateAlertTopic", "Topic Name")
		}
		if err := validPolicy("CreateAlertTopic", policy); err != nil {
			return err
		}
		if t := st.topic(arn); t != nil {
			if t.policy != policy {
				return snsInvalid("CreateAlertTopic", "Topic already exists with different attributes")
			}
			return nil
		}
		st.topics = append(st.topics, snsTopic{arn: arn, policy: policy})
		return nil
	})
	if err != nil {
		return "", err
	}
	return arn, nil
}

// DeleteAlertTopic deletes the topic and its subscriptions; a topic that
// does not exist is no error (as in SNS).
func (a *Account) DeleteAlertTopic(ctx context.Context, arn string) error {
	return a.write(ctx, "DeleteAlertTopic", "TopicArn="+arn, func(st *state) error {
		st.topics = slices.DeleteFunc(st.topics, func(t snsTopic) bool { return t.arn == arn })
		return nil
	})
}

func (a *Account) SetAlertTopicPolicy(ctx context.Context, arn, policy string) error {
	return a.write(ctx, "SetAlertTopicPolicy", "TopicArn="+arn+" AttributeName=Policy", func(st *state) error {
		t := st.topic(arn)
		if t == nil {
			return snsNotFound("SetAlertTopicPolicy")
		}
		if err := validPolicy("SetAlertTopicPolicy", policy); err != nil {
			return err
		}
		t.policy = policy
		return nil
	})
}

// SubscribeEmail adds a pending email subscription; an address already
// subscribed gets its subscription back (a pending one, a new link).
func (a *Account) SubscribeEmail(ctx context.Context, topic, email string) (string, error) {
	var arn string
	err := a.write(ctx, "SubscribeEmail", "TopicArn="+topic+" Protocol=email", func(st *state) error {
		t := st.topic(topic)
		if t == nil {
			return snsNotFound("SubscribeEmail")
		}
		if !strings.Contains(email, "@") || len(email) > 254 {
			return snsInvalid("SubscribeEmail", "Invalid parameter: Email address")
		}
		for _, s := range t.subs {
			if s.protocol == "email" && strings.EqualFold(s.endpoint, email) {
				arn = s.arn
				return nil
			}
		}
		arn = st.nextSubscriptionARN(topic)
		t.subs = append(t.subs, snsSubscription{arn: arn, protocol: "email", endpoint: email})
		return nil
	})
	if err != nil {
		return "", err
	}
	return arn, nil
}

func (a *Account) UnsubscribeEmail(ctx context.Context, subscriptionARN string) error {
	return a.write(ctx, "UnsubscribeEmail", "SubscriptionArn="+subscriptionARN, func(st *state) error {
		for i := range st.topics {
			t := &st.topics[i]
			if j := slices.IndexFunc(t.subs, func(s snsSubscription) bool { return s.arn == subscriptionARN }); j >= 0 {
				t.subs = slices.Delete(t.subs, j, j+1)
				return nil
			}
		}
		return &awsops.Error{Kind: awsops.KindNotFound, Permission: permissions["UnsubscribeEmail"], Code: "NotFound", Message: "Subscription does not exist"}
	})
}

// PutAlertRule creates or replaces a rule, checking its name, pattern and
// state as EventBridge does.
func (a *Account) PutAlertRule(ctx context.Context, r awsops.AlertRuleSpec) (string, error) {
	arn := alertRuleARN(r.Name)
	err := a.write(ctx, "PutAlertRule", "Name="+r.Name+" State="+r.State, func(st *state) error {
		if !ruleNamePattern.MatchString(r.Name) {
			return eventsError("PutAlertRule", "ValidationException", "1 validation error detected: Value at 'name' failed to satisfy constraint")
		}
		var p map[string]any
		if json.Unmarshal([]byte(r.Pattern), &p) != nil || len(p) == 0 {
			return eventsError("PutAlertRule", "InvalidEventPatternException", "Event pattern is not valid")
		}
		switch r.State {
		case awsops.RuleEnabled, awsops.RuleDisabled, awsops.RuleEnabledAllManagement:
		default:
			return eventsError("PutAlertRule", "ValidationException", "1 validation error detected: Value at 'state' failed to satisfy constraint")
		}
		if len(r.Description) > 512 {
			return eventsError("PutAlertRule", "ValidationException", "1 validation error detected: Value at 'description' failed to satisfy constraint")
		}
		if old := st.rule(r.Name); old != nil {
			old.pattern, old.state, old.description = r.Pattern, r.State, r.Description
			return nil
		}
		st.rules = append(st.rules, ebRule{name: r.Name, arn: arn, pattern: r.Pattern, state: r.State, description: r.Description})
		return nil
	})
	if err != nil {
		return "", err
	}
	return arn, nil
}

// DeleteAlertRule deletes a rule without targets (EventBridge refuses one
// that has targets).
func (a *Account) DeleteAlertRule(ctx context.Context, name string) error {
	return a.write(ctx, "DeleteAlertRule", "Name="+name, func(st *state) error {
		r := st.rule(name)
		if r == nil {
			return nil
		}
		if len(r.targets) > 0 {
			return eventsError("DeleteAlertRule", "ValidationException", "Rule can't be deleted since it has targets.")
		}
		st.rules = slices.DeleteFunc(st.rules, func(x ebRule) bool { return x.name == name })
		return nil
	})
}

// maxTargets is EventBridge's limit of targets per rule.
const maxTargets = 5

func (a *Account) PutAlertTarget(ctx context.Context, rule string, t awsops.RuleTarget) error {
	return a.write(ctx, "PutAlertTarget", "Rule="+rule+" Id="+t.ID, func(st *state) error {
		r := st.rule(rule)
		if r == nil {
			return eventsError("PutAlertTarget", "ResourceNotFoundException", "Rule "+rule+" does not exist on EventBus default.")
		}
		if !targetIDPattern.MatchString(t.ID) || !strings.HasPrefix(t.ARN, "arn:") {
			return eventsError("PutAlertTarget", "ValidationException", "Parameter(s) Id or Arn is not valid")
		}
		if i := slices.IndexFunc(r.targets, func(x awsops.RuleTarget) bool { return x.ID == t.ID }); i >= 0 {
			r.targets[i] = t
			return nil
		}
		if len(r.targets) >= maxTargets {
			// A failed entry, not an error, as PutTargets reports it.
			return &awsops.Error{Kind: awsops.KindOther, Permission: permissions["PutAlertTarget"], Code: "LimitExceededException",
				Message: "EventBridge did not add the target " + t.ID + ": The requested resource exceeds the maximum number allowed."}
		}
		r.targets = append(r.targets, t)
		return nil
	})
}

func (a *Account) RemoveAlertTarget(ctx context.Context, rule, id string) error {
	return a.write(ctx, "RemoveAlertTarget", "Rule="+rule+" Id="+id, func(st *state) error {
		r := st.rule(rule)
		if r == nil {
			return eventsError("RemoveAlertTarget", "ResourceNotFoundException", "Rule "+rule+" does not exist on EventBus default.")
		}
		r.targets = slices.DeleteFunc(r.targets, func(x awsops.RuleTarget) bool { return x.ID == id })
		return nil
	})
}

// confirmPendingEmails is the person clicking "Confirm subscription" in
// every email AWS sent; it reports whether there was one.
func (st *state) confirmPendingEmails() bool {
	confirmed := false
	for i := range st.topics {
		for j := range st.topics[i].subs {
			if s := &st.topics[i].subs[j]; s.protocol == "email" && !s.confirmed {
				s.confirmed = true
				confirmed = true
			}
		}
	}
	return confirmed
}
