package awsops

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// The root-activity-alert fix: in the sign-in events region (us-east-1),
// an SNS topic whose policy lets EventBridge publish for rootguard's rule
// only, an email subscription, an EventBridge rule on the default bus for
// root sign-ins (optionally every root API call) and the topic as its
// target. The reads find the pieces with rootguard's names; the writes make
// or repair each one, with the calls that take them back.

// Names of what the fix makes.
const (
	RootAlertTopicName = "rootguard-root-activity"
	RootAlertRuleName  = "rootguard-root-activity"
	// RootAlertTargetID is the rule's target ID for the topic.
	RootAlertTargetID = "rootguard-sns"
	// RootAlertStatementSid is the topic policy statement the fix adds.
	RootAlertStatementSid = "RootguardEventBridgePublish"
)

// The event patterns the fix writes. Both match a root console sign-in
// with and without MFA (PatternMatchesRootSignIn) and not an IAM user's.
const (
	// RootSignInPattern: root console sign-ins only.
	RootSignInPattern = `{"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],` +
		`"detail":{"eventName":["ConsoleLogin"],"userIdentity":{"type":["Root"]}}}`
	// RootActivityPattern: root sign-ins and root API calls, except calls
	// an AWS service made on root's behalf.
	RootActivityPattern = `{"detail-type":["AWS Console Sign In via CloudTrail","AWS API Call via CloudTrail"],` +
		`"detail":{"userIdentity":{"type":["Root"],"invokedBy":[{"exists":false}]}}}`
)

// Rule states.
const (
	RuleEnabled  = string(ebtypes.RuleStateEnabled)
	RuleDisabled = string(ebtypes.RuleStateDisabled)
	// RuleEnabledAllManagement also delivers read-only management events.
	RuleEnabledAllManagement = string(ebtypes.RuleStateEnabledWithAllCloudtrailManagementEvents)
)

// MaxTopicPolicyBytes is SNS's limit on a topic policy.
const MaxTopicPolicyBytes = 30 << 10

// SNSAlertAPI is the part of the SNS client the root alert fix uses.
type SNSAlertAPI interface {
	GetTopicAttributes(context.Context, *sns.GetTopicAttributesInput, ...func(*sns.Options)) (*sns.GetTopicAttributesOutput, error)
	ListSubscriptionsByTopic(context.Context, *sns.ListSubscriptionsByTopicInput, ...func(*sns.Options)) (*sns.ListSubscriptionsByTopicOutput, error)
	CreateTopic(context.Context, *sns.CreateTopicInput, ...func(*sns.Options)) (*sns.CreateTopicOutput, error)
	DeleteTopic(context.Context, *sns.DeleteTopicInput, ...func(*sns.Options)) (*sns.DeleteTopicOutput, error)
	SetTopicAttributes(context.Context, *sns.SetTopicAttributesInput, ...func(*sns.Options)) (*sns.SetTopicAttributesOutput, error)
	Subscribe(context.Context, *sns.SubscribeInput, ...func(*sns.Options)) (*sns.SubscribeOutput, error)
	Unsubscribe(context.Context, *sns.UnsubscribeInput, ...func(*sns.Options)) (*sns.UnsubscribeOutput, error)
}

// EventBridgeAlertAPI is the part of the EventBridge client the root alert
// fix uses.
type EventBridgeAlertAPI interface {
	DescribeRule(context.Context, *eventbridge.DescribeRuleInput, ...func(*eventbridge.Options)) (*eventbridge.DescribeRuleOutput, error)
	ListTargetsByRule(context.Context, *eventbridge.ListTargetsByRuleInput, ...func(*eventbridge.Options)) (*eventbridge.ListTargetsByRuleOutput, error)
	PutRule(context.Context, *eventbridge.PutRuleInput, ...func(*eventbridge.Options)) (*eventbridge.PutRuleOutput, error)
	DeleteRule(context.Context, *eventbridge.DeleteRuleInput, ...func(*eventbridge.Options)) (*eventbridge.DeleteRuleOutput, error)
	PutTargets(context.Context, *eventbridge.PutTargetsInput, ...func(*eventbridge.Options)) (*eventbridge.PutTargetsOutput, error)
	RemoveTargets(context.Context, *eventbridge.RemoveTargetsInput, ...func(*eventbridge.Options)) (*eventbridge.RemoveTargetsOutput, error)
}

