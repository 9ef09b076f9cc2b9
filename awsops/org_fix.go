package awsops

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// The Organizations fixes (org-root-access, org-root-scp), management
// account only: the reads they plan from (trusted services, the root, the
// OUs, a policy's content) and their writes (IAM's trusted access, the two
// centralized root access features, the SCP policy type, an SCP and its
// attachments), with the calls that take an SCP back.

// OrganizationsAdminAPI is the part of the Organizations client the org
// fixes use.
type OrganizationsAdminAPI interface {
	ListAWSServiceAccessForOrganization(context.Context, *organizations.ListAWSServiceAccessForOrganizationInput, ...func(*organizations.Options)) (*organizations.ListAWSServiceAccessForOrganizationOutput, error)
	ListRoots(context.Context, *organizations.ListRootsInput, ...func(*organizations.Options)) (*organizations.ListRootsOutput, error)
	ListOrganizationalUnitsForParent(context.Context, *organizations.ListOrganizationalUnitsForParentInput, ...func(*organizations.Options)) (*organizations.ListOrganizationalUnitsForParentOutput, error)
	EnableAWSServiceAccess(context.Context, *organizations.EnableAWSServiceAccessInput, ...func(*organizations.Options)) (*organizations.EnableAWSServiceAccessOutput, error)
	EnablePolicyType(context.Context, *organizations.EnablePolicyTypeInput, ...func(*organizations.Options)) (*organizations.EnablePolicyTypeOutput, error)
	CreatePolicy(context.Context, *organizations.CreatePolicyInput, ...func(*organizations.Options)) (*organizations.CreatePolicyOutput, error)
	UpdatePolicy(context.Context, *organizations.UpdatePolicyInput, ...func(*organizations.Options)) (*organizations.UpdatePolicyOutput, error)
	DeletePolicy(context.Context, *organizations.DeletePolicyInput, ...func(*organizations.Options)) (*organizations.DeletePolicyOutput, error)
	AttachPolicy(context.Context, *organizations.AttachPolicyInput, ...func(*organizations.Options)) (*organizations.AttachPolicyOutput, error)
	DetachPolicy(context.Context, *organizations.DetachPolicyInput, ...func(*organizations.Options)) (*organizations.DetachPolicyOutput, error)
}

// IAMOrgRootAPI is the part of the IAM client the org-root-access fix uses.
type IAMOrgRootAPI interface {
	EnableOrganizationsRootCredentialsManagement(context.Context, *iam.EnableOrganizationsRootCredentialsManagementInput, ...func(*iam.Options)) (*iam.EnableOrganizationsRootCredentialsManagementOutput, error)
	EnableOrganizationsRootSessions(context.Context, *iam.EnableOrganizationsRootSessionsInput, ...func(*iam.Options)) (*iam.EnableOrganizationsRootSessionsOutput, error)
}

// IAMServicePrincipal is IAM's service principal, which needs trusted
// access in Organizations before centralized root access can be enabled.
const IAMServicePrincipal = "iam.amazonaws.com"

// Status of a policy type on the organization root (ListRoots).
const (
	PolicyTypeEnabled        = "ENABLED"
	PolicyTypePendingEnable  = "PENDING_ENABLE"
	PolicyTypePendingDisable = "PENDING_DISABLE"
)

// OrgRoot is the organization's root.
type OrgRoot struct {
	ID   string // r-…
	Name string
	// SCPs is the service control policy type's status on it: ENABLED,
	// PENDING_ENABLE, PENDING_DISABLE, or "" when the type is not enabled.
	SCPs string
}

// OrgUnit is an organizational unit.
type OrgUnit struct {
	ID       string // ou-…
	Name     string
	ParentID string // the root or another OU
}

// NewSCP is a service control policy to create.
type NewSCP struct {
	Name        string
	Description string
	Content     string
}

// OrgDirectory is what the Organizations fixes read before planning
// (management account).
type OrgDirectory interface {
	// TrustedServices lists the service principals with trusted access in
	// Organizations (ListAWSServiceAccessForOrganization).
	TrustedServices(ctx context.Context) ([]string, error)
	// OrganizationRoot: ListRoots (an organization has exactly one root).
	OrganizationRoot(ctx context.Context) (OrgRoot, error)
	// OrganizationalUnits lists every OU under the root, parents first
	// (ListOrganizationalUnitsForParent, walked down).
	OrganizationalUnits(ctx context.Context, rootID string) ([]OrgUnit, error)
	// PolicyContent is a policy's document (DescribePolicy).
	PolicyContent(ctx context.Context, policyID string) (string, error)
}

