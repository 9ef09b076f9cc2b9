package steps

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/rootguard/rootguard/awsops"
)

// fixWriter is a fake awsops.Writer that records each write and fails the
// write numbered failAt (1-based) with failErr.
type fixWriter struct {
	calls   []string
	failAt  int
	failErr error
	policy  []awsops.PasswordPolicy
	alt     []awsops.AlternateContact
	info    []awsops.ContactInfo
}

func (w *fixWriter) record(name string) error {
	w.calls = append(w.calls, name)
	if len(w.calls) == w.failAt {
		return w.failErr
	}
	return nil
}

func (w *fixWriter) UpdatePasswordPolicy(_ context.Context, p awsops.PasswordPolicy) error {
	w.policy = append(w.policy, p)
	return w.record("UpdatePasswordPolicy")
}

func (w *fixWriter) PutAlternateContact(_ context.Context, c awsops.AlternateContact) error {
	w.alt = append(w.alt, c)
	return w.record("PutAlternateContact " + string(c.Type))
}

func (w *fixWriter) PutContactInformation(_ context.Context, c awsops.ContactInfo) error {
	w.info = append(w.info, c)
	return w.record("PutContactInformation")
}

func fixDenied(op string) error {
	return &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User is not authorized to perform " + op}
}

// The check compares to PasswordPresetRecommended itself; checks_test
// shows that preset passes.
func TestPasswordPresets(t *testing.T) {
	want := PasswordPresetRecommended
	want.MaxAgeDays = 90
	if PasswordPresetStrict != want {
		t.Fatalf("strict preset = %+v, want recommended plus 90 days", PasswordPresetStrict)
	}
	for _, name := range []string{PresetRecommended, PresetStrict} {
		p, ok := PasswordPreset(name)
		if !ok || len(ValidatePasswordPolicy(p)) != 0 {
			t.Errorf("preset %s: ok=%v, errors %v", name, ok, ValidatePasswordPolicy(p))
		}
	}
	if _, ok := PasswordPreset(PresetCustom); ok {
		t.Error("custom is not a fixed preset")
	}
}

func TestPlanPasswordPolicyFromNone(t *testing.T) {
	p := PlanPasswordPolicy(nil, PasswordPresetRecommended)
	if p.NoOp || len(p.Calls) != 1 || len(p.Warnings) != 0 {
		t.Fatalf("plan = %+v", p)
	}
	if len(p.Changes) != len(passwordFields) {
		t.Errorf("from no policy every field is a change; got %d changes", len(p.Changes))
	}
	c := p.Calls[0]
	if c.API != "iam:UpdateAccountPasswordPolicy" || c.Label != "password policy" {
		t.Errorf("call = %s %q", c.API, c.Label)
	}
	// Every field is sent, always.
	want := []Evidence{
		{"MinimumPasswordLength", "14"}, {"RequireUppercaseCharacters", "true"},
		{"RequireLowercaseCharacters", "true"}, {"RequireNumbers", "true"}, {"RequireSymbols", "true"},
		{"AllowUsersToChangePassword", "true"}, {"MaxPasswordAge", "(omitted: never expire)"},
		{"PasswordReusePrevention", "24"}, {"HardExpiry", "false"},
	}
	if !reflect.DeepEqual(c.Params, want) {
		t.Errorf("params = %v\nwant %v", c.Params, want)
	}
}

