package awsops_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

func callerIdentity(arn, userID string) string {
	return "<Arn>" + arn + "</Arn><UserId>" + userID + "</UserId><Account>" + acct + "</Account>"
}

func TestCallerIdentityRoot(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(callerIdentity("arn:aws:iam::"+acct+":root", acct)))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult(
		"<AccountAliases><member>acme-prod</member></AccountAliases><IsTruncated>false</IsTruncated>"))

	id, err := a.CallerIdentity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.Identity{
		Account: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, Alias: "acme-prod",
		IsRoot: true, Partition: "aws", Credentials: awsops.CredentialsLongTerm, AccessKeyID: awstest.AccessKeyID,
	}
	if id != want {
		t.Fatalf("identity = %+v\nwant       %+v", id, want)
	}
}

func TestCallerIdentitySSORoleWithoutAliasPermission(t *testing.T) {
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	cfg := awstest.Config(reg)
	cfg.Credentials = credentials.NewStaticCredentialsProvider("ASIAXXXXXXXXEXAMPLE", "secret", "session")
	a := awsops.New(cfg)
	arn := "arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice"
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(callerIdentity(arn, "AROAEXAMPLE:alice")))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.AWSError(403, "AccessDenied", "User is not authorized to perform: iam:ListAccountAliases"))

	id, err := a.CallerIdentity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id.IsRoot || id.Credentials != awsops.CredentialsTemporary || id.Alias != "" {
		t.Fatalf("identity = %+v", id)
	}
	wantKind(t, id.AliasErr, awsops.KindAccessDenied, "iam:ListAccountAliases")
}

func TestCallerIdentityRootNeedsMatchingUserID(t *testing.T) {
	for _, tc := range []struct {
		arn, userID string
		root        bool
		partition   string
	}{
		{"arn:aws-us-gov:iam::" + acct + ":root", acct, true, "aws-us-gov"},
		{"arn:aws-cn:iam::" + acct + ":root", acct, true, "aws-cn"},
		{"arn:aws:iam::" + acct + ":root", "AIDAEXAMPLE", false, "aws"},
		{"arn:aws:iam::" + acct + ":user/root", "AIDAEXAMPLE", false, "aws"},
	} {
		a, reg := newAWS(t)
		reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(callerIdentity(tc.arn, tc.userID)))
		reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult("<AccountAliases/><IsTruncated>false</IsTruncated>"))
		id, err := a.CallerIdentity(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if id.IsRoot != tc.root || id.Partition != tc.partition {
			t.Errorf("%s (%s): root=%v partition=%q, want %v %q", tc.arn, tc.userID, id.IsRoot, id.Partition, tc.root, tc.partition)
		}
	}
}

func TestCallerIdentityExpiredToken(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.AWSError(403, "ExpiredToken", "The security token included in the request is expired"))
	// The alias is read at the same time and fails the same way.
	reg.Register(awstest.Query("ListAccountAliases"), awstest.AWSError(403, "ExpiredToken", "The security token included in the request is expired"))
	_, err := a.CallerIdentity(context.Background())
	wantKind(t, err, awsops.KindCredentials, "sts:GetCallerIdentity")
	if !strings.Contains(err.Error(), "expired") {
		t.Fatalf("message %q does not say why", err)
	}
}

func summaryXML(entries map[string]int) string {
	var b strings.Builder
	b.WriteString("<SummaryMap>")
	for k, v := range entries {
		b.WriteString("<entry><key>" + k + "</key><value>" + strconv.Itoa(v) + "</value></entry>")
	}
	b.WriteString("</SummaryMap>")
	return b.String()
}

func TestAccountSummaryRootMFAAndKeys(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mfa      int
		keys     int
		wantMFA  int32
		wantKeys int32
	}{
		{"mfa on, no keys", 1, 0, 1, 0},
		{"mfa off, keys present", 0, 1, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, reg := newAWS(t)
			reg.Register(awstest.Query("GetAccountSummary"), awstest.QueryResult(summaryXML(map[string]int{
				awsops.SummaryAccountMFAEnabled: tc.mfa, awsops.SummaryAccountAccessKeysPresent: tc.keys, "Users": 3,
			})))
			s, err := a.AccountSummary(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := s.Get(awsops.SummaryAccountMFAEnabled); !ok || v != tc.wantMFA {
				t.Errorf("AccountMFAEnabled = %d, %v", v, ok)
			}
			if v, ok := s.Get(awsops.SummaryAccountAccessKeysPresent); !ok || v != tc.wantKeys {
				t.Errorf("AccountAccessKeysPresent = %d, %v", v, ok)
			}
			if _, ok := s.Get(awsops.SummaryAccountPasswordPresent); ok {
				t.Errorf("a key AWS did not send must stay missing")
			}
		})
	}
}

func TestAccountSummaryAccessDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountSummary"), awstest.AWSError(403, "AccessDenied",
		"User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:GetAccountSummary"))
	_, err := a.AccountSummary(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "iam:GetAccountSummary")
	if got := err.Error(); got != "access denied: needs iam:GetAccountSummary" {
		t.Fatalf("message = %q", got)
	}
}

// noDelayRetryer retries like the standard retryer but never waits.
func noDelayRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.RateLimiter = ratelimit.None
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func TestThrottlingIsRetriedThenSucceeds(t *testing.T) {
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	cfg := awstest.Config(reg)
	cfg.Retryer = noDelayRetryer
	a := awsops.New(cfg)
	reg.Register(awstest.Query("GetAccountSummary"), awstest.AWSError(400, "Throttling", "Rate exceeded"))
	reg.Register(awstest.Query("GetAccountSummary"), awstest.QueryResult(summaryXML(map[string]int{awsops.SummaryAccountMFAEnabled: 1})))

	s, err := a.AccountSummary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get(awsops.SummaryAccountMFAEnabled); v != 1 {
		t.Fatalf("summary = %v", s)
	}
	if n := len(reg.Find(awstest.Query("GetAccountSummary"))); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestThrottlingThatPersistsIsClassified(t *testing.T) {
	a, reg := newAWS(t) // NopRetryer: one attempt
	reg.Register(awstest.Query("GetAccountSummary"), awstest.AWSError(400, "Throttling", "Rate exceeded"))
	_, err := a.AccountSummary(context.Background())
	wantKind(t, err, awsops.KindThrottled, "iam:GetAccountSummary")
}
