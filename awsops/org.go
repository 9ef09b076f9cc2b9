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
		Filter: orgtypes.PolicyTypeServiceControlPolicy, MaxResults: aws.Int32(20),
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

// fillSCP reads a policy's content and its targets at once.
func (a *AWS) fillSCP(ctx context.Context, scp *SCP) error {
	var g errgroup.Group
	g.Go(func() error {
		out, err := a.API.Organizations.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(scp.ID)})
		if err != nil {
			return Wrap("organizations:DescribePolicy", err)
		}
		if out.Policy != nil {
			partition := "aws" // the organization's partition, as its policy's ARN names it
			if out.Policy.PolicySummary != nil && arnPartition(aws.ToString(out.Policy.PolicySummary.Arn)) != "" {
				partition = arnPartition(aws.ToString(out.Policy.PolicySummary.Arn))
			}
			d := AnalyzeRootDenyIn(partition, aws.ToString(out.Policy.Content))
			scp.DeniesRoot, scp.RootDenyExcept, scp.NarrowedBy, scp.Broken = d.Denies, d.Except, d.NarrowedBy, d.Broken
		}
		return nil
	})
	var targets []string
	g.Go(func() error {
		p := organizations.NewListTargetsForPolicyPaginator(a.API.Organizations, &organizations.ListTargetsForPolicyInput{
			PolicyId: aws.String(scp.ID), MaxResults: aws.Int32(20),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return Wrap("organizations:ListTargetsForPolicy", err)
			}
			for _, t := range page.Targets {
				targets = append(targets, aws.ToString(t.TargetId))
			}
		}
		return nil
	})
	err := g.Wait()
	scp.Targets = targets
	return err
}

// maxRootDenyExemptions is the longest NotAction list still read as "deny
// root everything except these": a longer list is an allow-list in
// disguise and is not credited.
const maxRootDenyExemptions = 10

// RootDeny is what a policy document does to member-account root users.
type RootDeny struct {
	// Denies: some statement denies root (every action, or all but Except).
	Denies bool
	// Except lists the actions a NotAction deny leaves allowed to root;
	// empty when root is denied every action.
	Except []string
	// NarrowedBy names the conditions that limit the deny (a region, MFA,
	// one account…); empty when it holds for every member root user.
	NarrowedBy []string
	// Broken says why a statement written to deny root denies no root user
	// (e.g. StringEquals with a wildcard); "" when there is none.
	Broken string
}

// PolicyDeniesRoot reports whether a policy document denies member-account
// root, entirely or all but a few actions (see AnalyzeRootDeny).
func PolicyDeniesRoot(document string) bool {
	return AnalyzeRootDeny(document).Denies
}

// PolicyRootDeny reports whether a policy document denies member-account
// root and which actions a NotAction deny leaves to it (see AnalyzeRootDeny).
func PolicyRootDeny(document string) (denies bool, except []string) {
	d := AnalyzeRootDeny(document)
	return d.Denies, d.Except
}

// AnalyzeRootDeny reads a policy document the way IAM evaluates it and
// reports whether it denies member-account root users: a Deny statement on
// every resource (Resource "*"), for all actions or all but a short
// NotAction list, whose aws:PrincipalArn condition holds for the root user
// of any account (arn:aws:iam::*:root with ArnLike, ArnEquals or
// StringLike; StringEquals takes no wildcards). Any further condition
// narrows the deny, except Null aws:AssumedRoot (the centralized-root
// exception). The strongest statement wins: full, then narrowed, then
// broken. Unparsable documents deny nothing. Root users are those of the
// aws partition (AnalyzeRootDenyIn for another).
func AnalyzeRootDeny(document string) RootDeny { return AnalyzeRootDenyIn("aws", document) }