func TestPlanPasswordPolicyDiffAndWarnings(t *testing.T) {
	cur := awsops.PasswordPolicy{MinimumLength: 16, RequireUppercase: true, RequireLowercase: true,
		RequireNumbers: true, RequireSymbols: false, AllowUsersToChange: true, MaxAgeDays: 60, ReusePrevention: 24, HardExpiry: true}
	p := PlanPasswordPolicy(&cur, PasswordPresetRecommended)
	wantChanges := []Change{
		{"Minimum length", "16", "14"},
		{"Require symbols", "no", "yes"},
		{"Maximum age", "60 days", "never expire"},
		{"Hard expiry", "yes", "no"},
	}
	if !reflect.DeepEqual(p.Changes, wantChanges) {
		t.Errorf("changes = %v\nwant %v", p.Changes, wantChanges)
	}
	joined := strings.Join(p.Warnings, "\n")
	for _, want := range []string{"lowers the minimum length from 16 to 14", "removes password expiry (now: 60 days)", "turns off hard expiry"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "symbols") {
		t.Errorf("adding a requirement is not a weakening:\n%s", joined)
	}

	// Strict over a 30-day policy lengthens the age; reuse 24 → 5 lowers it.
	cur = PasswordPresetStrict
	cur.MaxAgeDays = 30
	target := PasswordPresetStrict
	target.ReusePrevention = 5
	target.RequireNumbers = false
	w := strings.Join(PlanPasswordPolicy(&cur, target).Warnings, "\n")
	for _, want := range []string{"lengthens the maximum age from 30 to 90", "lowers reuse prevention from 24 to 5", "stops requiring numbers"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	target.ReusePrevention = 0
	if w := strings.Join(PlanPasswordPolicy(&cur, target).Warnings, "\n"); !strings.Contains(w, "turns off reuse prevention") {
		t.Errorf("warnings = %s", w)
	}
	target = PasswordPresetRecommended
	target.HardExpiry = true
	if w := strings.Join(PlanPasswordPolicy(nil, target).Warnings, "\n"); !strings.Contains(w, "no effect") {
		t.Errorf("hard expiry without max age: warnings = %q", w)
	}
}

func TestPlanPasswordPolicyWarnsBelowAWSDefault(t *testing.T) {
	// The reviewer's custom policy: length 6, no uppercase, no expiry, no reuse.
	target := PasswordPresetRecommended
	target.MinimumLength = 6
	target.RequireUppercase = false
	target.ReusePrevention = 0
	for _, tc := range []struct {
		name    string
		current *awsops.PasswordPolicy
	}{{"from no policy", nil}, {"from the recommended policy", &PasswordPresetRecommended}} {
		t.Run(tc.name, func(t *testing.T) {
			w := strings.Join(PlanPasswordPolicy(tc.current, target).Warnings, "\n")
			if !strings.Contains(w, "Weaker than the AWS default (what applies with no policy): allows 6-character passwords (the AWS default asks for at least 8).") {
				t.Errorf("no AWS-default warning for length 6:\n%s", w)
			}
			if strings.Contains(w, "character types") {
				t.Errorf("3 of 4 types is as strong as the AWS default:\n%s", w)
			}
			if tc.current != nil && !strings.Contains(w, "stops requiring uppercase letters") {
				t.Errorf("no weaker-than-current warning:\n%s", w)
			}
		})
	}
	target = PasswordPresetRecommended
	target.RequireNumbers, target.RequireSymbols = false, false
	w := strings.Join(PlanPasswordPolicy(nil, target).Warnings, "\n")
	if !strings.Contains(w, "requires only 2 of the 4 character types") {
		t.Errorf("two character types: warnings = %s", w)
	}
	if w := PlanPasswordPolicy(nil, PasswordPresetRecommended).Warnings; len(w) != 0 {
		t.Errorf("the recommended preset warns: %v", w)
	}
}

func TestPasswordBelowAWSDefault(t *testing.T) {
	atDefault := awsops.PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true}
	if got := PasswordBelowAWSDefault(atDefault); got != nil {
		t.Errorf("8 characters, 3 types: %v", got)
	}
	short := atDefault
	short.MinimumLength = 7
	if got := PasswordBelowAWSDefault(short); len(got) != 1 || !strings.Contains(got[0], "7-character") {
		t.Errorf("7 characters: %v", got)
	}
	few := atDefault
	few.RequireNumbers = false
	if got := PasswordBelowAWSDefault(few); len(got) != 1 || !strings.Contains(got[0], "only 2 of the 4") {
		t.Errorf("2 types: %v", got)
	}
}

func TestPlanPasswordPolicyIdempotent(t *testing.T) {
	cur := PasswordPresetRecommended
	p := PlanPasswordPolicy(&cur, PasswordPresetRecommended)
	if !p.NoOp || len(p.Calls) != 0 || len(p.Changes) != 0 {
		t.Fatalf("plan = %+v, want a no-op", p)
	}
	w := &fixWriter{}
	r := p.Apply(context.Background(), w)
	if len(w.calls) != 0 || !r.OK() || !r.NoOp {
		t.Fatalf("a no-op plan wrote %v (result %+v)", w.calls, r)
	}
	if got := r.Explain(); !strings.Contains(got, "already in place; nothing to do") {
		t.Errorf("Explain() = %q", got)
	}
}

