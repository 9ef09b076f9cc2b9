package awsops_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

const reportHeader = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation," +
	"mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region," +
	"access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date," +
	"access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"

const rootRow = "<root_account>,arn:aws:iam::123456789012:root,2019-05-05T00:00:00+00:00,not_supported,2026-11-20T08:15:00+00:00," +
	"not_supported,not_supported,true,true,2024-01-01T00:00:00+00:00,2026-11-19T10:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"

const userRow = "alice,arn:aws:iam::123456789012:user/alice,2023-02-03T04:05:06+00:00,TRUE,no_information,2023-02-03T04:05:06+00:00," +
	"2023-05-04T04:05:06+00:00,FALSE,FALSE,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"

func reportXML(csv string, generated time.Time) string {
	return "<Content>" + base64.StdEncoding.EncodeToString([]byte(csv)) + "</Content><ReportFormat>text/csv</ReportFormat>" +
		"<GeneratedTime>" + generated.UTC().Format(time.RFC3339) + "</GeneratedTime>"
}

func TestCredentialReportFreshWithRootRow(t *testing.T) {
	a, reg := newAWS(t)
	generated := time.Now().Add(-time.Hour).Truncate(time.Second)
	reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(reportXML(reportHeader+rootRow+userRow, generated)))

	r, err := a.CredentialReport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !r.GeneratedAt.Equal(generated) {
		t.Errorf("GeneratedAt = %v, want %v", r.GeneratedAt, generated)
	}
	if r.Root == nil {
		t.Fatal("no root row")
	}
	k := r.Root.Keys[0]
	if !r.Root.MFAActive || !k.Active || k.LastUsedRegion != "us-east-1" || k.LastUsedService != "s3" ||
		!k.LastUsed.Time.Equal(time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("root row = %+v", r.Root)
	}
	if r.Root.PasswordEnabled != "not_supported" || r.Root.PasswordLastChanged.Valid() || r.Root.PasswordLastChanged.Raw != "not_supported" {
		t.Errorf("root password columns = %q %+v", r.Root.PasswordEnabled, r.Root.PasswordLastChanged)
	}
	if len(r.Users) != 1 || r.Users[0].User != "alice" || r.Users[0].PasswordEnabled != "true" || r.Users[0].MFAActive {
		t.Errorf("users = %+v", r.Users)
	}
	if n := len(reg.Find(awstest.Query("GenerateCredentialReport"))); n != 0 {
		t.Errorf("a fresh report must not be regenerated (%d calls)", n)
	}
}

func TestCredentialReportGenerateAndPoll(t *testing.T) {
	for _, first := range []string{"ReportNotPresent", "ReportExpired", "stale"} {
		t.Run(first, func(t *testing.T) {
			a, reg := newAWS(t)
			if first == "stale" {
				reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(reportXML(reportHeader+rootRow, time.Now().Add(-5*time.Hour))))
			} else {
				reg.Register(awstest.Query("GetCredentialReport"), awstest.AWSError(410, first, "no report"))
			}
			reg.Register(awstest.Query("GenerateCredentialReport"), awstest.QueryResult("<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>"))
			reg.Register(awstest.Query("GetCredentialReport"), awstest.AWSError(404, "ReportInProgress", "Report generation in progress"))
			reg.Register(awstest.Query("GetCredentialReport"), awstest.AWSError(404, "ReportInProgress", "Report generation in progress"))
			reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(reportXML(reportHeader+rootRow+userRow, time.Now())))

			r, err := a.CredentialReport(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r.Root == nil || len(r.Users) != 1 {
				t.Fatalf("report = %+v", r)
			}
			if n := len(reg.Find(awstest.Query("GetCredentialReport"))); n != 4 {
				t.Fatalf("%d GetCredentialReport calls, want 4", n)
			}
		})
	}
}

func TestCredentialReportPollStopsWhenCanceled(t *testing.T) {
	a, reg := newAWS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg.Register(awstest.Query("GetCredentialReport"), awstest.AWSError(404, "ReportInProgress", "in progress"))
	inProgressThenCancel := func(r *awstest.Request) (*http.Response, error) {
		cancel()
		return awstest.AWSError(404, "ReportInProgress", "in progress")(r)
	}
	reg.Register(awstest.Query("GetCredentialReport"), inProgressThenCancel)

	_, err := a.CredentialReport(ctx)
	wantKind(t, err, awsops.KindCanceled, "")
}

func TestCredentialReportAccessDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetCredentialReport"), awstest.AWSError(410, "ReportNotPresent", "no report"))
	reg.Register(awstest.Query("GenerateCredentialReport"), awstest.AWSError(403, "AccessDenied", "not authorized"))
	_, err := a.CredentialReport(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "iam:GenerateCredentialReport")
}

func TestCredentialReportUnreadable(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(reportXML("not,a,report\n", time.Now())))
	_, err := a.CredentialReport(context.Background())
	wantKind(t, err, awsops.KindOther, "iam:GetCredentialReport")
}

