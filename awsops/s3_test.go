package awsops_test

import (
	"context"
	"encoding/xml"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

// S3 Control is restXml: the account ID is a header and the host prefix.
const (
	pabPath = "/v20180820/configuration/publicAccessBlock"
	pabHost = acct + ".s3-control." + awstest.Region + ".amazonaws.com"
)

func pabRequest(method string) awstest.Matcher {
	return awstest.And(awstest.REST(method, pabPath), awstest.Host(pabHost), awstest.Header("X-Amz-Account-Id", acct))
}

func pabXML(acls, ignore, policy, restrict string) awstest.Responder {
	return awstest.XML(200, `<?xml version="1.0" encoding="UTF-8"?>`+
		`<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">`+
		`<BlockPublicAcls>`+acls+`</BlockPublicAcls><IgnorePublicAcls>`+ignore+`</IgnorePublicAcls>`+
		`<BlockPublicPolicy>`+policy+`</BlockPublicPolicy><RestrictPublicBuckets>`+restrict+`</RestrictPublicBuckets>`+
		`</PublicAccessBlockConfiguration>`)
}

func TestAccountPublicAccessBlockRead(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(pabRequest("GET"), pabXML("true", "false", "true", "false"))
	p, err := a.AccountPublicAccessBlock(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}
	if p == nil || *p != want {
		t.Fatalf("read %+v, want %+v", p, want)
	}
}

func TestAccountPublicAccessBlockNoneConfigured(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(pabRequest("GET"), awstest.XMLError(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"))
	p, err := a.AccountPublicAccessBlock(context.Background(), acct)
	if err != nil || p != nil {
		t.Fatalf("none configured must be nil, nil: %+v, %v", p, err)
	}
}

func TestAccountPublicAccessBlockErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		resp awstest.Responder
		kind awsops.ErrorKind
	}{
		{"denied", awstest.XMLError(403, "AccessDenied", "Access Denied"), awsops.KindAccessDenied},
		{"throttled", awstest.XMLError(503, "SlowDown", "Please reduce your request rate."), awsops.KindThrottled},
		{"empty answer", awstest.XML(200, ""), awsops.KindOther},
		{"a setting missing", awstest.XML(200, `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>`+
			`<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>`), awsops.KindOther},
		{"not XML", awstest.XML(200, `{"BlockPublicAcls":true}`), awsops.KindOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, reg := newAWS(t)
			reg.Register(pabRequest("GET"), tc.resp)
			p, err := a.AccountPublicAccessBlock(context.Background(), acct)
			if p != nil {
				t.Fatalf("a failed read gave %+v", p)
			}
			wantKind(t, err, tc.kind, "s3:GetAccountPublicAccessBlock")
		})
	}
}

func TestAccountPublicAccessBlockRefusesABadAccountID(t *testing.T) {
	a, _ := newAWS(t) // no stub: no request may be made
	for _, id := range []string{"", "12345678901", "1234567890123", "evil.example.com/x"} {
		_, err := a.AccountPublicAccessBlock(context.Background(), id)
		wantKind(t, err, awsops.KindOther, "s3:GetAccountPublicAccessBlock")
		err = a.PutAccountPublicAccessBlock(context.Background(), id, awsops.PublicAccessBlockAllOn)
		wantKind(t, err, awsops.KindOther, "s3:PutAccountPublicAccessBlock")
	}
}

// putBody is the XML body of PutPublicAccessBlock.
type putBody struct {
	XMLName               xml.Name `xml:"http://awss3control.amazonaws.com/doc/2018-08-20/ PublicAccessBlockConfiguration"`
	BlockPublicAcls       *bool
	IgnorePublicAcls      *bool
	BlockPublicPolicy     *bool
	RestrictPublicBuckets *bool
}

