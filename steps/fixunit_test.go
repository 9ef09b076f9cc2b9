package steps

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// loadFix reads a fix's state from a fake account.
func loadFix(t *testing.T, id string, f awsops.Reader) (Fix, State) {
	t.Helper()
	fix, ok := FixFor(id)
	if !ok || !fix.Available() {
		t.Fatalf("no available fix %s", id)
	}
	st, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{Now: func() time.Time { return testNow }}))
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	return fix, st
}

// given is an input where only these values were given (the command line).
func given(kv ...string) Input {
	v := Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = kv[i+1]
	}
	return NewInput(v)
}

// shown is an input where every field of the shown groups was given with
// its default, then edits applied (the wizard).
func wizardInput(fix Fix, st State, edits ...string) Input {
	values := fix.Defaults(st)
	for i := 0; i+1 < len(edits); i += 2 {
		values[edits[i]] = edits[i+1]
	}
	in := Input{Values: values, Given: map[string]bool{}}
	for _, g := range fix.Form(st) {
		if g.Shown != nil && !g.Shown(values) {
			continue
		}
		for _, f := range g.Fields {
			in.Given[f.Key] = true
		}
	}
	return in
}

func fieldErr(t *testing.T, err error, field string) {
	t.Helper()
	var fe FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want FieldErrors naming %q, got %v", field, err)
	}
	for _, e := range fe {
		if e.Field == field {
			return
		}
	}
	t.Fatalf("want an error at %q, got %v", field, fe)
}

