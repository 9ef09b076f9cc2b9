package awsops

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"golang.org/x/sync/errgroup"
)

// IdentityCenterAccess reads what an Identity Center instance grants one
// account: the permission sets provisioned to it and, for each at once, its
// name, managed, inline and customer-managed policies and its assignments
// to the account; then whether each assigned group has a member (one
// membership is enough). It works from the management account or the
// delegated administrator, in the instance's region.
func (a *AWS) IdentityCenterAccess(ctx context.Context, in IdentityCenterInstance, accountID string) ([]PermissionSetAccess, error) {
	client := a.API.SSOAdmin
	if in.Region != "" && in.Region != a.region {
		client = a.API.SSOAdminIn(in.Region)
	}
	instance := aws.String(in.ARN)
	var sets []PermissionSetAccess
	p := ssoadmin.NewListPermissionSetsProvisionedToAccountPaginator(client, &ssoadmin.ListPermissionSetsProvisionedToAccountInput{
		InstanceArn: instance, AccountId: aws.String(accountID), MaxResults: aws.Int32(100),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("sso:ListPermissionSetsProvisionedToAccount", err)
		}
		for _, arn := range page.PermissionSets {
			sets = append(sets, PermissionSetAccess{ARN: arn})
		}
	}
	members := &groupMembers{a: a, region: in.Region, store: in.IdentityStoreID, seen: map[string]*hasMembers{}}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i := range sets {
		ps := &sets[i]
		g.Go(func() error { return a.fillPermissionSet(gctx, client, instance, accountID, ps, members) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return sets, nil
}

func (a *AWS) fillPermissionSet(ctx context.Context, client SSOAdminAPI, instance *string, accountID string, ps *PermissionSetAccess, members *groupMembers) error {
	set := aws.String(ps.ARN)
	var g errgroup.Group
	g.Go(func() error {
		out, err := client.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: instance, PermissionSetArn: set})
		if err != nil {
			return Wrap("sso:DescribePermissionSet", err)
		}
		if out.PermissionSet != nil {
			ps.Name = aws.ToString(out.PermissionSet.Name)
		}
		return nil
	})
	g.Go(func() error {
		p := ssoadmin.NewListManagedPoliciesInPermissionSetPaginator(client, &ssoadmin.ListManagedPoliciesInPermissionSetInput{
			InstanceArn: instance, PermissionSetArn: set, MaxResults: aws.Int32(100)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return Wrap("sso:ListManagedPoliciesInPermissionSet", err)
			}
			for _, m := range page.AttachedManagedPolicies {
				ps.ManagedPolicies = append(ps.ManagedPolicies, aws.ToString(m.Arn))
			}
		}
		return nil
	})
	g.Go(func() error {
		out, err := client.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: instance, PermissionSetArn: set})
		if err != nil {
			return Wrap("sso:GetInlinePolicyForPermissionSet", err)
		}
		ps.InlinePolicy = aws.ToString(out.InlinePolicy)
		return nil
	})
	g.Go(func() error {
		p := ssoadmin.NewListCustomerManagedPolicyReferencesInPermissionSetPaginator(client, &ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
			InstanceArn: instance, PermissionSetArn: set, MaxResults: aws.Int32(100)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return Wrap("sso:ListCustomerManagedPolicyReferencesInPermissionSet", err)
			}
			for _, r := range page.CustomerManagedPolicyReferences {
				ps.CustomerPolicies = append(ps.CustomerPolicies, orText(aws.ToString(r.Path), "/")+aws.ToString(r.Name))
			}
		}
		return nil
	})
	g.Go(func() error {
		var assigned []ssotypes.AccountAssignment
		p := ssoadmin.NewListAccountAssignmentsPaginator(client, &ssoadmin.ListAccountAssignmentsInput{
			InstanceArn: instance, AccountId: aws.String(accountID), PermissionSetArn: set, MaxResults: aws.Int32(100)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return Wrap("sso:ListAccountAssignments", err)
			}
			assigned = append(assigned, page.AccountAssignments...)
		}
		ps.Assignments = make([]Assignment, len(assigned))
		var mg errgroup.Group
		for i, as := range assigned {
			ps.Assignments[i] = Assignment{PrincipalType: string(as.PrincipalType), PrincipalID: aws.ToString(as.PrincipalId)}
			if as.PrincipalType != ssotypes.PrincipalTypeGroup {
				continue
			}
			mg.Go(func() error {
				var err error
				ps.Assignments[i].GroupHasMembers, err = members.any(ctx, aws.ToString(as.PrincipalId))
				return err
			})
		}
		return mg.Wait()
	})
	return g.Wait()
}

// groupMembers asks the identity store once per group whether it has a member.
type groupMembers struct {
	a      *AWS
	region string
	store  string
	mu     sync.Mutex
	seen   map[string]*hasMembers
}

type hasMembers struct {
	once sync.Once
	yes  bool
	err  error
}

func (m *groupMembers) any(ctx context.Context, group string) (bool, error) {
	m.mu.Lock()
	h, ok := m.seen[group]
	if !ok {
		h = &hasMembers{}
		m.seen[group] = h
	}
	m.mu.Unlock()
	h.once.Do(func() {
		out, err := m.a.API.IdentityStoreIn(firstNonEmpty(m.region, m.a.region)).ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{
			IdentityStoreId: aws.String(m.store), GroupId: aws.String(group), MaxResults: aws.Int32(1),
		})
		if err != nil {
			h.err = Wrap("identitystore:ListGroupMemberships", err)
			return
		}
		h.yes = len(out.GroupMemberships) > 0
	})
	return h.yes, h.err
}
