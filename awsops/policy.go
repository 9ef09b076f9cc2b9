package awsops

import (
	"encoding/json"
	"slices"
	"sort"
)

// Permission is one IAM action rootguard needs and why.
type Permission struct {
	Action string
	Why    string
}

// readPermissions are the actions behind every Reader method.
// sts:GetCallerIdentity needs no permission and is not listed.
var readPermissions = []Permission{
	{"iam:ListAccountAliases", "show the account alias next to the account ID"},
	{"iam:GetAccountSummary", "see whether root has MFA, access keys and signing certificates"},
	{"iam:GetCredentialReport", "read the credential report (root and user credential use)"},
	{"iam:GenerateCredentialReport", "ask for a fresh credential report when the last one is over 4 hours old"},
	{"iam:GetAccountPasswordPolicy", "read the IAM password policy"},
	{"iam:ListVirtualMFADevices", "tell a virtual (app) root MFA from a hardware or passkey one"},
	{"iam:ListMFADevices", "count MFA devices of the caller and of admin users"},
	{"iam:GetAccountAuthorizationDetails", "find users and roles whose policies grant full rights, and what cuts them down"},
	{"iam:GetLoginProfile", "see whether a user can sign in to the console"},
	{"iam:ListUsers", "judge users created after the credential report from live reads"},
	{"iam:ListAccessKeys", "read a user's access keys live"},
	{"iam:GetAccessKeyLastUsed", "see when a user's access key was last used (live)"},
	{"iam:ListSAMLProviders", "find SAML federation that reaches an admin role"},
	{"iam:ListOpenIDConnectProviders", "find OIDC federation that reaches an admin role"},
	{"iam:ListOrganizationsFeatures", "see whether centralized root access is enabled (management account)"},
	{"account:GetAlternateContact", "read the security, billing and operations contacts"},
	{"account:GetContactInformation", "read the primary contact (root recovery details)"},
	{"sso:ListInstances", "see whether IAM Identity Center is set up"},
	{"sso:ListPermissionSetsProvisionedToAccount", "see which Identity Center permission sets reach this account"},
	{"sso:DescribePermissionSet", "name those permission sets"},
	{"sso:ListAccountAssignments", "see who is assigned each permission set for this account"},
	{"sso:ListManagedPoliciesInPermissionSet", "see whether a permission set grants full rights"},
	{"sso:GetInlinePolicyForPermissionSet", "see whether a permission set grants full rights"},
	{"sso:ListCustomerManagedPolicyReferencesInPermissionSet", "see whether a permission set grants full rights"},
	{"identitystore:ListGroupMemberships", "see whether an assigned Identity Center group has members"},
	{"account:ListRegions", "find every enabled region (GuardDuty coverage, IAM Identity Center)"},
	{"organizations:DescribeOrganization", "see whether the account is in an organization"},
	{"organizations:ListPolicies", "list service control policies (management account)"},
	{"organizations:DescribePolicy", "read SCP content to see whether it denies member-account root"},
	{"organizations:ListTargetsForPolicy", "see where each SCP is attached"},
	{"organizations:ListAccounts", "see which member accounts the root-deny SCP must cover"},
	{"organizations:ListParents", "see which OUs each member account sits under"},
	{"events:ListRules", "find EventBridge rules alerting on root sign-in (us-east-1)"},
	{"events:ListTargetsByRule", "see where those alerts are sent"},
	{"sns:ListSubscriptionsByTopic", "see whether the alert topic has a confirmed subscription"},
	{"sns:GetTopicAttributes", "see whether the topic policy lets EventBridge publish, and its encryption key"},
	{"kms:DescribeKey", "see whether the alert topic's key is customer managed and enabled"},
	{"kms:GetKeyPolicy", "see whether the alert topic's key lets EventBridge use it"},
	{"logs:DescribeMetricFilters", "find a CloudWatch Logs metric filter for root use (CIS alarm route)"},
	{"cloudwatch:DescribeAlarmsForMetric", "find the alarm on that metric and where it notifies"},
	{"cloudtrail:DescribeTrails", "find CloudTrail trails (sign-in alerts depend on them)"},
	{"cloudtrail:GetTrailStatus", "see whether each trail is logging, and delivery errors"},
	{"cloudtrail:GetEventSelectors", "see whether each trail records management events, reads and writes"},
	{"cloudtrail:LookupEvents", "show the root user's recent console sign-ins (event history, us-east-1)"},
	{"guardduty:ListDetectors", "see whether GuardDuty is enabled in each region"},
	{"guardduty:GetDetector", "see whether the GuardDuty detector is enabled"},
	{"budgets:ViewBudget", "read budgets, their notifications and subscribers"},
	{"securityhub:DescribeHub", "see whether Security Hub is enabled"},
	{"config:DescribeConfigurationRecorders", "see whether AWS Config has a recorder"},
	{"config:DescribeConfigurationRecorderStatus", "see whether the AWS Config recorder is recording"},
	{"s3:GetAccountPublicAccessBlock", "read the account-level S3 Block Public Access settings"},
}

