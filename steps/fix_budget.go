package steps

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// The budget-alert fix makes a monthly COST budget in USD over the whole
// bill (no cost filters) that emails at 80% of actual spend and when the
// forecast reaches 100%: one CreateBudget with its notifications and
// subscribers. When rootguard's budget exists, the fix repairs it in
// place: its limit (UpdateBudget), a missing alert (CreateNotification) or
// a missing address (CreateSubscriber), keeping every other alert and
// address. A budget with rootguard's name that someone made into something
// else (another type or period, filtered, ended, planned limits) is not
// rootguard's to rebuild: the plan refuses and says what to do.

// Fields and names of the budget-alert fix.
const (
	FixBudgetAlert    = "budget-alert"
	FieldBudgetAmount = "amount"
	FieldBudgetEmail  = "email"
	// BudgetName is the budget rootguard makes and repairs.
	BudgetName = "rootguard-monthly-cost"
	// MaxBudgetAmount is the largest monthly limit the fix sets (USD).
	MaxBudgetAmount = 1_000_000
)

// budgetAlerts are the two notifications the fix makes (percent of the
// monthly limit).
var budgetAlerts = []struct {
	kind      string
	threshold float64
	label     string
}{
	{"ACTUAL", 80, "Alert: actual spend over 80%"},
	{"FORECASTED", 100, "Alert: forecast over 100%"},
}

// budgetState is what the fix plans from.
type budgetState struct {
	Account string
	Budgets []awsops.Budget
	Now     time.Time
}

func budgetAlertFix() Fix {
	return NewFix(FixDef[budgetState]{
		ID:      FixBudgetAlert,
		Title:   "Create a monthly cost budget with email alerts",
		Summary: "create a monthly cost budget (USD, whole bill) that emails at 80% of actual and 100% of forecast spend",
		Intro: "rootguard creates the budget " + BudgetName + ": a monthly cost budget in USD for the whole bill that emails you when actual spending passes 80% of it " +
			"and when AWS forecasts it will pass 100%. Budgets without actions are free.",
		Reads:  "the account's budgets",
		Writes: []string{"budgets:ModifyBudget", "budgets:ViewBudget"},
		Load:   loadBudgets,
		Form:   budgetForm,
		Check: func(in Input) error {
			var es FieldErrors
			if !in.Given[FieldBudgetAmount] {
				es = append(es, FieldError{Field: FieldBudgetAmount, Message: "give the monthly budget in US dollars, e.g. --amount 50"})
			}
			if !in.Given[FieldBudgetEmail] {
				es = append(es, FieldError{Field: FieldBudgetEmail, Message: "give the address that gets the alerts, e.g. --email billing@example.com"})
			}
			return es.Err()
		},
		Plan: PlanBudgetAlert,
	})
}

func loadBudgets(ctx context.Context, f *Facts) (budgetState, error) {
	id, err := f.Identity(ctx)
	if err != nil {
		return budgetState{}, err
	}
	list, err := f.Budgets(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound { // "no budgets" as NotFound
		list, err = nil, nil
	}
	if err != nil {
		return budgetState{}, err
	}
	return budgetState{Account: id.Account, Budgets: list, Now: f.Now()}, nil
}

func (st budgetState) ours() *awsops.Budget {
	for i := range st.Budgets {
		if st.Budgets[i].Name == BudgetName {
			return &st.Budgets[i]
		}
	}
	return nil
}

// budgetAmountPattern: whole dollars, or dollars and cents.
var budgetAmountPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ParseBudgetAmount reads a monthly limit in US dollars ("50", "49.99") as
// cents: positive, at most two decimals, at most MaxBudgetAmount.
func ParseBudgetAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, errors.New("is required")
	case !budgetAmountPattern.MatchString(s):
		return 0, errors.New("must be a number of US dollars like 50 or 49.99 (no currency sign or thousands separator)")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, errors.New("must have at most two decimals (cents)")
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > len(strconv.Itoa(MaxBudgetAmount)) {
		return 0, fmt.Errorf("must be at most %d USD a month (for a larger budget, use the Budgets console)", MaxBudgetAmount)
	}
	dollars, _ := strconv.ParseInt("0"+whole, 10, 64)
	cents, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	total := dollars*100 + cents
	switch {
	case total <= 0:
		return 0, errors.New("must be more than 0")
	case total > MaxBudgetAmount*100:
		return 0, fmt.Errorf("must be at most %d USD a month (for a larger budget, use the Budgets console)", MaxBudgetAmount)
	}
	return total, nil
}

