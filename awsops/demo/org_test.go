package demo

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// orgCalls invokes every read and write of the Organizations fixes.
var orgCalls = map[string]func(context.Context, *Account) error{
	"TrustedServices":  func(ctx context.Context, a *Account) error { _, err := a.TrustedServices(ctx); return err },
	"OrganizationRoot": func(ctx context.Context, a *Account) error { _, err := a.OrganizationRoot(ctx); return err },
	"OrganizationalUnits": func(ctx context.Context, a *Account) error {
		_, err := a.OrganizationalUnits(ctx, OrgRootID)
		return err
	},
	"PolicyContent": func(ctx context.Context, a *Account) error { _, err := a.PolicyContent(ctx, fullAWSAccess); return err },
	"EnableTrustedAccess": func(ctx context.Context, a *Account) error {
		return a.EnableTrustedAccess(ctx, awsops.IAMServicePrincipal)
	},
	"EnableRootCredentialsManagement": func(ctx context.Context, a *Account) error { return a.EnableRootCredentialsManagement(ctx) },
	"EnableRootSessions":              func(ctx context.Context, a *Account) error { return a.EnableRootSessions(ctx) },
	"EnableSCPPolicyType":             func(ctx context.Context, a *Account) error { return a.EnableSCPPolicyType(ctx, OrgRootID) },
	"CreateSCP": func(ctx context.Context, a *Account) error {
		_, err := a.CreateSCP(ctx, awsops.NewSCP{Name: "deny-root", Description: "test", Content: rootDenySCP})
		return err
	},
	"UpdateSCPContent": func(ctx context.Context, a *Account) error { return a.UpdateSCPContent(ctx, "p-demo0001", rootDenySCP) },
	"AttachSCP":        func(ctx context.Context, a *Account) error { return a.AttachSCP(ctx, "p-demo0001", ProductionOU) },
	"DetachSCP":        func(ctx context.Context, a *Account) error { return a.DetachSCP(ctx, "p-demo0001", ProductionOU) },
	"DeleteSCP":        func(ctx context.Context, a *Account) error { return a.DeleteSCP(ctx, "p-demo0001") },
}

// expectedOrgError: what Organizations answers when calls come in an
// order that does not fit the state (concurrent use).
func expectedOrgError(err error) bool {
	switch errorCode(err) {
	case "ServiceAccessNotEnabledException", "PolicyTypeNotEnabledException", "PolicyNotFoundException",
		"DuplicatePolicyException", "PolicyInUseException", "PolicyNotAttachedException":
		return true
	}
	return false
}

func mustCode(t *testing.T, err error, code string, kind awsops.ErrorKind) {
	t.Helper()
	var ae *awsops.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Kind != kind || ae.Permission == "" {
		t.Fatalf("error %v, want %s (%s) naming a permission", err, code, kind)
	}
}

func TestScenarios(t *testing.T) {
	names := ScenarioNames()
	if len(names) < 2 || names[0] != DefaultScenario || !slices.Contains(names, "org") {
		t.Fatalf("scenarios = %v", names)
	}
	for _, s := range Scenarios() {
		if s.Description == "" || s.start == nil || strings.ContainsAny(s.Name, " =,") || strings.ToLower(s.Name) != s.Name {
			t.Errorf("scenario %+v", s)
		}
		a := newTest(t, Options{Scenario: s.Name})
		if a.Scenario() != s.Name {
			t.Errorf("Scenario() = %q, want %q", a.Scenario(), s.Name)
		}
	}
	if a := newTest(t, Options{}); a.Scenario() != DefaultScenario {
		t.Errorf("the default scenario is %q", a.Scenario())
	}
	if _, ok := LookupScenario("orgg"); ok {
		t.Error("an unknown scenario was found")
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown scenario name was accepted")
		}
	}()
	New(Options{Scenario: "orgg"})
}

func TestStandaloneAccountHasNoOrganization(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	if o, err := a.Organization(ctx); o != nil || err != nil {
		t.Fatalf("organization %+v, %v", o, err)
	}
	if accts, err := a.OrganizationAccounts(ctx); accts != nil || err != nil {
		t.Fatalf("accounts %+v, %v", accts, err)
	}
	_, err := a.TrustedServices(ctx)
	mustCode(t, err, "AWSOrganizationsNotInUseException", awsops.KindNotEnabled)
	mustCode(t, a.EnableSCPPolicyType(ctx, OrgRootID), "AWSOrganizationsNotInUseException", awsops.KindNotEnabled)
}