// RootAlertSetup is what exists of the fix's pieces, by their names.
type RootAlertSetup struct {
	Region   string // the sign-in events region, where everything is
	TopicARN string // the topic's ARN, whether it exists or not
	RuleARN  string // the rule's ARN, whether it exists or not
	// Topic is the topic with its policy, key (read when it is a customer
	// key) and subscriptions; nil when there is none.
	Topic *AlertTopic
	// Rule is the rule on the default bus; nil when there is none.
	Rule *RuleSetup
}

// RuleSetup is an EventBridge rule as the fix reads it.
type RuleSetup struct {
	Name        string
	ARN         string
	Pattern     string
	State       string // ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
	Description string
	ManagedBy   string // a service that owns the rule ("" for none)
	Targets     []RuleTarget
}

// Enabled reports whether the rule delivers events.
func (r RuleSetup) Enabled() bool {
	return r.State == RuleEnabled || r.State == RuleEnabledAllManagement
}

// RuleTarget is one target of a rule.
type RuleTarget struct {
	ID  string
	ARN string
}

// AlertRuleSpec is a rule as the fix writes it (default bus).
type AlertRuleSpec struct {
	Name        string
	Pattern     string
	State       string
	Description string
}

// RootAlertDirectory reads the fix's pieces.
type RootAlertDirectory interface {
	// RootAlertSetup reads, in the sign-in events region of caller's
	// partition, the topic and rule with rootguard's names and what hangs
	// on them. A missing topic or rule is nil, not an error.
	RootAlertSetup(ctx context.Context, caller Identity) (*RootAlertSetup, error)
}

// RootAlertWriter makes the fix's writes and their undos, all in the
// sign-in events region.
type RootAlertWriter interface {
	// CreateAlertTopic creates a topic with this policy and returns its ARN.
	CreateAlertTopic(ctx context.Context, name, policy string) (string, error)
	DeleteAlertTopic(ctx context.Context, topicARN string) error
	SetAlertTopicPolicy(ctx context.Context, topicARN, policy string) error
	// SubscribeEmail subscribes an address (AWS emails it a confirmation
	// link) and returns the subscription's ARN.
	SubscribeEmail(ctx context.Context, topicARN, email string) (string, error)
	UnsubscribeEmail(ctx context.Context, subscriptionARN string) error
	// PutAlertRule creates or replaces a rule on the default bus and
	// returns its ARN.
	PutAlertRule(ctx context.Context, r AlertRuleSpec) (string, error)
	DeleteAlertRule(ctx context.Context, name string) error
	// PutAlertTarget adds a target; a failed entry is an error.
	PutAlertTarget(ctx context.Context, rule string, t RuleTarget) error
	RemoveAlertTarget(ctx context.Context, rule, targetID string) error
}

var (
	_ RootAlertDirectory = (*AWS)(nil)
	_ RootAlertWriter    = (*AWS)(nil)
)

// RootAlertARNs are the topic's and the rule's ARNs in an account.
func RootAlertARNs(partition, region, account string) (topic, rule string) {
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":sns:" + region + ":" + account + ":" + RootAlertTopicName,
		"arn:" + partition + ":events:" + region + ":" + account + ":rule/" + RootAlertRuleName
}

