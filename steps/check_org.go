package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// Features of iam ListOrganizationsFeatures.
const (
	featureRootCredentials = "RootCredentialsManagement"
	featureRootSessions    = "RootSessions"
)

// managementOrg returns the organization when this is its management
// account; otherwise a verdict (n/a outside an organization or in a member
// account, unknown on a read error).
func managementOrg(ctx context.Context, f *Facts) (*awsops.Organization, *Result) {
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
	if orgErr != nil {
		r := Unknown("the organization", orgErr)
		return nil, &r
	}
	if org == nil {
		return nil, &Result{Status: StatusNA, Summary: "the account is not in an organization",
			Evidence: []Evidence{kv("organization", "none")}}
	}
	if idErr != nil {
		r := Unknown("who is calling", idErr)
		return nil, &r
	}
	ev := []Evidence{kv("organization", org.ID), kv("management_account", org.ManagementAccountID)}
	if org.ManagementAccountID != id.Account {
		return nil, &Result{Status: StatusNA, Summary: "managed from the management account (" + org.ManagementAccountID + ")",
			Evidence: ev}
	}
	return org, nil
}

func checkOrgRootAccess(ctx context.Context, f *Facts) Result {
	org, verdict := managementOrg(ctx, f)
	if verdict != nil {
		return *verdict
	}
	ev := []Evidence{kv("organization", org.ID), kv("feature_set", org.FeatureSet)}
	feats, err := f.OrganizationsRootFeatures(ctx)
	switch awsErrorCode(err) {
	case "ServiceAccessNotEnabledException": // IAM has no trusted access in Organizations
		return Result{Status: StatusFail, Summary: "centralized root access is off: IAM has no trusted access in Organizations",
			Evidence: append(ev, kvBool("iam_trusted_access", false)),
			Todo: "In the Organizations console (Services → AWS Identity and Access Management), enable trusted access for IAM, " +
				"then in the IAM console open Root access management and enable root credentials management and root sessions."}
	case "OrganizationNotInAllFeaturesModeException":
		return Result{Status: StatusFail, Summary: "centralized root access needs all features; the organization does not have them",
			Evidence: ev,
			Todo: "Switch the organization to all features (Organizations → Settings → Enable all features), then enable trusted access " +
				"for IAM and, in IAM's Root access management, root credentials management and root sessions."}
	}
	if err != nil {
		return Unknown("the organization's root access features", err)
	}
	creds := slices.Contains(feats, featureRootCredentials)
	sessions := slices.Contains(feats, featureRootSessions)
	ev = append(ev, kvBool(featureRootCredentials, creds), kvBool(featureRootSessions, sessions))
	r := Result{Evidence: ev}
	switch {
	case creds && sessions:
		r.Status = StatusPass
		r.Summary = "member accounts' root access is managed centrally"
	case creds || sessions:
		missing := featureRootSessions
		if !creds {
			missing = featureRootCredentials
		}
		r.Status = StatusWarn
		r.Summary = "centralized root access is half on: " + missing + " is off"
		r.Todo = "Enable " + missing + " in the IAM console (Root access management), or let rootguard do it (fix org-root-access)."
	default:
		r.Status = StatusFail
		r.Summary = "member accounts still manage their own root credentials"
		r.Todo = "Let rootguard turn it on (fix org-root-access), or in the IAM console of the management account open Root access management and enable root credentials management and root sessions."
		if org.FeatureSet != "" && org.FeatureSet != "ALL" {
			r.Details = append(r.Details, "The organization uses "+org.FeatureSet+" only; centralized root access needs all features.")
		}
	}
	return r
}

