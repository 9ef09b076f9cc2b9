package steps

import (
	"context"
	"errors"
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

// awsErrorCode is the AWS error code behind err ("" when there is none).
func awsErrorCode(err error) string {
	var ae *awsops.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
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
	var broad, broadExcept, narrow, detached []string
	var exempt []string // actions a broadly attached NotAction deny leaves to root
	for _, p := range scps {
		if !p.DeniesRoot {
			continue
		}
		name := orText(p.Name, p.ID)
		except := ""
		if len(p.RootDenyExcept) > 0 {
			except = " (denies root except: " + strings.Join(p.RootDenyExcept, ", ") + ")"
		}
		switch {
		case slices.ContainsFunc(p.Targets, func(t string) bool { return strings.HasPrefix(t, "r-") || strings.HasPrefix(t, "ou-") }):
			if except == "" {
				broad = append(broad, name)
			} else {
				broadExcept = append(broadExcept, name)
				exempt = append(exempt, p.RootDenyExcept...)
			}
			ev = append(ev, kv("scp "+name, "attached to "+strings.Join(p.Targets, ", ")+except))
		case len(p.Targets) > 0:
			narrow = append(narrow, name)
			ev = append(ev, kv("scp "+name, "attached to accounts "+strings.Join(p.Targets, ", ")+except))
		default:
			detached = append(detached, name)
			ev = append(ev, kv("scp "+name, "not attached"+except))
		}
	}
	ev = append(ev, kvInt("scps", len(scps)))
	r := Result{Evidence: ev}
	switch {
	case len(broad) > 0:
		r.Status = StatusPass
		r.Summary = "an SCP denies member-account root: " + listOf(broad, 2)
	case len(broadExcept) > 0:
		r.Status = StatusWarn
		r.Summary = "the root-deny SCP " + listOf(broadExcept, 2) + " denies member-account root except: " + listOf(exempt, 4)
		r.Todo = "Make the SCP deny every action (\"Action\": \"*\") for root, or confirm root in member accounts needs those actions."
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
