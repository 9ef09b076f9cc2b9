package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// adminReads are the two places a daily-use admin can live, read at once:
// IAM users with AdministratorAccess and IAM Identity Center.
type adminReads struct {
	users    []awsops.AdminUser
	usersErr error
	ic       []awsops.IdentityCenterInstance
	icEv     []Evidence // where Identity Center was looked for
	icErr    error
}

func readAdmins(ctx context.Context, f *Facts) adminReads {
	var r adminReads
	concurrently(
		func() { r.users, r.usersErr = f.AdminUsers(ctx) },
		func() { r.ic, r.icEv, r.icErr = identityCenter(ctx, f) },
	)
	return r
}

func checkAdminIdentity(ctx context.Context, f *Facts) Result {
	a := readAdmins(ctx, f)
	users, usersErr, ic, icErr := a.users, a.usersErr, a.ic, a.icErr
	ev := a.icEv
	var details []string
	if icErr == nil {
		ev = append(ev, kvInt("identity_center_instances", len(ic)))
		for _, in := range ic {
			details = append(details, fmt.Sprintf("Identity Center instance in %s: %s", orText(in.Region, "this region"), in.Status))
		}
		if activeInstances(ic) > 0 {
			details = append(details, "rootguard cannot see who signs in through Identity Center: make sure a person has an administrator permission set for this account, with MFA, and uses it instead of root.")
			return Result{Status: StatusPass, Summary: "IAM Identity Center is set up for daily sign-in",
				Evidence: append(ev, kv("identity_center", "ACTIVE")), Details: details}
		}
	}
	var ready, noMFA, noConsole []string
	if usersErr == nil {
		ev = append(ev, kvInt("admin_users", len(users)))
		for _, u := range users {
			desc := fmt.Sprintf("%s (via %s): console %s, %s", u.Name, orText(u.Via, "direct"), consoleWord(u.ConsoleAccess), plural(u.MFADevices, "MFA device", "MFA devices"))
			details = append(details, desc)
			switch {
			case u.ConsoleAccess && u.MFADevices > 0:
				ready = append(ready, u.Name)
			case u.ConsoleAccess:
				noMFA = append(noMFA, u.Name)
			default:
				noConsole = append(noConsole, u.Name)
			}
		}
		if len(ready) > 0 {
			return Result{Status: StatusPass, Summary: "admin user with console access and MFA: " + listOf(ready, 3),
				Evidence: append(ev, kv("admin_with_mfa", strings.Join(ready, ", "))), Details: details}
		}
	}
	// Nothing passes; an unreadable source could still hold the answer.
	if usersErr != nil {
		return Unknown("the IAM administrators", usersErr)
	}
	if icErr != nil {
		return Unknown("IAM Identity Center", icErr)
	}
	switch {
	case len(noMFA) > 0:
		return Result{Status: StatusWarn, Summary: "admin user without MFA: " + listOf(noMFA, 3),
			Evidence: append(ev, kv("admin_without_mfa", strings.Join(noMFA, ", "))), Details: details,
			Todo: "Have each admin user assign an MFA device (IAM → Users → user → Security credentials)."}
	case len(noConsole) > 0:
		return Result{Status: StatusWarn, Summary: "admin users exist but none can sign in to the console: " + listOf(noConsole, 3),
			Evidence: ev, Details: details,
			Todo: "In the IAM console, give an admin user a console password and MFA, or set up IAM Identity Center (rootguard will automate this later)."}
	}
	return Result{Status: StatusFail, Summary: "no administrator other than root", Evidence: ev, Details: details,
		Todo: "In the IAM console, create an Administrators group and an admin user with MFA, or set up IAM Identity Center (best for organizations). rootguard will automate this later."}
}

// identityCenter reads the Identity Center instances. A search that could
// not cover every region and found nothing counts as none, with evidence
// saying where rootguard looked and why not elsewhere.
func identityCenter(ctx context.Context, f *Facts) ([]awsops.IdentityCenterInstance, []Evidence, error) {
	ic, err := f.IdentityCenterInstances(ctx)
	var partial *awsops.PartialSearchError
	if !errors.As(err, &partial) {
		return ic, nil, err
	}
	why := "the other regions could not be searched: " + partial.Err.Error()
	if perm := awsops.PermissionOf(partial.Err); awsops.KindOf(partial.Err) == awsops.KindAccessDenied && perm != "" {
		why = "the other regions need " + perm
	}
	return nil, []Evidence{kv("identity_center_searched", strings.Join(partial.Searched, ", ")+" only ("+why+")")}, nil
}

