package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

// The root-activity-alert and budget-alert fixes and the credential report
// CSV on the command line.

func TestFixRootAlertPlanDryRunApply(t *testing.T) {
	acct := newFixDemo()
	code, out, _ := fixRun(t, acct, "root-activity-alert", "--email", "security@acme.example")
	if code != exitFindings {
		t.Errorf("plan only: exit %d", code)
	}
	wantContains(t, "plan", out, "Email an alert when root signs in (root-activity-alert)",
		"1. sns:CreateTopic (root alert topic)", "2. events:PutRule (root sign-in rule)", "3. events:PutTargets (rule target)",
		"4. sns:Subscribe (email subscription)", "Region = us-east-1", "Endpoint = security@acme.example",
		"check your inbox and press r", "Nothing was written; re-run with --yes to apply.")
	code, out, _ = fixRun(t, acct, "root-activity-alert", "--email", "security@acme.example", "--include-api-calls", "--yes", "--dry-run")
	if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") || !strings.Contains(out, `"AWS API Call via CloudTrail"`) {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if w := acct.Writes(); len(w) != 0 {
		t.Fatalf("writes before --yes: %q", w)
	}

	code, out, _ = fixRun(t, acct, "root-activity-alert", "--email", "security@acme.example", "--yes")
	if code != exitOK { // warn is fine, as check --fail-on fail
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	wantContains(t, "apply", out, "✓ root alert topic saved; root sign-in rule saved; rule target saved; email subscription saved",
		"Confirm the email subscription", "Check your inbox and press r", "security@acme.example",
		"Re-checked live: ! warn  the root sign-in alert's email subscription is pending confirmation",
		"→ Check your inbox")
	if w := acct.Writes(); len(w) != 4 {
		t.Fatalf("writes = %q", w)
	}
	// Again: nothing to write while the email waits for confirmation.
	code, out, _ = fixRun(t, acct, "root-activity-alert", "--email", "security@acme.example", "--yes")
	if code != exitOK || !strings.Contains(out, "Already in place") || !strings.Contains(out, "waiting for confirmation") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	if w := acct.Writes(); len(w) != 4 {
		t.Fatalf("the second run wrote: %q", w)
	}
}

func TestFixBudgetPlanApplyIdempotent(t *testing.T) {
	acct := newFixDemo()
	code, out, _ := fixRun(t, acct, "budget-alert", "--amount", "50", "--email", "billing@acme.example", "--yes", "--dry-run")
	if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") || len(acct.Writes()) != 0 {
		t.Fatalf("dry run: exit %d, writes %q\n%s", code, acct.Writes(), out)
	}
	wantContains(t, "plan", out, "1. budgets:ModifyBudget (monthly cost budget)", "Operation = CreateBudget", "Budget.BudgetLimit = 50 USD",
		"NotificationsWithSubscribers[1] = FORECASTED GREATER_THAN 100 PERCENTAGE → EMAIL billing@acme.example")
	code, out, _ = fixRun(t, acct, "budget-alert", "--amount", "50", "--email", "billing@acme.example", "--yes")
	if code != exitOK || !strings.Contains(out, "Re-checked live: ✓ pass") {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	code, out, _ = fixRun(t, acct, "budget-alert", "--amount", "50.00", "--email", "billing@acme.example", "--yes")
	if code != exitOK || !strings.Contains(out, "Already in place") || len(acct.Writes()) != 1 {
		t.Errorf("second run: exit %d, writes %q\n%s", code, acct.Writes(), out)
	}
	code, out, _ = fixRun(t, acct, "budget-alert", "--amount", "80", "--email", "billing@acme.example")
	wantContains(t, "new amount", out, "Monthly limit  50 USD   →  80 USD", "Operation = UpdateBudget")
	if code != exitFindings {
		t.Errorf("plan only: exit %d", code)
	}
}

func TestFixAlertInputRejectedBeforeConnecting(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"root-activity-alert"}, "--email: give the address that gets the alert"},
		{[]string{"root-activity-alert", "--email", "nope"}, "--email: must be an email address"},
		{[]string{"budget-alert"}, "--amount: give the monthly budget in US dollars, e.g. --amount 50\n  --email: give the address"},
		{[]string{"budget-alert", "--amount", "0", "--email", "b@example.com"}, "--amount: must be more than 0"},
		{[]string{"budget-alert", "--amount", "49.999", "--email", "b@example.com"}, "--amount: must have at most two decimals"},
		{[]string{"budget-alert", "--amount", "2000000", "--email", "b@example.com"}, "--amount: must be at most 1000000 USD a month"},
	} {
		code, out, errOut := fixRun(t, nil, tc.args...)
		if code != exitUsage || out != "" {
			t.Errorf("fix %q: exit %d, stdout %q", tc.args, code, out)
		}
		wantContains(t, "stderr", errOut, tc.msg)
	}
}