// FormatBudgetAmount writes cents as the amount sent to AWS: "50", "49.99".
func FormatBudgetAmount(cents int64) string {
	if cents%100 == 0 {
		return strconv.FormatInt(cents/100, 10)
	}
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// limitCents reads a budget limit as AWS wrote it ("50.0") in cents.
func limitCents(limit string) (int64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(limit), 64)
	if err != nil || f < 0 || f > 1e13 {
		return 0, false
	}
	return int64(math.Round(f * 100)), true
}

func budgetForm(st *budgetState) []Group {
	help := "rootguard adds the budget " + BudgetName + " (or repairs it, when an earlier run made it): a monthly cost budget in USD for the whole bill, " +
		"emailing you at 80% of actual spend and when the forecast reaches 100%. Budgets without actions are free."
	amount, email := "", ""
	if st != nil {
		help = existingBudgets(st.Budgets) + "\n\n" + help
		if b := st.ours(); b != nil {
			if c, ok := limitCents(b.Limit); ok && c > 0 {
				amount = FormatBudgetAmount(c)
			}
			for _, n := range b.Notifications {
				if len(n.Emails) > 0 {
					email = n.Emails[0]
					break
				}
			}
		}
	}
	return []Group{{
		Title: "Monthly cost budget",
		Help:  help,
		Fields: []Field{
			{Key: FieldBudgetAmount, Kind: FieldText, Label: "Monthly budget (USD)", Default: amount, Limit: 12, Placeholder: "50",
				Help: "what you expect to spend in a month, in US dollars (e.g. 50 or 49.99)",
				Validate: func(s string, _ Values) error {
					_, err := ParseBudgetAmount(s)
					return err
				}},
			{Key: FieldBudgetEmail, Kind: FieldText, Label: "Email address for the alerts", Default: email, Limit: 254,
				Placeholder: "billing@example.com", Help: "a mailbox a person reads; AWS Budgets emails it directly (nothing to confirm)",
				Validate: func(s string, _ Values) error { return ValidateEmail(strings.TrimSpace(s)) }},
		},
	}}
}

// existingBudgets lists the account's budgets for the form.
func existingBudgets(list []awsops.Budget) string {
	if len(list) == 0 {
		return "This account has no budgets yet."
	}
	const shown = 4
	lines := []string{"Budgets in this account now:"}
	for i, b := range list {
		if i == shown {
			lines = append(lines, fmt.Sprintf("  … and %d more", len(list)-shown))
			break
		}
		emails := 0
		for _, n := range b.Notifications {
			emails += n.EmailSubscribers
		}
		lines = append(lines, fmt.Sprintf("  • %s: %s, %s %s a %s, %s, %s", b.Name, strings.ToLower(b.Type), b.Limit, b.Unit,
			strings.TrimSuffix(strings.ToLower(orText(b.TimeUnit, "period")), "ly"), plural(len(b.Notifications), "alert", "alerts"),
			plural(emails, "email subscriber", "email subscribers")))
	}
	return strings.Join(lines, "\n")
}

