package steps

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Console pages the items link to (aws-api-facts.md §0.3).
const (
	urlSecurityCredentials = "https://console.aws.amazon.com/iam/home#/security_credentials"
	urlAccountSettings     = "https://console.aws.amazon.com/iam/home#/account_settings"
	urlCredentialReport    = "https://console.aws.amazon.com/iam/home#/credential_report"
	urlIAMUsers            = "https://console.aws.amazon.com/iam/home#/users"
	urlRootAccessMgmt      = "https://console.aws.amazon.com/iam/home#/root-access-management"
	urlAccountPage         = "https://console.aws.amazon.com/billing/home#/account"
	urlBudgets             = "https://us-east-1.console.aws.amazon.com/costmanagement/home#/budgets"
	urlIdentityCenter      = "https://console.aws.amazon.com/singlesignon/home"
	urlCloudTrail          = "https://console.aws.amazon.com/cloudtrail/home#/trails"
	urlEventBridgeRules    = "https://us-east-1.console.aws.amazon.com/events/home?region=us-east-1#/rules"
	urlGuardDuty           = "https://console.aws.amazon.com/guardduty/home"
	urlSecurityHub         = "https://console.aws.amazon.com/securityhub/home"
	urlSCPs                = "https://console.aws.amazon.com/organizations/v2/home/policies/service-control-policy"
)

// RootPasswordAttestValidity is how long "I changed the root password" holds.
const RootPasswordAttestValidity = 90 * 24 * time.Hour

// All returns every checklist item in wizard order (checklist.md; the
// `caller` header is not an item).
func All() []Item {
	items := checklist()
	for i := range items {
		fix, ok := FixFor(items[i].ID)
		items[i].Fixable = ok && fix.Available()
	}
	return items
}

