package awsops

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/sync/errgroup"
)

// adminPolicySuffix ends the AWS managed AdministratorAccess ARN in every
// partition (arn:aws:…, arn:aws-cn:…, arn:aws-us-gov:…).
const adminPolicySuffix = ":iam::aws:policy/AdministratorAccess"

// denyAllPolicySuffix is the AWS managed policy that denies everything.
const denyAllPolicySuffix = ":iam::aws:policy/AWSDenyAll"

// identityCenterRolePath is where Identity Center provisions the role of
// each permission set assigned to an account.
const identityCenterRolePath = "/aws-reserved/sso.amazonaws.com/"

func isAdministratorAccess(arn string) bool {
	return strings.HasPrefix(arn, "arn:") && strings.HasSuffix(arn, adminPolicySuffix)
}

// localPolicy is one of the account's own managed policies (default version).
type localPolicy struct {
	name, path string
	full       bool
	denials    []string
}

// rights adds up what a set of policies grants and what cuts it down.
type rights struct {
	grants []string // how full rights are granted
	limits []string // what cuts them down
}

func (r *rights) attached(policies []iamtypes.AttachedPolicy, local map[string]localPolicy, suffix string) {
	for _, p := range policies {
		arn := aws.ToString(p.PolicyArn)
		switch {
		case isAdministratorAccess(arn):
			r.grants = append(r.grants, "AdministratorAccess"+suffix)
		case strings.HasSuffix(arn, denyAllPolicySuffix):
			r.limits = append(r.limits, "AWSDenyAll"+suffix)
		default:
			lp, ok := local[arn]
			if !ok {
				continue
			}
			if lp.full {
				r.grants = append(r.grants, "policy "+lp.name+suffix)
			}
			for _, d := range lp.denials {
				r.limits = append(r.limits, "Deny "+d+" in policy "+lp.name+suffix)
			}
		}
	}
}

func (r *rights) inline(policies []iamtypes.PolicyDetail, suffix string) {
	for _, p := range policies {
		doc, name := aws.ToString(p.PolicyDocument), aws.ToString(p.PolicyName)
		if GrantsFullAccess(doc) {
			r.grants = append(r.grants, "inline policy "+name+suffix)
		}
		for _, d := range PolicyDenials(doc) {
			r.limits = append(r.limits, "Deny "+d+" in inline policy "+name+suffix)
		}
	}
}

func (r *rights) boundary(b *iamtypes.AttachedPermissionsBoundary, local map[string]localPolicy) {
	if b == nil {
		return
	}
	arn := aws.ToString(b.PermissionsBoundaryArn)
	if arn == "" || isAdministratorAccess(arn) {
		return
	}
	if lp, ok := local[arn]; ok && lp.full && len(lp.denials) == 0 {
		return
	}
	r.limits = append(r.limits, "permissions boundary "+arn[strings.LastIndex(arn, "/")+1:])
}

