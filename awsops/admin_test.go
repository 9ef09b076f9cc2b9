package awsops_test

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

const testSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// adminReads stubs what the admin fix's Load reads on a fresh account.
func adminReads(reg *awstest.Registry) {
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(`<Arn>arn:aws:iam::111122223333:root</Arn><UserId>111122223333</UserId><Account>111122223333</Account>`))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult(`<AccountAliases><member>acme</member></AccountAliases><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.Query("ListUsers"), awstest.QueryResult(`<Users><member><UserName>ci-deploy</UserName><Path>/</Path><UserId>AIDAEXAMPLE1</UserId><Arn>arn:aws:iam::111122223333:user/ci-deploy</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member></Users><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.Query("GetGroup"), awstest.AWSError(404, "NoSuchEntity", "The group with name Administrators cannot be found."))
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(404, "NoSuchEntity", "The Password Policy cannot be found."))
	reg.Register(awstest.Query("GetAccountAuthorizationDetails"), awstest.QueryResult(`<UserDetailList/><GroupDetailList/><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.JSONTarget("AWSOrganizationsV20161128.DescribeOrganization"), awstest.AWSError(400, "AWSOrganizationsNotInUseException", "not in use"))
	reg.Register(awstest.JSONTarget("SWBExternalService.ListInstances"), awstest.JSON(200, `{"Instances":[]}`))
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.JSON(200, `{"Regions":[]}`))
}

func adminPlan(t *testing.T, a *awsops.AWS) steps.Plan {
	t.Helper()
	fix, _ := steps.FixFor(steps.FixAdminIdentity)
	st, err := fix.Load(context.Background(), fixFacts(a))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	p, err := fix.Plan(st, steps.NewInput(steps.Values{steps.FieldUserName: "jane"}))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func createDeviceAnswer() awstest.Responder {
	seed := base64.StdEncoding.EncodeToString([]byte(testSeed))
	return awstest.QueryResult(`<VirtualMFADevice><SerialNumber>arn:aws:iam::111122223333:mfa/jane</SerialNumber><Base32StringSeed>` + seed + `</Base32StringSeed></VirtualMFADevice>`)
}

func TestAdminFixRequests(t *testing.T) {
	a, reg := fixAWS(t)
	adminReads(reg)
	for _, op := range []string{"CreateGroup", "AttachGroupPolicy", "CreateUser", "AddUserToGroup", "CreateLoginProfile"} {
		reg.Register(awstest.Query(op), awstest.QueryResult(""))
	}
	reg.Register(awstest.Query("CreateVirtualMFADevice"), createDeviceAnswer())
	reg.Register(awstest.Query("EnableMFADevice"), awstest.QueryResult(""))

	ctx := context.Background()
	res := adminPlan(t, a).Apply(ctx, a)
	if !res.OK() || !res.Next.Asks() {
		t.Fatalf("apply: %s", res.Explain())
	}
	want := map[string]map[string]string{
		"CreateGroup":            {"GroupName": "Administrators"},
		"AttachGroupPolicy":      {"GroupName": "Administrators", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
		"CreateUser":             {"UserName": "jane"},
		"AddUserToGroup":         {"UserName": "jane", "GroupName": "Administrators"},
		"CreateLoginProfile":     {"UserName": "jane", "PasswordResetRequired": "true"},
		"CreateVirtualMFADevice": {"VirtualMFADeviceName": "jane"},
	}
	for op, params := range want {
		sent := reg.Find(awstest.Query(op))
		if len(sent) != 1 {
			t.Fatalf("%s sent %d times", op, len(sent))
		}
		for k, v := range params {
			if got := sent[0].Form().Get(k); got != v {
				t.Errorf("%s %s = %q, want %q", op, k, got, v)
			}
		}
	}
	pw := reg.Find(awstest.Query("CreateLoginProfile"))[0].Form().Get("Password")
	if len(pw) < 24 {
		t.Errorf("password of %d characters", len(pw))
	}
	var secret string
	for _, s := range res.Next.Show {
		if s.Kind == steps.ShownSecret {
			secret = s.Value
		}
	}
	if secret != testSeed {
		t.Errorf("the device's Base32 secret = %q, want the decoded wire value", secret)
	}
	enable, err := res.Next.Plan(steps.NewInput(steps.Values{steps.FieldMFACode1: "123456", steps.FieldMFACode2: "234567"}))
	if err != nil {
		t.Fatal(err)
	}
	if done := enable.Apply(ctx, a); !done.OK() {
		t.Fatalf("enable: %s", done.Explain())
	}
	form := reg.Find(awstest.Query("EnableMFADevice"))[0].Form()
	if form.Get("UserName") != "jane" || form.Get("SerialNumber") != "arn:aws:iam::111122223333:mfa/jane" ||
		form.Get("AuthenticationCode1") != "123456" || form.Get("AuthenticationCode2") != "234567" {
		t.Errorf("EnableMFADevice = %v", form)
	}
}

func TestAdminFixRollsBackAfterTheDevice(t *testing.T) {
	a, reg := fixAWS(t)
	adminReads(reg)
	for _, op := range []string{"CreateGroup", "AttachGroupPolicy", "CreateUser", "AddUserToGroup", "CreateLoginProfile"} {
		reg.Register(awstest.Query(op), awstest.QueryResult(""))
	}
	reg.Register(awstest.Query("CreateVirtualMFADevice"), awstest.AWSError(409, "LimitExceeded", "too many devices"))
	for _, op := range []string{"DeleteLoginProfile", "RemoveUserFromGroup", "DeleteUser", "DetachGroupPolicy", "DeleteGroup"} {
		reg.Register(awstest.Query(op), awstest.QueryResult(""))
	}
	res := adminPlan(t, a).Apply(context.Background(), a)
	if res.OK() || len(res.InPlace()) != 0 {
		t.Fatalf("result: %s", res.Explain())
	}
	var ops []string
	for _, r := range reg.Requests() {
		ops = append(ops, strings.TrimPrefix(r.Operation(), "query "))
	}
	i := slices.Index(ops, "CreateVirtualMFADevice")
	got := strings.Join(ops[i+1:], " ")
	if got != "DeleteLoginProfile RemoveUserFromGroup DeleteUser DetachGroupPolicy DeleteGroup" {
		t.Errorf("undo requests: %s", got)
	}
}

func TestAdminFixWrongCodeAndAbort(t *testing.T) {
	a, reg := fixAWS(t)
	adminReads(reg)
	for _, op := range []string{"CreateGroup", "AttachGroupPolicy", "CreateUser", "AddUserToGroup", "CreateLoginProfile"} {
		reg.Register(awstest.Query(op), awstest.QueryResult(""))
	}
	reg.Register(awstest.Query("CreateVirtualMFADevice"), createDeviceAnswer())
	reg.Register(awstest.Query("EnableMFADevice"), awstest.AWSError(403, "InvalidAuthenticationCode", "Authentication code for device is not valid."))
	reg.Register(awstest.Query("DeleteVirtualMFADevice"), awstest.QueryResult(""))
	for _, op := range []string{"DeleteLoginProfile", "RemoveUserFromGroup", "DeleteUser", "DetachGroupPolicy", "DeleteGroup"} {
		reg.Register(awstest.Query(op), awstest.QueryResult(""))
	}
	ctx := context.Background()
	stage := adminPlan(t, a).Apply(ctx, a).Next
	enable, _ := stage.Plan(steps.NewInput(steps.Values{steps.FieldMFACode1: "111111", steps.FieldMFACode2: "222222"}))
	bad := enable.Apply(ctx, a)
	if !errors.Is(bad.Err, awsops.ErrInvalidMFACode) {
		t.Fatalf("a wrong code must be recognised: %v", bad.Err)
	}
	if _, again := stage.Retry(bad.Err); !again {
		t.Fatal("a wrong code must be retried")
	}
	// The user gives up: the device goes, then the user is removed.
	abort := stage.Abort.Apply(ctx, a)
	if !abort.OK() || reg.Find(awstest.Query("DeleteVirtualMFADevice"))[0].Form().Get("SerialNumber") != "arn:aws:iam::111122223333:mfa/jane" {
		t.Fatalf("abort: %s", abort.Explain())
	}
	remove, _ := abort.Next.Plan(steps.NewInput(steps.Values{steps.FieldRemoveUser: "true"}))
	if res := remove.Apply(ctx, a); !res.OK() {
		t.Fatalf("removal: %s", res.Explain())
	}
}
