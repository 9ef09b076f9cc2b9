package demo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

const demoRootKey = "AKIARJ4X7QWZ2EXAMPLE"

// rootKeyCalls invokes the root keys fix's methods as the demo's caller.
var rootKeyCalls = map[string]func(context.Context, *Account) error{
	"RootAccessKeys": func(ctx context.Context, a *Account) error {
		_, err := a.RootAccessKeys(ctx, demoCaller(a))
		return err
	},
	"DeactivateRootAccessKey": func(ctx context.Context, a *Account) error {
		return a.DeactivateRootAccessKey(ctx, demoCaller(a), demoRootKey)
	},
	"DeleteRootAccessKey": func(ctx context.Context, a *Account) error {
		return a.DeleteRootAccessKey(ctx, demoCaller(a), demoRootKey)
	},
}

// demoCaller is who the demo account says is calling.
func demoCaller(a *Account) awsops.Identity {
	a.mu.Lock()
	key := a.st.callerKeyID
	a.mu.Unlock()
	return awsops.Identity{Account: AccountID, ARN: RootARN, IsRoot: true, AccessKeyID: key}
}

func TestRootKeyMethodsNameTheirPermission(t *testing.T) {
	for op, call := range rootKeyCalls {
		a := newTest(t, Options{Fail: map[string]error{op: AccessDenied(permissions[op])}})
		if err := call(context.Background(), a); awsops.PermissionOf(err) != permissions[op] || awsops.KindOf(err) != awsops.KindAccessDenied {
			t.Errorf("%s: %v", op, err)
		}
	}
}

func TestRootKeysListWithLastUse(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	keys, err := a.RootAccessKeys(ctx, demoCaller(a))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0].ID != demoRootKey || !keys[0].Active || keys[0].LastUsedService != "ec2" ||
		keys[0].LastUsedRegion != "us-east-1" || keys[0].LastUsed.IsZero() {
		t.Fatalf("keys = %+v", keys)
	}
	if _, err := a.RootAccessKeys(ctx, awsops.Identity{Account: AccountID, ARN: "arn:aws:iam::111122223333:user/x"}); !errors.Is(err, awsops.ErrNotRoot) {
		t.Errorf("a non-root caller: %v", err)
	}
}

func TestRootKeyDeactivateThenDelete(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	caller := demoCaller(a)
	must(t, a.DeactivateRootAccessKey(ctx, caller, demoRootKey))
	r := readAll(t, a)
	if r.report.Root.Keys[0].Active || r.summary[awsops.SummaryAccountAccessKeysPresent] != 1 {
		t.Errorf("after deactivating: key %+v, summary %d", r.report.Root.Keys[0], r.summary[awsops.SummaryAccountAccessKeysPresent])
	}
	must(t, a.DeleteRootAccessKey(ctx, caller, demoRootKey))
	if r := readAll(t, a); r.summary[awsops.SummaryAccountAccessKeysPresent] != 0 {
		t.Errorf("after deleting, root still has keys")
	}
	if err := a.DeleteRootAccessKey(ctx, caller, demoRootKey); err == nil || !strings.Contains(err.Error(), "NoSuchEntity") {
		t.Errorf("deleting it again: %v", err)
	}
	w := a.Writes()
	if len(w) != 3 || w[0] != "DeactivateRootAccessKey AccessKeyId=AKIA…MPLE Status=Inactive" || strings.Contains(strings.Join(w, " "), demoRootKey) {
		t.Errorf("writes = %q (key IDs must be masked)", w)
	}
}

// The demo caller normally runs on CloudShell's temporary key; here it runs
// on a root access key, which must never be deactivated or deleted.
func TestRootKeyInUseIsNeverTouched(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	a.mu.Lock()
	a.st.callerKeyID = demoRootKey
	a.mu.Unlock()
	id, err := a.CallerIdentity(ctx)
	if err != nil || id.Credentials != awsops.CredentialsLongTerm || id.AccessKeyID != demoRootKey {
		t.Fatalf("identity = %+v, %v", id, err)
	}
	for _, err := range []error{
		a.DeactivateRootAccessKey(ctx, id, demoRootKey),
		a.DeleteRootAccessKey(ctx, id, demoRootKey),
	} {
		if !errors.Is(err, awsops.ErrKeyInUse) {
			t.Errorf("the key in use: %v", err)
		}
	}
	if r := readAll(t, a); !r.report.Root.Keys[0].Active {
		t.Error("the key in use was changed")
	}
	notRoot := id
	notRoot.IsRoot = false
	if err := a.DeleteRootAccessKey(ctx, notRoot, "AKIAOTHERKEY00000000"); !errors.Is(err, awsops.ErrNotRoot) {
		t.Errorf("a non-root caller: %v", err)
	}
}
