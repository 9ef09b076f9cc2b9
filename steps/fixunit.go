package steps

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rootguard/rootguard/awsops/safetext"
)

// A Fix is one self-describing remediation, written in one file: its inputs
// as data, a pure Plan from (current state, input), the calls Apply makes
// and what undoes them, and the items to re-check afterwards. The wizard
// renders its form from Form and the command line derives its flags from
// the same fields; neither switches on a fix's ID.
//
// The flow is the same everywhere: Load the current state → show Form
// (pre-filled from it) → Plan → preview the plan and ask for a yes (or the
// typed value of Plan.Confirm) → Apply → when the result has a Next stage,
// show it and ask again (e.g. MFA codes) → re-check Reverify live → record.
type Fix struct {
	ID      string // the checklist item it fixes; also `rootguard fix ID`
	Title   string // as a heading: "Set the IAM account password policy"
	Summary string // one line for `rootguard fix --list`
	// Intro says, before any input, what the fix will do (the item's step).
	Intro string
	// Needs says what must hold to use the fix ("" when nothing does), e.g.
	// "the organization's management account".
	Needs string
	// Reads names what Load reads, for a failed read: "could not read the
	// current password policy".
	Reads string
	// Writes lists every IAM action the fix may call.
	Writes []string
	// Reverify lists the items to re-check live after an apply; the fixed
	// item (ID) is always re-checked first and need not be listed.
	Reverify []string
	// Terminal is true when applying needs a person at a terminal midway
	// (MFA codes): a run without one must refuse before writing anything.
	Terminal bool

	load  func(ctx context.Context, f *Facts) (any, error)
	form  func(cur any) []Group
	check func(in Input) error
	plan  func(cur any, in Input) (Plan, error)
}

// FixDef defines a fix over its own state type S (what Load reads: the
// current policy, the current contacts…). NewFix turns it into a Fix.
type FixDef[S any] struct {
	ID, Title, Summary, Intro, Needs, Reads string
	Writes, Reverify                        []string
	Terminal                                bool

	// Load reads the current state the form and the plan start from.
	Load func(ctx context.Context, f *Facts) (S, error)
	// Form lists the fields in groups. cur is nil when the state has not
	// been read (flags and help are built before connecting): the fields
	// must be the same, only defaults and state-derived options are empty.
	Form func(cur *S) []Group
	// Check validates the given values before anything is read (optional):
	// the command line runs it before connecting. Plan must check them too.
	Check func(in Input) error
	// Plan builds the plan. Bad input is a FieldErrors naming the fields.
	Plan func(cur S, in Input) (Plan, error)
}

// NewFix makes a Fix from its definition.
func NewFix[S any](d FixDef[S]) Fix {
	x := Fix{ID: d.ID, Title: d.Title, Summary: d.Summary, Intro: d.Intro, Needs: d.Needs, Reads: d.Reads,
		Writes: d.Writes, Reverify: d.Reverify, Terminal: d.Terminal}
	if d.Load != nil {
		x.load = func(ctx context.Context, f *Facts) (any, error) { return d.Load(ctx, f) }
	}
	if d.Form != nil {
		x.form = func(cur any) []Group {
			if s, ok := cur.(S); ok {
				return d.Form(&s)
			}
			return d.Form(nil)
		}
	}
	x.check = d.Check
	if d.Plan != nil {
		x.plan = func(cur any, in Input) (Plan, error) {
			s, ok := cur.(S)
			if !ok {
				return Plan{}, fmt.Errorf("internal error: the %s fix got state of type %T", d.ID, cur)
			}
			p, err := d.Plan(s, in)
			if err == nil && p.ItemID == "" {
				p.ItemID = d.ID
			}
			if err == nil && p.Title == "" {
				p.Title = d.Title
			}
			return p, err
		}
	}
	return x
}

// State is what a fix's Load read. It is opaque outside the fix.
type State struct {
	fix string
	v   any
}

// Available reports whether rootguard can apply this fix now (a planned fix
// is listed with its writes but cannot be applied yet).
func (x Fix) Available() bool { return x.load != nil && x.plan != nil }

// Load reads the current state of the account for the fix.
func (x Fix) Load(ctx context.Context, f *Facts) (State, error) {
	if x.load == nil {
		return State{}, fmt.Errorf("the %s fix is not available yet", x.ID)
	}
	v, err := x.load(ctx, f)
	if err != nil {
		return State{}, err
	}
	return State{fix: x.ID, v: v}, nil
}

// Form lists the fix's fields, pre-filled from st. The zero State gives
// the fields without defaults (for flags and help, before connecting).
func (x Fix) Form(st State) []Group {
	if x.form == nil {
		return nil
	}
	if st.fix != x.ID {
		return x.form(nil)
	}
	return x.form(st.v)
}

