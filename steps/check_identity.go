package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// mfaUnseen is said whenever an admin path outside IAM users passes.
const mfaUnseen = "No AWS API shows whether IAM Identity Center or an outside identity provider enforces MFA: check that it does."

// adminReads are the places a daily-use admin can live, read at once: IAM
// users and roles with full rights, IAM Identity Center, and federation.
type adminReads struct {
	admins    *awsops.Administrators
	adminsErr error
	ic        []awsops.IdentityCenterInstance
	icEv      []Evidence // where Identity Center was looked for
	icErr     error
	providers []awsops.IdentityProvider
	provErr   error
	org       *awsops.Organization
	orgErr    error
	id        awsops.Identity
	idErr     error
}

func readAdmins(ctx context.Context, f *Facts) adminReads {
	var r adminReads
	concurrently(
		func() { r.admins, r.adminsErr = f.Administrators(ctx) },
		func() { r.ic, r.icEv, r.icErr = identityCenter(ctx, f) },
		func() { r.providers, r.provErr = f.IdentityProviders(ctx) },
		func() { r.org, r.orgErr = organizationOf(ctx, f) },
		func() { r.id, r.idErr = f.Identity(ctx) },
	)
	return r
}

// adminFinding is the outcome of one admin path.
type adminFinding struct {
	pass    string // a working admin: the summary
	broken  string // the broken link, when the path exists but does not work
	warn    string // works, but weaker (e.g. no MFA)
	todo    string
	err     error // a link could not be read
	errWhat string
}

// icPath judges IAM Identity Center: an active organization instance whose
// permission set with full rights is assigned to this account for a user
// or a group with members. ok is false when no instance could be judged
// from here (a member account sees none), so role evidence applies.
func icPath(ctx context.Context, f *Facts, r adminReads, details *[]string) (adminFinding, bool) {
	var org *awsops.IdentityCenterInstance
	for i, in := range r.ic {
		*details = append(*details, fmt.Sprintf("Identity Center instance in %s: %s", orText(in.Region, "this region"), in.Status))
		// An organization instance is owned by the management account; with
		// no owner in the answer, the permission sets provisioned here decide.
		isOrg := r.org != nil && (in.OwnerAccountID == "" || in.OwnerAccountID == r.org.ManagementAccountID)
		switch {
		case in.Status != "ACTIVE":
		case !isOrg:
			*details = append(*details, "It is an account instance: an account instance cannot grant access to AWS accounts, only to applications.")
		case org == nil:
			org = &r.ic[i]
		}
	}
	if org == nil {
		if len(r.ic) > 0 && r.orgErr != nil {
			return adminFinding{err: r.orgErr, errWhat: "the organization (to tell an organization instance of Identity Center from an account instance)"}, true
		}
		if activeInstances(r.ic) > 0 {
			return adminFinding{broken: "IAM Identity Center here is an account instance, which cannot grant access to this AWS account",
				todo: "Use the organization's Identity Center instance (in the management account) and assign an administrator permission set to this account."}, true
		}
		return adminFinding{}, false
	}
	sets, err := f.IdentityCenterAccess(ctx, *org)
	if err != nil {
		return adminFinding{err: err, errWhat: "the Identity Center permission sets of this account"}, true
	}
	var full, emptyOnly, unassigned []string
	var fullAccess []string
	if r.admins != nil {
		fullAccess = r.admins.FullAccessPolicies
	}
	for _, ps := range sets {
		name := orText(ps.Name, ps.ARN)
		if !permissionSetFull(ps, fullAccess) {
			*details = append(*details, "permission set "+name+": does not grant full rights")
			continue
		}
		var who []string
		empty := 0
		for _, as := range ps.Assignments {
			switch {
			case as.PrincipalType == "USER":
				who = append(who, "a user")
			case as.GroupHasMembers:
				who = append(who, "a group with members")
			default:
				empty++
			}
		}
		switch {
		case len(who) > 0:
			full = append(full, name)
			*details = append(*details, "permission set "+name+": full rights, assigned to "+strings.Join(dedupe(who), " and "))
		case empty > 0:
			emptyOnly = append(emptyOnly, name)
			*details = append(*details, "permission set "+name+": full rights, assigned only to groups with no members")
		default:
			unassigned = append(unassigned, name)
		}
	}
	switch {
	case len(full) > 0:
		return adminFinding{pass: "IAM Identity Center gives a person full rights here (permission set " + listOf(full, 2) + ")"}, true
	case len(emptyOnly) > 0:
		return adminFinding{broken: "the Identity Center permission set " + listOf(emptyOnly, 2) + " is assigned only to groups with no members",
			todo: "Add a person to the group in IAM Identity Center, or assign the permission set to a user."}, true
	case len(unassigned) > 0:
		return adminFinding{broken: "the Identity Center permission set " + listOf(unassigned, 2) + " grants full rights but is assigned to nobody for this account",
			todo: "In IAM Identity Center, assign it to a user or a group for this account."}, true
	case len(sets) > 0:
		return adminFinding{broken: "no Identity Center permission set reaching this account grants full rights",
			todo: "Assign a permission set with AdministratorAccess to this account in IAM Identity Center."}, true
	}
	return adminFinding{broken: "IAM Identity Center has no permission set provisioned to this account",
		todo: "In IAM Identity Center, assign a user or group to this account with an AdministratorAccess permission set."}, true
}

