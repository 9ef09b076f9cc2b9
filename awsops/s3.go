package awsops

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
)

// The account-level S3 Block Public Access (s3-block-public-access): the
// read the check makes and the write its fix makes. S3 Control is REST-XML;
// the account ID goes in the X-Amz-Account-Id header and in front of the
// host ({account}.s3-control.{region}.amazonaws.com).

// S3ControlAPI is the part of the S3 Control client rootguard uses.
type S3ControlAPI interface {
	GetPublicAccessBlock(context.Context, *s3control.GetPublicAccessBlockInput, ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error)
	PutPublicAccessBlock(context.Context, *s3control.PutPublicAccessBlockInput, ...func(*s3control.Options)) (*s3control.PutPublicAccessBlockOutput, error)
}

// PublicAccessBlock is the account's S3 Block Public Access configuration.
type PublicAccessBlock struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// AllOn reports whether all four settings are on.
func (p PublicAccessBlock) AllOn() bool {
	return p.BlockPublicAcls && p.IgnorePublicAcls && p.BlockPublicPolicy && p.RestrictPublicBuckets
}

// PublicAccessBlockAllOn is the configuration the fix sets.
var PublicAccessBlockAllOn = PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}

// S3AccountSettings reads the account-level Block Public Access.
type S3AccountSettings interface {
	// AccountPublicAccessBlock returns the account's configuration; nil
	// when none is configured (NoSuchPublicAccessBlockConfiguration).
	AccountPublicAccessBlock(ctx context.Context, accountID string) (*PublicAccessBlock, error)
}

// S3AccountWriter sets the account-level Block Public Access.
type S3AccountWriter interface {
	// PutAccountPublicAccessBlock replaces the whole configuration.
	PutAccountPublicAccessBlock(ctx context.Context, accountID string, p PublicAccessBlock) error
}

var (
	_ S3AccountSettings = (*AWS)(nil)
	_ S3AccountWriter   = (*AWS)(nil)
)

// The IAM actions behind the two calls (not s3control:…: S3 Control is
// authorized as s3 actions).
const (
	permGetAccountPublicAccessBlock = "s3:GetAccountPublicAccessBlock"
	permPutAccountPublicAccessBlock = "s3:PutAccountPublicAccessBlock"
)

// accountIDPattern is an AWS account ID: it becomes part of the host name,
// so anything else is refused before a request is made.
var accountIDPattern = regexp.MustCompile(`^\d{12}$`)

func checkAccountID(permission, id string) error {
	if !accountIDPattern.MatchString(id) {
		return &Error{Kind: KindOther, Permission: permission,
			Message: "the account ID " + quoteShort(id) + " is not 12 digits (the caller's account could not be read?)"}
	}
	return nil
}

func quoteShort(s string) string {
	if len(s) > 20 {
		s = s[:20] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

func (a *AWS) AccountPublicAccessBlock(ctx context.Context, accountID string) (*PublicAccessBlock, error) {
	if err := checkAccountID(permGetAccountPublicAccessBlock, accountID); err != nil {
		return nil, err
	}
	out, err := a.API.S3Control.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(accountID)})
	var none *s3ctypes.NoSuchPublicAccessBlockConfiguration
	if errors.As(err, &none) || errorCode(err) == "NoSuchPublicAccessBlockConfiguration" {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap(permGetAccountPublicAccessBlock, err)
	}
	c := out.PublicAccessBlockConfiguration
	// A configuration that exists has all four settings; an answer without
	// them is shapeless, never "none configured" or "off".
	if c == nil || c.BlockPublicAcls == nil || c.IgnorePublicAcls == nil || c.BlockPublicPolicy == nil || c.RestrictPublicBuckets == nil {
		return nil, &Error{Kind: KindOther, Permission: permGetAccountPublicAccessBlock,
			Message: "AWS answered without the four Block Public Access settings"}
	}
	return &PublicAccessBlock{
		BlockPublicAcls:       *c.BlockPublicAcls,
		IgnorePublicAcls:      *c.IgnorePublicAcls,
		BlockPublicPolicy:     *c.BlockPublicPolicy,
		RestrictPublicBuckets: *c.RestrictPublicBuckets,
	}, nil
}

func (a *AWS) PutAccountPublicAccessBlock(ctx context.Context, accountID string, p PublicAccessBlock) error {
	if err := checkAccountID(permPutAccountPublicAccessBlock, accountID); err != nil {
		return err
	}
	_, err := a.API.S3Control.PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{
		AccountId: aws.String(accountID),
		PublicAccessBlockConfiguration: &s3ctypes.PublicAccessBlockConfiguration{
			BlockPublicAcls:       aws.Bool(p.BlockPublicAcls),
			IgnorePublicAcls:      aws.Bool(p.IgnorePublicAcls),
			BlockPublicPolicy:     aws.Bool(p.BlockPublicPolicy),
			RestrictPublicBuckets: aws.Bool(p.RestrictPublicBuckets),
		},
	})
	return Wrap(permPutAccountPublicAccessBlock, err)
}