func TestParseCredentialReportByHeaderName(t *testing.T) {
	// Reordered, upper-case booleans, a quoted user name with a comma,
	// missing certificate and rotation columns, a BOM and CRLF endings.
	csv := "\ufeffmfa_active,arn,user,password_enabled,password_last_used,access_key_1_active,access_key_1_last_used_date,access_key_1_last_used_region\r\n" +
		"TRUE,arn:aws:iam::123456789012:root,<root_account>,FALSE,2026-01-02T03:04:05+00:00,false,N/A,N/A\r\n" +
		"false,\"arn:aws:iam::123456789012:user/a,b\",\"a,b\",true,N/A,TRUE,2026-03-04T05:06:07+00:00,no_information\r\n"
	r, err := awsops.ParseCredentialReport([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if r.Root == nil || !r.Root.MFAActive || r.Root.PasswordEnabled != "false" ||
		!r.Root.PasswordLastUsed.Time.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Fatalf("root = %+v", r.Root)
	}
	if len(r.Users) != 1 {
		t.Fatalf("users = %+v", r.Users)
	}
	u := r.Users[0]
	if u.User != "a,b" || u.MFAActive || !u.Keys[0].Active || u.Keys[0].LastUsedRegion != "" ||
		!u.Keys[0].LastUsed.Valid() || u.PasswordLastUsed.Valid() || u.PasswordLastUsed.Raw != "N/A" {
		t.Fatalf("user = %+v", u)
	}
	if u.Keys[1].Active || u.Certs[0].Active || u.Keys[0].LastRotated.Valid() || u.CreatedAt != (time.Time{}) {
		t.Fatalf("missing columns must read as unset: %+v", u)
	}
}

func TestParseCredentialReportSpecialValues(t *testing.T) {
	r, err := awsops.ParseCredentialReport([]byte(reportHeader + rootRow + userRow))
	if err != nil {
		t.Fatal(err)
	}
	u := r.Users[0]
	if u.PasswordLastUsed.Valid() || u.PasswordLastUsed.Raw != "no_information" {
		t.Errorf("no_information: %+v", u.PasswordLastUsed)
	}
	if !u.PasswordLastChanged.Valid() || !u.CreatedAt.Equal(time.Date(2023, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("timestamps: %+v %v", u.PasswordLastChanged, u.CreatedAt)
	}
	if r.Root.Keys[1].LastRotated.Valid() || r.Root.Keys[1].LastRotated.Raw != "N/A" || r.Root.Certs[1].Active {
		t.Errorf("N/A: %+v", r.Root.Keys[1])
	}
}

func TestParseCredentialReportRejectsNonReports(t *testing.T) {
	for name, csv := range map[string]string{
		"empty":          "",
		"no user column": "arn,mfa_active\narn:aws:iam::1:root,true\n",
		"bad quoting":    "user,arn\n\"alice,arn\n",
	} {
		if _, err := awsops.ParseCredentialReport([]byte(csv)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseCredentialReportWithoutRootRow(t *testing.T) {
	r, err := awsops.ParseCredentialReport([]byte(reportHeader + userRow))
	if err != nil {
		t.Fatal(err)
	}
	if r.Root != nil || len(r.Users) != 1 {
		t.Fatalf("report = %+v", r)
	}
}

func bigReport(users int) []byte {
	var b strings.Builder
	b.WriteString(reportHeader)
	b.WriteString(rootRow)
	for i := range users {
		fmt.Fprintf(&b, "user%05d,arn:aws:iam::123456789012:user/team/user%05d,2023-02-03T04:05:06+00:00,true,2026-11-%02dT10:20:30+00:00,"+
			"2025-01-01T00:00:00+00:00,N/A,true,true,2025-06-0%dT00:00:00+00:00,2026-10-01T12:00:00+00:00,eu-west-1,sts,"+
			"false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n", i, i, 1+i%28, 1+i%9)
	}
	return []byte(b.String())
}

func TestParseCredentialReportLarge(t *testing.T) {
	r, err := awsops.ParseCredentialReport(bigReport(10000))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Users) != 10000 || r.Root == nil || r.Users[9999].User != "user09999" || !r.Users[42].Keys[0].LastRotated.Valid() {
		t.Fatalf("users=%d root=%v", len(r.Users), r.Root != nil)
	}
}

func BenchmarkParseCredentialReport(b *testing.B) {
	data := bigReport(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := awsops.ParseCredentialReport(data); err != nil {
			b.Fatal(err)
		}
	}
}

// The report keeps AWS's CSV byte for byte (CRLF line ends and all), for
// saving; it is never encoded with the report.
func TestCredentialReportKeepsTheRawCSV(t *testing.T) {
	a, reg := newAWS(t)
	raw := strings.ReplaceAll(reportHeader+rootRow+userRow, "\n", "\r\n")
	reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(reportXML(raw, time.Now().Add(-time.Hour))))
	r, err := a.CredentialReport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Raw) != raw {
		t.Fatalf("Raw = %q\nwant %q", r.Raw, raw)
	}
	if r.Root == nil || len(r.Users) != 1 {
		t.Errorf("the CRLF report did not parse: %+v", r)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	_ = json.Unmarshal(b, &top)
	if _, ok := top["Raw"]; ok || strings.Contains(string(b), "alice,arn") {
		t.Errorf("the raw CSV is encoded with the report: %s", b)
	}
}
