package main

// moto integration tests for the verdicts that judge a whole path: event
// selectors, topic policies and keys, Identity Center assignments and
// group members, SCP conditions and member-account coverage, the CIS alarm
// route. Each seeds the broken and the working state through the real SDK
// and asserts `rootguard check --format json`.
//
// What moto 5.2.1 lacks (seen by trying): account ListRegions (HTTP 404),
// CloudTrail LookupEvents, budgets DescribeSubscribersForNotification,
// CloudWatch over the RPC v2 CBOR protocol the Go SDK speaks (HTTP 404),
// sso-admin GetPermissionsBoundaryForPermissionSet and DescribeInstance
// (rootguard reads neither). Items that need a missing call are asserted
// unknown (never a pass) or not asserted.

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/rootguard/rootguard/steps"
)

// seeder wraps the SDK clients for seeding moto; every call must succeed.
type seeder struct {
	t   *testing.T
	ctx context.Context
	cfg aws.Config
}

func newSeeder(t *testing.T) (seeder, string) {
	t.Helper()
	url := motoURL(t)
	motoAccountEnv(t, url)
	return seeder{t: t, ctx: context.Background(), cfg: motoConfig(t, url)}, url
}

func (s seeder) must(what string, err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("seeding %s: %v", what, err)
	}
}

func (s seeder) account() string {
	out, err := sts.NewFromConfig(s.cfg).GetCallerIdentity(s.ctx, &sts.GetCallerIdentityInput{})
	s.must("identity", err)
	return aws.ToString(out.Account)
}

// trail makes a logging multi-region trail.
func (s seeder) trail(url, name string, in *cloudtrail.CreateTrailInput) {
	createBucket(s.t, url, "rootguard-"+name)
	if in == nil {
		in = &cloudtrail.CreateTrailInput{}
	}
	in.Name, in.S3BucketName, in.IsMultiRegionTrail = aws.String(name), aws.String("rootguard-"+name), aws.Bool(true)
	ct := cloudtrail.NewFromConfig(s.cfg)
	_, err := ct.CreateTrail(s.ctx, in)
	s.must("trail", err)
	_, err = ct.StartLogging(s.ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
	s.must("trail logging", err)
}

func checkOne(t *testing.T, ids string) map[string]steps.ReportResult {
	t.Helper()
	_, got, stderr := motoCheck(t, "--only", ids)
	if len(got) == 0 {
		t.Fatalf("no results; stderr: %s", stderr)
	}
	return got
}

func wantVerdict(t *testing.T, got map[string]steps.ReportResult, id string, status steps.Status, summary string) {
	t.Helper()
	r := got[id]
	if r.Status != status || !strings.Contains(r.Summary, summary) {
		t.Errorf("%s = %s (%s), want %s mentioning %q", id, r.Status, r.Summary, status, summary)
	}
}

func TestMotoCloudTrailEventSelectors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		basic    []cttypes.EventSelector
		advanced []cttypes.AdvancedEventSelector
		want     steps.Status
		summary  string
	}{
		{"default selectors record everything", nil, nil, steps.StatusPass, "logging all management events"},
		{"write-only management events", []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeWriteOnly, IncludeManagementEvents: aws.Bool(true)}},
			nil, steps.StatusWarn, "records only write management events"},
		{"data events only", []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(false)}},
			nil, steps.StatusFail, "records no management events"},
		{"advanced selector for management events", nil, []cttypes.AdvancedEventSelector{{Name: aws.String("management"),
			FieldSelectors: []cttypes.AdvancedFieldSelector{{Field: aws.String("eventCategory"), Equals: []string{"Management"}}}}},
			steps.StatusPass, "logging all management events"},
		{"advanced selector for reads only", nil, []cttypes.AdvancedEventSelector{{Name: aws.String("reads"),
			FieldSelectors: []cttypes.AdvancedFieldSelector{{Field: aws.String("eventCategory"), Equals: []string{"Management"}},
				{Field: aws.String("readOnly"), Equals: []string{"true"}}}}},
			steps.StatusFail, "records only read management events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, url := newSeeder(t)
			s.trail(url, "management", nil)
			if tc.basic != nil || tc.advanced != nil {
				_, err := cloudtrail.NewFromConfig(s.cfg).PutEventSelectors(s.ctx, &cloudtrail.PutEventSelectorsInput{
					TrailName: aws.String("management"), EventSelectors: tc.basic, AdvancedEventSelectors: tc.advanced})
				s.must("event selectors", err)
			}
			wantVerdict(t, checkOne(t, "cloudtrail"), "cloudtrail", tc.want, tc.summary)
		})
	}
}

