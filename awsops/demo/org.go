package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// The demo's organization (the org scenario): this account is the
// management account of an organization with all features, member accounts
// in two OUs and one under the root, and nothing of the Organizations phase
// done yet: IAM has no trusted access (so no centralized root access), SCPs
// are not enabled and no SCP denies member-account root. Reads answer as
// Organizations and IAM do, and writes are validated like them.

var (
	_ awsops.OrgDirectory        = (*Account)(nil)
	_ awsops.OrgRootAccessWriter = (*Account)(nil)
	_ awsops.SCPWriter           = (*Account)(nil)
)

// The organization's fixed IDs.
const (
	OrgID          = "o-rg7demo42x"
	OrgRootID      = "r-a1b2"
	ProductionOU   = "ou-a1b2-prodx7k3"
	SandboxOU      = "ou-a1b2-sandbx9q"
	fullAWSAccess  = "p-FullAWSAccess"
	maxSCPsPerNode = 5
)

// orgState is the organization, when the account manages one.
type orgState struct {
	id         string
	featureSet string // ALL
	rootID     string
	units      []orgUnit
	members    []orgMember // every account but the management account
	trusted    []string    // service principals with trusted access
	features   []string    // centralized root access features enabled
	scpType    string      // the SCP policy type on the root: "" (off) or ENABLED
	policies   []orgPolicy
	nextPolicy int // the next policy ID's number
}

type orgUnit struct{ id, name, parent string }

type orgMember struct{ id, name, email, parent, state string }

type orgPolicy struct {
	id, name, description, content string
	awsManaged                     bool
	targets                        []string
}

// orgStartingState is the org scenario: the new account's state, as the
// management account of an organization not hardened for Organizations.
func orgStartingState(now time.Time) *state {
	st := startingState(now)
	st.org = &orgState{
		id: OrgID, featureSet: "ALL", rootID: OrgRootID,
		units: []orgUnit{{ProductionOU, "Production", OrgRootID}, {SandboxOU, "Sandbox", OrgRootID}},
		members: []orgMember{
			{"222233334444", "prod-web", "aws-prod-web@acme.example", ProductionOU, "ACTIVE"},
			{"333344445555", "prod-data", "aws-prod-data@acme.example", ProductionOU, "ACTIVE"},
			{"444455556666", "sandbox-dev", "aws-sandbox@acme.example", SandboxOU, "ACTIVE"},
			{"555566667777", "log-archive", "aws-logs@acme.example", OrgRootID, "ACTIVE"},
		},
		policies: []orgPolicy{{id: fullAWSAccess, name: "FullAWSAccess", awsManaged: true,
			description: "Allows access to every operation",
			content:     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}},
		nextPolicy: 1,
	}
	return st
}

// orgErr is an Organizations or IAM error of op.
func orgErr(op string, kind awsops.ErrorKind, code, msg string) error {
	return &awsops.Error{Kind: kind, Permission: permissions[op], Code: code, Message: msg}
}

