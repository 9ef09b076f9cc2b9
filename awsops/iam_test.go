package awsops_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

func TestPasswordPolicyPresent(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.QueryResult(`<PasswordPolicy>
		<MinimumPasswordLength>14</MinimumPasswordLength><RequireSymbols>true</RequireSymbols>
		<RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters>
		<RequireLowercaseCharacters>false</RequireLowercaseCharacters><AllowUsersToChangePassword>true</AllowUsersToChangePassword>
		<ExpirePasswords>true</ExpirePasswords><MaxPasswordAge>90</MaxPasswordAge>
		<PasswordReusePrevention>24</PasswordReusePrevention><HardExpiry>false</HardExpiry></PasswordPolicy>`))
	p, err := a.PasswordPolicy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.PasswordPolicy{MinimumLength: 14, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
		AllowUsersToChange: true, MaxAgeDays: 90, ReusePrevention: 24}
	if p == nil || *p != want {
		t.Fatalf("policy = %+v, want %+v", p, want)
	}
}

func TestPasswordPolicyAbsent(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(404, "NoSuchEntity",
		"The Password Policy with domain name 123456789012 cannot be found."))
	p, err := a.PasswordPolicy(context.Background())
	if err != nil || p != nil {
		t.Fatalf("got %+v, %v; want nil, nil", p, err)
	}
}

func TestPasswordPolicyOtherErrorIsNotAbsence(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(500, "ServiceFailure", "boom"))
	_, err := a.PasswordPolicy(context.Background())
	wantKind(t, err, awsops.KindOther, "iam:GetAccountPasswordPolicy")
}

func TestVirtualMFADevicesPaginated(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.Query("ListVirtualMFADevices"), awstest.FormValue("AssignmentStatus", "Assigned"), awstest.NoFormValue("Marker")),
		awstest.QueryResult(`<VirtualMFADevices><member>
			<SerialNumber>arn:aws:iam::123456789012:mfa/root-account-mfa-device</SerialNumber>
			<User><UserId>123456789012</UserId><Arn>arn:aws:iam::123456789012:root</Arn><CreateDate>2019-05-05T00:00:00Z</CreateDate></User>
			<EnableDate>2024-01-02T03:04:05Z</EnableDate></member></VirtualMFADevices>
			<IsTruncated>true</IsTruncated><Marker>page2</Marker>`))
	reg.Register(awstest.And(awstest.Query("ListVirtualMFADevices"), awstest.FormValue("Marker", "page2")),
		awstest.QueryResult(`<VirtualMFADevices><member>
			<SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber>
			<User><UserName>alice</UserName><Arn>arn:aws:iam::123456789012:user/alice</Arn></User>
			<EnableDate>2025-01-02T03:04:05Z</EnableDate></member></VirtualMFADevices><IsTruncated>false</IsTruncated>`))

	devs, err := a.VirtualMFADevices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.VirtualMFADevice{
		{SerialNumber: "arn:aws:iam::123456789012:mfa/root-account-mfa-device", UserARN: "arn:aws:iam::123456789012:root",
			EnabledAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{SerialNumber: "arn:aws:iam::123456789012:mfa/alice", UserARN: "arn:aws:iam::123456789012:user/alice", UserName: "alice",
			EnabledAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
	}
	if !slices.Equal(devs, want) {
		t.Fatalf("devices = %+v", devs)
	}
}

func TestCallerMFADevicesSendsNoUserName(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.Query("ListMFADevices"), awstest.NoFormValue("UserName")), awstest.QueryResult(`<MFADevices>
		<member><SerialNumber>arn:aws:iam::123456789012:u2f/root/yubikey-ABC</SerialNumber><EnableDate>2025-01-01T00:00:00Z</EnableDate></member>
		<member><SerialNumber>arn:aws:iam::123456789012:mfa/phone</SerialNumber><EnableDate>2025-02-01T00:00:00Z</EnableDate></member>
		</MFADevices><IsTruncated>false</IsTruncated>`))
	devs, err := a.CallerMFADevices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 2 || devs[0].Kind() != "passkey or security key" || devs[1].Kind() != "virtual (authenticator app)" {
		t.Fatalf("devices = %+v", devs)
	}
}

const authDetails = `<UserDetailList>
	<member><UserName>alice</UserName><Arn>arn:aws:iam::123456789012:user/alice</Arn>
		<GroupList><member>Developers</member><member>Admins</member></GroupList><AttachedManagedPolicies/></member>
	<member><UserName>bob</UserName><Arn>arn:aws:iam::123456789012:user/bob</Arn><GroupList/>
		<AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>
	<member><UserName>carol</UserName><Arn>arn:aws:iam::123456789012:user/carol</Arn>
		<GroupList><member>Developers</member></GroupList>
		<AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::123456789012:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>
	</UserDetailList>
	<GroupDetailList>
	<member><GroupName>Admins</GroupName><AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>
	<member><GroupName>Developers</GroupName><AttachedManagedPolicies><member><PolicyName>PowerUserAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/PowerUserAccess</PolicyArn></member></AttachedManagedPolicies></member>
	</GroupDetailList><IsTruncated>false</IsTruncated>`

