package render

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var now = time.Date(2025, 3, 15, 9, 30, 0, 0, time.UTC)

// sampleReport is a crafted pass with three earlier runs: stable input for
// the goldens, independent of the real checks' wording.
func sampleReport() Report {
	item := func(id string, ph steps.Phase, kind steps.Kind, sev steps.Severity, title, url string) steps.Item {
		return steps.Item{ID: id, Phase: ph, Kind: kind, Severity: sev, Title: title, ConsoleURL: url}
	}
	const creds = "https://console.aws.amazon.com/iam/home#/security_credentials"
	o := func(it steps.Item, r steps.Result) steps.Outcome { return steps.Outcome{Item: it, Result: r} }
	outs := []steps.Outcome{
		o(item("credential-report", steps.PhaseKnow, steps.KindAuto, steps.SeverityMedium, "Review the IAM credential report", ""),
			steps.Result{Status: steps.StatusWarn, Summary: "2 findings in the credential report",
				Evidence: []steps.Evidence{{Key: "generated", Value: "2025-03-15 09:29 UTC"}},
				Details:  []string{"user deploy: access key AKIAIOSFODNN7EXAMPLE is 400 days old", "user bob: console password without MFA"},
				Todo:     "Rotate old keys and turn on MFA for bob."}),
		o(item("root-mfa", steps.PhaseRoot, steps.KindGuided, steps.SeverityCritical, "Turn on MFA for the root user", creds),
			steps.Result{Status: steps.StatusPass, Summary: "root MFA is on",
				Evidence: []steps.Evidence{{Key: "AccountMFAEnabled", Value: "1"}}}),
		o(item("root-access-keys", steps.PhaseRoot, steps.KindGuided, steps.SeverityCritical, "Delete the root user's access keys", creds),
			steps.Result{Status: steps.StatusFail, Summary: "root has 1 active access key",
				Evidence: []steps.Evidence{{Key: "AccountAccessKeysPresent", Value: "1"}, {Key: "key", Value: "AKIAI44QH8DHBEXAMPLE"}},
				Todo:     "Sign in as root, open Security credentials, deactivate the key, then delete it."}),
		o(item("root-password", steps.PhaseRoot, steps.KindAttest, steps.SeverityHigh, "Give root a long, unique password", creds),
			steps.Result{Status: steps.StatusAttested, Summary: "marked done on 2025-03-10",
				Evidence: []steps.Evidence{{Key: "attested_on", Value: "2025-03-10"}, {Key: "ask_again_on", Value: "2025-06-08"}}}),
		o(item("security-questions", steps.PhaseRoot, steps.KindInfo, steps.SeverityInfo, "Security challenge questions (retired)", ""),
			steps.Result{Status: steps.StatusNA, Summary: "AWS retired security questions in January 2025"}),
		o(item("alternate-contacts", steps.PhaseSettings, steps.KindAuto, steps.SeverityHigh, "Set security, billing and operations contacts", ""),
			steps.Result{Status: steps.StatusPass, Summary: "all three contacts are set",
				Evidence: []steps.Evidence{{Key: "SECURITY", Value: "Sec Team <security@acme.example>, +1 206 555 0100"}}}),
		o(item("password-policy", steps.PhaseSettings, steps.KindAuto, steps.SeverityHigh, "Require strong IAM user passwords", ""),
			steps.Result{Status: steps.StatusPass, Summary: "the password policy meets the recommended preset"}),
		o(item("cloudtrail", steps.PhaseWatch, steps.KindGuided, steps.SeverityHigh, "Log API activity with CloudTrail", "https://console.aws.amazon.com/cloudtrail/home#/trails"),
			steps.Result{Status: steps.StatusUnknown, Summary: "could not read trails: access denied (needs cloudtrail:DescribeTrails)",
				Evidence: []steps.Evidence{{Key: "error", Value: "access denied"}, {Key: "permission", Value: "cloudtrail:DescribeTrails"}},
				Todo:     "Grant cloudtrail:DescribeTrails to the identity you run rootguard with (`rootguard policy` prints a policy with every permission it needs), then re-check."}),
		o(item("budget-alert", steps.PhaseWatch, steps.KindAuto, steps.SeverityMedium, "Get an email before the bill surprises you", ""),
			steps.Result{Status: steps.StatusFail, Summary: "no cost budget with an email alert <yet>",
				Todo: "Create a monthly cost budget with an email alert at 80% and 100% forecast."}),
	}
	run := func(days int, statuses ...steps.Status) progress.Run {
		r := progress.Run{At: now.AddDate(0, 0, -days), Source: "check"}
		for i, st := range statuses {
			r.Results = append(r.Results, progress.ItemStatus{ID: outs[i].Item.ID, Status: st})
		}
		return r
	}
	F, P, W, M, A, N, U := steps.StatusFail, steps.StatusPass, steps.StatusWarn, steps.StatusManual, steps.StatusAttested, steps.StatusNA, steps.StatusUnknown
	history := []progress.Run{
		run(14, W, F, F, M, N, F, F, F, F),
		run(7, W, F, F, M, N, P, F, P, F),
		run(2, W, F, F, A, N, P, W, P, P),
		progress.NewRun(now, "", "report", outs),
	}
	_ = U
	return Report{
		Identity: awsops.Identity{Account: "111122223333", Alias: "acme-sandbox",
			ARN: "arn:aws:iam::111122223333:user/alice"},
		GeneratedAt: now,
		Outcomes:    outs,
		History:     history,
		Fixes: []progress.Fix{
			{ItemID: "alternate-contacts", At: now.AddDate(0, 0, -8), Summary: "set SECURITY contact security@acme.example"},
			{ItemID: "password-policy", At: now.AddDate(0, 0, -3), Summary: "minimum length 8 → 14, reuse prevention 0 → 24"},
		},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./steps/render -update to accept):\n%s", name, got)
	}
}

