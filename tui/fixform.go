package tui

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// fixForm is a huh form built from a fix's (or a stage's) fields, bound
// to their values: a text field is a huh.Input (its Validate is the
// field's, with the other values), a select a huh.Select, a multi field a
// huh.MultiSelect, consecutive bools with the same Choice one
// MultiSelect, a single bool a huh.Confirm (validated like an input, e.g. a
// cost that must be accepted); a group with Shown is hidden
// while Shown says no. Nothing here knows which fix it is.
type fixForm struct {
	groups []steps.Group
	form   *huh.Form

	get    map[string]func() string // every field's current value, by key
	huhKey map[string]string        // the huh field a key is asked in
	fields map[string]steps.Field
	// ext are messages a plan gave for fields, shown at the field until its
	// value changes.
	ext map[string]extErr

	width, height int
}

type extErr struct{ value, msg string }

// formHuhTheme is huh's Charm theme with visible boxes in multi-selects:
// "[x]" for a chosen option, "[ ]" for one that is not.
func formHuhTheme(isDark bool) *huh.Styles {
	t := huh.ThemeCharm(isDark)
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.SelectedPrefix = fs.SelectedPrefix.SetString("[x] ")
		fs.UnselectedPrefix = fs.UnselectedPrefix.SetString("[ ] ")
	}
	return t
}

// newFixForm builds the form of groups, pre-filled from values.
func newFixForm(groups []steps.Group, values steps.Values, isDark func() bool) *fixForm {
	ff := &fixForm{groups: groups, get: map[string]func() string{}, huhKey: map[string]string{},
		fields: map[string]steps.Field{}, ext: map[string]extErr{}}
	var hg []*huh.Group
	for _, g := range groups {
		var fields []huh.Field
		for i := 0; i < len(g.Fields); i++ {
			f := g.Fields[i]
			if restates(f.Help, f.Label, g.Title) {
				f.Help = "" // "security contact's name" under "Name" in "Security contact"
			}
			ff.fields[f.Key] = f
			ff.huhKey[f.Key] = f.Key
			switch {
			case f.Kind == steps.FieldBool && f.Choice != "":
				// This bool and the next ones of the same Choice: one list.
				j := i
				for j < len(g.Fields) && g.Fields[j].Kind == steps.FieldBool && g.Fields[j].Choice == f.Choice {
					j++
				}
				fields = append(fields, ff.choiceField(g.Fields[i:j], values))
				i = j - 1
			case f.Kind == steps.FieldBool:
				fields = append(fields, ff.confirmField(f, values))
			case f.Kind == steps.FieldSelect:
				fields = append(fields, ff.selectField(f, values))
			case f.Kind == steps.FieldMulti:
				fields = append(fields, ff.multiField(f, values))
			default:
				fields = append(fields, ff.inputField(f, values))
			}
		}
		if len(fields) == 0 {
			continue
		}
		group := huh.NewGroup(fields...).Title(g.Title).Description(g.Help)
		if g.Shown != nil {
			shown := g.Shown
			group = group.WithHideFunc(func() bool { return !shown(ff.values()) })
		}
		hg = append(hg, group)
	}
	ff.form = huh.NewForm(hg...).
		WithShowHelp(false).
		WithTheme(huh.ThemeFunc(func(bool) *huh.Styles { return formHuhTheme(isDark()) }))
	return ff
}