func notInOrg(op string) error {
	return orgErr(op, awsops.KindNotEnabled, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
}

// Reads of the checks.

// Organization is the demo's organization; nil for a standalone account.
func (a *Account) Organization(ctx context.Context) (*awsops.Organization, error) {
	return read(a, ctx, "Organization", func(st *state) (*awsops.Organization, error) {
		if st.org == nil {
			return nil, nil
		}
		return &awsops.Organization{ID: st.org.id, ManagementAccountID: AccountID, FeatureSet: st.org.featureSet}, nil
	})
}

// OrganizationsRootFeatures: iam ListOrganizationsFeatures, which needs
// IAM's trusted access in Organizations. Empty outside an organization.
func (a *Account) OrganizationsRootFeatures(ctx context.Context) ([]string, error) {
	return read(a, ctx, "OrganizationsRootFeatures", func(st *state) ([]string, error) {
		if st.org == nil {
			return nil, nil
		}
		if err := st.org.iamReady("OrganizationsRootFeatures"); err != nil {
			return nil, err
		}
		return slices.Clone(st.org.features), nil
	})
}

// iamReady is what IAM's centralized root access calls need first.
func (o *orgState) iamReady(op string) error {
	if o.featureSet != "ALL" {
		return orgErr(op, awsops.KindNotEnabled, "OrganizationNotInAllFeaturesModeException", "The organization must have all features enabled.")
	}
	if !slices.Contains(o.trusted, awsops.IAMServicePrincipal) {
		return orgErr(op, awsops.KindNotEnabled, "ServiceAccessNotEnabledException", "Trusted access for IAM is not enabled in AWS Organizations.")
	}
	return nil
}

// ServiceControlPolicies lists the SCPs: AWS managed ones by name only (as
// the real reader does), the others with what they do to root and where
// they are attached. Empty outside an organization.
func (a *Account) ServiceControlPolicies(ctx context.Context) ([]awsops.SCP, error) {
	return read(a, ctx, "ServiceControlPolicies", func(st *state) ([]awsops.SCP, error) {
		if st.org == nil {
			return nil, nil
		}
		var out []awsops.SCP
		for _, p := range st.org.policies {
			scp := awsops.SCP{ID: p.id, Name: p.name}
			if !p.awsManaged {
				d := awsops.AnalyzeRootDeny(p.content)
				scp.DeniesRoot, scp.RootDenyExcept, scp.NarrowedBy, scp.Broken = d.Denies, d.Except, d.NarrowedBy, d.Broken
				scp.Targets = slices.Clone(p.targets)
			}
			out = append(out, scp)
		}
		return out, nil
	})
}

// OrganizationAccounts lists every account with its ancestry; empty
// outside an organization.
func (a *Account) OrganizationAccounts(ctx context.Context) ([]awsops.OrgAccount, error) {
	return read(a, ctx, "OrganizationAccounts", func(st *state) ([]awsops.OrgAccount, error) {
		if st.org == nil {
			return nil, nil
		}
		out := []awsops.OrgAccount{{ID: AccountID, Name: Alias, State: "ACTIVE", Ancestors: []string{st.org.rootID}}}
		for _, m := range st.org.members {
			out = append(out, awsops.OrgAccount{ID: m.id, Name: m.name, State: m.state, Ancestors: st.org.ancestors(m.parent)})
		}
		return out, nil
	})
}

// ancestors is parent and its parents up to the root.
func (o *orgState) ancestors(parent string) []string {
	var chain []string
	for id := parent; id != "" && len(chain) < 8; {
		chain = append(chain, id)
		if id == o.rootID {
			break
		}
		id = o.unit(id).parent
	}
	return chain
}

func (o *orgState) unit(id string) orgUnit {
	for _, u := range o.units {
		if u.id == id {
			return u
		}
	}
	return orgUnit{}
}

// Reads of the fixes.

func (a *Account) TrustedServices(ctx context.Context) ([]string, error) {
	return read(a, ctx, "TrustedServices", func(st *state) ([]string, error) {
		if st.org == nil {
			return nil, notInOrg("TrustedServices")
		}
		return slices.Clone(st.org.trusted), nil
	})
}

func (a *Account) OrganizationRoot(ctx context.Context) (awsops.OrgRoot, error) {
	return read(a, ctx, "OrganizationRoot", func(st *state) (awsops.OrgRoot, error) {
		if st.org == nil {
			return awsops.OrgRoot{}, notInOrg("OrganizationRoot")
		}
		return awsops.OrgRoot{ID: st.org.rootID, Name: "Root", SCPs: st.org.scpType}, nil
	})
}

func (a *Account) OrganizationalUnits(ctx context.Context, rootID string) ([]awsops.OrgUnit, error) {
	return read(a, ctx, "OrganizationalUnits", func(st *state) ([]awsops.OrgUnit, error) {
		if st.org == nil {
			return nil, notInOrg("OrganizationalUnits")
		}
		if rootID != st.org.rootID {
			return nil, orgErr("OrganizationalUnits", awsops.KindNotFound, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.")
		}
		var out []awsops.OrgUnit
		for _, u := range st.org.units {
			out = append(out, awsops.OrgUnit{ID: u.id, Name: u.name, ParentID: u.parent})
		}
		return out, nil
	})
}

func (a *Account) PolicyContent(ctx context.Context, policyID string) (string, error) {
	return read(a, ctx, "PolicyContent", func(st *state) (string, error) {
		if st.org == nil {
			return "", notInOrg("PolicyContent")
		}
		p := st.org.policy(policyID)
		if p == nil {
			return "", policyNotFound("PolicyContent")
		}
		return p.content, nil
	})
}

func (o *orgState) policy(id string) *orgPolicy {
	for i := range o.policies {
		if o.policies[i].id == id {
			return &o.policies[i]
		}
	}
	return nil
}

func policyNotFound(op string) error {
	return orgErr(op, awsops.KindNotFound, "PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.")
}

// Writes of org-root-access.

func (a *Account) EnableTrustedAccess(ctx context.Context, principal string) error {
	const op = "EnableTrustedAccess"
	return a.write(ctx, op, "ServicePrincipal="+principal, func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		if !strings.HasSuffix(principal, ".amazonaws.com") || strings.ContainsAny(principal, " /") {
			return orgErr(op, awsops.KindOther, "InvalidInputException", "You provided a value that does not match the required pattern.")
		}
		if !slices.Contains(st.org.trusted, principal) {
			st.org.trusted = append(st.org.trusted, principal)
		}
		return nil
	})
}

func (a *Account) EnableRootCredentialsManagement(ctx context.Context) error {
	return a.enableRootFeature(ctx, "EnableRootCredentialsManagement", "RootCredentialsManagement")
}

func (a *Account) EnableRootSessions(ctx context.Context) error {
	return a.enableRootFeature(ctx, "EnableRootSessions", "RootSessions")
}

func (a *Account) enableRootFeature(ctx context.Context, op, feature string) error {
	return a.write(ctx, op, "", func(st *state) error {
		if st.org == nil {
			return orgErr(op, awsops.KindOther, "OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.")
		}
		if err := st.org.iamReady(op); err != nil {
			return err
		}
		if !slices.Contains(st.org.features, feature) {
			st.org.features = append(st.org.features, feature)
		}
		return nil
	})
}

// Writes of org-root-scp.

// EnableSCPPolicyType enables SCPs at once (AWS takes a few seconds, which
// the real writer waits out) and, as AWS does, attaches FullAWSAccess to
// the root, every OU and every account, so nothing is denied yet.
func (a *Account) EnableSCPPolicyType(ctx context.Context, rootID string) error {
	const op = "EnableSCPPolicyType"
	return a.write(ctx, op, "RootId="+rootID+" PolicyType=SERVICE_CONTROL_POLICY", func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		if rootID != st.org.rootID {
			return orgErr(op, awsops.KindNotFound, "RootNotFoundException", "We can't find a root with the RootId that you specified.")
		}
		st.org.enableSCPs()
		return nil
	})
}

