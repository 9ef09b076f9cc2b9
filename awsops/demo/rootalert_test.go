package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

var demoTopic = topicARN(awsops.RootAlertTopicName)

// alertCalls invokes the root alert fix's methods.
var alertCalls = map[string]func(context.Context, *Account) error{
	"RootAlertSetup": func(ctx context.Context, a *Account) error {
		_, err := a.RootAlertSetup(ctx, awsops.Identity{Account: AccountID})
		return err
	},
	"CreateAlertTopic": func(ctx context.Context, a *Account) error {
		_, err := a.CreateAlertTopic(ctx, awsops.RootAlertTopicName, awsops.NewRootAlertTopicPolicy(demoTopic, alertRuleARN(awsops.RootAlertRuleName)))
		return err
	},
	"DeleteAlertTopic": func(ctx context.Context, a *Account) error { return a.DeleteAlertTopic(ctx, demoTopic) },
	"SetAlertTopicPolicy": func(ctx context.Context, a *Account) error {
		return a.SetAlertTopicPolicy(ctx, demoTopic, eventBridgeTopicPolicy(demoTopic))
	},
	"SubscribeEmail": func(ctx context.Context, a *Account) error {
		_, err := a.SubscribeEmail(ctx, demoTopic, "me@example.com")
		return err
	},
	"UnsubscribeEmail": func(ctx context.Context, a *Account) error { return a.UnsubscribeEmail(ctx, demoTopic+":x") },
	"PutAlertRule": func(ctx context.Context, a *Account) error {
		_, err := a.PutAlertRule(ctx, awsops.AlertRuleSpec{Name: awsops.RootAlertRuleName, Pattern: awsops.RootSignInPattern, State: awsops.RuleEnabled})
		return err
	},
	"DeleteAlertRule": func(ctx context.Context, a *Account) error { return a.DeleteAlertRule(ctx, awsops.RootAlertRuleName) },
	"PutAlertTarget": func(ctx context.Context, a *Account) error {
		return a.PutAlertTarget(ctx, awsops.RootAlertRuleName, awsops.RuleTarget{ID: "t", ARN: demoTopic})
	},
	"RemoveAlertTarget": func(ctx context.Context, a *Account) error {
		return a.RemoveAlertTarget(ctx, awsops.RootAlertRuleName, "t")
	},
}

func TestAlertMethodsNameTheirPermission(t *testing.T) {
	for op, call := range alertCalls {
		a := newTest(t, Options{Fail: map[string]error{op: AccessDenied(permissions[op])}})
		if err := call(context.Background(), a); awsops.PermissionOf(err) != permissions[op] || awsops.KindOf(err) != awsops.KindAccessDenied {
			t.Errorf("%s: %v", op, err)
		}
	}
}

// The whole path, as the fix makes it: pending until Simulate confirms it;
// the check's reads see each link.
func TestAlertPathPendingThenConfirmed(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	rule := alertRuleARN(awsops.RootAlertRuleName)
	arn, err := a.CreateAlertTopic(ctx, awsops.RootAlertTopicName, awsops.NewRootAlertTopicPolicy(demoTopic, rule))
	must(t, err)
	if arn != demoTopic {
		t.Fatalf("topic ARN %s", arn)
	}
	got, err := a.PutAlertRule(ctx, awsops.AlertRuleSpec{Name: awsops.RootAlertRuleName, Pattern: awsops.RootSignInPattern, State: awsops.RuleEnabled})
	must(t, err)
	if got != rule {
		t.Fatalf("rule ARN %s", got)
	}
	must(t, a.PutAlertTarget(ctx, awsops.RootAlertRuleName, awsops.RuleTarget{ID: awsops.RootAlertTargetID, ARN: demoTopic}))
	sub, err := a.SubscribeEmail(ctx, demoTopic, "me@example.com")
	must(t, err)
	again, err := a.SubscribeEmail(ctx, demoTopic, "ME@example.com")
	must(t, err)
	if !strings.HasPrefix(sub, demoTopic+":") || again != sub {
		t.Fatalf("subscriptions %q, %q: the same address gets its subscription back", sub, again)
	}

	alerts, err := a.RootSignInAlerts(ctx)
	must(t, err)
	if len(alerts) != 1 || alerts[0].ARN != rule || !alerts[0].Enabled || alerts[0].Misses != "" || len(alerts[0].Topics) != 1 {
		t.Fatalf("alerts = %+v", alerts)
	}
	if s := alerts[0].Topics[0].Subscriptions; len(s) != 1 || s[0].Confirmed {
		t.Fatalf("a new email subscription is pending: %+v", s)
	}
	must(t, a.Simulate("root-activity-alert"))
	alerts, _ = a.RootSignInAlerts(ctx)
	if s := alerts[0].Topics[0].Subscriptions; len(s) != 1 || !s[0].Confirmed {
		t.Fatalf("simulating confirms the email: %+v", s)
	}
	if len(alerts) != 1 {
		t.Errorf("simulating a confirmation made another rule: %+v", alerts)
	}
	setup, err := a.RootAlertSetup(ctx, awsops.Identity{Account: AccountID})
	must(t, err)
	if setup.Topic == nil || setup.Rule == nil || len(setup.Rule.Targets) != 1 || setup.Rule.Pattern != awsops.RootSignInPattern {
		t.Errorf("setup = %+v", setup)
	}
}