func TestGoldens(t *testing.T) {
	for _, tc := range []struct {
		name   string
		render func(*bytes.Buffer, Report, Options) error
		opts   Options
	}{
		{"report.md.golden", func(b *bytes.Buffer, r Report, o Options) error { return Markdown(b, r, o) }, Options{}},
		{"report-redacted.md.golden", func(b *bytes.Buffer, r Report, o Options) error { return Markdown(b, r, o) }, Options{Redact: true}},
		{"report.html.golden", func(b *bytes.Buffer, r Report, o Options) error { return HTML(b, r, o) }, Options{}},
		{"report-redacted.html.golden", func(b *bytes.Buffer, r Report, o Options) error { return HTML(b, r, o) }, Options{Redact: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.render(&b, sampleReport(), tc.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func render(t *testing.T, r Report, o Options) (md, html string) {
	t.Helper()
	var m, h bytes.Buffer
	if err := Markdown(&m, r, o); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&h, r, o); err != nil {
		t.Fatal(err)
	}
	return m.String(), h.String()
}

func TestNoSecretsAndRedaction(t *testing.T) {
	for _, redact := range []bool{false, true} {
		md, html := render(t, sampleReport(), Options{Redact: redact})
		for name, out := range map[string]string{"markdown": md, "html": html} {
			for _, secret := range []string{"IOSFODNN7EXAMPLE", "I44QH8DHBEXAMPLE"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s (redact=%v) shows a whole access key ID", name, redact)
				}
			}
			if !strings.Contains(out, "AKIA…MPLE") {
				t.Errorf("%s (redact=%v) lacks the masked key", name, redact)
			}
			hidden := []string{"111122223333", "acme-sandbox", "security@acme.example", "206 555 0100"}
			for _, s := range hidden {
				if strings.Contains(out, s) == redact {
					t.Errorf("%s (redact=%v): contains %q = %v", name, redact, s, !redact)
				}
			}
			if redact && (!strings.Contains(out, "1111****3333") || !strings.Contains(out, "s…@acme.example")) {
				t.Errorf("%s: redacted values missing", name)
			}
		}
	}
}

func TestReportContents(t *testing.T) {
	md, html := render(t, sampleReport(), Options{})
	for _, want := range []string{
		"56%", // score: (4 done + ½ warning) / 8 applicable
		"2 fixed, 1 new problem, 1 other change, 5 unchanged", // since last run
		"Grant cloudtrail:DescribeTrails",                     // what to do for unknown
		"AccountAccessKeysPresent",                            // evidence
		"fixed since last run (was warn)",                     // per-item mark
		"minimum length 8 → 14",                               // fixes
		"Lock down the root user",                             // phase heading
		"arn:aws:iam::111122223333:user/alice",                // caller
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
		if !strings.Contains(html, want) && !strings.Contains(html, strings.ReplaceAll(want, "→", "&rarr;")) {
			t.Errorf("html lacks %q", want)
		}
	}
	// HTML is self-contained and escaped.
	for _, bad := range []string{"<script", "<link", "src=\"http", "<yet>"} {
		if strings.Contains(html, bad) {
			t.Errorf("html contains %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;yet&gt;") || !strings.Contains(md, `\<yet\>`) {
		t.Error("summary markup not escaped")
	}
	if !strings.Contains(html, "<code>rootguard policy</code>") {
		t.Error("backticks not rendered as code")
	}
	if !strings.Contains(html, "@media print") || !strings.Contains(html, "<svg") {
		t.Error("html lacks print styles or the chart")
	}
}

func TestScoreChartFromCurrentPassAlone(t *testing.T) {
	r := sampleReport()
	r.History = nil
	md, html := render(t, r, Options{})
	if strings.Contains(md, "Since last run") || strings.Contains(html, "Since last run") {
		t.Error("a first run has no 'since last run'")
	}
	if n := strings.Count(html, `<rect class="bar`); n != 1 {
		t.Errorf("chart has %d bars, want 1", n)
	}
	if !strings.Contains(md, "(this run)") {
		t.Error("text chart lacks this run")
	}
}

func TestChartKeepsTheLatestRuns(t *testing.T) {
	r := sampleReport()
	var hist []progress.Run
	for i := range 30 {
		hist = append(hist, progress.Run{At: now.Add(-time.Duration(30-i) * time.Hour),
			Results: []progress.ItemStatus{{ID: "root-mfa", Status: steps.StatusFail}}})
	}
	r.History = hist
	md, html := render(t, r, Options{})
	if n := strings.Count(html, `<rect class="bar`); n != MaxChartRuns {
		t.Errorf("chart has %d bars, want %d", n, MaxChartRuns)
	}
	if !strings.Contains(md, "(11 older ones not shown)") {
		t.Errorf("markdown does not say runs were left out")
	}
}

func TestMaskAccount(t *testing.T) {
	for in, want := range map[string]string{"111122223333": "1111****3333", "1234": "****", "": ""} {
		if got := MaskAccount(in); got != want {
			t.Errorf("MaskAccount(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextBar(t *testing.T) {
	for pct, want := range map[int]string{0: "░░░░░░░░░░", 55: "██████░░░░", 100: "██████████"} {
		if got := textBar(pct, 10); got != want {
			t.Errorf("textBar(%d) = %q, want %q", pct, got, want)
		}
	}
}

func BenchmarkHTML(b *testing.B) {
	r := sampleReport()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := HTML(&buf, r, Options{Redact: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// "rootguard can fix it" only where `rootguard fix <id>` exists now.
func TestKindLabelPromisesOnlyAvailableFixes(t *testing.T) {
	for _, it := range steps.All() {
		got := kindLabel(it)
		f, ok := steps.FixFor(it.ID)
		available := ok && f.Available()
		if strings.Contains(got, "rootguard can fix") != available {
			t.Errorf("%s (fix available: %v): %q", it.ID, available, got)
		}
		if available && !strings.Contains(got, "`rootguard fix "+it.ID+"`") {
			t.Errorf("%s: %q does not name the command", it.ID, got)
		}
	}
	md, html := render(t, sampleReport(), Options{})
	if !strings.Contains(md, "medium · you fix it in the AWS console") {
		t.Error("markdown: an auto item without a fix is not worded as a console step")
	}
	if !strings.Contains(html, "rootguard can fix it: <code>rootguard fix password-policy</code>") {
		t.Error("html: the password policy's fix command is not shown as code")
	}
}

// The report's score is steps.ScoreOf over this pass, in the wizard's words.
func TestReportScoreIsScoreOf(t *testing.T) {
	r := sampleReport()
	var sts []steps.Status
	for _, o := range r.Outcomes {
		sts = append(sts, o.Result.Status)
	}
	s := steps.ScoreOf(sts)
	want := fmt.Sprintf("%d of %d items that apply to this account are done", s.Done, s.Applicable)
	md, html := render(t, r, Options{})
	for name, out := range map[string]string{"markdown": md, "html": html} {
		if !strings.Contains(out, want) || !strings.Contains(out, s.String()) {
			t.Errorf("%s lacks %q (%s)", name, want, s)
		}
	}
}

// An item that waits for another says so in both reports.
func TestReportShowsWaitsFor(t *testing.T) {
	r := sampleReport()
	it, _ := steps.Lookup("root-mfa-strength")
	r.Outcomes = append(r.Outcomes, steps.Outcome{Item: it, Result: steps.Result{Status: steps.StatusFail,
		Summary: "waits for root-mfa: the root user has no MFA device yet", BlockedBy: "root-mfa"}})
	md, html := render(t, r, Options{})
	if !strings.Contains(md, "**Waits for:** `root-mfa`") {
		t.Error("markdown lacks the waits-for line")
	}
	if !strings.Contains(html, "<strong>Waits for:</strong> <code>root-mfa</code>") {
		t.Error("html lacks the waits-for line")
	}
}
