package awsops_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

// The registry's static credentials are a long-term key: the caller runs on
// awstest.AccessKeyID.
const otherRootKey = "AKIAI44QH8DHB7R2WXYZ"

var rootCaller = awsops.Identity{Account: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, IsRoot: true,
	Credentials: awsops.CredentialsLongTerm, AccessKeyID: awstest.AccessKeyID}

func keyMember(id, status string) string {
	return `<member><UserName>` + acct + `</UserName><AccessKeyId>` + id + `</AccessKeyId><Status>` + status +
		`</Status><CreateDate>2025-03-01T10:00:00Z</CreateDate></member>`
}

func listRootKeys(reg *awstest.Registry, members ...string) {
	reg.Register(awstest.And(awstest.Query("ListAccessKeys"), awstest.NoFormValue("UserName")),
		awstest.QueryResult(`<AccessKeyMetadata>`+strings.Join(members, "")+`</AccessKeyMetadata><IsTruncated>false</IsTruncated>`))
}

func lastUsed(reg *awstest.Registry, id, inner string) {
	reg.Register(awstest.And(awstest.Query("GetAccessKeyLastUsed"), awstest.FormValue("AccessKeyId", id)),
		awstest.QueryResult(`<UserName>`+acct+`</UserName><AccessKeyLastUsed>`+inner+`</AccessKeyLastUsed>`))
}

func TestRootAccessKeysListsWithLastUse(t *testing.T) {
	a, reg := newAWS(t)
	listRootKeys(reg, keyMember(awstest.AccessKeyID, "Active"), keyMember(otherRootKey, "Inactive"))
	lastUsed(reg, awstest.AccessKeyID, `<LastUsedDate>2026-11-20T08:15:00Z</LastUsedDate><ServiceName>iam</ServiceName><Region>us-east-1</Region>`)
	lastUsed(reg, otherRootKey, `<ServiceName>N/A</ServiceName><Region>N/A</Region>`)
	keys, err := a.RootAccessKeys(context.Background(), rootCaller)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("keys = %+v", keys)
	}
	k0, k1 := keys[0], keys[1]
	if k0.ID != awstest.AccessKeyID || !k0.Active || k0.LastUsedService != "iam" || k0.LastUsedRegion != "us-east-1" ||
		k0.LastUsed.Format("2006-01-02T15:04") != "2026-11-20T08:15" || k0.CreatedAt.Year() != 2025 {
		t.Errorf("first key = %+v", k0)
	}
	if k1.ID != otherRootKey || k1.Active || !k1.LastUsed.IsZero() || k1.LastUsedService != "" || k1.LastUsedRegion != "" {
		t.Errorf("a never-used key = %+v", k1)
	}
}

func TestRootAccessKeysRefusesANonRootCaller(t *testing.T) {
	a, _ := newAWS(t) // no stub: listing as an IAM user would list that user's own keys
	user := rootCaller
	user.ARN, user.UserID, user.IsRoot = "arn:aws:iam::"+acct+":user/alice", "AIDAEXAMPLE", false
	if _, err := a.RootAccessKeys(context.Background(), user); !errors.Is(err, awsops.ErrNotRoot) {
		t.Errorf("err = %v", err)
	}
	for _, err := range []error{
		a.DeactivateRootAccessKey(context.Background(), user, otherRootKey),
		a.DeleteRootAccessKey(context.Background(), user, otherRootKey),
	} {
		if !errors.Is(err, awsops.ErrNotRoot) {
			t.Errorf("write as a non-root caller: %v", err)
		}
	}
}

func TestRootAccessKeysShapelessAnswers(t *testing.T) {
	for name, member := range map[string]string{
		"no key ID":      keyMember("", "Active"),
		"odd key ID":     keyMember("akia-not-a-key", "Active"),
		"unknown status": keyMember(otherRootKey, "Suspended"),
	} {
		t.Run(name, func(t *testing.T) {
			a, reg := newAWS(t)
			listRootKeys(reg, member)
			keys, err := a.RootAccessKeys(context.Background(), rootCaller)
			if keys != nil {
				t.Fatalf("keys = %+v", keys)
			}
			wantKind(t, err, awsops.KindOther, "iam:ListAccessKeys")
		})
	}
}

func TestRootAccessKeysDenied(t *testing.T) {
	a, reg := newAWS(t)
	listRootKeys(reg, keyMember(otherRootKey, "Active"))
	reg.Register(awstest.Query("GetAccessKeyLastUsed"), awstest.AWSError(403, "AccessDenied", "not authorized"))
	_, err := a.RootAccessKeys(context.Background(), rootCaller)
	wantKind(t, err, awsops.KindAccessDenied, "iam:GetAccessKeyLastUsed")
}

func TestRootKeyWritesRequests(t *testing.T) {
	a, reg := newAWS(t)
	ctx := context.Background()
	reg.Register(awstest.Query("UpdateAccessKey"), awstest.QueryResult(""))
	reg.Register(awstest.Query("DeleteAccessKey"), awstest.QueryResult(""))
	if err := a.DeactivateRootAccessKey(ctx, rootCaller, otherRootKey); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteRootAccessKey(ctx, rootCaller, otherRootKey); err != nil {
		t.Fatal(err)
	}
	up := formOf(t, reg, "UpdateAccessKey")
	if up.Get("AccessKeyId") != otherRootKey || up.Get("Status") != "Inactive" || up.Has("UserName") {
		t.Errorf("UpdateAccessKey = %v", up)
	}
	del := formOf(t, reg, "DeleteAccessKey")
	if del.Get("AccessKeyId") != otherRootKey || del.Has("UserName") {
		t.Errorf("DeleteAccessKey = %v", del)
	}
}

