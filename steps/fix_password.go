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
		write: func(ctx context.Context, w awsops.Writer) error {
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
