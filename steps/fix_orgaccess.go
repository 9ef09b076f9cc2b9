package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rootguard/rootguard/awsops"
)

// The org-root-access fix, in the organization's management account: give
// IAM trusted access in Organizations, then turn on centralized root
// credentials management and root sessions, each only when it is off.

// FixOrgRootAccess is the item (and fix) ID.
const FixOrgRootAccess = "org-root-access"

// needsManagement is what the Organizations fixes need.
const needsManagement = "the organization's management account"

// orgCaller is who runs an Organizations fix and in which organization.
type orgCaller struct {
	Identity awsops.Identity
	Org      *awsops.Organization // nil: not in an organization
}

// management reports whether the caller is the management account.
func (c orgCaller) management() bool {
	return c.Org != nil && c.Org.ManagementAccountID == c.Identity.Account
}

// loadOrgCaller reads the caller and its organization.
func loadOrgCaller(ctx context.Context, f *Facts) (orgCaller, error) {
	var (
		c             orgCaller
		idErr, orgErr error
	)
	concurrently(
		func() { c.Identity, idErr = f.Identity(ctx) },
		func() { c.Org, orgErr = organizationOf(ctx, f) },
	)
	return c, firstErr(idErr, orgErr)
}

// notAvailable says why an Organizations fix cannot run here (nil when
// it can): outside an organization, in a member account, or in an
// organization without all features.
func (c orgCaller) notAvailable(fix string) error {
	switch {
	case c.Org == nil:
		return fmt.Errorf("the %s fix is not available: it needs %s, and this account (%s) is not in an organization; the item does not apply here", fix, needsManagement, c.Identity.Account)
	case !c.management():
		return fmt.Errorf("the %s fix is not available here: it needs %s, and this account (%s) is a member of organization %s; run rootguard with credentials of the management account (%s)",
			fix, needsManagement, c.Identity.Account, c.Org.ID, orText(c.Org.ManagementAccountID, "see Organizations in the console"))
	case c.Org.FeatureSet != "" && c.Org.FeatureSet != "ALL":
		return fmt.Errorf("the %s fix needs an organization with all features, and %s has %s only: enable all features (Organizations → Settings), then run the fix again",
			fix, c.Org.ID, c.Org.FeatureSet)
	}
	return nil
}

// confirmManagement asks for the management account's ID to be typed.
func (c orgCaller) confirmManagement(what string) *TypedConfirm {
	return &TypedConfirm{Prompt: fmt.Sprintf("Type the management account's ID (%s) to %s", c.Identity.Account, what), Want: c.Identity.Account}
}

// orgAccessState is what the org-root-access fix plans from.
type orgAccessState struct {
	orgCaller
	Trusted  bool     // IAM has trusted access in Organizations
	Features []string // centralized root access features enabled
}

func orgRootAccessFix() Fix {
	return NewFix(FixDef[orgAccessState]{
		ID:      FixOrgRootAccess,
		Title:   "Turn on centralized root access for member accounts",
		Summary: "give IAM trusted access, then turn on root credentials management and root sessions (management account)",
		Intro: "Give IAM trusted access in Organizations, then turn on root credentials management and root sessions, so that member accounts need no root password or MFA of their own. " +
			"New member accounts are then created without root credentials; existing ones keep theirs until you remove them.",
		Needs:  needsManagement,
		Reads:  "the organization's trusted services and centralized root access",
		Writes: []string{"organizations:ListAWSServiceAccessForOrganization", "organizations:EnableAWSServiceAccess", "iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions"},
		Load:   loadOrgAccess,
		Plan:   planOrgRootAccess,
	})
}

func loadOrgAccess(ctx context.Context, f *Facts) (orgAccessState, error) {
	c, err := loadOrgCaller(ctx, f)
	st := orgAccessState{orgCaller: c}
	if err != nil || c.notAvailable(FixOrgRootAccess) != nil {
		return st, err // Plan says why the fix is not available
	}
	dir, ok := f.Source().(awsops.OrgDirectory)
	if !ok {
		return st, errors.New("internal error: this account cannot read its organization")
	}
	var (
		services           []string
		servicesErr, feErr error
	)
	concurrently(
		func() { services, servicesErr = dir.TrustedServices(ctx) },
		func() { st.Features, feErr = f.OrganizationsRootFeatures(ctx) },
	)
	if servicesErr != nil {
		return st, servicesErr
	}
	st.Trusted = slices.Contains(services, awsops.IAMServicePrincipal)
	switch awsErrorCode(feErr) {
	case "ServiceAccessNotEnabledException": // IAM's answer without trusted access: nothing is on
		st.Features = nil
	case "":
		if feErr != nil {
			return st, feErr
		}
	default:
		return st, feErr
	}
	return st, nil
}

