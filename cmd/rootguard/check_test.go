package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

var checkTestNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// checkEnv is the environment a check test runs in.
type checkEnv struct {
	outTTY, errTTY bool
	env            map[string]string
	fail           map[string]error // demo failures by method name
	connectErr     error
	ctx            context.Context
	stateDir       string // saved progress; default: a fresh directory
}

type checkRun struct {
	code           int
	stdout, stderr string
	connects       int
}

// runCheckCmd runs `rootguard <args>` against the demo account with a fixed clock.
func runCheckCmd(t *testing.T, e checkEnv, args ...string) checkRun {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		OutIsTerminal: e.outTTY, ErrIsTerminal: e.errTTY,
		Env: func(k string) string { return e.env[k] }}
	now := func() time.Time { return checkTestNow }
	var r checkRun
	d := deps{now: now, connect: func(ctx context.Context, opts accountFlags) (awsops.Account, error) {
		r.connects++
		if e.connectErr != nil {
			return nil, e.connectErr
		}
		if !opts.Demo {
			t.Errorf("test connected without --demo: %+v", opts)
		}
		return demo.New(demo.Options{Now: now, Fail: e.fail, Scenario: opts.Scenario}), nil
	}}
	dir := e.stateDir
	if dir == "" {
		dir = t.TempDir()
	}
	d.stateDir = func() (string, error) { return dir, nil }
	ctx := e.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	r.code = run(ctx, args, ios, d)
	r.stdout, r.stderr = out.String(), errOut.String()
	return r
}

func TestCheckTextGolden(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo")
	if r.code != exitFindings {
		t.Errorf("exit = %d, want %d (the demo account has failures)", r.code, exitFindings)
	}
	if r.stderr != "" {
		t.Errorf("stderr must stay quiet when it is not a terminal, got %q", r.stderr)
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("piped output must not contain escape sequences")
	}
	assertGolden(t, "check-demo.txt.golden", r.stdout)
}

func TestCheckTextNarrowTerminalGolden(t *testing.T) {
	r := runCheckCmd(t, checkEnv{outTTY: true, env: map[string]string{"NO_COLOR": "1", "COLUMNS": "80"}}, "check", "--demo")
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("NO_COLOR output must not contain escape sequences")
	}
	for i, line := range strings.Split(r.stdout, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line %d is %d cells wide at COLUMNS=80: %q", i+1, w, line)
		}
	}
	assertGolden(t, "check-demo-80.txt.golden", r.stdout)
}

func TestCheckTextColourOnlyOnATerminal(t *testing.T) {
	tty := checkEnv{outTTY: true, env: map[string]string{"TERM": "xterm-256color", "COLUMNS": "200"}}
	colour := runCheckCmd(t, tty, "check", "--demo")
	if !strings.Contains(colour.stdout, "\x1b[") {
		t.Error("a colour terminal without NO_COLOR should get colour")
	}
	plain := runCheckCmd(t, checkEnv{env: tty.env}, "check", "--demo")
	if strings.Contains(plain.stdout, "\x1b[") {
		t.Error("a pipe must get plain text")
	}
	tty.env["NO_COLOR"] = "1"
	if noColour := runCheckCmd(t, tty, "check", "--demo"); strings.Contains(noColour.stdout, "\x1b[") {
		t.Error("NO_COLOR must turn colour off")
	}
}

func TestCheckMarkdownGolden(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--format", "markdown")
	if r.code != exitFindings {
		t.Errorf("exit = %d, want %d", r.code, exitFindings)
	}
	assertGolden(t, "check-demo.md.golden", r.stdout)
}

func TestCheckJSONGolden(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--format", "json")
	if r.code != exitFindings {
		t.Errorf("exit = %d, want %d", r.code, exitFindings)
	}
	assertGolden(t, "check-demo.json.golden", r.stdout)
}

