package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/sync/errgroup"
)

// IAMUsers lists the account's IAM users live (iam ListUsers, 1,000 a page).
func (a *AWS) IAMUsers(ctx context.Context) ([]IAMUser, error) {
	var users []IAMUser
	p := iam.NewListUsersPaginator(a.API.IAM, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListUsers", err)
		}
		for _, u := range page.Users {
			users = append(users, IAMUser{
				Name:             aws.ToString(u.UserName),
				ARN:              aws.ToString(u.Arn),
				CreatedAt:        aws.ToTime(u.CreateDate),
				PasswordLastUsed: aws.ToTime(u.PasswordLastUsed),
			})
		}
	}
	return users, nil
}

// UserCredentials reads one user's credentials live: login profile, MFA
// devices and access keys at once, then each key's last use at once.
func (a *AWS) UserCredentials(ctx context.Context, user string) (UserCredentials, error) {
	uc := UserCredentials{User: user}
	var g errgroup.Group
	g.Go(func() error {
		var err error
		uc.ConsolePassword, err = a.hasLoginProfile(ctx, user)
		return err
	})
	g.Go(func() error {
		devices, err := a.mfaDevices(ctx, user)
		uc.MFADevices = len(devices)
		return err
	})
	g.Go(func() error {
		var err error
		uc.Keys, err = a.accessKeys(ctx, user)
		return err
	})
	if err := g.Wait(); err != nil {
		return UserCredentials{}, err
	}
	return uc, nil
}

func (a *AWS) accessKeys(ctx context.Context, user string) ([]AccessKey, error) {
	var keys []AccessKey
	p := iam.NewListAccessKeysPaginator(a.API.IAM, &iam.ListAccessKeysInput{UserName: aws.String(user), MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap("iam:ListAccessKeys", err)
		}
		for _, k := range page.AccessKeyMetadata {
			keys = append(keys, AccessKey{
				ID:        aws.ToString(k.AccessKeyId),
				Active:    k.Status == iamtypes.StatusTypeActive,
				CreatedAt: aws.ToTime(k.CreateDate),
			})
		}
	}
	var g errgroup.Group
	for i := range keys {
		k := &keys[i]
		g.Go(func() error {
			out, err := a.API.IAM.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(k.ID)})
			if err != nil {
				return Wrap("iam:GetAccessKeyLastUsed", err)
			}
			if u := out.AccessKeyLastUsed; u != nil {
				k.LastUsed = aws.ToTime(u.LastUsedDate)
				k.LastUsedService, k.LastUsedRegion = naToEmpty(aws.ToString(u.ServiceName)), naToEmpty(aws.ToString(u.Region))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return keys, nil
}

func naToEmpty(s string) string {
	if s == "N/A" {
		return ""
	}
	return s
}