func planOrgRootAccess(st orgAccessState, _ Input) (Plan, error) {
	if err := st.notAvailable(FixOrgRootAccess); err != nil {
		return Plan{}, err
	}
	creds := slices.Contains(st.Features, featureRootCredentials)
	sessions := slices.Contains(st.Features, featureRootSessions)
	p := Plan{ItemID: FixOrgRootAccess, Title: "Turn on centralized root access in organization " + st.Org.ID}
	if st.Trusted && creds && sessions {
		p.NoOp = true
		p.Notes = []string{"IAM has trusted access, and root credentials management and root sessions are on."}
		return p, nil
	}
	var done []string
	if !st.Trusted {
		p.Calls = append(p.Calls, NewCall("organizations:EnableAWSServiceAccess", "IAM's trusted access in Organizations",
			[]Evidence{kv("ServicePrincipal", awsops.IAMServicePrincipal)},
			func(ctx context.Context, w awsops.Writer) error {
				ow, err := orgAccessWriter(w)
				if err != nil {
					return err
				}
				return ow.EnableTrustedAccess(ctx, awsops.IAMServicePrincipal)
			}))
		p.Changes = append(p.Changes, Change{Field: "IAM trusted access in Organizations", Current: "off", Proposed: "on"})
		done = append(done, "IAM trusted access")
	}
	if !creds {
		p.Calls = append(p.Calls, NewCall("iam:EnableOrganizationsRootCredentialsManagement", "root credentials management", nil,
			func(ctx context.Context, w awsops.Writer) error {
				ow, err := orgAccessWriter(w)
				if err != nil {
					return err
				}
				return ow.EnableRootCredentialsManagement(ctx)
			}))
		p.Changes = append(p.Changes, Change{Field: "Root credentials management", Current: "off", Proposed: "on"})
		done = append(done, "root credentials management")
	} else {
		p.Kept = append(p.Kept, kv("Root credentials management", "on"))
	}
	if !sessions {
		p.Calls = append(p.Calls, NewCall("iam:EnableOrganizationsRootSessions", "root sessions", nil,
			func(ctx context.Context, w awsops.Writer) error {
				ow, err := orgAccessWriter(w)
				if err != nil {
					return err
				}
				return ow.EnableRootSessions(ctx)
			}))
		p.Changes = append(p.Changes, Change{Field: "Root sessions", Current: "off", Proposed: "on"})
		done = append(done, "root sessions")
	} else {
		p.Kept = append(p.Kept, kv("Root sessions", "on"))
	}
	if st.Trusted {
		p.Kept = append([]Evidence{kv("IAM trusted access in Organizations", "on")}, p.Kept...)
	}
	p.Notes = []string{
		"New member accounts are created without root credentials: no root password, access keys or MFA to look after.",
		"Existing member accounts keep their root credentials until you remove them: in the IAM console of this account, Root access management → choose the account → Delete root user credentials " +
			"(or `aws sts assume-root` with the IAMDeleteRootUserCredentials task policy, then delete the login profile, keys and MFA devices).",
		"Root sessions let this account run short, task-scoped root actions in a member account (sts:AssumeRoot, at most 15 minutes), e.g. unlock a bucket policy that locks everyone out, without that account's root password.",
		"Each of these is safe on its own: if a later call fails, what was turned on stays on, and running the fix again finishes it.",
	}
	p.Warnings = []string{"This changes how root works in every member account of organization " + st.Org.ID + ", present and future."}
	p.Confirm = st.confirmManagement("turn it on")
	p.record = "turned on centralized root access in organization " + st.Org.ID + " (" + listOf(done, 3) + ")"
	return p, nil
}

func orgAccessWriter(w awsops.Writer) (awsops.OrgRootAccessWriter, error) {
	ow, ok := w.(awsops.OrgRootAccessWriter)
	if !ok {
		return nil, errors.New("internal error: this account cannot change Organizations settings")
	}
	return ow, nil
}