func TestPutAccountPublicAccessBlockRequest(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(pabRequest("PUT"), awstest.XML(200, ""))
	if err := a.PutAccountPublicAccessBlock(context.Background(), acct, awsops.PublicAccessBlock{BlockPublicAcls: true, RestrictPublicBuckets: true}); err != nil {
		t.Fatal(err)
	}
	sent := reg.Find(pabRequest("PUT"))
	if len(sent) != 1 {
		t.Fatalf("%d puts", len(sent))
	}
	var body putBody
	if err := xml.Unmarshal(sent[0].Body, &body); err != nil {
		t.Fatalf("body %s: %v", sent[0].Body, err)
	}
	// Every setting is sent, false ones too: the put replaces the whole
	// configuration.
	for name, got := range map[string]*bool{"BlockPublicAcls": body.BlockPublicAcls, "IgnorePublicAcls": body.IgnorePublicAcls,
		"BlockPublicPolicy": body.BlockPublicPolicy, "RestrictPublicBuckets": body.RestrictPublicBuckets} {
		want := name == "BlockPublicAcls" || name == "RestrictPublicBuckets"
		if got == nil || *got != want {
			t.Errorf("%s = %v, want %v (body %s)", name, got, want, sent[0].Body)
		}
	}
	if ct := sent[0].Header.Get("Content-Type"); ct != "application/xml" {
		t.Errorf("content type %q", ct)
	}
}

func TestPutAccountPublicAccessBlockDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(pabRequest("PUT"), awstest.XMLError(403, "AccessDenied", "Access Denied"))
	err := a.PutAccountPublicAccessBlock(context.Background(), acct, awsops.PublicAccessBlockAllOn)
	wantKind(t, err, awsops.KindAccessDenied, "s3:PutAccountPublicAccessBlock")
}

// identityStubs answer the identity read a check or a fix starts with.
func identityStubs(reg *awstest.Registry, arn, userID string) {
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(`<Arn>`+arn+`</Arn><UserId>`+userID+`</UserId><Account>`+acct+`</Account>`))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult(`<AccountAliases/><IsTruncated>false</IsTruncated>`))
}

// The check, the fix and the re-check through the real SDK: none
// configured → fail → PutPublicAccessBlock with all four on → pass.
func TestS3BlockPublicAccessCheckFixRecheck(t *testing.T) {
	a, reg := fixAWS(t)
	ctx := context.Background()
	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	reg.Register(pabRequest("GET"), awstest.XMLError(404, "NoSuchPublicAccessBlockConfiguration", "not found"))
	it, _ := steps.Lookup(steps.FixS3BlockPublicAccess)
	if r := steps.CheckOne(ctx, fixFacts(a), it); r.Status != steps.StatusFail {
		t.Fatalf("before: %s %s", r.Status, r.Summary)
	}

	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	reg.Register(pabRequest("GET"), pabXML("true", "false", "true", "true"))
	reg.Register(pabRequest("PUT"), awstest.XML(200, ""))
	fix, _ := steps.FixFor(steps.FixS3BlockPublicAccess)
	st, err := fix.Load(ctx, fixFacts(a))
	if err != nil {
		t.Fatal(err)
	}
	p, err := fix.Plan(st, steps.NewInput(nil))
	if err != nil || len(p.Changes) != 1 || p.Changes[0].Field != "IgnorePublicAcls" {
		t.Fatalf("plan %+v, %v", p.Changes, err)
	}
	if res := p.Apply(ctx, a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}

	identityStubs(reg, "arn:aws:sts::"+acct+":assumed-role/Admin/alice", "AROAEXAMPLE:alice")
	reg.Register(pabRequest("GET"), pabXML("true", "true", "true", "true"))
	if r := steps.Reverify(ctx, a, it, steps.FactsOptions{}); r.Status != steps.StatusPass {
		t.Fatalf("after: %s %s", r.Status, r.Summary)
	}
	if n := len(reg.Find(pabRequest("PUT"))); n != 1 {
		t.Errorf("%d puts, want 1", n)
	}
}
