package awsops_test

// HTTP-level tests of the fixes: the plans of package steps applied through
// the real SDK clients to a stub registry, asserting the exact requests.

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

// fixAWS is a real backend whose every request goes to a fresh registry,
// verified (no unused stub, no unmatched request) when the test ends.
func fixAWS(t *testing.T) (*awsops.AWS, *awstest.Registry) {
	t.Helper()
	reg := &awstest.Registry{}
	t.Cleanup(func() { reg.Verify(t) })
	return awsops.New(awstest.Config(reg)), reg
}

func fixFacts(a *awsops.AWS) *steps.Facts {
	return steps.NewFacts(a, steps.FactsOptions{Now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }})
}

const policyRecommendedXML = `<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength>
	<RequireSymbols>true</RequireSymbols><RequireNumbers>true</RequireNumbers>
	<RequireUppercaseCharacters>true</RequireUppercaseCharacters><RequireLowercaseCharacters>true</RequireLowercaseCharacters>
	<AllowUsersToChangePassword>true</AllowUsersToChangePassword><ExpirePasswords>false</ExpirePasswords>
	<PasswordReusePrevention>24</PasswordReusePrevention><HardExpiry>false</HardExpiry></PasswordPolicy>`

var emptyQueryResponse = awstest.XML(200, `<UpdateAccountPasswordPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`+
	`<ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></UpdateAccountPasswordPolicyResponse>`)

// writeRequests are the recorded requests that change something.
func writeRequests(reg *awstest.Registry) []string {
	var out []string
	for _, r := range reg.Requests() {
		op := r.Operation()
		if strings.Contains(op, "Update") || strings.Contains(op, "/put") || strings.Contains(op, "Put") {
			out = append(out, op)
		}
	}
	return out
}

func TestFixPasswordPolicyRequest(t *testing.T) {
	for _, tc := range []struct {
		preset string
		extra  url.Values
	}{
		{steps.PresetRecommended, url.Values{}},
		{steps.PresetStrict, url.Values{"MaxPasswordAge": {"90"}}},
	} {
		t.Run(tc.preset, func(t *testing.T) {
			a, reg := fixAWS(t)
			ctx := context.Background()
			reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(404, "NoSuchEntity", "The Password Policy cannot be found."))
			reg.Register(awstest.Query("UpdateAccountPasswordPolicy"), emptyQueryResponse)

			cur, err := steps.CurrentPasswordPolicy(ctx, fixFacts(a))
			if err != nil || cur != nil {
				t.Fatalf("current = %v, %v", cur, err)
			}
			target, _ := steps.PasswordPreset(tc.preset)
			res := steps.PlanPasswordPolicy(cur, target).Apply(ctx, a)
			if !res.OK() {
				t.Fatalf("apply: %s", res.Explain())
			}
			sent := reg.Find(awstest.Query("UpdateAccountPasswordPolicy"))
			if len(sent) != 1 {
				t.Fatalf("%d update requests", len(sent))
			}
			// Every field is sent; MaxPasswordAge only when expiry is on (0 is invalid on the wire).
			want := url.Values{
				"Action": {"UpdateAccountPasswordPolicy"}, "Version": {"2010-05-08"},
				"MinimumPasswordLength": {"14"}, "RequireUppercaseCharacters": {"true"}, "RequireLowercaseCharacters": {"true"},
				"RequireNumbers": {"true"}, "RequireSymbols": {"true"}, "AllowUsersToChangePassword": {"true"},
				"PasswordReusePrevention": {"24"}, "HardExpiry": {"false"},
			}
			for k, v := range tc.extra {
				want[k] = v
			}
			if got := sent[0].Form(); !reflect.DeepEqual(got, want) {
				t.Errorf("form = %v\nwant   %v", got, want)
			}
			if sent[0].Host != "iam.amazonaws.com" {
				t.Errorf("host = %s", sent[0].Host)
			}
		})
	}
}

