package awsops

import (
	"context"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"golang.org/x/sync/errgroup"
)

// OrganizationAccounts lists the organization's accounts (management account
// or delegated admin) with their ancestry up to the root, so coverage of a
// policy attached to an OU or the root can be judged. Accounts are walked
// up concurrently; each OU's parent is asked once.
func (a *AWS) OrganizationAccounts(ctx context.Context) ([]OrgAccount, error) {
	var accounts []OrgAccount
	p := organizations.NewListAccountsPaginator(a.API.Organizations, &organizations.ListAccountsInput{MaxResults: aws.Int32(20)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("organizations:ListAccounts", err)
		}
		for _, acct := range page.Accounts {
			accounts = append(accounts, OrgAccount{ID: aws.ToString(acct.Id), Name: aws.ToString(acct.Name), State: string(acct.State)})
		}
	}
	parents := &parentCache{a: a, seen: map[string]*parentOf{}}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.limit())
	for i := range accounts {
		acct := &accounts[i]
		g.Go(func() error {
			var err error
			acct.Ancestors, err = parents.ancestors(gctx, acct.ID)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return accounts, nil
}

// parentCache asks ListParents at most once per child.
type parentCache struct {
	a    *AWS
	mu   sync.Mutex
	seen map[string]*parentOf
}

type parentOf struct {
	once sync.Once
	id   string
	err  error
}

// maxOUDepth bounds the walk up: AWS allows five levels of OUs.
const maxOUDepth = 8

func (c *parentCache) ancestors(ctx context.Context, child string) ([]string, error) {
	var chain []string
	for range maxOUDepth {
		parent, err := c.parent(ctx, child)
		if err != nil {
			return nil, err
		}
		if parent == "" {
			break
		}
		chain = append(chain, parent)
		if strings.HasPrefix(parent, "r-") {
			break
		}
		child = parent
	}
	return chain, nil
}

func (c *parentCache) parent(ctx context.Context, child string) (string, error) {
	c.mu.Lock()
	p, ok := c.seen[child]
	if !ok {
		p = &parentOf{}
		c.seen[child] = p
	}
	c.mu.Unlock()
	p.once.Do(func() {
		out, err := c.a.API.Organizations.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(child), MaxResults: aws.Int32(20)})
		if err != nil {
			p.err = Wrap("organizations:ListParents", err)
			return
		}
		if len(out.Parents) > 0 {
			p.id = aws.ToString(out.Parents[0].Id)
		}
	})
	return p.id, p.err
}
