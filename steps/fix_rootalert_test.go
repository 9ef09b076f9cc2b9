package steps

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

const (
	alertAcct  = "123456789012"
	alertTopic = "arn:aws:sns:us-east-1:" + alertAcct + ":rootguard-root-activity"
	alertRule  = "arn:aws:events:us-east-1:" + alertAcct + ":rule/rootguard-root-activity"
	alertEmail = "security@example.com"
)

// alertWriter records the root alert fix's writes; failOn fails the first
// call of that name with failErr.
type alertWriter struct {
	fixWriter
	log     []string
	failOn  string
	failErr error
	// policies and rules are what was sent, by call.
	policies []string
	rules    []awsops.AlertRuleSpec
}

func (w *alertWriter) do(call string, args ...string) error {
	w.log = append(w.log, strings.TrimSpace(call+" "+strings.Join(args, " ")))
	if w.failOn == call {
		w.failOn = ""
		return w.failErr
	}
	return nil
}

func (w *alertWriter) CreateAlertTopic(_ context.Context, name, policy string) (string, error) {
	w.policies = append(w.policies, policy)
	return alertTopic, w.do("CreateAlertTopic", name)
}
func (w *alertWriter) DeleteAlertTopic(_ context.Context, arn string) error {
	return w.do("DeleteAlertTopic", arn)
}
func (w *alertWriter) SetAlertTopicPolicy(_ context.Context, arn, policy string) error {
	w.policies = append(w.policies, policy)
	return w.do("SetAlertTopicPolicy", arn)
}
func (w *alertWriter) SubscribeEmail(_ context.Context, arn, email string) (string, error) {
	return arn + ":sub-1", w.do("SubscribeEmail", email)
}
func (w *alertWriter) UnsubscribeEmail(_ context.Context, arn string) error {
	return w.do("UnsubscribeEmail", arn)
}
func (w *alertWriter) PutAlertRule(_ context.Context, r awsops.AlertRuleSpec) (string, error) {
	w.rules = append(w.rules, r)
	return alertRule, w.do("PutAlertRule", r.Name, r.State)
}
func (w *alertWriter) DeleteAlertRule(_ context.Context, name string) error {
	return w.do("DeleteAlertRule", name)
}
func (w *alertWriter) PutAlertTarget(_ context.Context, rule string, t awsops.RuleTarget) error {
	return w.do("PutAlertTarget", rule, t.ID, t.ARN)
}
func (w *alertWriter) RemoveAlertTarget(_ context.Context, rule, id string) error {
	return w.do("RemoveAlertTarget", rule, id)
}

var _ awsops.RootAlertWriter = (*alertWriter)(nil)

func freshAlertState() rootAlertState {
	return rootAlertState{
		Identity: awsops.Identity{Account: alertAcct, Partition: "aws"},
		Setup:    awsops.RootAlertSetup{Region: "us-east-1", TopicARN: alertTopic, RuleARN: alertRule},
	}
}

// workingAlertState has every piece in place, the email confirmed.
func workingAlertState() rootAlertState {
	st := freshAlertState()
	st.Setup.Topic = &awsops.AlertTopic{ARN: alertTopic, Policy: awsops.NewRootAlertTopicPolicy(alertTopic, alertRule),
		Subscriptions: []awsops.Subscription{{Protocol: "email", Endpoint: alertEmail, Confirmed: true}}}
	st.Setup.Rule = &awsops.RuleSetup{Name: awsops.RootAlertRuleName, ARN: alertRule, Pattern: awsops.RootSignInPattern,
		State: awsops.RuleEnabled, Targets: []awsops.RuleTarget{{ID: awsops.RootAlertTargetID, ARN: alertTopic}}}
	return st
}

func planAlert(t *testing.T, st rootAlertState, v Values) Plan {
	t.Helper()
	if v == nil {
		v = Values{FieldAlertEmail: alertEmail}
	}
	p, err := PlanRootAlert(st, NewInput(v))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func param(c Call, key string) string {
	for _, e := range c.Params {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

// statements decodes a policy's statements one by one.
func statements(t *testing.T, policy string) []map[string]any {
	t.Helper()
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, policy)
	}
	if doc.Version != "2012-10-17" {
		t.Errorf("policy version %q", doc.Version)
	}
	return doc.Statement
}

// assertOurStatement checks rootguard's statement field by field.
func assertOurStatement(t *testing.T, s map[string]any) {
	t.Helper()
	want := map[string]any{
		"Sid": awsops.RootAlertStatementSid, "Effect": "Allow",
		"Principal": map[string]any{"Service": "events.amazonaws.com"},
		"Action":    "sns:Publish", "Resource": alertTopic,
		"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": alertRule}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("statement = %v\nwant        %v", s, want)
	}
}

