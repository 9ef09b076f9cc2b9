package steps

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

var budgetNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// budgetWriter records the budget fix's writes; failOn fails the first
// call of that name.
type budgetWriter struct {
	fixWriter
	log     []string
	failOn  string
	failErr error
	created []awsops.CostBudget
}

func (w *budgetWriter) do(call string, args ...string) error {
	w.log = append(w.log, strings.TrimSpace(call+" "+strings.Join(args, " ")))
	if w.failOn == call {
		w.failOn = ""
		return w.failErr
	}
	return nil
}

func (w *budgetWriter) CreateCostBudget(_ context.Context, account string, b awsops.CostBudget) error {
	w.created = append(w.created, b)
	return w.do("CreateCostBudget", account, b.Name, b.Amount)
}
func (w *budgetWriter) DeleteBudget(_ context.Context, account, name string) error {
	return w.do("DeleteBudget", account, name)
}
func (w *budgetWriter) SetBudgetLimit(_ context.Context, account, name, amount string) error {
	return w.do("SetBudgetLimit", name, amount)
}
func (w *budgetWriter) CreateBudgetAlert(_ context.Context, account, name string, a awsops.BudgetAlert) error {
	return w.do("CreateBudgetAlert", name, a.Type, strings.Join(a.Emails, ","))
}
func (w *budgetWriter) DeleteBudgetAlert(_ context.Context, account, name string, a awsops.BudgetAlert) error {
	return w.do("DeleteBudgetAlert", name, a.Type)
}
func (w *budgetWriter) AddBudgetAlertEmail(_ context.Context, account, name string, a awsops.BudgetAlert, email string) error {
	return w.do("AddBudgetAlertEmail", name, a.Type, email)
}
func (w *budgetWriter) RemoveBudgetAlertEmail(_ context.Context, account, name string, a awsops.BudgetAlert, email string) error {
	return w.do("RemoveBudgetAlertEmail", name, a.Type, email)
}

var _ awsops.BudgetWriter = (*budgetWriter)(nil)

// rootguardBudget is the budget the fix makes, as the reader returns it.
func rootguardBudget(amount, email string) awsops.Budget {
	n := func(kind string, threshold float64) awsops.BudgetNotification {
		return awsops.BudgetNotification{Type: kind, Comparison: "GREATER_THAN", Threshold: threshold, ThresholdType: "PERCENTAGE",
			EmailSubscribers: 1, Emails: []string{email}}
	}
	return awsops.Budget{Name: BudgetName, Type: "COST", Limit: amount, Unit: "USD", TimeUnit: "MONTHLY",
		Notifications: []awsops.BudgetNotification{n("ACTUAL", 80), n("FORECASTED", 100)}}
}

func planBudget(t *testing.T, list []awsops.Budget, amount, email string) (Plan, error) {
	t.Helper()
	st := budgetState{Account: testAccount, Budgets: list, Now: budgetNow}
	return PlanBudgetAlert(st, NewInput(Values{FieldBudgetAmount: amount, FieldBudgetEmail: email}))
}

