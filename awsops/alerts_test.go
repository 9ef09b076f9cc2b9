package awsops_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

const (
	rootSignInPattern = `{"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],
		"detail":{"eventName":["ConsoleLogin"],"userIdentity":{"type":["Root"]}}}`
	topicARN = "arn:aws:sns:us-east-1:123456789012:root-alerts"
)

func TestRootSignInAlertsWithPendingSubscription(t *testing.T) {
	a, reg := newAWS(t) // home region eu-west-1: the alert clients must still use us-east-1
	events := awstest.Host("events.us-east-1.amazonaws.com")
	reg.Register(awstest.And(events, awstest.JSONTarget("AWSEvents.ListRules")), awstest.JSONValue(map[string]any{
		"Rules": []map[string]any{
			{"Name": "all-signins", "State": "ENABLED", "EventPattern": `{"source":["aws.signin"]}`},
			{"Name": "nightly", "State": "ENABLED", "ScheduleExpression": "rate(1 day)"},
		},
		"NextToken": "page2",
	}))
	reg.Register(awstest.And(events, awstest.JSONTarget("AWSEvents.ListRules"), awstest.JSONField("NextToken", "page2")),
		awstest.JSONValue(map[string]any{"Rules": []map[string]any{
			{"Name": "root-signin", "State": "ENABLED", "EventBusName": "default", "EventPattern": rootSignInPattern},
		}}))
	reg.Register(awstest.And(events, awstest.JSONTarget("AWSEvents.ListTargetsByRule"), awstest.JSONField("Rule", "root-signin")),
		awstest.JSON(200, `{"Targets":[{"Id":"sns","Arn":"`+topicARN+`"},{"Id":"fn","Arn":"arn:aws:lambda:us-east-1:123456789012:function:notify"}]}`))
	reg.Register(awstest.And(awstest.Host("sns.us-east-1.amazonaws.com"), awstest.Query("ListSubscriptionsByTopic"), awstest.FormValue("TopicArn", topicARN)),
		awstest.QueryResult(`<Subscriptions>
			<member><TopicArn>`+topicARN+`</TopicArn><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation</SubscriptionArn>
				<Owner>123456789012</Owner><Endpoint>ops@example.com</Endpoint></member>
			<member><TopicArn>`+topicARN+`</TopicArn><Protocol>email</Protocol>
				<SubscriptionArn>`+topicARN+`:0b1c2d3e-aaaa-bbbb-cccc-000000000000</SubscriptionArn>
				<Owner>123456789012</Owner><Endpoint>sec@example.com</Endpoint></member>
			</Subscriptions>`))

	alerts, err := a.RootSignInAlerts(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 {
		t.Fatalf("alerts = %+v (a pattern for every sign-in is not root-specific)", alerts)
	}
	got := alerts[0]
	if got.Name != "root-signin" || !got.Enabled || got.OtherTargets != 1 || len(got.Topics) != 1 || got.Topics[0].Err != nil {
		t.Fatalf("alert = %+v", got)
	}
	want := []awsops.Subscription{
		{Protocol: "email", Endpoint: "ops@example.com", Confirmed: false},
		{Protocol: "email", Endpoint: "sec@example.com", Confirmed: true},
	}
	if !slices.Equal(got.Topics[0].Subscriptions, want) {
		t.Fatalf("subscriptions = %+v", got.Topics[0].Subscriptions)
	}
}

func TestRootSignInAlertsTopicUnreadable(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("AWSEvents.ListRules"), awstest.JSONValue(map[string]any{"Rules": []map[string]any{
		{"Name": "root-activity", "State": "DISABLED",
			"EventPattern": `{"detail-type":["AWS API Call via CloudTrail","AWS Console Sign In via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`},
	}}))
	reg.Register(awstest.JSONTarget("AWSEvents.ListTargetsByRule"), awstest.JSON(200, `{"Targets":[{"Id":"sns","Arn":"`+topicARN+`"}]}`))
	reg.Register(awstest.Query("ListSubscriptionsByTopic"), awstest.AWSError(403, "AuthorizationError", "not authorized"))

	alerts, err := a.RootSignInAlerts(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Enabled || len(alerts[0].Topics) != 1 {
		t.Fatalf("alerts = %+v", alerts)
	}
	wantKind(t, alerts[0].Topics[0].Err, awsops.KindAccessDenied, "sns:ListSubscriptionsByTopic")
}

func TestRootSignInAlertsListDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("AWSEvents.ListRules"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.RootSignInAlerts(context.Background(), acct)
	wantKind(t, err, awsops.KindAccessDenied, "events:ListRules")
}

func TestPatternMatchesRootSignIn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern string
		want    bool
	}{
		{"documented sign-in pattern", rootSignInPattern, true},
		{"all root activity", `{"detail-type":["AWS API Call via CloudTrail","AWS Console Sign In via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`, true},
		{"root type only", `{"detail":{"userIdentity":{"type":["Root"]}}}`, true},
		{"root without MFA (CIS style)", `{"source":["aws.signin"],"detail":{"userIdentity":{"type":["Root"]},"additionalEventData":{"MFAUsed":["No"]}}}`, true},
		{"root by arn suffix", `{"source":["aws.signin"],"detail":{"userIdentity":{"arn":[{"suffix":":root"}],"type":[{"equals-ignore-case":"root"}]}}}`, true},
		{"$or with root branch", `{"source":["aws.signin"],"$or":[{"detail":{"userIdentity":{"type":["Root"]}}},{"detail":{"eventName":["Nope"]}}]}`, true},
		{"anything-but IAMUser", `{"source":["aws.signin"],"detail":{"userIdentity":{"type":[{"anything-but":["IAMUser","AssumedRole"]}]}}}`, true},
		{"pinned to the account", `{"source":["aws.signin"],"account":["` + acct + `"],"detail":{"userIdentity":{"type":["Root"]}}}`, true},
		{"pinned to the recipient account", `{"source":["aws.signin"],"region":["us-east-1"],"detail":{"recipientAccountId":["` + acct + `"],"userIdentity":{"type":["Root"]}}}`, true},
		{"root by arn suffix alone", `{"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"userIdentity":{"arn":[{"suffix":":root"}]}}}`, true},
		{"root by arn wildcard", `{"source":["aws.signin"],"detail":{"userIdentity":{"arn":[{"wildcard":"arn:aws:iam::*:root"}]}}}`, true},
		{"root by account-pinned arn", `{"source":["aws.signin"],"detail":{"userIdentity":{"arn":["arn:aws:iam::` + acct + `:root"]}}}`, true},
		{"event fields that exist", `{"id":[{"exists":true}],"time":[{"exists":true}],"detail":{"eventID":[{"exists":true}],"userIdentity":{"type":["Root"]}}}`, true},
		{"pinned to another account", `{"source":["aws.signin"],"account":["999988887777"],"detail":{"userIdentity":{"type":["Root"]}}}`, false},
		{"every user's sign-in", `{"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"eventName":["ConsoleLogin"],"responseElements":{"ConsoleLogin":["Success"]}}}`, false},
		{"wildcard spanning every principal", `{"source":["aws.signin"],"detail":{"userIdentity":{"arn":[{"wildcard":"arn:aws:iam::*"}]}}}`, false},
		{"everything but root", `{"source":["aws.signin"],"detail":{"userIdentity":{"arn":[{"anything-but":{"suffix":":root"}}]}}}`, false},
		{"every sign-in", `{"source":["aws.signin"]}`, false},
		{"misspelled detail-type never fires", `{"detail-type":["AWS Console Signin via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`, false},
		{"API calls only", `{"detail-type":["AWS API Call via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`, false},
		{"failures only", `{"source":["aws.signin"],"detail":{"userIdentity":{"type":["Root"]},"responseElements":{"ConsoleLogin":["Failure"]}}}`, false},
		{"IAM users", `{"source":["aws.signin"],"detail":{"userIdentity":{"type":["IAMUser"]}}}`, false},
		{"field must be absent", `{"detail":{"userIdentity":{"type":["Root"]},"eventName":[{"exists":false}]}}`, false},
		{"empty", ``, false},
		{"not json", `{"source":`, false},
	} {
		if got := awsops.PatternMatchesRootSignIn(tc.pattern, acct); got != tc.want {
			t.Errorf("%s: match = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Objects in a pattern are never compared with ==, which panics on maps.
func TestPatternMatcherComparesOnlyScalars(t *testing.T) {
	for _, pattern := range []string{
		`{"detail":[{"anything-but":[{"a":1}]}]}`,
		`{"detail":{"userIdentity":[{"anything-but":[{"type":"Root"}]}]}}`,
		`{"detail":[{"anything-but":{"a":1}}]}`,
		`{"resources":[[]],"detail":{"userIdentity":{"type":["Root"]}}}`,
	} {
		if awsops.PatternMatchesRootSignIn(pattern, acct) {
			t.Errorf("%s matched root sign-in", pattern)
		}
	}
}
