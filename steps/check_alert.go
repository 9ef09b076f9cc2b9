package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// topicPath is how far an alert gets through one SNS topic.
type topicPath struct {
	broken     string // the first broken link ("" when none)
	err        error  // a link that could not be read
	errWhat    string
	confirmed  int // confirmed subscriptions reaching a person
	pending    int
	unverified []string // confirmed protocols that reach systems, not people
}

// followTopic judges the links after the rule: the topic is this
// account's, its policy lets EventBridge publish, its key (if any) is a
// customer-managed key EventBridge may use, and its subscriptions.
func followTopic(rule awsops.AlertRule, t awsops.AlertTopic) topicPath {
	var p topicPath
	acct := arnField(rule.ARN, 4)
	if acct != "" && arnField(t.ARN, 4) != acct {
		p.broken = "the rule's SNS topic " + t.ARN + " belongs to another account, which rootguard cannot follow"
		return p
	}
	switch {
	case t.AttrErr != nil:
		p.err, p.errWhat = t.AttrErr, "the alert topic's policy and key ("+t.ARN+")"
		return p
	default:
		access := awsops.TopicPolicyLetsEventBridgePublish(t.Policy, t.ARN, rule.ARN)
		switch {
		case access.DeniedBy != "":
			p.broken = "the topic policy of " + t.ARN + " denies EventBridge publishing (" + access.DeniedBy + ")"
			return p
		case !access.Allowed && access.Unsure != "":
			p.broken = "the topic policy of " + t.ARN + " lets EventBridge publish only under conditions rootguard cannot check (" + access.Unsure + ")"
			return p
		case !access.Allowed:
			p.broken = "the topic policy of " + t.ARN + " does not let EventBridge (events.amazonaws.com) publish"
			return p
		}
	}
	switch {
	case t.KMSKeyID == "":
	case awsops.IsAWSManagedSNSKey(t.KMSKeyID):
		p.broken = "the topic " + t.ARN + " is encrypted with the AWS managed key alias/aws/sns, which EventBridge can never use"
		return p
	case t.KeyErr != nil:
		p.err, p.errWhat = t.KeyErr, "the alert topic's KMS key ("+t.KMSKeyID+")"
		return p
	case t.Key == nil:
		p.err, p.errWhat = fmt.Errorf("no key details for %s", t.KMSKeyID), "the alert topic's KMS key"
		return p
	case t.Key.Manager != "CUSTOMER":
		p.broken = "the topic " + t.ARN + " is encrypted with an AWS managed key, which EventBridge cannot use"
		return p
	case t.Key.State != "Enabled":
		p.broken = "the topic's KMS key " + orText(t.Key.ARN, t.KMSKeyID) + " is " + strings.ToLower(orText(t.Key.State, "not enabled"))
		return p
	default:
		if !awsops.KeyPolicyLetsEventBridgeUse(t.Key.Policy).Allowed {
			p.broken = "the key policy of " + orText(t.Key.ARN, t.KMSKeyID) + " does not let EventBridge use the key (kms:GenerateDataKey, kms:Decrypt)"
			return p
		}
	}
	return p.subscriptions(t)
}

// subscriptions counts a topic's subscriptions by who they reach.
func (p topicPath) subscriptions(t awsops.AlertTopic) topicPath {
	if t.Err != nil {
		p.err, p.errWhat = t.Err, "the alert topic's subscriptions"
		return p
	}
	for _, s := range t.Subscriptions {
		switch {
		case !s.Confirmed:
			p.pending++
		case reachesAPerson(s.Protocol):
			p.confirmed++
		default:
			if pr := strings.ToLower(s.Protocol) + " subscription"; !containsString(p.unverified, pr) {
				p.unverified = append(p.unverified, pr)
			}
		}
	}
	if p.confirmed == 0 && p.pending == 0 && len(p.unverified) == 0 {
		p.broken = "the topic " + t.ARN + " has no subscription"
	}
	return p
}

// alertOutcome is the best verdict over every rule and topic.
type alertOutcome struct {
	pass       []string // rules that reach a person
	pending    []string
	unverified []string
	broken     []string // broken links, best candidates first
	err        error
	errWhat    string
}

func (o *alertOutcome) addBroken(s string) {
	if !containsString(o.broken, s) {
		o.broken = append(o.broken, s)
	}
}

