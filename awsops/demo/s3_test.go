package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

func TestPublicAccessBlockStartsUnconfigured(t *testing.T) {
	a := newTest(t, Options{})
	p, err := a.AccountPublicAccessBlock(context.Background(), AccountID)
	if err != nil || p != nil {
		t.Fatalf("a new account has none configured: %+v, %v", p, err)
	}
}

func TestPutPublicAccessBlockValidatesAndStores(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	for _, bad := range []string{"", "12345", "11112222333a", "444455556666"} {
		if err := a.PutAccountPublicAccessBlock(ctx, bad, awsops.PublicAccessBlockAllOn); err == nil {
			t.Errorf("account %q accepted", bad)
		}
	}
	if err := a.PutAccountPublicAccessBlock(ctx, "444455556666", awsops.PublicAccessBlockAllOn); awsops.KindOf(err) != awsops.KindAccessDenied {
		t.Errorf("another account's setting: %v, want access denied", err)
	}
	partial := awsops.PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}
	if err := a.PutAccountPublicAccessBlock(ctx, AccountID, partial); err != nil {
		t.Fatal(err)
	}
	p, err := a.AccountPublicAccessBlock(ctx, AccountID)
	if err != nil || p == nil || *p != partial {
		t.Fatalf("stored %+v, %v; want %+v", p, err, partial)
	}
	p.IgnorePublicAcls = true // a copy: the account does not change
	if again, _ := a.AccountPublicAccessBlock(ctx, AccountID); *again != partial {
		t.Errorf("the read result aliases the state: %+v", again)
	}
	// A put replaces the whole configuration.
	if err := a.PutAccountPublicAccessBlock(ctx, AccountID, awsops.PublicAccessBlockAllOn); err != nil {
		t.Fatal(err)
	}
	if p, _ := a.AccountPublicAccessBlock(ctx, AccountID); !p.AllOn() {
		t.Errorf("after the put: %+v", p)
	}
	w := a.Writes()
	if len(w) != 7 || !strings.HasSuffix(w[0], "(error: other InvalidRequest)") || !strings.Contains(w[3], "AccessDenied") ||
		w[6] != "PutAccountPublicAccessBlock AccountId=111122223333 BlockPublicAcls=true IgnorePublicAcls=true BlockPublicPolicy=true RestrictPublicBuckets=true" {
		t.Errorf("writes = %q", w)
	}
}

func TestPublicAccessBlockSurvivesASnapshot(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	if err := a.PutAccountPublicAccessBlock(ctx, AccountID, awsops.PublicAccessBlock{IgnorePublicAcls: true}); err != nil {
		t.Fatal(err)
	}
	b := newTest(t, Options{})
	if err := b.Restore(a.Snapshot()); err != nil {
		t.Fatal(err)
	}
	if p, err := b.AccountPublicAccessBlock(ctx, AccountID); err != nil || p == nil || !p.IgnorePublicAcls || p.BlockPublicAcls {
		t.Errorf("restored %+v, %v", p, err)
	}
}
