package awsops_test

// The root-activity-alert fix over the real SDK clients: every request in
// AWS's wire format (SNS: query/XML; EventBridge: JSON 1.1), in
// us-east-1 whatever the home region, the topic policy and event pattern
// as sent, the rollbacks, and the re-check of what the fix made.

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

const (
	rgTopic = "arn:aws:sns:us-east-1:" + acct + ":rootguard-root-activity"
	rgRule  = "arn:aws:events:us-east-1:" + acct + ":rule/rootguard-root-activity"
	rgSub   = rgTopic + ":6c1f0e5a-1111-4222-8333-944455556666"
	rgEmail = "security@example.com"
)

var (
	snsEast    = awstest.Host("sns.us-east-1.amazonaws.com")
	eventsEast = awstest.Host("events.us-east-1.amazonaws.com")
)

func snsOp(op string) awstest.Matcher { return awstest.And(snsEast, awstest.Query(op)) }
func eventsOp(op string) awstest.Matcher {
	return awstest.And(eventsEast, awstest.JSONTarget("AWSEvents."+op))
}

// alertReadsNone answers the fix's reads on an account without its pieces.
func alertReadsNone(reg *awstest.Registry) {
	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	reg.Register(awstest.And(snsOp("GetTopicAttributes"), awstest.FormValue("TopicArn", rgTopic)), awstest.AWSError(404, "NotFound", "Topic does not exist"))
	reg.Register(awstest.And(eventsOp("DescribeRule"), awstest.JSONField("Name", "rootguard-root-activity")),
		awstest.AWSError(400, "ResourceNotFoundException", "Rule rootguard-root-activity does not exist."))
}

func topicAttributes(policy, key string) awstest.Responder {
	entries := `<entry><key>TopicArn</key><value>` + rgTopic + `</value></entry>`
	if policy != "" {
		entries += `<entry><key>Policy</key><value>` + html.EscapeString(policy) + `</value></entry>`
	}
	if key != "" {
		entries += `<entry><key>KmsMasterKeyId</key><value>` + key + `</value></entry>`
	}
	return awstest.QueryResult(`<Attributes>` + entries + `</Attributes>`)
}

func subscriptionsAnswer(subArn string) awstest.Responder {
	return awstest.QueryResult(`<Subscriptions><member><TopicArn>` + rgTopic + `</TopicArn><Protocol>email</Protocol><SubscriptionArn>` +
		subArn + `</SubscriptionArn><Owner>` + acct + `</Owner><Endpoint>` + rgEmail + `</Endpoint></member></Subscriptions>`)
}

func alertPlan(t *testing.T, a *awsops.AWS, v steps.Values) (steps.Plan, error) {
	t.Helper()
	fix, _ := steps.FixFor(steps.FixRootActivityAlert)
	st, err := fix.Load(context.Background(), fixFacts(a))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if v == nil {
		v = steps.Values{steps.FieldAlertEmail: rgEmail}
	}
	return fix.Plan(st, steps.NewInput(v))
}