// PlanBudgetAlert plans the budget from the account's budgets and the input.
func PlanBudgetAlert(st budgetState, in Input) (Plan, error) {
	var es FieldErrors
	cents, err := ParseBudgetAmount(in.Text(FieldBudgetAmount))
	es.add(FieldBudgetAmount, err)
	email := in.Text(FieldBudgetEmail)
	es.add(FieldBudgetEmail, ValidateEmail(email))
	if err := es.Err(); err != nil {
		return Plan{}, err
	}
	amount := FormatBudgetAmount(cents)
	account := st.Account
	p := Plan{ItemID: FixBudgetAlert, Title: "Create a monthly cost budget with email alerts"}
	alerts := make([]awsops.BudgetAlert, len(budgetAlerts))
	for i, a := range budgetAlerts {
		alerts[i] = awsops.BudgetAlert{Type: a.kind, Threshold: a.threshold, Emails: []string{email}}
	}
	notes := []string{
		"AWS Budgets emails " + email + " directly (nothing to confirm). Budgets without actions are free.",
		"Alerts can come hours after the spending; the forecast alert needs some weeks of spending history.",
	}

	b := st.ours()
	if b == nil {
		budget := awsops.CostBudget{Name: BudgetName, Amount: amount, Alerts: alerts}
		params := []Evidence{kv("Operation", "CreateBudget"), kv("AccountId", account), kv("Budget.BudgetName", BudgetName),
			kv("Budget.BudgetType", "COST"), kv("Budget.TimeUnit", "MONTHLY"), kv("Budget.BudgetLimit", amount+" USD"),
			kv("Budget.CostFilters", "(none: the whole bill)")}
		for i, a := range alerts {
			params = append(params, kv(fmt.Sprintf("NotificationsWithSubscribers[%d]", i), alertText(a)+" → EMAIL "+email))
		}
		p.Calls = []Call{budgetCall("budgets:ModifyBudget", "monthly cost budget", params,
			func(ctx context.Context, w awsops.BudgetWriter) error {
				return w.CreateCostBudget(ctx, account, budget)
			}).
			WithUndo(budgetCall("budgets:ModifyBudget", "budget removed", nil,
				func(ctx context.Context, w awsops.BudgetWriter) error {
					return w.DeleteBudget(ctx, account, BudgetName)
				}))}
		p.Changes = []Change{
			{Field: "Budget", Current: shownNotSet, Proposed: BudgetName + ": cost, monthly, the whole bill"},
			{Field: "Monthly limit", Current: shownNotSet, Proposed: amount + " USD"},
		}
		for i, a := range budgetAlerts {
			p.Changes = append(p.Changes, Change{Field: a.label, Current: shownNotSet, Proposed: "email " + alerts[i].Emails[0]})
		}
		p.Notes = notes
		p.record = "created the monthly cost budget " + BudgetName + " with email alerts at 80% actual and 100% forecast"
		return p, nil
	}

	if why := notRepairable(*b, st.Now); why != "" {
		return Plan{}, fmt.Errorf("a budget named %s exists but %s. rootguard only repairs its own budget's limit and alerts: "+
			"rename or delete that budget in the Budgets console (%s), then run the fix again", BudgetName, why, urlBudgets)
	}
	var calls []Call
	if cur, ok := limitCents(b.Limit); !ok || cur != cents {
		old := b.Limit
		calls = append(calls, budgetCall("budgets:ModifyBudget", "budget limit",
			[]Evidence{kv("Operation", "UpdateBudget"), kv("AccountId", account), kv("NewBudget.BudgetName", BudgetName),
				kv("NewBudget.BudgetLimit", amount+" USD"), kv("NewBudget (the rest)", "sent back as AWS has it")},
			func(ctx context.Context, w awsops.BudgetWriter) error {
				return w.SetBudgetLimit(ctx, account, BudgetName, amount)
			}).
			WithUndo(budgetCall("budgets:ModifyBudget", "budget limit put back", nil,
				func(ctx context.Context, w awsops.BudgetWriter) error {
					return w.SetBudgetLimit(ctx, account, BudgetName, old)
				})))
		p.Changes = append(p.Changes, Change{Field: "Monthly limit", Current: b.Limit + " " + b.Unit, Proposed: amount + " USD"})
	}
	for i, a := range alerts {
		label := budgetAlerts[i].label
		n := findAlert(b.Notifications, a)
		switch {
		case n == nil:
			calls = append(calls, budgetCall("budgets:ModifyBudget", strings.ToLower(a.Type)+" spend alert",
				[]Evidence{kv("Operation", "CreateNotification"), kv("AccountId", account), kv("BudgetName", BudgetName),
					kv("Notification", alertText(a)), kv("Subscribers", "EMAIL "+email)},
				func(ctx context.Context, w awsops.BudgetWriter) error {
					return w.CreateBudgetAlert(ctx, account, BudgetName, a)
				}).
				WithUndo(budgetCall("budgets:ModifyBudget", strings.ToLower(a.Type)+" spend alert removed", nil,
					func(ctx context.Context, w awsops.BudgetWriter) error {
						return w.DeleteBudgetAlert(ctx, account, BudgetName, a)
					})))
			p.Changes = append(p.Changes, Change{Field: label, Current: shownNotSet, Proposed: "email " + email})
		case !containsFold(n.Emails, email):
			calls = append(calls, budgetCall("budgets:ModifyBudget", strings.ToLower(a.Type)+" alert address",
				[]Evidence{kv("Operation", "CreateSubscriber"), kv("AccountId", account), kv("BudgetName", BudgetName),
					kv("Notification", alertText(a)), kv("Subscriber", "EMAIL "+email)},
				func(ctx context.Context, w awsops.BudgetWriter) error {
					return w.AddBudgetAlertEmail(ctx, account, BudgetName, a, email)
				}).
				WithUndo(budgetCall("budgets:ModifyBudget", strings.ToLower(a.Type)+" alert address removed", nil,
					func(ctx context.Context, w awsops.BudgetWriter) error {
						return w.RemoveBudgetAlertEmail(ctx, account, BudgetName, a, email)
					})))
			p.Changes = append(p.Changes, Change{Field: label, Current: "email " + orText(strings.Join(n.Emails, ", "), "(other subscribers)"),
				Proposed: "also email " + email})
		}
	}
	if len(calls) == 0 {
		p.NoOp = true
		p.Notes = []string{"The budget " + BudgetName + " already has this limit and both alerts to " + email + "."}
		return p, nil
	}
	p.Calls = calls
	p.Notes = append([]string{"The budget " + BudgetName + " exists (made by an earlier run): rootguard changes only what differs and keeps its other alerts and addresses."}, notes...)
	p.record = "repaired the monthly cost budget " + BudgetName + ": " + changedFields(p.Changes)
	return p, nil
}