// OrgRootAccessWriter turns on centralized root access for member accounts.
type OrgRootAccessWriter interface {
	// EnableTrustedAccess gives a service trusted access in Organizations.
	EnableTrustedAccess(ctx context.Context, servicePrincipal string) error
	EnableRootCredentialsManagement(ctx context.Context) error
	EnableRootSessions(ctx context.Context) error
}

// SCPWriter manages service control policies and where they are attached.
type SCPWriter interface {
	// EnableSCPPolicyType enables service control policies on the root and
	// waits until AWS reports them enabled (it is asynchronous). Already
	// enabled is success.
	EnableSCPPolicyType(ctx context.Context, rootID string) error
	// CreateSCP creates the policy and returns its ID (p-…).
	CreateSCP(ctx context.Context, p NewSCP) (string, error)
	UpdateSCPContent(ctx context.Context, policyID, content string) error
	DeleteSCP(ctx context.Context, policyID string) error
	// AttachSCP attaches the policy to a root, an OU or an account;
	// already attached is success.
	AttachSCP(ctx context.Context, policyID, targetID string) error
	DetachSCP(ctx context.Context, policyID, targetID string) error
}

var (
	_ OrgDirectory        = (*AWS)(nil)
	_ OrgRootAccessWriter = (*AWS)(nil)
	_ SCPWriter           = (*AWS)(nil)
)

// Shapes of Organizations IDs (the API reference's patterns). An ID of
// another shape is refused before a request is made.
var (
	orgRootIDPattern   = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	orgUnitIDPattern   = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	orgPolicyIDPattern = regexp.MustCompile(`^p-[0-9a-zA-Z_]{8,128}$`)
)

// IsOrgTargetID reports whether id can be a policy target: the root, an
// OU or a 12-digit account ID.
func IsOrgTargetID(id string) bool {
	return orgRootIDPattern.MatchString(id) || orgUnitIDPattern.MatchString(id) || accountIDPattern.MatchString(id)
}

func badID(permission, what, id string) error {
	return &Error{Kind: KindOther, Permission: permission, Message: "not " + what + ": " + quoteShort(id)}
}

// Bounds of the walk down the OU tree: AWS allows five levels of OUs and
// 2,000 OUs per organization.
const (
	maxOUs     = 2000
	ouPageSize = 20
)

func (a *AWS) TrustedServices(ctx context.Context) ([]string, error) {
	var out []string
	p := organizations.NewListAWSServiceAccessForOrganizationPaginator(a.API.OrgAdmin, &organizations.ListAWSServiceAccessForOrganizationInput{MaxResults: aws.Int32(20)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("organizations:ListAWSServiceAccessForOrganization", err)
		}
		for _, s := range page.EnabledServicePrincipals {
			out = append(out, aws.ToString(s.ServicePrincipal))
		}
	}
	return out, nil
}

func (a *AWS) OrganizationRoot(ctx context.Context) (OrgRoot, error) {
	out, err := a.API.OrgAdmin.ListRoots(ctx, &organizations.ListRootsInput{MaxResults: aws.Int32(20)})
	if err != nil {
		return OrgRoot{}, Wrap("organizations:ListRoots", err)
	}
	if len(out.Roots) != 1 || !orgRootIDPattern.MatchString(aws.ToString(out.Roots[0].Id)) {
		// An organization has exactly one root: anything else is shapeless.
		return OrgRoot{}, &Error{Kind: KindOther, Permission: "organizations:ListRoots",
			Message: fmt.Sprintf("AWS answered with %d organization roots (want exactly one, with an r-… ID)", len(out.Roots))}
	}
	return rootOf(out.Roots[0]), nil
}

func rootOf(r orgtypes.Root) OrgRoot {
	root := OrgRoot{ID: aws.ToString(r.Id), Name: aws.ToString(r.Name)}
	for _, t := range r.PolicyTypes {
		if t.Type == orgtypes.PolicyTypeServiceControlPolicy {
			root.SCPs = string(t.Status)
		}
	}
	return root
}

