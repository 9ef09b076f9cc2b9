package steps

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

func checkAlternateContacts(ctx context.Context, f *Facts) Result {
	types := awsops.ContactTypes
	contacts := make([]*awsops.AlternateContact, len(types))
	errs := make([]error, len(types))
	reads := make([]func(), len(types))
	for i, t := range types {
		reads[i] = func() {
			c, err := f.AlternateContact(ctx, t)
			if awsops.KindOf(err) == awsops.KindNotFound { // ResourceNotFoundException: not set
				c, err = nil, nil
			}
			contacts[i], errs[i] = c, err
		}
	}
	concurrently(reads...)
	for i, err := range errs {
		if err != nil {
			return Unknown("the "+strings.ToLower(string(types[i]))+" alternate contact", err)
		}
	}

	var ev []Evidence
	var missing []string
	security := false
	emails := map[string]bool{}
	for i, t := range types {
		c := contacts[i]
		key := strings.ToLower(string(t))
		if c == nil || strings.TrimSpace(c.Email) == "" {
			missing = append(missing, string(t))
			if c == nil {
				ev = append(ev, kv(key, "not set"))
			} else {
				ev = append(ev, kv(key, strings.TrimSpace(c.Name+" (no email address)")))
			}
			continue
		}
		if t == awsops.ContactSecurity {
			security = true
		}
		emails[strings.ToLower(strings.TrimSpace(c.Email))] = true
		ev = append(ev, kv(key, strings.TrimSpace(c.Name+" <"+strings.TrimSpace(c.Email)+">")))
	}
	r := Result{Evidence: ev}
	switch {
	case !security:
		r.Status = StatusFail
		r.Summary = "no security contact: AWS security notices may reach nobody"
		if len(missing) > 1 {
			r.Summary += " (also missing: " + strings.Join(missing[1:], ", ") + ")"
		}
		r.Todo = "Set the security contact (and billing and operations) on the Account page, or let rootguard set them."
	case len(missing) > 0:
		r.Status = StatusWarn
		r.Summary = "alternate contact missing: " + strings.Join(missing, ", ")
		r.Todo = "Add the missing contacts so bills and maintenance notices reach the right people."
	case len(emails) == 1:
		r.Status = StatusWarn
		r.Summary = "all three alternate contacts are the same person"
		r.Todo = "Where you can, name different people (or group addresses) for security, billing and operations."
	default:
		r.Status = StatusPass
		r.Summary = "security, billing and operations contacts are set"
	}
	return r
}

func checkContactInfo(ctx context.Context, f *Facts) Result {
	ci, err := f.ContactInformation(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound {
		ci, err = nil, nil
	}
	if err != nil {
		return Unknown("the account contact information", err)
	}
	if ci == nil {
		return Result{Status: StatusFail, Summary: "no contact information is on file",
			Evidence: []Evidence{kv("contact_information", "none")},
			Todo:     "Add a full name, address and phone number (starting with +) on the Account page, or let rootguard set them."}
	}
	present := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "missing"
		}
		return "present"
	}
	phone := strings.TrimSpace(ci.PhoneNumber)
	ev := []Evidence{
		kv("full_name", present(ci.FullName)),
		kv("phone", orText(phone, "missing")),
		kv("address", present(ci.AddressLine1)),
		kv("city", present(ci.City)),
		kv("country", orText(ci.CountryCode, "missing")),
	}
	var missing []string
	for _, fld := range []struct{ name, v string }{
		{"full name", ci.FullName}, {"phone", phone}, {"address", ci.AddressLine1},
		{"city", ci.City}, {"country", ci.CountryCode},
	} {
		if strings.TrimSpace(fld.v) == "" {
			missing = append(missing, fld.name)
		}
	}
	if len(missing) > 0 {
		return Result{Status: StatusFail, Summary: "contact information is incomplete: no " + strings.Join(missing, ", "),
			Evidence: ev, Todo: "Fill in the missing contact details on the Account page, or let rootguard set them."}
	}
	if !strings.HasPrefix(phone, "+") {
		return Result{Status: StatusWarn, Summary: "the contact phone number is not in international format (+country code)",
			Evidence: ev, Todo: "Re-enter the phone number starting with + and the country code."}
	}
	return Result{Status: StatusPass, Summary: "name, address and phone are on file", Evidence: ev}
}

// awsDefaultPasswordRules describes what applies when no policy is set.
const awsDefaultPasswordRules = "minimum 8 characters, 3 of 4 character types, old passwords may be reused, no expiry"