// AnalyzeRootDenyIn is AnalyzeRootDeny for the root users of a partition
// (aws, aws-cn, aws-us-gov): arn:aws:iam::*:root denies no root user of
// GovCloud.
func AnalyzeRootDenyIn(partition, document string) RootDeny {
	doc, ok := parsePolicy(document)
	if !ok {
		return RootDeny{}
	}
	var best RootDeny
	rank := func(d RootDeny) int {
		switch {
		case d.Denies && len(d.Except) == 0 && len(d.NarrowedBy) == 0:
			return 3
		case d.Denies:
			return 2
		case d.Broken != "":
			return 1
		}
		return 0
	}
	for _, s := range doc.Statement {
		if !s.deny() || !s.allResources() {
			continue
		}
		var d RootDeny
		switch {
		case s.allActions():
		case len(s.Action) == 0 && len(s.NotAction) > 0 && len(s.NotAction) <= maxRootDenyExemptions:
			d.Except = []string(s.NotAction)
		default:
			continue
		}
		root, narrowed, broken := rootConditions(partition, s.Condition)
		switch {
		case root:
			d.Denies, d.NarrowedBy = true, narrowed
		case broken != "":
			d = RootDeny{Broken: broken}
		default:
			continue
		}
		r, br := rank(d), rank(best)
		if r > br || (r == br && r == 2 && len(d.Except)+len(d.NarrowedBy) < len(best.Except)+len(best.NarrowedBy)) {
			best = d
		}
	}
	return best
}

// sampleRoots are the root users of two accounts of a partition: a
// condition that holds for both holds for the root user of any account.
func sampleRoots(partition string) [2]string {
	return [2]string{"arn:" + partition + ":iam::111111111111:root", "arn:" + partition + ":iam::222222222222:root"}
}

// rootConditions evaluates a Deny statement's conditions for member root
// users: root is true when its aws:PrincipalArn conditions hold for root
// users (narrowed names what limits it, e.g. one account or a region);
// broken says why a condition written for root matches no root user.
func rootConditions(partition string, cond map[string]map[string]json.RawMessage) (root bool, narrowed []string, broken string) {
	sawPrincipal, excludesRoot := false, false
	for op, keys := range cond {
		base, _, _ := conditionOp(op)
		for key, raw := range keys {
			values := conditionValues(raw)
			switch {
			case strings.EqualFold(key, "aws:PrincipalArn"):
				sawPrincipal = true
				if holdsForEveryRoot(partition, base, values) {
					continue
				}
				if accts := concreteRootAccounts(partition, base, values); len(accts) > 0 {
					narrowed = append(narrowed, "only the root user of "+strings.Join(accts, ", "))
					continue
				}
				excludesRoot = true
				if looksLikeRootPattern(values) {
					broken = "its aws:PrincipalArn condition matches no root user"
					if base == "stringequals" || base == "stringequalsignorecase" {
						broken = op + " takes no wildcards, so " + strings.Join(values, ", ") + " matches no root user (use ArnLike)"
					}
				}
			case strings.EqualFold(key, "aws:AssumedRoot") && base == "null" && slices.Equal(values, []string{"true"}):
				// exempts centralized-root (sts:AssumeRoot) sessions: fine
			default:
				narrowed = append(narrowed, key+" ("+op+")")
			}
		}
	}
	if !sawPrincipal {
		return false, nil, ""
	}
	if excludesRoot {
		return false, nil, broken
	}
	slices.Sort(narrowed)
	return true, narrowed, ""
}

func holdsForEveryRoot(partition, base string, values []string) bool {
	for _, arn := range sampleRoots(partition) {
		if holds, ok := stringConditionHolds(base, values, arn); !ok || !holds {
			return false
		}
	}
	return true
}

// concreteRootAccounts lists the accounts whose root user a condition
// names one by one (arn:aws:iam::444455556666:root) and for which it holds.
func concreteRootAccounts(partition, base string, values []string) []string {
	var out []string
	for _, v := range values {
		parts := strings.Split(v, ":")
		if len(parts) != 6 || parts[2] != "iam" || parts[5] != "root" || !isAccountID(parts[4]) {
			continue
		}
		if holds, ok := stringConditionHolds(base, values, "arn:"+partition+":iam::"+parts[4]+":root"); ok && holds {
			out = append(out, parts[4])
		}
	}
	return out
}

func looksLikeRootPattern(values []string) bool {
	return slices.ContainsFunc(values, func(v string) bool { return strings.HasSuffix(v, ":root") })
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
