package steps

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// PasswordPresetRecommended is CIS-aligned: length 14, reuse prevention 24,
// all four character types, users may change their own password, and no
// expiry (NIST 800-63B advises against forced rotation).
var PasswordPresetRecommended = awsops.PasswordPolicy{
	MinimumLength:      14,
	RequireUppercase:   true,
	RequireLowercase:   true,
	RequireNumbers:     true,
	RequireSymbols:     true,
	AllowUsersToChange: true,
	ReusePrevention:    24,
}

// PasswordPresetStrict is the recommended preset plus a maximum age of 90
// days (no hard expiry: users can still change an expired password).
var PasswordPresetStrict = func() awsops.PasswordPolicy {
	p := PasswordPresetRecommended
	p.MaxAgeDays = 90
	return p
}()

// Password preset names, as given to `--preset`.
const (
	PresetRecommended = "recommended"
	PresetStrict      = "strict"
	PresetCustom      = "custom" // start from the current policy and change single fields
)

// PasswordPreset returns a named preset.
func PasswordPreset(name string) (awsops.PasswordPolicy, bool) {
	switch name {
	case PresetRecommended:
		return PasswordPresetRecommended, true
	case PresetStrict:
		return PasswordPresetStrict, true
	}
	return awsops.PasswordPolicy{}, false
}

