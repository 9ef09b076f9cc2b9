package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// formStep is one form of a fix flow.
type formStep int

const (
	formNone           formStep = iota - 1
	formPreset                  // password policy: recommended, strict or custom
	formPasswordCustom          // password policy: every field
	formContacts                // alternate contacts
	formContactInfo             // primary contact
)

func firstForm(id string) formStep {
	switch id {
	case steps.FixAlternateContacts:
		return formContacts
	case steps.FixContactInfo:
		return formContactInfo
	}
	return formPreset
}

// What to do with the billing or operations contact.
const (
	contactEdit = "edit"
	contactSame = "same"
	contactKeep = "keep"
)

// Password rules chosen in the custom form's multi-select.
const (
	ruleUpper  = "upper"
	ruleLower  = "lower"
	ruleNumber = "number"
	ruleSymbol = "symbol"
	ruleChange = "change"
	ruleHard   = "hard"
)

// fixInput is what the forms edit: huh fields are bound to these values,
// so reopening a form keeps what was typed.
type fixInput struct {
	preset string

	minLength, maxAge, reuse string
	rules                    []string

	contacts map[awsops.ContactType]*awsops.AlternateContact
	mode     map[awsops.ContactType]*string // billing, operations: edit, same, keep

	info awsops.ContactInfo
}

// newFixInput pre-fills the forms from the current values.
func newFixInput(id string, cur fixCurrent) *fixInput {
	in := &fixInput{preset: steps.PresetRecommended}
	p := steps.PasswordPresetRecommended // a starting point when no policy is set
	if cur.Policy != nil {
		p = *cur.Policy
	}
	in.minLength = strconv.Itoa(p.MinimumLength)
	in.maxAge = strconv.Itoa(p.MaxAgeDays)
	in.reuse = strconv.Itoa(p.ReusePrevention)
	for _, r := range []struct {
		on   bool
		rule string
	}{{p.RequireUppercase, ruleUpper}, {p.RequireLowercase, ruleLower}, {p.RequireNumbers, ruleNumber},
		{p.RequireSymbols, ruleSymbol}, {p.AllowUsersToChange, ruleChange}, {p.HardExpiry, ruleHard}} {
		if r.on {
			in.rules = append(in.rules, r.rule)
		}
	}

	in.contacts = map[awsops.ContactType]*awsops.AlternateContact{}
	in.mode = map[awsops.ContactType]*string{}
	for _, t := range awsops.ContactTypes {
		c := awsops.AlternateContact{Type: t}
		if cc := cur.Contacts[t]; cc != nil {
			c = *cc
		}
		in.contacts[t] = &c
		mode := contactEdit
		if sec := cur.Contacts[awsops.ContactSecurity]; t != awsops.ContactSecurity && sec != nil && cur.Contacts[t] != nil &&
			sameContactPerson(*sec, *cur.Contacts[t]) {
			mode = contactSame
		}
		in.mode[t] = &mode
	}

	if cur.Info != nil {
		in.info = *cur.Info
	}
	return in
}

func sameContactPerson(a, b awsops.AlternateContact) bool {
	a.Type, b.Type = "", ""
	return steps.NormalizeAlternateContact(a) == steps.NormalizeAlternateContact(b)
}

// checked wraps a validator so its message names the field: "Email must be
// an email address like name@example.com". Typed text is trimmed first.
func checked(label string, validate func(string) error) func(string) error {
	return func(s string) error {
		if err := validate(strings.TrimSpace(s)); err != nil {
			return fmt.Errorf("%s %s", label, err)
		}
		return nil
	}
}

// buildForm makes the huh form of a step, sized later by syncFix.
func (a *App) buildForm(step formStep, in *fixInput, cur fixCurrent) *huh.Form {
	var groups []*huh.Group
	switch step {
	case formPreset:
		groups = presetForm(in, cur)
	case formPasswordCustom:
		groups = customPasswordForm(in, cur)
	case formContacts:
		groups = contactsForm(in, cur)
	case formContactInfo:
		groups = contactInfoForm(in, cur)
	}
	return huh.NewForm(groups...).
		WithShowHelp(false).
		WithTheme(huh.ThemeFunc(func(bool) *huh.Styles { return formTheme(a.styles.IsDark) }))
}

