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
		rootAccessKeysFix(),
		alternateContactsFix(),
		contactInfoFix(),
		passwordPolicyFix(),
		s3BlockPublicAccessFix(),
		adminIdentityFix(),
		rootActivityAlertFix(),
		cloudTrailFix(),
		budgetAlertFix(),
		guardDutyFix(),
		orgRootAccessFix(),
		orgRootSCPFix(),
	}
}

// planned is a fix that is listed but cannot be applied yet.
func planned(id, summary string, writes ...string) Fix {
	return Fix{ID: id, Summary: summary, Writes: writes}
}