// passwordField is one field of the policy: how it is labelled, shown, sent.
type passwordField struct {
	label string
	param string // UpdateAccountPasswordPolicy parameter
	value func(p awsops.PasswordPolicy) string
	wire  func(p awsops.PasswordPolicy) string
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var passwordFields = []passwordField{
	{"Minimum length", "MinimumPasswordLength",
		func(p awsops.PasswordPolicy) string { return strconv.Itoa(p.MinimumLength) },
		func(p awsops.PasswordPolicy) string { return strconv.Itoa(p.MinimumLength) }},
	{"Require uppercase", "RequireUppercaseCharacters",
		func(p awsops.PasswordPolicy) string { return yesNo(p.RequireUppercase) },
		func(p awsops.PasswordPolicy) string { return strconv.FormatBool(p.RequireUppercase) }},
	{"Require lowercase", "RequireLowercaseCharacters",
		func(p awsops.PasswordPolicy) string { return yesNo(p.RequireLowercase) },
		func(p awsops.PasswordPolicy) string { return strconv.FormatBool(p.RequireLowercase) }},
	{"Require numbers", "RequireNumbers",
		func(p awsops.PasswordPolicy) string { return yesNo(p.RequireNumbers) },
		func(p awsops.PasswordPolicy) string { return strconv.FormatBool(p.RequireNumbers) }},
	{"Require symbols", "RequireSymbols",
		func(p awsops.PasswordPolicy) string { return yesNo(p.RequireSymbols) },
		func(p awsops.PasswordPolicy) string { return strconv.FormatBool(p.RequireSymbols) }},
	{"Users may change their password", "AllowUsersToChangePassword",
		func(p awsops.PasswordPolicy) string { return yesNo(p.AllowUsersToChange) },
		func(p awsops.PasswordPolicy) string { return strconv.FormatBool(p.AllowUsersToChange) }},
	{"Maximum age", "MaxPasswordAge",
		func(p awsops.PasswordPolicy) string {
			if p.MaxAgeDays == 0 {
				return "never expire"
			}
			return fmt.Sprintf("%d days", p.MaxAgeDays)
		},
		func(p awsops.PasswordPolicy) string {
			if p.MaxAgeDays == 0 {
				return "(omitted: never expire)"
			}
			return strconv.Itoa(p.MaxAgeDays)
		}},
	{"Reuse prevention", "PasswordReusePrevention",
		func(p awsops.PasswordPolicy) string {
			if p.ReusePrevention == 0 {
				return "off"
			}
			return fmt.Sprintf("last %d passwords", p.ReusePrevention)
		},
		func(p awsops.PasswordPolicy) string {
			if p.ReusePrevention == 0 {
				return "(omitted: off)"
			}
			return strconv.Itoa(p.ReusePrevention)
		}},
	{"Hard expiry", "HardExpiry",
		func(p awsops.PasswordPolicy) string { return yesNo(p.HardExpiry) },
		func(p awsops.PasswordPolicy) string { return strconv.FormatBool(p.HardExpiry) }},
}

// PlanPasswordPolicy plans setting the account password policy to target.
// current is nil when no policy is set (the AWS default applies). The call
// always carries every field, because UpdateAccountPasswordPolicy resets any
// field it is not given to its default. Validate target first
// (ValidatePasswordPolicy).
func PlanPasswordPolicy(current *awsops.PasswordPolicy, target awsops.PasswordPolicy) Plan {
	p := Plan{ItemID: FixPasswordPolicy, Title: "Set the IAM account password policy"}
	if current != nil && *current == target {
		p.NoOp = true
		return p
	}
	for _, f := range passwordFields {
		cur := "(no policy: AWS default)"
		if current != nil {
			cur = f.value(*current)
			if cur == f.value(target) {
				continue
			}
		}
		p.Changes = append(p.Changes, Change{Field: f.label, Current: cur, Proposed: f.value(target)})
	}
	params := make([]Evidence, len(passwordFields))
	for i, f := range passwordFields {
		params[i] = Evidence{Key: f.param, Value: f.wire(target)}
	}
	p.record = passwordPolicySummary(current, target)
	p.Calls = []Call{{
		API:    "iam:UpdateAccountPasswordPolicy",
		Label:  "password policy",
		Params: params,
		write: func(ctx context.Context, w awsops.Writer, _ Outputs) error {
			return w.UpdatePasswordPolicy(ctx, target)
		},
	}}
	if current != nil {
		p.Warnings = passwordWeakenings(*current, target)
	} else if weaker := PasswordBelowRecommended(target); len(weaker) > 0 {
		p.Warnings = append(p.Warnings, "Weaker than the recommended preset: "+strings.Join(weaker, ", ")+".")
	}
	for _, w := range PasswordBelowAWSDefault(target) {
		p.Warnings = append(p.Warnings, "Weaker than the AWS default (what applies with no policy): "+w+".")
	}
	if target.HardExpiry && target.MaxAgeDays == 0 {
		p.Warnings = append(p.Warnings, "Hard expiry has no effect while passwords never expire (no maximum age).")
	}
	return p
}

// passwordWeakenings lists every way target is weaker than current.
func passwordWeakenings(cur, target awsops.PasswordPolicy) []string {
	var w []string
	if target.MinimumLength < cur.MinimumLength {
		w = append(w, fmt.Sprintf("lowers the minimum length from %d to %d characters", cur.MinimumLength, target.MinimumLength))
	}
	for _, c := range []struct {
		name          string
		cur, proposed bool
	}{
		{"uppercase letters", cur.RequireUppercase, target.RequireUppercase},
		{"lowercase letters", cur.RequireLowercase, target.RequireLowercase},
		{"numbers", cur.RequireNumbers, target.RequireNumbers},
		{"symbols", cur.RequireSymbols, target.RequireSymbols},
	} {
		if c.cur && !c.proposed {
			w = append(w, "stops requiring "+c.name)
		}
	}
	if target.ReusePrevention < cur.ReusePrevention {
		if target.ReusePrevention == 0 {
			w = append(w, fmt.Sprintf("turns off reuse prevention (now: last %d passwords)", cur.ReusePrevention))
		} else {
			w = append(w, fmt.Sprintf("lowers reuse prevention from %d to %d passwords", cur.ReusePrevention, target.ReusePrevention))
		}
	}
	if cur.MaxAgeDays > 0 && (target.MaxAgeDays == 0 || target.MaxAgeDays > cur.MaxAgeDays) {
		if target.MaxAgeDays == 0 {
			w = append(w, fmt.Sprintf("removes password expiry (now: %d days). NIST 800-63B advises against forced rotation, but if a compliance framework requires expiry, use the strict preset", cur.MaxAgeDays))
		} else {
			w = append(w, fmt.Sprintf("lengthens the maximum age from %d to %d days", cur.MaxAgeDays, target.MaxAgeDays))
		}
	}
	if cur.HardExpiry && !target.HardExpiry {
		w = append(w, "turns off hard expiry (users will be able to change an expired password themselves)")
	}
	for i := range w {
		w[i] = "Weaker than the current policy: " + w[i] + "."
	}
	return w
}

// What AWS enforces when no password policy is set: at least 8 characters
// and 3 of the 4 character types. A policy that is set replaces these rules.
const (
	AWSDefaultPasswordLength         = 8
	AWSDefaultPasswordCharacterTypes = 3
)

// PasswordBelowAWSDefault says in plain words every way p is weaker than the
// rules AWS applies with no policy (nil when it is not weaker).
func PasswordBelowAWSDefault(p awsops.PasswordPolicy) []string {
	var w []string
	if p.MinimumLength < AWSDefaultPasswordLength {
		w = append(w, fmt.Sprintf("allows %d-character passwords (the AWS default asks for at least %d)", p.MinimumLength, AWSDefaultPasswordLength))
	}
	if n := requiredCharacterTypes(p); n < AWSDefaultPasswordCharacterTypes {
		required := "no particular character type"
		if n > 0 {
			required = fmt.Sprintf("only %d of the 4 character types", n)
		}
		w = append(w, fmt.Sprintf("requires %s (the AWS default asks for %d of uppercase, lowercase, numbers and symbols)", required, AWSDefaultPasswordCharacterTypes))
	}
	return w
}

// requiredCharacterTypes counts the character types p requires.
func requiredCharacterTypes(p awsops.PasswordPolicy) int {
	n := 0
	for _, on := range []bool{p.RequireUppercase, p.RequireLowercase, p.RequireNumbers, p.RequireSymbols} {
		if on {
			n++
		}
	}
	return n
}

// CurrentPasswordPolicy reads the policy for a plan: nil when none is set.
func CurrentPasswordPolicy(ctx context.Context, f *Facts) (*awsops.PasswordPolicy, error) {
	p, err := f.PasswordPolicy(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound { // NoSuchEntity: none set
		return nil, nil
	}
	return p, err
}

// The preset field of the password-policy fix.
const FieldPreset = "preset"

// passwordRuleFields are the policy's yes/no rules, in form order.
var passwordRuleFields = []struct {
	key, label string
	get        func(p awsops.PasswordPolicy) bool
	set        func(p *awsops.PasswordPolicy, on bool)
}{
	{FieldRequireUppercase, "Require an uppercase letter (A–Z)",
		func(p awsops.PasswordPolicy) bool { return p.RequireUppercase }, func(p *awsops.PasswordPolicy, on bool) { p.RequireUppercase = on }},
	{FieldRequireLowercase, "Require a lowercase letter (a–z)",
		func(p awsops.PasswordPolicy) bool { return p.RequireLowercase }, func(p *awsops.PasswordPolicy, on bool) { p.RequireLowercase = on }},
	{FieldRequireNumbers, "Require a number (0–9)",
		func(p awsops.PasswordPolicy) bool { return p.RequireNumbers }, func(p *awsops.PasswordPolicy, on bool) { p.RequireNumbers = on }},
	{FieldRequireSymbols, "Require a symbol (! @ # …)",
		func(p awsops.PasswordPolicy) bool { return p.RequireSymbols }, func(p *awsops.PasswordPolicy, on bool) { p.RequireSymbols = on }},
	{FieldAllowChange, "Users may change their own password",
		func(p awsops.PasswordPolicy) bool { return p.AllowUsersToChange }, func(p *awsops.PasswordPolicy, on bool) { p.AllowUsersToChange = on }},
	{FieldHardExpiry, "Hard expiry: an expired password needs an admin",
		func(p awsops.PasswordPolicy) bool { return p.HardExpiry }, func(p *awsops.PasswordPolicy, on bool) { p.HardExpiry = on }},
}

// passwordNumberFields are the policy's number fields.
var passwordNumberFields = []struct {
	key   string
	rng   IntRange
	get   func(p awsops.PasswordPolicy) int
	set   func(p *awsops.PasswordPolicy, n int)
	label string
}{
	{FieldMinLength, PasswordLengthRange, func(p awsops.PasswordPolicy) int { return p.MinimumLength },
		func(p *awsops.PasswordPolicy, n int) { p.MinimumLength = n }, "Minimum length"},
	{FieldMaxAge, PasswordMaxAgeRange, func(p awsops.PasswordPolicy) int { return p.MaxAgeDays },
		func(p *awsops.PasswordPolicy, n int) { p.MaxAgeDays = n }, "Maximum age"},
	{FieldReuse, PasswordReuseRange, func(p awsops.PasswordPolicy) int { return p.ReusePrevention },
		func(p *awsops.PasswordPolicy, n int) { p.ReusePrevention = n }, "Reuse prevention"},
}

// passwordPolicyFields lists the keys of every policy field (not the preset).
func passwordPolicyFields() []string {
	keys := []string{FieldMinLength}
	for _, r := range passwordRuleFields[:4] {
		keys = append(keys, r.key)
	}
	keys = append(keys, FieldAllowChange, FieldMaxAge, FieldReuse, FieldHardExpiry)
	return keys
}

// passwordPolicyFix sets the IAM account password policy from a preset or
// field by field. State: the current policy (nil: none is set).
func passwordPolicyFix() Fix {
	return NewFix(FixDef[*awsops.PasswordPolicy]{
		ID:      FixPasswordPolicy,
		Title:   "Set the IAM account password policy",
		Summary: "set the IAM password policy (recommended, strict or custom)",
		Intro:   "Set the password policy to the recommended preset: at least 14 characters, all four character types, the last 24 passwords remembered, no forced expiry.",
		Reads:   "the current password policy",
		Writes:  []string{"iam:UpdateAccountPasswordPolicy"},
		Load:    CurrentPasswordPolicy,
		Form:    passwordPolicyForm,
		Check:   checkPasswordPolicyInput,
		Plan:    planPasswordPolicyInput,
	})
}

func passwordPolicyForm(cur **awsops.PasswordPolicy) []Group {
	now := "There is no password policy now: the AWS default applies (8+ characters, 3 of 4 character types, reuse allowed)."
	from := "There is no policy now; pre-filled with the recommended preset."
	base := PasswordPresetRecommended
	if cur != nil && *cur != nil {
		base = **cur
		now = "Now: " + PolicyLine(base) + "."
		from = "Pre-filled from the current policy."
	}
	if cur == nil {
		now, from = "", ""
	}
	custom := func(v Values) bool { return v[FieldPreset] == PresetCustom }
	num := func(i int, help string, limit int) Field {
		f := passwordNumberFields[i]
		return Field{Key: f.key, Kind: FieldText, Label: f.label, Help: help, Limit: limit,
			Default:  strconv.Itoa(f.get(base)),
			Validate: func(s string, _ Values) error { return f.rng.ValidateInput(s) }}
	}
	rules := make([]Field, len(passwordRuleFields))
	for i, r := range passwordRuleFields {
		rules[i] = Field{Key: r.key, Kind: FieldBool, Label: r.label, Default: BoolValue(r.get(base)), Choice: "Rules (space toggles)"}
	}
	minLength := num(0, "6–128 characters (recommended: 14)", 4)
	minLength.Label = "Minimum length, 6–128 characters (recommended: 14)"
	minLength.Help = ""
	maxAge := num(1, "1–1095, or 0 so passwords never expire (NIST 800-63B advises no forced expiry).", 5)
	maxAge.Label = "Maximum age in days"
	reuse := num(2, "Remember the last 1–24 passwords, or 0 for off (recommended: 24).", 3)
	return []Group{
		{Fields: []Field{{
			Key: FieldPreset, Kind: FieldSelect, Label: "Which password policy should the account have?",
			Help:    strings.TrimSpace(now + " You will see every change before anything is written."),
			Default: PresetRecommended,
			Options: []Option{
				{Value: PresetRecommended, Label: "Recommended: 14+ characters, all 4 character types, remember 24, no expiry"},
				{Value: PresetStrict, Label: "Strict: as recommended, plus passwords expire after 90 days"},
				{Value: PresetCustom, Label: "Custom: set every field yourself"},
			},
		}}},
		{Title: "Custom password policy (1 of 2)", Help: from, Shown: custom, Fields: append([]Field{minLength}, rules...)},
		{Title: "Custom password policy (2 of 2)", Shown: custom, Fields: []Field{maxAge, reuse}},
	}
}

// mergePassword puts the given fields of in over base.
func mergePassword(base awsops.PasswordPolicy, in Input) (awsops.PasswordPolicy, FieldErrors) {
	var es FieldErrors
	for _, f := range passwordNumberFields {
		if !in.Given[f.key] {
			continue
		}
		s := in.Text(f.key)
		if err := f.rng.ValidateInput(s); err != nil {
			es = append(es, FieldError{Field: f.key, Message: err.Error()})
			continue
		}
		n, _ := strconv.Atoi(s) // empty: 0 (off)
		f.set(&base, n)
	}
	for _, r := range passwordRuleFields {
		if in.Given[r.key] {
			r.set(&base, in.Bool(r.key))
		}
	}
	return base, es
}

func checkPasswordPolicyInput(in Input) error {
	switch preset := in.Text(FieldPreset); {
	case !in.Given[FieldPreset] || preset == "":
		if !in.AnyGiven(passwordPolicyFields()...) {
			return FieldErrors{{Field: FieldPreset, Message: fmt.Sprintf("choose recommended, strict or custom (custom starts from the current policy, or from recommended when none is set; change fields such as --%s 16)", FieldMinLength)}}
		}
	case preset != PresetRecommended && preset != PresetStrict && preset != PresetCustom:
		return FieldErrors{{Field: FieldPreset, Message: fmt.Sprintf("must be recommended, strict or custom (got %q)", preset)}}
	}
	// Ranges of the given numbers, before any AWS call.
	given, es := mergePassword(PasswordPresetRecommended, in)
	for _, fe := range ValidatePasswordPolicy(given) {
		if in.Given[fe.Field] {
			es = append(es, fe)
		}
	}
	return es.Err()
}

func planPasswordPolicyInput(cur *awsops.PasswordPolicy, in Input) (Plan, error) {
	if err := checkPasswordPolicyInput(in); err != nil {
		return Plan{}, err
	}
	preset := in.Text(FieldPreset)
	if !in.Given[FieldPreset] {
		preset = PresetCustom // fields without a preset change the current policy
	}
	var notes []string
	base, named := PasswordPreset(preset)
	switch {
	case named:
	case cur != nil: // custom: start from the current policy
		base = *cur
	default: // custom with no policy set: start from recommended
		base = PasswordPresetRecommended
		notes = append(notes, "No password policy is set, so custom starts from the recommended preset.")
	}
	custom := preset == PresetCustom
	given := in
	if !custom {
		// A named preset: only fields given on purpose change it (the
		// wizard hides the custom fields, so it gives none).
		given = Input{Values: in.Values, Given: map[string]bool{}}
		for _, k := range passwordPolicyFields() {
			given.Given[k] = in.Given[k]
		}
	}
	target, es := mergePassword(base, given)
	if len(es) > 0 {
		return Plan{}, es
	}
	if named {
		var changed []string
		for _, k := range passwordPolicyFields() {
			one := Input{Values: in.Values, Given: map[string]bool{k: in.Given[k]}}
			if p, _ := mergePassword(base, one); in.Given[k] && p != base {
				changed = append(changed, "--"+k)
			}
		}
		if len(changed) > 0 {
			notes = append(notes, fmt.Sprintf("%s changes the %s preset: the result is a custom policy, no longer %q.", strings.Join(changed, ", "), preset, preset))
		}
	}
	if es := ValidatePasswordPolicy(target); len(es) > 0 {
		return Plan{}, es
	}
	p := PlanPasswordPolicy(cur, target)
	p.Notes = notes
	return p, nil
}

// PolicyLine is a policy in one line: "8+ characters, upper, numbers, …".
func PolicyLine(p awsops.PasswordPolicy) string {
	parts := []string{fmt.Sprintf("%d+ characters", p.MinimumLength)}
	for _, r := range []struct {
		on   bool
		name string
	}{{p.RequireUppercase, "upper"}, {p.RequireLowercase, "lower"}, {p.RequireNumbers, "numbers"}, {p.RequireSymbols, "symbols"}} {
		if r.on {
			parts = append(parts, r.name)
		}
	}
	if p.ReusePrevention > 0 {
		parts = append(parts, fmt.Sprintf("remember %d", p.ReusePrevention))
	}
	if p.MaxAgeDays > 0 {
		parts = append(parts, fmt.Sprintf("expire after %d days", p.MaxAgeDays))
	} else {
		parts = append(parts, "no expiry")
	}
	return strings.Join(parts, ", ")
}
