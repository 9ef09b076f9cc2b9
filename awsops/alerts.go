package awsops

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"golang.org/x/sync/errgroup"
)

// RootSignInAlerts lists the EventBridge rules on the default bus of the
// sign-in events region whose pattern matches a root console sign-in to
// this account (the account in each rule's ARN: rules often pin it), with
// every link of their delivery path. Rules are followed concurrently.
func (a *AWS) RootSignInAlerts(ctx context.Context) ([]AlertRule, error) {
	var rules []ebtypes.Rule
	in := &eventbridge.ListRulesInput{Limit: aws.Int32(100)}
	for {
		out, err := a.API.EventBridge.ListRules(ctx, in)
		if err != nil {
			return nil, Wrap("events:ListRules", err)
		}
		for _, r := range out.Rules {
			if PatternMatchesRootSignIn(aws.ToString(r.EventPattern), arnAccount(aws.ToString(r.Arn))) {
				rules = append(rules, r)
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	alerts := make([]AlertRule, len(rules))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i, r := range rules {
		alerts[i] = AlertRule{
			Name:    aws.ToString(r.Name),
			ARN:     aws.ToString(r.Arn),
			Enabled: r.State == ebtypes.RuleStateEnabled || r.State == ebtypes.RuleStateEnabledWithAllCloudtrailManagementEvents,
			Misses:  PatternMisses(aws.ToString(r.EventPattern), arnAccount(aws.ToString(r.Arn))),
		}
		g.Go(func() error { return a.fillAlertTargets(gctx, &alerts[i], r) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return alerts, nil
}

func (a *AWS) fillAlertTargets(ctx context.Context, alert *AlertRule, r ebtypes.Rule) error {
	in := &eventbridge.ListTargetsByRuleInput{Rule: r.Name, EventBusName: r.EventBusName, Limit: aws.Int32(100)}
	for {
		out, err := a.API.EventBridge.ListTargetsByRule(ctx, in)
		if err != nil {
			return Wrap("events:ListTargetsByRule", err)
		}
		for _, t := range out.Targets {
			arn := aws.ToString(t.Arn)
			if !isSNSTopicARN(arn) {
				alert.OtherTargets++
				continue
			}
			alert.Topics = append(alert.Topics, AlertTopic{ARN: arn})
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	var g errgroup.Group
	for i := range alert.Topics {
		topic := &alert.Topics[i]
		if arnAccount(topic.ARN) != arnAccount(alert.ARN) && alert.ARN != "" {
			continue // another account's topic: rootguard cannot follow it
		}
		g.Go(func() error { a.followTopic(ctx, topic, true); return nil })
	}
	return g.Wait()
}

// followTopic reads a topic's subscriptions and, with withPolicy, its
// attributes (policy, key) and then its key, recording each link's error
// on the topic.
func (a *AWS) followTopic(ctx context.Context, topic *AlertTopic, withPolicy bool) {
	client := a.snsFor(arnRegion(topic.ARN))
	var g errgroup.Group
	g.Go(func() error {
		topic.Subscriptions, topic.Err = topicSubscriptions(ctx, client, topic.ARN)
		return nil
	})
	if withPolicy {
		g.Go(func() error {
			a.readTopicAttributes(ctx, client, topic)
			return nil
		})
	}
	_ = g.Wait() // each link records its own error
}

func (a *AWS) snsFor(region string) SNSAPI {
	if region == "" || region == signInEventsRegion(a.region) || a.API.SNSIn == nil {
		return a.API.SNS
	}
	return a.API.SNSIn(region)
}

func isSNSTopicARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "sns"
}

// arnAccount and arnRegion read an ARN's account and region fields.
func arnAccount(arn string) string { return arnField(arn, 4) }
func arnRegion(arn string) string  { return arnField(arn, 3) }

func arnField(arn string, i int) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ""
	}
	return parts[i]
}

func topicSubscriptions(ctx context.Context, client SNSAPI, topicARN string) ([]Subscription, error) {
	var subs []Subscription
	p := sns.NewListSubscriptionsByTopicPaginator(client, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("sns:ListSubscriptionsByTopic", err)
		}
		for _, s := range page.Subscriptions {
			subs = append(subs, Subscription{
				Protocol:  aws.ToString(s.Protocol),
				Endpoint:  aws.ToString(s.Endpoint),
				Confirmed: subscriptionConfirmed(aws.ToString(s.SubscriptionArn)),
			})
		}
	}
	return subs, nil
}

// subscriptionConfirmed: unconfirmed subscriptions carry a sentinel instead
// of an ARN ("PendingConfirmation", or "pending confirmation" from Subscribe).
func subscriptionConfirmed(subscriptionARN string) bool {
	return strings.HasPrefix(subscriptionARN, "arn:")
}

// rootSignInEvent builds a successful console sign-in event to accountID
// as EventBridge delivers it, by root or (root false) by the IAM user alice;
// mfaUsed is "Yes" or "No".
func rootSignInEvent(accountID string, root bool, mfaUsed string) map[string]any {
	identity := map[string]any{
		"type":        "Root",
		"arn":         "arn:aws:iam::" + accountID + ":root",
		"principalId": accountID,
		"accountId":   accountID,
	}
	if !root {
		identity = map[string]any{
			"type":        "IAMUser",
			"arn":         "arn:aws:iam::" + accountID + ":user/alice",
			"principalId": "AIDAEXAMPLEALICE00001",
			"accountId":   accountID,
			"userName":    "alice",
		}
	}
	return map[string]any{
		"version":     "0",
		"id":          "6f3c1a2b-0d4e-4c5f-9a8b-7c6d5e4f3a2b",
		"source":      "aws.signin",
		"detail-type": "AWS Console Sign In via CloudTrail",
		"account":     accountID,
		"time":        "2026-01-15T08:00:00Z",
		"region":      "us-east-1",
		"resources":   []any{},
		"detail": map[string]any{
			"eventVersion":        "1.08",
			"userIdentity":        identity,
			"eventTime":           "2026-01-15T08:00:00Z",
			"eventSource":         "signin.amazonaws.com",
			"eventName":           "ConsoleLogin",
			"awsRegion":           "us-east-1",
			"sourceIPAddress":     "198.51.100.7",
			"userAgent":           "Mozilla/5.0",
			"requestParameters":   nil,
			"responseElements":    map[string]any{"ConsoleLogin": "Success"},
			"additionalEventData": map[string]any{"MFAUsed": mfaUsed, "LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No"},
			"eventID":             "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
			"readOnly":            false,
			"eventType":           "AwsConsoleSignIn",
			"managementEvent":     true,
			"recipientAccountId":  accountID,
			"eventCategory":       "Management",
		},
	}
}

// PatternMatchesRootSignIn reports whether an EventBridge event pattern
// matches a successful root console sign-in to accountID (with or without
// MFA) and is specific to root: the same event from an IAM user must not
// match. A pattern for all root activity (API calls and sign-ins) qualifies.
func PatternMatchesRootSignIn(pattern, accountID string) bool {
	var p map[string]any
	if pattern == "" || json.Unmarshal([]byte(pattern), &p) != nil {
		return false
	}
	for _, mfa := range []string{"Yes", "No"} {
		if matchPattern(p, rootSignInEvent(accountID, true, mfa)) && !matchPattern(p, rootSignInEvent(accountID, false, mfa)) {
			return true
		}
	}
	return false
}

// PatternMisses names the root sign-ins a pattern that matches some does
// not match: "sign-ins with MFA" or "sign-ins without MFA" ("" for none).
func PatternMisses(pattern, accountID string) string {
	var p map[string]any
	if json.Unmarshal([]byte(pattern), &p) != nil {
		return ""
	}
	matches := func(mfa string) bool {
		return matchPattern(p, rootSignInEvent(accountID, true, mfa)) && !matchPattern(p, rootSignInEvent(accountID, false, mfa))
	}
	switch yes, no := matches("Yes"), matches("No"); {
	case yes && !no:
		return "sign-ins without MFA"
	case no && !yes:
		return "sign-ins with MFA"
	}
	return ""
}

// matchPattern applies EventBridge content filtering: every field of the
// pattern must match; leaves are arrays of values or operator objects.
func matchPattern(pattern, event map[string]any) bool {
	for key, want := range pattern {
		if key == "$or" {
			alts, ok := want.([]any)
			if !ok || !anyAlternative(alts, event) {
				return false
			}
			continue
		}
		got, present := event[key]
		switch w := want.(type) {
		case map[string]any:
			sub, _ := got.(map[string]any)
			if sub == nil {
				sub = map[string]any{}
			}
			if !matchPattern(w, sub) {
				return false
			}
		case []any:
			if !matchLeaf(w, got, present) {
				return false
			}
		default:
			return false // not a valid pattern
		}
	}
	return true
}

func anyAlternative(alts []any, event map[string]any) bool {
	for _, alt := range alts {
		if m, ok := alt.(map[string]any); ok && matchPattern(m, event) {
			return true
		}
	}
	return false
}

// matchLeaf matches one event value against a list of allowed values and
// operators; any one of them matching is enough.
func matchLeaf(allowed []any, got any, present bool) bool {
	values := []any{got}
	if list, ok := got.([]any); ok {
		values = list
	}
	for _, rule := range allowed {
		if op, ok := rule.(map[string]any); ok {
			if exists, ok := op["exists"].(bool); ok {
				if exists == present {
					return true
				}
				continue
			}
		}
		if !present {
			continue
		}
		for _, v := range values {
			if matchValue(rule, v) {
				return true
			}
		}
	}
	return false
}

func matchValue(rule, v any) bool {
	op, isOp := rule.(map[string]any)
	if !isOp {
		return scalarEqual(rule, v)
	}
	s, isString := v.(string)
	for name, arg := range op {
		switch name {
		case "prefix":
			return isString && stringOp(arg, s, strings.HasPrefix)
		case "suffix":
			return isString && stringOp(arg, s, strings.HasSuffix)
		case "equals-ignore-case":
			return isString && anyString(arg, func(a string) bool { return strings.EqualFold(a, s) })
		case "wildcard":
			return isString && anyString(arg, func(a string) bool { return wildcardMatch(a, s) })
		case "anything-but":
			return !anythingBut(arg, v)
		}
	}
	return false // numeric, cidr and unknown operators never match strings here
}

// scalarEqual compares JSON scalars (string, number, bool, null); objects
// and arrays never equal anything, so uncomparable values cannot panic.
func scalarEqual(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false
}

// anyString reports whether arg, a string or a list of strings, has one
// that passes test.
func anyString(arg any, test func(string) bool) bool {
	switch a := arg.(type) {
	case string:
		return test(a)
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok && test(s) {
				return true
			}
		}
	}
	return false
}

// stringOp applies prefix/suffix, including {"equals-ignore-case": x}.
func stringOp(arg any, s string, test func(s, affix string) bool) bool {
	switch a := arg.(type) {
	case string:
		return test(s, a)
	case map[string]any:
		if x, ok := a["equals-ignore-case"].(string); ok {
			return test(strings.ToLower(s), strings.ToLower(x))
		}
	}
	return false
}

// wildcardMatch is EventBridge's wildcard filter: * matches any run of
// characters (slashes and colons included) and \* a literal star.
func wildcardMatch(pattern, s string) bool {
	// Split into literal segments separated by unescaped stars.
	var segs []string
	var cur strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '\\' && i+1 < len(pattern):
			i++
			cur.WriteByte(pattern[i])
		case c == '*':
			segs = append(segs, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	segs = append(segs, cur.String())
	if len(segs) == 1 {
		return s == segs[0]
	}
	first, last := segs[0], segs[len(segs)-1]
	if !strings.HasPrefix(s, first) || !strings.HasSuffix(s[len(first):], last) {
		return false
	}
	rest := s[len(first) : len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		i := strings.Index(rest, seg)
		if i < 0 {
			return false
		}
		rest = rest[i+len(seg):]
	}
	return true
}

// anythingBut reports whether v is among the excluded values.
func anythingBut(arg, v any) bool {
	switch a := arg.(type) {
	case []any:
		for _, x := range a {
			if scalarEqual(x, v) {
				return true
			}
		}
		return false
	case map[string]any:
		return matchValue(a, v)
	}
	return scalarEqual(arg, v)
}