func checklist() []Item {
	return []Item{
		{
			ID: "credential-report", Phase: PhaseKnow, Kind: KindGuided, Severity: SeverityMedium,
			Title:      "Review the IAM credential report",
			Why:        "The credential report lists every user of the account with its passwords, MFA and access keys.\nReading it once shows forgotten users, old keys and logins without MFA.",
			ConsoleURL: urlCredentialReport,
			Check:      checkCredentialReport,
			Export:     credentialReportExport,
		},
		{
			ID: "root-mfa", Phase: PhaseRoot, Kind: KindGuided, Severity: SeverityCritical,
			RootOnly:   true,
			Title:      "Turn on MFA for the root user",
			Why:        "The root user can do anything, including closing the account, and cannot be restricted.\nWith MFA, a stolen root password alone is not enough to sign in.",
			ConsoleURL: urlSecurityCredentials,
			Check:      checkRootMFA,
		},
		{
			ID: "root-mfa-strength", Phase: PhaseRoot, Kind: KindGuided, Severity: SeverityMedium,
			RootOnly: true, MarkWhenUnseen: true,
			Title:      "Use a strong root MFA device, with a backup",
			Why:        "Codes from an authenticator app can be phished; a passkey or security key cannot.\nA second device keeps you from being locked out when one is lost.",
			ConsoleURL: urlSecurityCredentials,
			Check:      checkRootMFAStrength,
		},
		{
			ID: "root-access-keys", Phase: PhaseRoot, Kind: KindGuided, Severity: SeverityCritical,
			RootOnly:   true,
			Title:      "Delete the root user's access keys",
			Why:        "A root access key gives full, unrestricted control of the account to whoever holds it.\nKeys leak through code, laptops and logs; root should have none.",
			ConsoleURL: urlSecurityCredentials,
			Check:      checkRootAccessKeys,
		},
		{
			ID: "root-signing-certs", Phase: PhaseRoot, Kind: KindGuided, Severity: SeverityMedium,
			RootOnly:   true,
			Title:      "Remove root signing certificates",
			Why:        "X.509 signing certificates are an old way to sign requests as the root user.\nAlmost nobody needs them, and each one is another root credential that can leak.",
			ConsoleURL: urlSecurityCredentials,
			Check:      checkRootSigningCerts,
		},
		{
			ID: "root-usage", Phase: PhaseRoot, Kind: KindGuided, Severity: SeverityHigh,
			Title:      "Stop using the root user for daily work",
			Why:        "Every root sign-in risks the one identity that cannot be limited.\nOnce you have an admin identity, keep root for the few tasks only root can do.",
			ConsoleURL: urlSecurityCredentials,
			Check:      checkRootUsage,
		},
		{
			ID: "root-password", Phase: PhaseRoot, Kind: KindAttest, Severity: SeverityHigh,
			RootOnly:       true,
			Title:          "Give root a long, unique password",
			Why:            "The root password is the first key to the whole account, and no API can tell how strong it is.\nUse a long, unique password kept in a password manager.",
			ConsoleURL:     urlSecurityCredentials,
			AttestValidity: RootPasswordAttestValidity,
			Check:          checkRootPassword,
		},
		{
			ID: "root-email", Phase: PhaseRoot, Kind: KindAttest, Severity: SeverityHigh,
			RootOnly:   true,
			Title:      "Use a business-controlled root email",
			Why:        "Whoever reads the root email can reset the root password.\nIt should be a group address your business controls and uses for nothing else.",
			ConsoleURL: urlAccountPage,
			Check:      checkRootEmail,
		},
		{
			ID: "root-recovery", Phase: PhaseRoot, Kind: KindAttest, Severity: SeverityMedium,
			Title:      "Keep root recovery email and phone current",
			Why:        "The account email and phone number are how you get back in after losing the MFA device.\nIf they are out of date, a lost device can mean a lost account.",
			ConsoleURL: urlAccountPage,
			Check:      checkRootRecovery,
		},
		{
			ID: "root-multi-person", Phase: PhaseRoot, Kind: KindAttest, Severity: SeverityLow,
			Title:      "Split root password and MFA between two people",
			Why:        "When one person holds the password and another the MFA device, nobody can sign in as root alone.\nThis matters most for companies.",
			ConsoleURL: urlSecurityCredentials,
			Check:      checkRootMultiPerson,
		},
		{
			ID: "security-questions", Phase: PhaseRoot, Kind: KindInfo, Severity: SeverityInfo,
			Title:      "Security challenge questions (retired)",
			Why:        "AWS used to let you recover root with security questions.\nThey are retired; MFA and current contact details have taken their place.",
			ConsoleURL: urlAccountPage,
			Check:      checkSecurityQuestions,
		},
		{
			ID: "alternate-contacts", Phase: PhaseSettings, Kind: KindAuto, Severity: SeverityHigh,
			Title:      "Set security, billing and operations contacts",
			Why:        "AWS sends security notices, bills and maintenance news to these contacts.\nWithout a security contact, a warning about your account may reach nobody.",
			ConsoleURL: urlAccountPage,
			Check:      checkAlternateContacts,
		},
		{
			ID: "contact-info", Phase: PhaseSettings, Kind: KindAuto, Severity: SeverityMedium,
			Title:      "Keep the account contact details current",
			Why:        "The primary contact is how AWS reaches you and how you prove ownership to recover root.\nIt needs a full name, an address and a phone number in international format.",
			ConsoleURL: urlAccountPage,
			Check:      checkContactInfo,
		},
		{
			ID: "password-policy", Phase: PhaseSettings, Kind: KindAuto, Severity: SeverityHigh,
			Title:      "Require strong IAM user passwords",
			Why:        "The password policy sets the rules for every IAM user's console password.\nThe AWS default allows 8-character passwords and reusing old ones.",
			ConsoleURL: urlAccountSettings,
			Check:      checkPasswordPolicy,
		},
		{
			ID: "s3-block-public-access", Phase: PhaseSettings, Kind: KindAuto, Severity: SeverityHigh,
			Title:      "Block public S3 access for the whole account",
			Why:        "Account-level S3 Block Public Access keeps any bucket or object from being made public, even by mistake.\nMany data leaks start with one bucket opened to the internet.",
			ConsoleURL: urlS3BlockPublicAccess,
			Check:      checkS3BlockPublicAccess,
		},
		{
			ID: "admin-identity", Phase: PhaseIdentity, Kind: KindAuto, Severity: SeverityHigh,
			Title:      "Create a daily-use admin identity",
			Why:        "You need an administrator other than root so that root can stay locked away.\nIAM Identity Center or an IAM user with MFA both work.",
			ConsoleURL: urlIAMUsers,
			Check:      checkAdminIdentity,
		},
		{
			ID: "iam-users-mfa", Phase: PhaseIdentity, Kind: KindGuided, Severity: SeverityHigh,
			Title:      "Require MFA for IAM users with a password",
			Why:        "A console password without MFA can be guessed, phished or reused from another site.\nEvery IAM user who signs in to the console should have MFA.",
			ConsoleURL: urlIAMUsers,
			Check:      checkIAMUsersMFA,
		},
		{
			ID: "access-key-hygiene", Phase: PhaseIdentity, Kind: KindGuided, Severity: SeverityMedium,
			Title:      "Rotate or delete old access keys",
			Why:        "Long-lived access keys leak and keep working until someone deletes them.\nKeys older than 90 days or unused for 45 days should be rotated or removed.",
			ConsoleURL: urlIAMUsers,
			Check:      checkAccessKeyHygiene,
		},
		{
			ID: "root-activity-alert", Phase: PhaseWatch, Kind: KindAuto, Severity: SeverityHigh,
			Title:      "Get an email when someone signs in as root",
			Why:        "Root should almost never be used, so every root sign-in is worth knowing about.\nAn alert by email tells you at once if it was not you.",
			ConsoleURL: urlEventBridgeRules,
			Check:      checkRootActivityAlert,
		},
		{
			ID: "cloudtrail", Phase: PhaseWatch, Kind: KindAuto, Severity: SeverityHigh,
			Title:      "Record account activity with CloudTrail",
			Why:        "A multi-region trail keeps a record of who did what, in every region.\nRoot sign-in alerts and any investigation depend on it.",
			ConsoleURL: urlCloudTrail,
			Check:      checkCloudTrail,
		},
		{
			ID: "budget-alert", Phase: PhaseWatch, Kind: KindAuto, Severity: SeverityMedium,
			Title:      "Get an email before the bill surprises you",
			Why:        "A cost budget with an email alert warns you when spending climbs, e.g. from a leaked key mining crypto.\nBudget alerts are free.",
			ConsoleURL: urlBudgets,
			Check:      checkBudgetAlert,
		},
		{
			ID: "guardduty", Phase: PhaseWatch, Kind: KindAuto, Severity: SeverityMedium,
			Title:      "Turn on GuardDuty threat detection",
			Why:        "GuardDuty watches account activity for signs of compromise, such as stolen keys used from odd places.\nIt has a 30-day free trial, then costs depend on usage.",
			ConsoleURL: urlGuardDuty,
			Check:      checkGuardDuty,
		},
		{
			ID: "detective-services", Phase: PhaseWatch, Kind: KindInfo, Severity: SeverityInfo,
			Title:      "Security Hub and AWS Config",
			Why:        "Security Hub and AWS Config continuously check settings like the ones in this list.\nThey are useful for larger accounts, and they cost money.",
			ConsoleURL: urlSecurityHub,
			Check:      checkDetectiveServices,
		},
		{
			ID: "org-root-access", Phase: PhaseOrganizations, Kind: KindAuto, Severity: SeverityHigh, OrgOnly: true,
			Title:      "Manage member accounts' root access centrally",
			Why:        "With centralized root access, member accounts need no root password or MFA of their own.\nRoot tasks are then done briefly from the management account.",
			ConsoleURL: urlRootAccessMgmt,
			Check:      checkOrgRootAccess,
		},
		{
			ID: "org-root-scp", Phase: PhaseOrganizations, Kind: KindAuto, Severity: SeverityHigh, OrgOnly: true,
			Title:      "Block root in member accounts with an SCP",
			Why:        "A service control policy can deny every action by a member account's root user.\nEven a stolen member root password then cannot do harm.",
			ConsoleURL: urlSCPs,
			Check:      checkOrgRootSCP,
		},
	}
}