// notRepairable says why an existing budget with rootguard's name is not
// one the fix repairs ("" when it is).
func notRepairable(b awsops.Budget, now time.Time) string {
	switch {
	case b.Type != "COST":
		return "is a " + b.Type + " budget, not a cost budget"
	case b.TimeUnit != "MONTHLY":
		return "is " + strings.ToLower(b.TimeUnit) + ", not monthly"
	case b.Unit != "" && b.Unit != "USD":
		return "is in " + b.Unit + ", not USD"
	case len(b.CostFilters) > 0:
		return "watches only part of the bill (filtered by " + strings.Join(b.CostFilters, ", ") + ")"
	case b.LimitKind != "":
		return "has " + b.LimitKind + " limits, not one fixed monthly limit"
	case !b.PeriodEnd.IsZero() && !b.PeriodEnd.After(now):
		return "ended on " + fmtDay(b.PeriodEnd)
	}
	return ""
}

func findAlert(ns []awsops.BudgetNotification, a awsops.BudgetAlert) *awsops.BudgetNotification {
	for i := range ns {
		if a.Matches(ns[i]) {
			return &ns[i]
		}
	}
	return nil
}

func containsFold(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(strings.TrimSpace(y), x) {
			return true
		}
	}
	return false
}

// alertText is a notification as the plan shows it.
func alertText(a awsops.BudgetAlert) string {
	return fmt.Sprintf("%s GREATER_THAN %g PERCENTAGE", a.Type, a.Threshold)
}

func changedFields(cs []Change) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = strings.ToLower(c.Field)
	}
	return strings.Join(names, ", ")
}

// budgetCall is a call of the budget fix's writer.
func budgetCall(api, label string, params []Evidence, write func(ctx context.Context, w awsops.BudgetWriter) error) Call {
	return NewCall(api, label, params, func(ctx context.Context, w awsops.Writer) error {
		bw, ok := w.(awsops.BudgetWriter)
		if !ok {
			return errors.New("internal error: this account cannot write budgets")
		}
		return write(ctx, bw)
	})
}