// strictReport is the documented JSON shape; every field is a pointer so a
// missing one is caught, and unknown fields are rejected.
type strictReport struct {
	SchemaVersion *int            `json:"schema_version"`
	AccountID     *string         `json:"account_id"`
	AccountAlias  *string         `json:"account_alias"`
	CallerARN     *string         `json:"caller_arn"`
	CallerIsRoot  *bool           `json:"caller_is_root"`
	GeneratedAt   *time.Time      `json:"generated_at"`
	Results       *[]strictResult `json:"results"`
	Summary       *map[string]int `json:"summary"`
	// SinceLastRun is optional: present only when a previous run is saved.
	SinceLastRun *strictSince `json:"since_last_run"`
}

type strictSince struct {
	PreviousRunAt *time.Time `json:"previous_run_at"`
	Summary       *string    `json:"summary"`
	Fixed         *[]string  `json:"fixed"`
	NewProblems   *[]string  `json:"new_problems"`
	OtherChanges  *[]string  `json:"other_changes"`
	Unchanged     *int       `json:"unchanged"`
	Changes       *[]struct {
		ID     *string `json:"id"`
		From   *string `json:"from"`
		To     *string `json:"to"`
		Change *string `json:"change"`
	} `json:"changes"`
}

type strictResult struct {
	ID         *string            `json:"id"`
	Phase      *int               `json:"phase"`
	PhaseTitle *string            `json:"phase_title"`
	Title      *string            `json:"title"`
	Severity   *string            `json:"severity"`
	Kind       *string            `json:"kind"`
	Status     *string            `json:"status"`
	Summary    *string            `json:"summary"`
	Evidence   *map[string]string `json:"evidence"`
	Todo       *string            `json:"todo"`
	BlockedBy  *string            `json:"blocked_by"`
	ConsoleURL *string            `json:"console_url"`
	Fixable    *bool              `json:"fixable"`
}

// decodeStrictReport checks the report against the documented schema.
func decodeStrictReport(t *testing.T, data string) strictReport {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	var rep strictReport
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("report does not match the documented shape: %v\n%s", err, data)
	}
	if rep.SchemaVersion == nil || rep.AccountID == nil || rep.AccountAlias == nil || rep.CallerARN == nil ||
		rep.CallerIsRoot == nil || rep.GeneratedAt == nil || rep.Results == nil || rep.Summary == nil {
		t.Fatalf("a top-level field is missing:\n%s", data)
	}
	if *rep.SchemaVersion != 1 {
		t.Errorf("schema_version = %d", *rep.SchemaVersion)
	}
	allowed := map[string]bool{}
	for _, s := range steps.Statuses {
		allowed[string(s)] = true
	}
	if len(allowed) != 7 {
		t.Fatalf("steps.Statuses has %d statuses, the schema documents 7", len(allowed))
	}
	counts := map[string]int{}
	for i, res := range *rep.Results {
		if res.ID == nil || res.Phase == nil || res.PhaseTitle == nil || res.Title == nil || res.Severity == nil ||
			res.Kind == nil || res.Status == nil || res.Summary == nil || res.Evidence == nil || res.Todo == nil ||
			res.BlockedBy == nil || res.ConsoleURL == nil || res.Fixable == nil {
			t.Fatalf("result %d misses a field: %+v", i, res)
		}
		if !allowed[*res.Status] {
			t.Errorf("%s: status %q is not one of the 7 documented", *res.ID, *res.Status)
		}
		if *res.Summary == "" {
			t.Errorf("%s: empty summary", *res.ID)
		}
		counts[*res.Status]++
	}
	if len(*rep.Summary) != 7 {
		t.Errorf("summary has %d keys, want all 7 statuses: %v", len(*rep.Summary), *rep.Summary)
	}
	for s := range allowed {
		n, ok := (*rep.Summary)[s]
		if !ok {
			t.Errorf("summary lacks %q", s)
		}
		if n != counts[s] {
			t.Errorf("summary[%s] = %d, results have %d", s, n, counts[s])
		}
	}
	if s := rep.SinceLastRun; s != nil {
		if s.PreviousRunAt == nil || s.Summary == nil || s.Fixed == nil || s.NewProblems == nil ||
			s.OtherChanges == nil || s.Unchanged == nil || s.Changes == nil {
			t.Fatalf("since_last_run misses a field:\n%s", data)
		}
		for _, c := range *s.Changes {
			if c.ID == nil || c.From == nil || c.To == nil || c.Change == nil {
				t.Fatalf("a since_last_run change misses a field:\n%s", data)
			}
		}
	}
	return rep
}