func TestApplyPasswordPolicy(t *testing.T) {
	w := &fixWriter{}
	r := PlanPasswordPolicy(nil, PasswordPresetStrict).Apply(context.Background(), w)
	if !r.OK() || len(r.Applied) != 1 || r.Failed != nil || len(r.NotAttempted) != 0 {
		t.Fatalf("result = %+v", r)
	}
	if len(w.policy) != 1 || w.policy[0] != PasswordPresetStrict {
		t.Fatalf("wrote %+v", w.policy)
	}
	if r.Explain() != "password policy saved" || r.Todo() != "" {
		t.Errorf("Explain() = %q, Todo() = %q", r.Explain(), r.Todo())
	}
}

func TestApplyDeniedSaysWhatToGrant(t *testing.T) {
	w := &fixWriter{failAt: 1, failErr: fixDenied("iam:UpdateAccountPasswordPolicy")}
	r := PlanPasswordPolicy(nil, PasswordPresetRecommended).Apply(context.Background(), w)
	if r.OK() || r.Failed == nil || len(r.Applied) != 0 {
		t.Fatalf("result = %+v", r)
	}
	if awsops.KindOf(r.Err) != awsops.KindAccessDenied || awsops.PermissionOf(r.Err) != "iam:UpdateAccountPasswordPolicy" {
		t.Errorf("err = %v (kind %s)", r.Err, awsops.KindOf(r.Err))
	}
	if got, want := r.Explain(), "access denied: needs iam:UpdateAccountPasswordPolicy; nothing was changed"; got != want {
		t.Errorf("Explain() = %q, want %q", got, want)
	}
	if !strings.Contains(r.Todo(), "Grant iam:UpdateAccountPasswordPolicy") {
		t.Errorf("Todo() = %q", r.Todo())
	}
}

func TestApplyFillsAMissingPermission(t *testing.T) {
	// A writer that classified the error without naming the permission.
	w := &fixWriter{failAt: 1, failErr: &awsops.Error{Kind: awsops.KindAccessDenied, Code: "AccessDenied"}}
	r := PlanContactInfo(nil, validContactInfo()).Apply(context.Background(), w)
	if awsops.PermissionOf(r.Err) != "account:PutContactInformation" {
		t.Errorf("err = %v", r.Err)
	}
}

func TestApplyOtherErrorsHaveTodo(t *testing.T) {
	for _, tc := range []struct {
		err  error
		todo string
	}{
		{&smithy.GenericAPIError{Code: "Throttling"}, "Wait a minute"},
		{&smithy.GenericAPIError{Code: "ExpiredToken"}, "Refresh your credentials"},
		{context.Canceled, "Run the fix again"},
		{&smithy.GenericAPIError{Code: "ValidationException", Message: "bad phone"}, "correct the input"},
	} {
		w := &fixWriter{failAt: 1, failErr: tc.err}
		r := PlanPasswordPolicy(nil, PasswordPresetRecommended).Apply(context.Background(), w)
		if !strings.Contains(r.Todo(), tc.todo) {
			t.Errorf("%v: Todo() = %q, want %q", tc.err, r.Todo(), tc.todo)
		}
	}
}

func sampleContact(t awsops.ContactType, name string) awsops.AlternateContact {
	return awsops.AlternateContact{Type: t, Name: name, Title: "Lead", Email: strings.ToLower(name) + "@example.com", Phone: "+1 206 555 0100"}
}

