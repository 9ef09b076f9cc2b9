package steps

import (
	"context"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// s3Writer records the fix's put; failErr fails it.
type s3Writer struct {
	fixWriter
	puts    []string
	put     []awsops.PublicAccessBlock
	failErr error
}

func (w *s3Writer) PutAccountPublicAccessBlock(_ context.Context, account string, p awsops.PublicAccessBlock) error {
	w.puts = append(w.puts, account)
	w.put = append(w.put, p)
	return w.failErr
}

func planS3(t *testing.T, f *factsFake) Plan {
	t.Helper()
	fix, st := loadFix(t, FixS3BlockPublicAccess, f)
	p, err := fix.Plan(st, given())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestS3FixFromNoneTurnsAllFourOn(t *testing.T) {
	f := healthyFake()
	f.publicAccessBlock = nil
	p := planS3(t, f)
	if p.NoOp || len(p.Calls) != 1 || p.Calls[0].API != "s3:PutAccountPublicAccessBlock" {
		t.Fatalf("plan = %+v", p)
	}
	if len(p.Changes) != 4 || len(p.Kept) != 0 {
		t.Fatalf("changes %+v, kept %+v: every setting goes from not configured to on", p.Changes, p.Kept)
	}
	for _, c := range p.Changes {
		if c.Current != "(not configured)" || c.Proposed != "on" {
			t.Errorf("change %+v", c)
		}
	}
	params := map[string]string{}
	for _, e := range p.Calls[0].Params {
		params[e.Key] = e.Value
	}
	if params["AccountId"] != testAccount || params["BlockPublicAcls"] != "true" || params["IgnorePublicAcls"] != "true" ||
		params["BlockPublicPolicy"] != "true" || params["RestrictPublicBuckets"] != "true" {
		t.Errorf("params = %v", params)
	}
	if len(p.Warnings) == 0 || !strings.Contains(p.Warnings[0], "stop being public") {
		t.Errorf("the preview must warn that public buckets stop being public: %q", p.Warnings)
	}
	w := &s3Writer{}
	res := p.Apply(context.Background(), w)
	if !res.OK() || len(w.put) != 1 || !w.put[0].AllOn() || w.puts[0] != testAccount {
		t.Fatalf("apply: %s; puts %v %+v", res.Explain(), w.puts, w.put)
	}
	if got := p.RecordSummary(res); got != "turned on all four account-level S3 Block Public Access settings" {
		t.Errorf("record = %q", got)
	}
}

func TestS3FixPreviewsOnlyWhatChanges(t *testing.T) {
	f := healthyFake()
	f.publicAccessBlock.IgnorePublicAcls, f.publicAccessBlock.RestrictPublicBuckets = false, false
	p := planS3(t, f)
	if len(p.Changes) != 2 || p.Changes[0] != (Change{Field: "IgnorePublicAcls", Current: "off", Proposed: "on"}) ||
		p.Changes[1].Field != "RestrictPublicBuckets" {
		t.Errorf("changes = %+v", p.Changes)
	}
	if len(p.Kept) != 2 || p.Kept[0].Key != "BlockPublicAcls" || p.Kept[1].Key != "BlockPublicPolicy" {
		t.Errorf("kept = %+v: the settings already on are sent again unchanged", p.Kept)
	}
}

func TestS3FixIsANoOpWhenAllAreOn(t *testing.T) {
	p := planS3(t, healthyFake())
	w := &s3Writer{}
	if res := p.Apply(context.Background(), w); !p.NoOp || !res.NoOp || len(w.put) != 0 {
		t.Fatalf("all four on: plan %+v, writes %v", p, w.put)
	}
}

func TestS3FixDeniedNamesThePermission(t *testing.T) {
	f := healthyFake()
	f.publicAccessBlock = nil
	res := planS3(t, f).Apply(context.Background(), &s3Writer{failErr: fixDenied("s3:PutAccountPublicAccessBlock")})
	if res.OK() || awsops.PermissionOf(res.Err) != "s3:PutAccountPublicAccessBlock" ||
		!strings.Contains(res.Explain(), "nothing was changed") || !strings.Contains(res.Todo(), "s3:PutAccountPublicAccessBlock") {
		t.Errorf("explain %q, todo %q", res.Explain(), res.Todo())
	}
}

func TestS3FixLoadNamesTheDeniedRead(t *testing.T) {
	f := healthyFake()
	f.errs = map[string]error{"AccountPublicAccessBlock": accessDenied("s3:GetAccountPublicAccessBlock")}
	fix, _ := FixFor(FixS3BlockPublicAccess)
	if _, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{})); awsops.PermissionOf(err) != "s3:GetAccountPublicAccessBlock" {
		t.Errorf("load error = %v", err)
	}
}