func TestMotoCloudTrailNeverStarted(t *testing.T) {
	s, url := newSeeder(t)
	createBucket(t, url, "rootguard-idle")
	_, err := cloudtrail.NewFromConfig(s.cfg).CreateTrail(s.ctx, &cloudtrail.CreateTrailInput{Name: aws.String("idle"),
		S3BucketName: aws.String("rootguard-idle"), IsMultiRegionTrail: aws.Bool(true)})
	s.must("trail", err)
	wantVerdict(t, checkOne(t, "cloudtrail"), "cloudtrail", steps.StatusFail, "was created but never started logging")
}

// alertPath seeds a root sign-in rule targeting a topic with a confirmed
// email subscription; policy and attrs shape the topic.
func (s seeder) alertPath(policy func(topic string) string, attrs map[string]string) string {
	sc := sns.NewFromConfig(s.cfg)
	topic, err := sc.CreateTopic(s.ctx, &sns.CreateTopicInput{Name: aws.String("root-sign-in"), Attributes: attrs})
	s.must("SNS topic", err)
	arn := aws.ToString(topic.TopicArn)
	if policy != nil {
		_, err = sc.SetTopicAttributes(s.ctx, &sns.SetTopicAttributesInput{TopicArn: topic.TopicArn,
			AttributeName: aws.String("Policy"), AttributeValue: aws.String(policy(arn))})
		s.must("topic policy", err)
	}
	_, err = sc.Subscribe(s.ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("email"),
		Endpoint: aws.String("security@example.com"), ReturnSubscriptionArn: true})
	s.must("subscription", err)
	eb := eventbridge.NewFromConfig(s.cfg)
	_, err = eb.PutRule(s.ctx, &eventbridge.PutRuleInput{Name: aws.String("root-sign-in"), State: ebtypes.RuleStateEnabled,
		EventPattern: aws.String(`{"source":["aws.signin"],"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`)})
	s.must("rule", err)
	_, err = eb.PutTargets(s.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("root-sign-in"),
		Targets: []ebtypes.Target{{Id: aws.String("sns"), Arn: topic.TopicArn}}})
	s.must("target", err)
	return arn
}

func TestMotoRootAlertPath(t *testing.T) {
	keyPolicy := func(events bool) string {
		stmts := []map[string]any{{"Sid": "root", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}}
		if events {
			stmts = append(stmts, map[string]any{"Sid": "events", "Effect": "Allow", "Principal": map[string]any{"Service": "events.amazonaws.com"},
				"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"})
		}
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
		return string(b)
	}
	for _, tc := range []struct {
		name    string
		policy  func(string) string
		key     string // "": none; "aws": alias/aws/sns; "plain" / "events": a customer key without / with EventBridge
		want    steps.Status
		summary string
	}{
		{"default topic policy", nil, "", steps.StatusFail, "does not let EventBridge (events.amazonaws.com) publish"},
		{"EventBridge may publish", eventBridgeTopicPolicy, "", steps.StatusPass, "reach a person"},
		{"deny for EventBridge", func(topic string) string {
			return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topic + `"},` +
				`{"Sid":"NoEvents","Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":"` + topic + `"}]}`
		}, "", steps.StatusFail, "denies EventBridge publishing (NoEvents)"},
		{"AWS managed key", eventBridgeTopicPolicy, "aws", steps.StatusFail, "alias/aws/sns"},
		{"customer key without EventBridge", eventBridgeTopicPolicy, "plain", steps.StatusFail, "key policy"},
		{"customer key for EventBridge", eventBridgeTopicPolicy, "events", steps.StatusPass, "reach a person"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newSeeder(t)
			var attrs map[string]string
			switch tc.key {
			case "aws":
				attrs = map[string]string{"KmsMasterKeyId": "alias/aws/sns"}
			case "plain", "events":
				k, err := kms.NewFromConfig(s.cfg).CreateKey(s.ctx, &kms.CreateKeyInput{Policy: aws.String(keyPolicy(tc.key == "events"))})
				s.must("KMS key", err)
				attrs = map[string]string{"KmsMasterKeyId": aws.ToString(k.KeyMetadata.Arn)}
			}
			s.alertPath(tc.policy, attrs)
			wantVerdict(t, checkOne(t, "root-activity-alert"), "root-activity-alert", tc.want, tc.summary)
		})
	}
}

