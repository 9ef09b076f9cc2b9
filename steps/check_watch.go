package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

func checkRootActivityAlert(ctx context.Context, f *Facts) Result {
	rules, err := f.RootSignInAlerts(ctx)
	if err != nil {
		return Unknown("the root sign-in alert rules (EventBridge, us-east-1)", err)
	}
	if len(rules) == 0 {
		return Result{Status: StatusFail, Summary: "no alert on root sign-in (no matching EventBridge rule in us-east-1)",
			Evidence: []Evidence{kvInt("matching_rules", 0)},
			Todo:     "In the console, create an SNS topic with your email and an EventBridge rule in us-east-1 (the guide has the steps). rootguard will automate this later."}
	}
	var (
		ev                         []Evidence
		details                    []string
		confirmedOn, pendingOn     []string // enabled rules
		disabledConfirmed, noDeliv []string
		otherOnly                  []string // enabled, delivering only where rootguard cannot follow
		otherKinds                 []string
		topicErr                   error
	)
	for _, rule := range rules {
		state := "disabled"
		if rule.Enabled {
			state = "enabled"
		}
		confirmed, toPerson, pending := 0, 0, 0
		var unverified []string // protocols of confirmed subscriptions that may not reach a person
		for _, t := range rule.Topics {
			if t.Err != nil {
				if topicErr == nil {
					topicErr = t.Err
				}
				details = append(details, fmt.Sprintf("rule %s → %s: subscriptions could not be read", rule.Name, t.ARN))
				continue
			}
			for _, s := range t.Subscriptions {
				status := "pending confirmation"
				switch {
				case !s.Confirmed:
					pending++
				case reachesAPerson(s.Protocol):
					status = "confirmed"
					confirmed++
					toPerson++
				default:
					status = "confirmed"
					confirmed++
					if p := strings.ToLower(s.Protocol); !slices.Contains(unverified, p) {
						unverified = append(unverified, p)
					}
				}
				details = append(details, fmt.Sprintf("rule %s → %s: %s %s (%s)", rule.Name, t.ARN, s.Protocol, s.Endpoint, status))
			}
		}
		ev = append(ev, kv("rule "+rule.Name, fmt.Sprintf("%s, %d topics, %d confirmed, %d pending", state, len(rule.Topics), confirmed, pending)))
		switch {
		case rule.Enabled && toPerson > 0:
			confirmedOn = append(confirmedOn, rule.Name)
		case rule.Enabled && pending > 0:
			pendingOn = append(pendingOn, rule.Name)
		case rule.Enabled && (confirmed > 0 || rule.OtherTargets > 0):
			otherOnly = append(otherOnly, rule.Name)
			if rule.OtherTargets > 0 {
				otherKinds = append(otherKinds, plural(rule.OtherTargets, "non-SNS target", "non-SNS targets"))
			}
			for _, p := range unverified {
				otherKinds = append(otherKinds, p+" subscription")
			}
		case !rule.Enabled && confirmed > 0:
			disabledConfirmed = append(disabledConfirmed, rule.Name)
		default:
			noDeliv = append(noDeliv, rule.Name)
		}
	}
	r := Result{Evidence: ev, Details: details}
	switch {
	case len(confirmedOn) > 0:
		r.Status = StatusPass
		r.Summary = "root sign-in alerts are on (rule " + listOf(confirmedOn, 2) + ", confirmed subscription)"
		return r
	case topicErr != nil:
		return withContext(Unknown("the alert topic's subscriptions", topicErr), r)
	case len(pendingOn) > 0:
		r.Status = StatusWarn
		r.Summary = "the root sign-in alert's email subscription is pending confirmation"
		r.Todo = "Check your inbox for the AWS Notification email and click \"Confirm subscription\"."
	case len(otherOnly) > 0:
		r.Status = StatusWarn
		r.Summary = "the root sign-in rule delivers only to targets rootguard cannot verify reach a person (" + listOf(otherKinds, 3) + ")"
		r.Todo = "Make sure those targets notify a person, or subscribe an email address to the rule's SNS topic and confirm it."
	case len(disabledConfirmed) > 0:
		r.Status = StatusWarn
		r.Summary = "the root sign-in rule is disabled: " + listOf(disabledConfirmed, 2)
		r.Todo = "Enable the rule in EventBridge (us-east-1)."
	default:
		r.Status = StatusWarn
		r.Summary = "a root sign-in rule exists but notifies nobody: " + listOf(noDeliv, 2)
		r.Todo = "Enable the rule and target an SNS topic with a confirmed email subscription (EventBridge, us-east-1)."
	}
	return r
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

func checkCloudTrail(ctx context.Context, f *Facts) Result {
	trails, err := f.Trails(ctx)
	if err != nil {
		return Unknown("the CloudTrail trails", err)
	}
	if len(trails) == 0 {
		return Result{Status: StatusFail, Summary: "no CloudTrail trail: account activity is not recorded",
			Evidence: []Evidence{kvInt("trails", 0)},
			Todo:     "Create a multi-region trail in the CloudTrail console (Trails → Create trail)."}
	}
	var ev []Evidence
	var good []string
	var statusErr error
	for _, t := range trails {
		logging := "not logging"
		switch {
		case t.StatusErr != nil:
			logging = "status unknown"
			if t.MultiRegion && statusErr == nil {
				statusErr = t.StatusErr
			}
		case t.IsLogging:
			logging = "logging"
		}
		scope := "single-region"
		if t.MultiRegion {
			scope = "multi-region"
		}
		if t.Organization {
			scope += ", organization"
		}
		ev = append(ev, kv("trail "+t.Name, scope+", "+logging))
		if t.MultiRegion && t.IsLogging && t.StatusErr == nil {
			good = append(good, t.Name)
		}
	}
	r := Result{Evidence: ev}
	if len(good) > 0 {
		r.Status = StatusPass
		r.Summary = "multi-region trail is logging: " + listOf(good, 2)
		return r
	}
	if statusErr != nil {
		return withContext(Unknown("the trail status", statusErr), r)
	}
	r.Status = StatusWarn
	r.Summary = "no trail is both multi-region and logging"
	r.Todo = "Turn on logging and \"all regions\" for a trail (CloudTrail → Trails), or create a new multi-region trail."
	return r
}

func checkBudgetAlert(ctx context.Context, f *Facts) Result {
	if _, err := f.Identity(ctx); err != nil { // budgets are read per account ID
		return Unknown("who is calling", err)
	}
	budgets, err := f.Budgets(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound { // some accounts answer "no budgets" with NotFound
		budgets, err = nil, nil
	}
	if err != nil {
		return Unknown("the budgets", err)
	}
	var ev []Evidence
	var withEmail, costNoEmail []string
	for _, b := range budgets {
		emails, sns := 0, 0
		for _, n := range b.Notifications {
			emails += n.EmailSubscribers
			sns += n.SNSSubscribers
		}
		ev = append(ev, kv("budget "+b.Name, fmt.Sprintf("%s %s %s/%s, %d notifications, %d email subscribers",
			b.Type, b.Limit, b.Unit, strings.ToLower(b.TimeUnit), len(b.Notifications), emails)))
		if b.Type != "COST" {
			continue
		}
		if emails > 0 {
			withEmail = append(withEmail, b.Name)
		} else {
			costNoEmail = append(costNoEmail, b.Name)
		}
	}
	if len(budgets) == 0 {
		ev = append(ev, kvInt("budgets", 0))
	}
	r := Result{Evidence: ev}
	switch {
	case len(withEmail) > 0:
		r.Status = StatusPass
		r.Summary = "cost budget with an email alert: " + listOf(withEmail, 2)
	case len(costNoEmail) > 0:
		r.Status = StatusWarn
		r.Summary = "cost budget without an email alert: " + listOf(costNoEmail, 2)
		r.Todo = "Add an email notification to the budget (e.g. at 80% actual and 100% forecast)."
	default:
		r.Status = StatusFail
		r.Summary = "no cost budget: nothing warns you when spending climbs"
		r.Todo = "In the Budgets console, create a monthly cost budget with email alerts at 80% actual and 100% forecast (free). rootguard will automate this later."
	}
	return r
}

func checkGuardDuty(ctx context.Context, f *Facts) Result {
	dets, err := f.GuardDutyDetectors(ctx)
	if err != nil {
		return Unknown("the GuardDuty detectors", err)
	}
	const cost = "GuardDuty has a 30-day free trial per region, then costs depend on account activity."
	if len(dets) == 0 {
		return Result{Status: StatusFail, Summary: "GuardDuty is off in the home region",
			Evidence: []Evidence{kvInt("detectors", 0)},
			Todo:     "Enable GuardDuty in the console, in the home region shown in rootguard's header (GuardDuty → Get started). " + cost}
	}
	var ev []Evidence
	enabled := false
	for _, d := range dets {
		state := "disabled"
		if d.Enabled {
			state, enabled = "enabled", true
		}
		ev = append(ev, kv("detector "+d.ID, state))
	}
	if enabled {
		return Result{Status: StatusPass, Summary: "GuardDuty is on in the home region", Evidence: ev}
	}
	return Result{Status: StatusFail, Summary: "GuardDuty is suspended in the home region", Evidence: ev,
		Todo: "Resume GuardDuty in the console, in the home region shown in rootguard's header (GuardDuty → Settings → Enable). " + cost}
}

func checkDetectiveServices(ctx context.Context, f *Facts) Result {
	var (
		hub     awsops.SecurityHubStatus
		hubErr  error
		recs    []awsops.ConfigRecorder
		recsErr error
	)
	concurrently(
		func() { hub, hubErr = f.SecurityHub(ctx) },
		func() { recs, recsErr = f.ConfigRecorders(ctx) },
	)
	if awsops.KindOf(hubErr) == awsops.KindNotEnabled { // not subscribed: off
		hub, hubErr = awsops.SecurityHubStatus{}, nil
	}
	if hubErr != nil {
		return Unknown("the Security Hub status", hubErr)
	}
	if recsErr != nil {
		return Unknown("the AWS Config recorders", recsErr)
	}
	hubState, hubShort := "off", "off"
	if hub.Enabled {
		hubState, hubShort = "on", "on"
		if hub.SubscribedAt != "" {
			hubState += " since " + hub.SubscribedAt
		}
	}
	configState, configShort := "no recorder", "off"
	for _, rec := range recs {
		if rec.Recording {
			configState, configShort = "recording ("+rec.Name+")", "on"
			break
		}
		configState, configShort = "recorder "+rec.Name+" is stopped", "stopped"
	}
	return Result{
		Status:   StatusNA,
		Summary:  fmt.Sprintf("Security Hub is %s, AWS Config is %s (both cost money; optional for small accounts)", hubShort, configShort),
		Evidence: []Evidence{kv("security_hub", hubState), kv("aws_config", configState)},
		Details: []string{
			"Security Hub runs continuous checks like these (30-day trial, then priced per check and finding); most checks need AWS Config.",
			"AWS Config records resource changes and is priced per recorded item and rule evaluation.",
		},
	}
}
