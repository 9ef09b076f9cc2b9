package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// The root-activity-alert fix builds, in the sign-in events region
// (us-east-1), every link the item's check follows: an SNS topic whose
// policy lets EventBridge publish for rootguard's rule only (aws:SourceArn),
// an enabled rule on the default bus matching root console sign-ins with
// and without MFA (optionally every root API call), the topic as its
// target, and an email subscription. Pieces with rootguard's names are
// reused and repaired, never duplicated. The alert works once the email
// is confirmed: until then the item is warn.

// Fields of the root-activity-alert fix.
const (
	FixRootActivityAlert    = "root-activity-alert"
	FieldAlertEmail         = "email"
	FieldAlertAPICalls      = "include-api-calls"
	FieldResendConfirmation = "resend-confirmation"
)

// rootAlertState is what the fix plans from.
type rootAlertState struct {
	Identity awsops.Identity
	Setup    awsops.RootAlertSetup
}

func rootActivityAlertFix() Fix {
	return NewFix(FixDef[rootAlertState]{
		ID:      FixRootActivityAlert,
		Title:   "Email an alert when root signs in",
		Summary: "email an alert when root signs in (SNS topic, email subscription, EventBridge rule; us-east-1)",
		Intro: "In us-east-1, where AWS records root sign-ins, rootguard makes an SNS topic that only EventBridge may publish to, subscribes your email address, " +
			"and adds an EventBridge rule that sends every root console sign-in (with or without MFA) to the topic. " +
			"AWS then emails you a confirmation link: the alert is on once you click it.",
		Reads: "the root alert's SNS topic and EventBridge rule (us-east-1)",
		Writes: []string{"events:DescribeRule", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "events:PutRule", "events:PutTargets",
			"sns:Unsubscribe", "sns:DeleteTopic", "events:RemoveTargets", "events:DeleteRule"},
		Load: loadRootAlert,
		Form: rootAlertForm,
		Check: func(in Input) error {
			if !in.Given[FieldAlertEmail] {
				return FieldErrors{{Field: FieldAlertEmail, Message: "give the address that gets the alert, e.g. --email security@example.com"}}
			}
			return nil
		},
		Plan: PlanRootAlert,
	})
}

func loadRootAlert(ctx context.Context, f *Facts) (rootAlertState, error) {
	id, err := f.Identity(ctx)
	if err != nil {
		return rootAlertState{}, err
	}
	dir, ok := f.Source().(awsops.RootAlertDirectory)
	if !ok {
		return rootAlertState{}, errors.New("internal error: this account cannot read the root alert's topic and rule")
	}
	setup, err := dir.RootAlertSetup(ctx, id)
	if err != nil {
		return rootAlertState{}, err
	}
	return rootAlertState{Identity: id, Setup: *setup}, nil
}

// emailSubscription finds the topic's email subscription of addr.
func (st rootAlertState) emailSubscription(addr string) *awsops.Subscription {
	if st.Setup.Topic == nil || addr == "" {
		return nil
	}
	for i, s := range st.Setup.Topic.Subscriptions {
		if strings.EqualFold(s.Protocol, "email") && strings.EqualFold(strings.TrimSpace(s.Endpoint), addr) {
			return &st.Setup.Topic.Subscriptions[i]
		}
	}
	return nil
}

// currentEmail is the address already subscribed (the first email one).
func (st rootAlertState) currentEmail() string {
	if st.Setup.Topic == nil {
		return ""
	}
	for _, s := range st.Setup.Topic.Subscriptions {
		if strings.EqualFold(s.Protocol, "email") {
			return strings.TrimSpace(s.Endpoint)
		}
	}
	return ""
}