func mustAlertPlan(t *testing.T, a *awsops.AWS, v steps.Values) steps.Plan {
	t.Helper()
	p, err := alertPlan(t, a, v)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

// alertWrites are the recorded write requests, in order.
func alertWrites(reg *awstest.Registry) []string {
	var out []string
	for _, r := range reg.Requests() {
		op := r.Operation()
		for _, w := range []string{"CreateTopic", "DeleteTopic", "SetTopicAttributes", "Subscribe", "Unsubscribe", "PutRule", "DeleteRule", "PutTargets", "RemoveTargets"} {
			if strings.HasSuffix(op, " "+w) || strings.HasSuffix(op, "."+w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// policyStatements decodes a topic policy statement by statement.
func policyStatements(t *testing.T, policy string) []map[string]any {
	t.Helper()
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatalf("topic policy is not JSON: %v\n%s", err, policy)
	}
	if doc.Version != "2012-10-17" {
		t.Errorf("Version = %q", doc.Version)
	}
	return doc.Statement
}

var wantAlertStatement = map[string]any{
	"Sid": "RootguardEventBridgePublish", "Effect": "Allow",
	"Principal": map[string]any{"Service": "events.amazonaws.com"},
	"Action":    "sns:Publish", "Resource": rgTopic,
	"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": rgRule}},
}

// queryMap is a form's attribute map (Attributes.entry.N.key/value).
func queryMap(form url.Values, prefix string) map[string]string {
	out := map[string]string{}
	for i := 1; ; i++ {
		k := form.Get(prefix + ".entry." + itoa(i) + ".key")
		if k == "" {
			return out
		}
		out[k] = form.Get(prefix + ".entry." + itoa(i) + ".value")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestRootAlertFixRequestsOnAFreshAccount(t *testing.T) {
	a, reg := fixAWS(t) // home region eu-west-1: everything must still go to us-east-1
	alertReadsNone(reg)
	reg.Register(snsOp("CreateTopic"), awstest.QueryResult(`<TopicArn>`+rgTopic+`</TopicArn>`))
	reg.Register(eventsOp("PutRule"), awstest.JSONValue(map[string]any{"RuleArn": rgRule}))
	reg.Register(eventsOp("PutTargets"), awstest.JSON(200, `{"FailedEntryCount":0,"FailedEntries":[]}`))
	reg.Register(snsOp("Subscribe"), awstest.QueryResult(`<SubscriptionArn>`+rgSub+`</SubscriptionArn>`))

	p := mustAlertPlan(t, a, nil)
	res := p.Apply(context.Background(), a)
	if !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if got, want := alertWrites(reg), []string{"CreateTopic", "PutRule", "PutTargets", "Subscribe"}; !slices.Equal(got, want) {
		t.Fatalf("writes = %v, want %v", got, want)
	}

	create := reg.Find(snsOp("CreateTopic"))[0].Form()
	attrs := queryMap(create, "Attributes")
	if create.Get("Name") != "rootguard-root-activity" || len(attrs) != 1 {
		t.Errorf("CreateTopic form = %v", create)
	}
	stmts := policyStatements(t, attrs["Policy"])
	if len(stmts) != 1 || !reflect.DeepEqual(stmts[0], wantAlertStatement) {
		t.Errorf("topic policy statements = %v\nwant [%v]", stmts, wantAlertStatement)
	}

	var rule map[string]any
	if err := reg.Find(eventsOp("PutRule"))[0].JSON(&rule); err != nil {
		t.Fatal(err)
	}
	pattern, _ := rule["EventPattern"].(string)
	if rule["Name"] != "rootguard-root-activity" || rule["State"] != "ENABLED" || rule["RoleArn"] != nil || rule["ScheduleExpression"] != nil ||
		!strings.Contains(rule["Description"].(string), "rootguard") {
		t.Errorf("PutRule = %v", rule)
	}
	if !awsops.PatternMatchesRootSignIn(pattern, acct) || awsops.PatternMisses(pattern, acct) != "" {
		t.Errorf("the pattern sent does not match root sign-ins with and without MFA: %s", pattern)
	}

	var targets struct {
		Rule    string
		Targets []map[string]any
	}
	if err := reg.Find(eventsOp("PutTargets"))[0].JSON(&targets); err != nil {
		t.Fatal(err)
	}
	if targets.Rule != "rootguard-root-activity" || !reflect.DeepEqual(targets.Targets, []map[string]any{{"Id": "rootguard-sns", "Arn": rgTopic}}) {
		t.Errorf("PutTargets = %+v (an SNS target has no RoleArn)", targets)
	}

	sub := reg.Find(snsOp("Subscribe"))[0].Form()
	if sub.Get("TopicArn") != rgTopic || sub.Get("Protocol") != "email" || sub.Get("Endpoint") != rgEmail || sub.Get("ReturnSubscriptionArn") != "true" {
		t.Errorf("Subscribe form = %v", sub)
	}
	for _, r := range reg.Requests() {
		if op := r.Operation(); !strings.Contains(op, "GetCallerIdentity") && !strings.Contains(op, "ListAccountAliases") &&
			!strings.HasSuffix(r.Host, ".us-east-1.amazonaws.com") {
			t.Errorf("%s went to %s, not us-east-1", op, r.Host)
		}
	}
	if res.Next == nil || !strings.Contains(res.Next.Help, "Check your inbox and press r") {
		t.Errorf("next stage = %+v", res.Next)
	}

	// The re-check reads back what was made: the item is warn, pending.
	reg.Register(eventsOp("ListRules"), awstest.JSONValue(map[string]any{"Rules": []map[string]any{
		{"Name": "rootguard-root-activity", "Arn": rgRule, "State": "ENABLED", "EventBusName": "default", "EventPattern": pattern}}}))
	reg.Register(eventsOp("ListTargetsByRule"), awstest.JSONValue(map[string]any{"Targets": targets.Targets}))
	reg.Register(snsOp("ListSubscriptionsByTopic"), subscriptionsAnswer("PendingConfirmation"))
	reg.Register(snsOp("GetTopicAttributes"), topicAttributes(attrs["Policy"], ""))
	reg.Register(awstest.JSONTarget("CloudTrail_20131101.DescribeTrails"), awstest.JSON(200, `{"trailList":[]}`))
	it, _ := steps.Lookup(steps.FixRootActivityAlert)
	r := steps.Reverify(context.Background(), a, it, steps.FactsOptions{})
	if r.Status != steps.StatusWarn || !strings.Contains(r.Todo, "Check your inbox") || !strings.Contains(r.Todo, "press r") {
		t.Errorf("re-check = %s (%s), todo %q", r.Status, r.Summary, r.Todo)
	}
}

func TestRootAlertFixPartialTargetFailureUndoes(t *testing.T) {
	a, reg := fixAWS(t)
	alertReadsNone(reg)
	reg.Register(snsOp("CreateTopic"), awstest.QueryResult(`<TopicArn>`+rgTopic+`</TopicArn>`))
	reg.Register(eventsOp("PutRule"), awstest.JSONValue(map[string]any{"RuleArn": rgRule}))
	// A partial failure is an HTTP 200 with a failed entry.
	reg.Register(eventsOp("PutTargets"), awstest.JSON(200, `{"FailedEntryCount":1,"FailedEntries":[{"TargetId":"rootguard-sns",`+
		`"ErrorCode":"AccessDeniedException","ErrorMessage":"Access to the resource is denied"}]}`))
	reg.Register(awstest.And(eventsOp("DeleteRule"), awstest.JSONField("Name", "rootguard-root-activity")), awstest.JSON(200, `{}`))
	reg.Register(awstest.And(snsOp("DeleteTopic"), awstest.FormValue("TopicArn", rgTopic)), awstest.QueryResult(""))

	res := mustAlertPlan(t, a, nil).Apply(context.Background(), a)
	if res.OK() || res.Failed == nil || res.Failed.API != "events:PutTargets" {
		t.Fatalf("apply: %s", res.Explain())
	}
	if got, want := alertWrites(reg), []string{"CreateTopic", "PutRule", "PutTargets", "DeleteRule", "DeleteTopic"}; !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	if awsops.KindOf(res.Err) != awsops.KindAccessDenied || !strings.Contains(res.Explain(), "needs events:PutTargets") ||
		!strings.Contains(res.Explain(), "nothing was changed") {
		t.Errorf("explain = %s", res.Explain())
	}
}

func TestRootAlertFixSubscribeFailureUndoesEverything(t *testing.T) {
	a, reg := fixAWS(t)
	alertReadsNone(reg)
	reg.Register(snsOp("CreateTopic"), awstest.QueryResult(`<TopicArn>`+rgTopic+`</TopicArn>`))
	reg.Register(eventsOp("PutRule"), awstest.JSONValue(map[string]any{"RuleArn": rgRule}))
	reg.Register(eventsOp("PutTargets"), awstest.JSON(200, `{"FailedEntryCount":0}`))
	reg.Register(snsOp("Subscribe"), awstest.AWSError(403, "AuthorizationError", "not authorized to perform: SNS:Subscribe"))
	reg.Register(eventsOp("RemoveTargets"), awstest.JSON(200, `{"FailedEntryCount":0}`))
	reg.Register(eventsOp("DeleteRule"), awstest.JSON(200, `{}`))
	reg.Register(snsOp("DeleteTopic"), awstest.QueryResult(""))

	res := mustAlertPlan(t, a, nil).Apply(context.Background(), a)
	if res.OK() || !strings.Contains(res.Explain(), "needs sns:Subscribe") || len(res.InPlace()) != 0 {
		t.Fatalf("apply: %s", res.Explain())
	}
	if got, want := alertWrites(reg), []string{"CreateTopic", "PutRule", "PutTargets", "Subscribe", "RemoveTargets", "DeleteRule", "DeleteTopic"}; !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	var remove struct {
		Rule string
		Ids  []string
	}
	_ = reg.Find(eventsOp("RemoveTargets"))[0].JSON(&remove)
	if remove.Rule != "rootguard-root-activity" || !slices.Equal(remove.Ids, []string{"rootguard-sns"}) {
		t.Errorf("RemoveTargets = %+v", remove)
	}
}

// An existing topic (with the default owner statement) and a disabled rule
// are repaired in place; the confirmed subscription and target are kept.
func TestRootAlertFixRepairsExistingPieces(t *testing.T) {
	a, reg := fixAWS(t)
	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	owner := `{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe"],` +
		`"Resource":"` + rgTopic + `","Condition":{"StringEquals":{"AWS:SourceOwner":"` + acct + `"}}}`
	current := `{"Version":"2012-10-17","Id":"__default_policy_ID","Statement":[` + owner + `]}`
	reg.Register(snsOp("GetTopicAttributes"), topicAttributes(current, ""))
	reg.Register(snsOp("ListSubscriptionsByTopic"), subscriptionsAnswer(rgSub))
	reg.Register(eventsOp("DescribeRule"), awstest.JSONValue(map[string]any{"Name": "rootguard-root-activity", "Arn": rgRule,
		"EventPattern": awsops.RootSignInPattern, "State": "DISABLED", "EventBusName": "default"}))
	reg.Register(awstest.And(eventsOp("ListTargetsByRule"), awstest.JSONField("Rule", "rootguard-root-activity")),
		awstest.JSONValue(map[string]any{"Targets": []map[string]any{{"Id": "rootguard-sns", "Arn": rgTopic}}}))
	reg.Register(snsOp("SetTopicAttributes"), awstest.QueryResult(""))
	reg.Register(eventsOp("PutRule"), awstest.JSONValue(map[string]any{"RuleArn": rgRule}))

	p := mustAlertPlan(t, a, nil)
	if res := p.Apply(context.Background(), a); !res.OK() || res.Next != nil {
		t.Fatalf("apply: %s (a confirmed subscription needs no confirmation stage: %v)", res.Explain(), res.Next)
	}
	if got, want := alertWrites(reg), []string{"SetTopicAttributes", "PutRule"}; !slices.Equal(got, want) {
		t.Fatalf("writes = %v, want %v", got, want)
	}
	set := reg.Find(snsOp("SetTopicAttributes"))[0].Form()
	if set.Get("TopicArn") != rgTopic || set.Get("AttributeName") != "Policy" {
		t.Errorf("SetTopicAttributes = %v", set)
	}
	stmts := policyStatements(t, set.Get("AttributeValue"))
	var wantOwner map[string]any
	_ = json.Unmarshal([]byte(owner), &wantOwner)
	if len(stmts) != 2 || !reflect.DeepEqual(stmts[0], wantOwner) || !reflect.DeepEqual(stmts[1], wantAlertStatement) {
		t.Errorf("merged statements = %v", stmts)
	}
	var rule map[string]any
	_ = reg.Find(eventsOp("PutRule"))[0].JSON(&rule)
	if rule["State"] != "ENABLED" || !awsops.SamePattern(rule["EventPattern"].(string), awsops.RootSignInPattern) {
		t.Errorf("PutRule = %v", rule)
	}
}

func TestRootAlertFixTwiceWritesNothing(t *testing.T) {
	a, reg := fixAWS(t)
	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	reg.Register(snsOp("GetTopicAttributes"), topicAttributes(awsops.NewRootAlertTopicPolicy(rgTopic, rgRule), ""))
	reg.Register(snsOp("ListSubscriptionsByTopic"), subscriptionsAnswer("PendingConfirmation"))
	reg.Register(eventsOp("DescribeRule"), awstest.JSONValue(map[string]any{"Name": "rootguard-root-activity", "Arn": rgRule,
		"EventPattern": awsops.RootSignInPattern, "State": "ENABLED"}))
	reg.Register(eventsOp("ListTargetsByRule"), awstest.JSONValue(map[string]any{"Targets": []map[string]any{{"Id": "rootguard-sns", "Arn": rgTopic}}}))

	p := mustAlertPlan(t, a, nil)
	before := len(reg.Requests())
	if res := p.Apply(context.Background(), a); !p.NoOp || !res.NoOp {
		t.Fatalf("second run: %+v", p)
	}
	if n := len(reg.Requests()) - before; n != 0 || len(alertWrites(reg)) != 0 {
		t.Errorf("the second run made %d requests, writes %v", n, alertWrites(reg))
	}
}

func TestRootAlertFixReportsAKeyEventBridgeCannotUse(t *testing.T) {
	keyARN := "arn:aws:kms:us-east-1:" + acct + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for name, tc := range map[string]struct {
		key       string
		keyPolicy string // "" reads no key
		want      string
	}{
		"alias/aws/sns": {key: "alias/aws/sns", want: "alias/aws/sns, which EventBridge cannot use. Turn encryption off"},
		"key policy":    {key: keyARN, keyPolicy: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"kms:*","Resource":"*"}]}`, want: "key policy does not let EventBridge use it"},
	} {
		t.Run(name, func(t *testing.T) {
			a, reg := fixAWS(t)
			identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
			reg.Register(snsOp("GetTopicAttributes"), topicAttributes(awsops.NewRootAlertTopicPolicy(rgTopic, rgRule), tc.key))
			reg.Register(snsOp("ListSubscriptionsByTopic"), subscriptionsAnswer(rgSub))
			reg.Register(eventsOp("DescribeRule"), awstest.AWSError(400, "ResourceNotFoundException", "no rule"))
			if tc.keyPolicy != "" {
				kms := awstest.Host("kms.us-east-1.amazonaws.com")
				reg.Register(awstest.And(kms, awstest.JSONTarget("TrentService.DescribeKey")),
					awstest.JSON(200, `{"KeyMetadata":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Arn":"`+keyARN+`","KeyManager":"CUSTOMER","KeyState":"Enabled"}}`))
				reg.Register(awstest.And(kms, awstest.JSONTarget("TrentService.GetKeyPolicy")), awstest.JSONValue(map[string]any{"Policy": tc.keyPolicy}))
			}
			_, err := alertPlan(t, a, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("plan error %v, want %q", err, tc.want)
			}
			if len(alertWrites(reg)) != 0 {
				t.Errorf("writes: %v", alertWrites(reg))
			}
		})
	}
}

func TestRootAlertSetupReadErrorsNameThePermission(t *testing.T) {
	a, reg := fixAWS(t)
	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	reg.Register(snsOp("GetTopicAttributes"), awstest.AWSError(404, "NotFound", "Topic does not exist"))
	reg.Register(eventsOp("DescribeRule"), awstest.AWSError(400, "AccessDeniedException", "not authorized"))
	fix, _ := steps.FixFor(steps.FixRootActivityAlert)
	_, err := fix.Load(context.Background(), fixFacts(a))
	wantKind(t, err, awsops.KindAccessDenied, "events:DescribeRule")
}