func TestOrgScenarioStartsUnhardened(t *testing.T) {
	a := newTest(t, Options{Scenario: "org"})
	ctx := context.Background()
	o, err := a.Organization(ctx)
	must(t, err)
	if o == nil || o.ManagementAccountID != AccountID || o.FeatureSet != "ALL" {
		t.Fatalf("organization %+v", o)
	}
	_, err = a.OrganizationsRootFeatures(ctx)
	mustCode(t, err, "ServiceAccessNotEnabledException", awsops.KindNotEnabled)
	root, err := a.OrganizationRoot(ctx)
	must(t, err)
	if root.ID != OrgRootID || root.SCPs != "" {
		t.Errorf("root %+v: SCPs must start off", root)
	}
	units, err := a.OrganizationalUnits(ctx, OrgRootID)
	must(t, err)
	if len(units) != 2 || units[0].Name != "Production" || units[1].Name != "Sandbox" {
		t.Errorf("OUs %+v", units)
	}
	accts, err := a.OrganizationAccounts(ctx)
	must(t, err)
	byName := map[string]awsops.OrgAccount{}
	for _, ac := range accts {
		byName[ac.Name] = ac
	}
	if len(accts) != 5 || !slices.Equal(byName["prod-web"].Ancestors, []string{ProductionOU, OrgRootID}) ||
		!slices.Equal(byName["log-archive"].Ancestors, []string{OrgRootID}) || byName[Alias].ID != AccountID {
		t.Errorf("accounts %+v", accts)
	}
	scps, err := a.ServiceControlPolicies(ctx)
	must(t, err)
	if len(scps) != 1 || scps[0].Name != "FullAWSAccess" || scps[0].DeniesRoot {
		t.Errorf("SCPs %+v", scps)
	}
}

func TestOrgWritesValidatedLikeAWS(t *testing.T) {
	ctx := context.Background()
	a := newTest(t, Options{Scenario: "org"})
	mustCode(t, a.EnableRootCredentialsManagement(ctx), "ServiceAccessNotEnabledException", awsops.KindNotEnabled)
	mustCode(t, a.EnableTrustedAccess(ctx, "not a principal"), "InvalidInputException", awsops.KindOther)
	must(t, a.EnableTrustedAccess(ctx, awsops.IAMServicePrincipal))
	must(t, a.EnableTrustedAccess(ctx, awsops.IAMServicePrincipal)) // again: no change
	must(t, a.EnableRootCredentialsManagement(ctx))
	must(t, a.EnableRootSessions(ctx))
	feats, err := a.OrganizationsRootFeatures(ctx)
	must(t, err)
	if !slices.Equal(feats, []string{"RootCredentialsManagement", "RootSessions"}) {
		t.Errorf("features %v", feats)
	}

	id, err := a.CreateSCP(ctx, awsops.NewSCP{Name: "rootguard-deny-member-root", Description: "d", Content: rootDenySCP})
	must(t, err)
	_, err = a.CreateSCP(ctx, awsops.NewSCP{Name: "rootguard-deny-member-root", Content: rootDenySCP})
	mustCode(t, err, "DuplicatePolicyException", awsops.KindOther)
	_, err = a.CreateSCP(ctx, awsops.NewSCP{Name: "broken", Content: `{"Statement":`})
	mustCode(t, err, "MalformedPolicyDocumentException", awsops.KindOther)
	_, err = a.CreateSCP(ctx, awsops.NewSCP{Name: "huge", Content: `{"Version":"2012-10-17","Statement":[],"x":"` + strings.Repeat("x", 5200) + `"}`})
	mustCode(t, err, "ConstraintViolationException", awsops.KindOther)

	mustCode(t, a.AttachSCP(ctx, id, OrgRootID), "PolicyTypeNotEnabledException", awsops.KindOther)
	mustCode(t, a.EnableSCPPolicyType(ctx, "r-zzzz"), "RootNotFoundException", awsops.KindNotFound)
	must(t, a.EnableSCPPolicyType(ctx, OrgRootID))
	must(t, a.EnableSCPPolicyType(ctx, OrgRootID)) // already enabled: success
	mustCode(t, a.AttachSCP(ctx, id, "ou-a1b2-nothere1"), "TargetNotFoundException", awsops.KindNotFound)
	must(t, a.AttachSCP(ctx, id, ProductionOU))
	must(t, a.AttachSCP(ctx, id, ProductionOU)) // already attached: success
	mustCode(t, a.DeleteSCP(ctx, id), "PolicyInUseException", awsops.KindOther)
	mustCode(t, a.DetachSCP(ctx, id, SandboxOU), "PolicyNotAttachedException", awsops.KindNotFound)
	mustCode(t, a.UpdateSCPContent(ctx, fullAWSAccess, rootDenySCP), "PolicyChangesInProgressException", awsops.KindOther)

	scps, err := a.ServiceControlPolicies(ctx)
	must(t, err)
	for _, p := range scps {
		switch p.Name {
		case "FullAWSAccess": // attached everywhere by enabling SCPs, content not read
			if p.DeniesRoot {
				t.Errorf("FullAWSAccess %+v", p)
			}
		case "rootguard-deny-member-root":
			if !p.DeniesRoot || !slices.Equal(p.Targets, []string{ProductionOU}) {
				t.Errorf("the new SCP %+v", p)
			}
		}
	}
	must(t, a.DetachSCP(ctx, id, ProductionOU))
	must(t, a.DeleteSCP(ctx, id))
	_, err = a.PolicyContent(ctx, id)
	mustCode(t, err, "PolicyNotFoundException", awsops.KindNotFound)

	w := a.Writes()
	if len(w) == 0 || !strings.HasPrefix(w[0], "EnableRootCredentialsManagement (error: not-enabled ServiceAccessNotEnabledException)") {
		t.Errorf("writes %q", w)
	}
}