// Dry run over the real SDK path: every request is counted, none writes.
func TestFixRootAlertDryRunMakesNoWriteRequest(t *testing.T) {
	reg := &awstest.Registry{}
	t.Cleanup(func() { reg.Verify(t) })
	const acctID = "123456789012"
	// Connect proves the identity; the fix's facts reuse it.
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(`<Arn>arn:aws:sts::`+acctID+`:assumed-role/Admin/alice</Arn><UserId>AROA:alice</UserId><Account>`+acctID+`</Account>`))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult(`<AccountAliases/><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.Query("GetTopicAttributes"), awstest.AWSError(404, "NotFound", "Topic does not exist"))
	reg.Register(awstest.JSONTarget("AWSEvents.DescribeRule"), awstest.AWSError(400, "ResourceNotFoundException", "no rule"))
	code, out, errOut := fixRun(t, awsops.New(awstest.Config(reg)), "root-activity-alert", "--email", "security@example.com", "--yes", "--dry-run")
	if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, r := range reg.Requests() {
		op := r.Operation()
		if !strings.Contains(op, "Get") && !strings.Contains(op, "List") && !strings.Contains(op, "Describe") {
			t.Errorf("a dry run sent %s", op)
		}
	}
	if n := len(reg.Requests()); n > 6 {
		t.Errorf("%d requests for a dry run", n)
	}
}

func reportRun(t *testing.T, stateDir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	d := deps{now: func() time.Time { return fixTestNow }, stateDir: func() (string, error) { return stateDir, nil }}
	acct := newFixDemo()
	d.connect = func(context.Context, accountFlags) (awsops.Account, error) { return acct, nil }
	code := run(context.Background(), append([]string{"--demo", "report"}, args...), ios, d)
	return code, out.String(), errOut.String()
}

func TestReportSavesTheCredentialReportCSV(t *testing.T) {
	state := t.TempDir()
	dir := t.TempDir()
	path := filepath.Join(dir, "cr.csv")
	// A symbolic link at the path is replaced, never followed.
	target := filepath.Join(dir, "elsewhere.txt")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := reportRun(t, state, "--credential-report", path)
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	wantContains(t, "stderr", errOut, "rootguard: warning: The file lists every user of the account", "Saved the credential report to "+path)
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Fatalf("file: %v, %v (want a regular file 0600)", info, err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Error("the link's target was written")
	}
	got, _ := os.ReadFile(path)
	want, err := steps.CredentialReportCSV(context.Background(), newFixDemo())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || !strings.HasPrefix(string(got), "user,arn,user_creation_time,") {
		t.Errorf("CSV = %q\nwant %q", got, want)
	}
	// Never into saved progress.
	err = filepath.WalkDir(state, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte("user,arn")) || bytes.Contains(b, []byte("<root_account>,arn")) {
			t.Errorf("%s holds the CSV", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReportCredentialReportRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--credential-report", dir}, "it is a directory"},
		{[]string{"--credential-report", "-"}, "needs a file name"},
		{[]string{"--credential-report", filepath.Join(dir, "missing", "x.csv")}, "cannot save to"},
		{[]string{"--credential-report", filepath.Join(dir, "x.csv"), "--out", "r.md"}, "saves the CSV only"},
		{[]string{"--credential-report", filepath.Join(dir, "x.csv"), "--redact"}, "saves the CSV only"},
	} {
		code, out, errOut := reportRun(t, t.TempDir(), tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.msg) {
			t.Errorf("report %q: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Error("a refused save wrote the file")
	}
}

// A real account comes wrapped with its proven identity: fixes must still
// reach its fix-specific readers and writers (the demo stands in for AWS).
func TestFixesReachTheWrappedAccount(t *testing.T) {
	acct := newFixDemo()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	dir := t.TempDir()
	d := deps{now: func() time.Time { return fixTestNow }, stateDir: func() (string, error) { return dir, nil }}
	d.connect = func(ctx context.Context, _ accountFlags) (awsops.Account, error) {
		id, err := acct.CallerIdentity(ctx)
		return provenAccount{Account: acct, identity: id}, err
	}
	code := run(context.Background(), []string{"fix", "budget-alert", "--amount", "50", "--email", "billing@acme.example", "--yes"}, ios, d)
	if code != exitOK || len(acct.Writes()) != 1 {
		t.Fatalf("exit %d, writes %q\n%s%s", code, acct.Writes(), out.String(), errOut.String())
	}
}

func TestFixBudgetDryRunMakesNoWriteRequest(t *testing.T) {
	reg := &awstest.Registry{}
	t.Cleanup(func() { reg.Verify(t) })
	const acctID = "123456789012"
	// Connect proves the identity; the fix's facts reuse it.
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(`<Arn>arn:aws:sts::`+acctID+`:assumed-role/Admin/alice</Arn><UserId>AROA:alice</UserId><Account>`+acctID+`</Account>`))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult(`<AccountAliases/><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.JSONTarget("AWSBudgetServiceGateway.DescribeBudgets"), awstest.JSON(200, `{"Budgets":[]}`))
	code, out, errOut := fixRun(t, awsops.New(awstest.Config(reg)), "budget-alert", "--amount", "50", "--email", "billing@example.com", "--yes", "--dry-run")
	if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, r := range reg.Requests() {
		if op := r.Operation(); !strings.Contains(op, "Get") && !strings.Contains(op, "List") && !strings.Contains(op, "Describe") {
			t.Errorf("a dry run sent %s", op)
		}
	}
}
