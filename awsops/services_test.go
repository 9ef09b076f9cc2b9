package awsops_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

func TestIdentityCenterInstances(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("SWBExternalService.ListInstances"), awstest.JSON(200, `{"Instances":[
		{"InstanceArn":"arn:aws:sso:::instance/ssoins-1111","IdentityStoreId":"d-1111","Status":"ACTIVE","PrimaryRegion":"eu-central-1"},
		{"InstanceArn":"arn:aws:sso:::instance/ssoins-2222","Status":"CREATE_IN_PROGRESS"}]}`))
	got, err := a.IdentityCenterInstances(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.IdentityCenterInstance{
		{ARN: "arn:aws:sso:::instance/ssoins-1111", Status: "ACTIVE", Region: "eu-central-1", IdentityStoreID: "d-1111"},
		{ARN: "arn:aws:sso:::instance/ssoins-2222", Status: "CREATE_IN_PROGRESS", Region: awstest.Region},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("instances = %+v", got)
	}
}

func TestIdentityCenterDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("SWBExternalService.ListInstances"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.IdentityCenterInstances(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "sso:ListInstances")
}

const listInstances = "SWBExternalService.ListInstances"

func ssoIn(region string) awstest.Matcher {
	return awstest.And(awstest.Host("sso."+region+".amazonaws.com"), awstest.JSONTarget(listInstances))
}

// Identity Center lives in one region, often not the home region: the other
// enabled regions are searched when the home region has none.
func TestIdentityCenterInAnotherRegion(t *testing.T) {
	a, reg := newAWS(t)
	a.Concurrency = 1 // regions in order, so every stub is used
	reg.Register(ssoIn(awstest.Region), awstest.JSON(200, `{"Instances":[]}`))
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.JSON(200, `{"Regions":[
		{"RegionName":"eu-west-1","RegionOptStatus":"ENABLED_BY_DEFAULT"},{"RegionName":"us-east-1","RegionOptStatus":"ENABLED_BY_DEFAULT"}],
		"NextToken":"p2"}`))
	reg.Register(awstest.And(awstest.REST("POST", "/listRegions"), awstest.JSONField("NextToken", "p2")),
		awstest.JSON(200, `{"Regions":[{"RegionName":"ap-southeast-2","RegionOptStatus":"ENABLED"}]}`))
	reg.Register(ssoIn("us-east-1"), awstest.JSON(200, `{"Instances":[]}`))
	reg.Register(ssoIn("ap-southeast-2"), awstest.JSON(200, `{"Instances":[
		{"InstanceArn":"arn:aws:sso:::instance/ssoins-3333","Status":"ACTIVE"}]}`))

	got, err := a.IdentityCenterInstances(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.IdentityCenterInstance{{ARN: "arn:aws:sso:::instance/ssoins-3333", Status: "ACTIVE", Region: "ap-southeast-2"}}
	if !slices.Equal(got, want) {
		t.Fatalf("instances = %+v", got)
	}
	var body struct{ RegionOptStatusContains []string }
	if err := reg.Find(awstest.REST("POST", "/listRegions"))[0].JSON(&body); err != nil ||
		!slices.Equal(body.RegionOptStatusContains, []string{"ENABLED", "ENABLED_BY_DEFAULT"}) {
		t.Errorf("ListRegions asked for %v (%v), want the enabled regions", body.RegionOptStatusContains, err)
	}
}

// Without account:ListRegions, us-east-1 is searched besides the home region,
// and finding nothing says the search was partial and what it needs.
func TestIdentityCenterRegionsNotListed(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(ssoIn(awstest.Region), awstest.JSON(200, `{"Instances":[]}`))
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.AWSError(403, "AccessDeniedException", "no"))
	reg.Register(ssoIn("us-east-1"), awstest.JSON(200, `{"Instances":[]}`))
	_, err := a.IdentityCenterInstances(context.Background())
	var partial *awsops.PartialSearchError
	if !errors.As(err, &partial) || !slices.Equal(partial.Searched, []string{awstest.Region, "us-east-1"}) {
		t.Fatalf("err = %v, want a partial search of the home region and us-east-1", err)
	}
	wantKind(t, err, awsops.KindAccessDenied, "account:ListRegions")

	a, reg = newAWS(t)
	reg.Register(ssoIn(awstest.Region), awstest.JSON(200, `{"Instances":[]}`))
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.AWSError(403, "AccessDeniedException", "no"))
	reg.Register(ssoIn("us-east-1"), awstest.JSON(200, `{"Instances":[{"InstanceArn":"arn:aws:sso:::instance/ssoins-1","Status":"ACTIVE"}]}`))
	got, err := a.IdentityCenterInstances(context.Background())
	if err != nil || len(got) != 1 || got[0].Region != "us-east-1" {
		t.Fatalf("got %+v, %v; want the us-east-1 instance", got, err)
	}
}

const trailTarget = "CloudTrail_20131101."