// Administrators finds the users and roles whose policies grant full
// rights, with what cuts those rights down, from one paginated
// GetAccountAuthorizationDetails read; then each admin user's console
// password and MFA devices, concurrently.
func (a *AWS) Administrators(ctx context.Context) (*Administrators, error) {
	var (
		users  []iamtypes.UserDetail
		groups = map[string]iamtypes.GroupDetail{}
		roles  []iamtypes.RoleDetail
		local  = map[string]localPolicy{}
	)
	p := iam.NewGetAccountAuthorizationDetailsPaginator(a.API.IAM, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []iamtypes.EntityType{iamtypes.EntityTypeUser, iamtypes.EntityTypeGroup, iamtypes.EntityTypeRole, iamtypes.EntityTypeLocalManagedPolicy},
		MaxItems: aws.Int32(1000),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:GetAccountAuthorizationDetails", err)
		}
		users = append(users, page.UserDetailList...)
		roles = append(roles, page.RoleDetailList...)
		for _, g := range page.GroupDetailList {
			groups[aws.ToString(g.GroupName)] = g
		}
		for _, pol := range page.Policies {
			lp := localPolicy{name: aws.ToString(pol.PolicyName), path: aws.ToString(pol.Path)}
			for _, v := range pol.PolicyVersionList {
				if v.IsDefaultVersion {
					doc := aws.ToString(v.Document)
					lp.full, lp.denials = GrantsFullAccess(doc), PolicyDenials(doc)
				}
			}
			local[aws.ToString(pol.Arn)] = lp
		}
	}

	out := &Administrators{}
	for _, lp := range local {
		if lp.full {
			out.FullAccessPolicies = append(out.FullAccessPolicies, orText(lp.path, "/")+lp.name)
		}
	}
	slices.Sort(out.FullAccessPolicies)
	for _, u := range users {
		var r rights
		r.attached(u.AttachedManagedPolicies, local, "")
		r.inline(u.UserPolicyList, "")
		names := slices.Clone(u.GroupList)
		slices.Sort(names)
		for _, gn := range names {
			g, ok := groups[gn]
			if !ok {
				continue
			}
			r.attached(g.AttachedManagedPolicies, local, " via group "+gn)
			r.inline(g.GroupPolicyList, " of group "+gn)
		}
		r.boundary(u.PermissionsBoundary, local)
		if len(r.grants) == 0 {
			continue
		}
		out.Users = append(out.Users, AdminUser{Name: aws.ToString(u.UserName), ARN: aws.ToString(u.Arn),
			Via: r.grants[0], LimitedBy: strings.Join(r.limits, "; "), Created: aws.ToTime(u.CreateDate)})
	}
	for _, role := range roles {
		var r rights
		r.attached(role.AttachedManagedPolicies, local, "")
		r.inline(role.RolePolicyList, "")
		r.boundary(role.PermissionsBoundary, local)
		if len(r.grants) == 0 {
			continue
		}
		out.Roles = append(out.Roles, AdminRole{
			Name: aws.ToString(role.RoleName), ARN: aws.ToString(role.Arn),
			Via: r.grants[0], LimitedBy: strings.Join(r.limits, "; "), Created: aws.ToTime(role.CreateDate),
			IdentityCenter: strings.HasPrefix(aws.ToString(role.Path), identityCenterRolePath),
			Federated:      FederatedProviders(aws.ToString(role.AssumeRolePolicyDocument)),
		})
	}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i := range out.Users {
		u := &out.Users[i]
		g.Go(func() error { return a.fillAdminUser(gctx, u) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// fillAdminUser reads a user's console password and MFA devices at once.
func (a *AWS) fillAdminUser(ctx context.Context, u *AdminUser) error {
	var g errgroup.Group
	g.Go(func() error {
		var err error
		u.ConsoleAccess, err = a.hasLoginProfile(ctx, u.Name)
		return err
	})
	g.Go(func() error {
		devices, err := a.mfaDevices(ctx, u.Name)
		u.MFADevices = len(devices)
		return err
	})
	return g.Wait()
}

func (a *AWS) hasLoginProfile(ctx context.Context, user string) (bool, error) {
	_, err := a.API.IAM.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	switch {
	case err == nil:
		return true, nil
	case isNoSuchEntity(err):
		return false, nil
	}
	return false, Wrap("iam:GetLoginProfile", err)
}

// FederatedProviders lists the SAML and OIDC providers a role's trust
// policy lets assume it (sts:AssumeRoleWithSAML, AssumeRoleWithWebIdentity).
func FederatedProviders(trustPolicy string) []string {
	doc, ok := parsePolicy(trustPolicy)
	if !ok {
		return nil
	}
	var out []string
	for _, s := range doc.Statement {
		if !s.allow() || len(s.Principal.Federated) == 0 {
			continue
		}
		if !slices.ContainsFunc(federationActions, s.coversAction) {
			continue
		}
		for _, p := range s.Principal.Federated {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// IdentityProviders lists the account's IAM SAML and OIDC providers.
func (a *AWS) IdentityProviders(ctx context.Context) ([]IdentityProvider, error) {
	var (
		saml, oidc []IdentityProvider
		g          errgroup.Group
	)
	g.Go(func() error {
		out, err := a.API.IAM.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
		if err != nil {
			return Wrap("iam:ListSAMLProviders", err)
		}
		for _, p := range out.SAMLProviderList {
			saml = append(saml, IdentityProvider{ARN: aws.ToString(p.Arn), Kind: "SAML"})
		}
		return nil
	})
	g.Go(func() error {
		out, err := a.API.IAM.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
		if err != nil {
			return Wrap("iam:ListOpenIDConnectProviders", err)
		}
		for _, p := range out.OpenIDConnectProviderList {
			oidc = append(oidc, IdentityProvider{ARN: aws.ToString(p.Arn), Kind: "OIDC"})
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return append(saml, oidc...), nil
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