// assertMatchesRootSignIns runs the check's own matcher on a pattern.
func assertMatchesRootSignIns(t *testing.T, pattern string) {
	t.Helper()
	if !awsops.PatternMatchesRootSignIn(pattern, alertAcct) || awsops.PatternMisses(pattern, alertAcct) != "" {
		t.Errorf("pattern %s does not match root sign-ins with and without MFA (misses %q)", pattern, awsops.PatternMisses(pattern, alertAcct))
	}
}

func TestRootAlertPlanOnAFreshAccount(t *testing.T) {
	p := planAlert(t, freshAlertState(), nil)
	want := []string{"sns:CreateTopic", "events:PutRule", "events:PutTargets", "sns:Subscribe"}
	if got := callAPIs(p.Calls); !slices.Equal(got, want) {
		t.Fatalf("calls = %v, want %v (the subscription last: the email goes out when the rest is in place)", got, want)
	}
	for _, c := range p.Calls {
		if param(c, "Region") != "us-east-1" {
			t.Errorf("%s is not in us-east-1: %v", c.API, c.Params)
		}
		if c.Undo == nil {
			t.Errorf("%s creates something without an undo", c.API)
		}
	}
	create, rule, target, sub := p.Calls[0], p.Calls[1], p.Calls[2], p.Calls[3]
	if param(create, "Name") != "rootguard-root-activity" {
		t.Errorf("topic name: %v", create.Params)
	}
	stmts := statements(t, param(create, "Attributes.Policy"))
	if len(stmts) != 1 {
		t.Fatalf("a new topic's policy has %d statements, want rootguard's alone", len(stmts))
	}
	assertOurStatement(t, stmts[0])
	if !awsops.TopicPolicyLetsEventBridgePublish(param(create, "Attributes.Policy"), alertTopic, alertRule).Allowed {
		t.Error("the check would not accept the topic policy")
	}
	if awsops.TopicPolicyLetsEventBridgePublish(param(create, "Attributes.Policy"), alertTopic, "arn:aws:events:us-east-1:"+alertAcct+":rule/other").Allowed {
		t.Error("another rule may publish: the statement is not scoped by aws:SourceArn")
	}
	if param(rule, "Name") != "rootguard-root-activity" || param(rule, "State") != "ENABLED" || param(rule, "EventBusName") != "default" {
		t.Errorf("rule params: %v", rule.Params)
	}
	assertMatchesRootSignIns(t, param(rule, "EventPattern"))
	if param(target, "Targets[0].Arn") != alertTopic || param(target, "Targets[0].Id") != "rootguard-sns" || param(target, "Rule") != "rootguard-root-activity" {
		t.Errorf("target params: %v", target.Params)
	}
	if param(sub, "Protocol") != "email" || param(sub, "Endpoint") != alertEmail || param(sub, "ReturnSubscriptionArn") != "true" {
		t.Errorf("subscribe params: %v", sub.Params)
	}
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{"check your inbox and press r", "us-east-1", "cloudtrail"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	w := &alertWriter{}
	res := p.Apply(context.Background(), w)
	if !res.OK() || res.Next == nil || res.Next.Asks() || !strings.Contains(res.Next.Help, "Check your inbox and press r") ||
		len(res.Next.Show) != 1 || res.Next.Show[0].Value != alertEmail {
		t.Fatalf("after applying: %s, next stage %+v", res.Explain(), res.Next)
	}
	if strings.Contains(p.RecordSummary(res), alertEmail) {
		t.Errorf("the record names the address: %q", p.RecordSummary(res))
	}
}

func TestRootAlertPlanWithAPICalls(t *testing.T) {
	p := planAlert(t, freshAlertState(), Values{FieldAlertEmail: alertEmail, FieldAlertAPICalls: "true"})
	pattern := param(p.Calls[1], "EventPattern")
	if pattern != awsops.RootActivityPattern {
		t.Fatalf("pattern = %s", pattern)
	}
	assertMatchesRootSignIns(t, pattern)
	if !strings.Contains(strings.Join(p.Notes, " "), "Read-only calls") {
		t.Errorf("notes must say what API calls are not covered: %q", p.Notes)
	}
}

func TestRootAlertMergesIntoAnExistingPolicy(t *testing.T) {
	st := workingAlertState()
	owner := `{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:Subscribe"],` +
		`"Resource":"` + alertTopic + `","Condition":{"StringEquals":{"AWS:SourceOwner":"` + alertAcct + `"}}}`
	oldOurs := `{"Sid":"RootguardEventBridgePublish","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish",` +
		`"Resource":"` + alertTopic + `","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:events:us-east-1:` + alertAcct + `:rule/renamed"}}}`
	st.Setup.Topic.Policy = `{"Version":"2012-10-17","Id":"__default_policy_ID","Statement":[` + owner + `,` + oldOurs + `]}`
	p := planAlert(t, st, nil)
	if got := callAPIs(p.Calls); !slices.Equal(got, []string{"sns:SetTopicAttributes"}) {
		t.Fatalf("calls = %v: only the policy needs repair", got)
	}
	merged := param(p.Calls[0], "AttributeValue")
	stmts := statements(t, merged)
	if len(stmts) != 2 {
		t.Fatalf("%d statements, want the owner's and rootguard's (the old one replaced, not duplicated):\n%s", len(stmts), merged)
	}
	var wantOwner map[string]any
	_ = json.Unmarshal([]byte(owner), &wantOwner)
	if !reflect.DeepEqual(stmts[0], wantOwner) {
		t.Errorf("the other statement changed: %v", stmts[0])
	}
	assertOurStatement(t, stmts[1])
	var doc map[string]any
	_ = json.Unmarshal([]byte(merged), &doc)
	if doc["Id"] != "__default_policy_ID" {
		t.Errorf("the policy's Id was dropped: %v", doc["Id"])
	}
	// Its undo puts the old policy back.
	w := &alertWriter{failOn: "never"}
	if u := p.Calls[0].Undo; u == nil {
		t.Fatal("the policy repair has no undo")
	} else if err := u.write(context.Background(), w, Outputs{}); err != nil || w.policies[0] != st.Setup.Topic.Policy {
		t.Errorf("undo sent %q (%v)", w.policies, err)
	}
}

func TestRootAlertRefusesPoliciesAndKeysThatCannotWork(t *testing.T) {
	keyPolicyOK := `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}`
	for name, tc := range map[string]struct {
		edit func(*awsops.AlertTopic)
		want string // "" plans fine
	}{
		"a deny": {edit: func(t *awsops.AlertTopic) {
			t.Policy = `{"Version":"2012-10-17","Statement":[{"Sid":"NoEvents","Effect":"Deny","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`
		}, want: "denies EventBridge publishing (statement NoEvents)"},
		"not JSON": {edit: func(t *awsops.AlertTopic) { t.Policy = "{nope" }, want: "not a JSON object"},
		"alias/aws/sns": {edit: func(t *awsops.AlertTopic) { t.Policy, t.KMSKeyID = "", "alias/aws/sns" },
			want: "alias/aws/sns, which EventBridge cannot use. Turn encryption off"},
		"an AWS managed key": {edit: func(t *awsops.AlertTopic) {
			t.KMSKeyID, t.Key = "k", &awsops.KMSKey{ARN: "arn:aws:kms:us-east-1:1:key/k", Manager: "AWS", State: "Enabled"}
		}, want: "AWS managed key"},
		"a disabled key": {edit: func(t *awsops.AlertTopic) {
			t.KMSKeyID, t.Key = "k", &awsops.KMSKey{ARN: "arn:aws:kms:us-east-1:1:key/k", Manager: "CUSTOMER", State: "Disabled", Policy: keyPolicyOK}
		}, want: "which is disabled: enable it"},
		"a key policy without EventBridge": {edit: func(t *awsops.AlertTopic) {
			t.KMSKeyID, t.Key = "k", &awsops.KMSKey{ARN: "arn:aws:kms:us-east-1:1:key/k", Manager: "CUSTOMER", State: "Enabled", Policy: `{"Statement":[]}`}
		}, want: "key policy does not let EventBridge use it"},
		"a customer key EventBridge may use": {edit: func(t *awsops.AlertTopic) {
			t.KMSKeyID, t.Key = "k", &awsops.KMSKey{ARN: "arn:aws:kms:us-east-1:1:key/k", Manager: "CUSTOMER", State: "Enabled", Policy: keyPolicyOK}
		}},
	} {
		t.Run(name, func(t *testing.T) {
			st := workingAlertState()
			tc.edit(st.Setup.Topic)
			_, err := PlanRootAlert(st, NewInput(Values{FieldAlertEmail: alertEmail}))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("plan failed: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want it to say %q", err, tc.want)
			}
			var fe FieldErrors
			if errors.As(err, &fe) {
				t.Errorf("not an input problem, but it came as one: %v", err)
			}
		})
	}
}