// The CIS route: a trail delivering to CloudWatch Logs, a metric filter for
// root use, an alarm with an SNS action. moto 5.2.1 does not speak the RPC
// v2 CBOR protocol the Go SDK uses for CloudWatch (HTTP 404), so the alarm
// link cannot be read there: with a root-use metric filter in place the
// item must be unknown naming the alarm route, never a pass. The whole
// route passing is tested at the HTTP level (awsops) and with fakes (steps).
func TestMotoRootAlertCISRoute(t *testing.T) {
	s, url := newSeeder(t)
	acct := s.account()
	logs := cloudwatchlogs.NewFromConfig(s.cfg)
	_, err := logs.CreateLogGroup(s.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("cloudtrail")})
	s.must("log group", err)
	group := "arn:aws:logs:us-east-1:" + acct + ":log-group:cloudtrail:*"
	s.trail(url, "management", &cloudtrail.CreateTrailInput{CloudWatchLogsLogGroupArn: aws.String(group),
		CloudWatchLogsRoleArn: aws.String("arn:aws:iam::" + acct + ":role/cloudtrail-logs")})

	wantVerdict(t, checkOne(t, "root-activity-alert"), "root-activity-alert", steps.StatusFail, "no alert on root sign-in")

	_, err = logs.PutMetricFilter(s.ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String("cloudtrail"), FilterName: aws.String("root-usage"),
		FilterPattern:         aws.String(`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`),
		MetricTransformations: []logstypes.MetricTransformation{{MetricName: aws.String("RootAccountUsage"), MetricNamespace: aws.String("CISBenchmark"), MetricValue: aws.String("1")}}})
	s.must("metric filter", err)

	wantVerdict(t, checkOne(t, "root-activity-alert"), "root-activity-alert", steps.StatusUnknown, "cloudwatch:DescribeAlarmsForMetric")
}

// organization makes this moto account the management account of an
// organization with member accounts under one OU.
func (s seeder) organization(members int) (root, ou string, ids []string) {
	oc := organizations.NewFromConfig(s.cfg)
	_, err := oc.CreateOrganization(s.ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
	s.must("organization", err)
	roots, err := oc.ListRoots(s.ctx, &organizations.ListRootsInput{})
	s.must("roots", err)
	root = aws.ToString(roots.Roots[0].Id)
	_, err = oc.EnablePolicyType(s.ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: orgtypes.PolicyTypeServiceControlPolicy})
	s.must("SCP policy type", err)
	unit, err := oc.CreateOrganizationalUnit(s.ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("workloads")})
	s.must("OU", err)
	ou = aws.ToString(unit.OrganizationalUnit.Id)
	for i := range members {
		name := []string{"prod", "dev", "test"}[i]
		_, err := oc.CreateAccount(s.ctx, &organizations.CreateAccountInput{AccountName: aws.String(name), Email: aws.String(name + "@example.com")})
		s.must("account", err)
	}
	accts, err := oc.ListAccounts(s.ctx, &organizations.ListAccountsInput{})
	s.must("accounts", err)
	mgmt := s.account()
	for _, a := range accts.Accounts {
		if id := aws.ToString(a.Id); id != mgmt {
			_, err := oc.MoveAccount(s.ctx, &organizations.MoveAccountInput{AccountId: a.Id, SourceParentId: aws.String(root), DestinationParentId: aws.String(ou)})
			s.must("move account", err)
			ids = append(ids, id)
		}
	}
	return root, ou, ids
}

func (s seeder) scp(name, condition, target string) {
	oc := organizations.NewFromConfig(s.cfg)
	p, err := oc.CreatePolicy(s.ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String("deny root"),
		Type:    orgtypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":` + condition + `}]}`)})
	s.must("SCP", err)
	_, err = oc.AttachPolicy(s.ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: aws.String(target)})
	s.must("attach SCP", err)
}

