package steps

// Item IDs of the fixes.
const (
	FixPasswordPolicy    = "password-policy"
	FixAlternateContacts = "alternate-contacts"
	FixContactInfo       = "contact-info"
)

// Fixes lists every fix in checklist order: each is defined in its own
// fix_<id>.go file. A planned fix has only its summary and writes.
func Fixes() []Fix {
	return []Fix{
		planned("credential-report", "generate the IAM credential report and summarise it",
			"iam:GenerateCredentialReport"),
		rootAccessKeysFix(),
		alternateContactsFix(),
		contactInfoFix(),
		passwordPolicyFix(),
		s3BlockPublicAccessFix(),
		adminIdentityFix(),
		planned("root-activity-alert", "email an alert when root signs in (EventBridge + SNS, us-east-1)",
			"sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "events:PutRule", "events:PutTargets"),
		planned("budget-alert", "create a monthly cost budget with email alerts", "budgets:ModifyBudget"),
		orgRootAccessFix(),
		orgRootSCPFix(),
	}
}

// planned is a fix that is listed but cannot be applied yet.
func planned(id, summary string, writes ...string) Fix {
	return Fix{ID: id, Summary: summary, Writes: writes}
}