func (a *AWS) OrganizationalUnits(ctx context.Context, rootID string) ([]OrgUnit, error) {
	const perm = "organizations:ListOrganizationalUnitsForParent"
	if !orgRootIDPattern.MatchString(rootID) {
		return nil, badID(perm, "an organization root ID", rootID)
	}
	var all []OrgUnit
	parents := []string{rootID}
	for depth := 0; len(parents) > 0; depth++ {
		if depth >= maxOUDepth {
			return nil, &Error{Kind: KindOther, Permission: perm, Message: fmt.Sprintf("AWS answered with OUs nested deeper than %d levels", maxOUDepth)}
		}
		var next []string
		for _, parent := range parents {
			p := organizations.NewListOrganizationalUnitsForParentPaginator(a.API.OrgAdmin, &organizations.ListOrganizationalUnitsForParentInput{
				ParentId: aws.String(parent), MaxResults: aws.Int32(ouPageSize),
			})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return nil, Wrap(perm, err)
				}
				for _, ou := range page.OrganizationalUnits {
					id := aws.ToString(ou.Id)
					if !orgUnitIDPattern.MatchString(id) || slices.ContainsFunc(all, func(u OrgUnit) bool { return u.ID == id }) {
						return nil, &Error{Kind: KindOther, Permission: perm, Message: "AWS answered with an OU ID that is malformed or listed twice: " + quoteShort(id)}
					}
					all = append(all, OrgUnit{ID: id, Name: aws.ToString(ou.Name), ParentID: parent})
					next = append(next, id)
				}
				if len(all) > maxOUs {
					return nil, &Error{Kind: KindOther, Permission: perm, Message: fmt.Sprintf("AWS answered with more than %d OUs", maxOUs)}
				}
			}
		}
		parents = next
	}
	return all, nil
}

func (a *AWS) PolicyContent(ctx context.Context, policyID string) (string, error) {
	if !orgPolicyIDPattern.MatchString(policyID) {
		return "", badID("organizations:DescribePolicy", "a policy ID", policyID)
	}
	out, err := a.API.Organizations.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(policyID)})
	if err != nil {
		return "", Wrap("organizations:DescribePolicy", err)
	}
	if out.Policy == nil || out.Policy.Content == nil {
		return "", &Error{Kind: KindOther, Permission: "organizations:DescribePolicy", Message: "AWS answered without the policy's content"}
	}
	return aws.ToString(out.Policy.Content), nil
}

func (a *AWS) EnableTrustedAccess(ctx context.Context, servicePrincipal string) error {
	_, err := a.API.OrgAdmin.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(servicePrincipal)})
	return Wrap("organizations:EnableAWSServiceAccess", err)
}

func (a *AWS) EnableRootCredentialsManagement(ctx context.Context) error {
	_, err := a.API.IAMOrgRoot.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{})
	return Wrap("iam:EnableOrganizationsRootCredentialsManagement", err)
}

func (a *AWS) EnableRootSessions(ctx context.Context) error {
	_, err := a.API.IAMOrgRoot.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	return Wrap("iam:EnableOrganizationsRootSessions", err)
}

// maxPolicyTypePolls bounds the wait for the SCP policy type, whatever
// the backoff (tests poll without waiting).
const maxPolicyTypePolls = 60

func (a *AWS) EnableSCPPolicyType(ctx context.Context, rootID string) error {
	const perm = "organizations:EnablePolicyType"
	if !orgRootIDPattern.MatchString(rootID) {
		return badID(perm, "an organization root ID", rootID)
	}
	out, err := a.API.OrgAdmin.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{
		RootId: aws.String(rootID), PolicyType: orgtypes.PolicyTypeServiceControlPolicy,
	})
	switch {
	case errorCode(err) == "PolicyTypeAlreadyEnabledException":
		// enabled, or still being enabled: the poll below tells
	case err != nil:
		return Wrap(perm, err)
	case out.Root != nil && rootOf(*out.Root).SCPs == PolicyTypeEnabled:
		return nil
	}
	return a.waitForSCPs(ctx, rootID)
}

