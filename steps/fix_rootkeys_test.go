package steps

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

const (
	rootKeyA = "AKIAIOSFODNN7AAAAAAA"
	rootKeyB = "AKIAIOSFODNN7BBBBBBB"
)

// rootKeysFacts is the fake account with root's access keys.
type rootKeysFacts struct {
	*factsFake
	keys     []awsops.AccessKey
	listedBy []awsops.Identity
}

func (f *rootKeysFacts) RootAccessKeys(ctx context.Context, caller awsops.Identity) ([]awsops.AccessKey, error) {
	if err := f.enter(ctx, "RootAccessKeys", 1); err != nil {
		return nil, err
	}
	f.listedBy = append(f.listedBy, caller)
	return slices.Clone(f.keys), nil
}

// rootKeysWriter records the fix's writes; failOn fails that call.
type rootKeysWriter struct {
	fixWriter
	log     []string
	callers []awsops.Identity
	failOn  string
	failErr error
}

func (w *rootKeysWriter) do(call string, caller awsops.Identity, id string) error {
	w.log = append(w.log, call+" "+id)
	w.callers = append(w.callers, caller)
	if w.failOn == call {
		return w.failErr
	}
	return nil
}

func (w *rootKeysWriter) DeactivateRootAccessKey(_ context.Context, c awsops.Identity, id string) error {
	return w.do("Deactivate", c, id)
}

func (w *rootKeysWriter) DeleteRootAccessKey(_ context.Context, c awsops.Identity, id string) error {
	return w.do("Delete", c, id)
}

// rootKeysFake: root in CloudShell (a temporary key), with two root keys:
// A active and used three days ago, B inactive and never used.
func rootKeysFake() *rootKeysFacts {
	f := &rootKeysFacts{factsFake: healthyFake(), keys: []awsops.AccessKey{
		{ID: rootKeyA, Active: true, CreatedAt: daysAgo(400), LastUsed: daysAgo(3), LastUsedService: "ec2", LastUsedRegion: "us-east-1"},
		{ID: rootKeyB, CreatedAt: daysAgo(200)},
	}}
	asRoot(f.factsFake, awsops.CredentialsTemporary, "ASIAIOSFODNN7CLDSHEL")
	return f
}