// permissionSetFull: AdministratorAccess, or an inline or referenced
// customer policy allowing * on *.
func permissionSetFull(ps awsops.PermissionSetAccess, fullAccess []string) bool {
	if slices.ContainsFunc(ps.ManagedPolicies, func(arn string) bool { return strings.HasSuffix(arn, ":iam::aws:policy/AdministratorAccess") }) {
		return true
	}
	if ps.InlinePolicy != "" && awsops.GrantsFullAccess(ps.InlinePolicy) {
		return true
	}
	return slices.ContainsFunc(ps.CustomerPolicies, func(p string) bool { return slices.Contains(fullAccess, p) })
}

// rolePaths judges the roles with full rights: Identity Center roles (from a
// member account, or the caller's own) and federated roles.
func rolePaths(r adminReads, useIC bool, details *[]string) (ic, fed adminFinding) {
	if r.admins == nil {
		return
	}
	callerRole := assumedRoleName(r.id.ARN)
	var icRoles, fedOK []string
	var fedUnknownProvider bool
	for _, role := range r.admins.Roles {
		if role.LimitedBy != "" {
			*details = append(*details, "role "+role.Name+": "+role.Via+", but "+role.LimitedBy+" cuts it down")
			continue
		}
		if role.IdentityCenter {
			ps := permissionSetOfRole(role.Name)
			mark := ""
			if role.Name == callerRole {
				mark = ", which rootguard is running as"
			}
			*details = append(*details, "Identity Center role "+role.Name+" (permission set "+ps+"): "+role.Via+mark)
			icRoles = append(icRoles, ps)
			continue
		}
		for _, p := range role.Federated {
			prov, known := providerOf(r.providers, p)
			switch {
			case r.provErr != nil:
				fedUnknownProvider = true
			case known:
				fedOK = append(fedOK, prov.Kind+" provider "+providerName(p)+" → role "+role.Name)
			}
		}
	}
	if useIC && len(icRoles) > 0 {
		ic.pass = "IAM Identity Center reaches this account with full rights (permission set " + listOf(dedupe(icRoles), 2) + ")"
	}
	switch {
	case len(fedOK) > 0:
		fed.pass = "federation gives full rights: " + listOf(fedOK, 2)
	case fedUnknownProvider:
		fed.err, fed.errWhat = r.provErr, "the IAM identity providers"
	}
	return ic, fed
}

func checkAdminIdentity(ctx context.Context, f *Facts) Result {
	res, _ := judgeAdminIdentity(ctx, f)
	return res
}

// firstAdmin is the working administrator created first, when the verdict
// passed on IAM users whose creation dates are all known (zero otherwise:
// Identity Center and federation have no creation date to read here).
type firstAdmin struct {
	name    string
	created time.Time
}