func TestPlanAlternateContactsOnlyChangedTypes(t *testing.T) {
	sec := sampleContact(awsops.ContactSecurity, "Ana")
	cur := map[awsops.ContactType]*awsops.AlternateContact{
		awsops.ContactSecurity: &sec, awsops.ContactBilling: nil, awsops.ContactOperations: nil,
	}
	bil := sampleContact(awsops.ContactBilling, "Bo")
	ops := sampleContact(awsops.ContactOperations, "Cy")
	// Security unchanged apart from surrounding spaces; given last to show the order is fixed.
	secAgain := sec
	secAgain.Name = "  Ana "
	p := PlanAlternateContacts(cur, []awsops.AlternateContact{ops, bil, secAgain})
	if p.NoOp || len(p.Calls) != 2 {
		t.Fatalf("plan = %+v", p)
	}
	if p.Calls[0].Label != "billing contact" || p.Calls[1].Label != "operations contact" {
		t.Errorf("calls = %q, %q", p.Calls[0].Label, p.Calls[1].Label)
	}
	wantParams := []Evidence{{"AlternateContactType", "BILLING"}, {"Name", "Bo"}, {"Title", "Lead"},
		{"EmailAddress", "bo@example.com"}, {"PhoneNumber", "+1 206 555 0100"}}
	if !reflect.DeepEqual(p.Calls[0].Params, wantParams) {
		t.Errorf("params = %v", p.Calls[0].Params)
	}
	if p.Changes[0] != (Change{"billing name", "(not set)", "Bo"}) || len(p.Changes) != 8 {
		t.Errorf("changes = %v", p.Changes)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings = %v", p.Warnings)
	}

	w := &fixWriter{}
	r := p.Apply(context.Background(), w)
	if !r.OK() || !reflect.DeepEqual(w.calls, []string{"PutAlternateContact BILLING", "PutAlternateContact OPERATIONS"}) {
		t.Fatalf("calls %v, result %+v", w.calls, r)
	}
	if r.Explain() != "billing contact saved; operations contact saved" {
		t.Errorf("Explain() = %q", r.Explain())
	}

	// Once written, the same input is a no-op.
	cur[awsops.ContactBilling], cur[awsops.ContactOperations] = &bil, &ops
	if p := PlanAlternateContacts(cur, []awsops.AlternateContact{sec, bil, ops}); !p.NoOp || len(p.Calls) != 0 {
		t.Errorf("second plan = %+v, want no-op", p)
	}
}

func TestPlanAlternateContactsChangedField(t *testing.T) {
	sec := sampleContact(awsops.ContactSecurity, "Ana")
	cur := map[awsops.ContactType]*awsops.AlternateContact{awsops.ContactSecurity: &sec}
	moved := sec
	moved.Phone = "+44 20 7946 0000"
	p := PlanAlternateContacts(cur, []awsops.AlternateContact{moved})
	if len(p.Calls) != 1 || !reflect.DeepEqual(p.Changes, []Change{{"security phone", "+1 206 555 0100", "+44 20 7946 0000"}}) {
		t.Errorf("plan = %+v", p)
	}
	// Billing and operations are missing from current: they could not be read.
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "billing contact could not be read") ||
		!strings.Contains(w, "operations contact could not be read") {
		t.Errorf("warnings = %q", w)
	}
}

func TestPlanAlternateContactsWarnings(t *testing.T) {
	none := map[awsops.ContactType]*awsops.AlternateContact{
		awsops.ContactSecurity: nil, awsops.ContactBilling: nil, awsops.ContactOperations: nil}
	p := PlanAlternateContacts(none, []awsops.AlternateContact{sampleContact(awsops.ContactBilling, "Bo")})
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "security contact stays unset") {
		t.Errorf("warnings = %q", w)
	}
	sec := sampleContact(awsops.ContactSecurity, "Ana")
	p = PlanAlternateContacts(none, []awsops.AlternateContact{sec,
		SameAsSecurity(sec, awsops.ContactBilling), SameAsSecurity(sec, awsops.ContactOperations)})
	if len(p.Calls) != 3 || p.Calls[2].Params[0].Value != "OPERATIONS" || p.Calls[2].Params[1].Value != "Ana" {
		t.Fatalf("plan = %+v", p)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "same address") {
		t.Errorf("warnings = %q", w)
	}
	// Unknown current type that is written: the diff says it could not be read.
	p = PlanAlternateContacts(map[awsops.ContactType]*awsops.AlternateContact{}, []awsops.AlternateContact{sec})
	if p.Changes[0].Current != "(could not read)" {
		t.Errorf("changes = %v", p.Changes)
	}
}