func TestRootAlertRepairsTheRule(t *testing.T) {
	st := workingAlertState()
	st.Setup.Rule.State = awsops.RuleDisabled
	st.Setup.Rule.Description = "mine"
	p := planAlert(t, st, nil)
	if got := callAPIs(p.Calls); !slices.Equal(got, []string{"events:PutRule"}) {
		t.Fatalf("calls = %v", got)
	}
	if len(p.Changes) != 1 || p.Changes[0].Current != "root console sign-ins, disabled" {
		t.Errorf("changes = %+v", p.Changes)
	}
	w := &alertWriter{}
	if err := p.Calls[0].Undo.write(context.Background(), w, Outputs{}); err != nil ||
		!reflect.DeepEqual(w.rules, []awsops.AlertRuleSpec{{Name: awsops.RootAlertRuleName, Pattern: awsops.RootSignInPattern, State: awsops.RuleDisabled, Description: "mine"}}) {
		t.Errorf("the undo puts back %+v (%v)", w.rules, err)
	}

	// A rule that already gets every management event keeps that state.
	st = workingAlertState()
	st.Setup.Rule.State = awsops.RuleEnabledAllManagement
	if p := planAlert(t, st, Values{FieldAlertEmail: alertEmail, FieldAlertAPICalls: "true"}); len(p.Calls) != 1 || param(p.Calls[0], "State") != awsops.RuleEnabledAllManagement {
		t.Errorf("calls %+v", p.Calls)
	}

	st = workingAlertState()
	st.Setup.Rule.ManagedBy = "config.amazonaws.com"
	st.Setup.Rule.State = awsops.RuleDisabled
	if _, err := PlanRootAlert(st, NewInput(Values{FieldAlertEmail: alertEmail})); err == nil || !strings.Contains(err.Error(), "managed by config.amazonaws.com") {
		t.Errorf("a managed rule: %v", err)
	}
}

