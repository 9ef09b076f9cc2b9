package steps

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

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

// trailVerdict judges one trail for the cloudtrail item.
func trailVerdict(t awsops.Trail, account string) (Status, string) {
	switch {
	case t.StatusErr != nil:
		return StatusUnknown, ""
	case !t.IsLogging && !t.EverStarted:
		return StatusFail, "the trail " + t.Name + " was created but never started logging"
	case !t.IsLogging:
		return StatusFail, "the trail " + t.Name + " has stopped logging"
	case !t.MultiRegion:
		return StatusWarn, "the trail " + t.Name + " records only its own region (" + orText(t.HomeRegion, "one region") + ")"
	case t.SelectorsErr != nil && t.Organization && account != "" && arnField(t.ARN, 4) != account:
		return StatusWarn, "the organization trail " + t.Name + " is logging; its event selectors cannot be read from this member account, so rootguard cannot see whether it records management events"
	case t.SelectorsErr != nil:
		return StatusUnknown, ""
	case t.Management == awsops.ManagementNone:
		return StatusFail, "the trail " + t.Name + " records no management events"
	case t.Management == awsops.ManagementReadOnly:
		return StatusFail, "the trail " + t.Name + " records only read management events (no changes, no sign-ins)"
	case t.Management == awsops.ManagementWriteOnly:
		return StatusWarn, "the trail " + t.Name + " records only write management events, not reads"
	case t.DeliveryError != "":
		return StatusWarn, "the trail " + t.Name + " cannot deliver its logs: " + t.DeliveryError
	}
	return StatusPass, ""
}

func checkCloudTrail(ctx context.Context, f *Facts) Result {
	var (
		trails []awsops.Trail
		err    error
		id     awsops.Identity
	)
	concurrently(
		func() { trails, err = f.Trails(ctx) },
		func() { id, _ = f.Identity(ctx) }, // only to recognise another account's organization trail
	)
	if err != nil {
		return Unknown("the CloudTrail trails", err)
	}
	if len(trails) == 0 {
		return Result{Status: StatusFail, Summary: "no CloudTrail trail: account activity is not recorded",
			Evidence: []Evidence{kvInt("trails", 0)},
			Todo:     "Create a multi-region trail in the CloudTrail console (Trails → Create trail) that records management events, reads and writes."}
	}
	var (
		ev      []Evidence
		good    []string
		best    = StatusFail
		reason  string
		unknown error
	)
	rank := map[Status]int{StatusFail: 0, StatusWarn: 1, StatusUnknown: 2, StatusPass: 3}
	for _, t := range trails {
		logging := "not logging"
		switch {
		case t.StatusErr != nil:
			logging = "status unknown"
		case t.IsLogging:
			logging = "logging"
		case !t.EverStarted:
			logging = "never started"
		}
		scope := "single-region"
		if t.MultiRegion {
			scope = "multi-region"
		}
		if t.Organization {
			scope += ", organization"
		}
		mgmt := "management events " + orText(t.Management, "unknown")
		if t.SelectorsErr != nil {
			mgmt = "selectors unreadable"
		}
		ev = append(ev, kv("trail "+t.Name, scope+", "+logging+", "+mgmt))
		st, why := trailVerdict(t, id.Account)
		if st == StatusPass {
			good = append(good, t.Name)
		}
		if st == StatusUnknown && unknown == nil && t.MultiRegion {
			unknown = t.StatusErr
			if unknown == nil {
				unknown = t.SelectorsErr
			}
		}
		if st == StatusUnknown && !t.MultiRegion {
			continue // a single-region trail cannot pass anyway
		}
		if rank[st] > rank[best] || reason == "" && why != "" && rank[st] == rank[best] {
			best, reason = st, why
		}
	}
	r := Result{Evidence: ev}
	switch {
	case len(good) > 0:
		r.Status = StatusPass
		r.Summary = "multi-region trail is logging all management events: " + listOf(good, 2)
	case best == StatusUnknown && unknown != nil:
		return withContext(Unknown("the trail status and event selectors", unknown), r)
	case best == StatusWarn:
		r.Status = StatusWarn
		r.Summary = reason
		r.Todo = "Make the trail record management events of every region, reads and writes (CloudTrail → Trails → the trail), and fix delivery errors (the S3 bucket policy)."
	default:
		r.Status = StatusFail
		r.Summary = orText(reason, "no trail is multi-region, logging and recording management events")
		r.Todo = "Start logging on a multi-region trail that records management events, reads and writes (CloudTrail → Trails), or create one."
	}
	return r
}