func TestPasswordFixPresetWithFieldOverride(t *testing.T) {
	f := healthyFake()
	f.policy = nil
	fix, st := loadFix(t, FixPasswordPolicy, f)
	p, err := fix.Plan(st, given(FieldPreset, PresetRecommended, FieldMinLength, "16"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Calls[0].Params[0]; got.Value != "16" {
		t.Errorf("MinimumPasswordLength = %s, want 16", got.Value)
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "--min-length changes the recommended preset") {
		t.Errorf("notes = %q", p.Notes)
	}
}

func TestPasswordFixFieldsWithoutPresetStartFromCurrent(t *testing.T) {
	f := healthyFake()
	cur := PasswordPresetStrict
	f.policy = &cur
	fix, st := loadFix(t, FixPasswordPolicy, f)
	p, err := fix.Plan(st, given(FieldReuse, "12"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Field != "Reuse prevention" {
		t.Fatalf("changes = %+v, want only reuse prevention", p.Changes)
	}
	for _, e := range p.Calls[0].Params {
		if e.Key == "MaxPasswordAge" && e.Value != "90" {
			t.Errorf("the current max age must be kept, got %s", e.Value)
		}
	}
}

func TestPasswordFixNeedsAPresetOrAField(t *testing.T) {
	fix, _ := FixFor(FixPasswordPolicy)
	fieldErr(t, fix.Check(given()), FieldPreset)
	fieldErr(t, fix.Check(given(FieldPreset, "weak")), FieldPreset)
	fieldErr(t, fix.Check(given(FieldMinLength, "3")), FieldMinLength)
	fieldErr(t, fix.Check(given(FieldMaxAge, "ten")), FieldMaxAge)
	if err := fix.Check(given(FieldPreset, PresetStrict)); err != nil {
		t.Errorf("strict: %v", err)
	}
}

func TestPasswordFixWizardCustomKeepsCurrent(t *testing.T) {
	f := healthyFake()
	cur := awsops.PasswordPolicy{MinimumLength: 10, RequireNumbers: true, ReusePrevention: 5}
	f.policy = &cur
	fix, st := loadFix(t, FixPasswordPolicy, f)
	p, err := fix.Plan(st, wizardInput(fix, st, FieldPreset, PresetCustom))
	if err != nil {
		t.Fatal(err)
	}
	if !p.NoOp {
		t.Errorf("custom with the pre-filled current values must change nothing: %+v", p.Changes)
	}
	p, err = fix.Plan(st, wizardInput(fix, st, FieldPreset, PresetCustom, FieldRequireSymbols, "true"))
	if err != nil || p.NoOp || len(p.Changes) != 1 {
		t.Fatalf("one toggle must be one change: %+v, %v", p.Changes, err)
	}
	// A named preset ignores the hidden custom fields' values.
	p, err = fix.Plan(st, wizardInput(fix, st, FieldPreset, PresetRecommended, FieldMinLength, "7"))
	if err != nil || p.Calls[0].Params[0].Value != "14" {
		t.Fatalf("recommended from the wizard = %+v, %v", p.Calls, err)
	}
}

func TestContactsFixOneFieldKeepsTheRest(t *testing.T) {
	f := healthyFake()
	fix, st := loadFix(t, FixAlternateContacts, f)
	p, err := fix.Plan(st, given("security-email", "sec@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Calls) != 1 || p.Calls[0].Label != "security contact" {
		t.Fatalf("calls = %+v", p.Calls)
	}
	if len(p.Changes) != 1 || p.Changes[0].Field != "security email" {
		t.Errorf("changes = %+v", p.Changes)
	}
	if len(p.Kept) != 3 {
		t.Errorf("kept = %+v, want name, title, phone", p.Kept)
	}
}

func TestContactsFixSameAsSecurity(t *testing.T) {
	f := healthyFake()
	delete(f.contacts, awsops.ContactBilling)
	fix, st := loadFix(t, FixAlternateContacts, f)
	p, err := fix.Plan(st, given(ContactModeKey(awsops.ContactBilling), ContactModeSame))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Calls) != 1 || p.Calls[0].Label != "billing contact" {
		t.Fatalf("calls = %+v", p.Calls)
	}
	fieldErr(t, fix.Check(given(ContactModeKey(awsops.ContactBilling), ContactModeSame, "billing-name", "Bo")), "billing-same-as-security")
	if err := fix.Check(given()); err == nil || !strings.Contains(err.Error(), "at least one contact") {
		t.Errorf("nothing given: %v", err)
	}
}

func TestContactsFixWizardWritesOnlyChanges(t *testing.T) {
	f := healthyFake()
	fix, st := loadFix(t, FixAlternateContacts, f)
	p, err := fix.Plan(st, wizardInput(fix, st))
	if err != nil {
		t.Fatal(err)
	}
	if !p.NoOp {
		t.Errorf("the pre-filled form must change nothing: %+v", p.Calls)
	}
	p, err = fix.Plan(st, wizardInput(fix, st, ContactModeKey(awsops.ContactOperations), ContactModeEdit, "operations-phone", "+1 555 0100"))
	if err != nil || len(p.Calls) != 1 || p.Calls[0].Label != "operations contact" {
		t.Fatalf("calls = %+v, %v", p.Calls, err)
	}
}

func TestContactInfoFixKeepsFieldsLeftOut(t *testing.T) {
	f := healthyFake()
	fix, st := loadFix(t, FixContactInfo, f)
	p, err := fix.Plan(st, given(FieldPhone, "+44 20 7946 0000"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Field != "Phone" {
		t.Errorf("changes = %+v", p.Changes)
	}
	if len(p.Kept) == 0 {
		t.Error("the fields left out must be listed as kept")
	}
	fieldErr(t, fix.Check(given(FieldPhone, "020 7946")), FieldPhone)
}

func TestContactInfoFixNothingOnFileNeedsEveryField(t *testing.T) {
	f := healthyFake()
	f.contactInfo = nil
	fix, st := loadFix(t, FixContactInfo, f)
	_, err := fix.Plan(st, given(FieldFullName, "Ada"))
	fieldErr(t, err, FieldAddressLine1)
	if !strings.Contains(err.Error(), "no contact information is on file yet") {
		t.Errorf("err = %v", err)
	}
}

// undoWriter fails the numbered write and records the undo calls.
type undoWriter struct{ fixWriter }

func TestApplyUndoesCreatedPiecesOnFailure(t *testing.T) {
	var undone []string
	mk := func(name string, undoable bool, fail bool) Call {
		c := NewCallOut("test:"+name, name, nil, func(_ context.Context, _ awsops.Writer, out Outputs) error {
			if fail {
				return fixDenied("test:" + name)
			}
			out[name] = "made"
			return nil
		})
		if undoable {
			c = c.WithUndo(NewCallOut("test:Delete"+name, "remove "+name, nil, func(_ context.Context, _ awsops.Writer, out Outputs) error {
				if out[name] != "made" {
					t.Errorf("undo of %s did not see its output", name)
				}
				undone = append(undone, name)
				return nil
			}))
		}
		return c
	}
	p := Plan{Calls: []Call{mk("topic", true, false), mk("policy", false, false), mk("rule", true, false), mk("target", false, true)}}
	res := p.Apply(context.Background(), &undoWriter{})
	if res.OK() || res.Failed == nil || res.Failed.Label != "target" {
		t.Fatalf("result = %+v", res)
	}
	if !slices.Equal(undone, []string{"rule", "topic"}) {
		t.Errorf("undone = %v, want rule then topic", undone)
	}
	if len(res.InPlace()) != 1 || res.InPlace()[0].Label != "policy" {
		t.Errorf("in place = %+v, want only the policy", res.InPlace())
	}
	got := res.Explain()
	for _, want := range []string{"topic saved, then undone", "policy saved", "rule saved, then undone", "target NOT saved"} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain() = %q, want %q", got, want)
		}
	}
}

func TestApplyThenStage(t *testing.T) {
	p := Plan{Calls: []Call{NewCallOut("test:Create", "device", nil, func(_ context.Context, _ awsops.Writer, out Outputs) error {
		out["serial"] = "arn:aws:iam::1:mfa/x"
		return nil
	})}}.Then(func(out Outputs) *Stage {
		return &Stage{Title: "Enter codes", Show: []Shown{{Label: "serial", Value: out["serial"]}}}
	})
	res := p.Apply(context.Background(), &undoWriter{})
	if !res.OK() || res.Next == nil || res.Next.Show[0].Value != "arn:aws:iam::1:mfa/x" {
		t.Fatalf("result = %+v", res)
	}
	if res.Next.Asks() {
		t.Error("a stage without a form does not ask")
	}
}

func TestEveryFixFieldHasAKeyAndLabel(t *testing.T) {
	for _, fix := range Fixes() {
		if !fix.Available() {
			continue
		}
		seen := map[string]bool{}
		for _, f := range fix.Fields(State{}) {
			if f.Key == "" || f.Label == "" || seen[f.Key] {
				t.Errorf("%s: field %+v has no key or label, or repeats a key", fix.ID, f)
			}
			seen[f.Key] = true
			// The root key select gets its options from the keys it reads
			// (TestRootKeysFormOffersOtherKeys), the SCP's targets from the
			// organization (TestOrgSCPFormOffersRootAndOUs).
			stateOptions := fix.ID == FixRootAccessKeys && f.Key == FieldRootKey || fix.ID == FixOrgRootSCP && f.Key == FieldSCPTargets
			if (f.Kind == FieldSelect || f.Kind == FieldMulti) && len(f.Options) == 0 && !stateOptions {
				t.Errorf("%s: %s has no options", fix.ID, f.Key)
			}
		}
	}
}
