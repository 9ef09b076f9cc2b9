package awsops_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

const orgTarget = "AWSOrganizationsV20161128."

func TestOrganizationNotInUse(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(orgTarget+"DescribeOrganization"), awstest.AWSError(400, "AWSOrganizationsNotInUseException",
		"Your account is not a member of an organization."))
	o, err := a.Organization(context.Background())
	if err != nil || o != nil {
		t.Fatalf("got %+v, %v; want nil, nil", o, err)
	}
}

func TestOrganizationMember(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(orgTarget+"DescribeOrganization"), awstest.JSON(200, `{"Organization":{"Id":"o-abc123",
		"Arn":"arn:aws:organizations::999999999999:organization/o-abc123","FeatureSet":"ALL","MasterAccountId":"999999999999",
		"MasterAccountEmail":"root@example.com"}}`))
	o, err := a.Organization(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if o == nil || *o != (awsops.Organization{ID: "o-abc123", ManagementAccountID: "999999999999", FeatureSet: "ALL"}) {
		t.Fatalf("org = %+v", o)
	}
}

func TestOrganizationAccessDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(orgTarget+"DescribeOrganization"), awstest.AWSError(400, "AccessDeniedException", "no"))
	_, err := a.Organization(context.Background())
	wantKind(t, err, awsops.KindAccessDenied, "organizations:DescribeOrganization")
}

const denyRootSCP = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyRoot","Effect":"Deny","Action":"*","Resource":"*",
	"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}}]}`

func TestServiceControlPolicies(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListPolicies"), awstest.JSONField("Filter", "SERVICE_CONTROL_POLICY")),
		awstest.JSON(200, `{"Policies":[
			{"Id":"p-FullAWSAccess","Name":"FullAWSAccess","AwsManaged":true,"Type":"SERVICE_CONTROL_POLICY"},
			{"Id":"p-deny1","Name":"DenyRoot","AwsManaged":false,"Type":"SERVICE_CONTROL_POLICY"}],"NextToken":"t2"}`))
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListPolicies"), awstest.JSONField("NextToken", "t2")),
		awstest.JSON(200, `{"Policies":[{"Id":"p-s3","Name":"DenyS3","AwsManaged":false,"Type":"SERVICE_CONTROL_POLICY"}]}`))
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"DescribePolicy"), awstest.JSONField("PolicyId", "p-deny1")),
		awstest.JSONValue(map[string]any{"Policy": map[string]any{"PolicySummary": map[string]any{"Id": "p-deny1"}, "Content": denyRootSCP}}))
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"DescribePolicy"), awstest.JSONField("PolicyId", "p-s3")),
		awstest.JSONValue(map[string]any{"Policy": map[string]any{"Content": `{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`}}))
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListTargetsForPolicy"), awstest.JSONField("PolicyId", "p-deny1")),
		awstest.JSON(200, `{"Targets":[{"TargetId":"ou-ab12-cdef3456","Type":"ORGANIZATIONAL_UNIT"},{"TargetId":"111111111111","Type":"ACCOUNT"}]}`))
	reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListTargetsForPolicy"), awstest.JSONField("PolicyId", "p-s3")),
		awstest.JSON(200, `{"Targets":[]}`))

	scps, err := a.ServiceControlPolicies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(scps) != 3 {
		t.Fatalf("scps = %+v", scps)
	}
	if scps[0].ID != "p-FullAWSAccess" || scps[0].DeniesRoot {
		t.Errorf("FullAWSAccess = %+v", scps[0])
	}
	if !scps[1].DeniesRoot || !slices.Equal(scps[1].Targets, []string{"ou-ab12-cdef3456", "111111111111"}) {
		t.Errorf("DenyRoot = %+v", scps[1])
	}
	if scps[2].DeniesRoot || len(scps[2].Targets) != 0 {
		t.Errorf("DenyS3 = %+v", scps[2])
	}
}

