package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	budgettypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
)

// The budget-alert fix: a monthly COST budget in USD over the whole bill
// with email alerts, made with one CreateBudget; or rootguard's existing
// budget repaired (its limit, a missing alert, a missing email). Budgets'
// IAM actions do not match its operations: every write needs
// budgets:ModifyBudget, every read budgets:ViewBudget.

// BudgetsFixAPI is the part of the Budgets client the budget fix uses.
type BudgetsFixAPI interface {
	DescribeBudget(context.Context, *budgets.DescribeBudgetInput, ...func(*budgets.Options)) (*budgets.DescribeBudgetOutput, error)
	CreateBudget(context.Context, *budgets.CreateBudgetInput, ...func(*budgets.Options)) (*budgets.CreateBudgetOutput, error)
	UpdateBudget(context.Context, *budgets.UpdateBudgetInput, ...func(*budgets.Options)) (*budgets.UpdateBudgetOutput, error)
	DeleteBudget(context.Context, *budgets.DeleteBudgetInput, ...func(*budgets.Options)) (*budgets.DeleteBudgetOutput, error)
	CreateNotification(context.Context, *budgets.CreateNotificationInput, ...func(*budgets.Options)) (*budgets.CreateNotificationOutput, error)
	DeleteNotification(context.Context, *budgets.DeleteNotificationInput, ...func(*budgets.Options)) (*budgets.DeleteNotificationOutput, error)
	CreateSubscriber(context.Context, *budgets.CreateSubscriberInput, ...func(*budgets.Options)) (*budgets.CreateSubscriberOutput, error)
	DeleteSubscriber(context.Context, *budgets.DeleteSubscriberInput, ...func(*budgets.Options)) (*budgets.DeleteSubscriberOutput, error)
}

// The permissions behind the budget calls.
const (
	permModifyBudget = "budgets:ModifyBudget"
	permViewBudget   = "budgets:ViewBudget"
)

// CostBudget is a monthly COST budget in USD covering the whole bill.
type CostBudget struct {
	Name   string
	Amount string // USD a month, e.g. "50" or "49.99"
	Alerts []BudgetAlert
}

// BudgetAlert is a notification when spending passes Threshold percent of
// the budget (GREATER_THAN, PERCENTAGE), emailed to Emails.
type BudgetAlert struct {
	Type      string // ACTUAL or FORECASTED
	Threshold float64
	Emails    []string
}

// Matches reports whether a read notification is this alert's (the same
// type, operator, threshold and threshold type).
func (a BudgetAlert) Matches(n BudgetNotification) bool {
	return n.Type == a.Type && n.Comparison == string(budgettypes.ComparisonOperatorGreaterThan) &&
		n.ThresholdType == string(budgettypes.ThresholdTypePercentage) && n.Threshold == a.Threshold
}

// BudgetWriter makes the budget fix's writes and their undos.
type BudgetWriter interface {
	CreateCostBudget(ctx context.Context, accountID string, b CostBudget) error
	DeleteBudget(ctx context.Context, accountID, name string) error
	// SetBudgetLimit changes a budget's monthly limit, sending the rest of
	// the budget back as AWS has it (UpdateBudget replaces the budget).
	SetBudgetLimit(ctx context.Context, accountID, name, amount string) error
	CreateBudgetAlert(ctx context.Context, accountID, budget string, a BudgetAlert) error
	DeleteBudgetAlert(ctx context.Context, accountID, budget string, a BudgetAlert) error
	AddBudgetAlertEmail(ctx context.Context, accountID, budget string, a BudgetAlert, email string) error
	RemoveBudgetAlertEmail(ctx context.Context, accountID, budget string, a BudgetAlert, email string) error
}

var _ BudgetWriter = (*AWS)(nil)

func (a BudgetAlert) notification() *budgettypes.Notification {
	return &budgettypes.Notification{NotificationType: budgettypes.NotificationType(a.Type),
		ComparisonOperator: budgettypes.ComparisonOperatorGreaterThan, Threshold: a.Threshold,
		ThresholdType: budgettypes.ThresholdTypePercentage}
}

func emailSubscriber(addr string) budgettypes.Subscriber {
	return budgettypes.Subscriber{SubscriptionType: budgettypes.SubscriptionTypeEmail, Address: aws.String(addr)}
}