func rootAlertForm(st *rootAlertState) []Group {
	help := "rootguard makes, in us-east-1: an SNS topic " + awsops.RootAlertTopicName + " that only EventBridge may publish to, an email subscription, " +
		"and an EventBridge rule that sends every root console sign-in to it. You see every call before anything is written."
	email, api := "", false
	if st != nil {
		email = st.currentEmail()
		if r := st.Setup.Rule; r != nil {
			api = awsops.SamePattern(r.Pattern, awsops.RootActivityPattern)
		}
		var found []string
		if st.Setup.Topic != nil {
			found = append(found, "the topic")
		}
		if st.Setup.Rule != nil {
			found = append(found, "the rule")
		}
		if len(found) > 0 {
			help += " rootguard's " + strings.Join(found, " and ") + " from an earlier run exist: they are reused and repaired, not duplicated."
		}
	}
	groups := []Group{{
		Title: "Root sign-in alert",
		Help:  help,
		Fields: []Field{
			{Key: FieldAlertEmail, Kind: FieldText, Label: "Email address for the alert", Default: email, Limit: 254,
				Placeholder: "security@example.com",
				Help:        "a mailbox a person reads (a team address is best); AWS emails it a confirmation link",
				Validate:    func(s string, _ Values) error { return ValidateEmail(strings.TrimSpace(s)) }},
			{Key: FieldAlertAPICalls, Kind: FieldBool, Label: "Also alert on root API calls?", Default: BoolValue(api),
				Help: "every change root makes through the API or CLI (global services and us-east-1): more email, and each one matters"},
		},
	}}
	groups = append(groups, Group{
		Title: "Confirmation email",
		Help:  "That address's subscription is waiting for its confirmation link to be clicked.",
		// Asked only when the typed address is already pending.
		Shown: func(v Values) bool {
			if st == nil {
				return false
			}
			s := st.emailSubscription(strings.TrimSpace(v[FieldAlertEmail]))
			return s != nil && !s.Confirmed
		},
		Fields: []Field{{Key: FieldResendConfirmation, Kind: FieldBool, Label: "Send the confirmation email again?", Default: "false",
			Help: "send the confirmation email again to an address whose subscription is still pending (the first never arrived, or its link expired)"}},
	})
	return groups
}

