package steps

import (
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

func TestValidateEmail(t *testing.T) {
	for _, ok := range []string{"a@b.co", "security+aws@example.com", "first.last@sub.example.org",
		"x_y=z#1|2!&-@ex-ample.io", strings.Repeat("a", 240) + "@example.com"} {
		if err := ValidateEmail(ok); err != nil {
			t.Errorf("ValidateEmail(%q) = %v, want ok", ok, err)
		}
	}
	for _, tc := range []struct{ in, msg string }{
		{"", "is required"},
		{"plainaddress", "must be an email address"},
		{"a@b", "must be an email address"},
		{"a@b.c", "end in letters"},
		{"a@b.c0m", "end in letters"},
		{".a@b.com", "dots"},
		{"a..b@b.com", "dots"},
		{"a@-b.com", "valid domain"},
		{"a@b..com", "valid domain"},
		{"a b@c.com", "must be an email address"},
		{"a@b.com\n", "control characters"},
		{"ä@b.com", "must be an email address"},
		{strings.Repeat("a", 250) + "@example.com", "1–254 characters"},
	} {
		err := ValidateEmail(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ValidateEmail(%q) = %v, want %q", tc.in, err, tc.msg)
		}
	}
}

func TestValidateAlternateContactFields(t *testing.T) {
	c := awsops.AlternateContact{Type: awsops.ContactBilling, Name: "Bo", Title: "CFO", Email: "bo@example.com", Phone: "(206) 555-0100"}
	if es := ValidateAlternateContact(c); len(es) != 0 {
		t.Fatalf("valid contact rejected: %v", es)
	}
	bad := awsops.AlternateContact{Type: awsops.ContactBilling, Name: strings.Repeat("n", 65), Title: "",
		Email: "bo", Phone: "call me"}
	es := ValidateAlternateContact(bad)
	want := map[string]string{
		"billing-name":  "1–64 characters (this is 65)",
		"billing-title": "is required",
		"billing-email": "email address",
		"billing-phone": "only digits, spaces and ( ) + -",
	}
	if len(es) != len(want) {
		t.Fatalf("errors = %v", es)
	}
	for _, e := range es {
		if !strings.Contains(e.Message, want[e.Field]) {
			t.Errorf("%s: %q, want %q", e.Field, e.Message, want[e.Field])
		}
	}
	if es.Err() == nil || !strings.Contains(es.Error(), "billing-title: is required") {
		t.Errorf("Error() = %q", es.Error())
	}
	if FieldErrors(nil).Err() != nil {
		t.Error("no errors must be a nil error")
	}
	if es := ValidateAlternateContact(awsops.AlternateContact{Type: "FINANCE"}); len(es) != 1 || es[0].Field != "type" {
		t.Errorf("unknown type: %v", es)
	}
	for _, tc := range []struct{ in, msg string }{
		{"+1 (206) 555-0100", ""},
		{"()+- ", "must contain digits"},
		{strings.Repeat("1", 26), "1–25"},
		{"1\t2", "control characters"},
	} {
		err := ValidateContactPhone(tc.in)
		if (tc.msg == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.msg)) {
			t.Errorf("ValidateContactPhone(%q) = %v, want %q", tc.in, err, tc.msg)
		}
	}
	if ValidateContactTitle(strings.Repeat("é", 50)) != nil || ValidateContactTitle(strings.Repeat("é", 51)) == nil {
		t.Error("title length counts characters, not bytes")
	}
	if ValidateContactName("\xff") == nil {
		t.Error("invalid UTF-8 must be rejected")
	}
}

func TestValidateContactInfo(t *testing.T) {
	if es := ValidateContactInfo(validContactInfo()); len(es) != 0 {
		t.Fatalf("valid info rejected: %v", es)
	}
	fr := awsops.ContactInfo{FullName: "Léa", AddressLine1: "1 rue X", City: "Paris", PostalCode: "75001", CountryCode: "FR", PhoneNumber: "+33 1 23 45 67 89"}
	if es := ValidateContactInfo(fr); len(es) != 0 {
		t.Errorf("France needs no state: %v", es)
	}
	es := ValidateContactInfo(awsops.ContactInfo{CountryCode: "us", PhoneNumber: "206 555 0100", WebsiteURL: "http://a b"})
	got := map[string]string{}
	for _, e := range es {
		got[e.Field] = e.Message
	}
	for field, msg := range map[string]string{
		FieldFullName: "is required", FieldAddressLine1: "is required", FieldCity: "is required",
		FieldPostalCode: "is required", FieldCountryCode: "two-letter country code", FieldPhone: "must start with +",
		FieldWebsite: "spaces", FieldState: "is required for country US",
	} {
		if !strings.Contains(got[field], msg) {
			t.Errorf("%s: %q, want %q", field, got[field], msg)
		}
	}
	if _, ok := got[FieldCompany]; ok {
		t.Error("company is optional")
	}
	if ValidatePrimaryPhone("+1 206 555 0100 ext") == nil || ValidatePrimaryPhone("+") == nil || ValidatePrimaryPhone("+"+strings.Repeat("1", 20)) == nil {
		t.Error("primary phone rules")
	}
	for _, cc := range []string{"US", "CA", "GB", "DE", "JP", "IN", "BR", "br"} {
		if !StateRequired(cc) {
			t.Errorf("StateRequired(%s) = false", cc)
		}
	}
	n := NormalizeContactInfo(awsops.ContactInfo{FullName: "  Ana ", CountryCode: " gb"})
	if n.FullName != "Ana" || n.CountryCode != "GB" {
		t.Errorf("normalized %+v", n)
	}
}

func TestValidatePasswordPolicyRanges(t *testing.T) {
	p := PasswordPresetRecommended
	p.MinimumLength, p.ReusePrevention, p.MaxAgeDays = 5, 25, 1096
	es := ValidatePasswordPolicy(p)
	got := map[string]string{}
	for _, e := range es {
		got[e.Field] = e.Message
	}
	if got[FieldMinLength] != "must be 6–128 characters" ||
		got[FieldReuse] != "must be 1–24 passwords, or 0 for no reuse prevention" ||
		got[FieldMaxAge] != "must be 1–1095 days, or 0 for passwords never expire" {
		t.Errorf("errors = %v", es)
	}
	p.MinimumLength, p.ReusePrevention, p.MaxAgeDays = 128, 0, 1095
	if es := ValidatePasswordPolicy(p); len(es) != 0 {
		t.Errorf("edges rejected: %v", es)
	}
	for _, tc := range []struct {
		r   IntRange
		in  string
		bad bool
	}{
		{PasswordLengthRange, "6", false}, {PasswordLengthRange, "", true}, {PasswordLengthRange, "0", true},
		{PasswordLengthRange, "abc", true}, {PasswordLengthRange, " 14 ", false},
		{PasswordMaxAgeRange, "", false}, {PasswordMaxAgeRange, "0", false}, {PasswordMaxAgeRange, "-1", true},
		{PasswordReuseRange, "24", false}, {PasswordReuseRange, "99999999999999999999", true},
	} {
		if err := tc.r.ValidateInput(tc.in); (err != nil) != tc.bad {
			t.Errorf("%+v.ValidateInput(%q) = %v", tc.r, tc.in, err)
		}
	}
}
