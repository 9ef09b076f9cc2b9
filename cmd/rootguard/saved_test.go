package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/tui"
)

// savedStore opens the saved progress in dir (read-only) for assertions.
func savedStore(t *testing.T, dir, key string) *progress.Store {
	t.Helper()
	st, err := progress.Open(dir, key, progress.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The trainer story: a first check, a fix on the demo, a second check that
// says what changed. Each command is its own "process": a fresh demo
// account that continues from the saved state.
func TestCheckSinceLastRunAcrossDemoRuns(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	first := runCheckCmd(t, e, "check", "--demo")
	if strings.Contains(first.stdout, "Since last run") {
		t.Fatalf("the first run has nothing to compare with:\n%s", first.stdout)
	}
	if n := len(savedStore(t, dir, progress.DemoAccount).Runs()); n != 1 {
		t.Fatalf("%d runs saved after the first check, want 1", n)
	}
	if fix := runCheckCmd(t, e, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes"); fix.code != exitOK {
		t.Fatalf("fix: exit %d\n%s%s", fix.code, fix.stdout, fix.stderr)
	}

	// Subsets are compared but not saved, so they all see the first run.
	md := runCheckCmd(t, e, "check", "--demo", "--format", "markdown", "--only", "root-mfa,password-policy")
	wantContains(t, "markdown", md.stdout, "Since last run (2026-11-23 10:00 UTC): 1 fixed, 0 new problems, 1 unchanged",
		"| ✓ pass · ▲ fixed | high | Require strong IAM user passwords (`password-policy`)", "| ✗ fail | critical | Turn on MFA")
	js := runCheckCmd(t, e, "check", "--demo", "--format", "json", "--only", "password-policy")
	rep := decodeStrictReport(t, js.stdout)
	if rep.SinceLastRun == nil || *rep.SinceLastRun.Summary != "1 fixed, 0 new problems, 0 unchanged" {
		t.Fatalf("since_last_run:\n%s", js.stdout)
	}

	second := runCheckCmd(t, e, "check", "--demo")
	if second.stderr != "" {
		t.Errorf("stderr = %q", second.stderr)
	}
	wantContains(t, "second check", second.stdout,
		"Since last run (2026-11-23 10:00 UTC): 1 fixed, 0 new problems, 24 unchanged",
		"✓ pass      high      Require strong IAM user passwords               password-policy         ▲ fixed    the password policy")
	assertGolden(t, "check-demo-since.txt.golden", second.stdout)
	if n := len(savedStore(t, dir, progress.DemoAccount).Runs()); n != 2 {
		t.Errorf("%d runs saved, want 2", n)
	}
	third := runCheckCmd(t, e, "check", "--demo", "--format", "json")
	if rep := decodeStrictReport(t, third.stdout); rep.SinceLastRun == nil || *rep.SinceLastRun.Summary != "0 fixed, 0 new problems, 25 unchanged" {
		t.Errorf("the third run compares with the second:\n%s", third.stdout)
	}
}

func TestCheckJSONSinceLastRunLists(t *testing.T) {
	dir := t.TempDir()
	st, err := progress.Open(dir, progress.DemoAccount, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	prev := progress.Run{At: checkTestNow.AddDate(0, 0, -3), Source: "check", Results: []progress.ItemStatus{
		{ID: "root-mfa", Status: steps.StatusPass},           // now fail: new problem
		{ID: "root-signing-certs", Status: steps.StatusFail}, // now pass: fixed
		{ID: "credential-report", Status: steps.StatusFail},  // now warn: other
		{ID: "root-access-keys", Status: steps.StatusFail},   // unchanged
	}}
	if err := st.RecordRun(prev); err != nil {
		t.Fatal(err)
	}
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--format", "json", "--only", "credential-report,root-mfa,root-access-keys,root-signing-certs")
	rep := decodeStrictReport(t, r.stdout)
	s := rep.SinceLastRun
	if s == nil {
		t.Fatalf("no since_last_run:\n%s", r.stdout)
	}
	if *s.Summary != "1 fixed, 1 new problem, 1 other change, 1 unchanged" || !s.PreviousRunAt.Equal(prev.At) ||
		strings.Join(*s.Fixed, ",") != "root-signing-certs" || strings.Join(*s.NewProblems, ",") != "root-mfa" ||
		strings.Join(*s.OtherChanges, ",") != "credential-report" || *s.Unchanged != 1 {
		t.Errorf("since_last_run = %s", r.stdout[strings.Index(r.stdout, `"since_last_run"`):])
	}
	var order []string
	for _, c := range *s.Changes {
		order = append(order, *c.ID+":"+*c.From+"→"+*c.To+":"+*c.Change)
	}
	if got, want := strings.Join(order, " "), "credential-report:fail→warn:changed root-mfa:pass→fail:new-problem root-signing-certs:fail→pass:fixed"; got != want {
		t.Errorf("changes = %s, want %s (checklist order)", got, want)
	}
	// --only is a subset: it is compared but not saved.
	if n := len(savedStore(t, dir, progress.DemoAccount).Runs()); n != 1 {
		t.Errorf("a --only check saved a run: %d runs", n)
	}
	text := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--only", "credential-report,root-access-keys,root-signing-certs")
	wantContains(t, "--only text", text.stdout, "Since last run (2026-11-20): 1 fixed, 0 new problems, 1 other change, 1 unchanged", "▲ fixed", "• changed")
	if n := len(savedStore(t, dir, progress.DemoAccount).Runs()); n != 1 {
		t.Errorf("a second --only check saved a run: %d runs", n)
	}
}

func TestCheckNoSaveWritesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"check", "--demo", "--no-save"},
		{"fix", "password-policy", "--demo", "--no-save", "--preset", "recommended", "--yes"},
		{"report", "--demo", "--no-save"},
	} {
		r := runCheckCmd(t, checkEnv{stateDir: dir}, args...)
		if r.code == exitUsage {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("--no-save left %d entries in the state directory", len(entries))
	}
	// The demo starts fresh with --no-save even when a saved one exists.
	runCheckCmd(t, checkEnv{stateDir: dir}, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes")
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--no-save", "--only", "password-policy")
	wantContains(t, "--no-save check", r.stdout, "✗ fail")
	if strings.Contains(r.stdout, "Since last run") {
		t.Error("--no-save on the demo compared with saved progress")
	}
}

func TestCheckUsesSavedAttestations(t *testing.T) {
	dir := t.TempDir()
	st, err := progress.Open(dir, progress.DemoAccount, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Attest("root-email", checkTestNow.AddDate(0, 0, -10), "ops@ mailbox")
	st.Attest("root-password", checkTestNow.AddDate(0, 0, -91), "")
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--format", "json", "--only", "root-email,root-password")
	rep := decodeStrictReport(t, r.stdout)
	got := map[string]string{}
	for _, res := range *rep.Results {
		got[*res.ID] = *res.Status + ": " + *res.Summary
	}
	if !strings.HasPrefix(got["root-email"], "attested") {
		t.Errorf("root-email = %s, want attested from the saved attestation", got["root-email"])
	}
	if !strings.HasPrefix(got["root-password"], "manual") || !strings.Contains(got["root-password"], "older than 90 days") {
		t.Errorf("root-password = %s, want manual: a 91-day-old attestation has expired", got["root-password"])
	}
}

func TestCheckStoreWarningsGoToStderr(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "accounts"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "accounts", "demo.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--format", "json")
	decodeStrictReport(t, r.stdout) // stdout stays clean JSON
	wantContains(t, "stderr", r.stderr, "rootguard: warning:", "could not be read", "corrupt-")
	if n := len(savedStore(t, dir, progress.DemoAccount).Runs()); n != 1 {
		t.Errorf("after setting the corrupt file aside, %d runs saved, want 1", n)
	}
}

func TestFixIsRecordedWithoutSecrets(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	if r := runCheckCmd(t, e, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes"); r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if r := runCheckCmd(t, e, append([]string{"fix", "alternate-contacts", "--demo", "--yes"}, fixContactArgs...)...); r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	fixes := savedStore(t, dir, progress.DemoAccount).Fixes()
	if len(fixes) != 2 {
		t.Fatalf("fixes = %+v", fixes)
	}
	if f := fixes[0]; f.ItemID != "password-policy" || !f.At.Equal(checkTestNow) ||
		f.Summary != "was the AWS default; now: min 14, reuse 24, upper/lower/number/symbol, users may change" {
		t.Errorf("password fix = %+v", f)
	}
	f := fixes[1]
	if f.ItemID != "alternate-contacts" || f.Summary != "security, billing, operations contacts saved (changed: security name/title/email/phone, billing name/title/email/phone, operations name/title/email/phone)" {
		t.Errorf("contacts fix = %+v", f)
	}
	for _, personal := range []string{"ana@example.com", "Ana Lima", "206 555"} {
		if strings.Contains(f.Summary, personal) {
			t.Errorf("the saved fix holds contact details %q: %s", personal, f.Summary)
		}
	}
	// Changing one value: "was" names only what changed.
	if r := runCheckCmd(t, e, "fix", "password-policy", "--demo", "--preset", "custom", "--min-length", "16", "--yes"); r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if f := savedStore(t, dir, progress.DemoAccount).Fixes()[2]; f.Summary != "was min 14; now: min 16, reuse 24, upper/lower/number/symbol, users may change" {
		t.Errorf("one-field fix summary = %q", f.Summary)
	}
	// A plan printed without --yes records nothing.
	runCheckCmd(t, e, "fix", "contact-info", "--demo", "--phone", "+1 206 555 0199")
	if n := len(savedStore(t, dir, progress.DemoAccount).Fixes()); n != 3 {
		t.Errorf("a fix that was not applied was recorded: %d fixes", n)
	}
}

func TestDemoStateFile(t *testing.T) {
	dir := t.TempDir()
	runCheckCmd(t, checkEnv{stateDir: dir}, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes")
	path := filepath.Join(dir, "accounts", demoStateFileOf(demo.DefaultScenario))
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("demo state mode %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	var saved demoStateData
	if err := json.Unmarshal(data, &saved); err != nil || saved.Account.PasswordPolicy == nil || !saved.SavedAt.Equal(checkTestNow) {
		t.Fatalf("saved demo = %+v (%v)", saved, err)
	}
	if strings.Contains(strings.ToLower(string(data)), "secret") {
		t.Error("the demo state mentions a secret")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "accounts", "*.tmp-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestDemoCorruptStateIsSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "accounts", demoStateFileOf(demo.DefaultScenario))
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"account":{"version":99}}`), 0o600)
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--only", "password-policy")
	wantContains(t, "stderr", r.stderr, "the saved demo", "started the demo fresh")
	wantContains(t, "stdout", r.stdout, "✗ fail")
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 1 {
		t.Errorf("set aside: %v", aside)
	}
}

func TestResetDemo(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	runCheckCmd(t, e, "check", "--demo")
	runCheckCmd(t, e, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes")
	r := runCheckCmd(t, e, "check", "--demo", "--reset-demo")
	wantContains(t, "stderr", r.stderr, "Demo reset")
	if strings.Contains(r.stdout, "Since last run") || !strings.Contains(r.stdout, "✗ fail      high      Require strong IAM user passwords") {
		t.Errorf("after --reset-demo the demo did not start over:\n%s", r.stdout)
	}
	if n := len(savedStore(t, dir, progress.DemoAccount).Runs()); n != 1 {
		t.Errorf("%d runs after the reset, want only the new one", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "accounts", demoStateFileOf(demo.DefaultScenario))); err == nil {
		t.Error("the demo state survived the reset")
	}
	if bad := runCheckCmd(t, e, "check", "--reset-demo"); bad.code != exitUsage || !strings.Contains(bad.stderr, "use it with --demo") {
		t.Errorf("--reset-demo without --demo: exit %d, %q", bad.code, bad.stderr)
	}
}

func TestEveryAccountCommandTakesTheStateFlags(t *testing.T) {
	for _, cmd := range [][]string{{"check"}, {"fix", "password-policy"}, {"history"}, {"report"}, {}} {
		r := runWizardCmd(t, true, "", append(cmd, "--help")...)
		for _, flag := range []string{"-demo", "-profile", "-region", "-state-dir", "-no-save", "-reset-demo"} {
			if !strings.Contains(r.stdout, flag) {
				t.Errorf("rootguard %v --help lacks %s", cmd, flag)
			}
		}
	}
}

// The wizard's seams: simulating in the demo saves its state, attestations
// and fixes go to the saved progress, and the previous run feeds Since.
func TestWizardProgressSeams(t *testing.T) {
	dir := t.TempDir()
	now := func() time.Time { return checkTestNow }
	d := deps{now: now, stateDir: func() (string, error) { return dir, nil }}
	d.connect = func(ctx context.Context, opts accountFlags) (awsops.Account, error) {
		return demo.New(demo.Options{Now: now}), nil
	}
	runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo") // a previous run

	ios := IOStreams{ErrOut: &strings.Builder{}, Env: func(string) string { return "" }}
	sess, err := openSessionWith(t.Context(), accountFlags{Demo: true}, stateFlags{}, ios, d, false)
	if err != nil {
		t.Fatal(err)
	}
	sim := sess.acct.(simulator)
	cfg := tui.Config{Demo: true, Simulate: sim.Simulate, CanSimulate: sim.CanSimulate}
	late := wireProgress(&cfg, sess)
	if cfg.Since == nil || len(cfg.Since.Results) != len(steps.All()) {
		t.Fatalf("Since = %+v, want the saved check", cfg.Since)
	}
	if !cfg.DemoSaving || !cfg.DemoResumedAt.IsZero() {
		t.Errorf("fresh demo: saving %t, resumed %v", cfg.DemoSaving, cfg.DemoResumedAt)
	}
	if err := cfg.Simulate("root-mfa"); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Attestations.Set(steps.Attestation{ItemID: "root-email", At: checkTestNow}); err != nil {
		t.Fatal(err)
	}
	cfg.RecordFix("password-policy", checkTestNow, "password policy saved: Minimum length 8 → 14")
	late.flush(ios)
	if s := ios.ErrOut.(*strings.Builder).String(); s != "" {
		t.Errorf("warnings: %s", s)
	}

	st := savedStore(t, dir, progress.DemoAccount)
	if _, ok := st.Attestation("root-email"); !ok {
		t.Error("the attestation was not saved")
	}
	if len(st.Fixes()) != 1 {
		t.Errorf("fixes = %+v", st.Fixes())
	}
	// The next process continues the demo: root MFA is on.
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo")
	// root-mfa-strength goes from n/a to applying: a change, not a new problem.
	wantContains(t, "check after the wizard", r.stdout, "Since last run", "2 fixed, 0 new problems", "▲ fixed", "attested")
	sess2, _ := openSessionWith(t.Context(), accountFlags{Demo: true}, stateFlags{}, ios, d, false)
	cfg2 := tui.Config{Demo: true}
	wireProgress(&cfg2, sess2)
	if !cfg2.DemoResumedAt.Equal(checkTestNow) {
		t.Errorf("DemoResumedAt = %v, want the save time", cfg2.DemoResumedAt)
	}
}

func TestWizardSavesTheDemoOnQuit(t *testing.T) {
	dir := t.TempDir()
	r := runWizardCmd(t, true, "q", "--demo", "--state-dir", dir)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "accounts", demoStateFileOf(demo.DefaultScenario))); err != nil {
		t.Errorf("the demo was not saved: %v", err)
	}
	dir2 := t.TempDir()
	runWizardCmd(t, true, "q", "--demo", "--no-save", "--state-dir", dir2)
	if entries, _ := os.ReadDir(dir2); len(entries) != 0 {
		t.Errorf("--no-save wrote %d entries", len(entries))
	}
}

// When the session's run cannot be saved, the exit line says so and why,
// and the reason is among the warnings printed after the wizard closes.
func TestWizardExitLineSaysWhenTheRunWasNotSaved(t *testing.T) {
	dir := t.TempDir()
	now := func() time.Time { return checkTestNow }
	d := deps{now: now, stateDir: func() (string, error) { return dir, nil },
		connect: func(context.Context, accountFlags) (awsops.Account, error) {
			return demo.New(demo.Options{Now: now}), nil
		}}
	var errOut strings.Builder
	ios := IOStreams{ErrOut: &errOut, Env: func(string) string { return "" }}
	sess, err := openSessionWith(t.Context(), accountFlags{Demo: true}, stateFlags{}, ios, d, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tui.Config{Demo: true}
	late := wireProgress(&cfg, sess)
	// The progress directory turns into a file: every save now fails.
	accounts := filepath.Join(dir, "accounts")
	if err := os.RemoveAll(accounts); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(accounts, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cfg.RecordRun(progress.NewRun(checkTestNow, "arn:aws:iam::111122223333:user/demo", "wizard", nil)); err == nil {
		t.Fatal("RecordRun succeeded in a directory that is a file")
	}

	reason := notSavedReason(stateFlags{}, sess, late)
	if reason == "" {
		t.Fatal("no reason given for the failed save")
	}
	f := tui.Final{Account: "111122223333", Checked: true, Score: steps.Score{Percent: 28}, Open: 10}
	line := exitSummary(f, "--demo", reason)
	if !strings.HasPrefix(line, "Progress not saved ("+reason+")") || strings.Contains(line, "progress saved") {
		t.Errorf("exit line = %q, want it to say the run was not saved and why", line)
	}
	late.flush(ios)
	if !strings.Contains(errOut.String(), reason) {
		t.Errorf("warnings after the wizard = %q, want the reason %q", errOut.String(), reason)
	}
}

// The wizard's first complete pass is saved once, whether its command ran
// before the quit or runWizard saves it after (or both).
func TestWizardRunIsSavedOnce(t *testing.T) {
	dir := t.TempDir()
	now := func() time.Time { return checkTestNow }
	d := deps{now: now, stateDir: func() (string, error) { return dir, nil },
		connect: func(context.Context, accountFlags) (awsops.Account, error) {
			return demo.New(demo.Options{Now: now}), nil
		}}
	ios := IOStreams{ErrOut: io.Discard, Env: func(string) string { return "" }}
	sess, err := openSessionWith(t.Context(), accountFlags{Demo: true}, stateFlags{}, ios, d, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tui.Config{Demo: true}
	wireProgress(&cfg, sess)
	run := progress.NewRun(checkTestNow, "arn:aws:iam::111122223333:root", "wizard",
		[]steps.Outcome{{Item: steps.Item{ID: "root-mfa"}, Result: steps.Result{Status: steps.StatusFail}}})
	for range 2 {
		if err := cfg.RecordRun(run); err != nil {
			t.Fatal(err)
		}
	}
	st, err := progress.Open(dir, progress.DemoAccount, progress.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st.Runs()); n != 1 {
		t.Errorf("%d runs saved, want 1", n)
	}
}
