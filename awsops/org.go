package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"golang.org/x/sync/errgroup"
)

// Organization returns the caller's organization, nil when the account is
// not in one.
func (a *AWS) Organization(ctx context.Context) (*Organization, error) {
	out, err := a.API.Organizations.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	var notInUse *orgtypes.AWSOrganizationsNotInUseException
	if errors.As(err, &notInUse) || errorCode(err) == "AWSOrganizationsNotInUseException" {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap("organizations:DescribeOrganization", err)
	}
	o := out.Organization
	if o == nil || aws.ToString(o.Id) == "" {
		// "Not in an organization" is AWSOrganizationsNotInUseException,
		// never an answer without one.
		return nil, &Error{Kind: KindOther, Permission: "organizations:DescribeOrganization",
			Message: "AWS answered without an organization"}
	}
	return &Organization{
		ID:                  aws.ToString(o.Id),
		ManagementAccountID: aws.ToString(o.MasterAccountId),
		FeatureSet:          string(o.FeatureSet),
	}, nil
}

// ServiceControlPolicies lists the organization's SCPs, whether each denies
// member-account root, and where each is attached. AWS managed policies
// (FullAWSAccess) never deny root, so their content and targets, which
// cover every account, are not read.
func (a *AWS) ServiceControlPolicies(ctx context.Context) ([]SCP, error) {
	var scps []SCP
	var managed []bool
	p := organizations.NewListPoliciesPaginator(a.API.Organizations, &organizations.ListPoliciesInput{
		Filter: orgtypes.PolicyTypeServiceControlPolicy,
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("organizations:ListPolicies", err)
		}
		for _, s := range page.Policies {
			scps = append(scps, SCP{ID: aws.ToString(s.Id), Name: aws.ToString(s.Name)})
			managed = append(managed, s.AwsManaged)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i := range scps {
		if managed[i] {
			continue
		}
		scp := &scps[i]
		g.Go(func() error { return a.fillSCP(gctx, scp) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return scps, nil
}

func (a *AWS) fillSCP(ctx context.Context, scp *SCP) error {
	out, err := a.API.Organizations.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(scp.ID)})
	if err != nil {
		return Wrap("organizations:DescribePolicy", err)
	}
	if out.Policy != nil {
		scp.DeniesRoot, scp.RootDenyExcept = PolicyRootDeny(aws.ToString(out.Policy.Content))
	}
	p := organizations.NewListTargetsForPolicyPaginator(a.API.Organizations, &organizations.ListTargetsForPolicyInput{
		PolicyId: aws.String(scp.ID),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Wrap("organizations:ListTargetsForPolicy", err)
		}
		for _, t := range page.Targets {
			scp.Targets = append(scp.Targets, aws.ToString(t.TargetId))
		}
	}
	return nil
}

// maxRootDenyExemptions is the longest NotAction list still read as "deny
// root everything except these": a longer list is an allow-list in
// disguise and is not credited.
const maxRootDenyExemptions = 10

// PolicyDeniesRoot reports whether a policy document denies member-account
// root, entirely or all but a few actions (see PolicyRootDeny).
func PolicyDeniesRoot(document string) bool {
	denies, _ := PolicyRootDeny(document)
	return denies
}

// PolicyRootDeny reports whether a policy document has a Deny statement on
// every resource (Resource "*") conditioned on aws:PrincipalArn matching the
// root user of any account (arn:*:iam::*:root), as Control Tower's and AWS's
// sample root-deny SCPs do. A statement for all actions (Action "*") denies
// root everything; one with a short NotAction list denies root everything
// except those actions, returned as except. Unparsable documents deny nothing.
func PolicyRootDeny(document string) (denies bool, except []string) {
	var doc struct {
		Statement oneOrMany[policyStatement]
	}
	if json.Unmarshal([]byte(document), &doc) != nil {
		return false, nil
	}
	for _, s := range doc.Statement {
		if !strings.EqualFold(s.Effect, "Deny") || !s.allResources() || !s.conditionsOnRoot() {
			continue
		}
		switch {
		case s.allActions():
			return true, nil
		case len(s.Action) == 0 && len(s.NotAction) > 0 && len(s.NotAction) <= maxRootDenyExemptions:
			if !denies || len(s.NotAction) < len(except) {
				denies, except = true, []string(s.NotAction)
			}
		}
	}
	return denies, except
}

type policyStatement struct {
	Effect      string
	Action      oneOrMany[string]
	NotAction   oneOrMany[string]
	Resource    oneOrMany[string]
	NotResource json.RawMessage
	// Condition values stay raw: only aws:PrincipalArn is decoded, so a
	// bool or number under another key cannot break parsing.
	Condition map[string]map[string]json.RawMessage
}

func (s policyStatement) allActions() bool {
	for _, a := range s.Action {
		if a == "*" || a == "*:*" {
			return true
		}
	}
	return false
}

// allResources: the statement covers every resource. Without Resource (or
// with NotResource) it does not.
func (s policyStatement) allResources() bool {
	return len(s.NotResource) == 0 && slices.Contains(s.Resource, "*")
}

func (s policyStatement) conditionsOnRoot() bool {
	for op, keys := range s.Condition {
		base := strings.ToLower(strings.TrimSuffix(op, "IfExists"))
		base = base[strings.LastIndex(base, ":")+1:] // ForAnyValue:ArnLike → arnlike
		switch base {
		case "arnlike", "arnequals", "stringlike", "stringequals":
		default:
			continue
		}
		for key, raw := range keys {
			var values oneOrMany[string]
			if !strings.EqualFold(key, "aws:PrincipalArn") || json.Unmarshal(raw, &values) != nil {
				continue
			}
			for _, v := range values {
				if isRootPrincipalPattern(v) {
					return true
				}
			}
		}
	}
	return false
}

// isRootPrincipalPattern matches arn:<partition or *>:iam::<* or account>:root.
func isRootPrincipalPattern(v string) bool {
	parts := strings.Split(v, ":")
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[3] == "" && parts[5] == "root"
}

// oneOrMany decodes a JSON value that is either one item or a list.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	var many []T
	if err := json.Unmarshal(b, &many); err == nil {
		*o = many
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*o = []T{one}
	return nil
}