// firstCreated is the earliest created of the working admin users (full
// rights nothing cuts down, console access and MFA); zero when there is
// none or any of their creation dates is unknown.
func firstCreated(users []awsops.AdminUser) firstAdmin {
	var first firstAdmin
	for _, u := range users {
		if u.LimitedBy != "" || !u.ConsoleAccess || u.MFADevices == 0 {
			continue
		}
		if u.Created.IsZero() {
			return firstAdmin{}
		}
		if first.name == "" || u.Created.Before(first.created) {
			first = firstAdmin{name: u.Name, created: u.Created}
		}
	}
	return first
}

// judgeAdminIdentity is admin-identity's verdict, and the first working
// administrator when the verdict passes on IAM users (working admin users
// decide the verdict before any other path).
func judgeAdminIdentity(ctx context.Context, f *Facts) (Result, firstAdmin) {
	r := readAdmins(ctx, f)
	res := adminVerdict(ctx, f, r)
	var first firstAdmin
	if res.Status == StatusPass && r.adminsErr == nil && r.admins != nil {
		first = firstCreated(r.admins.Users)
	}
	return res, first
}

func adminVerdict(ctx context.Context, f *Facts, r adminReads) Result {
	ev := append([]Evidence(nil), r.icEv...)
	var details []string
	if r.icErr == nil {
		ev = append(ev, kvInt("identity_center_instances", len(r.ic)))
	}

	// IAM users with full rights.
	var ready, noMFA, noConsole, limited []string
	if r.adminsErr == nil {
		ev = append(ev, kvInt("admin_users", len(r.admins.Users)))
		for _, u := range r.admins.Users {
			if u.LimitedBy != "" {
				details = append(details, fmt.Sprintf("%s: %s, but %s cuts it down", u.Name, u.Via, u.LimitedBy))
				limited = append(limited, u.Name+" ("+u.LimitedBy+")")
				continue
			}
			details = append(details, fmt.Sprintf("%s (%s): console %s, %s", u.Name, u.Via, consoleWord(u.ConsoleAccess), plural(u.MFADevices, "MFA device", "MFA devices")))
			switch {
			case u.ConsoleAccess && u.MFADevices > 0:
				ready = append(ready, u.Name)
			case u.ConsoleAccess:
				noMFA = append(noMFA, u.Name)
			default:
				noConsole = append(noConsole, u.Name)
			}
		}
	}
	if len(ready) > 0 {
		return Result{Status: StatusPass, Summary: "admin user with full rights, console access and MFA: " + listOf(ready, 3),
			Evidence: append(ev, kv("admin_with_mfa", strings.Join(ready, ", "))), Details: details}
	}

	var ic adminFinding
	icJudged := false
	if r.icErr == nil {
		ic, icJudged = icPath(ctx, f, r, &details)
	}
	roleIC, fed := rolePaths(r, !icJudged, &details)
	for _, p := range []adminFinding{ic, roleIC, fed} {
		if p.pass != "" {
			return Result{Status: StatusPass, Summary: p.pass, Evidence: ev, Details: append(details, mfaUnseen)}
		}
	}

	// Nothing passes; an unreadable source could still hold the answer.
	switch {
	case r.adminsErr != nil:
		return withContext(Unknown("the IAM administrators (users and roles with full rights)", r.adminsErr), Result{Evidence: ev, Details: details})
	case r.icErr != nil:
		return withContext(Unknown("IAM Identity Center", r.icErr), Result{Evidence: ev, Details: details})
	case ic.err != nil:
		return withContext(Unknown(ic.errWhat, ic.err), Result{Evidence: ev, Details: details})
	case fed.err != nil:
		return withContext(Unknown(fed.errWhat, fed.err), Result{Evidence: ev, Details: details})
	}
	switch {
	case len(noMFA) > 0:
		return Result{Status: StatusWarn, Summary: "admin user without MFA: " + listOf(noMFA, 3),
			Evidence: append(ev, kv("admin_without_mfa", strings.Join(noMFA, ", "))), Details: details,
			Todo: "Have each admin user assign an MFA device (IAM → Users → user → Security credentials)."}
	case len(noConsole) > 0:
		return Result{Status: StatusWarn, Summary: "admin users exist but none can sign in to the console: " + listOf(noConsole, 3),
			Evidence: ev, Details: details,
			Todo: "In the IAM console, give an admin user a console password and MFA, or set up IAM Identity Center."}
	case ic.broken != "":
		return Result{Status: StatusFail, Summary: ic.broken, Evidence: ev, Details: details, Todo: ic.todo}
	case len(limited) > 0:
		return Result{Status: StatusFail, Summary: "no working administrator: full rights are cut down for " + listOf(limited, 2),
			Evidence: ev, Details: details,
			Todo: "Remove the permissions boundary or Deny statement from an admin user, or create an admin user in the Administrators group (AdministratorAccess) with MFA."}
	}
	return Result{Status: StatusFail, Summary: "no administrator other than root", Evidence: ev, Details: details,
		Todo: "In the IAM console, create an Administrators group (AdministratorAccess) and an admin user with MFA, or set up IAM Identity Center (best for organizations)."}
}