// PlanRootAlert plans the alert from what exists (st) and the input.
func PlanRootAlert(st rootAlertState, in Input) (Plan, error) {
	email := in.Text(FieldAlertEmail)
	if err := ValidateEmail(email); err != nil {
		return Plan{}, FieldErrors{{Field: FieldAlertEmail, Message: err.Error()}}
	}
	api := in.Bool(FieldAlertAPICalls)
	s := st.Setup
	region, topicARN, ruleARN := s.Region, s.TopicARN, s.RuleARN
	regionParam := kv("Region", region)
	p := Plan{ItemID: FixRootActivityAlert, Title: "Email an alert when root signs in"}
	var calls []Call
	var reused []string

	// The topic and its policy.
	switch t := s.Topic; {
	case t == nil:
		policy := awsops.NewRootAlertTopicPolicy(topicARN, ruleARN)
		calls = append(calls, rootAlertCall("sns:CreateTopic", "root alert topic",
			[]Evidence{regionParam, kv("Name", awsops.RootAlertTopicName), kv("Attributes.Policy", policy)},
			func(ctx context.Context, w awsops.RootAlertWriter) error {
				_, err := w.CreateAlertTopic(ctx, awsops.RootAlertTopicName, policy)
				return err
			}).
			WithUndo(rootAlertCall("sns:DeleteTopic", "root alert topic removed", nil,
				func(ctx context.Context, w awsops.RootAlertWriter) error { return w.DeleteAlertTopic(ctx, topicARN) })))
		p.Changes = append(p.Changes,
			Change{Field: "SNS topic", Current: shownNotSet, Proposed: awsops.RootAlertTopicName + " (" + region + ", not encrypted)"},
			Change{Field: "Topic policy", Current: shownNotSet, Proposed: "EventBridge may publish, for rule " + awsops.RootAlertRuleName + " only"})
	default:
		if why := topicKeyProblem(t); why != "" {
			return Plan{}, errors.New(why)
		}
		reused = append(reused, "the topic "+awsops.RootAlertTopicName)
		if !awsops.TopicPolicyLetsEventBridgePublish(t.Policy, topicARN, ruleARN).Allowed {
			merged, err := awsops.MergeRootAlertStatement(t.Policy, topicARN, ruleARN)
			if err != nil {
				return Plan{}, err
			}
			set := rootAlertCall("sns:SetTopicAttributes", "topic policy",
				[]Evidence{regionParam, kv("TopicArn", topicARN), kv("AttributeName", "Policy"), kv("AttributeValue", merged)},
				func(ctx context.Context, w awsops.RootAlertWriter) error {
					return w.SetAlertTopicPolicy(ctx, topicARN, merged)
				})
			if old := t.Policy; strings.TrimSpace(old) != "" {
				set = set.WithUndo(rootAlertCall("sns:SetTopicAttributes", "topic policy put back", nil,
					func(ctx context.Context, w awsops.RootAlertWriter) error {
						return w.SetAlertTopicPolicy(ctx, topicARN, old)
					}))
			}
			calls = append(calls, set)
			p.Changes = append(p.Changes, Change{Field: "Topic policy", Current: "does not let EventBridge publish",
				Proposed: "statement " + awsops.RootAlertStatementSid + " added (EventBridge, for rule " + awsops.RootAlertRuleName + " only); the other statements are kept"})
		}
	}

	// The rule.
	pattern, what := awsops.RootSignInPattern, "root console sign-ins, with and without MFA"
	if api {
		pattern, what = awsops.RootActivityPattern, "root console sign-ins and root API calls"
	}
	state := awsops.RuleEnabled
	rule := s.Rule
	if rule != nil && rule.State == awsops.RuleEnabledAllManagement {
		state = rule.State // it already gets read-only calls too: kept
	}
	spec := awsops.AlertRuleSpec{Name: awsops.RootAlertRuleName, Pattern: pattern, State: state,
		Description: "rootguard: root sign-in alert, by email through the SNS topic " + awsops.RootAlertTopicName}
	ruleParams := []Evidence{regionParam, kv("Name", spec.Name), kv("EventBusName", "default"), kv("EventPattern", spec.Pattern),
		kv("State", spec.State), kv("Description", spec.Description)}
	putRule := func(label string) Call {
		return rootAlertCall("events:PutRule", label, ruleParams, func(ctx context.Context, w awsops.RootAlertWriter) error {
			_, err := w.PutAlertRule(ctx, spec)
			return err
		})
	}
	switch {
	case rule == nil:
		calls = append(calls, putRule("root sign-in rule").
			WithUndo(rootAlertCall("events:DeleteRule", "root sign-in rule removed", nil,
				func(ctx context.Context, w awsops.RootAlertWriter) error { return w.DeleteAlertRule(ctx, spec.Name) })))
		p.Changes = append(p.Changes, Change{Field: "EventBridge rule", Current: shownNotSet, Proposed: awsops.RootAlertRuleName + ": " + what + ", enabled"})
	case rule.ManagedBy != "":
		return Plan{}, fmt.Errorf("the EventBridge rule %s is managed by %s, so rootguard does not change it: remove it there, or set up the alert in the console (the guide has the steps)", rule.Name, rule.ManagedBy)
	case strings.TrimSpace(rule.Pattern) == "":
		return Plan{}, fmt.Errorf("an EventBridge rule named %s exists but matches no events (a scheduled rule?): rename or delete it in the EventBridge console (us-east-1), then run the fix again", rule.Name)
	case awsops.SamePattern(rule.Pattern, pattern) && rule.Enabled():
		reused = append(reused, "the rule "+rule.Name)
	default:
		old := awsops.AlertRuleSpec{Name: rule.Name, Pattern: rule.Pattern, State: rule.State, Description: rule.Description}
		calls = append(calls, putRule("root sign-in rule").
			WithUndo(rootAlertCall("events:PutRule", "root sign-in rule put back", nil,
				func(ctx context.Context, w awsops.RootAlertWriter) error {
					_, err := w.PutAlertRule(ctx, old)
					return err
				})))
		p.Changes = append(p.Changes, Change{Field: "EventBridge rule", Current: describeRule(*rule), Proposed: what + ", enabled"})
	}

	// The rule's target.
	if rule == nil || !hasTarget(rule.Targets, topicARN) {
		id := freeTargetID(rule)
		target := awsops.RuleTarget{ID: id, ARN: topicARN}
		calls = append(calls, rootAlertCall("events:PutTargets", "rule target",
			[]Evidence{regionParam, kv("Rule", awsops.RootAlertRuleName), kv("Targets[0].Id", id), kv("Targets[0].Arn", topicARN)},
			func(ctx context.Context, w awsops.RootAlertWriter) error {
				return w.PutAlertTarget(ctx, awsops.RootAlertRuleName, target)
			}).
			WithUndo(rootAlertCall("events:RemoveTargets", "rule target removed", nil,
				func(ctx context.Context, w awsops.RootAlertWriter) error {
					return w.RemoveAlertTarget(ctx, awsops.RootAlertRuleName, id)
				})))
		p.Changes = append(p.Changes, Change{Field: "Rule target", Current: shownNotSet, Proposed: "the SNS topic " + awsops.RootAlertTopicName})
	}

	// The email subscription, last: AWS emails the link only once the rest
	// is in place.
	sub := st.emailSubscription(email)
	subscribe := rootAlertCall("sns:Subscribe", "email subscription",
		[]Evidence{regionParam, kv("TopicArn", topicARN), kv("Protocol", "email"), kv("Endpoint", email), kv("ReturnSubscriptionArn", "true")},
		func(ctx context.Context, w awsops.RootAlertWriter) error {
			_, err := w.SubscribeEmail(ctx, topicARN, email)
			return err
		})
	pending := false
	switch {
	case sub == nil:
		subscribe = NewCallOut(subscribe.API, subscribe.Label, subscribe.Params,
			func(ctx context.Context, w awsops.Writer, out Outputs) error {
				aw, err := rootAlertWriter(w)
				if err != nil {
					return err
				}
				arn, err := aw.SubscribeEmail(ctx, topicARN, email)
				out["subscription"] = arn
				return err
			}).
			WithUndo(NewCallOut("sns:Unsubscribe", "email subscription removed", nil,
				func(ctx context.Context, w awsops.Writer, out Outputs) error {
					aw, err := rootAlertWriter(w)
					if err != nil {
						return err
					}
					return aw.UnsubscribeEmail(ctx, out["subscription"])
				}))
		calls = append(calls, subscribe)
		p.Changes = append(p.Changes, Change{Field: "Email subscription", Current: shownNotSet, Proposed: email + " (pending until you confirm)"})
		pending = true
	case !sub.Confirmed && in.Bool(FieldResendConfirmation):
		calls = append(calls, subscribe)
		p.Changes = append(p.Changes, Change{Field: "Email subscription", Current: email + ", pending", Proposed: "confirmation email sent again"})
		pending = true
	case !sub.Confirmed:
		p.Notes = append(p.Notes, "The subscription of "+email+" is waiting for confirmation: check your inbox (and spam folder) for the email from AWS Notifications and click \"Confirm subscription\", then press r to re-check. "+
			"If the email never arrived or its link expired, run the fix again and ask for it to be sent again.")
		reused = append(reused, "the pending subscription of "+email)
	default:
		reused = append(reused, "the confirmed subscription of "+email)
	}

	if len(calls) == 0 {
		p.NoOp = true
		return p, nil
	}
	p.Calls = calls
	if len(reused) > 0 {
		p.Notes = append(p.Notes, "Reused as they are: "+strings.Join(reused, ", ")+".")
	}
	p.Notes = append(p.Notes, "Everything is made in "+region+", where AWS records root sign-ins.")
	if pending {
		p.Notes = append(p.Notes, "AWS then emails a confirmation link to "+email+": check your inbox and press r once you clicked it. Until then nobody gets the alert (the item shows warn).")
	}
	if api {
		p.Notes = append(p.Notes, "Root API calls are matched in "+region+" only: calls to global services (IAM, Organizations) and to "+region+". Read-only calls (Get, List, Describe) are not sent to this rule.")
	}
	p.Notes = append(p.Notes, "The alert needs CloudTrail to record management events (the cloudtrail item). SNS email is free for the first 1,000 a month.")
	p.record = "set up the root sign-in alert in " + region + " (topic and rule " + awsops.RootAlertTopicName + ")"
	if pending {
		p.record += "; the email subscription waits for confirmation"
		return p.Then(func(Outputs) *Stage { return confirmEmailStage(email) }), nil
	}
	return p, nil
}

