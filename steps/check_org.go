package steps

import (
	"context"
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
		r.Todo = "Enable " + missing + " in the IAM console (Root access management); rootguard will automate this later."
	default:
		r.Status = StatusFail
		r.Summary = "member accounts still manage their own root credentials"
		r.Todo = "In the IAM console of the management account, open Root access management and enable root credentials management and root sessions. rootguard will automate this later."
		if org.FeatureSet != "" && org.FeatureSet != "ALL" {
			r.Details = append(r.Details, "The organization uses "+org.FeatureSet+" only; centralized root access needs all features.")
		}
	}
	return r
}

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
	scps, err := f.ServiceControlPolicies(ctx)
	if err != nil {
		return Unknown("the service control policies", err)
	}
	var broad, narrow, detached []string
	for _, p := range scps {
		if !p.DeniesRoot {
			continue
		}
		name := orText(p.Name, p.ID)
		switch {
		case slices.ContainsFunc(p.Targets, func(t string) bool { return strings.HasPrefix(t, "r-") || strings.HasPrefix(t, "ou-") }):
			broad = append(broad, name)
			ev = append(ev, kv("scp "+name, "attached to "+strings.Join(p.Targets, ", ")))
		case len(p.Targets) > 0:
			narrow = append(narrow, name)
			ev = append(ev, kv("scp "+name, "attached to accounts "+strings.Join(p.Targets, ", ")))
		default:
			detached = append(detached, name)
			ev = append(ev, kv("scp "+name, "not attached"))
		}
	}
	ev = append(ev, kvInt("scps", len(scps)))
	r := Result{Evidence: ev}
	switch {
	case len(broad) > 0:
		r.Status = StatusPass
		r.Summary = "an SCP denies member-account root: " + listOf(broad, 2)
	case len(narrow) > 0:
		r.Status = StatusWarn
		r.Summary = "the root-deny SCP covers only some accounts: " + listOf(narrow, 2)
		r.Todo = "Attach it to the organization root or to the OUs that hold your member accounts."
	default:
		r.Status = StatusFail
		r.Summary = "no attached SCP denies member-account root"
		if len(detached) > 0 {
			r.Summary = "a root-deny SCP exists but is not attached: " + listOf(detached, 2)
		}
		r.Todo = "In the Organizations console, create (or attach) an SCP that denies root in member accounts; the guide has the JSON. rootguard will automate this later."
	}
	r.Details = []string{"SCPs never apply to the management account itself."}
	return r
}
