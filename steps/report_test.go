package steps

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

var updateReportGolden = flag.Bool("update", false, "rewrite golden files")

func reportFixture() Report {
	id := awsops.Identity{Account: "123456789012", Alias: "acme-prod",
		ARN: "arn:aws:iam::123456789012:user/alice", Partition: "aws"}
	at := time.Date(2026, 11, 23, 10, 30, 15, 123, time.FixedZone("CET", 3600))
	outs := []Outcome{
		{Item: Item{ID: "root-mfa", Phase: PhaseRoot, Kind: KindGuided, Severity: SeverityCritical,
			Title: "Root user MFA", ConsoleURL: "https://console.aws.amazon.com/iam/home#/security_credentials"},
			Result: Result{Status: StatusFail, Summary: "the root user has no MFA device",
				Evidence: []Evidence{{Key: "AccountMFAEnabled", Value: "0"}}, Todo: "Assign an MFA device."}},
		{Item: Item{ID: "password-policy", Phase: PhaseSettings, Kind: KindAuto, Severity: SeverityHigh,
			Title: "IAM password policy", Fixable: true},
			Result: Result{Status: StatusPass, Summary: "meets the recommended policy",
				Evidence: []Evidence{{Key: "MinimumLength", Value: "14"}, {Key: "ReusePrevention", Value: "24"}}}},
		{Item: Item{ID: "guardduty", Phase: PhaseWatch, Kind: KindGuided, Severity: SeverityMedium, Title: "GuardDuty"},
			Result: Unknown("GuardDuty detectors", &awsops.Error{Kind: awsops.KindAccessDenied, Permission: "guardduty:ListDetectors"})},
		{Item: Item{ID: "broken", Phase: PhaseWatch, Kind: KindInfo, Severity: SeverityInfo, Title: "A check with a bug"},
			Result: Result{Status: StatusChecking}},
		{Item: Item{ID: "org-root-scp", Phase: PhaseOrganizations, Kind: KindAuto, Severity: SeverityHigh,
			Title: "SCP denying member-account root", OrgOnly: true, Fixable: true},
			Result: Result{Status: StatusNA, Summary: "the account is not in an organization"}},
	}
	return NewReport(id, outs, at)
}

func TestNewReportGolden(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(reportFixture()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "report.json.golden")
	if *updateReportGolden {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./steps -run TestNewReportGolden -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("report JSON differs from %s (rerun with -update if intended)\n got:\n%s\nwant:\n%s", path, buf.Bytes(), want)
	}
}

func TestNewReportSemantics(t *testing.T) {
	r := reportFixture()
	if r.SchemaVersion != 1 {
		t.Errorf("schema_version = %d", r.SchemaVersion)
	}
	if got := r.GeneratedAt; got.Location() != time.UTC || got.Nanosecond() != 0 {
		t.Errorf("generated_at = %v, want UTC whole seconds", got)
	}
	want := ReportSummary{Pass: 1, Fail: 1, NA: 1, Unknown: 2}
	if r.Summary != want {
		t.Errorf("summary = %+v, want %+v", r.Summary, want)
	}
	broken := r.Results[3]
	if broken.Status != StatusUnknown || broken.Summary == "" {
		t.Errorf("a result without a final status must become unknown with a reason, got %+v", broken)
	}
	if gd := r.Results[2]; gd.Evidence["permission"] != "guardduty:ListDetectors" || gd.Todo == "" {
		t.Errorf("unknown result lost its permission or todo: %+v", gd)
	}
	for _, res := range r.Results {
		if res.Evidence == nil {
			t.Errorf("%s: evidence must be an object, not null", res.ID)
		}
	}
	total := 0
	for _, s := range Statuses {
		total += r.Summary.Count(s)
	}
	if total != len(r.Results) {
		t.Errorf("summary counts %d results, report has %d", total, len(r.Results))
	}
}

func TestNewReportEmptyResultsIsArray(t *testing.T) {
	b, err := json.Marshal(NewReport(awsops.Identity{}, nil, time.Unix(0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"results":[]`)) {
		t.Errorf("results must be [] when empty: %s", b)
	}
}