func TestApplyFailsMidwayReportsExactlyWhatWasDone(t *testing.T) {
	none := map[awsops.ContactType]*awsops.AlternateContact{
		awsops.ContactSecurity: nil, awsops.ContactBilling: nil, awsops.ContactOperations: nil}
	p := PlanAlternateContacts(none, []awsops.AlternateContact{
		sampleContact(awsops.ContactSecurity, "Ana"), sampleContact(awsops.ContactBilling, "Bo"), sampleContact(awsops.ContactOperations, "Cy")})
	w := &fixWriter{failAt: 2, failErr: fixDenied("account:PutAlternateContact")}
	r := p.Apply(context.Background(), w)
	if len(w.calls) != 2 {
		t.Fatalf("writes = %v: must stop at the failure", w.calls)
	}
	if len(r.Applied) != 1 || r.Applied[0].Label != "security contact" ||
		r.Failed == nil || r.Failed.Label != "billing contact" ||
		len(r.NotAttempted) != 1 || r.NotAttempted[0].Label != "operations contact" {
		t.Fatalf("result = %+v", r)
	}
	want := "security contact saved; billing contact NOT saved: access denied: needs account:PutAlternateContact; operations contact not attempted"
	if r.Explain() != want {
		t.Errorf("Explain() = %q\nwant        %q", r.Explain(), want)
	}

	// First of three fails: nothing was changed.
	w = &fixWriter{failAt: 1, failErr: fixDenied("account:PutAlternateContact")}
	r = p.Apply(context.Background(), w)
	if got := r.Explain(); !strings.HasPrefix(got, "security contact NOT saved") || !strings.HasSuffix(got, "nothing was changed") {
		t.Errorf("Explain() = %q", got)
	}
}

func TestApplyStopsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	none := map[awsops.ContactType]*awsops.AlternateContact{}
	p := PlanAlternateContacts(none, []awsops.AlternateContact{
		sampleContact(awsops.ContactSecurity, "Ana"), sampleContact(awsops.ContactBilling, "Bo")})
	cancel()
	w := &fixWriter{}
	r := p.Apply(ctx, w)
	if len(w.calls) != 0 || len(r.NotAttempted) != 2 || awsops.KindOf(r.Err) != awsops.KindCanceled {
		t.Fatalf("calls %v, result %+v", w.calls, r)
	}
	if got := r.Explain(); got != "stopped: canceled; security contact not attempted; billing contact not attempted; nothing was changed" {
		t.Errorf("Explain() = %q", got)
	}
}

func validContactInfo() awsops.ContactInfo {
	return awsops.ContactInfo{FullName: "Ana Lima", CompanyName: "Acme", AddressLine1: "1 Main St",
		City: "Seattle", StateOrRegion: "WA", PostalCode: "98101", CountryCode: "US", PhoneNumber: "+1 206 555 0100"}
}

func TestPlanContactInfo(t *testing.T) {
	want := validContactInfo()
	p := PlanContactInfo(nil, want)
	if p.NoOp || len(p.Calls) != 1 || p.Calls[0].API != "account:PutContactInformation" {
		t.Fatalf("plan = %+v", p)
	}
	// Empty optional fields are neither sent nor listed.
	if len(p.Calls[0].Params) != 8 || len(p.Changes) != 8 {
		t.Errorf("params %v\nchanges %v", p.Calls[0].Params, p.Changes)
	}
	if p.Calls[0].Params[0] != (Evidence{"ContactInformation.FullName", "Ana Lima"}) || p.Changes[0] != (Change{"Full name", "(not set)", "Ana Lima"}) {
		t.Errorf("first param %v, change %v", p.Calls[0].Params[0], p.Changes[0])
	}

	cur := want
	cur.AddressLine2 = "Suite 5"
	next := cur
	next.AddressLine2 = ""
	next.PhoneNumber = "+1 206 555 0199"
	next.CountryCode = " us " // normalized
	p = PlanContactInfo(&cur, next)
	wantChanges := []Change{{"Address line 2", "Suite 5", "(empty)"}, {"Phone", "+1 206 555 0100", "+1 206 555 0199"}}
	if !reflect.DeepEqual(p.Changes, wantChanges) {
		t.Errorf("changes = %v", p.Changes)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "Address line 2 will be cleared") {
		t.Errorf("warnings = %v", p.Warnings)
	}
	w := &fixWriter{}
	if r := p.Apply(context.Background(), w); !r.OK() || len(w.info) != 1 || w.info[0].CountryCode != "US" || w.info[0].AddressLine2 != "" {
		t.Fatalf("wrote %+v, result %+v", w.info, r)
	}
	if p := PlanContactInfo(&cur, cur); !p.NoOp {
		t.Errorf("same info: plan = %+v", p)
	}
}