func TestTrailsWithStatus(t *testing.T) {
	a, reg := newAWS(t)
	org := "arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail"
	local := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/local"
	reg.Register(awstest.And(awstest.JSONTarget(trailTarget+"DescribeTrails")), awstest.JSON(200, `{"trailList":[
		{"Name":"org-trail","TrailARN":"`+org+`","HomeRegion":"us-east-1","IsMultiRegionTrail":true,"IsOrganizationTrail":true},
		{"Name":"local","TrailARN":"`+local+`","HomeRegion":"eu-west-1","IsMultiRegionTrail":false}]}`))
	reg.Register(awstest.And(awstest.JSONTarget(trailTarget+"GetTrailStatus"), awstest.JSONField("Name", org)), awstest.JSON(200, `{"IsLogging":true}`))
	reg.Register(awstest.And(awstest.JSONTarget(trailTarget+"GetTrailStatus"), awstest.JSONField("Name", local)),
		awstest.AWSError(400, "AccessDeniedException", "no"))
	// An organization trail's selectors cannot be read from a member account.
	reg.Register(awstest.And(awstest.JSONTarget(trailTarget+"GetEventSelectors"), awstest.JSONField("TrailName", org)),
		awstest.AWSError(400, "TrailNotFoundException", "Unknown trail"))
	reg.Register(awstest.And(awstest.JSONTarget(trailTarget+"GetEventSelectors"), awstest.JSONField("TrailName", local)),
		awstest.JSON(200, `{"TrailARN":"`+local+`","EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]}`))

	trails, err := a.Trails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(trails) != 2 {
		t.Fatalf("trails = %+v", trails)
	}
	if tr := trails[0]; tr.Name != "org-trail" || !tr.MultiRegion || !tr.Organization || !tr.IsLogging || tr.StatusErr != nil || tr.HomeRegion != "us-east-1" {
		t.Errorf("org trail = %+v", tr)
	}
	if tr := trails[1]; tr.IsLogging || tr.MultiRegion {
		t.Errorf("local trail = %+v", tr)
	}
	wantKind(t, trails[1].StatusErr, awsops.KindAccessDenied, "cloudtrail:GetTrailStatus")
	wantKind(t, trails[0].SelectorsErr, awsops.KindNotFound, "cloudtrail:GetEventSelectors")
	if trails[1].Management != awsops.ManagementWriteOnly {
		t.Errorf("local trail records %q management events, want write-only", trails[1].Management)
	}
	var body map[string]any
	if err := reg.Find(awstest.JSONTarget(trailTarget + "DescribeTrails"))[0].JSON(&body); err != nil || body["includeShadowTrails"] != true {
		t.Errorf("DescribeTrails must include shadow trails: %v", body)
	}
}

func TestGuardDutyDetectors(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("GET", "/detector"), awstest.JSON(200, `{"detectorIds":["d1","d2"]}`))
	reg.Register(awstest.REST("GET", "/detector/d1"), awstest.JSON(200, `{"status":"ENABLED","serviceRole":"arn:aws:iam::123456789012:role/gd"}`))
	reg.Register(awstest.REST("GET", "/detector/d2"), awstest.JSON(200, `{"status":"DISABLED","serviceRole":"arn:aws:iam::123456789012:role/gd"}`))
	got, err := a.GuardDutyDetectors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []awsops.Detector{{ID: "d1", Enabled: true}, {ID: "d2", Enabled: false}}) {
		t.Fatalf("detectors = %+v", got)
	}
}

func TestGuardDutyNone(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("GET", "/detector"), awstest.JSON(200, `{"detectorIds":[]}`))
	got, err := a.GuardDutyDetectors(context.Background())
	if err != nil || len(got) != 0 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

const budgetTarget = "AWSBudgetServiceGateway."