// PasswordBelowRecommended says in plain words every way p is weaker than
// the recommended preset (nil when it meets it). The check and the fix
// preview use the same words.
func PasswordBelowRecommended(p awsops.PasswordPolicy) []string {
	want := PasswordPresetRecommended
	var weaker []string
	if p.MinimumLength < want.MinimumLength {
		weaker = append(weaker, fmt.Sprintf("minimum length %d (recommended %d)", p.MinimumLength, want.MinimumLength))
	}
	switch {
	case p.ReusePrevention == 0:
		weaker = append(weaker, fmt.Sprintf("reuse prevention is off (recommended: remember %d)", want.ReusePrevention))
	case p.ReusePrevention < want.ReusePrevention:
		weaker = append(weaker, fmt.Sprintf("remembers %d old passwords (recommended %d)", p.ReusePrevention, want.ReusePrevention))
	}
	var notRequired []string
	for _, c := range []struct {
		name string
		on   bool
	}{{"uppercase", p.RequireUppercase}, {"lowercase", p.RequireLowercase}, {"numbers", p.RequireNumbers}, {"symbols", p.RequireSymbols}} {
		if !c.on {
			notRequired = append(notRequired, c.name)
		}
	}
	if len(notRequired) > 0 {
		weaker = append(weaker, "does not require "+joinOr(notRequired))
	}
	if !p.AllowUsersToChange {
		weaker = append(weaker, "users cannot change their own password")
	}
	return weaker
}

func checkPasswordPolicy(ctx context.Context, f *Facts) Result {
	p, err := f.PasswordPolicy(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound { // NoSuchEntity: none set
		p, err = nil, nil
	}
	if err != nil {
		return Unknown("the IAM password policy", err)
	}
	if p == nil {
		return Result{
			Status:   StatusFail,
			Summary:  "no password policy is set, so the AWS default applies (" + awsDefaultPasswordRules + ")",
			Evidence: []Evidence{kv("password_policy", "none (AWS default)")},
			Todo:     "Apply the recommended policy: at least 14 characters, all four character types, no reuse of the last 24 passwords.",
		}
	}
	if p.MinimumLength < 6 || p.MinimumLength > 128 || p.ReusePrevention < 0 || p.ReusePrevention > 24 || p.MaxAgeDays < 0 {
		return unexpectedAnswer("the IAM password policy",
			fmt.Sprintf("MinimumPasswordLength=%d PasswordReusePrevention=%d MaxPasswordAge=%d are out of range", p.MinimumLength, p.ReusePrevention, p.MaxAgeDays))
	}
	maxAge := "off"
	if p.MaxAgeDays > 0 {
		maxAge = strconv.Itoa(p.MaxAgeDays) + " days"
	}
	ev := []Evidence{
		kvInt("MinimumPasswordLength", p.MinimumLength),
		kvInt("PasswordReusePrevention", p.ReusePrevention),
		kvBool("RequireUppercaseCharacters", p.RequireUppercase),
		kvBool("RequireLowercaseCharacters", p.RequireLowercase),
		kvBool("RequireNumbers", p.RequireNumbers),
		kvBool("RequireSymbols", p.RequireSymbols),
		kvBool("AllowUsersToChangePassword", p.AllowUsersToChange),
		kv("MaxPasswordAge", maxAge),
		kvBool("HardExpiry", p.HardExpiry),
	}
	weaker := PasswordBelowRecommended(*p)
	r := Result{Evidence: ev}
	if p.HardExpiry {
		r.Details = append(r.Details, "HardExpiry is on: users with an expired password need an administrator to reset it.")
	}
	if belowDefault := PasswordBelowAWSDefault(*p); len(belowDefault) > 0 {
		r.Status = StatusFail
		r.Summary = "the password policy is weaker than the AWS default: it " + strings.Join(belowDefault, "; it ")
		r.Details = append([]string{"Weaker than recommended: " + strings.Join(weaker, ", ") + "."}, r.Details...)
		r.Todo = "Apply the recommended preset (rootguard shows the field-by-field change first): at least 14 characters, all four character types, no reuse of the last 24 passwords."
		return r
	}
	if len(weaker) == 0 {
		r.Status = StatusPass
		r.Summary = "the password policy meets the recommended preset"
		return r
	}
	r.Status = StatusWarn
	r.Summary = "the password policy is weaker than recommended: " + strings.Join(weaker, ", ")
	r.Details = append(weaker, r.Details...)
	r.Todo = "Apply the recommended preset (rootguard shows the field-by-field change first)."
	return r
}