func TestParseBudgetAmount(t *testing.T) {
	for in, want := range map[string]int64{"50": 5000, "49.99": 4999, "0.5": 50, " 007.10 ": 710, "1000000": 100_000_000} {
		if got, err := ParseBudgetAmount(in); err != nil || got != want {
			t.Errorf("%q = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"": "is required", "0": "more than 0", "0.00": "more than 0", "-5": "like 50 or 49.99", "$50": "like 50 or 49.99",
		"1,000": "like 50 or 49.99", "49.999": "at most two decimals", "1000000.01": "at most 1000000", "99999999999999999999": "at most 1000000",
		"1e3": "like 50", "50.": "like 50", ".5": "like 50",
	} {
		if _, err := ParseBudgetAmount(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", in, err, msg)
		}
	}
	for cents, want := range map[int64]string{5000: "50", 4999: "49.99", 4990: "49.90", 5: "0.05"} {
		if got := FormatBudgetAmount(cents); got != want {
			t.Errorf("FormatBudgetAmount(%d) = %q, want %q", cents, got, want)
		}
	}
}

func TestBudgetPlanCreates(t *testing.T) {
	other := awsops.Budget{Name: "team", Type: "COST", Limit: "10.0", Unit: "USD", TimeUnit: "MONTHLY"}
	p, err := planBudget(t, []awsops.Budget{other}, "49.99", "billing@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Calls) != 1 || p.Calls[0].API != "budgets:ModifyBudget" || param(p.Calls[0], "Operation") != "CreateBudget" || p.Calls[0].Undo == nil {
		t.Fatalf("calls = %+v", p.Calls)
	}
	c := p.Calls[0]
	if param(c, "Budget.BudgetType") != "COST" || param(c, "Budget.TimeUnit") != "MONTHLY" || param(c, "Budget.BudgetLimit") != "49.99 USD" ||
		param(c, "NotificationsWithSubscribers[0]") != "ACTUAL GREATER_THAN 80 PERCENTAGE → EMAIL billing@example.com" ||
		param(c, "NotificationsWithSubscribers[1]") != "FORECASTED GREATER_THAN 100 PERCENTAGE → EMAIL billing@example.com" {
		t.Errorf("params = %v", c.Params)
	}
	w := &budgetWriter{}
	if res := p.Apply(context.Background(), w); !res.OK() {
		t.Fatal(res.Explain())
	}
	want := awsops.CostBudget{Name: BudgetName, Amount: "49.99", Alerts: []awsops.BudgetAlert{
		{Type: "ACTUAL", Threshold: 80, Emails: []string{"billing@example.com"}},
		{Type: "FORECASTED", Threshold: 100, Emails: []string{"billing@example.com"}}}}
	if len(w.created) != 1 || w.created[0].Name != want.Name || w.created[0].Amount != want.Amount ||
		!slices.EqualFunc(w.created[0].Alerts, want.Alerts, func(a, b awsops.BudgetAlert) bool {
			return a.Type == b.Type && a.Threshold == b.Threshold && slices.Equal(a.Emails, b.Emails)
		}) {
		t.Errorf("created %+v", w.created)
	}
	// What the fix makes is what the check calls working.
	made := rootguardBudget("49.99", "billing@example.com")
	if ok, why, err := budgetVerdict(budgetNow, made); !ok || err != nil {
		t.Errorf("the check would not pass the budget the fix makes: %s %v", why, err)
	}
}

func TestBudgetPlanIdempotentAndRepairs(t *testing.T) {
	ours := rootguardBudget("50.0", "billing@example.com")
	p, err := planBudget(t, []awsops.Budget{ours}, "50", "Billing@Example.com")
	if err != nil || !p.NoOp || len(p.Calls) != 0 {
		t.Fatalf("the same budget again: %+v, %v", p, err)
	}

	// Another amount: the limit is updated, with its undo putting it back.
	p, err = planBudget(t, []awsops.Budget{ours}, "75", "billing@example.com")
	if err != nil || len(p.Calls) != 1 || param(p.Calls[0], "Operation") != "UpdateBudget" {
		t.Fatalf("a new amount: %+v, %v", p.Calls, err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Current != "50.0 USD" || p.Changes[0].Proposed != "75 USD" {
		t.Errorf("changes = %+v", p.Changes)
	}
	w := &budgetWriter{}
	_ = p.Calls[0].Undo.write(context.Background(), w, Outputs{})
	if !slices.Equal(w.log, []string{"SetBudgetLimit " + BudgetName + " 50.0"}) {
		t.Errorf("undo = %q", w.log)
	}

	// A missing alert and a new address: added, the old address kept.
	partial := rootguardBudget("50", "billing@example.com")
	partial.Notifications = partial.Notifications[:1]
	p, err = planBudget(t, []awsops.Budget{partial}, "50", "ops@example.com")
	if err != nil {
		t.Fatal(err)
	}
	w = &budgetWriter{}
	if res := p.Apply(context.Background(), w); !res.OK() {
		t.Fatal(res.Explain())
	}
	want := []string{"AddBudgetAlertEmail " + BudgetName + " ACTUAL ops@example.com", "CreateBudgetAlert " + BudgetName + " FORECASTED ops@example.com"}
	if !slices.Equal(w.log, want) {
		t.Errorf("writes = %q, want %q", w.log, want)
	}
	if !strings.Contains(strings.Join(p.Notes, " "), "keeps its other alerts and addresses") {
		t.Errorf("notes = %q", p.Notes)
	}
}

func TestBudgetPlanRollsBack(t *testing.T) {
	partial := rootguardBudget("50", "billing@example.com")
	partial.Notifications = nil
	p, err := planBudget(t, []awsops.Budget{partial}, "60", "billing@example.com")
	if err != nil || len(p.Calls) != 3 {
		t.Fatalf("plan: %+v, %v", p.Calls, err)
	}
	// The third write (the second alert) fails: the first alert and the
	// limit are undone, newest first.
	w := &budgetWriter{}
	res := p.Apply(context.Background(), &countingBudgetWriter{budgetWriter: w, failAt: 3})
	if res.OK() {
		t.Fatal("apply succeeded")
	}
	want := []string{"SetBudgetLimit " + BudgetName + " 60", "CreateBudgetAlert " + BudgetName + " ACTUAL billing@example.com",
		"CreateBudgetAlert " + BudgetName + " FORECASTED billing@example.com",
		"DeleteBudgetAlert " + BudgetName + " ACTUAL", "SetBudgetLimit " + BudgetName + " 50"}
	if !slices.Equal(w.log, want) {
		t.Errorf("writes = %q\nwant %q", w.log, want)
	}
	if !strings.Contains(res.Explain(), "needs budgets:ModifyBudget") {
		t.Errorf("explain = %s", res.Explain())
	}
}

// countingBudgetWriter fails the failAt-th write.
type countingBudgetWriter struct {
	*budgetWriter
	n, failAt int
}

func (w *countingBudgetWriter) CreateBudgetAlert(ctx context.Context, account, name string, a awsops.BudgetAlert) error {
	_ = w.budgetWriter.CreateBudgetAlert(ctx, account, name, a)
	return w.count()
}
func (w *countingBudgetWriter) SetBudgetLimit(ctx context.Context, account, name, amount string) error {
	_ = w.budgetWriter.SetBudgetLimit(ctx, account, name, amount)
	return w.count()
}
func (w *countingBudgetWriter) count() error {
	w.n++
	if w.n == w.failAt {
		return &awsops.Error{Kind: awsops.KindAccessDenied, Code: "AccessDeniedException"}
	}
	return nil
}

func TestBudgetPlanRefusesBudgetsItDidNotMake(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*awsops.Budget)
		want string
	}{
		"usage":     {func(b *awsops.Budget) { b.Type = "USAGE" }, "is a USAGE budget"},
		"quarterly": {func(b *awsops.Budget) { b.TimeUnit = "QUARTERLY" }, "is quarterly, not monthly"},
		"filtered":  {func(b *awsops.Budget) { b.CostFilters = []string{"Service"} }, "filtered by Service"},
		"planned":   {func(b *awsops.Budget) { b.LimitKind = "planned" }, "has planned limits"},
		"ended":     {func(b *awsops.Budget) { b.PeriodEnd = budgetNow.Add(-time.Hour) }, "ended on 2026-11-23"},
		"euros":     {func(b *awsops.Budget) { b.Unit = "EUR" }, "is in EUR"},
	} {
		t.Run(name, func(t *testing.T) {
			b := rootguardBudget("50", "billing@example.com")
			tc.edit(&b)
			_, err := planBudget(t, []awsops.Budget{b}, "50", "billing@example.com")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "rename or delete that budget") {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestBudgetInputAtTheField(t *testing.T) {
	fix, _ := FixFor(FixBudgetAlert)
	err := fix.Check(Input{Values: Values{}, Given: map[string]bool{}})
	var fe FieldErrors
	if !errors.As(err, &fe) || len(fe) != 2 || fe[0].Field != FieldBudgetAmount || fe[1].Field != FieldBudgetEmail {
		t.Errorf("check without values: %v", err)
	}
	if err := fix.Check(NewInput(Values{FieldBudgetAmount: "abc", FieldBudgetEmail: "x@"})); !errors.As(err, &fe) || len(fe) != 2 {
		t.Errorf("bad values rejected at their fields before connecting: %v", err)
	}
	_, err = planBudget(t, nil, "0", "billing@example.com")
	if !errors.As(err, &fe) || fe[0].Field != FieldBudgetAmount {
		t.Errorf("plan: %v", err)
	}
}

func TestBudgetFormShowsExistingBudgetsFirst(t *testing.T) {
	st := budgetState{Account: testAccount, Budgets: []awsops.Budget{
		{Name: "team", Type: "COST", Limit: "10.0", Unit: "USD", TimeUnit: "MONTHLY",
			Notifications: []awsops.BudgetNotification{{EmailSubscribers: 2}}},
		rootguardBudget("50.0", "billing@example.com"),
	}}
	g := budgetForm(&st)
	if len(g) != 1 || !strings.HasPrefix(g[0].Help, "Budgets in this account now:\n  • team: cost, 10.0 USD a month, 1 alert, 2 email subscribers") {
		t.Errorf("help = %q", g[0].Help)
	}
	if g[0].Fields[0].Default != "50" || g[0].Fields[1].Default != "billing@example.com" {
		t.Errorf("defaults = %q, %q", g[0].Fields[0].Default, g[0].Fields[1].Default)
	}
	if h := budgetForm(&budgetState{})[0].Help; !strings.HasPrefix(h, "This account has no budgets yet.") {
		t.Errorf("help without budgets = %q", h)
	}
	if budgetForm(nil)[0].Fields[0].Validate("12.345", nil) == nil {
		t.Error("three decimals pass the field")
	}
}
