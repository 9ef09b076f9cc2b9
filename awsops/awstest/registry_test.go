package awstest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/rootguard/rootguard/awsops/awstest"
)

// recorder is a T that keeps failures instead of failing.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestUnmatchedRequestFailsClearly(t *testing.T) {
	reg := &awstest.Registry{}
	client := iam.NewFromConfig(awstest.Config(reg))
	_, err := client.GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{})
	if err == nil || !strings.Contains(err.Error(), "awstest: no stub for query GetAccountSummary") {
		t.Fatalf("error = %v", err)
	}
	var rec recorder
	reg.Verify(&rec)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "unmatched request: query GetAccountSummary") {
		t.Fatalf("Verify reported %q", rec.errs)
	}
}

func TestUnusedStubFailsVerify(t *testing.T) {
	reg := &awstest.Registry{}
	reg.Register(awstest.Query("GetAccountSummary"), awstest.QueryResult(""))
	reg.Register(awstest.JSONTarget("AWSOrganizationsV20161128.DescribeOrganization"), awstest.JSON(200, `{}`))
	client := iam.NewFromConfig(awstest.Config(reg))
	if _, err := client.GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{}); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	reg.Verify(&rec)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "stub never used: json AWSOrganizationsV20161128.DescribeOrganization") {
		t.Fatalf("Verify reported %q", rec.errs)
	}
}

func TestStubsAnswerOnceInOrder(t *testing.T) {
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult("<AccountAliases><member>first</member></AccountAliases>"))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult("<AccountAliases><member>second</member></AccountAliases>"))
	client := iam.NewFromConfig(awstest.Config(reg))
	for _, want := range []string{"first", "second"} {
		out, err := client.ListAccountAliases(context.Background(), &iam.ListAccountAliasesInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.AccountAliases) != 1 || out.AccountAliases[0] != want {
			t.Fatalf("aliases = %v, want %s", out.AccountAliases, want)
		}
	}
	if n := len(reg.Find(awstest.Query("ListAccountAliases"))); n != 2 {
		t.Fatalf("recorded %d requests", n)
	}
}

func TestAWSErrorPerProtocol(t *testing.T) {
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	cfg := awstest.Config(reg)
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(404, "NoSuchEntity", "none"))
	reg.Register(awstest.JSONTarget("AWSOrganizationsV20161128.DescribeOrganization"), awstest.AWSError(400, "AWSOrganizationsNotInUseException", "not in org"))
	reg.Register(awstest.REST("GET", "/accounts"), awstest.AWSError(401, "InvalidAccessException", "not subscribed"))

	_, err1 := iam.NewFromConfig(cfg).GetAccountPasswordPolicy(context.Background(), &iam.GetAccountPasswordPolicyInput{})
	_, err2 := organizations.NewFromConfig(cfg).DescribeOrganization(context.Background(), &organizations.DescribeOrganizationInput{})
	_, err3 := securityhub.NewFromConfig(cfg).DescribeHub(context.Background(), &securityhub.DescribeHubInput{})
	for _, tc := range []struct {
		err       error
		code, msg string
	}{{err1, "NoSuchEntity", "none"}, {err2, "AWSOrganizationsNotInUseException", "not in org"}, {err3, "InvalidAccessException", "not subscribed"}} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.code) || !strings.Contains(tc.err.Error(), tc.msg) {
			t.Errorf("error = %v, want code %s and message %q", tc.err, tc.code, tc.msg)
		}
	}
}