// consoleWord says whether an admin user can sign in to the console.
func consoleWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// reportOrUnknown reads the credential report for a check that judges it.
func reportOrUnknown(ctx context.Context, f *Facts) (*awsops.CredentialReport, *Result) {
	rep, err := f.CredentialReport(ctx)
	if err != nil {
		r := Unknown("the IAM credential report", err)
		return nil, &r
	}
	if rep == nil {
		r := unexpectedAnswer("the IAM credential report", "no report was returned")
		return nil, &r
	}
	return rep, nil
}

func checkIAMUsersMFA(ctx context.Context, f *Facts) Result {
	rep, bad := reportOrUnknown(ctx, f)
	if bad != nil {
		return *bad
	}
	if len(rep.Users) == 0 {
		return Result{Status: StatusNA, Summary: "the account has no IAM users",
			Evidence: []Evidence{kvInt("iam_users", 0), kv("report_generated_at", fmtDay(rep.GeneratedAt))}}
	}
	withPw := 0
	for _, u := range rep.Users {
		if hasPassword(u) {
			withPw++
		}
	}
	noMFA := usersWithoutMFA(rep.Users)
	ev := []Evidence{
		kvInt("users_with_password", withPw),
		kvInt("users_password_without_mfa", len(noMFA)),
		kv("report_generated_at", fmtDay(rep.GeneratedAt)),
	}
	if len(noMFA) == 0 {
		s := fmt.Sprintf("all %d users with a console password have MFA", withPw)
		if withPw == 1 {
			s = "the only user with a console password has MFA"
		}
		if withPw == 0 {
			s = "no IAM user has a console password"
		}
		return Result{Status: StatusPass, Summary: s, Evidence: ev}
	}
	details := make([]string, len(noMFA))
	for i, u := range noMFA {
		details[i] = u + ": console password, no MFA — " + urlIAMUsers + "/details/" + u + "?section=security_credentials"
	}
	return Result{
		Status:   StatusFail,
		Summary:  "console users without MFA: " + listOf(noMFA, 3),
		Evidence: ev, Details: details,
		Todo: "Ask each of these users to assign an MFA device (or remove their console password if they do not need it).",
	}
}

func checkAccessKeyHygiene(ctx context.Context, f *Facts) Result {
	rep, bad := reportOrUnknown(ctx, f)
	if bad != nil {
		return *bad
	}
	if len(rep.Users) == 0 {
		return Result{Status: StatusNA, Summary: "the account has no IAM users, so no user access keys",
			Evidence: []Evidence{kvInt("iam_users", 0)}}
	}
	now := f.Now()
	active := 0
	var twoKeys []string
	for _, u := range rep.Users {
		n := 0
		for _, k := range u.Keys {
			if k.Active {
				n++
			}
		}
		active += n
		if n == 2 {
			twoKeys = append(twoKeys, u.User)
		}
	}
	keys := keyFindings(now, rep.Users)
	old, unused := 0, 0
	var details []string
	for _, k := range keys {
		if k.old {
			old++
		}
		if k.unused {
			unused++
		}
		details = append(details, k.String())
	}
	for _, u := range twoKeys {
		details = append(details, u+": two active access keys")
	}
	ev := []Evidence{
		kvInt("active_keys", active),
		kvInt("keys_older_than_90_days", old),
		kvInt("keys_unused_45_days", unused),
		kvInt("users_with_two_active_keys", len(twoKeys)),
		kv("report_generated_at", fmtDay(rep.GeneratedAt)),
	}
	switch {
	case old > 0:
		return Result{Status: StatusFail, Summary: plural(old, "active access key is", "active access keys are") + " older than 90 days",
			Evidence: ev, Details: details,
			Todo: "Rotate each old key (create a new one, switch to it, deactivate and delete the old one), and delete keys nobody uses."}
	case unused > 0 || len(twoKeys) > 0:
		var parts []string
		if unused > 0 {
			parts = append(parts, plural(unused, "key", "keys")+" unused for 45+ days")
		}
		if len(twoKeys) > 0 {
			parts = append(parts, plural(len(twoKeys), "user has", "users have")+" two active keys")
		}
		return Result{Status: StatusWarn, Summary: strings.Join(parts, "; "), Evidence: ev, Details: details,
			Todo: "Delete keys nobody uses; a user should keep two active keys only while rotating."}
	}
	s := "no old or unused access keys"
	if active == 0 {
		s = "no IAM user has an active access key"
	}
	return Result{Status: StatusPass, Summary: s, Evidence: ev}
}
