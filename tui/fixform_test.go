package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/steps"
)

// everyKind is a form with a field of every kind: text (one secret), a
// select that shows a later group, a multi field, two bools of one
// Choice, and a single bool.
func everyKind() []steps.Group {
	return []steps.Group{
		{Title: "Page one", Fields: []steps.Field{
			{Key: "name", Kind: steps.FieldText, Label: "Name", Limit: 5,
				Validate: func(s string, all steps.Values) error {
					if s == all["mode"] {
						return errText("must differ from the mode")
					}
					return nil
				}},
			{Key: "token", Kind: steps.FieldText, Label: "Token", Secret: true},
			{Key: "mode", Kind: steps.FieldSelect, Label: "Mode", Options: []steps.Option{{Value: "a", Label: "Mode A"}, {Value: "b", Label: "Mode B"}}},
		}},
		{Title: "Only for mode b", Shown: func(v steps.Values) bool { return v["mode"] == "b" }, Fields: []steps.Field{
			{Key: "tags", Kind: steps.FieldMulti, Label: "Tags", Options: []steps.Option{{Value: "x", Label: "Tag X"}, {Value: "y", Label: "Tag Y"}}},
			{Key: "r1", Kind: steps.FieldBool, Label: "Rule one", Choice: "Rules"},
			{Key: "r2", Kind: steps.FieldBool, Label: "Rule two", Choice: "Rules"},
			{Key: "sure", Kind: steps.FieldBool, Label: "Sure?"},
		}},
	}
}

type errText string

func (e errText) Error() string { return string(e) }

func TestFormFieldsAreBuiltFromTheData(t *testing.T) {
	values := steps.Values{"name": "ann", "token": "s3cret", "mode": "a", "tags": "y", "r1": "true", "r2": "false", "sure": "true"}
	ff := newFixForm(everyKind(), values, func() bool { return true })
	ff.setSize(80, 30)
	ff.form.Init()
	if got := ff.values(); got["tags"] != "y" || got["r1"] != "true" || got["r2"] != "false" || got["sure"] != "true" || got["mode"] != "a" {
		t.Fatalf("values = %v, want them as given", got)
	}
	v := ansi.Strip(ff.form.View())
	if strings.Contains(v, "s3cret") || !strings.Contains(v, "Token") {
		t.Fatalf("the secret is shown as typed:\n%s", v)
	}
	// Mode a hides the second page: its fields are not given.
	in := ff.input()
	if !in.Given["name"] || in.Given["tags"] || in.Given["r1"] {
		t.Fatalf("given = %v", in.Given)
	}
	// Mode b shows it, and the bools of one Choice are one list.
	values["mode"] = "b"
	ff = newFixForm(everyKind(), values, func() bool { return true })
	ff.setSize(80, 30)
	ff.form.Init()
	ff.focus("r2")
	f, hf := ff.focused()
	if f.Key != "r1" || hf.GetKey() != "r1" {
		t.Fatalf("r2 is asked in %q, want the list of r1", hf.GetKey())
	}
	if _, ok := hf.(*huh.MultiSelect[string]); !ok {
		t.Fatalf("the Choice list is a %T", hf)
	}
	ff.form.Update(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}) // toggles rule one off
	if got := ff.values(); got["r1"] != "false" {
		t.Fatalf("after toggling: %v", got)
	}
	if in := ff.input(); !in.Given["tags"] || !in.Given["sure"] {
		t.Fatalf("given = %v", in.Given)
	}
}

func TestFormChecksLimitsAndRulesAcrossFields(t *testing.T) {
	ff := newFixForm(everyKind(), steps.Values{"mode": "a"}, func() bool { return true })
	name := everyKind()[0].Fields[0]
	if err := ff.check(name, "toolong"); err == nil || err.Error() != "Name is at most 5 characters (this is 7): shorten it" {
		t.Fatalf("limit: %v", err)
	}
	if err := ff.check(name, "a"); err == nil || err.Error() != "Name must differ from the mode" {
		t.Fatalf("rule across fields: %v", err)
	}
	if err := ff.check(name, "bob"); err != nil {
		t.Fatalf("valid value: %v", err)
	}
	// A plan's message holds until the value changes.
	ff.ext["name"] = extErr{value: "bob", msg: "Name is taken"}
	if err := ff.check(name, "bob"); err == nil || err.Error() != "Name is taken" {
		t.Fatalf("plan message: %v", err)
	}
	if err := ff.check(name, "bo"); err != nil {
		t.Fatalf("changed value: %v", err)
	}
}

func TestFormLeavesOutHelpThatRestatesTheLabel(t *testing.T) {
	for _, c := range []struct {
		help, label, title string
		want               bool
	}{
		{"security contact's name", "Name", "Security contact", true},
		{"full name (1–50)", "Full name", "Primary contact (1 of 3)", false},
		{"", "Name", "", false},
	} {
		if got := restates(c.help, c.label, c.title); got != c.want {
			t.Errorf("restates(%q, %q, %q) = %v", c.help, c.label, c.title, got)
		}
	}
}

// A pre-filled value shows on one line with its unsafe characters visible,
// and goes back to the plan as it was read while it is left as shown.
func TestFormPrefillIsShownSafelyAndHandedBackAsRead(t *testing.T) {
	read := "Acme\u202e\nCorp"
	groups := []steps.Group{{Title: "Company", Fields: []steps.Field{{Key: "company", Kind: steps.FieldText, Label: "Company"}}}}
	ff := newFixForm(groups, steps.Values{"company": read}, func() bool { return true })
	ff.setSize(60, 10)
	ff.form.Init()
	view := ff.form.View()
	if strings.Contains(view, "\u202e") || !strings.Contains(view, `U+202E\nCorp`) {
		t.Errorf("form shows %q", view)
	}
	if got := ff.values()["company"]; got != read {
		t.Errorf("left as shown, the value is %q, want it as read", got)
	}
}
