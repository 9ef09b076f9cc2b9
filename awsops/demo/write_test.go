package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

func TestUpdatePasswordPolicy(t *testing.T) {
	good := recommendedPasswordPolicy()
	tests := []struct {
		name    string
		edit    func(p *awsops.PasswordPolicy)
		problem string // "" = accepted
	}{
		{"recommended", func(*awsops.PasswordPolicy) {}, ""},
		{"shortest length", func(p *awsops.PasswordPolicy) { p.MinimumLength = 6 }, ""},
		{"longest length", func(p *awsops.PasswordPolicy) { p.MinimumLength = 128 }, ""},
		{"length too short", func(p *awsops.PasswordPolicy) { p.MinimumLength = 5 }, "'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"length unset", func(p *awsops.PasswordPolicy) { p.MinimumLength = 0 }, "minimumPasswordLength"},
		{"length too long", func(p *awsops.PasswordPolicy) { p.MinimumLength = 129 }, "less than or equal to 128"},
		{"reuse off", func(p *awsops.PasswordPolicy) { p.ReusePrevention = 0 }, ""},
		{"reuse 1", func(p *awsops.PasswordPolicy) { p.ReusePrevention = 1 }, ""},
		{"reuse 25", func(p *awsops.PasswordPolicy) { p.ReusePrevention = 25 }, "passwordReusePrevention"},
		{"reuse negative", func(p *awsops.PasswordPolicy) { p.ReusePrevention = -1 }, "passwordReusePrevention"},
		{"expiry 90", func(p *awsops.PasswordPolicy) { p.MaxAgeDays = 90 }, ""},
		{"expiry 1095", func(p *awsops.PasswordPolicy) { p.MaxAgeDays = 1095 }, ""},
		{"expiry 1096", func(p *awsops.PasswordPolicy) { p.MaxAgeDays = 1096 }, "maxPasswordAge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, Options{})
			p := good
			tt.edit(&p)
			err := a.UpdatePasswordPolicy(context.Background(), p)
			got, rerr := a.PasswordPolicy(context.Background())
			must(t, rerr)
			if tt.problem == "" {
				must(t, err)
				if got == nil || *got != p {
					t.Errorf("policy = %+v, want %+v", got, p)
				}
				return
			}
			assertValidation(t, err, "ValidationError", "iam:UpdateAccountPasswordPolicy", tt.problem)
			if got != nil {
				t.Errorf("rejected policy was stored: %+v", got)
			}
		})
	}
}

func TestUpdatePasswordPolicyReplacesEveryField(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	must(t, a.UpdatePasswordPolicy(ctx, recommendedPasswordPolicy()))
	weaker := awsops.PasswordPolicy{MinimumLength: 8}
	must(t, a.UpdatePasswordPolicy(ctx, weaker))
	got, err := a.PasswordPolicy(ctx)
	must(t, err)
	if *got != weaker {
		t.Errorf("policy = %+v, want exactly %+v (omitted fields reset)", got, weaker)
	}
	want := []string{
		"UpdatePasswordPolicy MinimumLength=14 RequireUppercase=true RequireLowercase=true RequireNumbers=true RequireSymbols=true AllowUsersToChange=true MaxAgeDays=0 ReusePrevention=24 HardExpiry=false",
		"UpdatePasswordPolicy MinimumLength=8 RequireUppercase=false RequireLowercase=false RequireNumbers=false RequireSymbols=false AllowUsersToChange=false MaxAgeDays=0 ReusePrevention=0 HardExpiry=false",
	}
	if w := a.Writes(); !slices.Equal(w, want) {
		t.Errorf("Writes() = %q\nwant %q", w, want)
	}
}

