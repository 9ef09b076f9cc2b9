package awsops_test

// The budget-alert fix over the real SDK client: Budgets is JSON 1.1 at
// budgets.amazonaws.com; every write needs budgets:ModifyBudget.

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

func budgetsOp(op string) awstest.Matcher {
	return awstest.And(awstest.Host("budgets.amazonaws.com"), awstest.JSONTarget("AWSBudgetServiceGateway."+op))
}

// notificationOf matches a request about the notification of that type.
func notificationOf(kind string) awstest.Matcher {
	return awstest.Func("notification "+kind, func(r *awstest.Request) bool {
		var body struct {
			Notification struct{ NotificationType string }
		}
		return r.JSON(&body) == nil && body.Notification.NotificationType == kind
	})
}

const rgBudgetJSON = `{"BudgetName":"rootguard-monthly-cost","BudgetType":"COST","TimeUnit":"MONTHLY",
	"BudgetLimit":{"Amount":"50.0","Unit":"USD"},"TimePeriod":{"Start":1764547200,"End":3706473600},
	"CostTypes":{"IncludeTax":true,"IncludeCredit":false},"CalculatedSpend":{"ActualSpend":{"Amount":"3.2","Unit":"USD"}},
	"LastUpdatedTime":1764547200}`

// budgetReads answers the fix's read of the account's budgets: none, or
// rootguard's with both alerts to rgEmail.
func budgetReads(reg *awstest.Registry, withOurs bool) {
	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	if !withOurs {
		reg.Register(awstest.And(budgetsOp("DescribeBudgets"), awstest.JSONField("AccountId", acct)), awstest.JSON(200, `{"Budgets":[]}`))
		return
	}
	reg.Register(budgetsOp("DescribeBudgets"), awstest.JSON(200, `{"Budgets":[`+rgBudgetJSON+`]}`))
	reg.Register(awstest.And(budgetsOp("DescribeNotificationsForBudget"), awstest.JSONField("BudgetName", steps.BudgetName)),
		awstest.JSON(200, `{"Notifications":[
			{"NotificationType":"ACTUAL","ComparisonOperator":"GREATER_THAN","Threshold":80,"ThresholdType":"PERCENTAGE"},
			{"NotificationType":"FORECASTED","ComparisonOperator":"GREATER_THAN","Threshold":100,"ThresholdType":"PERCENTAGE"}]}`))
	for _, kind := range []string{"ACTUAL", "FORECASTED"} {
		reg.Register(awstest.And(budgetsOp("DescribeSubscribersForNotification"), notificationOf(kind)),
			awstest.JSON(200, `{"Subscribers":[{"SubscriptionType":"EMAIL","Address":"`+rgEmail+`"}]}`))
	}
}

