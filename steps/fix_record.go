package steps

import (
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// RecordSummary says briefly what an applied plan changed, for saved
// progress and history: the password policy's values, or the names of the
// changed contact fields (never their values, so personal details stay out
// of history and reports). The CLI and the wizard record the same words.
func (p Plan) RecordSummary(res ApplyResult) string {
	if res.OK() && p.record != "" {
		return p.record
	}
	return p.appliedSummary(res)
}

// appliedSummary says briefly what an applied fix saved, for saved progress:
// the calls that were made and the names of the changed fields (never their
// values, so personal details stay out of history and reports).
func (p Plan) appliedSummary(res ApplyResult) string {
	var saved, contacts []string
	for _, c := range res.Applied {
		saved = append(saved, c.Label)
		if kind, ok := strings.CutSuffix(c.Label, " contact"); ok {
			contacts = append(contacts, kind)
		}
	}
	if len(contacts) > 1 && len(contacts) == len(saved) {
		saved = []string{strings.Join(contacts, ", ") + " contacts"} // "security, billing contacts"
	}
	summary := strings.Join(saved, ", ") + " saved"
	if !res.OK() {
		return summary + " (then stopped: " + string(awsops.KindOf(res.Err)) + ")"
	}
	var fields []string
	for _, c := range p.Changes {
		if c.Current != c.Proposed {
			fields = append(fields, strings.ToLower(c.Field))
		}
	}
	if len(fields) == 0 {
		return summary
	}
	return summary + " (changed: " + groupContactFields(fields) + ")"
}

// groupContactFields writes "security name", "security email", "billing
// phone" as "security name/email, billing phone".
func groupContactFields(fields []string) string {
	var out []string
	prev := ""
	for _, f := range fields {
		typ, part, ok := strings.Cut(f, " ")
		if ok && typ == prev && isContactType(typ) {
			out[len(out)-1] += "/" + part
			continue
		}
		out = append(out, f)
		prev = ""
		if ok {
			prev = typ
		}
	}
	return strings.Join(out, ", ")
}

func isContactType(word string) bool {
	for _, t := range awsops.ContactTypes {
		if strings.EqualFold(string(t), word) {
			return true
		}
	}
	return false
}

// passwordPolicySummary is a password fix for saved progress, e.g. "was
// the AWS default; now: min 14, reuse 24, upper/lower/number/symbol, users
// may change". "was" names only what differs from the new policy.
func passwordPolicySummary(cur *awsops.PasswordPolicy, target awsops.PasswordPolicy) string {
	now := policyParts(target)
	var was []string
	if cur == nil {
		was = []string{"the AWS default"}
	} else {
		old := policyParts(*cur)
		for i := range old {
			if old[i] != now[i] {
				was = append(was, old[i])
			}
		}
	}
	var shown []string
	for i, part := range now {
		if i == policyExpiryPart && target.MaxAgeDays == 0 {
			continue // no expiry is the norm; "was" still names it when it changed
		}
		shown = append(shown, part)
	}
	return "was " + strings.Join(was, ", ") + "; now: " + strings.Join(shown, ", ")
}

const policyExpiryPart = 3

// policyParts describes a policy in five short parts: length, reuse,
// character types, expiry, users changing their password.
func policyParts(p awsops.PasswordPolicy) []string {
	reuse := "reuse off"
	if p.ReusePrevention > 0 {
		reuse = fmt.Sprintf("reuse %d", p.ReusePrevention)
	}
	var chars []string
	for _, c := range []struct {
		on   bool
		name string
	}{{p.RequireUppercase, "upper"}, {p.RequireLowercase, "lower"}, {p.RequireNumbers, "number"}, {p.RequireSymbols, "symbol"}} {
		if c.on {
			chars = append(chars, c.name)
		}
	}
	charRule := "no character rules"
	if len(chars) > 0 {
		charRule = strings.Join(chars, "/")
	}
	expiry := "no expiry"
	if p.MaxAgeDays > 0 {
		expiry = fmt.Sprintf("expires after %d days", p.MaxAgeDays)
		if p.HardExpiry {
			expiry += " (hard)"
		}
	}
	change := "users may not change"
	if p.AllowUsersToChange {
		change = "users may change"
	}
	return []string{fmt.Sprintf("min %d", p.MinimumLength), reuse, charRule, expiry, change}
}