func TestMotoOrgRootSCP(t *testing.T) {
	const arnLike = `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}`
	for _, tc := range []struct {
		name    string
		seed    func(s seeder, root, ou string, ids []string)
		want    steps.Status
		summary string
	}{
		{"ArnLike on the OU covers every member", func(s seeder, _, ou string, _ []string) { s.scp("DenyRoot", arnLike, ou) },
			steps.StatusPass, "in all 2 member accounts"},
		{"StringEquals takes no wildcards", func(s seeder, root, _ string, _ []string) {
			s.scp("DenyRoot", `{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`, root)
		}, steps.StatusFail, "StringEquals takes no wildcards"},
		{"a region condition narrows it", func(s seeder, root, _ string, _ []string) {
			s.scp("DenyRoot", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, root)
		}, steps.StatusWarn, "aws:RequestedRegion"},
		{"attached to one member only", func(s seeder, _, _ string, ids []string) { s.scp("DenyRoot", arnLike, ids[0]) },
			steps.StatusWarn, "covers 1 of 2 member accounts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newSeeder(t)
			root, ou, ids := s.organization(2)
			tc.seed(s, root, ou, ids)
			wantVerdict(t, checkOne(t, "org-root-scp"), "org-root-scp", tc.want, tc.summary)
		})
	}
}

func TestMotoOrgRootSCPNoMembers(t *testing.T) {
	s, _ := newSeeder(t)
	root, _, _ := s.organization(0)
	s.scp("DenyRoot", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`, root)
	wantVerdict(t, checkOne(t, "org-root-scp"), "org-root-scp", steps.StatusNA, "no member accounts")
}

// Identity Center: an organization instance, a permission set with
// AdministratorAccess provisioned to this account and assigned to a group;
// the group's members decide.
func TestMotoIdentityCenterAdmin(t *testing.T) {
	for _, tc := range []struct {
		name    string
		member  bool
		want    steps.Status
		summary string
	}{
		{"group with a member", true, steps.StatusPass, "IAM Identity Center gives a person full rights here (permission set AdministratorAccess)"},
		{"empty group", false, steps.StatusFail, "assigned only to groups with no members"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newSeeder(t)
			s.organization(0)
			acct := s.account()
			sso := ssoadmin.NewFromConfig(s.cfg)
			ins, err := sso.ListInstances(s.ctx, &ssoadmin.ListInstancesInput{})
			s.must("instances", err)
			if len(ins.Instances) == 0 {
				t.Skip("moto 5.2.1 made no Identity Center instance")
			}
			in := ins.Instances[0]
			// Without an explicit SessionDuration moto answers with the number
			// 3600 where AWS sends "PT1H", which the SDK cannot decode.
			ps, err := sso.CreatePermissionSet(s.ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: in.InstanceArn,
				Name: aws.String("AdministratorAccess"), SessionDuration: aws.String("PT1H")})
			s.must("permission set", err)
			set := ps.PermissionSet.PermissionSetArn
			_, err = sso.AttachManagedPolicyToPermissionSet(s.ctx, &ssoadmin.AttachManagedPolicyToPermissionSetInput{InstanceArn: in.InstanceArn,
				PermissionSetArn: set, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
			s.must("managed policy", err)
			ids := identitystore.NewFromConfig(s.cfg)
			g, err := ids.CreateGroup(s.ctx, &identitystore.CreateGroupInput{IdentityStoreId: in.IdentityStoreId, DisplayName: aws.String("Admins")})
			s.must("group", err)
			if tc.member {
				u, err := ids.CreateUser(s.ctx, &identitystore.CreateUserInput{IdentityStoreId: in.IdentityStoreId, UserName: aws.String("alice"),
					DisplayName: aws.String("Alice"), Name: &idstypes.Name{GivenName: aws.String("Alice"), FamilyName: aws.String("Lee")}})
				s.must("user", err)
				_, err = ids.CreateGroupMembership(s.ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: in.IdentityStoreId,
					GroupId: g.GroupId, MemberId: &idstypes.MemberIdMemberUserId{Value: aws.ToString(u.UserId)}})
				s.must("membership", err)
			}
			_, err = sso.CreateAccountAssignment(s.ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: in.InstanceArn, PermissionSetArn: set,
				TargetId: aws.String(acct), TargetType: ssotypes.TargetTypeAwsAccount, PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: g.GroupId})
			s.must("assignment", err)
			// moto lists a permission set as provisioned only after an explicit ProvisionPermissionSet.
			_, err = sso.ProvisionPermissionSet(s.ctx, &ssoadmin.ProvisionPermissionSetInput{InstanceArn: in.InstanceArn, PermissionSetArn: set,
				TargetType: ssotypes.ProvisionTargetTypeAwsAccount, TargetId: aws.String(acct)})
			s.must("provisioning", err)
			wantVerdict(t, checkOne(t, "admin-identity"), "admin-identity", tc.want, tc.summary)
		})
	}
}