// Fields lists every field of the form, in order.
func (x Fix) Fields(st State) []Field {
	var out []Field
	for _, g := range x.Form(st) {
		out = append(out, g.Fields...)
	}
	return out
}

// Defaults returns every field's pre-filled value.
func (x Fix) Defaults(st State) Values {
	v := Values{}
	for _, f := range x.Fields(st) {
		v[f.Key] = f.Default
	}
	return v
}

// Check validates given values before anything is read: each given field's
// own rule, then the fix's rules across fields.
func (x Fix) Check(in Input) error {
	var es FieldErrors
	for _, f := range x.Fields(State{}) {
		if !in.Given[f.Key] || f.Validate == nil {
			continue
		}
		if err := f.Validate(in.Values[f.Key], in.Values); err != nil {
			es = append(es, FieldError{Field: f.Key, Message: err.Error()})
		}
	}
	if err := es.Err(); err != nil {
		return err
	}
	if x.check != nil {
		return x.check(in)
	}
	return nil
}

// Plan builds the plan from the state and the input. Values the input lacks
// take their defaults from the state. A current value rootguard could not
// show as it is (see unshowable) is never sent back unless the user typed
// the field: the plan is refused at that field.
func (x Fix) Plan(st State, in Input) (Plan, error) {
	if x.plan == nil || st.fix != x.ID {
		return Plan{}, fmt.Errorf("the %s fix has not read the account yet", x.ID)
	}
	defaults := x.Defaults(st)
	full := in.over(defaults)
	p, err := x.plan(st.v, full)
	if err != nil {
		return p, err
	}
	if err := refuseUnshown(p, full, defaults); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// unshowable reports whether a current value a form field is pre-filled
// with is not what rootguard shows of it: it held control or bidi
// characters, which the boundary made visible (\x1b, U+202E…: writing that
// text back would change the value), or a line break or tab, which a
// one-line field cannot hold.
func unshowable(v string) bool { return safetext.Marked(v) || strings.ContainsAny(v, "\n\t") }

// refuseUnshown refuses a plan that would send back a current value
// rootguard could not show as it is, unless the user typed it: a field's
// value left as read that is unshowable, or any other value sent (kept
// fields, values the plan built) holding what the boundary made visible.
func refuseUnshown(p Plan, in Input, defaults Values) error {
	var sent []string
	for _, c := range p.Calls {
		for _, e := range c.Params {
			sent = append(sent, e.Value)
		}
	}
	for _, e := range p.Kept {
		sent = append(sent, e.Value)
	}
	var es FieldErrors
	seen := map[string]bool{}
	refuse := func(field string) {
		if !seen[field] {
			seen[field] = true
			es = append(es, FieldError{Field: field, Message: "holds characters AWS sent that rootguard shows escaped (such as \\x1b or a line break); " +
				"it will not write them back as text: type the value again"})
		}
	}
	for _, v := range sent {
		v := strings.TrimSpace(v)
		field, typed := "", false
		for k, d := range defaults {
			given := strings.TrimSpace(in.Values[k])
			if in.Given[k] && given == v && given != strings.TrimSpace(d) {
				typed = true // the user's own value, as typed
				break
			}
			if strings.TrimSpace(d) == v && (field == "" || k < field) {
				field = k // the value as read for this field
			}
		}
		switch {
		case typed:
		case field != "" && unshowable(defaults[field]):
			refuse(field)
		case field == "" && safetext.Marked(v):
			refuse("")
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Field < es[j].Field })
	return es.Err()
}

// Recheck lists the items to re-check after an apply, the fixed item first.
func (x Fix) Recheck() []string {
	out := []string{x.ID}
	for _, id := range x.Reverify {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// FieldKind is how a field is asked and given.
type FieldKind int

const (
	FieldText   FieldKind = iota // a line of text (numbers too)
	FieldBool                    // yes or no; a flag without a value
	FieldSelect                  // one of Options
	FieldMulti                   // any of Options (the flag takes a comma-separated list)
)

// Field is one input of a fix. Its Key is also its command-line flag.
type Field struct {
	Key         string
	Kind        FieldKind
	Label       string // the form's title for it
	Help        string // shown under it, and the flag's usage
	Default     string // pre-filled, from the current state
	Placeholder string
	Limit       int  // most characters accepted (text); longer input is an error, never cut
	Secret      bool // masked while typed; never recorded or printed
	Options     []Option
	// Validate checks a value as typed; its message is shown at the field
	// (e.g. "must be 6–128"). all holds the other fields' values, for rules
	// across fields (a state is required for some countries).
	Validate func(value string, all Values) error
	// Choice groups bool fields in the wizard: consecutive bool fields with
	// the same Choice render as one list of checkboxes titled Choice (the
	// command line keeps one flag each).
	Choice string
}

// Option is one choice of a select or multi field.
type Option struct {
	Value string
	Label string
	// Flag is an extra command-line flag (without a value) that picks this
	// option, e.g. --billing-same-as-security.
	Flag string
}

// Group is a page of the form.
type Group struct {
	Title string
	Help  string
	// Shown decides from the values so far whether the group is asked (nil:
	// always). Fields of a hidden group are not given.
	Shown  func(v Values) bool
	Fields []Field
}

// Values holds fields' values by key, as text: "true"/"false" for bools,
// comma-separated option values for multi fields.
type Values map[string]string

// Input is what the user gave a fix.
type Input struct {
	// Values has every field's value: the defaults, with the user's over them.
	Values Values
	// Given lists the fields the user gave: in the wizard every field the
	// form showed, on the command line every flag that was set. Plans use it
	// to keep current values of fields that were left out.
	Given map[string]bool
}

// NewInput is an input where every value in v was given.
func NewInput(v Values) Input {
	in := Input{Values: Values{}, Given: map[string]bool{}}
	for k, s := range v {
		in.Values[k], in.Given[k] = s, true
	}
	return in
}

// over returns in with defaults for the values it lacks.
func (in Input) over(defaults Values) Input {
	out := Input{Values: Values{}, Given: map[string]bool{}}
	for k, v := range defaults {
		out.Values[k] = v
	}
	for k, v := range in.Values {
		out.Values[k] = v
	}
	for k, g := range in.Given {
		out.Given[k] = g
	}
	return out
}

// Text is a value with surrounding spaces trimmed.
func (in Input) Text(key string) string { return strings.TrimSpace(in.Values[key]) }

// Bool is a bool field's value.
func (in Input) Bool(key string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(in.Values[key]))
	return b
}

// List is a multi field's values.
func (in Input) List(key string) []string { return SplitList(in.Values[key]) }

// AnyGiven reports whether any of the keys was given.
func (in Input) AnyGiven(keys ...string) bool {
	for _, k := range keys {
		if in.Given[k] {
			return true
		}
	}
	return false
}

// SplitList splits a comma-separated list, dropping empty entries.
func SplitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// JoinList is the value of a multi field with these options chosen.
func JoinList(values []string) string { return strings.Join(values, ",") }

// BoolValue is a bool field's value.
func BoolValue(b bool) string { return strconv.FormatBool(b) }

// TypedConfirm asks the user to type a value instead of a plain yes, for
// changes with a wide blast radius (the account ID) or that destroy a
// credential (a key's last four characters). On the command line it is the
// --confirm flag.
type TypedConfirm struct {
	Prompt string // "Type the management account's ID to confirm"
	Want   string
}

// Matches reports whether typed is the wanted value.
func (c TypedConfirm) Matches(typed string) bool { return strings.TrimSpace(typed) == c.Want }

// Stage is a pause in a fix after a plan was applied: something to show
// (a QR code, a secret) and, when Form is set, something to ask (two MFA
// codes); Plan turns the answers into the next plan. A stage without a
// Form only shows its items with the result.
type Stage struct {
	Title string
	Help  string
	Show  []Shown
	Form  []Group
	// Plan builds the next plan from the answers (FieldErrors: ask again).
	Plan func(in Input) (Plan, error)
	// Retry says whether a failed apply of that plan should ask again, with
	// the message to show at the form (a wrong or out-of-step MFA code).
	Retry func(err error) (message string, again bool)
	// Abort undoes what the fix made so far when the user stops here, or
	// when the next plan fails and cannot be retried (nil: nothing to undo).
	Abort *Plan
}

// Asks reports whether the stage waits for input.
func (s *Stage) Asks() bool { return s != nil && len(s.Form) > 0 && s.Plan != nil }

// ShownKind says how a shown item is displayed.
type ShownKind int

const (
	ShownText   ShownKind = iota // a value to read
	ShownSecret                  // shown once, with a copy action; never logged or saved
	ShownLink                    // a URL, with its QR code for a phone
	ShownQR                      // a QR code of Value (e.g. an otpauth:// URI); it is a secret too
)

// Shown is one item a stage shows.
type Shown struct {
	Label string
	Value string
	Kind  ShownKind
	// Grouped is Value for typing by hand, e.g. a Base32 secret in groups
	// of four ("" when Value is shown as it is).
	Grouped string
}

// Secret reports whether the item must never leave the screen.
func (s Shown) Secret() bool { return s.Kind == ShownSecret || s.Kind == ShownQR }