// confirmEmailStage says what the user must do for the alert to work.
func confirmEmailStage(email string) *Stage {
	return &Stage{
		Title: "Confirm the email subscription",
		Help: "AWS Notifications sent a confirmation email to this address. Check your inbox and press r: the alert is on once you click \"Confirm subscription\" in that email " +
			"(look in the spam folder too). Until then the item shows warn.",
		Show: []Shown{{Label: "Confirmation email sent to", Value: email, Kind: ShownText}},
	}
}

// topicKeyProblem says why an existing topic's encryption key cannot work
// with EventBridge, and what to do ("" when it can, or it has none).
func topicKeyProblem(t *awsops.AlertTopic) string {
	const fix = " Turn encryption off (SNS console → Topics → " + awsops.RootAlertTopicName + " → Edit → Encryption), or use a customer-managed KMS key " +
		"whose key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt; then run the fix again."
	name := "The topic " + t.ARN
	switch k := t.Key; {
	case t.KMSKeyID == "":
		return ""
	case awsops.IsAWSManagedSNSKey(t.KMSKeyID):
		return name + " is encrypted with the AWS managed key alias/aws/sns, which EventBridge cannot use." + fix
	case k == nil:
		return name + " is encrypted with " + t.KMSKeyID + ", which rootguard could not read." + fix
	case k.Manager != "CUSTOMER":
		return name + " is encrypted with an AWS managed key (" + orText(k.ARN, t.KMSKeyID) + "), which EventBridge cannot use." + fix
	case k.State != "Enabled":
		return name + " is encrypted with the KMS key " + orText(k.ARN, t.KMSKeyID) + ", which is " + strings.ToLower(orText(k.State, "not enabled")) + ": enable it, or" + strings.TrimPrefix(fix, " Turn encryption off")
	case !awsops.KeyPolicyLetsEventBridgeUse(k.Policy).Allowed:
		return name + " is encrypted with the KMS key " + orText(k.ARN, t.KMSKeyID) + ", whose key policy does not let EventBridge use it. " +
			"Add a statement allowing Principal {\"Service\": \"events.amazonaws.com\"} kms:GenerateDataKey and kms:Decrypt to the key policy, or turn encryption off; then run the fix again."
	}
	return ""
}