func TestBudgetsWithNotifications(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.JSONTarget(budgetTarget+"DescribeBudgets"), awstest.JSONField("AccountId", acct)),
		awstest.JSON(200, `{"Budgets":[{"BudgetName":"monthly","BudgetType":"COST","TimeUnit":"MONTHLY",
			"BudgetLimit":{"Amount":"20.0","Unit":"USD"},"CostFilters":{"Service":["Amazon Elastic Compute Cloud - Compute"]},
			"TimePeriod":{"Start":1.7040672E9,"End":3.7064736E9}}]}`))
	reg.Register(awstest.And(awstest.JSONTarget(budgetTarget+"DescribeNotificationsForBudget"), awstest.JSONField("BudgetName", "monthly")),
		awstest.JSON(200, `{"Notifications":[
			{"NotificationType":"ACTUAL","ComparisonOperator":"GREATER_THAN","Threshold":80,"ThresholdType":"PERCENTAGE"},
			{"NotificationType":"FORECASTED","ComparisonOperator":"GREATER_THAN","Threshold":100,"ThresholdType":"PERCENTAGE"}]}`))
	sub := func(kind string) awstest.Matcher {
		return awstest.And(awstest.JSONTarget(budgetTarget+"DescribeSubscribersForNotification"), notificationType(kind))
	}
	reg.Register(sub("ACTUAL"), awstest.JSON(200, `{"Subscribers":[{"SubscriptionType":"EMAIL","Address":"a@example.com"},
		{"SubscriptionType":"EMAIL","Address":"b@example.com"},{"SubscriptionType":"SNS","Address":"arn:aws:sns:us-east-1:123456789012:b"}]}`))
	reg.Register(sub("FORECASTED"), awstest.AWSError(400, "NotFoundException", "no subscribers"))
	// The SNS subscriber's topic: its subscriptions, in its own region.
	reg.Register(awstest.And(awstest.Host("sns.us-east-1.amazonaws.com"), awstest.Query("ListSubscriptionsByTopic"),
		awstest.FormValue("TopicArn", "arn:aws:sns:us-east-1:123456789012:b")), awstest.QueryResult(`<Subscriptions>
			<member><Protocol>email</Protocol><SubscriptionArn>arn:aws:sns:us-east-1:123456789012:b:1</SubscriptionArn><Endpoint>c@example.com</Endpoint></member></Subscriptions>`))

	got, err := a.Budgets(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.Budget{Name: "monthly", Type: "COST", Limit: "20.0", Unit: "USD", TimeUnit: "MONTHLY",
		CostFilters: []string{"Service"}, PeriodEnd: time.Date(2087, 6, 15, 0, 0, 0, 0, time.UTC), Notifications: []awsops.BudgetNotification{
			{Type: "ACTUAL", Comparison: "GREATER_THAN", Threshold: 80, ThresholdType: "PERCENTAGE", EmailSubscribers: 2, SNSSubscribers: 1,
				Emails: []string{"a@example.com", "b@example.com"},
				SNSTopics: []awsops.AlertTopic{{ARN: "arn:aws:sns:us-east-1:123456789012:b",
					Subscriptions: []awsops.Subscription{{Protocol: "email", Endpoint: "c@example.com", Confirmed: true}}}}},
			{Type: "FORECASTED", Comparison: "GREATER_THAN", Threshold: 100, ThresholdType: "PERCENTAGE"},
		}}
	if len(got) != 1 || !budgetEqual(got[0], want) {
		t.Fatalf("budgets = %+v", got)
	}
}

// notificationType matches a request whose Notification.NotificationType is kind.
func notificationType(kind string) awstest.Matcher {
	return awstest.Func("Notification.NotificationType="+kind, func(r *awstest.Request) bool {
		var body struct {
			Notification struct{ NotificationType string }
		}
		return r.JSON(&body) == nil && body.Notification.NotificationType == kind
	})
}

func budgetEqual(a, b awsops.Budget) bool {
	a.PeriodEnd, b.PeriodEnd = a.PeriodEnd.UTC(), b.PeriodEnd.UTC()
	return reflect.DeepEqual(a, b)
}

func TestBudgetsNoneIsNotFound(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(budgetTarget+"DescribeBudgets"), awstest.AWSError(400, "NotFoundException", "Account has no budgets"))
	got, err := a.Budgets(context.Background(), acct)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestBudgetsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(budgetTarget+"DescribeBudgets"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.Budgets(context.Background(), acct)
	wantKind(t, err, awsops.KindAccessDenied, "budgets:ViewBudget")
}

func TestSecurityHubNotSubscribed(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("GET", "/accounts"), awstest.AWSError(401, "InvalidAccessException",
		"Account 123456789012 is not subscribed to AWS Security Hub"))
	s, err := a.SecurityHub(context.Background())
	if err != nil || s.Enabled {
		t.Fatalf("got %+v, %v; want disabled, nil", s, err)
	}
}

func TestSecurityHubEnabled(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("GET", "/accounts"), awstest.JSON(200, `{"HubArn":"arn:aws:securityhub:eu-west-1:123456789012:hub/default",
		"SubscribedAt":"2024-03-01T12:00:00.000Z","AutoEnableControls":true}`))
	s, err := a.SecurityHub(context.Background())
	if err != nil || !s.Enabled || s.SubscribedAt != "2024-03-01T12:00:00.000Z" {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestSecurityHubDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("GET", "/accounts"), awstest.AWSError(403, "AccessDeniedException", "no"))
	_, err := a.SecurityHub(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "securityhub:DescribeHub")
}

func TestConfigRecorders(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("StarlingDoveService.DescribeConfigurationRecorders"), awstest.JSON(200,
		`{"ConfigurationRecorders":[{"name":"default","roleARN":"arn:aws:iam::123456789012:role/config"},{"name":"second"}]}`))
	reg.Register(awstest.JSONTarget("StarlingDoveService.DescribeConfigurationRecorderStatus"), awstest.JSON(200,
		`{"ConfigurationRecordersStatus":[{"name":"default","recording":true,"lastStatus":"SUCCESS"},{"name":"second","recording":false}]}`))
	got, err := a.ConfigRecorders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []awsops.ConfigRecorder{{Name: "default", Recording: true}, {Name: "second"}}) {
		t.Fatalf("recorders = %+v", got)
	}
}

func TestConfigRecordersNone(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("StarlingDoveService.DescribeConfigurationRecorders"), awstest.JSON(200, `{"ConfigurationRecorders":[]}`))
	got, err := a.ConfigRecorders(context.Background())
	if err != nil || len(got) != 0 {
		t.Fatalf("got %+v, %v", got, err)
	}
}