// reachableThreshold: a notification that fires when spending climbs —
// GREATER_THAN, at no more than ten times the budget.
func reachableThreshold(b awsops.Budget, n awsops.BudgetNotification) (bool, string) {
	if n.Comparison != "GREATER_THAN" {
		return false, fmt.Sprintf("has a %s alert that fires when spending is %s the threshold, not above it", strings.ToLower(n.Type), strings.ToLower(strings.ReplaceAll(n.Comparison, "_", " ")))
	}
	pct := n.Threshold
	if n.ThresholdType == "ABSOLUTE_VALUE" {
		limit, err := strconv.ParseFloat(b.Limit, 64)
		if err != nil || limit <= 0 {
			return true, ""
		}
		pct = 100 * n.Threshold / limit
	}
	if pct > maxThresholdPercent {
		return false, fmt.Sprintf("has an alert threshold (%g%% of the budget) spending will not reach", pct)
	}
	return true, ""
}

// maxThresholdPercent: above ten times the budget, an alert never fires in
// practice.
const maxThresholdPercent = 1000

// budgetVerdict says whether a budget warns a person about the whole bill,
// and if not, why.
func budgetVerdict(now time.Time, b awsops.Budget) (ok bool, why string, err error) {
	switch {
	case b.Type != "COST":
		return false, "is a " + b.Type + " budget, not a cost budget", nil
	case len(b.CostFilters) > 0:
		return false, "watches only part of the bill (filtered by " + strings.Join(b.CostFilters, ", ") + ")", nil
	case !b.PeriodEnd.IsZero() && !b.PeriodEnd.After(now):
		return false, "ended on " + fmtDay(b.PeriodEnd), nil
	case len(b.Notifications) == 0:
		return false, "has no alert", nil
	}
	why = "has no alert a person receives (no email subscriber and no SNS topic with a confirmed subscription)"
	for _, n := range b.Notifications {
		reach, whyNot := reachableThreshold(b, n)
		if !reach {
			why = whyNot
			continue
		}
		if n.EmailSubscribers > 0 {
			return true, "", nil
		}
		for _, t := range n.SNSTopics {
			if t.Err != nil {
				err = t.Err
				continue
			}
			for _, s := range t.Subscriptions {
				if s.Confirmed {
					return true, "", nil
				}
			}
		}
	}
	return false, why, err
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
	now := f.Now()
	var ev []Evidence
	var details, working []string
	var why string
	var linkErr error
	cost := 0
	for _, b := range budgets {
		emails, sns := 0, 0
		for _, n := range b.Notifications {
			emails += n.EmailSubscribers
			sns += n.SNSSubscribers
		}
		ev = append(ev, kv("budget "+b.Name, fmt.Sprintf("%s %s %s/%s, %d notifications, %d email subscribers",
			b.Type, b.Limit, b.Unit, strings.ToLower(b.TimeUnit), len(b.Notifications), emails)))
		if b.Type == "COST" {
			cost++
		}
		ok, whyNot, err := budgetVerdict(now, b)
		switch {
		case ok:
			working = append(working, b.Name)
		case err != nil && linkErr == nil:
			linkErr = err
		}
		if !ok {
			details = append(details, "budget "+b.Name+" "+whyNot)
			if why == "" && b.Type == "COST" {
				why = "the budget " + b.Name + " " + whyNot
			}
		}
	}
	if len(budgets) == 0 {
		ev = append(ev, kvInt("budgets", 0))
	}
	r := Result{Evidence: ev, Details: details}
	switch {
	case len(working) > 0:
		r.Status = StatusPass
		r.Summary = "cost budget for the whole bill with an alert a person receives: " + listOf(working, 2)
	case linkErr != nil:
		return withContext(Unknown("the subscriptions of the budget's SNS topic", linkErr), r)
	case cost > 0:
		r.Status = StatusWarn
		r.Summary = why
		r.Todo = "Use a monthly cost budget without filters, with an email alert at 80% of actual spend and 100% forecast (Budgets → the budget → Edit)."
	default:
		r.Status = StatusFail
		r.Summary = "no cost budget: nothing warns you when spending climbs"
		r.Todo = "In the Budgets console, create a monthly cost budget with email alerts at 80% actual and 100% forecast (free)."
	}
	return r
}