// waitForSCPs polls ListRoots until the SCP policy type is enabled on the
// root, pacing with a.PolicyTypePoll; bounded by its Timeout, by
// maxPolicyTypePolls and by ctx.
func (a *AWS) waitForSCPs(parent context.Context, rootID string) error {
	const perm = "organizations:ListRoots"
	ctx := parent
	if a.PolicyTypePoll.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, a.PolicyTypePoll.Timeout)
		defer cancel()
	}
	stillPending := func(err error) error {
		return &Error{Kind: KindOther, Permission: perm, Err: err,
			Message: "AWS was still enabling service control policies after " + a.pollWaited() + "; wait a minute and run the fix again (it continues where it stopped)"}
	}
	for attempt := range maxPolicyTypePolls {
		root, err := a.OrganizationRoot(ctx)
		switch {
		case err != nil && parent.Err() == nil && ctx.Err() != nil:
			return stillPending(ctx.Err())
		case err != nil:
			return err
		case root.ID != rootID:
			return &Error{Kind: KindOther, Permission: perm, Message: "AWS answered with another organization root: " + quoteShort(root.ID)}
		case root.SCPs == PolicyTypeEnabled:
			return nil
		case root.SCPs == PolicyTypePendingDisable:
			return &Error{Kind: KindOther, Permission: perm, Message: "service control policies are being disabled on the organization root (someone else turned them off); wait until that ends and run the fix again"}
		}
		if err := sleep(ctx, a.PolicyTypePoll.next(attempt)); err != nil {
			if parent.Err() != nil {
				return Wrap(perm, parent.Err())
			}
			return stillPending(err)
		}
	}
	return stillPending(nil)
}

func (a *AWS) pollWaited() string {
	if a.PolicyTypePoll.Timeout > 0 {
		return a.PolicyTypePoll.Timeout.String()
	}
	return fmt.Sprintf("%d checks", maxPolicyTypePolls)
}

func (a *AWS) CreateSCP(ctx context.Context, p NewSCP) (string, error) {
	const perm = "organizations:CreatePolicy"
	out, err := a.API.OrgAdmin.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String(p.Name), Description: aws.String(p.Description), Content: aws.String(p.Content),
		Type: orgtypes.PolicyTypeServiceControlPolicy,
	})
	if err != nil {
		return "", Wrap(perm, err)
	}
	if out.Policy == nil || out.Policy.PolicySummary == nil || !orgPolicyIDPattern.MatchString(aws.ToString(out.Policy.PolicySummary.Id)) {
		// It may exist now: the fix's undo cannot find it without an ID.
		return "", &Error{Kind: KindOther, Permission: perm, Message: "AWS answered without the new policy's ID; look for " + quoteShort(p.Name) + " under Organizations → Policies"}
	}
	return aws.ToString(out.Policy.PolicySummary.Id), nil
}

func (a *AWS) UpdateSCPContent(ctx context.Context, policyID, content string) error {
	const perm = "organizations:UpdatePolicy"
	if !orgPolicyIDPattern.MatchString(policyID) {
		return badID(perm, "a policy ID", policyID)
	}
	_, err := a.API.OrgAdmin.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String(policyID), Content: aws.String(content)})
	return Wrap(perm, err)
}

func (a *AWS) DeleteSCP(ctx context.Context, policyID string) error {
	const perm = "organizations:DeletePolicy"
	if !orgPolicyIDPattern.MatchString(policyID) {
		return badID(perm, "a policy ID", policyID)
	}
	_, err := a.API.OrgAdmin.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(policyID)})
	return Wrap(perm, err)
}

func (a *AWS) AttachSCP(ctx context.Context, policyID, targetID string) error {
	const perm = "organizations:AttachPolicy"
	if err := checkAttachment(perm, policyID, targetID); err != nil {
		return err
	}
	_, err := a.API.OrgAdmin.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(policyID), TargetId: aws.String(targetID)})
	if errorCode(err) == "DuplicatePolicyAttachmentException" {
		return nil
	}
	return Wrap(perm, err)
}

func (a *AWS) DetachSCP(ctx context.Context, policyID, targetID string) error {
	const perm = "organizations:DetachPolicy"
	if err := checkAttachment(perm, policyID, targetID); err != nil {
		return err
	}
	_, err := a.API.OrgAdmin.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String(policyID), TargetId: aws.String(targetID)})
	return Wrap(perm, err)
}

func checkAttachment(perm, policyID, targetID string) error {
	if !orgPolicyIDPattern.MatchString(policyID) {
		return badID(perm, "a policy ID", policyID)
	}
	if !IsOrgTargetID(targetID) {
		return badID(perm, "an organization root, OU or account ID", targetID)
	}
	return nil
}