// fixPermissions are the actions behind every Writer method.
var fixPermissions = []Permission{
	{"iam:UpdateAccountPasswordPolicy", "apply the recommended password policy"},
	{"account:PutAlternateContact", "set the security, billing and operations contacts"},
	{"account:PutContactInformation", "update the primary contact"},
	{"iam:ListUsers", "check that a new administrator's name is free"},
	{"iam:GetGroup", "reuse an existing Administrators group"},
	{"iam:ListAttachedGroupPolicies", "see whether the Administrators group has AdministratorAccess"},
	{"iam:CreateGroup", "create the Administrators group"},
	{"iam:AttachGroupPolicy", "give the Administrators group AdministratorAccess"},
	{"iam:CreateUser", "create the daily-use administrator"},
	{"iam:AddUserToGroup", "put the administrator in the Administrators group"},
	{"iam:CreateLoginProfile", "give the administrator a console password"},
	{"iam:CreateVirtualMFADevice", "create the administrator's MFA device"},
	{"iam:EnableMFADevice", "enable the MFA device with two codes"},
	{"iam:DeleteVirtualMFADevice", "remove an MFA device left unassigned by a stopped fix"},
	{"iam:DeleteLoginProfile", "undo: remove a password a failed fix created"},
	{"iam:RemoveUserFromGroup", "undo: take a user a failed fix created out of the group"},
	{"iam:DeleteUser", "undo: remove a user a failed fix created"},
	{"iam:DetachGroupPolicy", "undo: detach the policy a failed fix attached"},
	{"iam:DeleteGroup", "undo: remove a group a failed fix created"},
	{"s3:PutAccountPublicAccessBlock", "turn on all four account-level S3 Block Public Access settings"},
	{"iam:ListAccessKeys", "list the root user's access keys (only when rootguard runs as root)"},
	{"iam:GetAccessKeyLastUsed", "show where and when each root access key was last used"},
	{"iam:UpdateAccessKey", "deactivate a root access key other than the one in use"},
	{"iam:DeleteAccessKey", "delete a root access key other than the one in use"},
	{"s3:ListBucket", "see whether the trail's log bucket exists already (HeadBucket)"},
	{"s3:GetBucketPublicAccessBlock", "see whether an existing log bucket blocks public access"},
	{"s3:GetEncryptionConfiguration", "see whether an existing log bucket is encrypted"},
	{"s3:GetBucketPolicy", "see whether an existing log bucket lets CloudTrail write"},
	{"s3:CreateBucket", "create the trail's log bucket"},
	{"s3:PutBucketPublicAccessBlock", "block public access to the log bucket"},
	{"s3:PutEncryptionConfiguration", "encrypt the log bucket (SSE-S3)"},
	{"s3:PutBucketPolicy", "let CloudTrail write this trail's logs to the bucket"},
	{"s3:DeleteBucket", "undo: remove a log bucket a failed fix created"},
	{"cloudtrail:CreateTrail", "create the multi-region trail"},
	{"cloudtrail:UpdateTrail", "make an existing single-region trail multi-region"},
	{"cloudtrail:PutEventSelectors", "make a trail record all management events, reads and writes"},
	{"cloudtrail:StartLogging", "start a trail that is stopped or new"},
	{"cloudtrail:DeleteTrail", "undo: remove a trail a failed fix created"},
	{"guardduty:CreateDetector", "enable GuardDuty in a region"},
	{"guardduty:UpdateDetector", "re-enable a suspended GuardDuty detector"},
	{"iam:CreateServiceLinkedRole", "let GuardDuty make its service-linked role with the first detector"},
	{"events:DescribeRule", "read the root alert rule rootguard made, to reuse or repair it"},
	{"sns:CreateTopic", "create the root alert's SNS topic (us-east-1)"},
	{"sns:SetTopicAttributes", "let EventBridge publish to the root alert topic (its topic policy)"},
	{"sns:Subscribe", "subscribe your email address to the root alert topic"},
	{"events:PutRule", "create or repair the EventBridge rule for root sign-ins (us-east-1)"},
	{"events:PutTargets", "send the rule's events to the root alert topic"},
	{"sns:Unsubscribe", "undo: remove a subscription a failed fix made"},
	{"sns:DeleteTopic", "undo: remove a topic a failed fix made"},
	{"events:RemoveTargets", "undo: remove a target a failed fix added"},
	{"events:DeleteRule", "undo: remove a rule a failed fix made"},
	{"budgets:ModifyBudget", "create or repair the monthly cost budget and its email alerts"},
	{"organizations:ListAWSServiceAccessForOrganization", "see whether IAM has trusted access in Organizations (management account)"},
	{"organizations:EnableAWSServiceAccess", "give IAM trusted access in Organizations, for centralized root access"},
	{"iam:EnableOrganizationsRootCredentialsManagement", "manage member accounts' root credentials centrally"},
	{"iam:EnableOrganizationsRootSessions", "run short root tasks in member accounts from the management account"},
	{"organizations:ListRoots", "find the organization root and whether SCPs are enabled on it"},
	{"organizations:ListOrganizationalUnitsForParent", "list the OUs an SCP can be attached to"},
	{"organizations:EnablePolicyType", "enable service control policies on the organization root"},
	{"organizations:CreatePolicy", "create the SCP that denies member-account root"},
	{"organizations:UpdatePolicy", "repair rootguard's SCP when its content was changed"},
	{"organizations:AttachPolicy", "attach the SCP to the organization root or the chosen OUs"},
	{"organizations:DetachPolicy", "undo: detach the SCP a failed fix attached"},
	{"organizations:DeletePolicy", "undo: delete the SCP a failed fix created"},
}

