package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// The budget-alert fix's writes, validated like AWS Budgets: this account
// only, unique names, a positive limit, at most ten email subscribers per
// notification, no duplicate notification or subscriber.

var _ awsops.BudgetWriter = (*Account)(nil)

// Budgets' limits per call and per notification.
const (
	maxBudgetNotifications = 10
	maxEmailSubscribers    = 10
)

func budgetNotFound(op, what string) error {
	return &awsops.Error{Kind: awsops.KindNotFound, Permission: permissions[op], Code: "NotFoundException",
		Message: "Unable to " + what + " - the budget doesn't exist."}
}

func budgetDuplicate(op, what string) error {
	return &awsops.Error{Kind: awsops.KindOther, Permission: permissions[op], Code: "DuplicateRecordException", Message: what + " already exists."}
}

func budgetInvalid(op, msg string) error {
	return &awsops.Error{Kind: awsops.KindOther, Permission: permissions[op], Code: "InvalidParameterException", Message: msg}
}

// budgetAccount refuses another account's budgets, as Budgets does.
func budgetAccount(op, accountID string) error {
	switch accountID {
	case AccountID:
		return nil
	case "":
		return validationError(op, "InvalidParameterException", []string{"Value at 'accountId' failed to satisfy constraint: Member must not be null"})
	}
	return AccessDenied(permissions[op])
}

func (st *state) budget(name string) *awsops.Budget {
	for i := range st.budgets {
		if st.budgets[i].Name == name {
			return &st.budgets[i]
		}
	}
	return nil
}

func validAmount(op, amount string) error {
	if f, err := strconv.ParseFloat(amount, 64); err != nil || f <= 0 {
		return budgetInvalid(op, "The budget limit must be a positive number: "+amount)
	}
	return nil
}

func budgetNotification(a awsops.BudgetAlert) awsops.BudgetNotification {
	return awsops.BudgetNotification{Type: a.Type, Comparison: "GREATER_THAN", Threshold: a.Threshold, ThresholdType: "PERCENTAGE",
		EmailSubscribers: len(a.Emails), Emails: slices.Clone(a.Emails)}
}

func alertParams(a awsops.BudgetAlert) string {
	return fmt.Sprintf("Notification=%s/%g%%", a.Type, a.Threshold)
}

func (a *Account) CreateCostBudget(ctx context.Context, accountID string, b awsops.CostBudget) error {
	return a.write(ctx, "CreateCostBudget", "BudgetName="+b.Name+" Limit="+b.Amount+" USD", func(st *state) error {
		if err := budgetAccount("CreateCostBudget", accountID); err != nil {
			return err
		}
		if st.budget(b.Name) != nil {
			return budgetDuplicate("CreateCostBudget", "Error creating budget: "+b.Name+" - the budget")
		}
		if err := validAmount("CreateCostBudget", b.Amount); err != nil {
			return err
		}
		if len(b.Alerts) > maxBudgetNotifications {
			return budgetInvalid("CreateCostBudget", "You can create at most 10 notifications in one call")
		}
		nb := awsops.Budget{Name: b.Name, Type: "COST", Limit: b.Amount, Unit: "USD", TimeUnit: "MONTHLY"}
		for _, al := range b.Alerts {
			if len(al.Emails) == 0 || len(al.Emails) > maxEmailSubscribers {
				return budgetInvalid("CreateCostBudget", "A notification has 1 to 10 email subscribers")
			}
			nb.Notifications = append(nb.Notifications, budgetNotification(al))
		}
		st.budgets = append(st.budgets, nb)
		return nil
	})
}

func (a *Account) DeleteBudget(ctx context.Context, accountID, name string) error {
	return a.write(ctx, "DeleteBudget", "BudgetName="+name, func(st *state) error {
		if err := budgetAccount("DeleteBudget", accountID); err != nil {
			return err
		}
		if st.budget(name) == nil {
			return budgetNotFound("DeleteBudget", "delete budget: "+name)
		}
		st.budgets = slices.DeleteFunc(st.budgets, func(b awsops.Budget) bool { return b.Name == name })
		return nil
	})
}