// enableSCPs turns the SCP policy type on, with FullAWSAccess everywhere.
func (o *orgState) enableSCPs() {
	if o.scpType == awsops.PolicyTypeEnabled {
		return
	}
	o.scpType = awsops.PolicyTypeEnabled
	if full := o.policy(fullAWSAccess); full != nil {
		full.targets = append([]string{o.rootID}, o.unitIDs()...)
		for _, m := range o.members {
			full.targets = append(full.targets, m.id)
		}
		full.targets = append(full.targets, AccountID)
	}
}

func (o *orgState) unitIDs() []string {
	var ids []string
	for _, u := range o.units {
		ids = append(ids, u.id)
	}
	return ids
}

// maxSCPBytes is the largest SCP document AWS accepts.
const maxSCPBytes = 5120

func validSCPContent(op, content string) error {
	var doc struct {
		Version   string
		Statement json.RawMessage
	}
	switch {
	case len(content) > maxSCPBytes:
		return orgErr(op, awsops.KindOther, "ConstraintViolationException", fmt.Sprintf("The provided policy document exceeds the maximum size of %d characters.", maxSCPBytes))
	case json.Unmarshal([]byte(content), &doc) != nil || doc.Version != "2012-10-17" || len(doc.Statement) == 0:
		return orgErr(op, awsops.KindOther, "MalformedPolicyDocumentException", "The provided policy document does not meet the requirements of the specified policy type.")
	}
	return nil
}