func TestOrgFiveSCPsPerTarget(t *testing.T) {
	ctx := context.Background()
	a := newTest(t, Options{Scenario: "org"})
	must(t, a.EnableSCPPolicyType(ctx, OrgRootID)) // FullAWSAccess is the first
	for i := range 5 {
		id, err := a.CreateSCP(ctx, awsops.NewSCP{Name: "p" + string(rune('a'+i)), Content: rootDenySCP})
		must(t, err)
		err = a.AttachSCP(ctx, id, SandboxOU)
		if i < 4 {
			must(t, err)
		} else {
			mustCode(t, err, "ConstraintViolationException", awsops.KindOther)
		}
	}
}

func TestSnapshotOfAnotherScenarioIsRefused(t *testing.T) {
	org := newTest(t, Options{Scenario: "org"})
	fresh := newTest(t, Options{})
	if err := fresh.Restore(org.Snapshot()); err == nil || !strings.Contains(err.Error(), "org scenario") {
		t.Errorf("restoring the org scenario into the new one: %v", err)
	}
	old := fresh.Snapshot()
	old.Scenario = "" // written before scenarios existed
	if err := newTest(t, Options{}).Restore(old); err != nil {
		t.Errorf("an old snapshot of the new account: %v", err)
	}
	if err := org.Restore(old); err == nil {
		t.Error("an old snapshot (the new account) was restored into the org scenario")
	}
	s := org.Snapshot()
	must(t, org.Simulate("org-root-scp"))
	must(t, org.Restore(s))
	if scps, _ := org.ServiceControlPolicies(context.Background()); len(scps) != 1 {
		t.Errorf("restore did not bring the organization back: %+v", scps)
	}
}

func TestResetKeepsTheScenario(t *testing.T) {
	a := newTest(t, Options{Scenario: "org"})
	must(t, a.Simulate("org-root-access"))
	a.Reset()
	if o, _ := a.Organization(context.Background()); o == nil {
		t.Fatal("Reset dropped the organization")
	}
	if _, err := a.OrganizationsRootFeatures(context.Background()); errorCode(err) != "ServiceAccessNotEnabledException" {
		t.Errorf("after Reset: %v", err)
	}
}