// assumedRoleName is the role of an assumed-role ARN ("" otherwise).
func assumedRoleName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":assumed-role/")
	if !ok {
		return ""
	}
	role, _, _ := strings.Cut(rest, "/")
	return role
}

// permissionSetOfRole reads the permission set out of AWSReservedSSO_<set>_<hex>.
func permissionSetOfRole(role string) string {
	name := strings.TrimPrefix(role, "AWSReservedSSO_")
	if i := strings.LastIndex(name, "_"); i > 0 {
		name = name[:i]
	}
	return name
}

func providerOf(ps []awsops.IdentityProvider, arn string) (awsops.IdentityProvider, bool) {
	for _, p := range ps {
		if p.ARN == arn {
			return p, true
		}
	}
	return awsops.IdentityProvider{}, false
}

// providerName is the name part of a provider ARN (saml-provider/Okta, oidc-provider/host).
func providerName(arn string) string {
	_, rest, ok := strings.Cut(arn, "-provider/")
	if !ok {
		return arn
	}
	return rest
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
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

// credentialsOrUnknown reads the credential report as of now (users newer
// than the report read live) for a check that judges it.
func credentialsOrUnknown(ctx context.Context, f *Facts) (*awsops.CredentialReport, *Result) {
	rep, err := f.Credentials(ctx)
	if err != nil {
		r := Unknown("the IAM users and their credentials", err)
		return nil, &r
	}
	if rep == nil {
		r := unexpectedAnswer("the IAM credential report", "no report was returned")
		return nil, &r
	}
	return rep, nil
}

func checkIAMUsersMFA(ctx context.Context, f *Facts) Result {
	rep, bad := credentialsOrUnknown(ctx, f)
	if bad != nil {
		return *bad
	}
	fresh := credentialEvidence(f.Now(), rep)
	if len(rep.Users) == 0 {
		return Result{Status: StatusNA, Summary: "the account has no IAM users",
			Evidence: append([]Evidence{kvInt("iam_users", 0)}, fresh...)}
	}
	withPw := 0
	for _, u := range rep.Users {
		if hasPassword(u) {
			withPw++
		}
	}
	noMFA := usersWithoutMFA(rep.Users)
	ev := append([]Evidence{
		kvInt("users_with_password", withPw),
		kvInt("users_password_without_mfa", len(noMFA)),
	}, fresh...)
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
	rep, bad := credentialsOrUnknown(ctx, f)
	if bad != nil {
		return *bad
	}
	now := f.Now()
	fresh := credentialEvidence(now, rep)
	if len(rep.Users) == 0 {
		return Result{Status: StatusNA, Summary: "the account has no IAM users, so no user access keys",
			Evidence: append([]Evidence{kvInt("iam_users", 0)}, fresh...)}
	}
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
	ev := append([]Evidence{
		kvInt("active_keys", active),
		kvInt("keys_older_than_90_days", old),
		kvInt("keys_unused_45_days", unused),
		kvInt("users_with_two_active_keys", len(twoKeys)),
	}, fresh...)
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
