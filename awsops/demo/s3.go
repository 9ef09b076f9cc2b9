package demo

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// The account-level S3 Block Public Access: none is configured in a new
// account, and a put is validated like S3 Control does (a 12-digit account
// ID, and only this account's).

var (
	_ awsops.S3AccountSettings = (*Account)(nil)
	_ awsops.S3AccountWriter   = (*Account)(nil)
)

var accountIDPattern = regexp.MustCompile(`^\d{12}$`)

// s3AccountError is S3 Control's answer for an account ID that is not 12
// digits (InvalidRequest) or not the caller's (AccessDenied).
func s3AccountError(op, accountID string) error {
	if !accountIDPattern.MatchString(accountID) {
		return &awsops.Error{Kind: awsops.KindOther, Permission: permissions[op], Code: "InvalidRequest",
			Message: "Account ID must be 12 digits"}
	}
	if accountID != AccountID {
		return AccessDenied(permissions[op])
	}
	return nil
}

func (a *Account) AccountPublicAccessBlock(ctx context.Context, accountID string) (*awsops.PublicAccessBlock, error) {
	return read(a, ctx, "AccountPublicAccessBlock", func(st *state) (*awsops.PublicAccessBlock, error) {
		if err := s3AccountError("AccountPublicAccessBlock", accountID); err != nil {
			return nil, err
		}
		if st.publicAccessBlock == nil {
			return nil, nil
		}
		cp := *st.publicAccessBlock
		return &cp, nil
	})
}

// PutAccountPublicAccessBlock replaces the whole configuration, as S3
// Control does.
func (a *Account) PutAccountPublicAccessBlock(ctx context.Context, accountID string, p awsops.PublicAccessBlock) error {
	params := fmt.Sprintf("AccountId=%s BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t",
		accountID, p.BlockPublicAcls, p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets)
	return a.write(ctx, "PutAccountPublicAccessBlock", params, func(st *state) error {
		if err := s3AccountError("PutAccountPublicAccessBlock", accountID); err != nil {
			return err
		}
		st.publicAccessBlock = &p
		return nil
	})
}

func (st *state) ensurePublicAccessBlock(time.Time) {
	all := awsops.PublicAccessBlockAllOn
	st.publicAccessBlock = &all
}