func (a *Account) CreateSCP(ctx context.Context, p awsops.NewSCP) (string, error) {
	const op = "CreateSCP"
	var id string
	err := a.write(ctx, op, "Name="+p.Name+" Type=SERVICE_CONTROL_POLICY", func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		if n := len(p.Name); n == 0 || n > 128 || len(p.Description) > 512 {
			return orgErr(op, awsops.KindOther, "InvalidInputException", "The policy name must be 1-128 characters and its description at most 512.")
		}
		if err := validSCPContent(op, p.Content); err != nil {
			return err
		}
		for _, q := range st.org.policies {
			if q.name == p.Name {
				return orgErr(op, awsops.KindOther, "DuplicatePolicyException", "A policy with the same name already exists.")
			}
		}
		id = fmt.Sprintf("p-demo%04d", st.org.nextPolicy)
		st.org.nextPolicy++
		st.org.policies = append(st.org.policies, orgPolicy{id: id, name: p.Name, description: p.Description, content: p.Content})
		return nil
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// customerPolicy finds a policy rootguard may change (not AWS managed).
func (o *orgState) customerPolicy(op, id string) (*orgPolicy, error) {
	p := o.policy(id)
	switch {
	case p == nil:
		return nil, policyNotFound(op)
	case p.awsManaged:
		return nil, orgErr(op, awsops.KindOther, "PolicyChangesInProgressException", "You can't change an AWS managed policy.")
	}
	return p, nil
}

func (a *Account) UpdateSCPContent(ctx context.Context, policyID, content string) error {
	const op = "UpdateSCPContent"
	return a.write(ctx, op, "PolicyId="+policyID, func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		p, err := st.org.customerPolicy(op, policyID)
		if err != nil {
			return err
		}
		if err := validSCPContent(op, content); err != nil {
			return err
		}
		p.content = content
		return nil
	})
}

func (a *Account) DeleteSCP(ctx context.Context, policyID string) error {
	const op = "DeleteSCP"
	return a.write(ctx, op, "PolicyId="+policyID, func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		p, err := st.org.customerPolicy(op, policyID)
		if err != nil {
			return err
		}
		if len(p.targets) > 0 {
			return orgErr(op, awsops.KindOther, "PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
		}
		st.org.policies = slices.DeleteFunc(st.org.policies, func(q orgPolicy) bool { return q.id == policyID })
		return nil
	})
}

// hasTarget reports whether id is the root, an OU or an account.
func (o *orgState) hasTarget(id string) bool {
	if id == o.rootID || id == AccountID || slices.Contains(o.unitIDs(), id) {
		return true
	}
	return slices.ContainsFunc(o.members, func(m orgMember) bool { return m.id == id })
}

// AttachSCP attaches a policy; already attached is success (as the real
// writer treats DuplicatePolicyAttachmentException).
func (a *Account) AttachSCP(ctx context.Context, policyID, targetID string) error {
	const op = "AttachSCP"
	return a.write(ctx, op, "PolicyId="+policyID+" TargetId="+targetID, func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		if st.org.scpType != awsops.PolicyTypeEnabled {
			return orgErr(op, awsops.KindOther, "PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.")
		}
		p := st.org.policy(policyID)
		if p == nil {
			return policyNotFound(op)
		}
		if !st.org.hasTarget(targetID) {
			return orgErr(op, awsops.KindNotFound, "TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.")
		}
		if slices.Contains(p.targets, targetID) {
			return nil
		}
		attached := 0
		for _, q := range st.org.policies {
			if slices.Contains(q.targets, targetID) {
				attached++
			}
		}
		if attached >= maxSCPsPerNode {
			return orgErr(op, awsops.KindOther, "ConstraintViolationException", "You attempted to exceed the number of policies of a certain type that can be attached to an entity.")
		}
		p.targets = append(p.targets, targetID)
		return nil
	})
}

func (a *Account) DetachSCP(ctx context.Context, policyID, targetID string) error {
	const op = "DetachSCP"
	return a.write(ctx, op, "PolicyId="+policyID+" TargetId="+targetID, func(st *state) error {
		if st.org == nil {
			return notInOrg(op)
		}
		p := st.org.policy(policyID)
		if p == nil {
			return policyNotFound(op)
		}
		if !slices.Contains(p.targets, targetID) {
			return orgErr(op, awsops.KindNotFound, "PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.")
		}
		p.targets = slices.DeleteFunc(p.targets, func(t string) bool { return t == targetID })
		return nil
	})
}

// The console simulations of the Organizations items.

// rootDenySCP is the SCP the simulation creates: the guide's, which the
// org-root-scp fix creates too.
const rootDenySCP = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyMemberRoot","Effect":"Deny","Action":"*","Resource":"*",` +
	`"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}}]}`

// ensureOrgRootAccess: IAM's trusted access and both features, as the
// IAM console's Root access management page turns them on.
func (st *state) ensureOrgRootAccess(time.Time) {
	o := st.org
	if o == nil {
		return
	}
	for _, add := range []struct {
		list *[]string
		v    string
	}{{&o.trusted, awsops.IAMServicePrincipal}, {&o.features, "RootCredentialsManagement"}, {&o.features, "RootSessions"}} {
		if !slices.Contains(*add.list, add.v) {
			*add.list = append(*add.list, add.v)
		}
	}
}

// ensureOrgRootSCP: SCPs enabled, and an SCP denying member-account root
// attached to the root, unless one already denies root there.
func (st *state) ensureOrgRootSCP(time.Time) {
	o := st.org
	if o == nil {
		return
	}
	o.enableSCPs()
	for _, p := range o.policies {
		if d := awsops.AnalyzeRootDeny(p.content); !p.awsManaged && d.Denies && len(d.Except)+len(d.NarrowedBy) == 0 && slices.Contains(p.targets, o.rootID) {
			return
		}
	}
	id := fmt.Sprintf("p-demo%04d", o.nextPolicy)
	o.nextPolicy++
	name := "deny-member-root"
	for slices.ContainsFunc(o.policies, func(p orgPolicy) bool { return p.name == name }) {
		name += "-2"
	}
	o.policies = append(o.policies, orgPolicy{id: id, name: name, description: "Deny member-account root",
		content: rootDenySCP, targets: []string{o.rootID}})
}