// RequiredPermissions lists every action the checks (reads) need.
func RequiredPermissions() []Permission {
	return append([]Permission(nil), readPermissions...)
}

// FixPermissions lists every action the automated fixes (writes) need.
func FixPermissions() []Permission {
	return append([]Permission(nil), fixPermissions...)
}

type policyDocument struct {
	Version   string
	Statement []policyDocStatement
}

type policyDocStatement struct {
	Sid      string
	Effect   string
	Action   []string
	Resource string
}

// PolicyJSON returns a least-privilege IAM policy for rootguard: the read
// actions, plus the fix actions when includeFixes is set. It has no
// trailing newline.
func PolicyJSON(includeFixes bool) string {
	var writes []string
	if includeFixes {
		writes = actions(fixPermissions)
	}
	return PolicyJSONWith(writes)
}

// PolicyJSONWith is the policy with the read actions and these write
// actions (the fixes' own list; none: reads only), sorted and without
// repeats. It has no trailing newline.
func PolicyJSONWith(writes []string) string {
	doc := policyDocument{Version: "2012-10-17"}
	doc.Statement = append(doc.Statement, policyDocStatement{
		Sid: "RootguardChecks", Effect: "Allow", Action: actions(readPermissions), Resource: "*",
	})
	if len(writes) > 0 {
		w := append([]string(nil), writes...)
		sort.Strings(w)
		doc.Statement = append(doc.Statement, policyDocStatement{
			Sid: "RootguardFixes", Effect: "Allow", Action: slices.Compact(w), Resource: "*",
		})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // static data: cannot fail
	}
	return string(b)
}

func actions(ps []Permission) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Action)
	}
	sort.Strings(out)
	return out
}