func emailSubscribers(addrs []string) []budgettypes.Subscriber {
	out := make([]budgettypes.Subscriber, len(addrs))
	for i, addr := range addrs {
		out[i] = emailSubscriber(addr)
	}
	return out
}

func (a *AWS) CreateCostBudget(ctx context.Context, accountID string, b CostBudget) error {
	if err := checkAccountID(permModifyBudget, accountID); err != nil {
		return err
	}
	in := &budgets.CreateBudgetInput{
		AccountId: aws.String(accountID),
		Budget: &budgettypes.Budget{
			BudgetName:  aws.String(b.Name),
			BudgetType:  budgettypes.BudgetTypeCost,
			TimeUnit:    budgettypes.TimeUnitMonthly,
			BudgetLimit: &budgettypes.Spend{Amount: aws.String(b.Amount), Unit: aws.String("USD")},
		},
	}
	for _, al := range b.Alerts {
		in.NotificationsWithSubscribers = append(in.NotificationsWithSubscribers, budgettypes.NotificationWithSubscribers{
			Notification: al.notification(), Subscribers: emailSubscribers(al.Emails)})
	}
	_, err := a.API.BudgetsFix.CreateBudget(ctx, in)
	return Wrap(permModifyBudget, err)
}

func (a *AWS) DeleteBudget(ctx context.Context, accountID, name string) error {
	_, err := a.API.BudgetsFix.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: aws.String(accountID), BudgetName: aws.String(name)})
	return Wrap(permModifyBudget, err)
}

func (a *AWS) SetBudgetLimit(ctx context.Context, accountID, name, amount string) error {
	if err := checkAccountID(permModifyBudget, accountID); err != nil {
		return err
	}
	out, err := a.API.BudgetsFix.DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: aws.String(accountID), BudgetName: aws.String(name)})
	if err != nil {
		return Wrap(permViewBudget, err)
	}
	b := out.Budget
	if b == nil || aws.ToString(b.BudgetName) != name {
		return &Error{Kind: KindOther, Permission: permViewBudget, Message: "AWS answered without the budget " + quoteShort(name)}
	}
	if len(b.PlannedBudgetLimits) > 0 || b.AutoAdjustData != nil {
		return &Error{Kind: KindOther, Permission: permModifyBudget, Message: "the budget " + name + " has no single fixed limit to change"}
	}
	b.BudgetLimit = &budgettypes.Spend{Amount: aws.String(amount), Unit: aws.String("USD")}
	// What AWS computes is not sent back.
	b.CalculatedSpend, b.LastUpdatedTime, b.HealthStatus = nil, nil, nil
	_, err = a.API.BudgetsFix.UpdateBudget(ctx, &budgets.UpdateBudgetInput{AccountId: aws.String(accountID), NewBudget: b})
	return Wrap(permModifyBudget, err)
}

func (a *AWS) CreateBudgetAlert(ctx context.Context, accountID, budget string, al BudgetAlert) error {
	_, err := a.API.BudgetsFix.CreateNotification(ctx, &budgets.CreateNotificationInput{AccountId: aws.String(accountID),
		BudgetName: aws.String(budget), Notification: al.notification(), Subscribers: emailSubscribers(al.Emails)})
	return Wrap(permModifyBudget, err)
}

func (a *AWS) DeleteBudgetAlert(ctx context.Context, accountID, budget string, al BudgetAlert) error {
	_, err := a.API.BudgetsFix.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: aws.String(accountID),
		BudgetName: aws.String(budget), Notification: al.notification()})
	return Wrap(permModifyBudget, err)
}

func (a *AWS) AddBudgetAlertEmail(ctx context.Context, accountID, budget string, al BudgetAlert, email string) error {
	sub := emailSubscriber(email)
	_, err := a.API.BudgetsFix.CreateSubscriber(ctx, &budgets.CreateSubscriberInput{AccountId: aws.String(accountID),
		BudgetName: aws.String(budget), Notification: al.notification(), Subscriber: &sub})
	return Wrap(permModifyBudget, err)
}

func (a *AWS) RemoveBudgetAlertEmail(ctx context.Context, accountID, budget string, al BudgetAlert, email string) error {
	sub := emailSubscriber(email)
	_, err := a.API.BudgetsFix.DeleteSubscriber(ctx, &budgets.DeleteSubscriberInput{AccountId: aws.String(accountID),
		BudgetName: aws.String(budget), Notification: al.notification(), Subscriber: &sub})
	return Wrap(permModifyBudget, err)
}