func planRootKeysWith(t *testing.T, f *rootKeysFacts, kv ...string) Plan {
	t.Helper()
	fix, st := loadFix(t, FixRootAccessKeys, f)
	p, err := fix.Plan(st, given(kv...))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

// planText is everything a plan shows or records.
func planText(p Plan) string {
	parts := []string{p.Title, p.record}
	parts = append(parts, p.Notes...)
	parts = append(parts, p.Warnings...)
	for _, c := range p.Changes {
		parts = append(parts, c.Field, c.Current, c.Proposed)
	}
	for _, c := range p.Calls {
		parts = append(parts, c.API, c.Label)
		for _, e := range c.Params {
			parts = append(parts, e.Key, e.Value)
		}
	}
	if p.Confirm != nil {
		parts = append(parts, p.Confirm.Prompt)
	}
	return strings.Join(parts, "\n")
}

func TestRootKeysFixNeedsRoot(t *testing.T) {
	f := rootKeysFake()
	f.identity = healthyFake().identity // an SSO administrator
	fix, st := loadFix(t, FixRootAccessKeys, f)
	if n := f.callCounts()["RootAccessKeys"]; n != 0 {
		t.Fatalf("listed keys %d times as a non-root caller (that would list the caller's own keys)", n)
	}
	if fix.Needs != "run rootguard as the root user" {
		t.Errorf("Needs = %q", fix.Needs)
	}
	if groups := fix.Form(st); len(groups) != 0 {
		t.Errorf("nothing to ask a non-root caller: %+v", groups)
	}
	_, err := fix.Plan(st, given())
	if err == nil || !strings.Contains(err.Error(), "run rootguard as the root user") || !strings.Contains(err.Error(), "console steps") {
		t.Errorf("plan error = %v", err)
	}
}

func TestRootKeysFormOffersOtherKeys(t *testing.T) {
	f := rootKeysFake()
	fix, st := loadFix(t, FixRootAccessKeys, f)
	if len(f.listedBy) != 1 || !f.listedBy[0].IsRoot {
		t.Fatalf("listed by %+v", f.listedBy)
	}
	fields := fix.Fields(st)
	if len(fields) != 2 || fields[0].Key != FieldRootKey || fields[1].Key != FieldKeyAction {
		t.Fatalf("fields = %+v", fields)
	}
	opts := fields[0].Options
	if len(opts) != 2 || opts[0].Value != "AAAA" || opts[1].Value != "BBBB" || fields[0].Default != "AAAA" {
		t.Fatalf("key options = %+v, default %q", opts, fields[0].Default)
	}
	if want := "AKIA…AAAA, active, last used 2026-11-17 (ec2 in us-east-1)"; opts[0].Label != want {
		t.Errorf("label = %q, want %q", opts[0].Label, want)
	}
	if opts[1].Label != "AKIA…BBBB, inactive, never used" {
		t.Errorf("label = %q", opts[1].Label)
	}
	if fields[1].Default != KeyActionDeactivate {
		t.Errorf("an active key's default action is %q, want deactivate", fields[1].Default)
	}
}

func TestRootKeysDeactivate(t *testing.T) {
	p := planRootKeysWith(t, rootKeysFake())
	if got := callAPIs(p.Calls); !slices.Equal(got, []string{"iam:UpdateAccessKey"}) {
		t.Fatalf("calls = %v", got)
	}
	if p.Changes[0] != (Change{Field: "root key AKIA…AAAA", Current: "active", Proposed: "inactive"}) {
		t.Errorf("change = %+v", p.Changes[0])
	}
	if p.Confirm == nil || p.Confirm.Want != "AAAA" || !p.Confirm.Matches(" AAAA ") || p.Confirm.Matches("AAAB") || p.Confirm.Matches("") {
		t.Fatalf("typed confirmation = %+v", p.Confirm)
	}
	if !strings.Contains(strings.Join(p.Warnings, " "), "used 3 days ago by ec2 in us-east-1") {
		t.Errorf("a recently used key must be warned about: %q", p.Warnings)
	}
	w := &rootKeysWriter{}
	res := p.Apply(context.Background(), w)
	if !res.OK() || !slices.Equal(w.log, []string{"Deactivate " + rootKeyA}) || !w.callers[0].IsRoot {
		t.Fatalf("apply: %s; log %v", res.Explain(), w.log)
	}
	if got := p.RecordSummary(res); got != "deactivated root access key AKIA…AAAA" {
		t.Errorf("record = %q", got)
	}
}

func TestRootKeysDeleteDeactivatesFirstAndKeepsItOff(t *testing.T) {
	p := planRootKeysWith(t, rootKeysFake(), FieldRootKey, "aaaa", FieldKeyAction, KeyActionDelete)
	if got := callAPIs(p.Calls); !slices.Equal(got, []string{"iam:UpdateAccessKey", "iam:DeleteAccessKey"}) {
		t.Fatalf("calls = %v", got)
	}
	if p.Calls[0].Undo != nil {
		t.Error("the deactivation must not be undone when the delete fails (see planRootKeys)")
	}
	w := &rootKeysWriter{failOn: "Delete", failErr: fixDenied("iam:DeleteAccessKey")}
	res := p.Apply(context.Background(), w)
	if res.OK() || len(res.Undone) != 0 || len(res.InPlace()) != 1 {
		t.Fatalf("result = %+v", res)
	}
	want := "inactive status of root key AKIA…AAAA saved; deletion of root key AKIA…AAAA NOT saved: access denied: needs iam:DeleteAccessKey"
	if got := res.Explain(); got != want {
		t.Errorf("explain = %q\nwant      %q", got, want)
	}
	if !strings.Contains(res.Todo(), "iam:DeleteAccessKey") {
		t.Errorf("todo = %q", res.Todo())
	}
	if !strings.Contains(strings.Join(p.Warnings, " "), "cannot be undone") {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestRootKeysInactiveKey(t *testing.T) {
	f := rootKeysFake()
	del := planRootKeysWith(t, f, FieldRootKey, "BBBB", FieldKeyAction, KeyActionDelete)
	if got := callAPIs(del.Calls); !slices.Equal(got, []string{"iam:DeleteAccessKey"}) {
		t.Errorf("an inactive key is deleted at once: %v", got)
	}
	if strings.Contains(strings.Join(del.Warnings, " "), "stops working") {
		t.Errorf("a never-used key needs no use warning: %q", del.Warnings)
	}
	off := planRootKeysWith(t, f, FieldRootKey, "BBBB", FieldKeyAction, KeyActionDeactivate)
	if !off.NoOp || !strings.Contains(strings.Join(off.Notes, " "), "already inactive") {
		t.Errorf("deactivating an inactive key must change nothing: %+v", off)
	}
	// With only the inactive key left, the form proposes deleting it.
	f.keys = f.keys[1:]
	fix, st := loadFix(t, FixRootAccessKeys, f)
	if d := fix.Defaults(st); d[FieldRootKey] != "BBBB" || d[FieldKeyAction] != KeyActionDelete {
		t.Errorf("defaults = %v", d)
	}
}

// rootguard runs on root key A: it is never offered, never planned, never
// written, and the plan says how to remove it afterwards.
func TestRootKeysNeverTouchTheKeyInUse(t *testing.T) {
	f := rootKeysFake()
	asRoot(f.factsFake, awsops.CredentialsLongTerm, rootKeyA)
	fix, st := loadFix(t, FixRootAccessKeys, f)
	fields := fix.Fields(st)
	if opts := fields[0].Options; len(opts) != 1 || opts[0].Value != "BBBB" {
		t.Fatalf("options = %+v: the key in use must not be offered", opts)
	}
	if !strings.Contains(fix.Form(st)[0].Help, "AKIA…AAAA: it is not offered") {
		t.Errorf("form help = %q", fix.Form(st)[0].Help)
	}
	for _, choice := range []string{"AAAA", rootKeyA, "7AAAAAAA"} {
		_, err := fix.Plan(st, given(FieldRootKey, choice, FieldKeyAction, KeyActionDelete))
		fieldErr(t, err, FieldRootKey)
		if !strings.Contains(err.Error(), "rootguard runs on") || strings.Contains(err.Error(), rootKeyA) {
			t.Errorf("choosing the key in use: %v", err)
		}
	}
	p, err := fix.Plan(st, given(FieldKeyAction, KeyActionDelete))
	if err != nil {
		t.Fatal(err)
	}
	note := strings.Join(p.Notes, " ")
	if !strings.Contains(note, "never touches it") || !strings.Contains(note, "switch rootguard") || !strings.Contains(note, "sign in to the console as root") {
		t.Errorf("notes = %q: say how to remove the key in use afterwards", p.Notes)
	}
	w := &rootKeysWriter{}
	p.Apply(context.Background(), w)
	if !slices.Equal(w.log, []string{"Delete " + rootKeyB}) {
		t.Errorf("writes = %v", w.log)
	}
	// The key in use as the only key: nothing to do, and how to remove it.
	f.keys = f.keys[:1]
	fix, st = loadFix(t, FixRootAccessKeys, f)
	if fix.Form(st) != nil {
		t.Error("nothing to choose, nothing to ask")
	}
	only, err := fix.Plan(st, given())
	if err != nil || !only.NoOp || len(only.Calls) != 0 || !strings.Contains(strings.Join(only.Notes, " "), "AKIA…AAAA and never touches it") {
		t.Errorf("plan = %+v, %v", only, err)
	}
}

func TestRootKeysRefuseWhenTheKeyInUseIsUnknown(t *testing.T) {
	f := rootKeysFake()
	asRoot(f.factsFake, awsops.CredentialsUnknown, "")
	fix, st := loadFix(t, FixRootAccessKeys, f)
	if _, err := fix.Plan(st, given()); err == nil || !strings.Contains(err.Error(), "cannot tell which access key") {
		t.Errorf("plan error = %v", err)
	}
}

func TestRootKeysMaskKeyIDs(t *testing.T) {
	f := rootKeysFake()
	asRoot(f.factsFake, awsops.CredentialsLongTerm, rootKeyB)
	fix, st := loadFix(t, FixRootAccessKeys, f)
	var texts []string
	for _, g := range fix.Form(st) {
		texts = append(texts, g.Help)
		for _, fl := range g.Fields {
			for _, o := range fl.Options {
				texts = append(texts, o.Value, o.Label)
			}
		}
	}
	for _, action := range []string{KeyActionDeactivate, KeyActionDelete} {
		texts = append(texts, planText(planRootKeysWith(t, f, FieldKeyAction, action)))
	}
	_, err := fix.Plan(st, given(FieldRootKey, "AKIAIOSFODNN7CCCCCCC"))
	texts = append(texts, err.Error())
	all := strings.Join(texts, "\n")
	for _, id := range []string{rootKeyA, rootKeyB, "AKIAIOSFODNN7CCCCCCC", "IOSFODNN7"} {
		if strings.Contains(all, id) {
			t.Errorf("output shows %q:\n%s", id, all)
		}
	}
}

func TestRootKeysBadInput(t *testing.T) {
	fix, st := loadFix(t, FixRootAccessKeys, rootKeysFake())
	for _, in := range []Input{
		given(FieldRootKey, "CCCC"),
		given(FieldRootKey, "AA"),
		given(FieldRootKey, ""),
	} {
		_, err := fix.Plan(st, in)
		fieldErr(t, err, FieldRootKey)
		if !strings.Contains(err.Error(), "AKIA…AAAA") {
			t.Errorf("the error lists the keys to choose from: %v", err)
		}
	}
	_, err := fix.Plan(st, given(FieldKeyAction, "shred"))
	fieldErr(t, err, FieldKeyAction)
}

func TestRootKeysFixLoadNamesTheDeniedRead(t *testing.T) {
	f := rootKeysFake()
	f.errs = map[string]error{"RootAccessKeys": accessDenied("iam:ListAccessKeys")}
	fix, _ := FixFor(FixRootAccessKeys)
	_, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{Now: func() time.Time { return testNow }}))
	if awsops.PermissionOf(err) != "iam:ListAccessKeys" {
		t.Errorf("load error = %v", err)
	}
}

// Two root keys ending in the same four characters look the same masked:
// the choice and the confirmation then take enough characters to tell.
func TestRootKeysSharingTheirLastFour(t *testing.T) {
	f := rootKeysFake()
	f.keys[0].ID, f.keys[1].ID = "AKIAIOSFODNN7AEXAMPLE", "AKIAI44QH8DHBEXAMPLE"
	asRoot(f.factsFake, awsops.CredentialsLongTerm, "AKIAIOSFODNN7AEXAMPLE")
	fix, st := loadFix(t, FixRootAccessKeys, f)
	opts := fix.Fields(st)[0].Options
	if len(opts) != 1 || opts[0].Value != "BEXAMPLE" || !strings.Contains(opts[0].Label, "ends in BEXAMPLE") {
		t.Fatalf("options = %+v", opts)
	}
	p, err := fix.Plan(st, given(FieldKeyAction, KeyActionDelete))
	if err != nil {
		t.Fatal(err)
	}
	if p.Confirm.Want != "BEXAMPLE" || p.Confirm.Matches("MPLE") || !strings.Contains(p.Confirm.Prompt, "last 8 characters") {
		t.Errorf("confirm = %+v", p.Confirm)
	}
	// The four shared characters pick the key in use: refused.
	_, err = fix.Plan(st, given(FieldRootKey, "MPLE"))
	fieldErr(t, err, FieldRootKey)
}

// As root on a temporary key, the check says rootguard can do it; as
// another identity it gives the console steps only.
func TestRootKeysCheckOffersTheFixOnlyToRoot(t *testing.T) {
	f := healthyFake()
	f.summary[awsops.SummaryAccountAccessKeysPresent] = 1
	if r := runCheck(t, f, FixRootAccessKeys, nil); r.Status != StatusFail || strings.Contains(r.Todo, "rootguard") {
		t.Errorf("as an administrator: %s, todo %q", r.Status, r.Todo)
	}
	asRoot(f, awsops.CredentialsTemporary, "ASIAIOSFODNN7EXAMPLE")
	if r := runCheck(t, f, FixRootAccessKeys, nil); r.Status != StatusFail || !strings.Contains(r.Todo, "You run rootguard as root") {
		t.Errorf("as root: %s, todo %q", r.Status, r.Todo)
	}
}
