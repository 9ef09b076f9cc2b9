package steps

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rootguard/rootguard/awsops"
)

// FieldError is one rejected input field. Field is the field's key, which is
// also its command-line flag name (e.g. "security-email", "min-length").
type FieldError struct {
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// FieldErrors are every rejected field of one input, in form order.
type FieldErrors []FieldError

func (es FieldErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns es as an error, or nil when there are none.
func (es FieldErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es *FieldErrors) add(field string, err error) {
	if err != nil {
		*es = append(*es, FieldError{Field: field, Message: err.Error()})
	}
}

// The validators below take the text a user typed (a form field or a flag)
// and return an error whose message is shown next to that field. They match
// AWS's own rules, so a value they accept is not rejected by the API for its
// shape. Values are checked as given; callers trim them first (Normalize…).

// textRule is a length rule for one text field.
type textRule struct {
	min, max int
}

func (r textRule) check(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("is not valid UTF-8 text")
	}
	n := utf8.RuneCountInString(s)
	if n == 0 && r.min > 0 {
		return errors.New("is required")
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return errors.New("must not contain control characters (tabs, line breaks…)")
		}
	}
	if n < r.min || n > r.max {
		return fmt.Errorf("must be %d–%d characters (this is %d)", r.min, r.max, n)
	}
	return nil
}

// optional allows an empty value; otherwise the rule applies.
func optional(r textRule, s string) error {
	if s == "" {
		return nil
	}
	return r.check(s)
}

// Alternate contacts (account:PutAlternateContact).

// ValidateContactName checks an alternate contact's name (1–64 characters).
func ValidateContactName(s string) error { return textRule{1, 64}.check(s) }

// ValidateContactTitle checks an alternate contact's title (1–50 characters).
func ValidateContactTitle(s string) error { return textRule{1, 50}.check(s) }

// emailPattern is AWS's alternate-contact email pattern, anchored, without
// its surrounding-whitespace allowance (values are trimmed first).
var emailPattern = regexp.MustCompile(`^[\w+=.#|!&-]+@[\w.-]+\.[\w]+$`)

// ValidateEmail checks an email address: 1–254 characters, AWS's pattern,
// and a real address shape (no empty labels, a top-level domain of letters).
func ValidateEmail(s string) error {
	if err := (textRule{1, 254}).check(s); err != nil {
		return err
	}
	const shape = "must be an email address like name@example.com"
	if !emailPattern.MatchString(s) {
		return errors.New(shape)
	}
	local, domain, _ := strings.Cut(s, "@")
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return errors.New(shape + " (dots cannot start, end or repeat before the @)")
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return errors.New(shape + " (the part after the @ is not a valid domain)")
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || strings.IndexFunc(tld, func(r rune) bool { return !isASCIILetter(r) }) >= 0 {
		return errors.New(shape + " (the domain must end in letters, like .com)")
	}
	return nil
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// ValidateContactPhone checks an alternate contact's phone: 1–25 characters
// of digits, spaces and ( ) + -, with at least one digit.
func ValidateContactPhone(s string) error {
	if err := (textRule{1, 25}).check(s); err != nil {
		return err
	}
	if strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789()+- ", r) }) >= 0 {
		return errors.New("may contain only digits, spaces and ( ) + -")
	}
	if !strings.ContainsAny(s, "0123456789") {
		return errors.New("must contain digits")
	}
	return nil
}

// NormalizeAlternateContact trims surrounding spaces from every field.
func NormalizeAlternateContact(c awsops.AlternateContact) awsops.AlternateContact {
	c.Name = strings.TrimSpace(c.Name)
	c.Title = strings.TrimSpace(c.Title)
	c.Email = strings.TrimSpace(c.Email)
	c.Phone = strings.TrimSpace(c.Phone)
	return c
}

// ContactFieldKey is the field key (and flag name) of an alternate-contact
// field, e.g. ContactFieldKey(ContactBilling, "email") == "billing-email".
func ContactFieldKey(t awsops.ContactType, field string) string {
	return strings.ToLower(string(t)) + "-" + field
}