func TestRootKeyWritesNeverTouchTheKeyInUse(t *testing.T) {
	a, _ := newAWS(t) // no stub: no request may be made
	ctx := context.Background()
	for _, err := range []error{
		a.DeactivateRootAccessKey(ctx, rootCaller, awstest.AccessKeyID),
		a.DeleteRootAccessKey(ctx, rootCaller, awstest.AccessKeyID),
	} {
		if !errors.Is(err, awsops.ErrKeyInUse) || strings.Contains(err.Error(), awstest.AccessKeyID) {
			t.Errorf("err = %v", err)
		}
	}
	unknown := rootCaller
	unknown.AccessKeyID = ""
	if err := a.DeleteRootAccessKey(ctx, unknown, otherRootKey); err == nil || !strings.Contains(err.Error(), "cannot tell") {
		t.Errorf("with the key in use unknown: %v", err)
	}
	if err := a.DeleteRootAccessKey(ctx, rootCaller, "not-a-key"); err == nil {
		t.Error("a malformed key ID was sent")
	}
}

// rootKeysPlan loads the fix as root on the registry's long-term key and
// plans deleting the other key.
func rootKeysPlan(t *testing.T, a *awsops.AWS, reg *awstest.Registry) steps.Plan {
	t.Helper()
	identityStubs(reg, "arn:aws:iam::"+acct+":root", acct)
	listRootKeys(reg, keyMember(awstest.AccessKeyID, "Active"), keyMember(otherRootKey, "Active"))
	lastUsed(reg, awstest.AccessKeyID, `<LastUsedDate>2026-11-22T08:15:00Z</LastUsedDate><ServiceName>iam</ServiceName><Region>us-east-1</Region>`)
	lastUsed(reg, otherRootKey, `<LastUsedDate>2026-05-02T08:15:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region>`)
	fix, _ := steps.FixFor(steps.FixRootAccessKeys)
	st, err := fix.Load(context.Background(), fixFacts(a))
	if err != nil {
		t.Fatal(err)
	}
	if opts := fix.Fields(st)[0].Options; len(opts) != 1 || opts[0].Value != "WXYZ" || !strings.HasPrefix(opts[0].Label, "AKIA…WXYZ, active, last used 2026-05-02 (s3 in eu-west-1)") {
		t.Fatalf("options = %+v: only the other key", opts)
	}
	p, err := fix.Plan(st, steps.NewInput(steps.Values{steps.FieldKeyAction: steps.KeyActionDelete}))
	if err != nil {
		t.Fatal(err)
	}
	if p.Confirm == nil || p.Confirm.Want != "WXYZ" {
		t.Fatalf("confirm = %+v", p.Confirm)
	}
	return p
}

func TestRootKeysFixRequests(t *testing.T) {
	a, reg := fixAWS(t)
	p := rootKeysPlan(t, a, reg)
	reg.Register(awstest.And(awstest.Query("UpdateAccessKey"), awstest.FormValue("AccessKeyId", otherRootKey), awstest.FormValue("Status", "Inactive")), awstest.QueryResult(""))
	reg.Register(awstest.And(awstest.Query("DeleteAccessKey"), awstest.FormValue("AccessKeyId", otherRootKey)), awstest.QueryResult(""))
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	for _, r := range reg.Requests() {
		if f := r.Form(); (f.Get("Action") == "UpdateAccessKey" || f.Get("Action") == "DeleteAccessKey") &&
			(f.Get("AccessKeyId") == awstest.AccessKeyID || f.Has("UserName")) {
			t.Errorf("%s touched the key in use or named a user: %v", f.Get("Action"), f)
		}
	}
}

// A denied delete leaves the key deactivated (by design) and says so.
func TestRootKeysFixDeniedDeleteKeepsTheKeyOff(t *testing.T) {
	a, reg := fixAWS(t)
	p := rootKeysPlan(t, a, reg)
	reg.Register(awstest.Query("UpdateAccessKey"), awstest.QueryResult(""))
	reg.Register(awstest.Query("DeleteAccessKey"), awstest.AWSError(403, "AccessDenied", "not authorized to perform iam:DeleteAccessKey"))
	res := p.Apply(context.Background(), a)
	if res.OK() || awsops.PermissionOf(res.Err) != "iam:DeleteAccessKey" || len(res.Undone) != 0 {
		t.Fatalf("result = %+v", res)
	}
	if got := res.Explain(); !strings.Contains(got, "inactive status of root key AKIA…WXYZ saved") || !strings.Contains(got, "deletion of root key AKIA…WXYZ NOT saved") {
		t.Errorf("explain = %q", got)
	}
	if n := len(reg.Find(awstest.Query("UpdateAccessKey"))); n != 1 {
		t.Errorf("%d UpdateAccessKey requests: the key must not be turned back on", n)
	}
}