// Lookup returns the item with the given id.
func Lookup(id string) (Item, bool) {
	for _, it := range All() {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// IDs returns every item id in checklist order.
func IDs() []string {
	items := All()
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// Select keeps the items named in only (all when only is empty) minus those
// in skip, in the order of items. An id that is not among items is an error.
func Select(items []Item, only, skip []string) ([]Item, error) {
	known := make(map[string]bool, len(items))
	for _, it := range items {
		known[it.ID] = true
	}
	check := func(ids []string) (map[string]bool, error) {
		set := map[string]bool{}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if !known[id] {
				return nil, fmt.Errorf("unknown check %q (known: %s)", id, strings.Join(idsOf(items), ", "))
			}
			set[id] = true
		}
		return set, nil
	}
	onlySet, err := check(only)
	if err != nil {
		return nil, err
	}
	skipSet, err := check(skip)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, it := range items {
		if (len(onlySet) == 0 || onlySet[it.ID]) && !skipSet[it.ID] {
			out = append(out, it)
		}
	}
	return out, nil
}

func idsOf(items []Item) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// ---- helpers shared by the checks ----

func kv(key, value string) Evidence { return Evidence{Key: key, Value: value} }

func kvInt(key string, v int) Evidence { return Evidence{Key: key, Value: strconv.Itoa(v)} }

func kvBool(key string, v bool) Evidence { return Evidence{Key: key, Value: strconv.FormatBool(v)} }

// fmtDay shows a date the way the checklist does: 2026-11-02.
func fmtDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

// daysSince counts whole days from t to now.
func daysSince(now, t time.Time) int { return int(now.Sub(t).Hours() / 24) }

// unexpectedAnswer is the verdict when AWS answered, but not in a way the
// check can judge. Like an error, it never becomes a pass.
func unexpectedAnswer(what, detail string) Result {
	return Result{
		Status:   StatusUnknown,
		Summary:  fmt.Sprintf("unexpected answer for %s: %s", what, detail),
		Evidence: []Evidence{kv("error", "unexpected answer")},
		Todo:     "Re-check; if it persists, please report it as a rootguard bug with this summary.",
		Err:      errors.New(detail),
	}
}

// attestResult turns the user's attestation of an item into a verdict:
// none → manual, too old → manual with the reason, else attested.
func attestResult(f *Facts, id string, validity time.Duration, ask, todo string) Result {
	a, ok := f.Attestation(id)
	if !ok {
		return Result{Status: StatusManual, Summary: ask, Todo: todo}
	}
	if validity > 0 && f.Now().Sub(a.At) > validity {
		return Result{
			Status:   StatusManual,
			Summary:  fmt.Sprintf("your attestation of %s is older than %d days", fmtDay(a.At), int(validity.Hours()/24)),
			Evidence: []Evidence{kv("attested_on", fmtDay(a.At)), kv("valid_for", fmt.Sprintf("%d days", int(validity.Hours()/24)))},
			Todo:     todo + " Then mark it done again.",
		}
	}
	r := Result{
		Status:   StatusAttested,
		Summary:  "marked done on " + fmtDay(a.At),
		Evidence: []Evidence{kv("attested_on", fmtDay(a.At))},
	}
	if validity > 0 {
		r.Evidence = append(r.Evidence, kv("ask_again_on", fmtDay(a.At.Add(validity))))
	}
	if a.Note != "" {
		r.Details = []string{"Note: " + a.Note}
	}
	return r
}

// concurrently runs independent reads at once and waits for all of them, so
// a check that needs several facts costs its slowest read, not their sum.
// A panic in a read is raised again in the caller once every read is done,
// where CheckOne turns it into an unknown verdict.
func concurrently(reads ...func()) {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		panicked any
	)
	for _, read := range reads {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					if panicked == nil {
						panicked = p
					}
					mu.Unlock()
				}
			}()
			read()
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// plural returns "1 user" or "3 users".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// listOf joins names for a one-line summary, eliding after max.
func listOf(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}

// joinOr returns "a", "a or b" or "a, b or c".
func joinOr(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