func TestAlertWritesValidatedLikeAWS(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		setup func(a *Account)
		call  func(a *Account) error
		code  string
	}{
		"topic name": {call: func(a *Account) error {
			_, err := a.CreateAlertTopic(ctx, "bad name", eventBridgeTopicPolicy(demoTopic))
			return err
		}, code: "InvalidParameter"},
		"policy not JSON": {call: func(a *Account) error {
			_, err := a.CreateAlertTopic(ctx, awsops.RootAlertTopicName, "{")
			return err
		}, code: "InvalidParameter"},
		"same name, other attributes": {
			setup: func(a *Account) {
				_, _ = a.CreateAlertTopic(ctx, awsops.RootAlertTopicName, eventBridgeTopicPolicy(demoTopic))
			},
			call: func(a *Account) error {
				_, err := a.CreateAlertTopic(ctx, awsops.RootAlertTopicName, awsops.NewRootAlertTopicPolicy(demoTopic, "x"))
				return err
			}, code: "InvalidParameter"},
		"subscribe without topic": {call: func(a *Account) error {
			_, err := a.SubscribeEmail(ctx, demoTopic, "me@example.com")
			return err
		}, code: "NotFound"},
		"policy without topic": {call: func(a *Account) error {
			return a.SetAlertTopicPolicy(ctx, demoTopic, eventBridgeTopicPolicy(demoTopic))
		}, code: "NotFound"},
		"pattern": {call: func(a *Account) error {
			_, err := a.PutAlertRule(ctx, awsops.AlertRuleSpec{Name: "r", Pattern: "[]", State: awsops.RuleEnabled})
			return err
		}, code: "InvalidEventPatternException"},
		"state": {call: func(a *Account) error {
			_, err := a.PutAlertRule(ctx, awsops.AlertRuleSpec{Name: "r", Pattern: awsops.RootSignInPattern, State: "ON"})
			return err
		}, code: "ValidationException"},
		"target without rule": {call: func(a *Account) error {
			return a.PutAlertTarget(ctx, "nope", awsops.RuleTarget{ID: "t", ARN: demoTopic})
		}, code: "ResourceNotFoundException"},
		"rule with targets": {
			setup: func(a *Account) {
				_, _ = a.PutAlertRule(ctx, awsops.AlertRuleSpec{Name: "r", Pattern: awsops.RootSignInPattern, State: awsops.RuleEnabled})
				_ = a.PutAlertTarget(ctx, "r", awsops.RuleTarget{ID: "t", ARN: demoTopic})
			},
			call: func(a *Account) error { return a.DeleteAlertRule(ctx, "r") }, code: "ValidationException"},
		"sixth target": {
			setup: func(a *Account) {
				_, _ = a.PutAlertRule(ctx, awsops.AlertRuleSpec{Name: "r", Pattern: awsops.RootSignInPattern, State: awsops.RuleEnabled})
				for _, id := range []string{"a", "b", "c", "d", "e"} {
					_ = a.PutAlertTarget(ctx, "r", awsops.RuleTarget{ID: id, ARN: demoTopic})
				}
			},
			call: func(a *Account) error { return a.PutAlertTarget(ctx, "r", awsops.RuleTarget{ID: "f", ARN: demoTopic}) },
			code: "LimitExceededException"},
		"unknown subscription": {call: func(a *Account) error { return a.UnsubscribeEmail(ctx, demoTopic+":nope") }, code: "NotFound"},
	} {
		t.Run(name, func(t *testing.T) {
			a := newTest(t, Options{})
			if tc.setup != nil {
				tc.setup(a)
			}
			err := tc.call(a)
			if code := errorCode(err); code != tc.code {
				t.Errorf("error %v (code %q), want %s", err, code, tc.code)
			}
		})
	}
}

// An old snapshot held only the simulated path, rule and topics together:
// it restores as a rule with the root sign-in pattern targeting the topic.
func TestRestoreOlderAlertSnapshot(t *testing.T) {
	a := newTest(t, Options{})
	s := a.Snapshot()
	s.Topics = nil
	s.Alerts = []SnapshotAlert{{Name: "old", Enabled: true, OtherTargets: 1, Topics: []SnapshotTopic{{ARN: demoTopic,
		Subscriptions: []SnapshotSubscription{{Protocol: "email", Endpoint: "me@example.com", Confirmed: true}}}}}}
	must(t, a.Restore(s))
	alerts, err := a.RootSignInAlerts(context.Background())
	must(t, err)
	if len(alerts) != 1 || alerts[0].ARN != alertRuleARN("old") || !alerts[0].Enabled || alerts[0].OtherTargets != 1 ||
		len(alerts[0].Topics) != 1 || len(alerts[0].Topics[0].Subscriptions) != 1 || !alerts[0].Topics[0].Subscriptions[0].Confirmed ||
		!awsops.TopicPolicyLetsEventBridgePublish(alerts[0].Topics[0].Policy, demoTopic, alerts[0].ARN).Allowed {
		t.Errorf("restored = %+v", alerts)
	}
	if len(a.Snapshot().Topics) != 1 {
		t.Errorf("the old rule's topic is not kept on its own: %+v", a.Snapshot().Topics)
	}
}