func TestContactInfoFieldByKey(t *testing.T) {
	var c awsops.ContactInfo
	for _, k := range ContactInfoKeys() {
		ptr := ContactInfoField(&c, k.Key)
		if ptr == nil {
			t.Fatalf("no field for key %q", k.Key)
		}
		*ptr = k.Key
	}
	if c.FullName != FieldFullName || c.WebsiteURL != FieldWebsite || c.CountryCode != FieldCountryCode {
		t.Errorf("filled %+v", c)
	}
	if ContactInfoField(&c, "nope") != nil {
		t.Error("unknown key must give nil")
	}
}

func TestFixesList(t *testing.T) {
	seen := map[string]bool{}
	available := 0
	for _, f := range Fixes() {
		if seen[f.ID] {
			t.Errorf("duplicate %s", f.ID)
		}
		seen[f.ID] = true
		it, ok := Lookup(f.ID)
		if !ok {
			t.Errorf("fix %s has no checklist item", f.ID)
		} else if it.Kind != KindAuto && (it.Kind != KindGuided || f.Needs == "") {
			// A guided item may have a fix that works only in some setups
			// (root-access-keys, as root); it says what it needs.
			t.Errorf("fix %s: item kind %s, want auto (or guided with Needs)", f.ID, it.Kind)
		}
		if len(f.Writes) == 0 || f.Summary == "" {
			t.Errorf("fix %s lacks writes or summary", f.ID)
		}
		if it.Fixable != f.Available() {
			t.Errorf("item %s: Fixable %v, but the fix is available: %v", f.ID, it.Fixable, f.Available())
		}
		if f.Available() {
			available++
			// A fix may ask nothing (s3-block-public-access): the preview
			// and the yes are its whole flow.
			if f.Title == "" || f.Intro == "" {
				t.Errorf("available fix %s lacks a title or an intro", f.ID)
			}
		}
	}
	for _, it := range All() {
		if it.Kind == KindAuto && !seen[it.ID] {
			t.Errorf("auto item %s is not in Fixes()", it.ID)
		}
	}
	if available != 12 {
		t.Errorf("%d fixes available, want 12", available)
	}
	if _, ok := FixFor(FixContactInfo); !ok {
		t.Error("FixFor(contact-info) not found")
	}
	if _, ok := FixFor("root-mfa"); ok {
		t.Error("root-mfa is guided, not fixable")
	}
}

func TestCurrentAlternateContacts(t *testing.T) {
	sec := sampleContact(awsops.ContactSecurity, "Ana")
	r := fixReader{contacts: map[awsops.ContactType]fixRead[*awsops.AlternateContact]{
		awsops.ContactSecurity:   {v: &sec},
		awsops.ContactBilling:    {err: awsops.Wrap("account:GetAlternateContact", &smithy.GenericAPIError{Code: "ResourceNotFoundException"})},
		awsops.ContactOperations: {err: awsops.Wrap("account:GetAlternateContact", fixDenied("account:GetAlternateContact"))},
	}}
	cur, err := CurrentAlternateContacts(context.Background(), NewFacts(r, FactsOptions{}))
	if err == nil || !strings.Contains(err.Error(), "operations contact: access denied") {
		t.Errorf("err = %v", err)
	}
	if c, ok := cur[awsops.ContactBilling]; !ok || c != nil {
		t.Errorf("billing: not found must mean not set, got %v %v", c, ok)
	}
	if _, ok := cur[awsops.ContactOperations]; ok {
		t.Error("operations could not be read: must be missing from the map")
	}
	if cur[awsops.ContactSecurity] == nil || cur[awsops.ContactSecurity].Name != "Ana" {
		t.Errorf("security = %v", cur[awsops.ContactSecurity])
	}
}