func TestFixPasswordPolicyIdempotentAndReverified(t *testing.T) {
	a, reg := fixAWS(t)
	ctx := context.Background()
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.QueryResult(policyRecommendedXML))
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.QueryResult(policyRecommendedXML))

	cur, err := steps.CurrentPasswordPolicy(ctx, fixFacts(a))
	if err != nil {
		t.Fatal(err)
	}
	p := steps.PlanPasswordPolicy(cur, steps.PasswordPresetRecommended)
	res := p.Apply(ctx, a)
	if !p.NoOp || !res.NoOp || len(writeRequests(reg)) != 0 {
		t.Fatalf("no-op plan: plan %+v, writes %v", p, writeRequests(reg))
	}
	// Re-verify reads live again (a fresh pass, not the cached policy).
	it, ok := steps.Lookup(steps.FixPasswordPolicy)
	if !ok {
		t.Fatal("password-policy item missing")
	}
	if r := steps.Reverify(ctx, a, it, steps.FactsOptions{}); r.Status != steps.StatusPass {
		t.Errorf("re-check = %s: %s", r.Status, r.Summary)
	}
	if n := len(reg.Find(awstest.Query("GetAccountPasswordPolicy"))); n != 2 {
		t.Errorf("%d policy reads, want 2 (plan + re-check)", n)
	}
}

func TestFixPasswordPolicyDeniedOverHTTP(t *testing.T) {
	a, reg := fixAWS(t)
	reg.Register(awstest.Query("UpdateAccountPasswordPolicy"), awstest.AWSError(403, "AccessDenied",
		"User: arn:aws:iam::123456789012:user/ro is not authorized to perform: iam:UpdateAccountPasswordPolicy"))
	res := steps.PlanPasswordPolicy(nil, steps.PasswordPresetRecommended).Apply(context.Background(), a)
	if got, want := res.Explain(), "access denied: needs iam:UpdateAccountPasswordPolicy; nothing was changed"; got != want {
		t.Errorf("Explain() = %q, want %q", got, want)
	}
}

func altContact(t awsops.ContactType, name, email string) awsops.AlternateContact {
	return awsops.AlternateContact{Type: t, Name: name, Title: "Lead", Email: email, Phone: "+1 206 555 0100"}
}

func TestFixAlternateContactsRequestsAndMidwayFailure(t *testing.T) {
	a, reg := fixAWS(t)
	ctx := context.Background()
	put := awstest.REST("POST", "/putAlternateContact")
	for _, ct := range []string{"SECURITY", "BILLING", "OPERATIONS"} {
		reg.Register(awstest.And(awstest.REST("POST", "/getAlternateContact"), awstest.JSONField("AlternateContactType", ct)),
			awstest.AWSError(404, "ResourceNotFoundException", "No contact of the inputted alternate contact type found."))
	}
	reg.Register(awstest.And(put, awstest.JSONField("AlternateContactType", "SECURITY")), awstest.JSON(200, ""))
	reg.Register(awstest.And(put, awstest.JSONField("AlternateContactType", "BILLING")),
		awstest.AWSError(403, "AccessDeniedException", "User is not authorized to perform: account:PutAlternateContact"))

	cur, err := steps.CurrentAlternateContacts(ctx, fixFacts(a))
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range awsops.ContactTypes {
		if c, ok := cur[ct]; !ok || c != nil {
			t.Fatalf("%s: not found must read as not set, got %v %v", ct, c, ok)
		}
	}
	p := steps.PlanAlternateContacts(cur, []awsops.AlternateContact{
		altContact(awsops.ContactSecurity, "Ana Lima", "security@example.com"),
		altContact(awsops.ContactBilling, "Bo Chen", "billing@example.com"),
		altContact(awsops.ContactOperations, "Cy Diaz", "ops@example.com"),
	})
	res := p.Apply(ctx, a)

	sent := reg.Find(put)
	if len(sent) != 2 {
		t.Fatalf("%d PutAlternateContact requests, want 2 (stop at the failure)", len(sent))
	}
	var body map[string]any
	if err := sent[0].JSON(&body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"AlternateContactType": "SECURITY", "Name": "Ana Lima", "Title": "Lead",
		"EmailAddress": "security@example.com", "PhoneNumber": "+1 206 555 0100"}
	if !reflect.DeepEqual(body, want) { // no AccountId: the caller's own account
		t.Errorf("body = %v\nwant   %v", body, want)
	}
	if sent[0].Host != "account.us-east-1.amazonaws.com" {
		t.Errorf("host = %s", sent[0].Host)
	}
	if len(res.Applied) != 1 || res.Failed == nil || len(res.NotAttempted) != 1 {
		t.Fatalf("result = %+v", res)
	}
	wantExplain := "security contact saved; billing contact NOT saved: access denied: needs account:PutAlternateContact; operations contact not attempted"
	if res.Explain() != wantExplain {
		t.Errorf("Explain() = %q\nwant        %q", res.Explain(), wantExplain)
	}
}

