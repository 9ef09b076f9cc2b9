package demo

import (
	"context"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

func TestStartingState(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	day := 24 * time.Hour

	t.Run("CallerIdentity", func(t *testing.T) {
		id, err := a.CallerIdentity(ctx)
		must(t, err)
		want := awsops.Identity{Account: AccountID, ARN: "arn:aws:iam::111122223333:root", UserID: AccountID,
			Alias: "acme-sandbox", IsRoot: true, Partition: "aws", Credentials: awsops.CredentialsTemporary,
			AccessKeyID: "ASIARJ4X7QWZCLDSHELL"}
		if id != want {
			t.Errorf("got %+v\nwant %+v", id, want)
		}
		if awsops.MaskKey(id.AccessKeyID) != "ASIA…HELL" {
			t.Errorf("masked key %q", awsops.MaskKey(id.AccessKeyID))
		}
		if a.Region() != "us-east-1" {
			t.Errorf("Region() = %q", a.Region())
		}
	})

	t.Run("AccountSummary", func(t *testing.T) {
		s, err := a.AccountSummary(ctx)
		must(t, err)
		for key, want := range map[string]int32{
			awsops.SummaryAccountMFAEnabled:        0,
			awsops.SummaryAccountAccessKeysPresent: 1,
			awsops.SummaryAccountSigningCerts:      0,
			awsops.SummaryAccountPasswordPresent:   1,
			awsops.SummaryMFADevicesInUse:          0,
			awsops.SummaryUsers:                    1,
			"Groups":                               0,
		} {
			if got, ok := s.Get(key); !ok || got != want {
				t.Errorf("%s = %d (present %t), want %d", key, got, ok, want)
			}
		}
	})

	t.Run("CredentialReport", func(t *testing.T) {
		r, err := a.CredentialReport(ctx)
		must(t, err)
		if !r.GeneratedAt.Equal(testNow) {
			t.Errorf("GeneratedAt = %v", r.GeneratedAt)
		}
		root := r.Root
		if root == nil {
			t.Fatal("no root row")
		}
		if root.User != "<root_account>" || root.ARN != RootARN || root.PasswordEnabled != "not_supported" ||
			root.PasswordLastChanged.Raw != "not_supported" || root.PasswordLastChanged.Valid() || root.MFAActive {
			t.Errorf("root row = %+v", root)
		}
		if !root.PasswordLastUsed.Valid() || root.PasswordLastUsed.Time.YearDay() != testNow.YearDay() ||
			root.PasswordLastUsed.Raw != "2026-11-24T15:16:00+00:00" {
			t.Errorf("root password last used %+v, want today", root.PasswordLastUsed)
		}
		k := root.Keys[0]
		if !k.Active || k.LastUsedService != "ec2" || k.LastUsedRegion != "us-east-1" ||
			testNow.Sub(k.LastUsed.Time).Truncate(day) != 6*day || !k.LastRotated.Valid() {
			t.Errorf("root key 1 = %+v, want active, used 6 days ago by ec2 in us-east-1", k)
		}
		if k2 := root.Keys[1]; k2.Active || k2.LastRotated.Raw != "N/A" || k2.LastUsed.Raw != "N/A" || k2.LastUsed.Valid() {
			t.Errorf("root key 2 = %+v, want N/A", k2)
		}
		for i, c := range root.Certs {
			if c.Active || c.LastRotated.Raw != "N/A" {
				t.Errorf("root cert %d = %+v", i+1, c)
			}
		}
		if len(r.Users) != 1 {
			t.Fatalf("users = %+v", r.Users)
		}
		u := r.Users[0]
		if u.User != "ci-deploy" || u.ARN != "arn:aws:iam::111122223333:user/ci-deploy" || u.PasswordEnabled != "false" ||
			u.PasswordLastUsed.Raw != "N/A" || u.MFAActive {
			t.Errorf("ci-deploy row = %+v", u)
		}
		if age := testNow.Sub(u.Keys[0].LastRotated.Time); !u.Keys[0].Active || age < 200*day || age > 201*day {
			t.Errorf("ci-deploy key = %+v, want active and 200 days old", u.Keys[0])
		}
	})

	t.Run("PasswordPolicy", func(t *testing.T) {
		p, err := a.PasswordPolicy(ctx)
		must(t, err)
		if p != nil {
			t.Errorf("policy = %+v, want none", p)
		}
	})

	t.Run("AlternateContact", func(t *testing.T) {
		for _, ct := range awsops.ContactTypes {
			c, err := a.AlternateContact(ctx, ct)
			must(t, err)
			if c != nil {
				t.Errorf("%s = %+v, want none", ct, c)
			}
		}
		if _, err := a.AlternateContact(ctx, "PERSONAL"); errorCode(err) != "ValidationException" {
			t.Errorf("bad type: err = %v", err)
		}
	})

	t.Run("ContactInformation", func(t *testing.T) {
		c, err := a.ContactInformation(ctx)
		must(t, err)
		if c == nil || c.FullName == "" || c.AddressLine1 == "" || c.PhoneNumber != "+1 206 555 0100" ||
			c.CountryCode != "US" || c.CompanyName != "" {
			t.Errorf("contact = %+v", c)
		}
		if err := validateContactInfo(*c); err != nil {
			t.Errorf("starting contact is not valid: %v", err)
		}
	})

	t.Run("MFA", func(t *testing.T) {
		v, err := a.VirtualMFADevices(ctx)
		must(t, err)
		c, err := a.CallerMFADevices(ctx)
		must(t, err)
		if len(v) != 0 || len(c) != 0 {
			t.Errorf("virtual %+v, caller %+v: want none", v, c)
		}
	})

	t.Run("Empty", func(t *testing.T) {
		adm, err := a.Administrators(ctx)
		admins := adm.Users
		must(t, err)
		ic, err := a.IdentityCenterInstances(ctx)
		must(t, err)
		org, err := a.Organization(ctx)
		must(t, err)
		feats, err := a.OrganizationsRootFeatures(ctx)
		must(t, err)
		scps, err := a.ServiceControlPolicies(ctx)
		must(t, err)
		alerts, err := a.RootSignInAlerts(ctx)
		must(t, err)
		trails, err := a.Trails(ctx)
		must(t, err)
		dets, err := a.GuardDutyDetectors(ctx)
		must(t, err)
		budgets, err := a.Budgets(ctx, AccountID)
		must(t, err)
		hub, err := a.SecurityHub(ctx)
		must(t, err)
		recs, err := a.ConfigRecorders(ctx)
		must(t, err)
		if len(admins)+len(ic)+len(feats)+len(scps)+len(alerts)+len(trails)+len(dets)+len(budgets)+len(recs) != 0 ||
			org != nil || hub.Enabled {
			t.Errorf("want nothing set up: admins %v, identity center %v, org %v, features %v, SCPs %v, alerts %v, trails %v, detectors %v, budgets %v, hub %v, recorders %v",
				admins, ic, org, feats, scps, alerts, trails, dets, budgets, hub, recs)
		}
	})

	t.Run("BudgetsOfAnotherAccount", func(t *testing.T) {
		if _, err := a.Budgets(ctx, "444455556666"); awsops.KindOf(err) != awsops.KindAccessDenied {
			t.Errorf("err = %v, want access denied", err)
		}
		if _, err := a.Budgets(ctx, ""); errorCode(err) != "InvalidParameterException" {
			t.Errorf("err = %v, want InvalidParameterException", err)
		}
	})

	if w := a.Writes(); len(w) != 0 {
		t.Errorf("reads logged writes: %q", w)
	}
}

func TestRootUsedTodayJustAfterMidnight(t *testing.T) {
	midnight := time.Date(2026, 11, 24, 0, 3, 0, 0, time.UTC)
	a := New(Options{Now: func() time.Time { return midnight }})
	r, err := a.CredentialReport(context.Background())
	must(t, err)
	if got := r.Root.PasswordLastUsed.Time; got.Day() != 24 || got.After(midnight) {
		t.Errorf("password last used %v, want earlier today", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