func TestRootAlertTargetIDIsNeverTaken(t *testing.T) {
	st := workingAlertState()
	st.Setup.Rule.Targets = []awsops.RuleTarget{{ID: awsops.RootAlertTargetID, ARN: "arn:aws:lambda:us-east-1:" + alertAcct + ":function:x"}}
	p := planAlert(t, st, nil)
	if len(p.Calls) != 1 || param(p.Calls[0], "Targets[0].Id") != "rootguard-sns-2" {
		t.Fatalf("calls %+v: the other target is kept, ours gets a free ID", p.Calls)
	}
}

func TestRootAlertIdempotentAndPending(t *testing.T) {
	p := planAlert(t, workingAlertState(), nil)
	if !p.NoOp || len(p.Calls) != 0 {
		t.Fatalf("everything in place: %+v", p)
	}
	if res := p.Apply(context.Background(), &alertWriter{}); !res.NoOp || res.Next != nil {
		t.Errorf("a no-op apply: %+v", res)
	}

	st := workingAlertState()
	st.Setup.Topic.Subscriptions[0].Confirmed = false
	p = planAlert(t, st, nil)
	if !p.NoOp || !strings.Contains(strings.Join(p.Notes, " "), "waiting for confirmation") {
		t.Errorf("a pending subscription is not subscribed again: %+v", p)
	}
	p = planAlert(t, st, Values{FieldAlertEmail: strings.ToUpper(alertEmail), FieldResendConfirmation: "true"})
	if got := callAPIs(p.Calls); !slices.Equal(got, []string{"sns:Subscribe"}) || p.Calls[0].Undo != nil {
		t.Errorf("resend: calls %v (the subscription existed: no undo)", got)
	}

	// Another address is added; the first one stays.
	p = planAlert(t, workingAlertState(), Values{FieldAlertEmail: "other@example.com"})
	if got := callAPIs(p.Calls); !slices.Equal(got, []string{"sns:Subscribe"}) {
		t.Errorf("a second address: %v", got)
	}
}

