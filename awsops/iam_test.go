package awsops_test

import (
	"context"
	"errors"
	"net/url"
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

// fullDoc and denyIAMDoc are policy documents as IAM hands them out in
// GetAccountAuthorizationDetails: URL-encoded JSON.
var (
	fullDoc    = url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	denyIAMDoc = url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Sid":"NoIAM","Effect":"Deny","Action":"iam:*","Resource":"*"}]}`)
	forceMFA   = url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Sid":"ForceMFA","Effect":"Deny","NotAction":"iam:*","Resource":"*",` +
		`"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	trustSAML = url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/Okta"},` +
		`"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`)
)

var authDetails = `<UserDetailList>
	<member><UserName>alice</UserName><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-11-17T09:30:00Z</CreateDate>
		<GroupList><member>Developers</member><member>Admins</member></GroupList><AttachedManagedPolicies/></member>
	<member><UserName>bob</UserName><Arn>arn:aws:iam::123456789012:user/bob</Arn><GroupList/>
		<AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies>
		<UserPolicyList><member><PolicyName>force-mfa</PolicyName><PolicyDocument>` + forceMFA + `</PolicyDocument></member></UserPolicyList></member>
	<member><UserName>carol</UserName><Arn>arn:aws:iam::123456789012:user/carol</Arn>
		<GroupList><member>Developers</member></GroupList>
		<AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::123456789012:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>
	<member><UserName>dave</UserName><Arn>arn:aws:iam::123456789012:user/dave</Arn><GroupList/>
		<UserPolicyList><member><PolicyName>everything</PolicyName><PolicyDocument>` + fullDoc + `</PolicyDocument></member></UserPolicyList>
		<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>
		<PermissionsBoundaryArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PermissionsBoundaryArn></PermissionsBoundary></member>
	<member><UserName>erin</UserName><Arn>arn:aws:iam::123456789012:user/erin</Arn><GroupList><member>Ops</member></GroupList></member>
	</UserDetailList>
	<GroupDetailList>
	<member><GroupName>Admins</GroupName><AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>
	<member><GroupName>Developers</GroupName><AttachedManagedPolicies><member><PolicyName>PowerUserAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/PowerUserAccess</PolicyArn></member></AttachedManagedPolicies></member>
	<member><GroupName>Ops</GroupName><AttachedManagedPolicies><member><PolicyName>all-access</PolicyName>
		<PolicyArn>arn:aws:iam::123456789012:policy/ops/all-access</PolicyArn></member></AttachedManagedPolicies>
		<GroupPolicyList><member><PolicyName>no-iam</PolicyName><PolicyDocument>` + denyIAMDoc + `</PolicyDocument></member></GroupPolicyList></member>
	</GroupDetailList>
	<RoleDetailList>
	<member><RoleName>AWSReservedSSO_AdministratorAccess_0123456789abcdef</RoleName><Path>/aws-reserved/sso.amazonaws.com/eu-west-1/</Path>
		<CreateDate>2025-02-03T04:05:06Z</CreateDate>
		<Arn>arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef</Arn>
		<AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName>
		<PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies></member>
	<member><RoleName>okta-admin</RoleName><Path>/</Path><Arn>arn:aws:iam::123456789012:role/okta-admin</Arn>
		<AssumeRolePolicyDocument>` + trustSAML + `</AssumeRolePolicyDocument>
		<AttachedManagedPolicies><member><PolicyName>admin</PolicyName>
		<PolicyArn>arn:aws:iam::123456789012:policy/ops/all-access</PolicyArn></member></AttachedManagedPolicies></member>
	<member><RoleName>reader</RoleName><Path>/</Path><Arn>arn:aws:iam::123456789012:role/reader</Arn>
		<AttachedManagedPolicies><member><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></AttachedManagedPolicies></member>
	</RoleDetailList>
	<Policies>
	<member><PolicyName>all-access</PolicyName><Path>/ops/</Path><Arn>arn:aws:iam::123456789012:policy/ops/all-access</Arn>
		<PolicyVersionList><member><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + fullDoc + `</Document></member>
		<member><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion><Document>` + denyIAMDoc + `</Document></member></PolicyVersionList></member>
	</Policies><IsTruncated>false</IsTruncated>`

// Full rights come from AdministratorAccess, an inline or customer policy
// allowing * on *, on the user or a group; a boundary or a Deny cuts them
// down (a force-MFA deny does not); roles carry the same judgement, and
// the federation providers their trust policy names.
func TestAdministrators(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.Query("GetAccountAuthorizationDetails"), awstest.FormValue("Filter.member.1", "User"),
		awstest.FormValue("Filter.member.2", "Group"), awstest.FormValue("Filter.member.3", "Role"),
		awstest.FormValue("Filter.member.4", "LocalManagedPolicy"), awstest.FormValue("MaxItems", "1000")), awstest.QueryResult(authDetails))
	user := func(name string) awstest.Matcher { return awstest.FormValue("UserName", name) }
	for _, u := range []string{"alice", "dave", "erin"} {
		reg.Register(awstest.And(awstest.Query("GetLoginProfile"), user(u)), awstest.QueryResult(
			"<LoginProfile><UserName>"+u+"</UserName><CreateDate>2024-01-01T00:00:00Z</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>"))
	}
	reg.Register(awstest.And(awstest.Query("GetLoginProfile"), user("bob")), awstest.AWSError(404, "NoSuchEntity", "Login Profile for User bob cannot be found."))
	reg.Register(awstest.And(awstest.Query("ListMFADevices"), user("alice")), awstest.QueryResult(
		"<MFADevices><member><UserName>alice</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber><EnableDate>2024-01-01T00:00:00Z</EnableDate></member></MFADevices><IsTruncated>false</IsTruncated>"))
	for _, u := range []string{"bob", "dave", "erin"} {
		reg.Register(awstest.And(awstest.Query("ListMFADevices"), user(u)), awstest.QueryResult("<MFADevices/><IsTruncated>false</IsTruncated>"))
	}

	got, err := a.Administrators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.AdminUser{
		{Name: "alice", ARN: "arn:aws:iam::123456789012:user/alice", Via: "AdministratorAccess via group Admins", ConsoleAccess: true, MFADevices: 1,
			Created: time.Date(2026, 11, 17, 9, 30, 0, 0, time.UTC)},
		{Name: "bob", ARN: "arn:aws:iam::123456789012:user/bob", Via: "AdministratorAccess"},
		{Name: "dave", ARN: "arn:aws:iam::123456789012:user/dave", Via: "inline policy everything", ConsoleAccess: true,
			LimitedBy: "permissions boundary ReadOnlyAccess"},
		{Name: "erin", ARN: "arn:aws:iam::123456789012:user/erin", Via: "policy all-access via group Ops", ConsoleAccess: true,
			LimitedBy: "Deny NoIAM in inline policy no-iam of group Ops"},
	}
	if !slices.Equal(got.Users, want) {
		t.Fatalf("users = %+v\nwant    %+v", got.Users, want)
	}
	if len(got.Roles) != 2 || !got.Roles[0].IdentityCenter || got.Roles[0].Via != "AdministratorAccess" ||
		!got.Roles[0].Created.Equal(time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)) ||
		got.Roles[1].Name != "okta-admin" || got.Roles[1].IdentityCenter ||
		!slices.Equal(got.Roles[1].Federated, []string{"arn:aws:iam::123456789012:saml-provider/Okta"}) {
		t.Fatalf("roles = %+v", got.Roles)
	}
	if !slices.Equal(got.FullAccessPolicies, []string{"/ops/all-access"}) {
		t.Errorf("full-access policies = %v", got.FullAccessPolicies)
	}
}

func TestAdministratorsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountAuthorizationDetails"), awstest.AWSError(403, "AccessDenied", "not authorized"))
	_, err := a.Administrators(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "iam:GetAccountAuthorizationDetails")
}

func TestAdministratorsLoginProfileDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetAccountAuthorizationDetails"), awstest.QueryResult(`<UserDetailList>
		<member><UserName>bob</UserName><Arn>arn:aws:iam::123456789012:user/bob</Arn>
		<AttachedManagedPolicies><member><PolicyArn>arn:aws-us-gov:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies>
		</member></UserDetailList><GroupDetailList/><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.Query("GetLoginProfile"), awstest.AWSError(403, "AccessDenied", "not authorized"))
	reg.Register(awstest.Query("ListMFADevices"), awstest.QueryResult("<MFADevices/><IsTruncated>false</IsTruncated>"))
	_, err := a.Administrators(context.Background())
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