func TestCurrentPolicyAndInfoNotFoundIsNil(t *testing.T) {
	nf := awsops.Wrap("x", &smithy.GenericAPIError{Code: "NoSuchEntity"})
	f := NewFacts(fixReader{policyErr: nf, infoErr: awsops.Wrap("x", &smithy.GenericAPIError{Code: "ResourceNotFoundException"})}, FactsOptions{})
	if p, err := CurrentPasswordPolicy(context.Background(), f); p != nil || err != nil {
		t.Errorf("policy = %v, %v", p, err)
	}
	if c, err := CurrentContactInfo(context.Background(), f); c != nil || err != nil {
		t.Errorf("contact info = %v, %v", c, err)
	}
	denied := awsops.Wrap("iam:GetAccountPasswordPolicy", fixDenied("iam:GetAccountPasswordPolicy"))
	f = NewFacts(fixReader{policyErr: denied}, FactsOptions{})
	if _, err := CurrentPasswordPolicy(context.Background(), f); awsops.KindOf(err) != awsops.KindAccessDenied {
		t.Errorf("err = %v", err)
	}
}

type fixRead[T any] struct {
	v   T
	err error
}

// fixReader answers the reads a fix plan needs; the rest are unused.
type fixReader struct {
	awsops.Reader // nil: any other read panics, which the test would show
	contacts      map[awsops.ContactType]fixRead[*awsops.AlternateContact]
	policyErr     error
	infoErr       error
}

func (r fixReader) AlternateContact(_ context.Context, t awsops.ContactType) (*awsops.AlternateContact, error) {
	c, ok := r.contacts[t]
	if !ok {
		return nil, fmt.Errorf("unexpected read of %s", t)
	}
	return c.v, c.err
}

func (r fixReader) PasswordPolicy(context.Context) (*awsops.PasswordPolicy, error) {
	return nil, r.policyErr
}

func (r fixReader) ContactInformation(context.Context) (*awsops.ContactInfo, error) {
	return nil, r.infoErr
}

// cancelWriter cancels the context while the first write is in flight.
type cancelWriter struct {
	fixWriter
	cancel context.CancelFunc
}

func (w *cancelWriter) PutAlternateContact(ctx context.Context, c awsops.AlternateContact) error {
	w.cancel()
	w.fixWriter.calls = append(w.fixWriter.calls, "PutAlternateContact "+string(c.Type))
	return awsops.Wrap("account:PutAlternateContact", ctx.Err())
}

func TestApplyCanceledInFlightIsNotCalledUnsaved(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := PlanAlternateContacts(map[awsops.ContactType]*awsops.AlternateContact{}, []awsops.AlternateContact{
		sampleContact(awsops.ContactSecurity, "Ana"), sampleContact(awsops.ContactBilling, "Bo")})
	w := &cancelWriter{cancel: cancel}
	r := p.Apply(ctx, w)
	want := "security contact interrupted: it may or may not have been saved (re-check to see); billing contact not attempted"
	if r.Explain() != want || len(w.calls) != 1 {
		t.Errorf("Explain() = %q (calls %v)\nwant        %q", r.Explain(), w.calls, want)
	}
}

// With no policy yet, a target weaker than the recommended preset (but not
// below the AWS default) still gets a warning in the preview.
func TestPlanPasswordPolicyWarnsBelowRecommendedFromNoPolicy(t *testing.T) {
	target := PasswordPresetRecommended
	target.MinimumLength, target.RequireSymbols, target.ReusePrevention = 10, false, 0
	p := PlanPasswordPolicy(nil, target)
	want := "Weaker than the recommended preset: minimum length 10 (recommended 14), reuse prevention is off (recommended: remember 24), does not require symbols."
	if len(p.Warnings) != 1 || p.Warnings[0] != want {
		t.Fatalf("warnings %q, want [%q]", p.Warnings, want)
	}
	if w := PlanPasswordPolicy(nil, PasswordPresetRecommended).Warnings; len(w) != 0 {
		t.Fatalf("the recommended preset itself warns: %q", w)
	}
}