// ValidateAlternateContact checks every field of one contact.
func ValidateAlternateContact(c awsops.AlternateContact) FieldErrors {
	var es FieldErrors
	if !knownContactType(c.Type) {
		es.add("type", fmt.Errorf("must be SECURITY, BILLING or OPERATIONS (got %q)", c.Type))
		return es
	}
	es.add(ContactFieldKey(c.Type, "name"), ValidateContactName(c.Name))
	es.add(ContactFieldKey(c.Type, "title"), ValidateContactTitle(c.Title))
	es.add(ContactFieldKey(c.Type, "email"), ValidateEmail(c.Email))
	es.add(ContactFieldKey(c.Type, "phone"), ValidateContactPhone(c.Phone))
	return es
}

func knownContactType(t awsops.ContactType) bool {
	for _, ct := range awsops.ContactTypes {
		if ct == t {
			return true
		}
	}
	return false
}

// Primary contact information (account:PutContactInformation).

// statesRequired are the countries for which AWS requires a state or region.
var statesRequired = map[string]bool{"US": true, "CA": true, "GB": true, "DE": true, "JP": true, "IN": true, "BR": true}

// StateRequired reports whether AWS requires a state or region for a
// country code.
func StateRequired(countryCode string) bool { return statesRequired[strings.ToUpper(countryCode)] }

// ValidateFullName checks the primary contact's full name (1–50).
func ValidateFullName(s string) error { return textRule{1, 50}.check(s) }

// ValidateCompanyName checks the optional company name (up to 50).
func ValidateCompanyName(s string) error { return optional(textRule{1, 50}, s) }

// ValidateAddressLine1 checks the first, required, address line (1–60).
func ValidateAddressLine1(s string) error { return textRule{1, 60}.check(s) }

// ValidateAddressLineOptional checks address lines 2 and 3 (up to 60).
func ValidateAddressLineOptional(s string) error { return optional(textRule{1, 60}, s) }

// ValidateCity checks the city (1–50).
func ValidateCity(s string) error { return textRule{1, 50}.check(s) }

// ValidateDistrict checks the optional district or county (up to 50).
func ValidateDistrict(s string) error { return optional(textRule{1, 50}, s) }

// ValidatePostalCode checks the postal code (1–20).
func ValidatePostalCode(s string) error { return textRule{1, 20}.check(s) }

// ValidateCountryCode checks an ISO 3166 alpha-2 country code (two letters).
func ValidateCountryCode(s string) error {
	if s == "" {
		return errors.New("is required (a two-letter country code such as US, DE or JP)")
	}
	if len(s) != 2 || strings.IndexFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return errors.New("must be a two-letter country code such as US, DE or JP")
	}
	return nil
}

// ValidateState checks the state or region for a country: required (1–50)
// where AWS requires it, otherwise optional.
func ValidateState(s, countryCode string) error {
	if s == "" && StateRequired(countryCode) {
		return fmt.Errorf("is required for country %s", strings.ToUpper(countryCode))
	}
	return optional(textRule{1, 50}, s)
}

// ValidatePrimaryPhone checks the primary contact's phone: 1–20 characters,
// starting with + and the country calling code, then digits, spaces, ( ) -.
func ValidatePrimaryPhone(s string) error {
	if err := (textRule{1, 20}).check(s); err != nil {
		return err
	}
	if !strings.HasPrefix(s, "+") {
		return errors.New("must start with + and the country calling code, e.g. +1 206 555 0100")
	}
	if strings.IndexFunc(s[1:], func(r rune) bool { return !strings.ContainsRune("0123456789()- ", r) }) >= 0 {
		return errors.New("after the +, may contain only digits, spaces and ( ) -")
	}
	if !strings.ContainsAny(s, "0123456789") {
		return errors.New("must contain digits")
	}
	return nil
}

// ValidateWebsite checks the optional website URL (up to 256, no spaces).
func ValidateWebsite(s string) error {
	if err := optional(textRule{1, 256}, s); err != nil {
		return err
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return errors.New("must not contain spaces")
	}
	return nil
}

// NormalizeContactInfo trims every field and upper-cases the country code.
func NormalizeContactInfo(c awsops.ContactInfo) awsops.ContactInfo {
	for _, p := range []*string{&c.FullName, &c.CompanyName, &c.AddressLine1, &c.AddressLine2, &c.AddressLine3,
		&c.City, &c.StateOrRegion, &c.DistrictOrCounty, &c.PostalCode, &c.PhoneNumber, &c.WebsiteURL} {
		*p = strings.TrimSpace(*p)
	}
	c.CountryCode = strings.ToUpper(strings.TrimSpace(c.CountryCode))
	return c
}