func TestCheckJSONMatchesDocumentedShape(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--format", "json")
	rep := decodeStrictReport(t, r.stdout)
	if got := len(*rep.Results); got != len(steps.All()) {
		t.Errorf("%d results, want every item (%d): org-only items stay in as n/a", got, len(steps.All()))
	}
	if *rep.AccountID != demo.AccountID || *rep.AccountAlias != demo.Alias || !*rep.CallerIsRoot {
		t.Errorf("identity fields wrong: %s %s root=%v", *rep.AccountID, *rep.AccountAlias, *rep.CallerIsRoot)
	}
	if !rep.GeneratedAt.Equal(checkTestNow) {
		t.Errorf("generated_at = %v, want the injected clock %v", rep.GeneratedAt, checkTestNow)
	}
	for i, res := range *rep.Results {
		if want := steps.All()[i].ID; *res.ID != want {
			t.Errorf("result %d is %s, want checklist order (%s)", i, *res.ID, want)
		}
	}
}

func TestCheckExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		fail map[string]error
		want int
	}{
		{"demo has failures", []string{"--demo"}, nil, exitFindings},
		{"fail-on never", []string{"--demo", "--fail-on", "never"}, nil, exitOK},
		{"only a passing item", []string{"--demo", "--only", "root-signing-certs"}, nil, exitOK},
		{"only passing and n/a items", []string{"--demo", "--only", "root-signing-certs,org-root-scp, security-questions"}, nil, exitOK},
		{"a warning passes fail-on fail", []string{"--demo", "--only", "credential-report"}, nil, exitOK},
		{"a warning fails fail-on warn", []string{"--demo", "--only", "credential-report", "--fail-on", "warn"}, nil, exitFindings},
		{"manual fails fail-on warn", []string{"--demo", "--only", "root-email", "--fail-on", "warn"}, nil, exitFindings},
		{"manual passes fail-on fail", []string{"--demo", "--only", "root-email"}, nil, exitOK},
		{"unknown fails fail-on fail", []string{"--demo", "--only", "root-signing-certs"},
			map[string]error{"AccountSummary": demo.AccessDenied("iam:GetAccountSummary")}, exitFindings},
		{"skip leaves only passing", []string{"--demo", "--skip", strings.Join(openItems(t), ",")}, nil, exitOK},
		{"json keeps the exit code", []string{"--demo", "--format", "json"}, nil, exitFindings},
		{"an unknown info item never fails", []string{"--demo", "--only", "detective-services"},
			map[string]error{"SecurityHub": demo.AccessDenied("securityhub:DescribeHub")}, exitOK},
		{"an info item never fails fail-on warn", []string{"--demo", "--only", "detective-services,security-questions", "--fail-on", "warn"}, nil, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheckCmd(t, checkEnv{fail: tt.fail}, append([]string{"check"}, tt.args...)...)
			if r.code != tt.want {
				t.Errorf("exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
}

// openItems are the demo items that are open under --fail-on fail.
func openItems(t *testing.T) []string {
	t.Helper()
	r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--format", "json")
	var rep steps.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, res := range rep.Results {
		if res.Status == steps.StatusFail || res.Status == steps.StatusUnknown {
			ids = append(ids, res.ID)
		}
	}
	return ids
}

func TestCheckUsageErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr []string
	}{
		{"unknown only id", []string{"--only", "root-mfa,nope"}, []string{`"nope"`, "root-mfa", "password-policy"}},
		{"unknown skip id", []string{"--skip", "nope"}, []string{`"nope"`, "guardduty"}},
		{"nothing left", []string{"--only", "root-mfa", "--skip", "root-mfa"}, []string{"nothing to check"}},
		{"bad format", []string{"--format", "yaml"}, []string{`"yaml"`, "text, json or markdown"}},
		{"bad fail-on", []string{"--fail-on", "sometimes"}, []string{`"sometimes"`}},
		{"unknown flag", []string{"--colour"}, []string{"unknown flag --colour; run `rootguard check --help` to see the flags"}},
		{"mistyped flag", []string{"--formt", "json"}, []string{"unknown flag --formt — did you mean --format?"}},
		{"mistyped only id", []string{"--only", "root-mfa,pasword-policy"}, []string{`--only: unknown item "pasword-policy" — did you mean "password-policy"?`}},
		{"stray argument", []string{"root-mfa"}, []string{`unexpected argument "root-mfa"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheckCmd(t, checkEnv{}, append([]string{"check", "--demo"}, tt.args...)...)
			if r.code != exitUsage {
				t.Errorf("exit = %d, want %d", r.code, exitUsage)
			}
			if r.stdout != "" {
				t.Errorf("stdout must stay empty on usage errors, got %q", r.stdout)
			}
			if r.connects != 0 {
				t.Error("a usage error must be found before connecting")
			}
			for _, w := range tt.stderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

func TestCheckHelpListsIDs(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "--fail-on") || !strings.Contains(r.stdout, "root-access-keys") || r.stderr != "" {
		t.Errorf("help (on stdout): exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if r.connects != 0 {
		t.Error("--help must not connect")
	}
}

func TestCheckOnlySelectsInChecklistOrder(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--format", "json", "--only", "guardduty,root-mfa")
	rep := decodeStrictReport(t, r.stdout)
	var ids []string
	for _, res := range *rep.Results {
		ids = append(ids, *res.ID)
	}
	if !slices.Equal(ids, []string{"root-mfa", "guardduty"}) {
		t.Errorf("ids = %v", ids)
	}
}

func TestCheckAccessDeniedBecomesUnknownWithPermission(t *testing.T) {
	fail := map[string]error{"GuardDutyDetectors": demo.AccessDenied("guardduty:ListDetectors")}
	r := runCheckCmd(t, checkEnv{fail: fail}, "check", "--demo", "--format", "json", "--only", "guardduty")
	if r.code != exitFindings {
		t.Errorf("exit = %d, want %d", r.code, exitFindings)
	}
	rep := decodeStrictReport(t, r.stdout)
	res := (*rep.Results)[0]
	if *res.Status != "unknown" || !strings.Contains(*res.Summary, "guardduty:ListDetectors") || *res.Todo == "" {
		t.Errorf("want unknown naming the permission with a todo, got %s: %s (todo %q)", *res.Status, *res.Summary, *res.Todo)
	}
	text := runCheckCmd(t, checkEnv{fail: fail}, "check", "--demo", "--only", "guardduty")
	if !strings.Contains(text.stdout, "→ Grant guardduty:ListDetectors") {
		t.Errorf("text output should say what to do about an unknown:\n%s", text.stdout)
	}
}

func TestCheckProgressOnlyOnATerminal(t *testing.T) {
	r := runCheckCmd(t, checkEnv{errTTY: true}, "check", "--demo", "--format", "json")
	if !strings.Contains(r.stderr, "checking ") || !strings.Contains(r.stderr, "/") {
		t.Errorf("a terminal stderr should show progress, got %q", r.stderr)
	}
	if strings.Contains(r.stdout, "checking") {
		t.Error("progress must never reach stdout")
	}
	decodeStrictReport(t, r.stdout)
}

func TestCheckConnectErrorIsExit2(t *testing.T) {
	err := connectError("", errors.New("operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found"))
	r := runCheckCmd(t, checkEnv{connectErr: err}, "check")
	if r.code != exitUsage {
		t.Errorf("exit = %d, want %d", r.code, exitUsage)
	}
	if want := "rootguard: " + awsops.MsgNoCredentials + "\n"; r.stderr != want {
		t.Errorf("stderr = %q, want exactly %q", r.stderr, want)
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q", r.stdout)
	}
}

func TestCheckInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runCheckCmd(t, checkEnv{ctx: ctx}, "check", "--demo", "--format", "json")
	if r.code != exitInterrupted {
		t.Errorf("exit = %d, want %d", r.code, exitInterrupted)
	}
	if r.stdout != "" {
		t.Errorf("an interrupted check must not print a partial report, got %q", r.stdout)
	}
}

func TestCheckReusesProvenIdentity(t *testing.T) {
	acct := &countingAccount{Account: demo.New(demo.Options{Now: func() time.Time { return checkTestNow }})}
	id, err := acct.CallerIdentity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	acct.identityCalls = 0
	var out bytes.Buffer
	ios := IOStreams{Out: &out, ErrOut: &bytes.Buffer{}, Env: func(string) string { return "" }}
	d := deps{now: func() time.Time { return checkTestNow }, connect: func(context.Context, accountFlags) (awsops.Account, error) {
		return provenAccount{Account: acct, identity: id}, nil
	}}
	if code := run(context.Background(), []string{"check", "--format", "json"}, ios, d); code != exitFindings {
		t.Fatalf("exit = %d\n%s", code, out.String())
	}
	if acct.identityCalls != 0 {
		t.Errorf("check read the identity %d more times; connect already proved it", acct.identityCalls)
	}
}

type countingAccount struct {
	awsops.Account
	identityCalls int
}

func (c *countingAccount) CallerIdentity(ctx context.Context) (awsops.Identity, error) {
	c.identityCalls++
	return c.Account.CallerIdentity(ctx)
}

func TestSummaryLine(t *testing.T) {
	got := summaryLine(steps.ReportSummary{Pass: 5, Fail: 9, Warn: 3, NA: 1})
	if want := "5 pass · 9 fail · 3 warn · 1 n/a"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := summaryLine(steps.ReportSummary{}); got != "nothing checked" {
		t.Errorf("empty: %q", got)
	}
}

func TestMarkdownCellEscapes(t *testing.T) {
	if got := safetext.MarkdownSpansCell("a | b\nc `x|y`"); got != "a \\| b\\\\nc `x\\|y`" {
		t.Errorf("got %q", got)
	}
}

// BenchmarkCheckDemo is a whole `rootguard check --demo --format json` run:
// flag parsing, one concurrent pass over every item, the report and its JSON.
func BenchmarkCheckDemo(b *testing.B) {
	now := func() time.Time { return checkTestNow }
	d := deps{now: now, connect: func(context.Context, accountFlags) (awsops.Account, error) {
		return demo.New(demo.Options{Now: now}), nil
	}}
	ios := IOStreams{Out: io.Discard, ErrOut: io.Discard, Env: func(string) string { return "" }}
	for b.Loop() {
		if code := run(context.Background(), []string{"check", "--demo", "--no-save", "--format", "json"}, ios, d); code != exitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkCheckDemoLatency is the same pass with the demo's realistic
// per-call latency: its wall time shows the reads overlapping (compare with
// the slowest single call, the credential report).
func BenchmarkCheckDemoLatency(b *testing.B) {
	now := func() time.Time { return checkTestNow }
	d := deps{now: now, connect: func(context.Context, accountFlags) (awsops.Account, error) {
		return demo.New(demo.Options{Now: now, Latency: demo.RealisticLatency}), nil
	}}
	ios := IOStreams{Out: io.Discard, ErrOut: io.Discard, Env: func(string) string { return "" }}
	for b.Loop() {
		run(context.Background(), []string{"check", "--demo", "--no-save", "--format", "json"}, ios, d)
	}
}

// Finding 24: --demo --no-save says the demo is a fresh one.
func TestCheckDemoNoSaveSaysItIsFresh(t *testing.T) {
	for _, format := range []string{"text", "markdown"} {
		r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--no-save", "--format", format)
		note := freshDemoNote
		if format == "markdown" {
			note = safetext.Markdown(note)
		}
		if !strings.Contains(r.stdout, note) {
			t.Errorf("%s output lacks %q:\n%s", format, freshDemoNote, r.stdout)
		}
		if r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--format", format); strings.Contains(r.stdout, "--no-save") {
			t.Errorf("%s: the note shows without --no-save", format)
		}
	}
	r := runCheckCmd(t, checkEnv{}, "check", "--demo", "--no-save", "--format", "json")
	decodeStrictReport(t, r.stdout) // JSON keeps its shape
}

// stuckAccount is the demo account whose GuardDuty read never answers.
type stuckAccount struct{ awsops.Account }

func (stuckAccount) GuardDutyDetectors(ctx context.Context) ([]awsops.Detector, error) {
	<-ctx.Done()
	return nil, awsops.Wrap("guardduty:ListDetectors", ctx.Err())
}

// A read that never answers makes its item unknown after the per-check
// timeout; the other items and the command finish.
func TestCheckTimesOutAStuckItem(t *testing.T) {
	now := func() time.Time { return checkTestNow }
	d := deps{now: now, checkTimeout: 50 * time.Millisecond, stateDir: func() (string, error) { return t.TempDir(), nil },
		connect: func(context.Context, accountFlags) (awsops.Account, error) {
			return stuckAccount{demo.New(demo.Options{Now: now})}, nil
		}}
	var out bytes.Buffer
	ios := IOStreams{Out: &out, ErrOut: &bytes.Buffer{}, Env: func(string) string { return "" }}
	done := make(chan int)
	go func() {
		done <- run(context.Background(), []string{"check", "--format", "json", "--only", "guardduty,cloudtrail"}, ios, d)
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(time.Minute):
		t.Fatal("check hung on a read that never answers")
	}
	if code != exitFindings {
		t.Errorf("exit = %d, want %d", code, exitFindings)
	}
	rep := decodeStrictReport(t, out.String())
	for _, res := range *rep.Results {
		switch *res.ID {
		case "guardduty":
			if *res.Status != "unknown" || !strings.Contains(*res.Summary, "timed out") {
				t.Errorf("guardduty: %s %q, want unknown: timed out", *res.Status, *res.Summary)
			}
		default:
			if *res.Status == "unknown" {
				t.Errorf("%s: unknown %q", *res.ID, *res.Summary)
			}
		}
	}
}

// Info items never fail (README): an unknown one is not counted as open,
// in the text or the Markdown output.
func TestCheckInfoItemIsNeverOpen(t *testing.T) {
	fail := map[string]error{"SecurityHub": demo.AccessDenied("securityhub:DescribeHub")}
	for _, format := range []string{"text", "markdown"} {
		r := runCheckCmd(t, checkEnv{fail: fail}, "check", "--demo", "--format", format, "--only", "detective-services")
		if !strings.Contains(r.stdout, "unknown") {
			t.Fatalf("%s: the info item should be unknown:\n%s", format, r.stdout)
		}
		if strings.Contains(strings.ToLower(r.stdout), "open: ") || strings.Contains(r.stdout, "info\n") {
			t.Errorf("%s: an info item counted as open:\n%s", format, r.stdout)
		}
	}
}

// Help that was asked for is output: stdout, exit 0, nothing on stderr. A
// flag error still goes to stderr with exit 2.
func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"check", "--help"}, {"check", "-h"}, {"fix", "--help"},
		{"fix", "password-policy", "-h"}, {"history", "--help"}, {"report", "--help"}, {"policy", "--help"},
	} {
		r := runCheckCmd(t, checkEnv{}, args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "USAGE") || r.stderr != "" {
			t.Errorf("rootguard %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
		}
		if r.connects != 0 {
			t.Errorf("rootguard %v connected", args)
		}
	}
	for _, args := range [][]string{{"check", "--bogus"}, {"--bogus"}, {"fix", "password-policy", "--bogus"}} {
		r := runCheckCmd(t, checkEnv{}, args...)
		// One line saying what is wrong, not a usage dump.
		if r.code != exitUsage || r.stdout != "" || !strings.HasPrefix(r.stderr, "rootguard: unknown flag --bogus; run `rootguard") ||
			strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("rootguard %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
		}
	}
}

// The JSON report is faithful: C0 controls are JSON escapes already, and
// C1 controls and bidi characters, which encoding/json writes raw, are
// \u escapes too; decoding gives the strings back.
func TestJSONEscapesC1AndBidi(t *testing.T) {
	summary := "Eve\u202e\u009b2J\x1b[2J"
	var b bytes.Buffer
	if err := writeJSON(&b, steps.Report{Results: []steps.ReportResult{{ID: "x", Summary: summary}}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\u202e\u009b\x1b") || !strings.Contains(out, `\u202e\u009b2J\u001b[2J`) {
		t.Errorf("JSON = %s", out)
	}
	var back steps.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Results[0].Summary != summary {
		t.Errorf("decoded %q (%v), want %q", back.Results[0].Summary, err, summary)
	}
}
