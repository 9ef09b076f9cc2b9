package steps

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// summaryFlag reads a 0/1 key of GetAccountSummary. A missing key or any
// other value is an unexpected answer, never a zero.
func summaryFlag(s awsops.AccountSummary, key string) (bool, *Result) {
	v, ok := s.Get(key)
	if !ok {
		r := unexpectedAnswer("the account summary", "GetAccountSummary did not report "+key)
		return false, &r
	}
	switch v {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	r := unexpectedAnswer("the account summary", fmt.Sprintf("%s = %d (expected 0 or 1)", key, v))
	return false, &r
}

// organizationOf reads the organization; "Organizations not in use" means
// no organization.
func organizationOf(ctx context.Context, f *Facts) (*awsops.Organization, error) {
	org, err := f.Organization(ctx)
	if awsops.KindOf(err) == awsops.KindNotEnabled {
		return nil, nil
	}
	return org, err
}

func checkRootMFA(ctx context.Context, f *Facts) Result {
	sum, err := f.AccountSummary(ctx)
	if err != nil {
		return Unknown("the account summary (root MFA)", err)
	}
	on, bad := summaryFlag(sum, awsops.SummaryAccountMFAEnabled)
	if bad != nil {
		return *bad
	}
	if on {
		return Result{Status: StatusPass, Summary: "the root user has MFA",
			Evidence: []Evidence{kv(awsops.SummaryAccountMFAEnabled, "1")}}
	}
	r := Result{
		Status:   StatusFail,
		Summary:  "the root user has no MFA",
		Evidence: []Evidence{kv(awsops.SummaryAccountMFAEnabled, "0")},
		Todo: "First check that the account's email and phone are current (they are how you recover a lost MFA device). " +
			"Then sign in as root, open Security credentials and assign a passkey or security key.",
	}
	if none, ev, detail := rootHasNoCredentials(ctx, f, sum); none {
		return Result{
			Status:   StatusNA,
			Summary:  "this account's root has no password, keys or certificates",
			Evidence: append([]Evidence{kv(awsops.SummaryAccountMFAEnabled, "0")}, ev...),
			Details:  []string{"With no credentials, the root user cannot sign in, so there is no MFA to add. Root tasks are done from the management account (centralized root access) or after a password reset."},
		}
	} else if detail != "" {
		r.Details = append(r.Details, detail)
	}
	return r
}

// rootHasNoCredentials reports whether this is an Organizations member
// account whose root user has no password, access keys or signing
// certificates (a member account cannot see who removed them).
func rootHasNoCredentials(ctx context.Context, f *Facts, sum awsops.AccountSummary) (bool, []Evidence, string) {
	pw, okPw := sum.Get(awsops.SummaryAccountPasswordPresent)
	keys, okKeys := sum.Get(awsops.SummaryAccountAccessKeysPresent)
	certs, okCerts := sum.Get(awsops.SummaryAccountSigningCerts)
	if !okPw || !okKeys || !okCerts || pw != 0 || keys != 0 || certs != 0 {
		return false, nil, ""
	}
	var (
		org    *awsops.Organization
		orgErr error
		id     awsops.Identity
		idErr  error
	)
	concurrently(
		func() { org, orgErr = organizationOf(ctx, f) },
		func() { id, idErr = f.Identity(ctx) },
	)
	if orgErr != nil || idErr != nil {
		err := orgErr
		if err == nil {
			err = idErr
		}
		return false, nil, "Root has no password either; could not check whether the organization removed root credentials: " + err.Error()
	}
	if org == nil || org.ManagementAccountID == id.Account {
		return false, nil, ""
	}
	return true, []Evidence{
		kv(awsops.SummaryAccountPasswordPresent, "0"),
		kv(awsops.SummaryAccountAccessKeysPresent, "0"),
		kv(awsops.SummaryAccountSigningCerts, "0"),
		kv("management_account", org.ManagementAccountID),
	}, ""
}

// isRootVirtualMFA recognises root's virtual device by its user ARN, or by
// the serial number of the classic root device (CIS audit procedure).
func isRootVirtualMFA(d awsops.VirtualMFADevice) bool {
	return strings.HasSuffix(d.UserARN, ":root") || strings.HasSuffix(d.SerialNumber, ":mfa/root-account-mfa-device")
}

func checkRootMFAStrength(ctx context.Context, f *Facts) Result {
	sum, err := f.AccountSummary(ctx)
	if err != nil {
		return Unknown("the account summary (root MFA)", err)
	}
	on, bad := summaryFlag(sum, awsops.SummaryAccountMFAEnabled)
	if bad != nil {
		return *bad
	}
	if !on {
		if none, ev, _ := rootHasNoCredentials(ctx, f, sum); none {
			return Result{Status: StatusNA, Summary: "this account's root has no password, keys or certificates, so it has no MFA to strengthen",
				Evidence: append([]Evidence{kv(awsops.SummaryAccountMFAEnabled, "0")}, ev...)}
		}
		return Result{Status: StatusFail, BlockedBy: "root-mfa",
			Summary:  "waits for root-mfa: the root user has no MFA device yet",
			Evidence: []Evidence{kv(awsops.SummaryAccountMFAEnabled, "0")},
			Todo:     "Turn on root MFA first (root-mfa), with a passkey or security key, then register a second device as a backup."}
	}
	id, err := f.Identity(ctx)
	if err != nil {
		return Unknown("who is calling", err)
	}
	if id.IsRoot {
		devs, err := f.CallerMFADevices(ctx)
		if err != nil {
			return Unknown("root's MFA devices", err)
		}
		return rootDeviceVerdict(devs)
	}
	virt, err := f.VirtualMFADevices(ctx)
	if err != nil {
		return Unknown("the virtual MFA devices", err)
	}
	var rootVirt []string
	for _, d := range virt {
		if isRootVirtualMFA(d) {
			rootVirt = append(rootVirt, d.SerialNumber)
		}
	}
	if len(rootVirt) > 0 {
		return Result{
			Status:   StatusWarn,
			Summary:  "root uses a virtual MFA device (authenticator app), which can be phished",
			Evidence: []Evidence{kv("root_virtual_mfa", strings.Join(rootVirt, ", "))},
			Details:  []string{"Only root itself can see whether it also has a passkey or a backup device."},
			Todo:     "Sign in as root and add a passkey or security key, then keep the app as a backup or remove it.",
		}
	}
	ask := attestResult(f, "root-mfa-strength", 0,
		"root MFA is a passkey, security key or hardware token; only root can see whether there is a backup device",
		"Sign in as root, open Security credentials and make sure at least two MFA devices are listed (up to 8 are allowed).")
	ask.Evidence = append([]Evidence{kv(awsops.SummaryAccountMFAEnabled, "1"), kv("root_virtual_mfa", "none")}, ask.Evidence...)
	return ask
}

// rootDeviceVerdict judges root's own device list (only root can read it).
func rootDeviceVerdict(devs []awsops.MFADevice) Result {
	if len(devs) == 0 {
		return unexpectedAnswer("root's MFA devices", "AccountMFAEnabled = 1 but ListMFADevices returned no device")
	}
	counts := map[string]int{}
	var kinds []string
	for _, d := range devs {
		k := d.Kind()
		if counts[k] == 0 {
			kinds = append(kinds, k)
		}
		counts[k]++
	}
	virtual := counts["virtual (authenticator app)"]
	r := Result{Evidence: []Evidence{kvInt("root_mfa_devices", len(devs))}}
	for _, k := range kinds {
		r.Evidence = append(r.Evidence, kvInt(k, counts[k]))
	}
	switch {
	case virtual == len(devs):
		r.Status = StatusWarn
		r.Summary = fmt.Sprintf("root has only virtual MFA (%s), which can be phished", plural(len(devs), "device", "devices"))
		r.Todo = "Add a passkey or security key as root's main MFA device."
		if len(devs) == 1 {
			r.Todo += " Keep a second device as a backup."
		}
	case len(devs) == 1:
		r.Status = StatusWarn
		r.Summary = "root has a single MFA device (" + kinds[0] + ") and no backup"
		r.Todo = "Register a second MFA device for root and keep it somewhere safe (up to 8 are allowed)."
	default:
		r.Status = StatusPass
		r.Summary = fmt.Sprintf("root has %d MFA devices, including a passkey or hardware key", len(devs))
	}
	return r
}

func checkRootAccessKeys(ctx context.Context, f *Facts) Result {
	var (
		sum    awsops.AccountSummary
		sumErr error
		id     awsops.Identity
		idErr  error
	)
	concurrently(
		func() { sum, sumErr = f.AccountSummary(ctx) },
		func() { id, idErr = f.Identity(ctx) },
	)
	if sumErr != nil {
		return Unknown("the account summary (root access keys)", sumErr)
	}
	present, bad := summaryFlag(sum, awsops.SummaryAccountAccessKeysPresent)
	if bad != nil {
		return *bad
	}
	onRootKey := idErr == nil && id.IsRoot && id.Credentials == awsops.CredentialsLongTerm
	ev := []Evidence{kvInt(awsops.SummaryAccountAccessKeysPresent, boolInt(present))}
	if !present && !onRootKey {
		return Result{Status: StatusPass, Summary: "the root user has no access keys", Evidence: ev}
	}

	r := Result{
		Status:   StatusFail,
		Summary:  "the root user has access keys",
		Evidence: ev,
		Todo:     "Sign in as root, open Security credentials → Access keys, deactivate each key, check nothing breaks, then delete it.",
	}
	if idErr == nil && id.IsRoot && !onRootKey {
		r.Todo = "First move whatever uses the keys to another identity. You run rootguard as root, so it can deactivate, then delete, each key for you after you type its last four characters."
	}
	if onRootKey {
		masked := awsops.MaskKey(id.AccessKeyID)
		r.Summary = "YOU ARE RUNNING ROOTGUARD WITH A ROOT ACCESS KEY (" + masked + ")"
		r.Evidence = append(r.Evidence, kv("caller_key", masked))
		r.Details = append(r.Details,
			"rootguard is signed in as root with the long-term access key "+masked+".",
			"rootguard will never delete the key it is running on; it may remove the other root keys after you confirm.",
		)
		r.Todo = "Create an admin identity (admin-identity), run rootguard with it instead, then delete this root key in the console."
	}
	if idErr != nil {
		r.Details = append(r.Details, "Could not check whether rootguard itself runs on a root key: "+Unknown("who is calling", idErr).Summary)
	}
	rep, err := f.CredentialReport(ctx)
	switch {
	case err != nil:
		r.Details = append(r.Details, "Where the keys were last used is unknown: "+Unknown("the credential report", err).Summary)
	case rep == nil || rep.Root == nil:
		r.Details = append(r.Details, "The credential report has no root row, so the keys' last use is unknown.")
	default:
		r.Evidence = append(r.Evidence, kv("report_generated_at", rep.GeneratedAt.UTC().Format(time.RFC3339)))
		for i, k := range rep.Root.Keys {
			n := strconv.Itoa(i + 1)
			if !k.Active {
				r.Evidence = append(r.Evidence, kv("key_"+n, "inactive or absent"))
				continue
			}
			r.Evidence = append(r.Evidence, kv("key_"+n, "active"), kv("key_"+n+"_last_used", stampText(k.LastUsed)))
			if k.LastUsed.Valid() {
				r.Details = append(r.Details, fmt.Sprintf("Root key %s was last used on %s by %s in %s: find and move that use to another identity before deleting it.",
					n, fmtDay(k.LastUsed.Time), orText(k.LastUsedService, "an unknown service"), orText(k.LastUsedRegion, "a global region")))
			} else {
				r.Details = append(r.Details, fmt.Sprintf("Root key %s is active and has never been used.", n))
			}
		}
	}
	return r
}

func checkRootSigningCerts(ctx context.Context, f *Facts) Result {
	sum, err := f.AccountSummary(ctx)
	if err != nil {
		return Unknown("the account summary (root signing certificates)", err)
	}
	present, bad := summaryFlag(sum, awsops.SummaryAccountSigningCerts)
	if bad != nil {
		return *bad
	}
	ev := []Evidence{kvInt(awsops.SummaryAccountSigningCerts, boolInt(present))}
	if !present {
		return Result{Status: StatusPass, Summary: "the root user has no signing certificates", Evidence: ev}
	}
	return Result{Status: StatusFail, Summary: "the root user has X.509 signing certificates", Evidence: ev,
		Todo: "Sign in as root, open Security credentials → X.509 certificates and delete them."}
}

// failedSignInAddresses is how many addresses failed root sign-ins must
// come from before rootguard calls it someone trying the root password.
const failedSignInAddresses = 3

func checkRootUsage(ctx context.Context, f *Facts) Result {
	var (
		rep     *awsops.CredentialReport
		repErr  error
		id      awsops.Identity
		idErr   error
		hist    *awsops.SignInHistory
		histErr error
	)
	concurrently(
		func() { rep, repErr = f.CredentialReport(ctx) },
		func() { id, idErr = f.Identity(ctx) },
		func() { hist, histErr = f.RootSignIns(ctx) },
	)
	if idErr != nil {
		return Unknown("who is calling", idErr)
	}
	if repErr != nil {
		return Unknown("the credential report (root usage)", repErr)
	}
	if histErr != nil {
		return Unknown("the root user's sign-in history (CloudTrail event history, us-east-1)", histErr)
	}
	if rep == nil || rep.Root == nil {
		return unexpectedAnswer("the credential report", "it has no root row")
	}
	if hist == nil {
		return unexpectedAnswer("the root sign-in history", "no history was returned")
	}
	now := f.Now()
	root := rep.Root
	ev := []Evidence{kv("password_last_used", stampText(root.PasswordLastUsed)), kv("report_age", reportAge(now, rep.GeneratedAt))}
	var last time.Time
	if root.PasswordLastUsed.Valid() {
		last = root.PasswordLastUsed.Time
	}
	for i, k := range root.Keys {
		if k.LastUsed.Valid() || k.Active {
			ev = append(ev, kv(fmt.Sprintf("access_key_%d_last_used", i+1), stampText(k.LastUsed)))
		}
		if k.LastUsed.Valid() && k.LastUsed.Time.After(last) {
			last = k.LastUsed.Time
		}
	}

	// Sign-in history: the last sign-ins, and failed attempts by address.
	var details []string
	ok, failed := 0, 0
	failedFrom := map[string]int{}
	for _, e := range hist.Events {
		if e.Success {
			ok++
			if e.Time.After(last) {
				last = e.Time
			}
		} else {
			failed++
			failedFrom[orText(e.SourceIP, "unknown address")]++
		}
		if len(details) < 5 {
			details = append(details, "root console sign-in "+signInText(e))
		}
	}
	ev = append(ev, kvInt("root_sign_ins_90_days", ok), kvInt("failed_root_sign_ins_90_days", failed))
	if failed > 0 {
		ev = append(ev, kvInt("failed_from_addresses", len(failedFrom)))
	}
	if hist.Truncated {
		details = append(details, "The sign-in history is longer than rootguard reads; older sign-ins are not counted.")
	}
	if len(hist.Events) == 0 {
		details = append(details, "No root console sign-in in the last 90 days of CloudTrail event history.")
	}

	recent := !last.IsZero() && now.Sub(last) < recentRootDays*24*time.Hour
	when := ""
	if !last.IsZero() {
		when = fmtDay(last)
	}
	if id.IsRoot {
		recent, when = true, "right now (rootguard is running as root)"
		ev = append(ev, kv("caller", "root"))
	}
	admin, first := otherAdmin(ctx, f)
	ev = append(ev, kvBool("other_admin", admin))
	todo := "Sign in with your admin identity for daily work and keep root for the few tasks only root can do."
	if !admin {
		todo = "Create a daily-use admin identity first (admin-identity), then stop using root for daily work."
	}
	switch {
	case len(failedFrom) >= failedSignInAddresses:
		return Result{Status: StatusWarn, Evidence: ev, Details: details,
			Summary: fmt.Sprintf("someone is trying the root password: %s from %d addresses in 90 days", plural(failed, "failed root sign-in", "failed root sign-ins"), len(failedFrom)),
			Todo:    "Make sure root has MFA (root-mfa) and a long, unique password (root-password); if these were not you, change the root password now."}
	case recent && !id.IsRoot && first.name != "":
		usedAt, createdAt := fmtPair(last, first.created)
		ev = append(ev, kv("administrator", first.name), kv("administrator_created", createdAt), kv("root_last_used", usedAt))
		switch {
		case !last.Before(first.created):
			return Result{Status: StatusWarn, Evidence: ev, Details: details, Todo: todo,
				Summary: "root was used on " + usedAt + ", after the administrator " + first.name + " was created on " + createdAt}
		case rep.GeneratedAt.Before(first.created) && rootKeyActive(root):
			details = append(details, "The credential report was generated before "+first.name+" was created, so a use of root's access key since then would not show yet: re-check once the report is regenerated (it is at most 4 hours old).")
			return Result{Status: StatusWarn, Evidence: ev, Details: details, Todo: todo,
				Summary: "root was last used on " + usedAt + ", before the administrator " + first.name + " was created, but the credential report is older than " + first.name}
		}
		return Result{Status: StatusPass, Evidence: ev, Details: details,
			Summary: "root was last used on " + usedAt + ", before the administrator " + first.name + " was created on " + createdAt + "; not since"}
	case recent:
		s := "root was used " + when
		if id.IsRoot {
			s = "root is in use right now: rootguard is running as root"
		}
		if !admin {
			s += " and there is no other administrator yet"
		}
		return Result{Status: StatusWarn, Summary: s, Evidence: ev, Details: details, Todo: todo}
	}
	if window := now.Add(-recentRootDays * 24 * time.Hour); hist.Truncated && (hist.ReadBack.IsZero() || hist.ReadBack.After(window)) {
		// The pages read end inside the window: a root sign-in there could
		// be on a page rootguard did not read. Not a pass.
		reach := "do not say how far back they reach"
		if !hist.ReadBack.IsZero() {
			reach = "reach back only to " + hist.ReadBack.UTC().Format("2006-01-02 15:04 UTC")
		}
		why := "the sign-in history is longer than rootguard reads, and the pages read " + reach
		return Result{Status: StatusUnknown, Evidence: ev, Details: details, Err: errors.New(why),
			Summary: "could not check the last 7 days of root sign-ins: " + why,
			Todo:    "Look for root console sign-ins of the last 7 days in CloudTrail event history (us-east-1, event name ConsoleLogin, user root), then re-check."}
	}
	s := "root has not been used in the last 7 days"
	if !last.IsZero() {
		s += " (last used " + fmtDay(last) + ")"
	}
	return Result{Status: StatusPass, Summary: s, Evidence: ev, Details: details}
}

// signInText is one sign-in as evidence: "2026-11-19 14:02 UTC from
// 198.51.100.7: success, with MFA".
func signInText(e awsops.SignInEvent) string {
	s := e.Time.UTC().Format("2006-01-02 15:04 UTC") + " from " + orText(e.SourceIP, "an unknown address") + ": "
	switch {
	case e.Success && e.MFAUsed:
		s += "success, with MFA"
	case e.Success:
		s += "success, without MFA"
	default:
		s += "failed"
		if e.Error != "" {
			s += " (" + e.Error + ")"
		}
	}
	return s
}

// otherAdmin reports, as best the reads can tell, whether a non-root
// administrator exists (for root-usage's advice), and the working admin
// user created first (root-usage passes when root has not been used since
// that user existed).
func otherAdmin(ctx context.Context, f *Facts) (bool, firstAdmin) {
	r, first := judgeAdminIdentity(ctx, f)
	return r.Status == StatusPass || r.Status == StatusWarn, first
}

// rootKeyActive reports whether the report shows an active root access key.
func rootKeyActive(root *awsops.CredentialRow) bool {
	for _, k := range root.Keys {
		if k.Active {
			return true
		}
	}
	return false
}

// fmtPair shows two times as dates, or with the time of day when they fall
// on the same day (so "before" can be seen).
func fmtPair(a, b time.Time) (string, string) {
	if fmtDay(a) != fmtDay(b) {
		return fmtDay(a), fmtDay(b)
	}
	const layout = "2006-01-02 15:04 UTC"
	return a.UTC().Format(layout), b.UTC().Format(layout)
}

func activeInstances(ic []awsops.IdentityCenterInstance) int {
	n := 0
	for _, in := range ic {
		if in.Status == "ACTIVE" {
			n++
		}
	}
	return n
}

func checkRootPassword(ctx context.Context, f *Facts) Result {
	return attestResult(f, "root-password", RootPasswordAttestValidity,
		"no API can see the root password: confirm it is long, unique and in a password manager",
		"Sign in as root, choose your account name (top right) → Security credentials → Edit account name, email, and password, then Edit next to the password. Set a long, unique password from a password manager (8–128 characters, not the account name or email).")
}

func checkRootEmail(ctx context.Context, f *Facts) Result {
	return attestResult(f, "root-email", 0,
		"confirm the root email is a group address your business controls",
		"Make the root email a group address the business controls and uses for nothing else (sign in as root: account name → Security credentials → Edit account name, email, and password).")
}

func checkRootRecovery(ctx context.Context, f *Facts) Result {
	r := attestResult(f, "root-recovery", 0,
		"confirm the account email and phone are current and kept by different people",
		"Check the account email inbox and the phone number on the Account page; keep them with different people.")
	ci, err := f.ContactInformation(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound {
		ci, err = nil, nil
	}
	switch {
	case err != nil:
		r.Evidence = append(r.Evidence, kv("phone_on_file", "unknown"))
		r.Details = append(r.Details, "Could not read the contact phone: "+Unknown("the contact information", err).Summary)
	case ci == nil || strings.TrimSpace(ci.PhoneNumber) == "":
		r.Evidence = append(r.Evidence, kv("phone_on_file", "no"))
		r.Details = append(r.Details, "No phone number is on file: add one on the Account page (see contact-info).")
	default:
		r.Evidence = append(r.Evidence, kv("phone_on_file", "yes"))
	}
	return r
}

func checkRootMultiPerson(ctx context.Context, f *Facts) Result {
	return attestResult(f, "root-multi-person", 0,
		"confirm the root password and MFA device are held by different people",
		"Give the root password to one person and the MFA device to another, so two people must meet to sign in as root.")
}

func checkSecurityQuestions(ctx context.Context, f *Facts) Result {
	return Result{
		Status:  StatusNA,
		Summary: "AWS retired security challenge questions (none added since January 2024, removed in January 2025)",
		Details: []string{
			"Account recovery now relies on root MFA and the account's email and phone number.",
			"See root-mfa, root-recovery and contact-info.",
		},
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