// guardDutyCost is the cost note shown with every GuardDuty todo.
const guardDutyCost = "GuardDuty has a 30-day free trial per region, then costs depend on account activity."

func checkGuardDuty(ctx context.Context, f *Facts) Result {
	var (
		home       []awsops.Detector
		homeErr    error
		regions    []string
		regionsErr error
	)
	concurrently(
		func() { home, homeErr = f.GuardDutyDetectors(ctx) },
		func() { regions, regionsErr = f.EnabledRegions(ctx) },
	)
	if homeErr != nil {
		return Unknown("the GuardDuty detectors", homeErr)
	}
	homeName := orText(f.HomeRegion(), "the home region")
	var ev []Evidence
	on := false
	for _, d := range home {
		state := "disabled"
		if d.Enabled {
			state, on = "enabled", true
		}
		ev = append(ev, kv("detector "+d.ID, state))
	}
	if len(home) == 0 {
		ev = append(ev, kvInt("detectors", 0))
	}
	if !on {
		s := "GuardDuty is off in the home region (" + homeName + ")"
		if len(home) > 0 {
			s = "GuardDuty is suspended in the home region (" + homeName + ")"
		}
		return Result{Status: StatusFail, Summary: s, Evidence: ev,
			Todo: "Enable GuardDuty in the console, in " + homeName + " (GuardDuty → Get started), then in the other regions. " + guardDutyCost}
	}
	if regionsErr != nil {
		return withContext(Unknown("the enabled regions (to check GuardDuty in each)", regionsErr), Result{Evidence: ev,
			Details: []string{"GuardDuty is on in " + homeName + "."}})
	}
	others := make([]string, 0, len(regions))
	for _, r := range regions {
		if r != f.HomeRegion() {
			others = append(others, r)
		}
	}
	dets := make([][]awsops.Detector, len(others))
	errs := make([]error, len(others))
	reads := make([]func(), len(others))
	sem := make(chan struct{}, liveReads)
	for i, region := range others {
		reads[i] = func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			dets[i], errs[i] = f.GuardDutyDetectorsIn(ctx, region)
		}
	}
	concurrently(reads...)
	var off, unread []string
	var firstErr error
	for i, region := range others {
		switch {
		case errs[i] != nil:
			unread = append(unread, region)
			if firstErr == nil {
				firstErr = errs[i]
			}
		case !slicesAnyEnabled(dets[i]):
			off = append(off, region)
		}
	}
	ev = append(ev, kvInt("regions_enabled", len(regions)), kvInt("regions_with_guardduty", len(others)+1-len(off)-len(unread)))
	if len(off) > 0 {
		ev = append(ev, kv("guardduty_off_in", listOf(off, 20)))
	}
	switch {
	case len(unread) > 0:
		return withContext(Unknown("GuardDuty in "+listOf(unread, 3), firstErr), Result{Evidence: ev})
	case len(off) > 0:
		return Result{Status: StatusWarn, Evidence: ev,
			Summary: fmt.Sprintf("GuardDuty is on in %s but off in %s", homeName, plural(len(off), "other region", "other regions")+": "+listOf(off, 4)),
			Todo:    "Enable GuardDuty in the other enabled regions too (or disable regions you do not use): an attacker can use any enabled region. " + guardDutyCost}
	}
	return Result{Status: StatusPass, Summary: fmt.Sprintf("GuardDuty is on in every enabled region (%d)", len(regions)), Evidence: ev}
}

func slicesAnyEnabled(ds []awsops.Detector) bool {
	for _, d := range ds {
		if d.Enabled {
			return true
		}
	}
	return false
}
