package demo

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rootguard/rootguard/awsops"
)

// UpdatePasswordPolicy replaces the whole policy, as AWS does, after
// checking every field's range (IAM answers a bad value with
// ValidationError).
func (a *Account) UpdatePasswordPolicy(ctx context.Context, p awsops.PasswordPolicy) error {
	params := fmt.Sprintf("MinimumLength=%d RequireUppercase=%t RequireLowercase=%t RequireNumbers=%t RequireSymbols=%t AllowUsersToChange=%t MaxAgeDays=%d ReusePrevention=%d HardExpiry=%t",
		p.MinimumLength, p.RequireUppercase, p.RequireLowercase, p.RequireNumbers, p.RequireSymbols,
		p.AllowUsersToChange, p.MaxAgeDays, p.ReusePrevention, p.HardExpiry)
	return a.write(ctx, "UpdatePasswordPolicy", params, func(st *state) error {
		if err := validatePasswordPolicy(p); err != nil {
			return err
		}
		st.passwordPolicy = &p
		return nil
	})
}

func validatePasswordPolicy(p awsops.PasswordPolicy) error {
	var problems []string
	problems = intRange(problems, "minimumPasswordLength", p.MinimumLength, 6, 128, false)
	problems = intRange(problems, "maxPasswordAge", p.MaxAgeDays, 1, 1095, true)
	problems = intRange(problems, "passwordReusePrevention", p.ReusePrevention, 1, 24, true)
	return validationError("UpdatePasswordPolicy", "ValidationError", problems)
}

// intRange checks lo <= v <= hi; with zeroOff, 0 means "off" and passes.
func intRange(problems []string, field string, v, lo, hi int, zeroOff bool) []string {
	switch {
	case zeroOff && v == 0:
	case v < lo:
		problems = append(problems, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", v, field, lo))
	case v > hi:
		problems = append(problems, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", v, field, hi))
	}
	return problems
}

var (
	emailPattern          = regexp.MustCompile(`^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$`)
	alternatePhonePattern = regexp.MustCompile(`^[\s0-9()+-]+$`)
	contactPhonePattern   = regexp.MustCompile(`^[+][\s0-9()-]+$`)
	countryCodePattern    = regexp.MustCompile(`^[A-Z]{2}$`)
)

// PutAlternateContact sets one alternate contact (all fields required).
func (a *Account) PutAlternateContact(ctx context.Context, c awsops.AlternateContact) error {
	return a.write(ctx, "PutAlternateContact", "Type="+string(c.Type), func(st *state) error {
		if err := validateAlternateContact(c); err != nil {
			return err
		}
		st.alternate[c.Type] = c
		return nil
	})
}

func validateAlternateContact(c awsops.AlternateContact) error {
	var problems []string
	switch c.Type {
	case awsops.ContactSecurity, awsops.ContactBilling, awsops.ContactOperations:
	case "":
		problems = append(problems, "Value at 'alternateContactType' failed to satisfy constraint: Member must not be null")
	default:
		problems = append(problems, fmt.Sprintf("Value '%s' at 'alternateContactType' failed to satisfy constraint: Member must satisfy enum value set: [SECURITY, BILLING, OPERATIONS]", c.Type))
	}
	problems = text(problems, "name", c.Name, true, 64, nil)
	problems = text(problems, "title", c.Title, true, 50, nil)
	problems = text(problems, "emailAddress", c.Email, true, 254, emailPattern)
	problems = text(problems, "phoneNumber", c.Phone, true, 25, alternatePhonePattern)
	return validationError("PutAlternateContact", "ValidationException", problems)
}

// statesRequired lists the countries whose addresses need StateOrRegion.
var statesRequired = map[string]bool{"US": true, "CA": true, "GB": true, "DE": true, "JP": true, "IN": true, "BR": true}

// PutContactInformation replaces the primary contact.
func (a *Account) PutContactInformation(ctx context.Context, c awsops.ContactInfo) error {
	return a.write(ctx, "PutContactInformation", "CountryCode="+c.CountryCode, func(st *state) error {
		if err := validateContactInfo(c); err != nil {
			return err
		}
		st.contact = &c
		return nil
	})
}

func validateContactInfo(c awsops.ContactInfo) error {
	const p = "contactInformation."
	var problems []string
	problems = text(problems, p+"fullName", c.FullName, true, 50, nil)
	problems = text(problems, p+"companyName", c.CompanyName, false, 50, nil)
	problems = text(problems, p+"addressLine1", c.AddressLine1, true, 60, nil)
	problems = text(problems, p+"addressLine2", c.AddressLine2, false, 60, nil)
	problems = text(problems, p+"addressLine3", c.AddressLine3, false, 60, nil)
	problems = text(problems, p+"city", c.City, true, 50, nil)
	problems = text(problems, p+"stateOrRegion", c.StateOrRegion, statesRequired[c.CountryCode], 50, nil)
	problems = text(problems, p+"districtOrCounty", c.DistrictOrCounty, false, 50, nil)
	problems = text(problems, p+"postalCode", c.PostalCode, true, 20, nil)
	problems = text(problems, p+"countryCode", c.CountryCode, true, 2, countryCodePattern)
	problems = text(problems, p+"phoneNumber", c.PhoneNumber, true, 20, contactPhonePattern)
	problems = text(problems, p+"websiteUrl", c.WebsiteURL, false, 256, nil)
	return validationError("PutContactInformation", "ValidationException", problems)
}

// text checks one string field. Values are never echoed: AWS marks these
// fields sensitive.
func text(problems []string, field, v string, required bool, max int, pattern *regexp.Regexp) []string {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && required:
		return append(problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must not be null", field))
	case n == 0:
		return problems
	case n > max:
		return append(problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, max))
	case pattern != nil && !pattern.MatchString(v):
		return append(problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", field, strings.Trim(pattern.String(), "^$")))
	}
	return problems
}

// validationError is AWS's answer to bad input: nil when there are no
// problems.
func validationError(op, code string, problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	noun := "error"
	if len(problems) > 1 {
		noun = "errors"
	}
	return &awsops.Error{
		Kind:       awsops.KindOther,
		Permission: permissions[op],
		Code:       code,
		Message:    fmt.Sprintf("%d validation %s detected: %s", len(problems), noun, strings.Join(problems, "; ")),
	}
}
