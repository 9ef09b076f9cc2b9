package steps

import (
	"context"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// urlS3BlockPublicAccess is the S3 console's "Block Public Access settings
// for this account" page.
const urlS3BlockPublicAccess = "https://s3.console.aws.amazon.com/s3/settings"

// AccountPublicAccessBlock is the account-level S3 Block Public Access (nil:
// none configured). It needs the account ID, so it follows the identity read.
func (f *Facts) AccountPublicAccessBlock(ctx context.Context) (*awsops.PublicAccessBlock, error) {
	return f.s3Block.get(ctx, func(ctx context.Context) (*awsops.PublicAccessBlock, error) {
		s3, ok := f.src.(awsops.S3AccountSettings)
		if !ok {
			return nil, &awsops.Error{Kind: awsops.KindOther, Permission: "s3:GetAccountPublicAccessBlock",
				Message: "internal error: this account cannot read S3 settings"}
		}
		id, err := f.Identity(ctx)
		if err != nil {
			return nil, err
		}
		return s3.AccountPublicAccessBlock(ctx, id.Account)
	})
}

// publicAccessSetting is one of the four settings: its API name and what
// it does, in plain words.
type publicAccessSetting struct {
	name string
	does string
	get  func(p awsops.PublicAccessBlock) bool
}

var publicAccessSettings = []publicAccessSetting{
	{"BlockPublicAcls", "refuse new public ACLs", func(p awsops.PublicAccessBlock) bool { return p.BlockPublicAcls }},
	{"IgnorePublicAcls", "ignore existing public ACLs", func(p awsops.PublicAccessBlock) bool { return p.IgnorePublicAcls }},
	{"BlockPublicPolicy", "refuse new public bucket policies", func(p awsops.PublicAccessBlock) bool { return p.BlockPublicPolicy }},
	{"RestrictPublicBuckets", "restrict buckets that already have a public policy", func(p awsops.PublicAccessBlock) bool { return p.RestrictPublicBuckets }},
}

func checkS3BlockPublicAccess(ctx context.Context, f *Facts) Result {
	p, err := f.AccountPublicAccessBlock(ctx)
	if err != nil {
		return Unknown("the account-level S3 Block Public Access", err)
	}
	if p == nil {
		return Result{
			Status:   StatusFail,
			Summary:  "S3 Block Public Access is not configured for the account: any bucket can be made public",
			Evidence: []Evidence{kv("public_access_block", "none configured")},
			Todo:     "Turn on all four Block Public Access settings for the account (S3 console → Block Public Access settings for this account), or let rootguard turn them on. Check first that no bucket must stay public.",
		}
	}
	ev := make([]Evidence, len(publicAccessSettings))
	var off []string
	for i, s := range publicAccessSettings {
		on := s.get(*p)
		ev[i] = kvBool(s.name, on)
		if !on {
			off = append(off, s.name)
		}
	}
	if len(off) == 0 {
		return Result{Status: StatusPass, Summary: "all four account-level S3 Block Public Access settings are on", Evidence: ev}
	}
	r := Result{
		Status:   StatusWarn,
		Summary:  "account-level S3 Block Public Access is partly off: " + strings.Join(off, ", "),
		Evidence: ev,
		Todo:     "Turn on the settings that are off, or let rootguard turn all four on. Check first that no bucket must stay public.",
	}
	for _, s := range publicAccessSettings {
		if !s.get(*p) {
			r.Details = append(r.Details, s.name+" is off: S3 does not "+s.does+" for the account.")
		}
	}
	return r
}