// Contact-information field keys, also the flag names of `fix contact-info`.
const (
	FieldFullName     = "full-name"
	FieldCompany      = "company"
	FieldAddressLine1 = "address-line1"
	FieldAddressLine2 = "address-line2"
	FieldAddressLine3 = "address-line3"
	FieldCity         = "city"
	FieldState        = "state"
	FieldDistrict     = "district"
	FieldPostalCode   = "postal-code"
	FieldCountryCode  = "country-code"
	FieldPhone        = "phone"
	FieldWebsite      = "website"
)

// ValidateContactInfo checks every field of the primary contact.
func ValidateContactInfo(c awsops.ContactInfo) FieldErrors {
	var es FieldErrors
	es.add(FieldFullName, ValidateFullName(c.FullName))
	es.add(FieldCompany, ValidateCompanyName(c.CompanyName))
	es.add(FieldAddressLine1, ValidateAddressLine1(c.AddressLine1))
	es.add(FieldAddressLine2, ValidateAddressLineOptional(c.AddressLine2))
	es.add(FieldAddressLine3, ValidateAddressLineOptional(c.AddressLine3))
	es.add(FieldCity, ValidateCity(c.City))
	es.add(FieldState, ValidateState(c.StateOrRegion, c.CountryCode))
	es.add(FieldDistrict, ValidateDistrict(c.DistrictOrCounty))
	es.add(FieldPostalCode, ValidatePostalCode(c.PostalCode))
	es.add(FieldCountryCode, ValidateCountryCode(c.CountryCode))
	es.add(FieldPhone, ValidatePrimaryPhone(c.PhoneNumber))
	es.add(FieldWebsite, ValidateWebsite(c.WebsiteURL))
	return es
}

// Password policy (iam:UpdateAccountPasswordPolicy).

// IntRange is an allowed range for a number field. With Off set, zero is
// also allowed and means the setting is off.
type IntRange struct {
	Min, Max int
	Unit     string // "characters", "passwords", "days"
	Off      string // what 0 means, e.g. "never expire"; "" when 0 is not allowed
}

// AWS's ranges for the password policy's number fields.
var (
	PasswordLengthRange = IntRange{Min: 6, Max: 128, Unit: "characters"}
	PasswordReuseRange  = IntRange{Min: 1, Max: 24, Unit: "passwords", Off: "no reuse prevention"}
	PasswordMaxAgeRange = IntRange{Min: 1, Max: 1095, Unit: "days", Off: "passwords never expire"}
)

// Check validates a number against the range.
func (r IntRange) Check(n int) error {
	if n == 0 && r.Off != "" {
		return nil
	}
	if n < r.Min || n > r.Max {
		if r.Off != "" {
			return fmt.Errorf("must be %d–%d %s, or 0 for %s", r.Min, r.Max, r.Unit, r.Off)
		}
		return fmt.Errorf("must be %d–%d %s", r.Min, r.Max, r.Unit)
	}
	return nil
}

// ValidateInput validates typed text (a form field) as a number in range.
func (r IntRange) ValidateInput(s string) error {
	s = strings.TrimSpace(s)
	if s == "" && r.Off != "" {
		return nil // empty means off
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("must be a whole number (%d–%d)", r.Min, r.Max)
	}
	return r.Check(n)
}

// Password-policy field keys, also the flag names of `fix password-policy`.
const (
	FieldMinLength        = "min-length"
	FieldRequireUppercase = "require-uppercase"
	FieldRequireLowercase = "require-lowercase"
	FieldRequireNumbers   = "require-numbers"
	FieldRequireSymbols   = "require-symbols"
	FieldAllowChange      = "allow-change"
	FieldMaxAge           = "max-age"
	FieldReuse            = "reuse"
	FieldHardExpiry       = "hard-expiry"
)

// ValidatePasswordPolicy checks a policy against AWS's ranges.
func ValidatePasswordPolicy(p awsops.PasswordPolicy) FieldErrors {
	var es FieldErrors
	es.add(FieldMinLength, PasswordLengthRange.Check(p.MinimumLength))
	es.add(FieldReuse, PasswordReuseRange.Check(p.ReusePrevention))
	es.add(FieldMaxAge, PasswordMaxAgeRange.Check(p.MaxAgeDays))
	return es
}