func TestPutAlternateContact(t *testing.T) {
	good := awsops.AlternateContact{Type: awsops.ContactSecurity, Name: "Dana Whitfield", Title: "Security Lead",
		Email: "security@acme.example", Phone: "+1 (206) 555-0142"}
	tests := []struct {
		name    string
		edit    func(c *awsops.AlternateContact)
		problem string
	}{
		{"valid", func(*awsops.AlternateContact) {}, ""},
		{"plus address", func(c *awsops.AlternateContact) { c.Email = "aws+security@acme.example" }, ""},
		{"name 64", func(c *awsops.AlternateContact) { c.Name = strings.Repeat("n", 64) }, ""},
		{"name 65", func(c *awsops.AlternateContact) { c.Name = strings.Repeat("n", 65) }, "'name' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"name 64 runes", func(c *awsops.AlternateContact) { c.Name = strings.Repeat("é", 64) }, ""},
		{"no name", func(c *awsops.AlternateContact) { c.Name = "" }, "'name' failed to satisfy constraint: Member must not be null"},
		{"title 51", func(c *awsops.AlternateContact) { c.Title = strings.Repeat("t", 51) }, "'title'"},
		{"no title", func(c *awsops.AlternateContact) { c.Title = "" }, "'title'"},
		{"email without @", func(c *awsops.AlternateContact) { c.Email = "security.acme.example" }, "'emailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"email without domain dot", func(c *awsops.AlternateContact) { c.Email = "security@localhost" }, "'emailAddress'"},
		{"email too long", func(c *awsops.AlternateContact) { c.Email = strings.Repeat("a", 250) + "@x.io" }, "less than or equal to 254"},
		{"phone letters", func(c *awsops.AlternateContact) { c.Phone = "call me" }, "'phoneNumber'"},
		{"phone 26", func(c *awsops.AlternateContact) { c.Phone = strings.Repeat("1", 26) }, "'phoneNumber'"},
		{"bad type", func(c *awsops.AlternateContact) { c.Type = "PERSONAL" }, "enum value set"},
		{"no type", func(c *awsops.AlternateContact) { c.Type = "" }, "'alternateContactType'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, Options{})
			c := good
			tt.edit(&c)
			err := a.PutAlternateContact(context.Background(), c)
			got, rerr := a.AlternateContact(context.Background(), awsops.ContactSecurity)
			must(t, rerr)
			if tt.problem == "" {
				must(t, err)
				if got == nil || *got != c {
					t.Errorf("contact = %+v, want %+v", got, c)
				}
				return
			}
			assertValidation(t, err, "ValidationException", "account:PutAlternateContact", tt.problem)
			if got != nil {
				t.Errorf("rejected contact was stored: %+v", got)
			}
		})
	}
}

func TestPutAlternateContactNeverLogsPersonalData(t *testing.T) {
	a := newTest(t, Options{})
	c := demoContacts[2]
	must(t, a.PutAlternateContact(context.Background(), c))
	w := a.Writes()
	if !slices.Equal(w, []string{"PutAlternateContact Type=OPERATIONS"}) {
		t.Errorf("Writes() = %q", w)
	}
	for _, s := range []string{c.Name, c.Email, c.Phone} {
		if strings.Contains(strings.Join(w, "\n"), s) {
			t.Errorf("write log holds %q", s)
		}
	}
	bad := c
	bad.Email = "nope"
	err := a.PutAlternateContact(context.Background(), bad)
	if strings.Contains(err.Error(), "nope") {
		t.Errorf("error echoes the sensitive value: %v", err)
	}
	if w := a.Writes(); w[1] != "PutAlternateContact Type=OPERATIONS (error: other ValidationException)" {
		t.Errorf("Writes()[1] = %q", w[1])
	}
}

func TestPutContactInformation(t *testing.T) {
	good := awsops.ContactInfo{FullName: "Jordan Lee", AddressLine1: "1200 Harbor Avenue SW", City: "Seattle",
		StateOrRegion: "WA", PostalCode: "98126", CountryCode: "US", PhoneNumber: "+1 206 555 0100",
		CompanyName: "Acme Widgets LLC"}
	tests := []struct {
		name    string
		edit    func(c *awsops.ContactInfo)
		problem string
	}{
		{"valid", func(*awsops.ContactInfo) {}, ""},
		{"no state outside the listed countries", func(c *awsops.ContactInfo) {
			c.CountryCode, c.StateOrRegion, c.PhoneNumber = "NL", "", "+31 20 555 0100"
		}, ""},
		{"no full name", func(c *awsops.ContactInfo) { c.FullName = "" }, "'contactInformation.fullName' failed to satisfy constraint: Member must not be null"},
		{"full name 51", func(c *awsops.ContactInfo) { c.FullName = strings.Repeat("f", 51) }, "fullName"},
		{"no address", func(c *awsops.ContactInfo) { c.AddressLine1 = "" }, "addressLine1"},
		{"address line 2 too long", func(c *awsops.ContactInfo) { c.AddressLine2 = strings.Repeat("a", 61) }, "addressLine2"},
		{"no city", func(c *awsops.ContactInfo) { c.City = "" }, "city"},
		{"no postal code", func(c *awsops.ContactInfo) { c.PostalCode = "" }, "postalCode"},
		{"US without state", func(c *awsops.ContactInfo) { c.StateOrRegion = "" }, "stateOrRegion"},
		{"country of three letters", func(c *awsops.ContactInfo) { c.CountryCode = "USA" }, "countryCode"},
		{"country lower case", func(c *awsops.ContactInfo) { c.CountryCode = "us" }, "countryCode"},
		{"phone without plus", func(c *awsops.ContactInfo) { c.PhoneNumber = "206 555 0100" }, "'contactInformation.phoneNumber' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"phone 21", func(c *awsops.ContactInfo) { c.PhoneNumber = "+" + strings.Repeat("1", 20) }, "phoneNumber"},
		{"company 51", func(c *awsops.ContactInfo) { c.CompanyName = strings.Repeat("c", 51) }, "companyName"},
		{"two problems", func(c *awsops.ContactInfo) { c.City, c.PostalCode = "", "" }, "2 validation errors detected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, Options{})
			c := good
			tt.edit(&c)
			err := a.PutContactInformation(context.Background(), c)
			got, rerr := a.ContactInformation(context.Background())
			must(t, rerr)
			if tt.problem == "" {
				must(t, err)
				if *got != c {
					t.Errorf("contact = %+v, want %+v", got, c)
				}
				return
			}
			assertValidation(t, err, "ValidationException", "account:PutContactInformation", tt.problem)
			if *got != *startingState(testNow).contact {
				t.Errorf("rejected contact replaced the old one: %+v", got)
			}
		})
	}
}

func assertValidation(t *testing.T, err error, code, permission, problem string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted, want a validation error")
	}
	if awsops.KindOf(err) != awsops.KindOther || errorCode(err) != code || awsops.PermissionOf(err) != permission {
		t.Errorf("err = %v (kind %s, code %q, permission %q), want kind other, code %s, permission %s",
			err, awsops.KindOf(err), errorCode(err), awsops.PermissionOf(err), code, permission)
	}
	if !strings.Contains(err.Error(), problem) {
		t.Errorf("err = %q, want it to mention %q", err, problem)
	}
}