func (a *Account) SetBudgetLimit(ctx context.Context, accountID, name, amount string) error {
	return a.write(ctx, "SetBudgetLimit", "BudgetName="+name+" Limit="+amount+" USD", func(st *state) error {
		if err := budgetAccount("SetBudgetLimit", accountID); err != nil {
			return err
		}
		b := st.budget(name)
		if b == nil {
			return budgetNotFound("SetBudgetLimit", "update budget: "+name)
		}
		if b.LimitKind != "" {
			return budgetInvalid("SetBudgetLimit", "the budget "+name+" has no single fixed limit to change")
		}
		if err := validAmount("SetBudgetLimit", amount); err != nil {
			return err
		}
		b.Limit, b.Unit = amount, "USD"
		return nil
	})
}

func (a *Account) CreateBudgetAlert(ctx context.Context, accountID, budget string, al awsops.BudgetAlert) error {
	return a.write(ctx, "CreateBudgetAlert", "BudgetName="+budget+" "+alertParams(al), func(st *state) error {
		if err := budgetAccount("CreateBudgetAlert", accountID); err != nil {
			return err
		}
		b := st.budget(budget)
		if b == nil {
			return budgetNotFound("CreateBudgetAlert", "create notification: "+budget)
		}
		if slices.ContainsFunc(b.Notifications, al.Matches) {
			return budgetDuplicate("CreateBudgetAlert", "Error creating notification: the notification")
		}
		if len(al.Emails) == 0 || len(al.Emails) > maxEmailSubscribers {
			return budgetInvalid("CreateBudgetAlert", "A notification has 1 to 10 email subscribers")
		}
		b.Notifications = append(b.Notifications, budgetNotification(al))
		return nil
	})
}

func (a *Account) DeleteBudgetAlert(ctx context.Context, accountID, budget string, al awsops.BudgetAlert) error {
	return a.write(ctx, "DeleteBudgetAlert", "BudgetName="+budget+" "+alertParams(al), func(st *state) error {
		if err := budgetAccount("DeleteBudgetAlert", accountID); err != nil {
			return err
		}
		b := st.budget(budget)
		if b == nil || !slices.ContainsFunc(b.Notifications, al.Matches) {
			return budgetNotFound("DeleteBudgetAlert", "delete notification: "+budget)
		}
		b.Notifications = slices.DeleteFunc(b.Notifications, al.Matches)
		return nil
	})
}

// alertOf finds a budget's notification.
func (st *state) alertOf(op, budget string, al awsops.BudgetAlert) (*awsops.BudgetNotification, error) {
	b := st.budget(budget)
	if b == nil {
		return nil, budgetNotFound(op, "find budget: "+budget)
	}
	i := slices.IndexFunc(b.Notifications, al.Matches)
	if i < 0 {
		return nil, budgetNotFound(op, "find notification of budget: "+budget)
	}
	return &b.Notifications[i], nil
}

func (a *Account) AddBudgetAlertEmail(ctx context.Context, accountID, budget string, al awsops.BudgetAlert, email string) error {
	return a.write(ctx, "AddBudgetAlertEmail", "BudgetName="+budget+" "+alertParams(al)+" Subscriber=EMAIL", func(st *state) error {
		if err := budgetAccount("AddBudgetAlertEmail", accountID); err != nil {
			return err
		}
		n, err := st.alertOf("AddBudgetAlertEmail", budget, al)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(n.Emails, func(e string) bool { return strings.EqualFold(e, email) }) {
			return budgetDuplicate("AddBudgetAlertEmail", "Error creating subscriber: the subscriber")
		}
		if n.EmailSubscribers >= maxEmailSubscribers {
			return budgetInvalid("AddBudgetAlertEmail", "A notification has at most 10 email subscribers")
		}
		n.Emails = append(n.Emails, email)
		n.EmailSubscribers++
		return nil
	})
}

func (a *Account) RemoveBudgetAlertEmail(ctx context.Context, accountID, budget string, al awsops.BudgetAlert, email string) error {
	return a.write(ctx, "RemoveBudgetAlertEmail", "BudgetName="+budget+" "+alertParams(al)+" Subscriber=EMAIL", func(st *state) error {
		if err := budgetAccount("RemoveBudgetAlertEmail", accountID); err != nil {
			return err
		}
		n, err := st.alertOf("RemoveBudgetAlertEmail", budget, al)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(n.Emails, func(e string) bool { return strings.EqualFold(e, email) })
		if i < 0 {
			return budgetNotFound("RemoveBudgetAlertEmail", "delete subscriber of budget: "+budget)
		}
		n.Emails = slices.Delete(n.Emails, i, i+1)
		n.EmailSubscribers--
		return nil
	})
}