func (a *AWS) RootAlertSetup(ctx context.Context, caller Identity) (*RootAlertSetup, error) {
	if err := checkAccountID("sns:GetTopicAttributes", caller.Account); err != nil {
		return nil, err
	}
	region := signInEventsRegion(a.region)
	st := &RootAlertSetup{Region: region}
	st.TopicARN, st.RuleARN = RootAlertARNs(caller.Partition, region, caller.Account)
	topic, err := a.alertTopic(ctx, st.TopicARN)
	if err != nil {
		return nil, err
	}
	st.Topic = topic
	if st.Rule, err = a.alertRule(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// alertTopic reads the topic's attributes, its key and its subscriptions;
// nil when it does not exist.
func (a *AWS) alertTopic(ctx context.Context, arn string) (*AlertTopic, error) {
	client := a.API.AlertSNS
	out, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	var nf *snstypes.NotFoundException
	if errors.As(err, &nf) || errorCode(err) == "NotFound" {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("sns:GetTopicAttributes", err)
	}
	t := &AlertTopic{ARN: arn, Policy: out.Attributes["Policy"], KMSKeyID: out.Attributes["KmsMasterKeyId"]}
	if t.KMSKeyID != "" && !IsAWSManagedSNSKey(t.KMSKeyID) {
		if t.Key, err = a.kmsKey(ctx, firstNonEmpty(arnRegion(t.KMSKeyID), arnRegion(arn)), t.KMSKeyID); err != nil {
			return nil, err
		}
	}
	if t.Subscriptions, err = topicSubscriptions(ctx, client, arn); err != nil {
		return nil, err
	}
	return t, nil
}

// alertRule reads the rule on the default bus and its targets; nil when it
// does not exist.
func (a *AWS) alertRule(ctx context.Context) (*RuleSetup, error) {
	events := a.API.AlertEvents
	out, err := events.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(RootAlertRuleName)})
	var nf *ebtypes.ResourceNotFoundException
	if errors.As(err, &nf) || errorCode(err) == "ResourceNotFoundException" {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("events:DescribeRule", err)
	}
	r := &RuleSetup{Name: aws.ToString(out.Name), ARN: aws.ToString(out.Arn), Pattern: aws.ToString(out.EventPattern),
		State: string(out.State), Description: aws.ToString(out.Description), ManagedBy: aws.ToString(out.ManagedBy)}
	if r.Name != RootAlertRuleName {
		return nil, &Error{Kind: KindOther, Permission: "events:DescribeRule",
			Message: "AWS answered for the rule " + quoteShort(r.Name) + " instead of " + RootAlertRuleName}
	}
	in := &eventbridge.ListTargetsByRuleInput{Rule: aws.String(RootAlertRuleName), Limit: aws.Int32(100)}
	for {
		page, err := events.ListTargetsByRule(ctx, in)
		if err != nil {
			return nil, Wrap("events:ListTargetsByRule", err)
		}
		for _, t := range page.Targets {
			r.Targets = append(r.Targets, RuleTarget{ID: aws.ToString(t.Id), ARN: aws.ToString(t.Arn)})
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	return r, nil
}

func (a *AWS) CreateAlertTopic(ctx context.Context, name, policy string) (string, error) {
	out, err := a.API.AlertSNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name),
		Attributes: map[string]string{"Policy": policy}})
	if err != nil {
		return "", Wrap("sns:CreateTopic", err)
	}
	arn := aws.ToString(out.TopicArn)
	if !isSNSTopicARN(arn) || !strings.HasSuffix(arn, ":"+name) {
		return "", &Error{Kind: KindOther, Permission: "sns:CreateTopic", Message: "AWS answered without the new topic's ARN"}
	}
	return arn, nil
}

func (a *AWS) DeleteAlertTopic(ctx context.Context, topicARN string) error {
	_, err := a.API.AlertSNS.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: aws.String(topicARN)})
	return Wrap("sns:DeleteTopic", err)
}

func (a *AWS) SetAlertTopicPolicy(ctx context.Context, topicARN, policy string) error {
	_, err := a.API.AlertSNS.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(topicARN),
		AttributeName: aws.String("Policy"), AttributeValue: aws.String(policy)})
	return Wrap("sns:SetTopicAttributes", err)
}

