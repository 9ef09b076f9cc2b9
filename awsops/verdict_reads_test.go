package awsops_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

// HTTP-level tests of the reads behind the end-to-end verdicts, in each
// service's real wire format (IAM/SNS awsQuery XML; sso-admin, identity
// store, KMS, CloudTrail, Organizations, CloudWatch Logs awsJson 1.1;
// CloudWatch Smithy RPC v2 CBOR; GuardDuty and Account REST-JSON).

func TestIAMUsers(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.Query("ListUsers"), awstest.FormValue("MaxItems", "1000")), awstest.QueryResult(`<Users>
		<member><Path>/</Path><UserName>alice</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn>
			<CreateDate>2025-01-02T03:04:05Z</CreateDate><PasswordLastUsed>2026-11-19T08:00:00Z</PasswordLastUsed></member>
		</Users><IsTruncated>true</IsTruncated><Marker>m2</Marker>`))
	reg.Register(awstest.And(awstest.Query("ListUsers"), awstest.FormValue("Marker", "m2")), awstest.QueryResult(`<Users>
		<member><Path>/</Path><UserName>carol</UserName><UserId>AIDA2</UserId><Arn>arn:aws:iam::123456789012:user/carol</Arn>
			<CreateDate>2026-11-20T11:50:00Z</CreateDate></member></Users><IsTruncated>false</IsTruncated>`))
	got, err := a.IAMUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.IAMUser{
		{Name: "alice", ARN: "arn:aws:iam::123456789012:user/alice", CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			PasswordLastUsed: time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC)},
		{Name: "carol", ARN: "arn:aws:iam::123456789012:user/carol", CreatedAt: time.Date(2026, 11, 20, 11, 50, 0, 0, time.UTC)},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("users = %+v", got)
	}
}

func TestIAMUsersDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("ListUsers"), awstest.AWSError(403, "AccessDenied", "no"))
	_, err := a.IAMUsers(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "iam:ListUsers")
}

func TestUserCredentials(t *testing.T) {
	a, reg := newAWS(t)
	carol := awstest.FormValue("UserName", "carol")
	reg.Register(awstest.And(awstest.Query("GetLoginProfile"), carol), awstest.QueryResult(
		"<LoginProfile><UserName>carol</UserName><CreateDate>2026-11-20T11:50:00Z</CreateDate><PasswordResetRequired>true</PasswordResetRequired></LoginProfile>"))
	reg.Register(awstest.And(awstest.Query("ListMFADevices"), carol), awstest.QueryResult("<MFADevices/><IsTruncated>false</IsTruncated>"))
	reg.Register(awstest.And(awstest.Query("ListAccessKeys"), carol, awstest.FormValue("MaxItems", "1000")), awstest.QueryResult(`<AccessKeyMetadata>
		<member><UserName>carol</UserName><AccessKeyId>AKIAEXAMPLECAROL0001</AccessKeyId><Status>Active</Status><CreateDate>2026-11-20T11:51:00Z</CreateDate></member>
		<member><UserName>carol</UserName><AccessKeyId>AKIAEXAMPLECAROL0002</AccessKeyId><Status>Inactive</Status><CreateDate>2026-11-20T11:52:00Z</CreateDate></member>
		</AccessKeyMetadata><IsTruncated>false</IsTruncated>`))
	reg.Register(awstest.And(awstest.Query("GetAccessKeyLastUsed"), awstest.FormValue("AccessKeyId", "AKIAEXAMPLECAROL0001")), awstest.QueryResult(
		"<UserName>carol</UserName><AccessKeyLastUsed><LastUsedDate>2026-11-20T11:55:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region></AccessKeyLastUsed>"))
	reg.Register(awstest.And(awstest.Query("GetAccessKeyLastUsed"), awstest.FormValue("AccessKeyId", "AKIAEXAMPLECAROL0002")), awstest.QueryResult(
		"<UserName>carol</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>"))
	got, err := a.UserCredentials(context.Background(), "carol")
	if err != nil {
		t.Fatal(err)
	}
	if got.User != "carol" || !got.ConsolePassword || got.MFADevices != 0 || len(got.Keys) != 2 {
		t.Fatalf("credentials = %+v", got)
	}
	if k := got.Keys[0]; !k.Active || k.LastUsed != time.Date(2026, 11, 20, 11, 55, 0, 0, time.UTC) || k.LastUsedService != "s3" || k.LastUsedRegion != "eu-west-1" {
		t.Errorf("key 1 = %+v", k)
	}
	if k := got.Keys[1]; k.Active || !k.LastUsed.IsZero() || k.LastUsedService != "" || k.LastUsedRegion != "" {
		t.Errorf("key 2 = %+v", k)
	}
}

func TestUserCredentialsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("GetLoginProfile"), awstest.AWSError(404, "NoSuchEntity", "no profile"))
	reg.Register(awstest.Query("ListMFADevices"), awstest.QueryResult("<MFADevices/><IsTruncated>false</IsTruncated>"))
	reg.Register(awstest.Query("ListAccessKeys"), awstest.AWSError(403, "AccessDenied", "no"))
	_, err := a.UserCredentials(context.Background(), "carol")
	wantKind(t, err, awsops.KindAccessDenied, "iam:ListAccessKeys")
}

func TestIdentityProviders(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("ListSAMLProviders"), awstest.QueryResult(`<SAMLProviderList>
		<member><Arn>arn:aws:iam::123456789012:saml-provider/Okta</Arn><ValidUntil>2030-01-01T00:00:00Z</ValidUntil></member></SAMLProviderList>`))
	reg.Register(awstest.Query("ListOpenIDConnectProviders"), awstest.QueryResult(`<OpenIDConnectProviderList>
		<member><Arn>arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com</Arn></member></OpenIDConnectProviderList>`))
	got, err := a.IdentityProviders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.IdentityProvider{{ARN: "arn:aws:iam::123456789012:saml-provider/Okta", Kind: "SAML"},
		{ARN: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", Kind: "OIDC"}}
	if !slices.Equal(got, want) {
		t.Fatalf("providers = %+v", got)
	}
}

func TestIdentityProvidersDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("ListSAMLProviders"), awstest.AWSError(403, "AccessDenied", "no"))
	reg.Register(awstest.Query("ListOpenIDConnectProviders"), awstest.QueryResult(`<OpenIDConnectProviderList/>`))
	_, err := a.IdentityProviders(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "iam:ListSAMLProviders")
}

const (
	instanceARN = "arn:aws:sso:::instance/ssoins-1111"
	psARN       = "arn:aws:sso:::permissionSet/ssoins-1111/ps-admin"
	sso         = "SWBExternalService."
)