// restates reports whether help only repeats the label and the group's
// title (flag usage written for the command line), so the form leaves it
// out.
func restates(help, label, title string) bool {
	words := func(s string) []string {
		s = strings.ToLower(strings.ReplaceAll(s, "'s", ""))
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	if help == "" {
		return false
	}
	known := append(words(label), words(title)...)
	for _, w := range words(help) {
		if !slices.Contains(known, w) {
			return false
		}
	}
	return true
}

// name is how a message names a field: its label up to a comma or a
// parenthesis ("Minimum length", "Company").
func name(f steps.Field) string {
	n := f.Label
	if i := strings.IndexAny(n, ",("); i > 0 {
		n = n[:i]
	}
	return strings.TrimSpace(n)
}

// check validates a field's value as the form does: the length limit (a
// longer value is an error, never cut), a plan's message for this value,
// then the field's own rule with the other values.
func (ff *fixForm) check(f steps.Field, s string) error {
	if n := utf8.RuneCountInString(s); f.Limit > 0 && n > f.Limit {
		return fmt.Errorf("%s is at most %d characters (this is %d): shorten it", name(f), f.Limit, n)
	}
	if e, ok := ff.ext[f.Key]; ok && e.value == s {
		return errors.New(e.msg)
	}
	if f.Validate != nil {
		if err := f.Validate(s, ff.values()); err != nil {
			return fmt.Errorf("%s %s", name(f), err)
		}
	}
	return nil
}

// inputField pre-fills the field with the value as read, shown on one line
// with every unsafe character visible (safetext.Line: a line break as \n,
// an escape as \x1b). A value left as shown goes back to the plan as it
// was read, never as its visible form: steps.Fix.Plan then refuses to
// write back one that holds what the form could not show as it is (an
// escape the boundary made visible, a line break), so the user types it
// anew rather than rootguard writing "\x1b" or "\n" as text.
func (ff *fixForm) inputField(f steps.Field, values steps.Values) huh.Field {
	read := values[f.Key]
	shown := safetext.Line(read)
	v := new(string)
	*v = shown
	ff.get[f.Key] = func() string {
		if *v == shown {
			return read
		}
		return *v
	}
	in := huh.NewInput().Key(f.Key).Title(f.Label).Description(f.Help).Placeholder(f.Placeholder).Value(v).
		Validate(func(s string) error { return ff.check(f, s) })
	if f.Secret {
		in = in.EchoMode(huh.EchoModePassword)
	}
	return in
}

func (ff *fixForm) selectField(f steps.Field, values steps.Values) huh.Field {
	v := new(string)
	*v = values[f.Key]
	ff.get[f.Key] = func() string { return *v }
	opts := make([]huh.Option[string], len(f.Options))
	for i, o := range f.Options {
		opts[i] = huh.NewOption(safetext.Line(o.Label), o.Value)
	}
	return huh.NewSelect[string]().Key(f.Key).Title(f.Label).Description(f.Help).Options(opts...).Value(v).
		Validate(func(s string) error { return ff.check(f, s) })
}

func (ff *fixForm) multiField(f steps.Field, values steps.Values) huh.Field {
	v := new([]string)
	*v = steps.SplitList(values[f.Key])
	ff.get[f.Key] = func() string { return steps.JoinList(*v) }
	opts := make([]huh.Option[string], len(f.Options))
	for i, o := range f.Options {
		opts[i] = huh.NewOption(safetext.Line(o.Label), o.Value)
	}
	// The title, the description and every option (huh's own sizing
	// leaves one out); the description is taken as wrapping at 76 columns.
	desc := 0
	if f.Help != "" {
		desc = 1 + ansi.StringWidth(f.Help)/76
	}
	return huh.NewMultiSelect[string]().Key(f.Key).Title(f.Label).Description(f.Help).Options(opts...).Value(v).
		Height(len(opts) + 1 + desc).
		Validate(func(list []string) error { return ff.check(f, steps.JoinList(list)) })
}

// choiceField asks consecutive bools as one list of checkboxes.
func (ff *fixForm) choiceField(bools []steps.Field, values steps.Values) huh.Field {
	chosen := new([]string)
	opts := make([]huh.Option[string], len(bools))
	for i, b := range bools {
		opts[i] = huh.NewOption(b.Label, b.Key)
		if (steps.Input{Values: values}).Bool(b.Key) {
			*chosen = append(*chosen, b.Key)
		}
		ff.get[b.Key] = func() string { return steps.BoolValue(slices.Contains(*chosen, b.Key)) }
		ff.huhKey[b.Key] = bools[0].Key
		ff.fields[b.Key] = b
	}
	return huh.NewMultiSelect[string]().Key(bools[0].Key).Title(bools[0].Choice).Options(opts...).Value(chosen).
		Height(len(opts) + 1)
}

func (ff *fixForm) confirmField(f steps.Field, values steps.Values) huh.Field {
	v := new(bool)
	*v = (steps.Input{Values: values}).Bool(f.Key)
	ff.get[f.Key] = func() string { return steps.BoolValue(*v) }
	return huh.NewConfirm().Key(f.Key).Title(f.Label).Description(f.Help).Affirmative("Yes").Negative("No").Value(v).
		Validate(func(b bool) error { return ff.check(f, steps.BoolValue(b)) })
}

// values is every field's value now.
func (ff *fixForm) values() steps.Values {
	v := steps.Values{}
	for k, get := range ff.get {
		v[k] = get()
	}
	return v
}

// input is what the form gives a plan: every field of every shown group
// is given.
func (ff *fixForm) input() steps.Input { return formInput(ff.groups, ff.values()) }

// formInput is the wizard's input from values: the fields of the groups
// that are shown are given, with their values.
func formInput(groups []steps.Group, values steps.Values) steps.Input {
	in := steps.Input{Values: maps.Clone(values), Given: map[string]bool{}}
	if in.Values == nil {
		in.Values = steps.Values{}
	}
	for _, g := range groups {
		if g.Shown != nil && !g.Shown(in.Values) {
			continue
		}
		for _, f := range g.Fields {
			in.Given[f.Key] = true
		}
	}
	return in
}

// setSize lays the form out for w×h cells.
func (ff *fixForm) setSize(w, h int) {
	if w != ff.width || h != ff.height {
		ff.form = ff.form.WithWidth(w).WithHeight(h)
		ff.width, ff.height = w, h
	}
}

// focused is the field with the cursor (zero Field when none).
func (ff *fixForm) focused() (steps.Field, huh.Field) {
	hf := ff.form.GetFocusedField()
	if hf == nil {
		return steps.Field{}, nil
	}
	return ff.fields[hf.GetKey()], hf
}

// showErrors sets the plan's messages at their fields and moves the cursor
// to the first one. It reports whether a field showed one (false: the
// message belongs above the form).
func (ff *fixForm) showErrors(es steps.FieldErrors) bool {
	first := ""
	values := ff.values()
	for _, e := range es {
		f, ok := ff.fields[e.Field]
		if !ok {
			continue
		}
		ff.ext[e.Field] = extErr{value: values[e.Field], msg: name(f) + " " + safetext.Line(e.Message)}
		if first == "" {
			first = e.Field
		}
	}
	if first == "" {
		return false
	}
	ff.focus(first)
	if _, hf := ff.focused(); hf != nil {
		hf.Blur() // validates: the message shows at the field
		hf.Focus()
	}
	return true
}

// focus moves the cursor to the field of key, through the form's own
// navigation (earlier pages must be valid, as they are after a plan).
func (ff *fixForm) focus(key string) {
	target := ff.huhKey[key]
	group := func(k string) int {
		for i, g := range ff.groups {
			for _, f := range g.Fields {
				if f.Key == k {
					return i
				}
			}
		}
		return -1
	}
	want := group(key)
	for range 200 {
		f, hf := ff.focused()
		if hf == nil || hf.GetKey() == target {
			return
		}
		if group(f.Key) < want {
			ff.form.NextGroup()
		} else {
			ff.form.NextField()
		}
	}
}

// checkFocused shows the focused field's message at once when it breaks
// its rule (a pasted value longer than the field allows), instead of when
// the user moves on.
func (ff *fixForm) checkFocused() {
	f, hf := ff.focused()
	if hf == nil || f.Kind != steps.FieldText {
		return
	}
	if v, ok := ff.get[f.Key]; ok && f.Limit > 0 && utf8.RuneCountInString(v()) > f.Limit {
		hf.Blur()
		hf.Focus()
	}
}

// typedOver reports whether any value differs from before.
func (ff *fixForm) typedOver(before steps.Values) bool {
	for k, v := range ff.values() {
		if before[k] != v {
			return true
		}
	}
	return false
}
