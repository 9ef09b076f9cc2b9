package awstest

import (
	"net/url"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Protocol is an AWS wire protocol (see each service's serializers.go).
type Protocol string

const (
	ProtocolQuery    Protocol = "awsQuery"   // form POST, XML answer (IAM, STS, SNS)
	ProtocolJSON11   Protocol = "awsJson1_1" // X-Amz-Target, JSON answer
	ProtocolRESTJSON Protocol = "restJson1"  // method and path, JSON answer
	ProtocolRESTXML  Protocol = "restXml"    // method, path and query, XML answer (S3, S3 Control)
	ProtocolCBOR     Protocol = "rpcv2Cbor"  // Smithy RPC v2, CBOR answer (CloudWatch)
)

// Operation is one AWS operation rootguard calls, as the hostile server
// answers it. Output is the SDK's output value: its type shapes the answer.
type Operation struct {
	Name     string // e.g. "ListAccountAliases"
	Protocol Protocol
	Target   string // awsJson: the X-Amz-Target prefix, e.g. "AWSEvents"; CBOR: the service name in the path
	Method   string // restJson, restXml
	Path     string // restJson, restXml, with {Label} segments ({Label+}: the rest of the path)
	// Subresource is the query key an S3 operation is told apart by (GET
	// /{Bucket}?policy: "policy"). An operation without one matches no
	// request that carries a key another operation has as its subresource.
	Subresource string
	// Payload (restXml) is the output member that is the whole body: a
	// structure is its one element, a string the body as it is (S3's
	// bucket policy). Without it the members are in one <OpResult>.
	Payload string
	// Headers (restXml) are the output members AWS sends as response
	// headers, by member name: the header.
	Headers map[string]string
	// Flat (restXml) are the lists AWS writes flattened, by member name:
	// the element each entry is (S3's Rules: one <Rule> per rule) instead
	// of <Rules><member>…</member></Rules>.
	Flat   map[string]string
	Output any
}

func query(name string, out any) Operation {
	return Operation{Name: name, Protocol: ProtocolQuery, Output: out}
}

func json11(target, name string, out any) Operation {
	return Operation{Name: name, Protocol: ProtocolJSON11, Target: target, Output: out}
}

func rest(method, path, name string, out any) Operation {
	return Operation{Name: name, Protocol: ProtocolRESTJSON, Method: method, Path: path, Output: out}
}

func restXML(method, path, name string, out any) Operation {
	return Operation{Name: name, Protocol: ProtocolRESTXML, Method: method, Path: path, Output: out}
}

// s3Op is an S3 bucket operation: path style (the endpoint rootguard's
// tests give S3 is an IP address, so the SDK puts the bucket in the path).
func s3Op(method, subresource, name string, out any) Operation {
	o := restXML(method, "/{Bucket}", name, out)
	o.Subresource = subresource
	return o
}

// withPayload, withHeaders and withFlat set Payload, Headers and Flat.
func (o Operation) withPayload(member string) Operation             { o.Payload = member; return o }
func (o Operation) withHeaders(members map[string]string) Operation { o.Headers = members; return o }
func (o Operation) withFlat(lists map[string]string) Operation      { o.Flat = lists; return o }

func rpcv2(service, name string, out any) Operation {
	return Operation{Name: name, Protocol: ProtocolCBOR, Target: service, Output: out}
}

// Operations is every operation of the awsops API interfaces (api.go);
// a test in awsops fails when one is missing. Adding one is one line.
var Operations = []Operation{
	query("ListAccountAliases", iam.ListAccountAliasesOutput{}),
	query("GetAccountSummary", iam.GetAccountSummaryOutput{}),
	query("GetCredentialReport", iam.GetCredentialReportOutput{}),
	query("GenerateCredentialReport", iam.GenerateCredentialReportOutput{}),
	query("GetAccountPasswordPolicy", iam.GetAccountPasswordPolicyOutput{}),
	query("UpdateAccountPasswordPolicy", iam.UpdateAccountPasswordPolicyOutput{}),
	query("ListVirtualMFADevices", iam.ListVirtualMFADevicesOutput{}),
	query("ListMFADevices", iam.ListMFADevicesOutput{}),
	query("GetAccountAuthorizationDetails", iam.GetAccountAuthorizationDetailsOutput{}),
	query("GetLoginProfile", iam.GetLoginProfileOutput{}),
	query("GetUser", iam.GetUserOutput{}),
	query("ListOrganizationsFeatures", iam.ListOrganizationsFeaturesOutput{}),
	query("EnableOrganizationsRootCredentialsManagement", iam.EnableOrganizationsRootCredentialsManagementOutput{}),
	query("EnableOrganizationsRootSessions", iam.EnableOrganizationsRootSessionsOutput{}),
	// Reads and writes of the admin-identity and root-key fixes (on main).
	query("AddUserToGroup", iam.AddUserToGroupOutput{}),
	query("AttachGroupPolicy", iam.AttachGroupPolicyOutput{}),
	query("CreateGroup", iam.CreateGroupOutput{}),
	query("CreateLoginProfile", iam.CreateLoginProfileOutput{}),
	query("CreateUser", iam.CreateUserOutput{}),
	query("CreateVirtualMFADevice", iam.CreateVirtualMFADeviceOutput{}),
	query("DeleteGroup", iam.DeleteGroupOutput{}),
	query("DeleteLoginProfile", iam.DeleteLoginProfileOutput{}),
	query("DeleteUser", iam.DeleteUserOutput{}),
	query("DeleteVirtualMFADevice", iam.DeleteVirtualMFADeviceOutput{}),
	query("DetachGroupPolicy", iam.DetachGroupPolicyOutput{}),
	query("EnableMFADevice", iam.EnableMFADeviceOutput{}),
	query("GetGroup", iam.GetGroupOutput{}),
	query("ListAttachedGroupPolicies", iam.ListAttachedGroupPoliciesOutput{}),
	query("ListUsers", iam.ListUsersOutput{}),
	query("RemoveUserFromGroup", iam.RemoveUserFromGroupOutput{}),
	query("DeleteAccessKey", iam.DeleteAccessKeyOutput{}),
	query("GetAccessKeyLastUsed", iam.GetAccessKeyLastUsedOutput{}),
	query("ListAccessKeys", iam.ListAccessKeysOutput{}),
	query("UpdateAccessKey", iam.UpdateAccessKeyOutput{}),
	query("ListOpenIDConnectProviders", iam.ListOpenIDConnectProvidersOutput{}),
	query("ListSAMLProviders", iam.ListSAMLProvidersOutput{}),
	query("GetCallerIdentity", sts.GetCallerIdentityOutput{}),
	query("GetTopicAttributes", sns.GetTopicAttributesOutput{}),
	query("ListSubscriptionsByTopic", sns.ListSubscriptionsByTopicOutput{}),
	// The root-activity-alert fix (rootalert.go).
	query("CreateTopic", sns.CreateTopicOutput{}),
	query("DeleteTopic", sns.DeleteTopicOutput{}),
	query("SetTopicAttributes", sns.SetTopicAttributesOutput{}),
	query("Subscribe", sns.SubscribeOutput{}),
	query("Unsubscribe", sns.UnsubscribeOutput{}),
	json11("AWSEvents", "DescribeRule", eventbridge.DescribeRuleOutput{}),
	json11("AWSEvents", "PutRule", eventbridge.PutRuleOutput{}),
	json11("AWSEvents", "DeleteRule", eventbridge.DeleteRuleOutput{}),
	json11("AWSEvents", "PutTargets", eventbridge.PutTargetsOutput{}),
	json11("AWSEvents", "RemoveTargets", eventbridge.RemoveTargetsOutput{}),
	rest("POST", "/getAlternateContact", "GetAlternateContact", account.GetAlternateContactOutput{}),
	rest("POST", "/putAlternateContact", "PutAlternateContact", account.PutAlternateContactOutput{}),
	rest("POST", "/getContactInformation", "GetContactInformation", account.GetContactInformationOutput{}),
	rest("POST", "/putContactInformation", "PutContactInformation", account.PutContactInformationOutput{}),
	rest("POST", "/listRegions", "ListRegions", account.ListRegionsOutput{}),
	json11("AWSOrganizationsV20161128", "DescribeOrganization", organizations.DescribeOrganizationOutput{}),
	json11("AWSOrganizationsV20161128", "ListPolicies", organizations.ListPoliciesOutput{}),
	json11("AWSOrganizationsV20161128", "DescribePolicy", organizations.DescribePolicyOutput{}),
	json11("AWSOrganizationsV20161128", "ListTargetsForPolicy", organizations.ListTargetsForPolicyOutput{}),
	json11("AWSOrganizationsV20161128", "ListAccounts", organizations.ListAccountsOutput{}),
	json11("AWSOrganizationsV20161128", "ListParents", organizations.ListParentsOutput{}),
	// Reads and writes of the org-root-access and org-root-scp fixes.
	json11("AWSOrganizationsV20161128", "ListAWSServiceAccessForOrganization", organizations.ListAWSServiceAccessForOrganizationOutput{}),
	json11("AWSOrganizationsV20161128", "ListRoots", organizations.ListRootsOutput{}),
	json11("AWSOrganizationsV20161128", "ListOrganizationalUnitsForParent", organizations.ListOrganizationalUnitsForParentOutput{}),
	json11("AWSOrganizationsV20161128", "EnableAWSServiceAccess", organizations.EnableAWSServiceAccessOutput{}),
	json11("AWSOrganizationsV20161128", "EnablePolicyType", organizations.EnablePolicyTypeOutput{}),
	json11("AWSOrganizationsV20161128", "CreatePolicy", organizations.CreatePolicyOutput{}),
	json11("AWSOrganizationsV20161128", "UpdatePolicy", organizations.UpdatePolicyOutput{}),
	json11("AWSOrganizationsV20161128", "DeletePolicy", organizations.DeletePolicyOutput{}),
	json11("AWSOrganizationsV20161128", "AttachPolicy", organizations.AttachPolicyOutput{}),
	json11("AWSOrganizationsV20161128", "DetachPolicy", organizations.DetachPolicyOutput{}),
	json11("AWSEvents", "ListRules", eventbridge.ListRulesOutput{}),
	json11("AWSEvents", "ListTargetsByRule", eventbridge.ListTargetsByRuleOutput{}),
	json11("CloudTrail_20131101", "DescribeTrails", cloudtrail.DescribeTrailsOutput{}),
	json11("CloudTrail_20131101", "GetTrailStatus", cloudtrail.GetTrailStatusOutput{}),
	json11("CloudTrail_20131101", "GetEventSelectors", cloudtrail.GetEventSelectorsOutput{}),
	json11("CloudTrail_20131101", "LookupEvents", cloudtrail.LookupEventsOutput{}),
	json11("CloudTrail_20131101", "CreateTrail", cloudtrail.CreateTrailOutput{}),
	json11("CloudTrail_20131101", "DeleteTrail", cloudtrail.DeleteTrailOutput{}),
	json11("CloudTrail_20131101", "UpdateTrail", cloudtrail.UpdateTrailOutput{}),
	json11("CloudTrail_20131101", "PutEventSelectors", cloudtrail.PutEventSelectorsOutput{}),
	json11("CloudTrail_20131101", "StartLogging", cloudtrail.StartLoggingOutput{}),
	json11("Logs_20140328", "DescribeMetricFilters", cloudwatchlogs.DescribeMetricFiltersOutput{}),
	json11("TrentService", "DescribeKey", kms.DescribeKeyOutput{}),
	json11("TrentService", "GetKeyPolicy", kms.GetKeyPolicyOutput{}),
	json11("AWSIdentityStore", "ListGroupMemberships", identitystore.ListGroupMembershipsOutput{}),
	rest("GET", "/detector", "ListDetectors", guardduty.ListDetectorsOutput{}),
	rest("GET", "/detector/{DetectorId}", "GetDetector", guardduty.GetDetectorOutput{}),
	rest("POST", "/detector", "CreateDetector", guardduty.CreateDetectorOutput{}),
	rest("POST", "/detector/{DetectorId}", "UpdateDetector", guardduty.UpdateDetectorOutput{}),
	json11("AWSBudgetServiceGateway", "DescribeBudgets", budgets.DescribeBudgetsOutput{}),
	json11("AWSBudgetServiceGateway", "DescribeNotificationsForBudget", budgets.DescribeNotificationsForBudgetOutput{}),
	json11("AWSBudgetServiceGateway", "DescribeSubscribersForNotification", budgets.DescribeSubscribersForNotificationOutput{}),
	// The budget-alert fix (budgetfix.go).
	json11("AWSBudgetServiceGateway", "DescribeBudget", budgets.DescribeBudgetOutput{}),
	json11("AWSBudgetServiceGateway", "CreateBudget", budgets.CreateBudgetOutput{}),
	json11("AWSBudgetServiceGateway", "UpdateBudget", budgets.UpdateBudgetOutput{}),
	json11("AWSBudgetServiceGateway", "DeleteBudget", budgets.DeleteBudgetOutput{}),
	json11("AWSBudgetServiceGateway", "CreateNotification", budgets.CreateNotificationOutput{}),
	json11("AWSBudgetServiceGateway", "DeleteNotification", budgets.DeleteNotificationOutput{}),
	json11("AWSBudgetServiceGateway", "CreateSubscriber", budgets.CreateSubscriberOutput{}),
	json11("AWSBudgetServiceGateway", "DeleteSubscriber", budgets.DeleteSubscriberOutput{}),
	rest("GET", "/accounts", "DescribeHub", securityhub.DescribeHubOutput{}),
	json11("SWBExternalService", "ListInstances", ssoadmin.ListInstancesOutput{}),
	json11("SWBExternalService", "ListPermissionSetsProvisionedToAccount", ssoadmin.ListPermissionSetsProvisionedToAccountOutput{}),
	json11("SWBExternalService", "DescribePermissionSet", ssoadmin.DescribePermissionSetOutput{}),
	json11("SWBExternalService", "ListAccountAssignments", ssoadmin.ListAccountAssignmentsOutput{}),
	json11("SWBExternalService", "ListManagedPoliciesInPermissionSet", ssoadmin.ListManagedPoliciesInPermissionSetOutput{}),
	json11("SWBExternalService", "GetInlinePolicyForPermissionSet", ssoadmin.GetInlinePolicyForPermissionSetOutput{}),
	json11("SWBExternalService", "ListCustomerManagedPolicyReferencesInPermissionSet", ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput{}),
	json11("StarlingDoveService", "DescribeConfigurationRecorders", configservice.DescribeConfigurationRecordersOutput{}),
	json11("StarlingDoveService", "DescribeConfigurationRecorderStatus", configservice.DescribeConfigurationRecorderStatusOutput{}),
	restXML("GET", "/v20180820/configuration/publicAccessBlock", "GetPublicAccessBlock", s3control.GetPublicAccessBlockOutput{}).
		withPayload("PublicAccessBlockConfiguration"),
	restXML("PUT", "/v20180820/configuration/publicAccessBlock", "PutPublicAccessBlock", s3control.PutPublicAccessBlockOutput{}),
	// The cloudtrail fix's log bucket (trail_setup.go).
	s3Op("HEAD", "", "HeadBucket", s3.HeadBucketOutput{}).withHeaders(map[string]string{
		"AccessPointAlias": "X-Amz-Access-Point-Alias", "BucketArn": "X-Amz-Bucket-Arn", "BucketLocationName": "X-Amz-Bucket-Location-Name",
		"BucketLocationType": "X-Amz-Bucket-Location-Type", "BucketRegion": "X-Amz-Bucket-Region"}),
	s3Op("PUT", "", "CreateBucket", s3.CreateBucketOutput{}).withHeaders(map[string]string{"BucketArn": "X-Amz-Bucket-Arn", "Location": "Location"}),
	s3Op("DELETE", "", "DeleteBucket", s3.DeleteBucketOutput{}),
	s3Op("GET", "publicAccessBlock", "GetPublicAccessBlock", s3.GetPublicAccessBlockOutput{}).withPayload("PublicAccessBlockConfiguration"),
	s3Op("PUT", "publicAccessBlock", "PutPublicAccessBlock", s3.PutPublicAccessBlockOutput{}),
	s3Op("GET", "encryption", "GetBucketEncryption", s3.GetBucketEncryptionOutput{}).withPayload("ServerSideEncryptionConfiguration").
		withFlat(map[string]string{"Rules": "Rule", "EncryptionType": "EncryptionType"}),
	s3Op("PUT", "encryption", "PutBucketEncryption", s3.PutBucketEncryptionOutput{}),
	s3Op("GET", "policy", "GetBucketPolicy", s3.GetBucketPolicyOutput{}).withPayload("Policy"),
	s3Op("PUT", "policy", "PutBucketPolicy", s3.PutBucketPolicyOutput{}),
	rpcv2("GraniteServiceVersion20100801", "DescribeAlarmsForMetric", cloudwatch.DescribeAlarmsForMetricOutput{}),
}

// Package is the SDK package of the operation's service, e.g.
// "github.com/aws/aws-sdk-go-v2/service/iam".
func (o Operation) Package() string { return reflect.TypeOf(o.Output).PkgPath() }

// String names the operation: "iam ListAccountAliases".
func (o Operation) String() string {
	p := o.Package()
	return p[strings.LastIndexByte(p, '/')+1:] + " " + o.Name
}

// matches reports whether r is a request for the operation.
func (o Operation) matches(r *Request) bool {
	switch o.Protocol {
	case ProtocolQuery:
		return isForm(r.Header) && r.Form().Get("Action") == o.Name
	case ProtocolJSON11:
		return r.Target() == o.Target+"."+o.Name
	case ProtocolCBOR:
		return r.Method == "POST" && r.Path == "/service/"+o.Target+"/operation/"+o.Name &&
			r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor"
	}
	if r.Method != o.Method || r.Target() != "" {
		return false
	}
	return pathMatches(o.Path, r.escapedPath()) && o.subresourceMatches(r)
}

// pathMatches compares an escaped request path with a path template: a
// {Label} is one segment (the SDK escapes a slash in it as %2F), a last
// {Label+} the rest of the path.
func pathMatches(template, path string) bool {
	want, got := strings.Split(template, "/"), strings.Split(path, "/")
	if n := len(want); len(got) > n && strings.HasSuffix(want[n-1], "+}") {
		got = append(got[:n-1], strings.Join(got[n-1:], "/"))
	}
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if want[i] != got[i] && !(strings.HasPrefix(want[i], "{") && got[i] != "") {
			return false
		}
	}
	return true
}

// subresources are the query keys that tell operations apart.
var subresources = func() map[string]bool {
	m := map[string]bool{}
	for _, o := range Operations {
		if o.Subresource != "" {
			m[o.Subresource] = true
		}
	}
	return m
}()

// subresourceMatches: the request carries the operation's subresource, or,
// for an operation without one, none of the known subresources.
func (o Operation) subresourceMatches(r *Request) bool {
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		return false
	}
	if o.Subresource != "" {
		_, ok := q[o.Subresource]
		return ok
	}
	for k := range q {
		if subresources[k] {
			return false
		}
	}
	return true
}

// findOperation returns the operation r asks for.
func findOperation(r *Request) (Operation, bool) {
	for _, o := range Operations {
		if o.matches(r) {
			return o, true
		}
	}
	return Operation{}, false
}
