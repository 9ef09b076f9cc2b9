package awsops_test

import (
	"context"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

func TestAlternateContactSet(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.And(awstest.REST("POST", "/getAlternateContact"), awstest.JSONField("AlternateContactType", "SECURITY")),
		awstest.JSON(200, `{"AlternateContact":{"AlternateContactType":"SECURITY","EmailAddress":"sec@example.com",
			"Name":"Sam Sec","PhoneNumber":"+1 555 0100","Title":"CISO"}}`))
	c, err := a.AlternateContact(context.Background(), awsops.ContactSecurity)
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.AlternateContact{Type: awsops.ContactSecurity, Name: "Sam Sec", Title: "CISO", Email: "sec@example.com", Phone: "+1 555 0100"}
	if c == nil || *c != want {
		t.Fatalf("contact = %+v", c)
	}
	var body map[string]any
	if err := reg.Requests()[0].JSON(&body); err != nil || len(body) != 1 {
		t.Fatalf("request must name only the type (no AccountId): %v %v", body, err)
	}
}

func TestAlternateContactUnset(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("POST", "/getAlternateContact"), awstest.AWSError(404, "ResourceNotFoundException", "No contact of the inputted alternate contact type found."))
	c, err := a.AlternateContact(context.Background(), awsops.ContactBilling)
	if err != nil || c != nil {
		t.Fatalf("got %+v, %v; want nil, nil", c, err)
	}
}

func TestAlternateContactAccessDenied(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("POST", "/getAlternateContact"), awstest.AWSError(403, "AccessDeniedException", "explicit deny in a service control policy"))
	_, err := a.AlternateContact(context.Background(), awsops.ContactOperations)
	wantKind(t, err, awsops.KindAccessDenied, "account:GetAlternateContact")
}

func TestContactInformation(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("POST", "/getContactInformation"), awstest.JSON(200, `{"ContactInformation":{
		"FullName":"Ada Admin","AddressLine1":"1 Main St","City":"Springfield","CountryCode":"US","StateOrRegion":"IL",
		"PostalCode":"62701","PhoneNumber":"+15550100","CompanyName":"Acme","WebsiteUrl":"https://acme.example"}}`))
	c, err := a.ContactInformation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := awsops.ContactInfo{FullName: "Ada Admin", CompanyName: "Acme", AddressLine1: "1 Main St", City: "Springfield",
		StateOrRegion: "IL", PostalCode: "62701", CountryCode: "US", PhoneNumber: "+15550100", WebsiteURL: "https://acme.example"}
	if c == nil || *c != want {
		t.Fatalf("contact = %+v", c)
	}
}

func TestContactInformationAbsent(t *testing.T) {
	a, reg := newAWS(t)
	reg.Register(awstest.REST("POST", "/getContactInformation"), awstest.AWSError(404, "ResourceNotFoundException", "not found"))
	c, err := a.ContactInformation(context.Background())
	if err != nil || c != nil {
		t.Fatalf("got %+v, %v; want nil, nil", c, err)
	}
}