func (a *AWS) SubscribeEmail(ctx context.Context, topicARN, email string) (string, error) {
	out, err := a.API.AlertSNS.Subscribe(ctx, &sns.SubscribeInput{TopicArn: aws.String(topicARN),
		Protocol: aws.String("email"), Endpoint: aws.String(email), ReturnSubscriptionArn: true})
	if err != nil {
		return "", Wrap("sns:Subscribe", err)
	}
	arn := aws.ToString(out.SubscriptionArn)
	if !strings.HasPrefix(arn, topicARN+":") {
		// Without the ARN the subscription could not be taken back.
		return "", &Error{Kind: KindOther, Permission: "sns:Subscribe", Message: "AWS answered without the subscription's ARN"}
	}
	return arn, nil
}

func (a *AWS) UnsubscribeEmail(ctx context.Context, subscriptionARN string) error {
	_, err := a.API.AlertSNS.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(subscriptionARN)})
	return Wrap("sns:Unsubscribe", err)
}

func (a *AWS) PutAlertRule(ctx context.Context, r AlertRuleSpec) (string, error) {
	out, err := a.API.AlertEvents.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(r.Name),
		EventPattern: aws.String(r.Pattern), State: ebtypes.RuleState(r.State), Description: aws.String(r.Description)})
	if err != nil {
		return "", Wrap("events:PutRule", err)
	}
	return aws.ToString(out.RuleArn), nil
}

func (a *AWS) DeleteAlertRule(ctx context.Context, name string) error {
	_, err := a.API.AlertEvents.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(name)})
	return Wrap("events:DeleteRule", err)
}

// PutAlertTarget adds the target. EventBridge reports a target it could not
// add in FailedEntries, not as an error: any failed entry is an error here.
func (a *AWS) PutAlertTarget(ctx context.Context, rule string, t RuleTarget) error {
	out, err := a.API.AlertEvents.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule),
		Targets: []ebtypes.Target{{Id: aws.String(t.ID), Arn: aws.String(t.ARN)}}})
	if err != nil {
		return Wrap("events:PutTargets", err)
	}
	if out.FailedEntryCount == 0 && len(out.FailedEntries) == 0 {
		return nil
	}
	e := &Error{Kind: KindOther, Permission: "events:PutTargets", Message: "EventBridge did not add the target " + t.ID}
	if len(out.FailedEntries) > 0 {
		f := out.FailedEntries[0]
		e.Code = clip(aws.ToString(f.ErrorCode), maxCodeLen)
		e.Kind = kindOfCode(e.Code)
		if msg := aws.ToString(f.ErrorMessage); msg != "" {
			e.Message += ": " + clip(msg, maxMessageLen)
		}
	}
	return e
}

func (a *AWS) RemoveAlertTarget(ctx context.Context, rule, targetID string) error {
	out, err := a.API.AlertEvents.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String(rule), Ids: []string{targetID}})
	if err != nil {
		return Wrap("events:RemoveTargets", err)
	}
	if out.FailedEntryCount > 0 || len(out.FailedEntries) > 0 {
		return &Error{Kind: KindOther, Permission: "events:RemoveTargets", Message: "EventBridge did not remove the target " + targetID}
	}
	return nil
}

// rootAlertStatementJSON is the topic policy statement the fix adds: only
// EventBridge may publish, and only for ruleARN (aws:SourceArn). Its keys
// are in the order people read policies.
func rootAlertStatementJSON(topicARN, ruleARN string) []byte {
	type arnCondition struct {
		SourceArn string `json:"aws:SourceArn"`
	}
	stmt := struct {
		Sid       string
		Effect    string
		Principal struct{ Service string }
		Action    string
		Resource  string
		Condition struct{ ArnEquals arnCondition }
	}{Sid: RootAlertStatementSid, Effect: "Allow", Action: actionSNSPublish, Resource: topicARN}
	stmt.Principal.Service = "events.amazonaws.com"
	stmt.Condition.ArnEquals.SourceArn = ruleARN
	b, _ := json.Marshal(stmt)
	return b
}