func budgetPlan(t *testing.T, a *awsops.AWS, amount string) steps.Plan {
	t.Helper()
	fix, _ := steps.FixFor(steps.FixBudgetAlert)
	st, err := fix.Load(context.Background(), fixFacts(a))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	p, err := fix.Plan(st, steps.NewInput(steps.Values{steps.FieldBudgetAmount: amount, steps.FieldBudgetEmail: rgEmail}))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func budgetWrites(reg *awstest.Registry) []string {
	var out []string
	for _, r := range reg.Requests() {
		op := strings.TrimPrefix(r.Target(), "AWSBudgetServiceGateway.")
		if op != r.Target() && !strings.HasPrefix(op, "Describe") {
			out = append(out, op)
		}
	}
	return out
}

func TestBudgetFixCreateRequest(t *testing.T) {
	a, reg := fixAWS(t)
	budgetReads(reg, false)
	reg.Register(budgetsOp("CreateBudget"), awstest.JSON(200, `{}`))
	if res := budgetPlan(t, a, "49.99").Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	var body map[string]any
	if err := reg.Find(budgetsOp("CreateBudget"))[0].JSON(&body); err != nil {
		t.Fatal(err)
	}
	alert := func(kind string, threshold float64) map[string]any {
		return map[string]any{
			"Notification": map[string]any{"NotificationType": kind, "ComparisonOperator": "GREATER_THAN", "Threshold": threshold, "ThresholdType": "PERCENTAGE"},
			"Subscribers":  []any{map[string]any{"SubscriptionType": "EMAIL", "Address": rgEmail}},
		}
	}
	want := map[string]any{
		"AccountId": acct,
		"Budget": map[string]any{"BudgetName": "rootguard-monthly-cost", "BudgetType": "COST", "TimeUnit": "MONTHLY",
			"BudgetLimit": map[string]any{"Amount": "49.99", "Unit": "USD"}},
		"NotificationsWithSubscribers": []any{alert("ACTUAL", 80), alert("FORECASTED", 100)},
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("CreateBudget = %v\nwant %v", body, want)
	}
}

func TestBudgetFixCreateDenied(t *testing.T) {
	a, reg := fixAWS(t)
	budgetReads(reg, false)
	reg.Register(budgetsOp("CreateBudget"), awstest.AWSError(400, "AccessDeniedException", "not authorized to perform: budgets:ModifyBudget"))
	res := budgetPlan(t, a, "50").Apply(context.Background(), a)
	if res.OK() || awsops.KindOf(res.Err) != awsops.KindAccessDenied || !strings.Contains(res.Explain(), "needs budgets:ModifyBudget; nothing was changed") {
		t.Fatalf("apply: %s", res.Explain())
	}
}

// A new amount on rootguard's budget: DescribeBudget, then UpdateBudget
// sending the budget back with the new limit and without what AWS computes.
func TestBudgetFixUpdatesTheLimit(t *testing.T) {
	a, reg := fixAWS(t)
	budgetReads(reg, true)
	reg.Register(awstest.And(budgetsOp("DescribeBudget"), awstest.JSONField("BudgetName", steps.BudgetName)), awstest.JSON(200, `{"Budget":`+rgBudgetJSON+`}`))
	reg.Register(budgetsOp("UpdateBudget"), awstest.JSON(200, `{}`))
	p := budgetPlan(t, a, "75")
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if got := budgetWrites(reg); !slices.Equal(got, []string{"UpdateBudget"}) {
		t.Fatalf("writes = %v", got)
	}
	var body struct {
		AccountId string
		NewBudget map[string]any
	}
	if err := reg.Find(budgetsOp("UpdateBudget"))[0].JSON(&body); err != nil {
		t.Fatal(err)
	}
	nb := body.NewBudget
	if body.AccountId != acct || !reflect.DeepEqual(nb["BudgetLimit"], map[string]any{"Amount": "75", "Unit": "USD"}) ||
		nb["BudgetName"] != steps.BudgetName || nb["BudgetType"] != "COST" || nb["TimeUnit"] != "MONTHLY" {
		t.Errorf("NewBudget = %v", nb)
	}
	if !reflect.DeepEqual(nb["CostTypes"], map[string]any{"IncludeTax": true, "IncludeCredit": false}) || nb["TimePeriod"] == nil {
		t.Errorf("the rest of the budget is not sent back as it was: %v", nb)
	}
	if nb["CalculatedSpend"] != nil || nb["LastUpdatedTime"] != nil {
		t.Errorf("what AWS computes is sent: %v", nb)
	}
}

func TestBudgetFixTwiceWritesNothing(t *testing.T) {
	a, reg := fixAWS(t)
	budgetReads(reg, true)
	p := budgetPlan(t, a, "50")
	before := len(reg.Requests())
	if res := p.Apply(context.Background(), a); !p.NoOp || !res.NoOp || len(reg.Requests()) != before {
		t.Fatalf("second run: no-op %v, %d requests", p.NoOp, len(reg.Requests())-before)
	}
}

func TestBudgetFixAddsAMissingAddress(t *testing.T) {
	a, reg := fixAWS(t)
	budgetReads(reg, true)
	reg.Register(awstest.And(budgetsOp("CreateSubscriber"), notificationOf("ACTUAL")), awstest.JSON(200, `{}`))
	reg.Register(awstest.And(budgetsOp("CreateSubscriber"), notificationOf("FORECASTED")), awstest.JSON(200, `{}`))
	fix, _ := steps.FixFor(steps.FixBudgetAlert)
	st, _ := fix.Load(context.Background(), fixFacts(a))
	p, err := fix.Plan(st, steps.NewInput(steps.Values{steps.FieldBudgetAmount: "50", steps.FieldBudgetEmail: "ops@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	var body map[string]any
	_ = reg.Find(budgetsOp("CreateSubscriber"))[0].JSON(&body)
	want := map[string]any{"AccountId": acct, "BudgetName": steps.BudgetName,
		"Notification": map[string]any{"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0, "ThresholdType": "PERCENTAGE"},
		"Subscriber":   map[string]any{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("CreateSubscriber = %v\nwant %v", body, want)
	}
}

// A budget with a limit per period, or one that adjusts itself, is read as
// such: the fix does not change its limit.
func TestBudgetsReadTheKindOfLimit(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(budgetsOp("DescribeBudgets"), awstest.JSON(200, `{"Budgets":[
		{"BudgetName":"planned","BudgetType":"COST","TimeUnit":"MONTHLY","PlannedBudgetLimits":{"1767225600":{"Amount":"10","Unit":"USD"}}},
		{"BudgetName":"auto","BudgetType":"COST","TimeUnit":"MONTHLY","BudgetLimit":{"Amount":"10","Unit":"USD"},"AutoAdjustData":{"AutoAdjustType":"HISTORICAL"}},
		{"BudgetName":"fixed","BudgetType":"COST","TimeUnit":"MONTHLY","BudgetLimit":{"Amount":"10","Unit":"USD"}}]}`))
	for range 3 {
		reg.Register(budgetsOp("DescribeNotificationsForBudget"), awstest.JSON(200, `{"Notifications":[]}`))
	}
	got, err := a.Budgets(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, b := range got {
		kinds[b.Name] = b.LimitKind
	}
	if want := map[string]string{"planned": "planned", "auto": "auto-adjusting", "fixed": ""}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("limit kinds = %v, want %v", kinds, want)
	}
}