func checkRootActivityAlert(ctx context.Context, f *Facts) Result {
	var (
		rules     []awsops.AlertRule
		rulesErr  error
		trails    []awsops.Trail
		trailsErr error
	)
	concurrently(
		func() { rules, rulesErr = f.RootSignInAlerts(ctx) },
		func() { trails, trailsErr = f.Trails(ctx) },
	)
	if rulesErr != nil {
		return Unknown("the root sign-in alert rules (EventBridge, us-east-1)", rulesErr)
	}
	var o alertOutcome
	var ev []Evidence
	var details []string
	for _, rule := range rules {
		state := "disabled"
		if rule.Enabled {
			state = "enabled"
		}
		var line []string
		rulePass := false
		for _, t := range rule.Topics {
			p := followTopic(rule, t)
			switch {
			case p.err != nil:
				if o.err == nil {
					o.err, o.errWhat = p.err, p.errWhat
				}
				line = append(line, t.ARN+": could not be read")
			case p.broken != "":
				line = append(line, t.ARN+": "+p.broken)
			default:
				line = append(line, fmt.Sprintf("%s: %d confirmed, %d pending", t.ARN, p.confirmed, p.pending))
			}
			if p.err != nil || p.broken != "" {
				if p.broken != "" && rule.Enabled && rule.Misses == "" {
					o.addBroken(p.broken)
				}
				continue
			}
			switch {
			case !rule.Enabled, rule.Misses != "":
			case p.confirmed > 0:
				rulePass = true
			case p.pending > 0:
				o.pending = append(o.pending, rule.Name)
			default:
				o.unverified = append(o.unverified, p.unverified...)
			}
		}
		switch {
		case !rule.Enabled:
			o.addBroken("the rule " + rule.Name + " is disabled")
		case rule.Misses != "":
			o.addBroken("the rule " + rule.Name + " does not match root " + rule.Misses)
		case len(rule.Topics) == 0 && rule.OtherTargets == 0:
			o.addBroken("the rule " + rule.Name + " has no target")
		case len(rule.Topics) == 0:
			o.unverified = append(o.unverified, plural(rule.OtherTargets, "non-SNS target", "non-SNS targets"))
		}
		if rulePass {
			o.pass = append(o.pass, rule.Name)
		}
		ev = append(ev, kv("rule "+rule.Name, fmt.Sprintf("%s, %d SNS topics, %d other targets", state, len(rule.Topics), rule.OtherTargets)))
		for _, l := range line {
			details = append(details, "rule "+rule.Name+" → "+l)
		}
	}
	if len(rules) == 0 {
		ev = append(ev, kvInt("matching_rules", 0))
	}

	// The CIS route: trail → CloudWatch Logs → metric filter → alarm → SNS.
	cis, cisDetails, cisErr, cisWhat := cisRoute(ctx, f, trails, len(o.pass) > 0)
	details = append(details, cisDetails...)

	// The alert depends on CloudTrail recording management events.
	if trailsErr == nil && !recordsManagementEvents(trails) {
		details = append(details, "No trail records management events: EventBridge and the CIS route get root sign-ins from CloudTrail, so the alert depends on a trail (see cloudtrail).")
	}

	r := Result{Evidence: ev, Details: details}
	switch {
	case len(o.pass) > 0:
		r.Status = StatusPass
		r.Summary = "root sign-in alerts reach a person (rule " + listOf(o.pass, 2) + ", confirmed subscription)"
		return r
	case cis != "":
		r.Status = StatusPass
		r.Summary = "root use raises a CloudWatch alarm that reaches a person (" + cis + ")"
		return r
	case o.err != nil:
		return withContext(Unknown(o.errWhat, o.err), r)
	case cisErr != nil:
		return withContext(Unknown(cisWhat, cisErr), r)
	case len(o.pending) > 0:
		r.Status = StatusWarn
		r.Summary = "the root sign-in alert's email subscription is pending confirmation (rule " + listOf(o.pending, 2) + ")"
		r.Todo = "Check your inbox (and spam folder) for the email from AWS Notifications and click \"Confirm subscription\", then re-check: press r in the wizard, or run rootguard check again."
	case len(o.unverified) > 0:
		r.Status = StatusWarn
		r.Summary = "the root sign-in rule delivers only to targets rootguard cannot verify reach a person (" + listOf(dedupe(o.unverified), 3) + ")"
		r.Todo = "Make sure those targets notify a person, or subscribe an email address to the rule's SNS topic and confirm it."
	case len(o.broken) > 0:
		r.Status = StatusFail
		r.Summary = "the root sign-in alert cannot reach anyone: " + o.broken[0]
		r.Todo = alertTodo(o.broken[0])
	default:
		r.Status = StatusFail
		r.Summary = "no alert on root sign-in (no matching EventBridge rule in us-east-1)"
		r.Todo = "In us-east-1, create an SNS topic whose policy lets events.amazonaws.com publish, subscribe your email and confirm it, then an EventBridge rule for root console sign-ins targeting the topic (the guide has the steps)."
	}
	return r
}

