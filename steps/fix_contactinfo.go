package steps

import (
	"context"

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
		write: func(ctx context.Context, w awsops.Writer) error {
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
