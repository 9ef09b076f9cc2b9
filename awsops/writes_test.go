package awsops_test

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

func formOf(t *testing.T, reg *awstest.Registry, action string) url.Values {
	t.Helper()
	reqs := reg.Find(awstest.Query(action))
	if len(reqs) != 1 {
		t.Fatalf("%d %s requests, want exactly 1", len(reqs), action)
	}
	return reqs[0].Form()
}

func TestUpdatePasswordPolicySendsEveryField(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("UpdateAccountPasswordPolicy"), awstest.QueryResult(""))
	err := a.UpdatePasswordPolicy(context.Background(), awsops.PasswordPolicy{
		MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		AllowUsersToChange: true, MaxAgeDays: 90, ReusePrevention: 24, HardExpiry: false,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"Action": {"UpdateAccountPasswordPolicy"}, "Version": {"2010-05-08"},
		"MinimumPasswordLength": {"14"}, "RequireUppercaseCharacters": {"true"}, "RequireLowercaseCharacters": {"true"},
		"RequireNumbers": {"true"}, "RequireSymbols": {"true"}, "AllowUsersToChangePassword": {"true"},
		"MaxPasswordAge": {"90"}, "PasswordReusePrevention": {"24"}, "HardExpiry": {"false"},
	}
	if got := formOf(t, reg, "UpdateAccountPasswordPolicy"); !maps.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Fatalf("params = %v\nwant     %v", got, want)
	}
}

func TestUpdatePasswordPolicyOmitsZeroAgeAndReuse(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("UpdateAccountPasswordPolicy"), awstest.QueryResult(""))
	if err := a.UpdatePasswordPolicy(context.Background(), awsops.PasswordPolicy{MinimumLength: 8, RequireSymbols: true}); err != nil {
		t.Fatal(err)
	}
	// false booleans are left out by the SDK's query serializer, which on
	// the wire is the same as false.
	want := url.Values{
		"Action": {"UpdateAccountPasswordPolicy"}, "Version": {"2010-05-08"},
		"MinimumPasswordLength": {"8"}, "RequireSymbols": {"true"}, "HardExpiry": {"false"},
	}
	if got := formOf(t, reg, "UpdateAccountPasswordPolicy"); !maps.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Fatalf("params = %v\nwant     %v", got, want)
	}
}

func TestUpdatePasswordPolicyDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.Query("UpdateAccountPasswordPolicy"), awstest.AWSError(403, "AccessDenied", "no"))
	err := a.UpdatePasswordPolicy(context.Background(), awsops.PasswordPolicy{MinimumLength: 14})
	wantKind(t, err, awsops.KindAccessDenied, "iam:UpdateAccountPasswordPolicy")
}

func jsonOf(t *testing.T, reg *awstest.Registry, m awstest.Matcher) map[string]any {
	t.Helper()
	reqs := reg.Find(m)
	if len(reqs) != 1 {
		t.Fatalf("%d requests for %s, want exactly 1", len(reqs), m)
	}
	var body map[string]any
	if err := reqs[0].JSON(&body); err != nil {
		t.Fatal(err)
	}
	return body
}

func TestPutAlternateContact(t *testing.T) {
	a, reg := newAWS(t)
	put := awstest.REST("POST", "/putAlternateContact")
	reg.Register(put, awstest.JSON(200, ``))
	err := a.PutAlternateContact(context.Background(), awsops.AlternateContact{
		Type: awsops.ContactSecurity, Name: "Sam Sec", Title: "CISO", Email: "sec@example.com", Phone: "+1 555 0100",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"AlternateContactType": "SECURITY", "Name": "Sam Sec", "Title": "CISO",
		"EmailAddress": "sec@example.com", "PhoneNumber": "+1 555 0100"}
	if got := jsonOf(t, reg, put); !maps.Equal(got, want) {
		t.Fatalf("body = %v\nwant   %v", got, want)
	}
	if n := len(reg.Requests()); n != 1 {
		t.Fatalf("%d requests; one write expected", n)
	}
}

func TestPutContactInformation(t *testing.T) {
	a, reg := newAWS(t)
	put := awstest.REST("POST", "/putContactInformation")
	reg.Register(put, awstest.JSON(200, ``))
	err := a.PutContactInformation(context.Background(), awsops.ContactInfo{
		FullName: "Ada Admin", AddressLine1: "1 Main St", City: "Springfield", StateOrRegion: "IL",
		PostalCode: "62701", CountryCode: "US", PhoneNumber: "+15550100",
	})
	if err != nil {
		t.Fatal(err)
	}
	body := jsonOf(t, reg, put)
	if len(body) != 1 {
		t.Fatalf("body must hold only ContactInformation (no AccountId): %v", body)
	}
	info, _ := body["ContactInformation"].(map[string]any)
	want := map[string]any{"FullName": "Ada Admin", "AddressLine1": "1 Main St", "City": "Springfield", "StateOrRegion": "IL",
		"PostalCode": "62701", "CountryCode": "US", "PhoneNumber": "+15550100"}
	if !maps.Equal(info, want) {
		t.Fatalf("ContactInformation = %v\nwant                 %v", info, want)
	}
}

func TestPutContactInformationValidationError(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("POST", "/putContactInformation"), awstest.AWSError(400, "ValidationException", "Invalid phone number"))
	err := a.PutContactInformation(context.Background(), awsops.ContactInfo{FullName: "x", AddressLine1: "x", City: "x",
		PostalCode: "1", CountryCode: "US", PhoneNumber: "+1"})
	wantKind(t, err, awsops.KindOther, "account:PutContactInformation")
	if got := err.Error(); got != "account:PutContactInformation: ValidationException: Invalid phone number" {
		t.Fatalf("message = %q", got)
	}
}
