package awsops_test

// Integration tests against moto, an AWS emulator (shared docs testing.md),
// for what the HTTP registry cannot show: that the real SDK requests are
// understood by a server that keeps state across them.

import (
	"context"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

func TestMain(m *testing.M) {
	code := m.Run()
	moto.Stop()
	os.Exit(code)
}

// moto is this package's one moto_server.
var moto awstest.Moto

// motoAddr returns the running emulator's address (host:port) with its
// state reset (see awstest.Moto.URL).
func motoAddr(t *testing.T) string {
	t.Helper()
	return strings.TrimPrefix(moto.URL(t), "http://")
}

// motoAWS is the real backend pointed at moto. S3 Control puts the account
// ID in front of the host (123456789012.127.0.0.1:port), which resolves
// nowhere, so every connection goes to moto whatever the host says; the
// Host header still carries it, as moto expects.
func motoAWS(t *testing.T, addr string) *awsops.AWS {
	t.Helper()
	return motoAWSAs(t, addr, "test")
}

// motoAWSAs is motoAWS signing with the access key keyID.
func motoAWSAs(t *testing.T, addr, keyID string) *awsops.AWS {
	t.Helper()
	var d net.Dialer
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	return awsops.New(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(keyID, "test", ""),
		HTTPClient:   client,
		BaseEndpoint: aws.String("http://" + addr),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	})
}

// In moto: none configured → fail; the fix puts all four on → pass; a
// second run plans nothing.
func TestMotoS3BlockPublicAccessFix(t *testing.T) {
	a := motoAWS(t, motoAddr(t))
	ctx := context.Background()
	it, _ := steps.Lookup(steps.FixS3BlockPublicAccess)
	if r := steps.CheckOne(ctx, steps.NewFacts(a, steps.FactsOptions{}), it); r.Status != steps.StatusFail {
		t.Fatalf("a new moto account: %s (%s), want fail", r.Status, r.Summary)
	}
	fix, _ := steps.FixFor(steps.FixS3BlockPublicAccess)
	plan := func() steps.Plan {
		t.Helper()
		st, err := fix.Load(ctx, steps.NewFacts(a, steps.FactsOptions{}))
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		p, err := fix.Plan(st, steps.NewInput(nil))
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		return p
	}
	p := plan()
	if p.NoOp || len(p.Changes) != 4 {
		t.Fatalf("plan = %+v", p.Changes)
	}
	if res := p.Apply(ctx, a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	r := steps.Reverify(ctx, a, it, steps.FactsOptions{})
	if r.Status != steps.StatusPass {
		t.Fatalf("after the fix: %s (%s), want pass", r.Status, r.Summary)
	}
	if again := plan(); !again.NoOp {
		t.Errorf("a second run must write nothing: %+v", again.Calls)
	}

	// A partial configuration reads back as what it is.
	if err := a.PutAccountPublicAccessBlock(ctx, "123456789012", awsops.PublicAccessBlock{BlockPublicAcls: true}); err != nil {
		t.Fatal(err)
	}
	r = steps.Reverify(ctx, a, it, steps.FactsOptions{})
	if r.Status != steps.StatusWarn || !strings.Contains(r.Summary, "IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets") {
		t.Errorf("partly off: %s (%s)", r.Status, r.Summary)
	}
}

// moto's caller is never root, but like AWS it applies ListAccessKeys,
// UpdateAccessKey and DeleteAccessKey without a user name to the caller's
// own keys. So an IAM user with two keys, signing with the first, stands in
// for root on a root key: the fix (told the caller is root) must list both,
// offer only the second, and delete it, never the first.
func TestMotoRootKeysFixStandIn(t *testing.T) {
	addr := motoAddr(t)
	ctx := context.Background()
	admin := iam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }})
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("stand-in")}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for range 2 {
		out, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("stand-in")})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, aws.ToString(out.AccessKey.AccessKeyId))
	}
	inUse, other := keys[0], keys[1]
	a := motoAWSAs(t, addr, inUse)
	caller, err := a.CallerIdentity(ctx)
	if err != nil || caller.IsRoot || caller.AccessKeyID != inUse {
		t.Fatalf("caller = %+v, %v", caller, err)
	}

	// As what it really is (an IAM user), the fix reads nothing and refuses.
	fix, _ := steps.FixFor(steps.FixRootAccessKeys)
	st, err := fix.Load(ctx, steps.NewFacts(a, steps.FactsOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fix.Plan(st, steps.NewInput(nil)); err == nil || !strings.Contains(err.Error(), "root user") {
		t.Fatalf("a non-root caller: %v", err)
	}

	root := caller
	root.IsRoot = true
	st, err = fix.Load(ctx, steps.NewFacts(a, steps.FactsOptions{Identity: &root}))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	opts := fix.Fields(st)[0].Options
	if len(opts) != 1 || !strings.HasSuffix(other, opts[0].Value) {
		t.Fatalf("options = %+v: only the key not in use", opts)
	}
	p, err := fix.Plan(st, steps.NewInput(steps.Values{steps.FieldKeyAction: steps.KeyActionDelete}))
	if err != nil {
		t.Fatal(err)
	}
	if res := p.Apply(ctx, a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	left, err := admin.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("stand-in")})
	if err != nil {
		t.Fatal(err)
	}
	if len(left.AccessKeyMetadata) != 1 || aws.ToString(left.AccessKeyMetadata[0].AccessKeyId) != inUse ||
		left.AccessKeyMetadata[0].Status != "Active" {
		t.Errorf("left = %+v: the key in use must be untouched, the other deleted", left.AccessKeyMetadata)
	}
	st, _ = fix.Load(ctx, steps.NewFacts(a, steps.FactsOptions{Identity: &root}))
	if again, err := fix.Plan(st, steps.NewInput(nil)); err != nil || !again.NoOp {
		t.Errorf("a second run must write nothing: %+v, %v", again.Calls, err)
	}
}
