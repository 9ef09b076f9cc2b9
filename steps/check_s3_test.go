package steps

import (
	"context"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// s3Cases are the verdicts of s3-block-public-access (read errors are in
// TestCheckReadErrors).
func s3Cases() []checkCase {
	const id = "s3-block-public-access"
	return []checkCase{
		{item: id, name: "all four on", want: StatusPass, summary: "all four",
			evidence: map[string]string{"BlockPublicAcls": "true", "IgnorePublicAcls": "true", "BlockPublicPolicy": "true", "RestrictPublicBuckets": "true"}},
		{item: id, name: "none configured", want: StatusFail, summary: "not configured",
			evidence: map[string]string{"public_access_block": "none configured"}, todo: "no bucket must stay public",
			setup: func(f *factsFake) { f.publicAccessBlock = nil }},
		{item: id, name: "all four off is configured, not none", want: StatusWarn,
			summary: "partly off: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets",
			setup:   func(f *factsFake) { f.publicAccessBlock = &awsops.PublicAccessBlock{} }},
		{item: id, name: "one off", want: StatusWarn, summary: "partly off: RestrictPublicBuckets",
			evidence: map[string]string{"RestrictPublicBuckets": "false", "BlockPublicPolicy": "true"},
			details:  "RestrictPublicBuckets is off: S3 does not restrict buckets that already have a public policy",
			setup:    func(f *factsFake) { f.publicAccessBlock.RestrictPublicBuckets = false }},
		{item: id, name: "two off, named in order", want: StatusWarn, summary: "partly off: BlockPublicAcls, BlockPublicPolicy",
			setup: func(f *factsFake) {
				f.publicAccessBlock.BlockPublicAcls, f.publicAccessBlock.BlockPublicPolicy = false, false
			}},
	}
}

func TestS3CheckAsksForTheCallersAccount(t *testing.T) {
	fake := healthyFake()
	runCheck(t, fake, "s3-block-public-access", nil)
	if fake.s3For != testAccount {
		t.Errorf("read the setting of account %q, want %q", fake.s3For, testAccount)
	}
}

// noS3Reader is an account that cannot read S3 settings (only its identity).
type noS3Reader struct{ awsops.Reader }

func (noS3Reader) CallerIdentity(context.Context) (awsops.Identity, error) {
	return awsops.Identity{Account: testAccount}, nil
}

func TestS3CheckWithoutTheReaderIsUnknown(t *testing.T) {
	f := NewFacts(noS3Reader{}, FactsOptions{})
	r := CheckOne(t.Context(), f, mustLookup(t, "s3-block-public-access"))
	if r.Status != StatusUnknown {
		t.Errorf("status %s (%s), want unknown", r.Status, r.Summary)
	}
}