// alertTodo says how to mend a broken link.
func alertTodo(broken string) string {
	switch {
	case strings.Contains(broken, "is disabled"):
		return "Enable the rule in EventBridge (us-east-1)."
	case strings.Contains(broken, "does not match root"):
		return "Make the rule's pattern match root console sign-ins with and without MFA (detail-type \"AWS Console Sign In via CloudTrail\", userIdentity.type \"Root\")."
	case strings.Contains(broken, "has no target"), strings.Contains(broken, "has no subscription"):
		return "Target an SNS topic with your email subscribed and confirmed (EventBridge and SNS, us-east-1)."
	case strings.Contains(broken, "topic policy"):
		return "Add a statement to the topic policy allowing Principal {\"Service\": \"events.amazonaws.com\"} the action sns:Publish on the topic (SNS → Topics → Edit → Access policy)."
	case strings.Contains(broken, "alias/aws/sns"), strings.Contains(broken, "AWS managed key"):
		return "Encrypt the topic with a customer-managed KMS key whose key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt, or turn encryption off."
	case strings.Contains(broken, "key policy"):
		return "Add a statement to the key policy allowing Principal {\"Service\": \"events.amazonaws.com\"} kms:GenerateDataKey and kms:Decrypt."
	case strings.Contains(broken, "KMS key"):
		return "Enable the topic's KMS key, or encrypt the topic with another customer-managed key."
	case strings.Contains(broken, "another account"):
		return "Target an SNS topic in this account with a confirmed email subscription."
	}
	return "Repair the rule's path to an SNS topic with a confirmed email subscription (EventBridge and SNS, us-east-1)."
}

// cisRoute looks for the CIS alarm route on logging trails that deliver to
// CloudWatch Logs. It is read only when the EventBridge route does not
// already pass.
func cisRoute(ctx context.Context, f *Facts, trails []awsops.Trail, skip bool) (pass string, details []string, err error, what string) {
	if skip {
		return "", nil, nil, ""
	}
	var groups []string
	for _, t := range trails {
		if t.IsLogging && t.LogGroupARN != "" && !containsString(groups, t.LogGroupARN) {
			groups = append(groups, t.LogGroupARN)
		}
	}
	results := make([][]awsops.RootUsageAlarm, len(groups))
	errs := make([]error, len(groups))
	reads := make([]func(), len(groups))
	for i, g := range groups {
		reads[i] = func() { results[i], errs[i] = f.RootUsageAlarms(ctx, g) }
	}
	concurrently(reads...)
	for i, g := range groups {
		if errs[i] != nil {
			if err == nil {
				err, what = errs[i], "the CloudWatch alarm route for root use ("+g+")"
			}
			continue
		}
		if len(results[i]) == 0 {
			details = append(details, "log group "+g+": no metric filter for root use")
		}
		for _, ra := range results[i] {
			if len(ra.Alarms) == 0 {
				details = append(details, "metric filter "+ra.Filter+" ("+ra.Metric+"): no alarm on its metric")
			}
			for _, al := range ra.Alarms {
				if !al.ActionsEnabled {
					details = append(details, "alarm "+al.Name+": actions are disabled")
					continue
				}
				for _, t := range al.Topics {
					p := topicPath{}.subscriptions(t)
					switch {
					case p.err != nil:
						if err == nil {
							err, what = p.err, "the alarm topic's subscriptions"
						}
					case p.confirmed > 0:
						if pass == "" {
							pass = "metric filter " + ra.Filter + ", alarm " + al.Name
						}
					default:
						details = append(details, "alarm "+al.Name+" → "+t.ARN+": no confirmed subscription")
					}
				}
			}
		}
	}
	if pass != "" {
		err, what = nil, ""
	}
	return pass, details, err, what
}

// recordsManagementEvents: some trail is logging and records management
// events (writes at least: sign-ins are write events).
func recordsManagementEvents(trails []awsops.Trail) bool {
	for _, t := range trails {
		if t.IsLogging && (t.Management == awsops.ManagementAll || t.Management == awsops.ManagementWriteOnly || t.SelectorsErr != nil) {
			return true
		}
	}
	return false
}

// reachesAPerson reports whether an SNS subscription protocol delivers to a
// person: email (plain or JSON) or SMS. SQS, Lambda, HTTP(S), Firehose and
// mobile push deliver to systems rootguard cannot follow.
func reachesAPerson(protocol string) bool {
	switch strings.ToLower(protocol) {
	case "email", "email-json", "sms":
		return true
	}
	return false
}

// withContext keeps an unknown verdict's reason and adds what was seen.
func withContext(u Result, seen Result) Result {
	u.Evidence = append(u.Evidence, seen.Evidence...)
	u.Details = append(u.Details, seen.Details...)
	return u
}

func arnField(arn string, i int) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ""
	}
	return parts[i]
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
