package awsops_test

import (
	"context"
	"html"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

const (
	rootSignInPattern = `{"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],
		"detail":{"eventName":["ConsoleLogin"],"userIdentity":{"type":["Root"]}}}`
	topicARN = "arn:aws:sns:us-east-1:123456789012:root-alerts"
	keyARN   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	// The statements AWS documents for EventBridge to an encrypted topic.
	topicPolicyJSON = `{"Version":"2012-10-17","Statement":[{"Sid":"PublishEventsToMyTopic","Effect":"Allow",` +
		`"Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topicARN + `",` +
		`"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/root-signin"}}}]}`
	keyPolicyJSON = `{"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Sid":"EventBridge","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}`
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
			{"Name": "root-signin", "State": "ENABLED", "EventBusName": "default", "EventPattern": rootSignInPattern,
				"Arn": "arn:aws:events:us-east-1:123456789012:rule/root-signin"},
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
	// The topic is encrypted with a customer key: its attributes, then the
	// key's description and policy at once (KMS, awsJson 1.1).
	reg.Register(awstest.And(awstest.Host("sns.us-east-1.amazonaws.com"), awstest.Query("GetTopicAttributes"), awstest.FormValue("TopicArn", topicARN)),
		awstest.QueryResult(`<Attributes>
			<entry><key>Policy</key><value>`+html.EscapeString(topicPolicyJSON)+`</value></entry>
			<entry><key>KmsMasterKeyId</key><value>`+keyARN+`</value></entry>
			<entry><key>TopicArn</key><value>`+topicARN+`</value></entry></Attributes>`))
	kmsHost := awstest.Host("kms.us-east-1.amazonaws.com")
	reg.Register(awstest.And(kmsHost, awstest.JSONTarget("TrentService.DescribeKey"), awstest.JSONField("KeyId", keyARN)),
		awstest.JSON(200, `{"KeyMetadata":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Arn":"`+keyARN+`",
			"KeyManager":"CUSTOMER","KeyState":"Enabled","Enabled":true}}`))
	reg.Register(awstest.And(kmsHost, awstest.JSONTarget("TrentService.GetKeyPolicy"), awstest.JSONField("KeyId", keyARN), awstest.JSONField("PolicyName", "default")),
		awstest.JSONValue(map[string]any{"Policy": keyPolicyJSON, "PolicyName": "default"}))

	alerts, err := a.RootSignInAlerts(context.Background())
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
	topic := got.Topics[0]
	if topic.Policy != topicPolicyJSON || topic.KMSKeyID != keyARN || topic.AttrErr != nil || topic.KeyErr != nil ||
		topic.Key == nil || *topic.Key != (awsops.KMSKey{ARN: keyARN, Manager: "CUSTOMER", State: "Enabled", Policy: keyPolicyJSON}) {
		t.Fatalf("topic path = %+v (key %+v)", topic, topic.Key)
	}
	if got.ARN != "arn:aws:events:us-east-1:123456789012:rule/root-signin" || got.Misses != "" {
		t.Errorf("rule = %+v", got)
	}
	if !awsops.TopicPolicyLetsEventBridgePublish(topic.Policy, topic.ARN, got.ARN).Allowed || !awsops.KeyPolicyLetsEventBridgeUse(topic.Key.Policy).Allowed {
		t.Error("the documented policies should let EventBridge publish and use the key")
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
	reg.Register(awstest.Query("GetTopicAttributes"), awstest.AWSError(403, "AuthorizationError", "not authorized"))

	alerts, err := a.RootSignInAlerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Enabled || len(alerts[0].Topics) != 1 {
		t.Fatalf("alerts = %+v", alerts)
	}
	wantKind(t, alerts[0].Topics[0].Err, awsops.KindAccessDenied, "sns:ListSubscriptionsByTopic")
	wantKind(t, alerts[0].Topics[0].AttrErr, awsops.KindAccessDenied, "sns:GetTopicAttributes")
}

func TestRootSignInAlertsKeyPolicyDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("AWSEvents.ListRules"), awstest.JSONValue(map[string]any{"Rules": []map[string]any{
		{"Name": "root-signin", "State": "ENABLED", "EventPattern": rootSignInPattern, "Arn": "arn:aws:events:us-east-1:123456789012:rule/root-signin"},
	}}))
	reg.Register(awstest.JSONTarget("AWSEvents.ListTargetsByRule"), awstest.JSON(200, `{"Targets":[{"Id":"sns","Arn":"`+topicARN+`"}]}`))
	reg.Register(awstest.Query("ListSubscriptionsByTopic"), awstest.QueryResult(`<Subscriptions/>`))
	reg.Register(awstest.Query("GetTopicAttributes"), awstest.QueryResult(`<Attributes>
		<entry><key>KmsMasterKeyId</key><value>`+keyARN+`</value></entry></Attributes>`))
	reg.Register(awstest.JSONTarget("TrentService.DescribeKey"), awstest.AWSError(400, "AccessDeniedException", "no"))
	reg.Register(awstest.JSONTarget("TrentService.GetKeyPolicy"), awstest.AWSError(400, "AccessDeniedException", "no"))
	alerts, err := a.RootSignInAlerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if e := alerts[0].Topics[0].KeyErr; awsops.KindOf(e) != awsops.KindAccessDenied || !strings.HasPrefix(awsops.PermissionOf(e), "kms:") {
		t.Fatalf("key error = %v", e)
	}
}

// The AWS managed alias/aws/sns key needs no read: EventBridge can never use it.
func TestRootSignInAlertsAWSManagedKeyNotRead(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("AWSEvents.ListRules"), awstest.JSONValue(map[string]any{"Rules": []map[string]any{
		{"Name": "root-signin", "State": "ENABLED", "EventPattern": `{"source":["aws.signin"],"detail":{"userIdentity":{"type":["Root"]},"additionalEventData":{"MFAUsed":["No"]}}}`,
			"Arn": "arn:aws:events:us-east-1:123456789012:rule/root-signin"},
	}}))
	reg.Register(awstest.JSONTarget("AWSEvents.ListTargetsByRule"), awstest.JSON(200, `{"Targets":[{"Id":"sns","Arn":"`+topicARN+`"}]}`))
	reg.Register(awstest.Query("ListSubscriptionsByTopic"), awstest.QueryResult(`<Subscriptions/>`))
	reg.Register(awstest.Query("GetTopicAttributes"), awstest.QueryResult(`<Attributes>
		<entry><key>KmsMasterKeyId</key><value>alias/aws/sns</value></entry></Attributes>`))
	alerts, err := a.RootSignInAlerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tp := alerts[0].Topics[0]; tp.KMSKeyID != "alias/aws/sns" || tp.Key != nil || tp.KeyErr != nil || alerts[0].Misses != "sign-ins with MFA" {
		t.Fatalf("alert = %+v", alerts[0])
	}
}

func TestRootSignInAlertsListDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("AWSEvents.ListRules"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.RootSignInAlerts(context.Background())
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
