package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps/progress"
)

func newReportDemo() *demo.Account {
	return demo.New(demo.Options{Now: func() time.Time { return historyNow }})
}

func TestReportMarkdownOnStdout(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := progressRun(t, newReportDemo(), "report", "--demo", "--state-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantContains(t, "report", out,
		"# rootguard report", "`"+demo.AccountID+"` ("+demo.Alias+"), the built-in demo account",
		"| Date | 2025-06-20 09:00 UTC |", "| Score | **", "## Progress over time", "(this run)",
		"`root-mfa`", "**What to do:**")
	if strings.Contains(out, "Since last run") {
		t.Error("a first run has nothing to compare with")
	}
	st, err := progress.Open(dir, progress.DemoAccount, progress.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if runs := st.Runs(); len(runs) != 1 || runs[0].Source != "report" || len(runs[0].Results) == 0 {
		t.Fatalf("saved runs = %+v", runs)
	}
}

// A trainer's flow: report, fix something, report again: the second report
// shows the progress, with the account masked.
func TestReportShowsProgressAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	acct := newReportDemo()
	if code, _, errOut := progressRun(t, acct, "report", "--demo", "--state-dir", dir, "--out", filepath.Join(t.TempDir(), "first.md")); code != 0 {
		t.Fatalf("first report: exit %d: %s", code, errOut)
	}
	if err := acct.Simulate("root-mfa"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "second.html")
	code, stdout, errOut := progressRun(t, acct, "report", "--demo", "--state-dir", dir, "--out", out, "--redact")
	if code != 0 || stdout != "" {
		t.Fatalf("second report: exit %d, stdout %q, stderr %s", code, stdout, errOut)
	}
	wantContains(t, "stderr", errOut, "Report written to "+out, "1 fixed")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	wantContains(t, "html report", html, "<!doctype html>", "1111****3333", "fixed since last run (was fail)",
		"Since last run", "@media print")
	for _, hidden := range []string{demo.AccountID, demo.Alias} {
		if strings.Contains(html, hidden) {
			t.Errorf("--redact report shows %q", hidden)
		}
	}
	if n := strings.Count(html, `<rect class="bar`); n != 2 {
		t.Errorf("chart has %d bars, want 2", n)
	}
}

func TestReportNoSaveKeepsNothing(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := progressRun(t, newReportDemo(), "report", "--demo", "--no-save", "--format", "html", "--state-dir", dir)
	if code != 0 || !strings.HasPrefix(out, "<!doctype html>") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("--no-save left %d entries in the state directory", len(entries))
	}
}

func TestReportUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"report", "--demo", "--format", "pdf"},
		{"report", "--demo", "stray"},
	} {
		code, _, errOut := progressRun(t, nil, args...)
		if code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	code, _, errOut := progressRun(t, newReportDemo(), "report", "--demo", "--state-dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "missing", "r.md"))
	if code != exitUsage || !strings.Contains(errOut, "cannot write the report") {
		t.Errorf("unwritable --out: exit %d, stderr %q", code, errOut)
	}
}

func TestReportFormatFromExtension(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.HTML")
	if code, _, errOut := progressRun(t, newReportDemo(), "report", "--demo", "--no-save", "--state-dir", t.TempDir(), "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if data, _ := os.ReadFile(out); !strings.HasPrefix(string(data), "<!doctype html>") {
		t.Error("--out r.HTML did not write HTML")
	}
}

// Finding 25: an --out that cannot be written fails before any AWS call,
// and leaves nothing behind.
func TestReportChecksTheOutPathFirst(t *testing.T) {
	dir := t.TempDir()
	for _, out := range []string{filepath.Join(dir, "missing", "r.md"), dir} {
		// nil account: connecting fails the test.
		code, stdout, errOut := progressRun(t, nil, "report", "--demo", "--state-dir", t.TempDir(), "--out", out)
		if code != exitUsage || stdout != "" || !strings.Contains(errOut, "cannot write the report to "+out) {
			t.Errorf("--out %s: exit %d, stderr %q", out, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the check left %d entries in the directory", len(entries))
	}
	// An existing file is checked without being changed when the run fails.
	existing := filepath.Join(dir, "old.md")
	os.WriteFile(existing, []byte("old"), 0o644)
	if err := checkWritable(existing); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(existing); string(data) != "old" {
		t.Errorf("checking the path changed the file: %q", data)
	}
}

// Finding 25: progress goes to stderr only when it is a terminal.
func TestReportProgressOnlyOnATerminal(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "report", "--demo", "--no-save")
	if r.code != exitOK || r.stderr != "" {
		t.Errorf("piped stderr: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCheckCmd(t, checkEnv{errTTY: true}, "report", "--demo", "--no-save")
	if !strings.Contains(r.stderr, "checking ") || !strings.HasSuffix(r.stderr, "\r\x1b[K") {
		t.Errorf("terminal stderr lacks the progress line (or does not clear it): %q", r.stderr)
	}
}

func TestReportHandout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "handout.html")
	code, _, errOut := progressRun(t, newReportDemo(), "--demo", "report", "--handout", "--no-save", "--state-dir", t.TempDir(), "--out", out)
	if code != 0 || !strings.Contains(errOut, "Handout written to") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, _ := os.ReadFile(out)
	page := string(data)
	for _, want := range []string{"<title>rootguard handout", `id="root-mfa"`, "<ol><li>", "data:image/png;base64,", "rootguard fix password-policy"} {
		if !strings.Contains(page, want) {
			t.Errorf("handout lacks %q", want)
		}
	}
	if code, _, errOut := progressRun(t, nil, "--demo", "report", "--handout", "--format", "markdown"); code != exitUsage || !strings.Contains(errOut, "--handout is an HTML page") {
		t.Errorf("--handout --format markdown: exit %d, %q", code, errOut)
	}
}
