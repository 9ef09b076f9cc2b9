package demo

import (
	"context"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

var (
	testAlert  = awsops.BudgetAlert{Type: "ACTUAL", Threshold: 80, Emails: []string{"me@example.com"}}
	testBudget = awsops.CostBudget{Name: "rootguard-monthly-cost", Amount: "50", Alerts: []awsops.BudgetAlert{testAlert}}
)

// budgetCalls invokes the budget fix's methods.
var budgetCalls = map[string]func(context.Context, *Account) error{
	"CreateCostBudget": func(ctx context.Context, a *Account) error { return a.CreateCostBudget(ctx, AccountID, testBudget) },
	"DeleteBudget":     func(ctx context.Context, a *Account) error { return a.DeleteBudget(ctx, AccountID, testBudget.Name) },
	"SetBudgetLimit": func(ctx context.Context, a *Account) error {
		return a.SetBudgetLimit(ctx, AccountID, testBudget.Name, "60")
	},
	"CreateBudgetAlert": func(ctx context.Context, a *Account) error {
		return a.CreateBudgetAlert(ctx, AccountID, testBudget.Name, testAlert)
	},
	"DeleteBudgetAlert": func(ctx context.Context, a *Account) error {
		return a.DeleteBudgetAlert(ctx, AccountID, testBudget.Name, testAlert)
	},
	"AddBudgetAlertEmail": func(ctx context.Context, a *Account) error {
		return a.AddBudgetAlertEmail(ctx, AccountID, testBudget.Name, testAlert, "b@example.com")
	},
	"RemoveBudgetAlertEmail": func(ctx context.Context, a *Account) error {
		return a.RemoveBudgetAlertEmail(ctx, AccountID, testBudget.Name, testAlert, "b@example.com")
	},
}

func TestBudgetMethodsNameTheirPermission(t *testing.T) {
	for op, call := range budgetCalls {
		a := newTest(t, Options{Fail: map[string]error{op: AccessDenied(permissions[op])}})
		if err := call(context.Background(), a); awsops.PermissionOf(err) != "budgets:ModifyBudget" || awsops.KindOf(err) != awsops.KindAccessDenied {
			t.Errorf("%s: %v", op, err)
		}
	}
}

func TestBudgetWritesAndReads(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	must(t, a.CreateCostBudget(ctx, AccountID, testBudget))
	must(t, a.SetBudgetLimit(ctx, AccountID, testBudget.Name, "75.5"))
	forecast := awsops.BudgetAlert{Type: "FORECASTED", Threshold: 100, Emails: []string{"me@example.com"}}
	must(t, a.CreateBudgetAlert(ctx, AccountID, testBudget.Name, forecast))
	must(t, a.AddBudgetAlertEmail(ctx, AccountID, testBudget.Name, testAlert, "b@example.com"))
	list, err := a.Budgets(ctx, AccountID)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("budgets = %+v", list)
	}
	b := list[0]
	if b.Name != testBudget.Name || b.Type != "COST" || b.TimeUnit != "MONTHLY" || b.Limit != "75.5" || b.Unit != "USD" || len(b.Notifications) != 2 {
		t.Fatalf("budget = %+v", b)
	}
	if n := b.Notifications[0]; n.EmailSubscribers != 2 || len(n.Emails) != 2 || n.Emails[1] != "b@example.com" || !testAlert.Matches(n) {
		t.Errorf("actual alert = %+v", n)
	}
	if n := b.Notifications[1]; !forecast.Matches(n) || n.Emails[0] != "me@example.com" {
		t.Errorf("forecast alert = %+v", n)
	}
	// Undo, one by one.
	must(t, a.RemoveBudgetAlertEmail(ctx, AccountID, testBudget.Name, testAlert, "b@example.com"))
	must(t, a.DeleteBudgetAlert(ctx, AccountID, testBudget.Name, forecast))
	must(t, a.DeleteBudget(ctx, AccountID, testBudget.Name))
	if list, _ := a.Budgets(ctx, AccountID); len(list) != 0 {
		t.Errorf("left: %+v", list)
	}
}

func TestBudgetWritesValidatedLikeAWS(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		existing bool
		call     func(a *Account) error
		code     string
	}{
		"another account": {call: func(a *Account) error { return a.CreateCostBudget(ctx, "999988887777", testBudget) }, code: "AccessDeniedException"},
		"no account":      {call: func(a *Account) error { return a.CreateCostBudget(ctx, "", testBudget) }, code: "InvalidParameterException"},
		"duplicate":       {existing: true, call: func(a *Account) error { return a.CreateCostBudget(ctx, AccountID, testBudget) }, code: "DuplicateRecordException"},
		"zero limit": {call: func(a *Account) error {
			b := testBudget
			b.Amount = "0"
			return a.CreateCostBudget(ctx, AccountID, b)
		}, code: "InvalidParameterException"},
		"update missing": {call: func(a *Account) error { return a.SetBudgetLimit(ctx, AccountID, "nope", "5") }, code: "NotFoundException"},
		"alert twice": {existing: true, call: func(a *Account) error {
			return a.CreateBudgetAlert(ctx, AccountID, testBudget.Name, testAlert)
		}, code: "DuplicateRecordException"},
		"subscriber twice": {existing: true, call: func(a *Account) error {
			return a.AddBudgetAlertEmail(ctx, AccountID, testBudget.Name, testAlert, "ME@example.com")
		}, code: "DuplicateRecordException"},
		"subscriber of a missing alert": {existing: true, call: func(a *Account) error {
			return a.AddBudgetAlertEmail(ctx, AccountID, testBudget.Name, awsops.BudgetAlert{Type: "FORECASTED", Threshold: 100}, "b@example.com")
		}, code: "NotFoundException"},
	} {
		t.Run(name, func(t *testing.T) {
			a := newTest(t, Options{})
			if tc.existing {
				must(t, a.CreateCostBudget(ctx, AccountID, testBudget))
			}
			if code := errorCode(tc.call(a)); code != tc.code {
				t.Errorf("code %q, want %s", code, tc.code)
			}
		})
	}
}