// The instance lives in eu-central-1: sso-admin and the identity store are
// asked there, not in the home region.
func TestIdentityCenterAccess(t *testing.T) {
	a, reg := newAWS(t)
	ssoHost, idsHost := awstest.Host("sso.eu-central-1.amazonaws.com"), awstest.Host("identitystore.eu-central-1.amazonaws.com")
	set := awstest.JSONField("PermissionSetArn", psARN)
	reg.Register(awstest.And(ssoHost, awstest.JSONTarget(sso+"ListPermissionSetsProvisionedToAccount"), awstest.JSONField("InstanceArn", instanceARN),
		awstest.JSONField("AccountId", acct)), awstest.JSON(200, `{"PermissionSets":["`+psARN+`"]}`))
	reg.Register(awstest.And(ssoHost, awstest.JSONTarget(sso+"DescribePermissionSet"), set), awstest.JSON(200,
		`{"PermissionSet":{"Name":"AdministratorAccess","PermissionSetArn":"`+psARN+`","SessionDuration":"PT1H"}}`))
	reg.Register(awstest.And(ssoHost, awstest.JSONTarget(sso+"ListManagedPoliciesInPermissionSet"), set), awstest.JSON(200,
		`{"AttachedManagedPolicies":[{"Name":"AdministratorAccess","Arn":"arn:aws:iam::aws:policy/AdministratorAccess"}]}`))
	reg.Register(awstest.And(ssoHost, awstest.JSONTarget(sso+"GetInlinePolicyForPermissionSet"), set), awstest.JSON(200, `{"InlinePolicy":""}`))
	reg.Register(awstest.And(ssoHost, awstest.JSONTarget(sso+"ListCustomerManagedPolicyReferencesInPermissionSet"), set), awstest.JSON(200,
		`{"CustomerManagedPolicyReferences":[{"Name":"all-access","Path":"/ops/"}]}`))
	reg.Register(awstest.And(ssoHost, awstest.JSONTarget(sso+"ListAccountAssignments"), set, awstest.JSONField("AccountId", acct)), awstest.JSON(200,
		`{"AccountAssignments":[{"AccountId":"`+acct+`","PermissionSetArn":"`+psARN+`","PrincipalType":"GROUP","PrincipalId":"g-admins"},
		{"AccountId":"`+acct+`","PermissionSetArn":"`+psARN+`","PrincipalType":"GROUP","PrincipalId":"g-empty"},
		{"AccountId":"`+acct+`","PermissionSetArn":"`+psARN+`","PrincipalType":"USER","PrincipalId":"u-alice"}]}`))
	member := func(group string) awstest.Matcher {
		return awstest.And(idsHost, awstest.JSONTarget("AWSIdentityStore.ListGroupMemberships"), awstest.JSONField("IdentityStoreId", "d-1111"),
			awstest.JSONField("GroupId", group))
	}
	reg.Register(member("g-admins"), awstest.JSON(200, `{"GroupMemberships":[{"IdentityStoreId":"d-1111","GroupId":"g-admins","MemberId":{"UserId":"u-alice"}}],"NextToken":"more"}`))
	reg.Register(member("g-empty"), awstest.JSON(200, `{"GroupMemberships":[]}`))

	got, err := a.IdentityCenterAccess(context.Background(), awsops.IdentityCenterInstance{ARN: instanceARN, Region: "eu-central-1",
		OwnerAccountID: acct, IdentityStoreID: "d-1111"}, acct)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("permission sets = %+v", got)
	}
	ps := got[0]
	if ps.Name != "AdministratorAccess" || !slices.Equal(ps.ManagedPolicies, []string{"arn:aws:iam::aws:policy/AdministratorAccess"}) ||
		ps.InlinePolicy != "" || !slices.Equal(ps.CustomerPolicies, []string{"/ops/all-access"}) {
		t.Errorf("permission set = %+v", ps)
	}
	want := []awsops.Assignment{{PrincipalType: "GROUP", PrincipalID: "g-admins", GroupHasMembers: true},
		{PrincipalType: "GROUP", PrincipalID: "g-empty"}, {PrincipalType: "USER", PrincipalID: "u-alice"}}
	if !slices.Equal(ps.Assignments, want) {
		t.Errorf("assignments = %+v", ps.Assignments)
	}
	var body struct{ MaxResults int }
	if err := reg.Find(awstest.JSONTarget("AWSIdentityStore.ListGroupMemberships"))[0].JSON(&body); err != nil || body.MaxResults != 1 {
		t.Errorf("one membership is enough to know a group has members: MaxResults %d", body.MaxResults)
	}
}

func TestIdentityCenterAccessDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(sso+"ListPermissionSetsProvisionedToAccount"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.IdentityCenterAccess(context.Background(), awsops.IdentityCenterInstance{ARN: instanceARN, Region: awstest.Region}, acct)
	wantKind(t, err, awsops.KindAccessDenied, "sso:ListPermissionSetsProvisionedToAccount")
}

func TestIdentityCenterAccessGroupMembersDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(sso+"ListPermissionSetsProvisionedToAccount"), awstest.JSON(200, `{"PermissionSets":["`+psARN+`"]}`))
	reg.Register(awstest.JSONTarget(sso+"DescribePermissionSet"), awstest.JSON(200, `{"PermissionSet":{"Name":"Admin"}}`))
	reg.Register(awstest.JSONTarget(sso+"ListManagedPoliciesInPermissionSet"), awstest.JSON(200, `{"AttachedManagedPolicies":[]}`))
	reg.Register(awstest.JSONTarget(sso+"GetInlinePolicyForPermissionSet"), awstest.JSON(200, `{"InlinePolicy":""}`))
	reg.Register(awstest.JSONTarget(sso+"ListCustomerManagedPolicyReferencesInPermissionSet"), awstest.JSON(200, `{"CustomerManagedPolicyReferences":[]}`))
	reg.Register(awstest.JSONTarget(sso+"ListAccountAssignments"), awstest.JSON(200, `{"AccountAssignments":[{"PrincipalType":"GROUP","PrincipalId":"g"}]}`))
	reg.Register(awstest.JSONTarget("AWSIdentityStore.ListGroupMemberships"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.IdentityCenterAccess(context.Background(), awsops.IdentityCenterInstance{ARN: instanceARN, Region: awstest.Region, IdentityStoreID: "d-1"}, acct)
	wantKind(t, err, awsops.KindAccessDenied, "identitystore:ListGroupMemberships")
}

// Every account is walked up to the root; each OU's parent is asked once
// (a second ask would find no stub).
func TestOrganizationAccounts(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListAccounts")), awstest.JSON(200, `{"Accounts":[
		{"Id":"`+acct+`","Name":"management","State":"ACTIVE"},{"Id":"444455556666","Name":"prod","State":"ACTIVE"}],"NextToken":"p2"}`))
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListAccounts"), awstest.JSONField("NextToken", "p2")), awstest.JSON(200, `{"Accounts":[
		{"Id":"555566667777","Name":"dev","State":"SUSPENDED"}]}`))
	parent := func(child, body string) {
		reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListParents"), awstest.JSONField("ChildId", child)), awstest.JSON(200, body))
	}
	parent(acct, `{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}`)
	parent("444455556666", `{"Parents":[{"Id":"ou-ab12-prod","Type":"ORGANIZATIONAL_UNIT"}]}`)
	parent("555566667777", `{"Parents":[{"Id":"ou-ab12-prod","Type":"ORGANIZATIONAL_UNIT"}]}`)
	parent("ou-ab12-prod", `{"Parents":[{"Id":"ou-ab12-work","Type":"ORGANIZATIONAL_UNIT"}]}`)
	parent("ou-ab12-work", `{"Parents":[{"Id":"r-ab12","Type":"ROOT"}]}`)
	got, err := a.OrganizationAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{acct: {"r-ab12"}, "444455556666": {"ou-ab12-prod", "ou-ab12-work", "r-ab12"}, "555566667777": {"ou-ab12-prod", "ou-ab12-work", "r-ab12"}}
	if len(got) != 3 {
		t.Fatalf("accounts = %+v", got)
	}
	for _, acc := range got {
		if !slices.Equal(acc.Ancestors, want[acc.ID]) {
			t.Errorf("%s ancestors = %v, want %v", acc.ID, acc.Ancestors, want[acc.ID])
		}
	}
	if got[2].State != "SUSPENDED" || got[1].Name != "prod" {
		t.Errorf("accounts = %+v", got)
	}
}

func TestOrganizationAccountsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(orgTarget+"ListAccounts"), awstest.AWSError(400, "AccessDeniedException", "You don't have permissions"))
	_, err := a.OrganizationAccounts(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "organizations:ListAccounts")
}

const logGroupARN = "arn:aws:logs:eu-central-1:123456789012:log-group:cloudtrail-logs:*"

// The CIS route is read in the log group's region: metric filters (Logs,
// awsJson), the alarms on each root-use metric (CloudWatch, RPC v2 CBOR)
// and the subscriptions of their SNS actions.
func TestRootUsageAlarms(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.Host("logs.eu-central-1.amazonaws.com"), awstest.JSONTarget("Logs_20140328.DescribeMetricFilters"),
		awstest.JSONField("logGroupName", "cloudtrail-logs")), awstest.JSON(200, `{"metricFilters":[
		{"filterName":"root-usage","logGroupName":"cloudtrail-logs",
		 "filterPattern":"{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
		 "metricTransformations":[{"metricName":"RootAccountUsage","metricNamespace":"CISBenchmark","metricValue":"1"}]},
		{"filterName":"console-failures","logGroupName":"cloudtrail-logs","filterPattern":"{ $.eventName = ConsoleLogin && $.errorMessage = \"Failed authentication\" }",
		 "metricTransformations":[{"metricName":"ConsoleFailures","metricNamespace":"CISBenchmark","metricValue":"1"}]}]}`))
	reg.Register(awstest.And(awstest.Host("monitoring.eu-central-1.amazonaws.com"), awstest.RPCv2("GraniteServiceVersion20100801", "DescribeAlarmsForMetric")),
		awstest.CBOR(200, map[string]any{"MetricAlarms": []map[string]any{{
			"AlarmName": "root-usage", "ActionsEnabled": true, "MetricName": "RootAccountUsage", "Namespace": "CISBenchmark",
			"AlarmActions":       []string{"arn:aws:sns:eu-central-1:123456789012:cis-alarms", "arn:aws:automate:eu-central-1:ec2:stop"},
			"ComparisonOperator": "GreaterThanOrEqualToThreshold", "Threshold": 1.0}}}))
	reg.Register(awstest.And(awstest.Host("sns.eu-central-1.amazonaws.com"), awstest.Query("ListSubscriptionsByTopic")), awstest.QueryResult(`<Subscriptions>
		<member><Protocol>email</Protocol><SubscriptionArn>arn:aws:sns:eu-central-1:123456789012:cis-alarms:1</SubscriptionArn><Endpoint>sec@example.com</Endpoint></member></Subscriptions>`))
	got, err := a.RootUsageAlarms(context.Background(), logGroupARN)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Filter != "root-usage" || got[0].Metric != "CISBenchmark/RootAccountUsage" || len(got[0].Alarms) != 1 {
		t.Fatalf("alarms = %+v", got)
	}
	al := got[0].Alarms[0]
	if al.Name != "root-usage" || !al.ActionsEnabled || len(al.Topics) != 1 || len(al.Topics[0].Subscriptions) != 1 || !al.Topics[0].Subscriptions[0].Confirmed {
		t.Fatalf("alarm = %+v", al)
	}
}

func TestRootUsageAlarmsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("Logs_20140328.DescribeMetricFilters"), awstest.JSON(200, `{"metricFilters":[{"filterName":"root",
		"filterPattern":"{$.userIdentity.type=\"Root\"}","metricTransformations":[{"metricName":"Root","metricNamespace":"CIS","metricValue":"1"}]}]}`))
	reg.Register(awstest.RPCv2("GraniteServiceVersion20100801", "DescribeAlarmsForMetric"), awstest.CBORError(400, "AccessDenied", "not authorized"))
	_, err := a.RootUsageAlarms(context.Background(), logGroupARN)
	wantKind(t, err, awsops.KindAccessDenied, "cloudwatch:DescribeAlarmsForMetric")

	a, reg = newAWS(t)
	reg.Register(awstest.JSONTarget("Logs_20140328.DescribeMetricFilters"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err = a.RootUsageAlarms(context.Background(), logGroupARN)
	wantKind(t, err, awsops.KindAccessDenied, "logs:DescribeMetricFilters")
}

// Root console sign-ins come from event history in us-east-1, whatever
// the home region; other users' sign-ins are left out.
func TestRootSignIns(t *testing.T) {
	a, reg := newAWS(t)
	event := func(identity, result, mfa, ip, at, errMsg string) map[string]any {
		ce := `{"eventVersion":"1.08","userIdentity":` + identity + `,"eventTime":"` + at + `","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",` +
			`"sourceIPAddress":"` + ip + `","responseElements":{"ConsoleLogin":"` + result + `"},"additionalEventData":{"MFAUsed":"` + mfa + `"}`
		if errMsg != "" {
			ce += `,"errorMessage":"` + errMsg + `"`
		}
		return map[string]any{"EventId": at, "EventName": "ConsoleLogin", "CloudTrailEvent": ce + "}"}
	}
	root := `{"type":"Root","arn":"arn:aws:iam::123456789012:root","accountId":"123456789012"}`
	alice := `{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","userName":"alice"}`
	reg.Register(awstest.And(awstest.Host("cloudtrail.us-east-1.amazonaws.com"), awstest.JSONTarget("CloudTrail_20131101.LookupEvents"),
		awstest.Func("EventName=ConsoleLogin, 50 a page", func(r *awstest.Request) bool {
			var body struct {
				LookupAttributes []struct{ AttributeKey, AttributeValue string }
				MaxResults       int
				StartTime        float64
			}
			return r.JSON(&body) == nil && len(body.LookupAttributes) == 1 && body.LookupAttributes[0].AttributeKey == "EventName" &&
				body.LookupAttributes[0].AttributeValue == "ConsoleLogin" && body.MaxResults == 50 && body.StartTime > 0
		})), awstest.JSONValue(map[string]any{"Events": []map[string]any{
		event(root, "Success", "Yes", "198.51.100.7", "2026-11-19T08:00:00Z", ""),
		event(alice, "Success", "Yes", "198.51.100.8", "2026-11-19T09:00:00Z", ""),
	}, "NextToken": "p2"}))
	reg.Register(awstest.And(awstest.JSONTarget("CloudTrail_20131101.LookupEvents"), awstest.JSONField("NextToken", "p2")),
		awstest.JSONValue(map[string]any{"Events": []map[string]any{event(root, "Failure", "No", "203.0.113.9", "2026-11-20T01:00:00Z", "Failed authentication")}}))
	got, err := a.RootSignIns(context.Background(), time.Date(2026, 8, 22, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.SignInEvent{
		{Time: time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC), SourceIP: "203.0.113.9", Error: "Failed authentication"},
		{Time: time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC), Success: true, MFAUsed: true, SourceIP: "198.51.100.7"},
	}
	if !slices.Equal(got.Events, want) || got.Truncated {
		t.Fatalf("history = %+v", got)
	}
}

func TestRootSignInsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget("CloudTrail_20131101.LookupEvents"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.RootSignIns(context.Background(), time.Now().Add(-time.Hour))
	wantKind(t, err, awsops.KindAccessDenied, "cloudtrail:LookupEvents")
}

func TestEnabledRegionsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.AWSError(403, "AccessDeniedException", "no"))
	_, err := a.EnabledRegions(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "account:ListRegions")
}