// NewRootAlertTopicPolicy is the policy of a topic the fix creates: the
// statement alone (people in the account manage the topic through their
// IAM permissions).
func NewRootAlertTopicPolicy(topicARN, ruleARN string) string {
	return `{"Version":"2012-10-17","Id":"` + RootAlertTopicName + `","Statement":[` + string(rootAlertStatementJSON(topicARN, ruleARN)) + `]}`
}

// MergeRootAlertStatement adds the fix's statement to an existing topic
// policy, replacing an earlier one with the same Sid and keeping every
// other statement and field as it is. An empty policy gets the statement
// alone. The result must let EventBridge publish for ruleARN (a Deny, or
// conditions rootguard cannot evaluate, make it an error saying which
// statement) and fit SNS's size limit.
func MergeRootAlertStatement(current, topicARN, ruleARN string) (string, error) {
	doc := map[string]json.RawMessage{}
	if strings.TrimSpace(current) != "" {
		if err := json.Unmarshal([]byte(current), &doc); err != nil {
			return "", fmt.Errorf("the topic policy of %s is not a JSON object rootguard can add to: %v", topicARN, err)
		}
	}
	var stmts []json.RawMessage
	if raw, ok := doc["Statement"]; ok {
		trimmed := bytes.TrimSpace(raw)
		switch {
		case len(trimmed) > 0 && trimmed[0] == '[':
			if err := json.Unmarshal(trimmed, &stmts); err != nil {
				return "", fmt.Errorf("the topic policy of %s has a Statement rootguard cannot read: %v", topicARN, err)
			}
		case len(trimmed) > 0 && trimmed[0] == '{':
			stmts = []json.RawMessage{trimmed}
		default:
			return "", fmt.Errorf("the topic policy of %s has a Statement rootguard cannot read", topicARN)
		}
	}
	kept := stmts[:0]
	for _, s := range stmts {
		var head struct{ Sid string }
		if json.Unmarshal(s, &head) == nil && head.Sid == RootAlertStatementSid {
			continue // an earlier version of ours: replaced
		}
		kept = append(kept, s)
	}
	stmts = append(kept, rootAlertStatementJSON(topicARN, ruleARN))

	var b bytes.Buffer
	b.WriteString(`{"Version":`)
	if v, ok := doc["Version"]; ok {
		b.Write(bytes.TrimSpace(v))
	} else {
		b.WriteString(`"2012-10-17"`)
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		if k != "Version" && k != "Statement" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		name, _ := json.Marshal(k)
		b.WriteString(",")
		b.Write(name)
		b.WriteString(":")
		b.Write(bytes.TrimSpace(doc[k]))
	}
	b.WriteString(`,"Statement":[`)
	for i, s := range stmts {
		if i > 0 {
			b.WriteString(",")
		}
		b.Write(bytes.TrimSpace(s))
	}
	b.WriteString("]}")
	merged := b.String()
	if len(merged) > MaxTopicPolicyBytes {
		return "", fmt.Errorf("the topic policy of %s would be %d bytes with rootguard's statement, over SNS's limit of %d: remove unused statements first", topicARN, len(merged), MaxTopicPolicyBytes)
	}
	access := TopicPolicyLetsEventBridgePublish(merged, topicARN, ruleARN)
	switch {
	case access.DeniedBy != "":
		return "", fmt.Errorf("the topic policy of %s denies EventBridge publishing (statement %s): remove or narrow that Deny in the SNS console (Topics → %s → Edit → Access policy), then run the fix again", topicARN, access.DeniedBy, RootAlertTopicName)
	case !access.Allowed && access.Unsure != "":
		return "", fmt.Errorf("the topic policy of %s has a statement (%s) whose conditions rootguard cannot evaluate and that may deny EventBridge: review it in the SNS console, then run the fix again", topicARN, access.Unsure)
	case !access.Allowed:
		return "", fmt.Errorf("the topic policy of %s still would not let EventBridge publish with rootguard's statement added", topicARN)
	}
	return merged, nil
}

// SamePattern reports whether two event patterns are the same JSON value
// (whatever their spacing and key order).
func SamePattern(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