// formTheme is huh's Charm theme with visible boxes in multi-selects:
// "[x]" for a chosen option, "[ ]" for one that is not.
func formTheme(isDark bool) *huh.Styles {
	t := huh.ThemeCharm(isDark)
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.SelectedPrefix = fs.SelectedPrefix.SetString("[x] ")
		fs.UnselectedPrefix = fs.UnselectedPrefix.SetString("[ ] ")
	}
	return t
}

func presetForm(in *fixInput, cur fixCurrent) []*huh.Group {
	now := "There is no password policy now: the AWS default applies (8+ characters, 3 of 4 character types, reuse allowed)."
	if cur.Policy != nil {
		now = "Now: " + policyLine(*cur.Policy) + "."
	}
	return []*huh.Group{huh.NewGroup(
		huh.NewSelect[string]().
			Title("Which password policy should the account have?").
			Description(now+" You will see every change before anything is written.").
			Options(
				huh.NewOption("Recommended: 14+ characters, all 4 character types, remember 24, no expiry", steps.PresetRecommended),
				huh.NewOption("Strict: as recommended, plus passwords expire after 90 days", steps.PresetStrict),
				huh.NewOption("Custom: set every field yourself", steps.PresetCustom),
			).
			Value(&in.preset),
	)}
}

// policyLine is a policy in one line: "8+ characters, upper, numbers, …".
func policyLine(p awsops.PasswordPolicy) string {
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

func customPasswordForm(in *fixInput, cur fixCurrent) []*huh.Group {
	from := "Pre-filled from the current policy."
	if cur.Policy == nil {
		from = "There is no policy now; pre-filled with the recommended preset."
	}
	return []*huh.Group{
		huh.NewGroup(
			huh.NewInput().Title("Minimum length, 6–128 characters (recommended: 14)").
				Value(&in.minLength).CharLimit(4).
				Validate(checked("Minimum length", steps.PasswordLengthRange.ValidateInput)),
			huh.NewMultiSelect[string]().Title("Rules (space toggles)").
				Options(
					huh.NewOption("Require an uppercase letter (A–Z)", ruleUpper),
					huh.NewOption("Require a lowercase letter (a–z)", ruleLower),
					huh.NewOption("Require a number (0–9)", ruleNumber),
					huh.NewOption("Require a symbol (! @ # …)", ruleSymbol),
					huh.NewOption("Users may change their own password", ruleChange),
					huh.NewOption("Hard expiry: an expired password needs an admin", ruleHard),
				).
				Value(&in.rules).
				Height(7), // the title and every rule (huh's own sizing leaves one out)
		).Title("Custom password policy (1 of 2)").Description(from),
		huh.NewGroup(
			huh.NewInput().Title("Maximum age in days").
				Description("1–1095, or 0 so passwords never expire (NIST 800-63B advises no forced expiry).").
				Value(&in.maxAge).CharLimit(5).
				Validate(checked("Maximum age", steps.PasswordMaxAgeRange.ValidateInput)),
			huh.NewInput().Title("Reuse prevention").
				Description("Remember the last 1–24 passwords, or 0 for off (recommended: 24).").
				Value(&in.reuse).CharLimit(3).
				Validate(checked("Reuse prevention", steps.PasswordReuseRange.ValidateInput)),
		).Title("Custom password policy (2 of 2)"),
	}
}

// customPolicy reads the custom form's values.
func (in *fixInput) customPolicy() (awsops.PasswordPolicy, steps.FieldErrors) {
	var es steps.FieldErrors
	num := func(field, s string, r steps.IntRange) int {
		s = strings.TrimSpace(s)
		if err := r.ValidateInput(s); err != nil {
			es = append(es, steps.FieldError{Field: field, Message: err.Error()})
			return 0
		}
		n, _ := strconv.Atoi(s) // empty: 0 (off)
		return n
	}
	p := awsops.PasswordPolicy{
		MinimumLength:      num(steps.FieldMinLength, in.minLength, steps.PasswordLengthRange),
		MaxAgeDays:         num(steps.FieldMaxAge, in.maxAge, steps.PasswordMaxAgeRange),
		ReusePrevention:    num(steps.FieldReuse, in.reuse, steps.PasswordReuseRange),
		RequireUppercase:   slices.Contains(in.rules, ruleUpper),
		RequireLowercase:   slices.Contains(in.rules, ruleLower),
		RequireNumbers:     slices.Contains(in.rules, ruleNumber),
		RequireSymbols:     slices.Contains(in.rules, ruleSymbol),
		AllowUsersToChange: slices.Contains(in.rules, ruleChange),
		HardExpiry:         slices.Contains(in.rules, ruleHard),
	}
	if len(es) > 0 {
		return p, es
	}
	return p, steps.ValidatePasswordPolicy(p)
}

func contactFields(c *awsops.AlternateContact, word string) []huh.Field {
	return []huh.Field{
		huh.NewInput().Title("Name").Value(&c.Name).CharLimit(64).
			Validate(checked(word+" name", steps.ValidateContactName)),
		huh.NewInput().Title("Title").Value(&c.Title).CharLimit(50).Placeholder("job title").
			Validate(checked(word+" title", steps.ValidateContactTitle)),
		huh.NewInput().Title("Email").Value(&c.Email).CharLimit(254).Placeholder("name@example.com").
			Validate(checked(word+" email", steps.ValidateEmail)),
		huh.NewInput().Title("Phone").Value(&c.Phone).CharLimit(25).Placeholder("+1 206 555 0100").
			Validate(checked(word+" phone", steps.ValidateContactPhone)),
	}
}

func contactsForm(in *fixInput, cur fixCurrent) []*huh.Group {
	note := "AWS writes to the security contact about security issues in the account. Use a person or a group address that is read."
	if cur.ContactsErr != nil {
		note = "Some current contacts could not be read: " + cur.ContactsErr.Error()
	}
	modeSelect := func(t awsops.ContactType) *huh.Select[string] {
		word := strings.ToLower(string(t))
		keep := "Leave the " + word + " contact as it is"
		if c, known := cur.Contacts[t]; known && c == nil {
			keep += " (not set)"
		} else if !known {
			keep += " (could not be read)"
		}
		return huh.NewSelect[string]().
			Title(strings.ToUpper(word[:1])+word[1:]+" contact").
			Options(
				huh.NewOption("Enter or edit the "+word+" contact", contactEdit),
				huh.NewOption("Same as the security contact", contactSame),
				huh.NewOption(keep, contactKeep),
			).
			Value(in.mode[t])
	}
	shown := func(t awsops.ContactType) func() bool {
		return func() bool { return *in.mode[t] != contactEdit }
	}
	return []*huh.Group{
		huh.NewGroup(contactFields(in.contacts[awsops.ContactSecurity], "Security")...).
			Title("Security contact").Description(note),
		huh.NewGroup(modeSelect(awsops.ContactBilling), modeSelect(awsops.ContactOperations)).
			Title("Billing and operations contacts"),
		huh.NewGroup(contactFields(in.contacts[awsops.ContactBilling], "Billing")...).
			Title("Billing contact").WithHideFunc(shown(awsops.ContactBilling)),
		huh.NewGroup(contactFields(in.contacts[awsops.ContactOperations], "Operations")...).
			Title("Operations contact").WithHideFunc(shown(awsops.ContactOperations)),
	}
}

// wantContacts is the contacts to write, as chosen in the form.
func (in *fixInput) wantContacts() ([]awsops.AlternateContact, steps.FieldErrors) {
	sec := steps.NormalizeAlternateContact(*in.contacts[awsops.ContactSecurity])
	want := []awsops.AlternateContact{sec}
	for _, t := range awsops.ContactTypes[1:] {
		switch *in.mode[t] {
		case contactSame:
			want = append(want, steps.SameAsSecurity(sec, t))
		case contactEdit:
			want = append(want, steps.NormalizeAlternateContact(*in.contacts[t]))
		}
	}
	var es steps.FieldErrors
	for _, c := range want {
		es = append(es, steps.ValidateAlternateContact(c)...)
	}
	return want, es
}

func contactInfoForm(in *fixInput, cur fixCurrent) []*huh.Group {
	c := &in.info
	from := "Pre-filled from the current contact details. AWS replaces the whole record, so every field is sent."
	if cur.Info == nil {
		from = "There are no contact details on file yet."
	}
	input := func(label string, v *string, limit int, validate func(string) error) *huh.Input {
		return huh.NewInput().Title(label).Value(v).CharLimit(limit).Validate(checked(label, validate))
	}
	return []*huh.Group{
		huh.NewGroup(
			input("Full name", &c.FullName, 50, steps.ValidateFullName),
			input("Company (optional)", &c.CompanyName, 50, steps.ValidateCompanyName),
			input("Phone", &c.PhoneNumber, 20, steps.ValidatePrimaryPhone).Placeholder("+1 206 555 0100"),
			input("Website (optional)", &c.WebsiteURL, 256, steps.ValidateWebsite),
		).Title("Primary contact (1 of 3)").Description(from),
		huh.NewGroup(
			input("Address line 1", &c.AddressLine1, 60, steps.ValidateAddressLine1),
			input("Address line 2", &c.AddressLine2, 60, steps.ValidateAddressLineOptional),
			input("Address line 3", &c.AddressLine3, 60, steps.ValidateAddressLineOptional),
			input("City", &c.City, 50, steps.ValidateCity),
			input("District/county", &c.DistrictOrCounty, 50, steps.ValidateDistrict),
		).Title("Address (2 of 3)"),
		huh.NewGroup(
			input("Country code", &c.CountryCode, 2, func(s string) error { return steps.ValidateCountryCode(strings.ToUpper(s)) }).
				Placeholder("US"),
			input("State/region", &c.StateOrRegion, 50, func(s string) error {
				return steps.ValidateState(s, strings.ToUpper(strings.TrimSpace(c.CountryCode)))
			}),
			input("Postal code", &c.PostalCode, 20, steps.ValidatePostalCode),
		).Title("Country (3 of 3)").Description("Two-letter country code (US, DE, JP…). A state or region is required for US, CA, GB, DE, JP, IN and BR."),
	}
}

// planFromInput is what follows a completed form: another form (next ≥ 0),
// or the plan. errs are rejected fields (the form reopens).
func planFromInput(step formStep, in *fixInput, cur fixCurrent) (next formStep, p steps.Plan, errs steps.FieldErrors) {
	switch step {
	case formPreset:
		target, ok := steps.PasswordPreset(in.preset)
		if !ok {
			return formPasswordCustom, p, nil
		}
		return formNone, steps.PlanPasswordPolicy(cur.Policy, target), nil
	case formPasswordCustom:
		target, errs := in.customPolicy()
		if len(errs) > 0 {
			return formNone, p, errs
		}
		return formNone, steps.PlanPasswordPolicy(cur.Policy, target), nil
	case formContacts:
		want, errs := in.wantContacts()
		if len(errs) > 0 {
			return formNone, p, errs
		}
		return formNone, steps.PlanAlternateContacts(cur.Contacts, want), nil
	case formContactInfo:
		want := steps.NormalizeContactInfo(in.info)
		if errs := steps.ValidateContactInfo(want); len(errs) > 0 {
			return formNone, p, errs
		}
		return formNone, steps.PlanContactInfo(cur.Info, want), nil
	}
	return formNone, p, nil
}