func TestAdminUsers(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.Query("GetAccountAuthorizationDetails"), awstest.FormValue("Filter.member.1", "User"),
		awstest.FormValue("Filter.member.2", "Group")), awstest.QueryResult(authDetails))
	user := func(name string) awstest.Matcher { return awstest.FormValue("UserName", name) }
	reg.Register(awstest.And(awstest.Query("GetLoginProfile"), user("alice")), awstest.QueryResult(
		"<LoginProfile><UserName>alice</UserName><CreateDate>2024-01-01T00:00:00Z</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>"))
	reg.Register(awstest.And(awstest.Query("GetLoginProfile"), user("bob")), awstest.AWSError(404, "NoSuchEntity", "Login Profile for User bob cannot be found."))
	reg.Register(awstest.And(awstest.Query("ListMFADevices"), user("alice")), awstest.QueryResult(
		"<MFADevices><member><UserName>alice</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber><EnableDate>2024-01-01T00:00:00Z</EnableDate></member></MFADevices><IsTruncated>false</IsTruncated>"))
	reg.Register(awstest.And(awstest.Query("ListMFADevices"), user("bob")), awstest.QueryResult("<MFADevices/><IsTruncated>false</IsTruncated>"))
	reg.Register(awstest.And(awstest.Query("GetUser"), user("alice")), awstest.QueryResult(
		"<User><UserName>alice</UserName><Arn>arn:aws:iam::123456789012:user/alice</Arn><PasswordLastUsed>2026-11-01T10:00:00Z</PasswordLastUsed></User>"))
	reg.Register(awstest.And(awstest.Query("GetUser"), user("bob")), awstest.QueryResult(
		"<User><UserName>bob</UserName><Arn>arn:aws:iam::123456789012:user/bob</Arn></User>"))

	admins, err := a.AdminUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.AdminUser{
		{Name: "alice", ARN: "arn:aws:iam::123456789012:user/alice", Via: "group Admins", ConsoleAccess: true, MFADevices: 1,
			PasswordLastUse: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)},
		{Name: "bob", ARN: "arn:aws:iam::123456789012:user/bob", Via: "direct"},
	}
	if !slices.Equal(admins, want) {
		t.Fatalf("admins = %+v\nwant     %+v", admins, want)
	}
}

func TestAdminUsersLoginProfileDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountAuthorizationDetails"), awstest.QueryResult(`<UserDetailList>
		<member><UserName>bob</UserName><Arn>arn:aws:iam::123456789012:user/bob</Arn>
		<AttachedManagedPolicies><member><PolicyArn>arn:aws-us-gov:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies>
		</member></UserDetailList><GroupDetailList/><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.Query("GetLoginProfile"), awstest.AWSError(403, "AccessDenied", "not authorized"))
	_, err := a.AdminUsers(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "iam:GetLoginProfile")
}

func TestOrganizationsRootFeatures(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("ListOrganizationsFeatures"), awstest.QueryResult(
		"<OrganizationId>o-abc123</OrganizationId><EnabledFeatures><member>RootCredentialsManagement</member><member>RootSessions</member></EnabledFeatures>"))
	f, err := a.OrganizationsRootFeatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f, []string{"RootCredentialsManagement", "RootSessions"}) {
		t.Fatalf("features = %v", f)
	}
}

func TestOrganizationsRootFeaturesNotManagementAccount(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("ListOrganizationsFeatures"), awstest.AWSError(400, "AccountNotManagementOrDelegatedAdministratorException", "not the management account"))
	_, err := a.OrganizationsRootFeatures(context.Background())
	wantKind(t, err, awsops.KindOther, "iam:ListOrganizationsFeatures")
}

// Trusted access off and a consolidated-billing organization are settings
// to change, not failures to read: they keep their code for the check.
func TestOrganizationsRootFeaturesNotEnabled(t *testing.T) {
	for _, code := range []string{"ServiceAccessNotEnabledException", "OrganizationNotInAllFeaturesModeException"} {
		a, reg := newAWS(t)
		reg.Register(awstest.Query("ListOrganizationsFeatures"), awstest.AWSError(400, code, "not enabled"))
		_, err := a.OrganizationsRootFeatures(context.Background())
		wantKind(t, err, awsops.KindNotEnabled, "iam:ListOrganizationsFeatures")
		var ae *awsops.Error
		if !errors.As(err, &ae) || ae.Code != code {
			t.Errorf("%s: error %v lost its code", code, err)
		}
	}
}
