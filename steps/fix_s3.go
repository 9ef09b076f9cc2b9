package steps

import (
	"context"
	"errors"
	"strconv"

	"github.com/rootguard/rootguard/awsops"
)

// The s3-block-public-access fix turns on all four account-level S3 Block
// Public Access settings with one s3control PutPublicAccessBlock, which
// replaces the whole configuration.

// FixS3BlockPublicAccess is the item (and fix) ID.
const FixS3BlockPublicAccess = "s3-block-public-access"

// s3BlockState is what the fix plans from.
type s3BlockState struct {
	Account string
	Current *awsops.PublicAccessBlock // nil: none configured
}

func s3BlockPublicAccessFix() Fix {
	return NewFix(FixDef[s3BlockState]{
		ID:      FixS3BlockPublicAccess,
		Title:   "Turn on S3 Block Public Access for the account",
		Summary: "turn on all four account-level S3 Block Public Access settings",
		Intro: "Turn on all four account-level S3 Block Public Access settings, so that no bucket or object in this account can be made public. " +
			"Buckets that are public on purpose (a static website, public downloads) stop being public.",
		Writes: []string{"s3:PutAccountPublicAccessBlock"},
		Load:   loadS3Block,
		Plan: func(st s3BlockState, _ Input) (Plan, error) {
			return PlanS3BlockPublicAccess(st.Account, st.Current), nil
		},
	})
}

func loadS3Block(ctx context.Context, f *Facts) (s3BlockState, error) {
	var (
		st           s3BlockState
		idErr, s3Err error
	)
	concurrently(
		func() {
			var id awsops.Identity
			id, idErr = f.Identity(ctx)
			st.Account = id.Account
		},
		func() { st.Current, s3Err = f.AccountPublicAccessBlock(ctx) },
	)
	return st, firstErr(idErr, s3Err)
}

// PlanS3BlockPublicAccess plans turning on all four settings of account's
// Block Public Access (current nil: none configured). It is a no-op when
// all four are on already.
func PlanS3BlockPublicAccess(account string, current *awsops.PublicAccessBlock) Plan {
	p := Plan{ItemID: FixS3BlockPublicAccess, Title: "Turn on S3 Block Public Access for the account"}
	if current != nil && current.AllOn() {
		p.NoOp = true
		return p
	}
	target := awsops.PublicAccessBlockAllOn
	params := []Evidence{kv("AccountId", account)}
	for _, s := range publicAccessSettings {
		params = append(params, kv(s.name, strconv.FormatBool(s.get(target))))
		switch {
		case current == nil:
			p.Changes = append(p.Changes, Change{Field: s.name, Current: "(not configured)", Proposed: "on"})
		case !s.get(*current):
			p.Changes = append(p.Changes, Change{Field: s.name, Current: "off", Proposed: "on"})
		default:
			p.Kept = append(p.Kept, kv(s.name, "on"))
		}
	}
	p.Calls = []Call{NewCall("s3:PutAccountPublicAccessBlock", "account-level S3 Block Public Access", params,
		func(ctx context.Context, w awsops.Writer) error {
			sw, ok := w.(awsops.S3AccountWriter)
			if !ok {
				return errors.New("internal error: this account cannot change S3 settings")
			}
			return sw.PutAccountPublicAccessBlock(ctx, account, target)
		})}
	p.Warnings = []string{
		"Buckets and objects meant to be public (a static website, public downloads, shared files) stop being public as soon as this is saved. " +
			"Check first: S3 console → Buckets, Access column; a bucket that must stay public needs another way to share (CloudFront, presigned URLs).",
	}
	p.Notes = []string{
		"s3control PutPublicAccessBlock replaces the whole configuration, so all four settings are sent. " +
			"If your organization manages Block Public Access with an S3 policy, AWS refuses this change: set it in the management account's policy instead.",
	}
	p.record = "turned on all four account-level S3 Block Public Access settings"
	return p
}