func TestFixAlternateContactsOnlyChangedTypes(t *testing.T) {
	a, reg := fixAWS(t)
	ctx := context.Background()
	contactJSON := func(ct, name, email string) awstest.Responder {
		return awstest.JSONValue(map[string]any{"AlternateContact": map[string]string{
			"AlternateContactType": ct, "Name": name, "Title": "Lead", "EmailAddress": email, "PhoneNumber": "+1 206 555 0100"}})
	}
	get := func(ct string) awstest.Matcher {
		return awstest.And(awstest.REST("POST", "/getAlternateContact"), awstest.JSONField("AlternateContactType", ct))
	}
	reg.Register(get("SECURITY"), contactJSON("SECURITY", "Ana Lima", "security@example.com"))
	reg.Register(get("BILLING"), contactJSON("BILLING", "Bo Chen", "billing@example.com"))
	reg.Register(get("OPERATIONS"), awstest.AWSError(404, "ResourceNotFoundException", "not found"))
	reg.Register(awstest.And(awstest.REST("POST", "/putAlternateContact"), awstest.JSONField("AlternateContactType", "OPERATIONS")), awstest.JSON(200, ""))

	cur, err := steps.CurrentAlternateContacts(ctx, fixFacts(a))
	if err != nil {
		t.Fatal(err)
	}
	p := steps.PlanAlternateContacts(cur, []awsops.AlternateContact{
		altContact(awsops.ContactSecurity, "Ana Lima", "security@example.com"), // unchanged
		altContact(awsops.ContactBilling, "Bo Chen", "billing@example.com"),    // unchanged
		altContact(awsops.ContactOperations, "Cy Diaz", "ops@example.com"),
	})
	if res := p.Apply(ctx, a); !res.OK() || res.Explain() != "operations contact saved" {
		t.Fatalf("apply: %s", res.Explain())
	}
	if w := writeRequests(reg); len(w) != 1 {
		t.Errorf("writes = %v, want only OPERATIONS", w)
	}
}

func TestFixContactInfoRequest(t *testing.T) {
	a, reg := fixAWS(t)
	ctx := context.Background()
	reg.Register(awstest.REST("POST", "/getContactInformation"), awstest.JSONValue(map[string]any{"ContactInformation": map[string]string{
		"FullName": "Jordan Lee", "AddressLine1": "1200 Harbor Avenue SW", "AddressLine2": "Suite 400", "City": "Seattle",
		"StateOrRegion": "WA", "PostalCode": "98126", "CountryCode": "US", "PhoneNumber": "+1 206 555 0100"}}))
	reg.Register(awstest.REST("POST", "/putContactInformation"), awstest.JSON(200, ""))

	cur, err := steps.CurrentContactInfo(ctx, fixFacts(a))
	if err != nil || cur == nil {
		t.Fatalf("current = %v, %v", cur, err)
	}
	want := *cur
	want.PhoneNumber = "+1 206 555 0199"
	want.AddressLine2 = "" // cleared
	want.CompanyName = "Acme Corp"
	p := steps.PlanContactInfo(cur, want)
	if res := p.Apply(ctx, a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	sent := reg.Find(awstest.REST("POST", "/putContactInformation"))
	if len(sent) != 1 {
		t.Fatalf("%d put requests", len(sent))
	}
	var body map[string]map[string]string
	if err := json.Unmarshal(sent[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	wantBody := map[string]map[string]string{"ContactInformation": {
		"FullName": "Jordan Lee", "CompanyName": "Acme Corp", "AddressLine1": "1200 Harbor Avenue SW", "City": "Seattle",
		"StateOrRegion": "WA", "PostalCode": "98126", "CountryCode": "US", "PhoneNumber": "+1 206 555 0199"}}
	if !reflect.DeepEqual(body, wantBody) {
		t.Errorf("body = %v\nwant   %v", body, wantBody)
	}
}

func TestFixContactInfoRejectedByAWS(t *testing.T) {
	a, reg := fixAWS(t)
	reg.Register(awstest.REST("POST", "/putContactInformation"), awstest.AWSError(400, "ValidationException",
		"Invalid phone number"))
	want := awsops.ContactInfo{FullName: "A", AddressLine1: "1", City: "C", PostalCode: "1", CountryCode: "FR", PhoneNumber: "+33 0"}
	res := steps.PlanContactInfo(nil, want).Apply(context.Background(), a)
	if res.OK() || !strings.Contains(res.Explain(), "Invalid phone number") || !strings.HasSuffix(res.Explain(), "nothing was changed") {
		t.Errorf("Explain() = %q", res.Explain())
	}
	if !strings.Contains(res.Todo(), "correct the input") {
		t.Errorf("Todo() = %q", res.Todo())
	}
}