// awsErrorCode is the AWS error code behind err ("" when there is none).
func awsErrorCode(err error) string {
	var ae *awsops.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// memberCoverage is how well the root-deny SCPs cover one member account.
type memberCoverage int

const (
	coveredNone   memberCoverage = iota
	coveredPartly                // a narrowed deny, or one with exemptions
	coveredFully                 // a deny of every action for every root
)

func checkOrgRootSCP(ctx context.Context, f *Facts) Result {
	org, verdict := managementOrg(ctx, f)
	if verdict != nil {
		return *verdict
	}
	ev := []Evidence{kv("organization", org.ID), kv("feature_set", org.FeatureSet)}
	if org.FeatureSet != "" && org.FeatureSet != "ALL" {
		return Result{Status: StatusFail, Summary: "service control policies need all features; this organization has " + org.FeatureSet,
			Evidence: ev, Todo: "Enable all features in Organizations (Settings), then attach a root-deny SCP."}
	}
	var (
		scps        []awsops.SCP
		scpsErr     error
		accounts    []awsops.OrgAccount
		accountsErr error
	)
	concurrently(
		func() { scps, scpsErr = f.ServiceControlPolicies(ctx) },
		func() { accounts, accountsErr = f.OrganizationAccounts(ctx) },
	)
	if scpsErr != nil {
		return Unknown("the service control policies", scpsErr)
	}
	if accountsErr != nil {
		return Unknown("the organization's member accounts", accountsErr)
	}
	var members []awsops.OrgAccount
	for _, a := range accounts {
		if a.ID != org.ManagementAccountID && (a.State == "" || a.State == "ACTIVE" || a.State == "PENDING_ACTIVATION") {
			members = append(members, a)
		}
	}
	ev = append(ev, kvInt("member_accounts", len(members)), kvInt("scps", len(scps)))
	details := []string{"SCPs never apply to the management account itself."}
	if len(members) == 0 {
		return Result{Status: StatusNA, Summary: "the organization has no member accounts (SCPs do not apply to the management account)",
			Evidence: ev, Details: details}
	}

	var broken, detached, narrowing, fullNames []string
	full := map[string]bool{}    // targets of full root denies
	partial := map[string]bool{} // targets of narrowed denies
	for _, p := range scps {
		name := orText(p.Name, p.ID)
		switch {
		case p.Broken != "":
			broken = append(broken, "the SCP "+name+" denies no root user: "+p.Broken)
			ev = append(ev, kv("scp "+name, "denies no root user"))
			continue
		case !p.DeniesRoot:
			continue
		}
		var limits []string
		if len(p.RootDenyExcept) > 0 {
			limits = append(limits, "denies root except: "+strings.Join(p.RootDenyExcept, ", "))
		}
		if len(p.NarrowedBy) > 0 {
			limits = append(limits, "applies only under "+strings.Join(p.NarrowedBy, ", "))
		}
		where := "not attached"
		if len(p.Targets) > 0 {
			where = "attached to " + strings.Join(p.Targets, ", ")
		} else {
			detached = append(detached, name)
		}
		if len(limits) > 0 {
			where += " (" + strings.Join(limits, "; ") + ")"
			if len(p.Targets) > 0 {
				narrowing = append(narrowing, name+" "+strings.Join(limits, "; "))
			}
		} else if len(p.Targets) > 0 {
			fullNames = append(fullNames, name)
		}
		ev = append(ev, kv("scp "+name, where))
		for _, t := range p.Targets {
			if len(limits) == 0 {
				full[t] = true
			} else {
				partial[t] = true
			}
		}
	}
	var fully, partly, uncovered []string
	for _, m := range members {
		c := coveredNone
		for _, t := range append([]string{m.ID}, m.Ancestors...) {
			switch {
			case full[t]:
				c = coveredFully
			case partial[t] && c == coveredNone:
				c = coveredPartly
			}
		}
		name := m.ID
		if m.Name != "" {
			name += " (" + m.Name + ")"
		}
		switch c {
		case coveredFully:
			fully = append(fully, name)
		case coveredPartly:
			partly = append(partly, name)
		default:
			uncovered = append(uncovered, name)
		}
	}
	ev = append(ev, kvInt("members_fully_covered", len(fully)))
	if len(uncovered) > 0 {
		ev = append(ev, kv("members_not_covered", listOf(uncovered, 10)))
	}
	details = append(details, broken...)
	rootARNs := "arn:aws:iam::*:root"
	if id, err := f.Identity(ctx); err == nil && id.Partition != "" { // read once, by managementOrg
		rootARNs = "arn:" + id.Partition + ":iam::*:root"
	}
	r := Result{Evidence: ev, Details: details}
	switch {
	case len(fully) == len(members):
		r.Status = StatusPass
		r.Summary = fmt.Sprintf("an SCP denies root every action in all %s (%s)", plural(len(members), "member account", "member accounts"), listOf(fullNames, 2))
	case len(fully)+len(partly) == len(members):
		r.Status = StatusWarn
		r.Summary = "the root-deny SCP " + strings.ReplaceAll(narrowing[0], "denies root except", "denies member-account root except")
		r.Todo = "Make the SCP deny every action (\"Action\": \"*\") for " + rootARNs + " with no condition other than Null aws:AssumedRoot, or confirm the exemptions are meant."
	case len(fully)+len(partly) > 0:
		r.Status = StatusWarn
		r.Summary = fmt.Sprintf("the root-deny SCP covers %d of %d member accounts; not covered: %s", len(fully)+len(partly), len(members), listOf(uncovered, 3))
		r.Todo = "Attach the SCP to the organization root, or to every OU and account that holds member accounts (rootguard can: fix org-root-scp)."
	case len(broken) > 0:
		r.Status = StatusFail
		r.Summary = broken[0]
		r.Todo = "Use ArnLike (or StringLike) with " + rootARNs + " in the SCP's aws:PrincipalArn condition; StringEquals compares the text literally."
	case len(detached) > 0:
		r.Status = StatusFail
		r.Summary = "a root-deny SCP exists but is not attached: " + listOf(detached, 2)
		r.Todo = "Attach it to the organization root (Organizations → Policies → Service control policies → the policy → Targets)."
	default:
		r.Status = StatusFail
		r.Summary = "no attached SCP denies member-account root"
		r.Todo = "Let rootguard create and attach it (fix org-root-scp), or in the Organizations console create an SCP that denies every action when aws:PrincipalArn is like " + rootARNs + " (the guide has the JSON) and attach it to the organization root."
	}
	return r
}