func TestGuardDutyDetectorsInAnotherRegion(t *testing.T) {
	a, reg := newAWS(t)
	gd := awstest.Host("guardduty.ap-southeast-2.amazonaws.com")
	reg.Register(awstest.And(gd, awstest.REST("GET", "/detector")), awstest.JSON(200, `{"detectorIds":["d9"]}`))
	reg.Register(awstest.And(gd, awstest.REST("GET", "/detector/d9")), awstest.JSON(200, `{"status":"ENABLED","serviceRole":"r"}`))
	got, err := a.GuardDutyDetectorsIn(context.Background(), "ap-southeast-2")
	if err != nil || !slices.Equal(got, []awsops.Detector{{ID: "d9", Enabled: true}}) {
		t.Fatalf("detectors = %+v, %v", got, err)
	}
	if q := reg.Find(awstest.REST("GET", "/detector")); len(q) != 1 {
		t.Fatalf("requests = %d", len(q))
	}
}

func TestGuardDutyDetectorsInDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("GET", "/detector"), awstest.AWSError(403, "AccessDeniedException", "no"))
	_, err := a.GuardDutyDetectorsIn(context.Background(), "ap-southeast-2")
	wantKind(t, err, awsops.KindAccessDenied, "guardduty:ListDetectors")
}

func TestTrailSelectorsDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(trailTarget+"DescribeTrails"), awstest.JSON(200, `{"trailList":[{"Name":"main","TrailARN":"arn:aws:cloudtrail:eu-west-1:123456789012:trail/main","IsMultiRegionTrail":true}]}`))
	reg.Register(awstest.JSONTarget(trailTarget+"GetTrailStatus"), awstest.JSON(200, `{"IsLogging":true,"LatestDeliveryError":"AccessDenied"}`))
	reg.Register(awstest.JSONTarget(trailTarget+"GetEventSelectors"), awstest.AWSError(400, "AccessDeniedException", "no"))
	trails, err := a.Trails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantKind(t, trails[0].SelectorsErr, awsops.KindAccessDenied, "cloudtrail:GetEventSelectors")
	if trails[0].DeliveryError != "AccessDenied" || !trails[0].EverStarted {
		t.Errorf("trail = %+v", trails[0])
	}
}

func TestTrailAdvancedSelectors(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"management, all", `{"AdvancedEventSelectors":[{"Name":"m","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}`, awsops.ManagementAll},
		{"management writes", `{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]}]}]}`, awsops.ManagementWriteOnly},
		{"reads and writes in two selectors", `{"AdvancedEventSelectors":[
			{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]}]},
			{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}]}]}`, awsops.ManagementAll},
		{"data events only", `{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]}`, awsops.ManagementNone},
		{"basic, management excluded", `{"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":false}]}`, awsops.ManagementNone},
		{"basic, reads", `{"EventSelectors":[{"ReadWriteType":"ReadOnly","IncludeManagementEvents":true}]}`, awsops.ManagementReadOnly},
	} {
		a, reg := newAWS(t)
		reg.Register(awstest.JSONTarget(trailTarget+"DescribeTrails"), awstest.JSON(200, `{"trailList":[{"Name":"main","TrailARN":"arn:aws:cloudtrail:eu-west-1:123456789012:trail/main","HasCustomEventSelectors":true}]}`))
		reg.Register(awstest.JSONTarget(trailTarget+"GetTrailStatus"), awstest.JSON(200, `{"IsLogging":true}`))
		reg.Register(awstest.JSONTarget(trailTarget+"GetEventSelectors"), awstest.JSON(200, tc.body))
		trails, err := a.Trails(context.Background())
		if err != nil || trails[0].Management != tc.want {
			t.Errorf("%s: management = %q (%v), want %q", tc.name, trails[0].Management, err, tc.want)
		}
	}
}

// A history longer than rootguard reads says how far back the pages read
// reach (the oldest event time of every user's sign-ins on them).
func TestRootSignInsTruncatedSaysHowFarBack(t *testing.T) {
	a, reg := newAWS(t)
	start := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for page := range 20 {
		at := start.Add(-time.Duration(page) * time.Hour)
		reg.Register(awstest.JSONTarget("CloudTrail_20131101.LookupEvents"), awstest.JSONValue(map[string]any{
			"Events": []map[string]any{{"EventId": fmt.Sprint(page), "EventName": "ConsoleLogin", "EventTime": float64(at.Unix()),
				"CloudTrailEvent": `{"userIdentity":{"type":"IAMUser"}}`}},
			"NextToken": fmt.Sprintf("p%d", page+1)}))
	}
	got, err := a.RootSignIns(context.Background(), start.Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(-19 * time.Hour); !got.Truncated || !got.ReadBack.Equal(want) {
		t.Fatalf("truncated %v, read back to %v, want %v", got.Truncated, got.ReadBack, want)
	}
}