// The SCP is judged for the root users of the organization's partition,
// which its policy ARN names.
func TestServiceControlPoliciesInGovCloud(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.JSONTarget(orgTarget+"ListPolicies"), awstest.JSON(200, `{"Policies":[
		{"Id":"p-gov","Name":"DenyGovRoot","AwsManaged":false,"Type":"SERVICE_CONTROL_POLICY"},
		{"Id":"p-aws","Name":"DenyAwsRoot","AwsManaged":false,"Type":"SERVICE_CONTROL_POLICY"}]}`))
	for id, pattern := range map[string]string{"p-gov": "arn:aws-us-gov:iam::*:root", "p-aws": "arn:aws:iam::*:root"} {
		doc := `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"` + pattern + `"}}}]}`
		reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"DescribePolicy"), awstest.JSONField("PolicyId", id)),
			awstest.JSONValue(map[string]any{"Policy": map[string]any{"Content": doc, "PolicySummary": map[string]any{
				"Id": id, "Arn": "arn:aws-us-gov:organizations::111111111111:policy/o-ab12cd34ef/service_control_policy/" + id}}}))
		reg.Register(awstest.And(awstest.JSONTarget(orgTarget+"ListTargetsForPolicy"), awstest.JSONField("PolicyId", id)),
			awstest.JSON(200, `{"Targets":[{"TargetId":"r-ab12","Type":"ROOT"}]}`))
	}
	scps, err := a.ServiceControlPolicies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range scps {
		got[s.ID] = s.DeniesRoot
	}
	if !got["p-gov"] || got["p-aws"] {
		t.Errorf("in GovCloud: arn:aws-us-gov denies %v (want true), arn:aws denies %v (want false)", got["p-gov"], got["p-aws"])
	}
}

func TestPolicyDeniesRoot(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want bool
	}{
		{"control tower style", denyRootSCP, true},
		{"action list, StringLike, value list", `{"Statement":[{"Effect":"Deny","Action":["*"],"Resource":"*",
			"Condition":{"StringLike":{"aws:PrincipalArn":["arn:aws:iam::111111111111:role/x","arn:*:iam::*:root"]}}}]}`, true},
		{"single statement object", `{"Statement":{"Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice"],"Resource":"*",
			"Condition":{"ArnLike":{"aws:PrincipalARN":"arn:aws:iam::*:root"}}}}`, true},
		{"bool condition elsewhere", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
			"Condition":{"Bool":{"aws:MultiFactorAuthPresent":false},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, true},
		{"allow, not deny", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"only some actions", `{"Statement":[{"Effect":"Deny","Action":["s3:*"],"Resource":"*",
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"no root condition", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, false},
		{"role, not root", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/root"}}}]}`, false},
		{"other key", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
			"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"one resource only", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::x",
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"no resource", `{"Statement":[{"Effect":"Deny","Action":"*",
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"not resource", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","NotResource":"arn:aws:s3:::x",
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"long NotAction list (an allow-list in disguise)", `{"Statement":[{"Effect":"Deny","Resource":"*",
			"NotAction":["s3:*","ec2:*","iam:*","lambda:*","rds:*","dynamodb:*","sqs:*","sns:*","kms:*","cloudtrail:*","logs:*"],
			"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`, false},
		{"not json", `{`, false},
	} {
		if got := awsops.PolicyDeniesRoot(tc.doc); got != tc.want {
			t.Errorf("%s: DeniesRoot = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A NotAction deny credits root as denied all but the listed actions; a
// full deny in the same policy wins.
func TestPolicyRootDenyExcept(t *testing.T) {
	notAction := `{"Effect":"Deny","NotAction":["s3:*","ec2:*"],"Resource":"*",
		"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}`
	denies, except := awsops.PolicyRootDeny(`{"Statement":[` + notAction + `]}`)
	if !denies || !slices.Equal(except, []string{"s3:*", "ec2:*"}) {
		t.Errorf("NotAction deny: denies %v, except %v", denies, except)
	}
	full := `{"Effect":"Deny","Action":"*","Resource":["*"],"Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}`
	denies, except = awsops.PolicyRootDeny(`{"Statement":[` + notAction + `,` + full + `]}`)
	if !denies || len(except) != 0 {
		t.Errorf("with a full deny too: denies %v, except %v", denies, except)
	}
}