func TestRootAlertRollsBackWhatItMade(t *testing.T) {
	denied := &awsops.Error{Kind: awsops.KindAccessDenied, Code: "AccessDenied"}
	for _, tc := range []struct {
		failOn string
		undone []string
	}{
		{"CreateAlertTopic", nil},
		{"PutAlertRule", []string{"DeleteAlertTopic " + alertTopic}},
		{"PutAlertTarget", []string{"DeleteAlertRule rootguard-root-activity", "DeleteAlertTopic " + alertTopic}},
		{"SubscribeEmail", []string{"RemoveAlertTarget rootguard-root-activity rootguard-sns", "DeleteAlertRule rootguard-root-activity", "DeleteAlertTopic " + alertTopic}},
	} {
		t.Run(tc.failOn, func(t *testing.T) {
			w := &alertWriter{failOn: tc.failOn, failErr: denied}
			p := planAlert(t, freshAlertState(), nil)
			res := p.Apply(context.Background(), w)
			if res.OK() || res.Failed == nil || res.Next != nil {
				t.Fatalf("apply: %s", res.Explain())
			}
			i := slices.IndexFunc(w.log, func(s string) bool { return strings.HasPrefix(s, tc.failOn) })
			if got := w.log[i+1:]; !slices.Equal(got, tc.undone) {
				t.Errorf("after the failure: %q, want %q", got, tc.undone)
			}
			if !strings.Contains(res.Explain(), "needs "+res.Failed.API) {
				t.Errorf("the failure does not name the permission: %s", res.Explain())
			}
			if len(res.InPlace()) != 0 {
				t.Errorf("left in place: %v", res.InPlace())
			}
		})
	}
	// A subscription made before a later failure is taken back by its ARN.
	w := &alertWriter{}
	p := planAlert(t, freshAlertState(), nil)
	out := Outputs{}
	sub := p.Calls[3]
	if err := sub.write(context.Background(), w, out); err != nil || out["subscription"] != alertTopic+":sub-1" {
		t.Fatalf("subscribe: %v, outputs %v", err, out)
	}
	if err := sub.Undo.write(context.Background(), w, out); err != nil || w.log[len(w.log)-1] != "UnsubscribeEmail "+alertTopic+":sub-1" {
		t.Errorf("unsubscribe: %v, log %q", err, w.log)
	}
}

func TestRootAlertFormAndInput(t *testing.T) {
	fix, _ := FixFor(FixRootActivityAlert)
	if !fix.Available() {
		t.Fatal("the fix is not available")
	}
	if err := fix.Check(Input{Values: Values{}, Given: map[string]bool{}}); err == nil || !strings.Contains(err.Error(), "--email") {
		t.Errorf("check without an email: %v", err)
	}
	st := workingAlertState()
	st.Setup.Rule.Pattern = awsops.RootActivityPattern
	st.Setup.Topic.Subscriptions[0].Confirmed = false
	groups := rootAlertForm(&st)
	v := Values{}
	for _, g := range groups {
		for _, f := range g.Fields {
			v[f.Key] = f.Default
		}
	}
	if v[FieldAlertEmail] != alertEmail || v[FieldAlertAPICalls] != "true" || v[FieldResendConfirmation] != "false" {
		t.Errorf("defaults from the state: %v", v)
	}
	resend := groups[1]
	if !resend.Shown(v) || resend.Shown(Values{FieldAlertEmail: "other@example.com"}) {
		t.Error("the resend question shows for a pending address only")
	}
	if rootAlertForm(nil)[1].Shown(v) {
		t.Error("without a state nothing is pending")
	}
	if err := groups[0].Fields[0].Validate("not-an-email", nil); err == nil {
		t.Error("a bad address passes the field")
	}
	if _, err := PlanRootAlert(st, NewInput(Values{FieldAlertEmail: "x@"})); !errors.As(err, new(FieldErrors)) {
		t.Errorf("a bad address: %v", err)
	}
}
