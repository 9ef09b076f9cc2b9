package steps

import (
	"context"
	"errors"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// contactInfoField is one field of the primary contact.
type contactInfoField struct {
	key, label, param string
	get               func(*awsops.ContactInfo) *string
}

var contactInfoFields = []contactInfoField{
	{FieldFullName, "Full name", "FullName", func(c *awsops.ContactInfo) *string { return &c.FullName }},
	{FieldCompany, "Company", "CompanyName", func(c *awsops.ContactInfo) *string { return &c.CompanyName }},
	{FieldAddressLine1, "Address line 1", "AddressLine1", func(c *awsops.ContactInfo) *string { return &c.AddressLine1 }},
	{FieldAddressLine2, "Address line 2", "AddressLine2", func(c *awsops.ContactInfo) *string { return &c.AddressLine2 }},
	{FieldAddressLine3, "Address line 3", "AddressLine3", func(c *awsops.ContactInfo) *string { return &c.AddressLine3 }},
	{FieldCity, "City", "City", func(c *awsops.ContactInfo) *string { return &c.City }},
	{FieldState, "State or region", "StateOrRegion", func(c *awsops.ContactInfo) *string { return &c.StateOrRegion }},
	{FieldDistrict, "District or county", "DistrictOrCounty", func(c *awsops.ContactInfo) *string { return &c.DistrictOrCounty }},
	{FieldPostalCode, "Postal code", "PostalCode", func(c *awsops.ContactInfo) *string { return &c.PostalCode }},
	{FieldCountryCode, "Country code", "CountryCode", func(c *awsops.ContactInfo) *string { return &c.CountryCode }},
	{FieldPhone, "Phone", "PhoneNumber", func(c *awsops.ContactInfo) *string { return &c.PhoneNumber }},
	{FieldWebsite, "Website", "WebsiteUrl", func(c *awsops.ContactInfo) *string { return &c.WebsiteURL }},
}

// ContactInfoField returns a pointer to the field of c with the given key
// (FieldFullName…), so forms and flags can fill fields by key; nil for an
// unknown key.
func ContactInfoField(c *awsops.ContactInfo, key string) *string {
	for _, f := range contactInfoFields {
		if f.key == key {
			return f.get(c)
		}
	}
	return nil
}

// ContactInfoKeys lists the contact-information field keys in form order,
// with their labels.
func ContactInfoKeys() []Evidence {
	out := make([]Evidence, len(contactInfoFields))
	for i, f := range contactInfoFields {
		out[i] = Evidence{Key: f.key, Value: f.label}
	}
	return out
}

// PlanContactInfo plans writing the primary contact. PutContactInformation
// replaces the whole record, so want must be complete: start it from the
// current values (nil when none is on file) and change fields. An optional
// field left empty is cleared. Validate want first (ValidateContactInfo).
func PlanContactInfo(current *awsops.ContactInfo, want awsops.ContactInfo) Plan {
	p := Plan{ItemID: FixContactInfo, Title: "Set the account's primary contact details"}
	want = NormalizeContactInfo(want)
	var cur awsops.ContactInfo
	if current != nil {
		cur = NormalizeContactInfo(*current)
	}
	if current != nil && cur == want {
		p.NoOp = true
		return p
	}
	var params []Evidence
	for _, f := range contactInfoFields {
		c, w := *f.get(&cur), *f.get(&want)
		if w != "" {
			params = append(params, Evidence{Key: "ContactInformation." + f.param, Value: w})
		}
		if current != nil && c == w {
			continue
		}
		if current == nil && w == "" {
			continue
		}
		from := shown(c)
		if current == nil {
			from = shownNotSet
		}
		p.Changes = append(p.Changes, Change{Field: f.label, Current: from, Proposed: shown(w)})
		if current != nil && c != "" && w == "" {
			p.Warnings = append(p.Warnings, f.label+" will be cleared (it is \""+c+"\" now).")
		}
	}
	p.Calls = []Call{{
		API:    "account:PutContactInformation",
		Label:  "contact information",
		Params: params,
		write: func(ctx context.Context, w awsops.Writer, _ Outputs) error {
			return w.PutContactInformation(ctx, want)
		},
	}}
	return p
}

// CurrentContactInfo reads the primary contact for a plan: nil when none is
// on file.
func CurrentContactInfo(ctx context.Context, f *Facts) (*awsops.ContactInfo, error) {
	c, err := f.ContactInformation(ctx)
	if awsops.KindOf(err) == awsops.KindNotFound {
		return nil, nil
	}
	return c, err
}

// contactInfoForm describes every contact-information field: limit,
// validator, placeholder and page.
var contactInfoInputs = map[string]struct {
	limit       int
	validate    func(s string, all Values) error
	placeholder string
	help        string
}{
	FieldFullName:     {50, plainRule(ValidateFullName), "", "full name (1–50)"},
	FieldCompany:      {50, plainRule(ValidateCompanyName), "", "company name (optional)"},
	FieldPhone:        {20, plainRule(ValidatePrimaryPhone), "+1 206 555 0100", "phone starting with + and the country code, e.g. +1 206 555 0100"},
	FieldWebsite:      {256, plainRule(ValidateWebsite), "", "website URL (optional)"},
	FieldAddressLine1: {60, plainRule(ValidateAddressLine1), "", "address line 1 (1–60)"},
	FieldAddressLine2: {60, plainRule(ValidateAddressLineOptional), "", "address line 2 (optional; \"\" clears it)"},
	FieldAddressLine3: {60, plainRule(ValidateAddressLineOptional), "", "address line 3 (optional; \"\" clears it)"},
	FieldCity:         {50, plainRule(ValidateCity), "", "city (1–50)"},
	FieldDistrict:     {50, plainRule(ValidateDistrict), "", "district or county (optional)"},
	FieldCountryCode: {2, func(s string, _ Values) error { return ValidateCountryCode(strings.ToUpper(strings.TrimSpace(s))) },
		"US", "two-letter country code (ISO 3166), e.g. US"},
	FieldState: {50, func(s string, all Values) error {
		return ValidateState(strings.TrimSpace(s), strings.ToUpper(strings.TrimSpace(all[FieldCountryCode])))
	}, "", "state or region (required for US, CA, GB, DE, JP, IN, BR)"},
	FieldPostalCode: {20, plainRule(ValidatePostalCode), "", "postal code (1–20)"},
}

// plainRule adapts a one-value validator (trimming the value first).
func plainRule(validate func(string) error) func(string, Values) error {
	return func(s string, _ Values) error { return validate(strings.TrimSpace(s)) }
}

// contactInfoFix sets the account's primary contact details.
func contactInfoFix() Fix {
	return NewFix(FixDef[*awsops.ContactInfo]{
		ID:      FixContactInfo,
		Title:   "Set the account's primary contact details",
		Summary: "set the account's primary contact details",
		Intro:   "Ask you for the primary contact (full name, address, phone starting with +) and save it with PutContactInformation.",
		Reads:   "the current contact information",
		Writes:  []string{"account:PutContactInformation"},
		Load:    CurrentContactInfo,
		Form:    contactInfoFormGroups,
		Check:   checkContactInfoInput,
		Plan:    planContactInfoInput,
	})
}

func contactInfoFormGroups(cur **awsops.ContactInfo) []Group {
	var c awsops.ContactInfo
	from := "Pre-filled from the current contact details. AWS replaces the whole record, so every field is sent."
	switch {
	case cur == nil:
		from = ""
	case *cur == nil:
		from = "There are no contact details on file yet."
	default:
		c = **cur
	}
	labels := map[string]string{
		FieldCompany: "Company (optional)", FieldWebsite: "Website (optional)", FieldDistrict: "District/county",
		FieldCountryCode: "Country code", FieldState: "State/region",
	}
	field := func(key string) Field {
		spec := contactInfoInputs[key]
		label := labels[key]
		if label == "" {
			for _, f := range contactInfoFields {
				if f.key == key {
					label = f.label
				}
			}
		}
		return Field{Key: key, Kind: FieldText, Label: label, Help: spec.help, Limit: spec.limit,
			Placeholder: spec.placeholder, Default: *ContactInfoField(&c, key), Validate: spec.validate}
	}
	page := func(keys ...string) []Field {
		out := make([]Field, len(keys))
		for i, k := range keys {
			out[i] = field(k)
		}
		return out
	}
	return []Group{
		{Title: "Primary contact (1 of 3)", Help: from, Fields: page(FieldFullName, FieldCompany, FieldPhone, FieldWebsite)},
		{Title: "Address (2 of 3)", Fields: page(FieldAddressLine1, FieldAddressLine2, FieldAddressLine3, FieldCity, FieldDistrict)},
		{Title: "Country (3 of 3)", Help: "Two-letter country code (US, DE, JP…). A state or region is required for US, CA, GB, DE, JP, IN and BR.",
			Fields: page(FieldCountryCode, FieldState, FieldPostalCode)},
	}
}

func contactInfoKeyList() []string {
	keys := make([]string, len(contactInfoFields))
	for i, f := range contactInfoFields {
		keys[i] = f.key
	}
	return keys
}

func checkContactInfoInput(in Input) error {
	if !in.AnyGiven(contactInfoKeyList()...) {
		return errors.New("give the contact details to set, e.g. --full-name … --phone +…; fields you leave out keep their current values")
	}
	var given awsops.ContactInfo
	for _, k := range contactInfoKeyList() {
		if in.Given[k] {
			*ContactInfoField(&given, k) = in.Values[k]
		}
	}
	var es FieldErrors
	for _, fe := range ValidateContactInfo(NormalizeContactInfo(given)) {
		// Only the given fields here; the state rule needs the final country.
		if in.Given[fe.Field] && fe.Field != FieldState {
			es = append(es, fe)
		}
	}
	return es.Err()
}

func planContactInfoInput(cur *awsops.ContactInfo, in Input) (Plan, error) {
	if err := checkContactInfoInput(in); err != nil {
		return Plan{}, err
	}
	var want awsops.ContactInfo
	if cur != nil {
		want = *cur
	}
	for _, k := range contactInfoKeyList() {
		if in.Given[k] {
			*ContactInfoField(&want, k) = in.Values[k]
		}
	}
	want = NormalizeContactInfo(want)
	if es := ValidateContactInfo(want); len(es) > 0 {
		if cur == nil {
			es = append(es, FieldError{Message: "no contact information is on file yet, so every required field must be given"})
		}
		return Plan{}, es
	}
	// PutContactInformation replaces the whole record: the fields left out
	// are sent again with their current values. Say which.
	var kept []Evidence
	for _, f := range contactInfoFields {
		if v := *f.get(&want); !in.Given[f.key] && v != "" {
			kept = append(kept, Evidence{Key: f.label, Value: v})
		}
	}
	p := PlanContactInfo(cur, want)
	p.Kept = kept
	return p, nil
}
