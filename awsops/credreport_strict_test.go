package awsops_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/awsops/safetext"
)

// replaceField swaps the n-th (0-based) comma-separated field of a row.
func replaceField(row string, n int, v string) string {
	f := strings.Split(strings.TrimSuffix(row, "\n"), ",")
	f[n] = v
	return strings.Join(f, ",") + "\n"
}

func TestParseCredentialReportRefusesWhatItCannotVouchFor(t *testing.T) {
	// Column positions in reportHeader.
	const (
		arn, created, pwEnabled, pwUsed, mfa, key1Active, key1Region, key1Service, cert1Active = 1, 2, 3, 4, 7, 8, 11, 12, 18
	)
	short := strings.Join(strings.Split(userRow, ",")[:10], ",") + "\n"
	for name, tc := range map[string]struct{ csv, want string }{
		// A short row would otherwise read as "no password, no keys, no MFA
		// problem": four items passing on nothing.
		"short row":          {reportHeader + rootRow + short, "row 3 has 10 fields, the header 22"},
		"long row":           {reportHeader + strings.TrimSuffix(rootRow, "\n") + ",extra\n", "row 2 has 23 fields"},
		"second root row":    {reportHeader + rootRow + userRow + replaceField(rootRow, mfa, "false"), `user "<root_account>" appears twice`},
		"user twice":         {reportHeader + userRow + userRow, `user "alice" appears twice`},
		"column named twice": {strings.Replace(reportHeader, "cert_2_active", "mfa_active", 1) + userRow, `names column "mfa_active" twice`},
		"boolean":            {reportHeader + replaceField(userRow, mfa, "yes"), `column mfa_active has "yes"`},
		"empty boolean":      {reportHeader + replaceField(userRow, key1Active, ""), `column access_key_1_active has ""`},
		"not_supported mfa":  {reportHeader + replaceField(userRow, mfa, "not_supported"), "mfa_active"},
		"password_enabled":   {reportHeader + replaceField(userRow, pwEnabled, "maybe"), "password_enabled"},
		"timestamp":          {reportHeader + replaceField(userRow, pwUsed, "yesterday"), `column password_last_used has "yesterday"`},
		"empty timestamp":    {reportHeader + replaceField(rootRow, pwUsed, ""), "password_last_used"},
		"creation time":      {reportHeader + replaceField(userRow, created, "2023-13-45"), "user_creation_time"},
		"region":             {reportHeader + replaceField(rootRow, key1Region, "us-east-1 <b>"), "access_key_1_last_used_region"},
		"service":            {reportHeader + replaceField(rootRow, key1Service, ""), "access_key_1_last_used_service"},
		"certificate":        {reportHeader + replaceField(userRow, cert1Active, "1"), "cert_1_active"},
		"not an ARN":         {reportHeader + replaceField(userRow, arn, "alice"), "not an ARN"},
		"no user name":       {reportHeader + replaceField(userRow, 0, ""), "no user name"},
		"escapes in a value": {reportHeader + replaceField(userRow, mfa, "true\x1b[2J"), `has "true\x1b[2J"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := awsops.ParseCredentialReport([]byte(tc.csv))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to say %q", err, tc.want)
			}
			if !safetext.CleanLine(err.Error()) {
				t.Fatalf("raw control character in %q", err)
			}
		})
	}
}

func TestParseCredentialReportAcceptsTheDocumentedSet(t *testing.T) {
	row := "bob,arn:aws:iam::123456789012:user/bob,2023-02-03T04:05:06Z,not_supported,N/A,not_supported,N/A," +
		"True,FALSE,N/A,no_information,no_information,not_supported,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
	r, err := awsops.ParseCredentialReport([]byte(reportHeader + rootRow + userRow + row))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Users) != 2 || !r.Users[1].MFAActive || r.Users[1].PasswordEnabled != "not_supported" || r.Users[1].Keys[0].LastUsedService != "" {
		t.Fatalf("users = %+v", r.Users)
	}
}

func TestParseCredentialReportSanitizesNames(t *testing.T) {
	row := replaceField(replaceField(userRow, 0, "\"eve\x1b]52;c;eA==\x07\u202e\""), 1, "arn:aws:iam::123456789012:user/eve\u009b2J")
	r, err := awsops.ParseCredentialReport([]byte(reportHeader + row))
	if err != nil {
		t.Fatal(err)
	}
	u := r.Users[0]
	if u.User != `eve\x1b]52;c;eA==\x07U+202E` || u.ARN != "arn:aws:iam::123456789012:user/eveU+009B2J" {
		t.Fatalf("user %q, arn %q", u.User, u.ARN)
	}
}

func TestCredentialReportUnreadableNamesTheProblem(t *testing.T) {
	a, reg := newAWS(t)
	short := strings.Join(strings.Split(rootRow, ",")[:5], ",") + "\n"
	reg.Register(awstest.Query("GetCredentialReport"), awstest.QueryResult(reportXML(reportHeader+short, time.Now())))
	_, err := a.CredentialReport(context.Background())
	wantKind(t, err, awsops.KindOther, "iam:GetCredentialReport")
	if !strings.Contains(err.Error(), "the credential report could not be read: credential report row 2 has 5 fields") {
		t.Fatalf("error = %v", err)
	}
}

// FuzzParseCredentialReport: any input either fails or gives a report with
// clean strings, unique users and a root row only for <root_account>.
func FuzzParseCredentialReport(f *testing.F) {
	for _, s := range []string{reportHeader + rootRow + userRow, reportHeader, "user\nalice\n", "user,mfa_active\n<root_account>,true\n",
		reportHeader + rootRow + rootRow, "\ufeffuser,arn\r\n\"a\x1b\",arn:x\r\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := awsops.ParseCredentialReport(data)
		if err != nil {
			if !safetext.CleanLine(err.Error()) {
				t.Fatalf("raw control character in error %q", err)
			}
			return
		}
		seen := map[string]bool{}
		rows := r.Users
		if r.Root != nil {
			if r.Root.User != awsops.RootAccountUser {
				t.Fatalf("root row for %q", r.Root.User)
			}
			rows = append(rows, *r.Root)
		}
		for _, u := range rows {
			if u.User == "" || seen[u.User] {
				t.Fatalf("empty or repeated user %q", u.User)
			}
			seen[u.User] = true
			before := u
			safetext.InPlace(&u)
			if !reflect.DeepEqual(before, u) {
				t.Fatalf("unsanitized strings in %+v", before)
			}
		}
		for _, u := range r.Users {
			if u.User == awsops.RootAccountUser {
				t.Fatal("root row among the users")
			}
		}
	})
}