// describeRule is an existing rule as the diff shows it.
func describeRule(r awsops.RuleSetup) string {
	state := "disabled"
	if r.Enabled() {
		state = "enabled"
	}
	switch {
	case awsops.SamePattern(r.Pattern, awsops.RootSignInPattern):
		return "root console sign-ins, " + state
	case awsops.SamePattern(r.Pattern, awsops.RootActivityPattern):
		return "root sign-ins and API calls, " + state
	}
	return "another event pattern, " + state
}

func hasTarget(ts []awsops.RuleTarget, arn string) bool {
	for _, t := range ts {
		if t.ARN == arn {
			return true
		}
	}
	return false
}

// freeTargetID is rootguard's target ID, or a numbered one when another
// target of the rule has it.
func freeTargetID(r *awsops.RuleSetup) string {
	if r == nil {
		return awsops.RootAlertTargetID
	}
	taken := func(id string) bool {
		for _, t := range r.Targets {
			if t.ID == id {
				return true
			}
		}
		return false
	}
	id := awsops.RootAlertTargetID
	for i := 2; taken(id); i++ {
		id = fmt.Sprintf("%s-%d", awsops.RootAlertTargetID, i)
	}
	return id
}

// rootAlertCall is a call of the root alert fix's writer.
func rootAlertCall(api, label string, params []Evidence, write func(ctx context.Context, w awsops.RootAlertWriter) error) Call {
	return NewCall(api, label, params, func(ctx context.Context, w awsops.Writer) error {
		aw, err := rootAlertWriter(w)
		if err != nil {
			return err
		}
		return write(ctx, aw)
	})
}

func rootAlertWriter(w awsops.Writer) (awsops.RootAlertWriter, error) {
	aw, ok := w.(awsops.RootAlertWriter)
	if !ok {
		return nil, errors.New("internal error: this account cannot make the root alert")
	}
	return aw, nil
}
