package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

var historyNow = time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC)

// progressRun runs a command with a fixed clock; connect fails the test
// unless acct is given.
func progressRun(t *testing.T, acct awsops.Account, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	dir := t.TempDir()
	d := deps{now: func() time.Time { return historyNow }, stateDir: func() (string, error) { return dir, nil }}
	d.connect = func(ctx context.Context, opts accountFlags) (awsops.Account, error) {
		if acct == nil {
			t.Fatalf("%v connected to AWS", args)
		}
		return acct, nil
	}
	code = run(context.Background(), args, ios, d)
	return code, out.String(), errOut.String()
}

// craftedHistory saves three runs, two attestations and a fix for key.
func craftedHistory(t *testing.T, dir, key string) {
	t.Helper()
	run := func(daysAgo int, source string, statuses ...string) progress.Run {
		r := progress.Run{At: historyNow.AddDate(0, 0, -daysAgo), Source: source}
		for i := 0; i < len(statuses); i += 2 {
			r.Results = append(r.Results, progress.ItemStatus{ID: statuses[i], Status: steps.Status(statuses[i+1]), Summary: statuses[i] + ": " + statuses[i+1]})
		}
		return r
	}
	for _, r := range []progress.Run{
		run(30, "wizard", "root-mfa", "fail", "root-access-keys", "fail", "password-policy", "fail", "root-password", "manual"),
		run(10, "check", "root-mfa", "pass", "root-access-keys", "fail", "password-policy", "warn", "root-password", "attested"),
		run(1, "report", "root-mfa", "pass", "root-access-keys", "pass", "password-policy", "pass", "root-password", "attested"),
	} {
		st, err := progress.Open(dir, key, progress.Options{Now: func() time.Time { return historyNow }})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.RecordRun(r); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := progress.Open(dir, key, progress.Options{})
	st.Attest("root-password", historyNow.AddDate(0, 0, -100), "in the vault")
	st.Attest("root-email", historyNow.AddDate(0, 0, -10), "")
	st.RecordFix("password-policy", historyNow.AddDate(0, 0, -5), "minimum length 8 → 14")
}

func TestHistoryListsRuns(t *testing.T) {
	dir := t.TempDir()
	craftedHistory(t, dir, progress.DemoAccount)
	code, out, errOut := progressRun(t, nil, "history", "--demo", "--state-dir", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := `Saved progress of the demo account: 3 runs

  DATE              SCORE              OPEN  VIA     SINCE THE RUN BEFORE
  2025-05-21 09:00    0%   ░░░░░░░░░░  4     wizard  first run
  2025-06-10 09:00   63%   ██████░░░░  2     check   2 fixed, 0 new problems, 1 other change, 1 unchanged
  2025-06-19 09:00  100%   ██████████  0     report  2 fixed, 0 new problems, 2 unchanged

Marked done:
  root-email     2025-06-10
  root-password  2025-03-12  expired on 2025-06-10: confirm it again  "in the vault"

Fixes applied by rootguard:
  2025-06-15  password-policy  minimum length 8 → 14

One item over time: rootguard --demo history --item ID
`
	if out != want {
		t.Errorf("history output:\n%s\nwant:\n%s", out, want)
	}
}

func TestHistoryOneItem(t *testing.T) {
	dir := t.TempDir()
	craftedHistory(t, dir, "111122223333")
	// --account reads saved progress without contacting AWS.
	code, out, errOut := progressRun(t, nil, "history", "--account", "111122223333", "--item", "password-policy", "--state-dir", dir)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := `password-policy: Require strong IAM user passwords
3 runs of account 111122223333

  DATE              STATUS  SUMMARY
  2025-05-21 09:00  ✗ fail  password-policy: fail
  2025-06-10 09:00  ! warn  password-policy: warn  ← changed
  2025-06-19 09:00  ✓ pass  password-policy: pass  ← changed

Fixes applied by rootguard:
  2025-06-15  minimum length 8 → 14
`
	if out != want {
		t.Errorf("history --item output:\n%s\nwant:\n%s", out, want)
	}
}

func TestHistoryOfTheCallersAccount(t *testing.T) {
	dir := t.TempDir()
	craftedHistory(t, dir, "111122223333")
	code, out, _ := progressRun(t, newFixDemo(), "history", "--state-dir", dir)
	if code != 0 || !strings.Contains(out, "account 111122223333: 3 runs") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	// The demo's own history is kept apart.
	code, out, _ = progressRun(t, nil, "history", "--demo", "--state-dir", dir)
	if code != 0 || !strings.Contains(out, "No saved progress for the demo account yet") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestHistoryErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"history", "--demo", "--item", "no-such-item", "--state-dir", dir},
		{"history", "--account", "12345", "--state-dir", dir},
		{"history", "--demo", "extra", "--state-dir", dir},
	} {
		code, _, errOut := progressRun(t, nil, args...)
		if code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a reason", args, code, errOut)
		}
	}
}

func TestHistoryWarnsAboutACorruptFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "accounts", "demo.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("{oops"), 0o600)
	code, out, errOut := progressRun(t, nil, "history", "--demo", "--state-dir", dir)
	if code != 0 || !strings.Contains(out, "No saved progress") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	wantContains(t, "stderr", errOut, "warning", "could not be read")
	// history only reads: the file is left for a writing run to set aside.
	if data, _ := os.ReadFile(path); string(data) != "{oops" {
		t.Error("history changed the corrupt file")
	}
}

// Finding 26: the demo's account ID points to --demo.
func TestHistoryOfTheDemoAccountIDPointsToDemo(t *testing.T) {
	code, out, _ := progressRun(t, nil, "history", "--account", demo.AccountID, "--state-dir", t.TempDir())
	if code != 0 || !strings.Contains(out, "for the demo account, use --demo") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	_, out, _ = progressRun(t, nil, "history", "--account", "444455556666", "--state-dir", t.TempDir())
	if strings.Contains(out, "--demo") {
		t.Errorf("another account got the demo hint:\n%s", out)
	}
}

// Finding 15: a long fix description wraps under its column, at spaces.
func TestHistoryWrapsLongFixes(t *testing.T) {
	dir := t.TempDir()
	craftedHistory(t, dir, progress.DemoAccount)
	long := "password policy saved: " + strings.Repeat("Minimum length (no policy: AWS default) → 14, ", 6) + "us-east-1"
	st, _ := progress.Open(dir, progress.DemoAccount, progress.Options{})
	st.RecordFix("password-policy", historyNow, long)
	_, out, _ := progressRun(t, nil, "history", "--demo", "--state-dir", dir)
	_, fixes, _ := strings.Cut(out, "Fixes applied by rootguard:\n")
	fixes, _, _ = strings.Cut(fixes, "\n\n")
	lines := strings.Split(fixes, "\n")
	for len(lines) > 0 && !strings.Contains(lines[0], "password policy saved") {
		lines = lines[1:] // the crafted history's own fix
	}
	if len(lines) < 3 {
		t.Fatalf("the long fix is not wrapped:\n%s", fixes)
	}
	col := strings.Index(lines[0], "password policy saved")
	var words []string
	for i, l := range lines {
		if w := displayWidth(l); w > pipedHistoryWidth {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
		if len(l) <= col || strings.TrimSpace(l[:col]) != "" && i > 0 {
			t.Errorf("line %d is not under the description: %q", i, l)
			continue
		}
		words = append(words, strings.Fields(l[col:])...)
	}
	if got := strings.Join(words, " "); got != strings.Join(strings.Fields(long), " ") {
		t.Errorf("wrapping lost or split words:\n%s", got)
	}
}

func TestWrapWords(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width int
		want  []string
	}{
		{"root in us-east-1 only", 12, []string{"root in", "us-east-1", "only"}},
		{"aws-root@yourcompany.com", 10, []string{"aws-root@y", "ourcompany", ".com"}},
		{"", 10, []string{""}},
	} {
		if got := wrapWords(tc.text, tc.width); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tc.text, tc.width, got, tc.want)
		}
	}
}
