package steps

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/rootguard/rootguard/awsops"
)

// orgFake is the management account of an organization: the check facts of
// factsFake plus the fix-only reads (awsops.OrgDirectory). errs of the
// embedded fake fail these reads too, by method name.
type orgFake struct {
	*factsFake
	trusted  []string
	root     awsops.OrgRoot
	units    []awsops.OrgUnit
	contents map[string]string // policy ID → document
}

var _ awsops.OrgDirectory = (*orgFake)(nil)

func (f *orgFake) TrustedServices(ctx context.Context) ([]string, error) {
	if err := f.enter(ctx, "TrustedServices", 1); err != nil {
		return nil, err
	}
	return slices.Clone(f.trusted), nil
}

func (f *orgFake) OrganizationRoot(ctx context.Context) (awsops.OrgRoot, error) {
	if err := f.enter(ctx, "OrganizationRoot", 1); err != nil {
		return awsops.OrgRoot{}, err
	}
	return f.root, nil
}

func (f *orgFake) OrganizationalUnits(ctx context.Context, rootID string) ([]awsops.OrgUnit, error) {
	if err := f.enter(ctx, "OrganizationalUnits", 1); err != nil {
		return nil, err
	}
	if rootID != f.root.ID {
		return nil, &awsops.Error{Kind: awsops.KindNotFound, Code: "ParentNotFoundException"}
	}
	return slices.Clone(f.units), nil
}

func (f *orgFake) PolicyContent(ctx context.Context, id string) (string, error) {
	if err := f.enter(ctx, "PolicyContent", 1); err != nil {
		return "", err
	}
	return f.contents[id], nil
}

const (
	testRoot = "r-a1b2"
	testProd = "ou-a1b2-prodx7k3"
	testSbx  = "ou-a1b2-sandbx9q"
)

// managementFake: testAccount manages o-test with three members (two in
// Production, one in Sandbox) and one account under the root; IAM has no
// trusted access and SCPs are off.
func managementFake() *orgFake {
	f := healthyFake()
	f.org = &awsops.Organization{ID: "o-test", ManagementAccountID: testAccount, FeatureSet: "ALL"}
	f.errs = map[string]error{"OrganizationsRootFeatures": &awsops.Error{Kind: awsops.KindNotEnabled, Code: "ServiceAccessNotEnabledException"}}
	f.orgAccounts = []awsops.OrgAccount{
		{ID: testAccount, Name: "mgmt", State: "ACTIVE", Ancestors: []string{testRoot}},
		{ID: "222233334444", Name: "prod-web", State: "ACTIVE", Ancestors: []string{testProd, testRoot}},
		{ID: "333344445555", Name: "prod-data", State: "ACTIVE", Ancestors: []string{testProd, testRoot}},
		{ID: "444455556666", Name: "sandbox", State: "ACTIVE", Ancestors: []string{testSbx, testRoot}},
		{ID: "555566667777", Name: "log-archive", State: "ACTIVE", Ancestors: []string{testRoot}},
		{ID: "666677778888", Name: "closed", State: "SUSPENDED", Ancestors: []string{testRoot}},
	}
	f.scps = []awsops.SCP{{ID: "p-FullAWSAccess", Name: "FullAWSAccess"}}
	return &orgFake{factsFake: f, root: awsops.OrgRoot{ID: testRoot, Name: "Root"},
		units:    []awsops.OrgUnit{{ID: testProd, Name: "Production", ParentID: testRoot}, {ID: testSbx, Name: "Sandbox", ParentID: testRoot}},
		contents: map[string]string{}}
}

// orgWriter records the Organizations fixes' writes; failOn fails a call
// by name with failErr. policies are what CreateSCP made.
type orgWriter struct {
	fixWriter
	failOn   map[string]error
	created  []awsops.NewSCP
	attached []string // policy→target
	log      []string
}

func (w *orgWriter) do(name string) error {
	w.log = append(w.log, name)
	return w.failOn[strings.Fields(name)[0]]
}

func (w *orgWriter) EnableTrustedAccess(_ context.Context, p string) error {
	return w.do("EnableTrustedAccess " + p)
}
func (w *orgWriter) EnableRootCredentialsManagement(context.Context) error {
	return w.do("EnableRootCredentialsManagement")
}
func (w *orgWriter) EnableRootSessions(context.Context) error { return w.do("EnableRootSessions") }
func (w *orgWriter) EnableSCPPolicyType(_ context.Context, root string) error {
	return w.do("EnableSCPPolicyType " + root)
}
func (w *orgWriter) CreateSCP(_ context.Context, p awsops.NewSCP) (string, error) {
	if err := w.do("CreateSCP " + p.Name); err != nil {
		return "", err
	}
	w.created = append(w.created, p)
	return "p-new00001", nil
}
func (w *orgWriter) UpdateSCPContent(_ context.Context, id, content string) error {
	return w.do("UpdateSCPContent " + id + " " + compactJSON(content))
}
func (w *orgWriter) DeleteSCP(_ context.Context, id string) error { return w.do("DeleteSCP " + id) }
func (w *orgWriter) AttachSCP(_ context.Context, id, target string) error {
	if err := w.do("AttachSCP " + id + " " + target); err != nil {
		return err
	}
	w.attached = append(w.attached, id+"→"+target)
	return nil
}
func (w *orgWriter) DetachSCP(_ context.Context, id, target string) error {
	return w.do("DetachSCP " + id + " " + target)
}

func compactJSON(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func orgDenied(op string) error {
	return &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized to perform " + op}
}

func planOrg(t *testing.T, id string, f awsops.Reader, in Input) (Fix, State, Plan, error) {
	t.Helper()
	fix, st := loadFix(t, id, f)
	p, err := fix.Plan(st, in)
	return fix, st, p, err
}

func apis(p Plan) []string {
	var out []string
	for _, c := range p.Calls {
		out = append(out, c.API)
	}
	return out
}

// --- org-root-access

func TestOrgRootAccessTurnsOnEachMissingPiece(t *testing.T) {
	f := managementFake()
	_, _, p, err := planOrg(t, FixOrgRootAccess, f, given())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"organizations:EnableAWSServiceAccess", "iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions"}
	if !slices.Equal(apis(p), want) || p.NoOp {
		t.Fatalf("calls %v, want %v", apis(p), want)
	}
	if p.Calls[0].Params[0] != kv("ServicePrincipal", "iam.amazonaws.com") {
		t.Errorf("params %v", p.Calls[0].Params)
	}
	if p.Confirm == nil || p.Confirm.Want != testAccount || !strings.Contains(p.Confirm.Prompt, testAccount) {
		t.Errorf("confirm %+v: the management account's ID must be typed", p.Confirm)
	}
	notes := strings.Join(p.Notes, " ")
	for _, says := range []string{"New member accounts are created without root credentials", "Existing member accounts keep their root credentials until you remove them", "Delete root user credentials"} {
		if !strings.Contains(notes, says) {
			t.Errorf("notes lack %q: %s", says, notes)
		}
	}
	w := &orgWriter{}
	res := p.Apply(context.Background(), w)
	if !res.OK() || !slices.Equal(w.log, []string{"EnableTrustedAccess iam.amazonaws.com", "EnableRootCredentialsManagement", "EnableRootSessions"}) {
		t.Fatalf("apply: %s; log %v", res.Explain(), w.log)
	}
	if got := p.RecordSummary(res); !strings.Contains(got, "IAM trusted access, root credentials management, root sessions") {
		t.Errorf("record %q", got)
	}
}

func TestOrgRootAccessSkipsWhatIsOn(t *testing.T) {
	f := managementFake()
	f.trusted = []string{"account.amazonaws.com", "iam.amazonaws.com"}
	f.errs = nil
	f.orgFeatures = []string{featureRootCredentials}
	_, _, p, err := planOrg(t, FixOrgRootAccess, f, given())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apis(p), []string{"iam:EnableOrganizationsRootSessions"}) || len(p.Kept) != 2 {
		t.Fatalf("calls %v kept %v", apis(p), p.Kept)
	}
	f.orgFeatures = []string{featureRootCredentials, featureRootSessions}
	_, _, p, _ = planOrg(t, FixOrgRootAccess, f, given())
	w := &orgWriter{}
	if res := p.Apply(context.Background(), w); !p.NoOp || !res.NoOp || len(w.log) != 0 || p.Confirm != nil {
		t.Fatalf("all on: plan %+v, writes %v", p, w.log)
	}
}

func TestOrgRootAccessFailureMidwaySaysWhatStaysOn(t *testing.T) {
	_, _, p, _ := planOrg(t, FixOrgRootAccess, managementFake(), given())
	w := &orgWriter{failOn: map[string]error{"EnableRootSessions": orgDenied("iam:EnableOrganizationsRootSessions")}}
	res := p.Apply(context.Background(), w)
	if res.OK() || awsops.PermissionOf(res.Err) != "iam:EnableOrganizationsRootSessions" || len(res.Undone) != 0 {
		t.Fatalf("result %+v", res)
	}
	explain := res.Explain()
	for _, says := range []string{"IAM's trusted access in Organizations saved", "root credentials management saved", "root sessions NOT saved"} {
		if !strings.Contains(explain, says) {
			t.Errorf("explain %q lacks %q", explain, says)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, " "), "what was turned on stays on") {
		t.Errorf("the plan must say that a failure leaves what was turned on: %v", p.Notes)
	}
}

func TestOrgFixesNotAvailableOutsideTheManagementAccount(t *testing.T) {
	for _, tc := range []struct {
		name string
		org  *awsops.Organization
		want string
	}{
		{"no organization", nil, "is not in an organization"},
		{"member account", &awsops.Organization{ID: "o-test", ManagementAccountID: "999988887777", FeatureSet: "ALL"}, "is a member of organization o-test; run rootguard with credentials of the management account (999988887777)"},
		{"consolidated billing", &awsops.Organization{ID: "o-test", ManagementAccountID: testAccount, FeatureSet: "CONSOLIDATED_BILLING"}, "needs an organization with all features"},
	} {
		for _, id := range []string{FixOrgRootAccess, FixOrgRootSCP} {
			t.Run(tc.name+"/"+id, func(t *testing.T) {
				f := managementFake()
				f.org = tc.org
				fix, st, _, err := planOrg(t, id, f, given(FieldSCPTargets, testRoot))
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "the organization's management account") && tc.org != nil && tc.org.FeatureSet == "ALL" {
					t.Errorf("plan error %v, want %q", err, tc.want)
				}
				if fix.Needs != "the organization's management account" {
					t.Errorf("Needs = %q", fix.Needs)
				}
				if len(fix.Form(st)) != 0 {
					t.Error("a fix that cannot run here asks for input")
				}
				for _, m := range []string{"TrustedServices", "OrganizationRoot", "OrganizationalUnits"} {
					if f.callCounts()[m] != 0 {
						t.Errorf("read %s although the fix cannot run here", m)
					}
				}
			})
		}
	}
}

func TestOrgRootAccessLoadNamesTheDeniedRead(t *testing.T) {
	f := managementFake()
	f.errs["TrustedServices"] = accessDenied("organizations:ListAWSServiceAccessForOrganization")
	fix, _ := FixFor(FixOrgRootAccess)
	_, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{}))
	if awsops.PermissionOf(err) != "organizations:ListAWSServiceAccessForOrganization" {
		t.Errorf("load error %v", err)
	}
}

// --- org-root-scp

// The policy document is what the check calls a full root deny, read
// statement by statement.
func TestRootDenySCPDocument(t *testing.T) {
	doc := RootDenySCP("aws")
	var parsed struct {
		Version   string
		Statement []struct {
			Sid, Effect      string
			Action, Resource any
			NotAction        any
			Condition        map[string]map[string]any
		}
	}
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
		t.Fatal(err)
	}
	if parsed.Version != "2012-10-17" || len(parsed.Statement) != 1 {
		t.Fatalf("document %s", doc)
	}
	s := parsed.Statement[0]
	if s.Effect != "Deny" || s.Action != "*" || s.Resource != "*" || s.NotAction != nil || s.Sid == "" {
		t.Errorf("statement %+v", s)
	}
	if len(s.Condition) != 2 || s.Condition["ArnLike"]["aws:PrincipalArn"] != "arn:aws:iam::*:root" ||
		s.Condition["Null"]["aws:AssumedRoot"] != "true" || len(s.Condition["ArnLike"]) != 1 || len(s.Condition["Null"]) != 1 {
		t.Errorf("condition %v", s.Condition)
	}
	if d := awsops.AnalyzeRootDeny(doc); !d.Denies || len(d.Except) != 0 || len(d.NarrowedBy) != 0 || d.Broken != "" {
		t.Errorf("the check reads it as %+v, want a full root deny", d)
	}
	if len(doc) > 5120 {
		t.Errorf("%d characters: over the SCP limit", len(doc))
	}
	if cn := RootDenySCP("aws-cn"); !strings.Contains(cn, `"arn:aws-cn:iam::*:root"`) {
		t.Errorf("China partition: %s", cn)
	}
}

func TestOrgSCPFormOffersRootAndOUs(t *testing.T) {
	fix, st := loadFix(t, FixOrgRootSCP, managementFake())
	fields := fix.Fields(st)
	if len(fields) != 1 || fields[0].Key != FieldSCPTargets || fields[0].Kind != FieldMulti || fields[0].Default != testRoot {
		t.Fatalf("fields %+v", fields)
	}
	var labels []string
	for _, o := range fields[0].Options {
		labels = append(labels, o.Value+" = "+o.Label)
	}
	want := []string{
		testRoot + " = Organization root (" + testRoot + "): every account, 4 member accounts",
		testProd + " = Production (" + testProd + "): 2 member accounts",
		testSbx + " = Sandbox (" + testSbx + "): 1 member account",
	}
	if !slices.Equal(labels, want) {
		t.Errorf("options\n%s\nwant\n%s", strings.Join(labels, "\n"), strings.Join(want, "\n"))
	}
	if err := fields[0].Validate("", nil); err == nil {
		t.Error("no target chosen must be refused at the field")
	}
}

func TestOrgSCPOnTheRootEnablesCreatesAttaches(t *testing.T) {
	_, _, p, err := planOrg(t, FixOrgRootSCP, managementFake(), given(FieldSCPTargets, testRoot))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"organizations:EnablePolicyType", "organizations:CreatePolicy", "organizations:AttachPolicy"}
	if !slices.Equal(apis(p), want) {
		t.Fatalf("calls %v, want %v", apis(p), want)
	}
	if p.Calls[0].Undo != nil || p.Calls[1].Undo == nil || p.Calls[1].Undo.API != "organizations:DeletePolicy" ||
		p.Calls[2].Undo == nil || p.Calls[2].Undo.API != "organizations:DetachPolicy" {
		t.Errorf("undo: the policy type stays on; the policy and its attachment are taken back")
	}
	params := map[string]string{}
	for _, e := range p.Calls[1].Params {
		params[e.Key] = e.Value
	}
	if params["Name"] != RootDenySCPName || params["Type"] != "SERVICE_CONTROL_POLICY" || params["Content"] != RootDenySCP("aws") || params["Description"] == "" {
		t.Errorf("CreatePolicy params %v", params)
	}
	notes, warnings := strings.Join(p.Notes, "\n"), strings.Join(p.Warnings, "\n")
	for _, says := range []string{"Covers 4 member accounts: 222233334444 (prod-web), 333344445555 (prod-data), 444455556666 (sandbox), 555566667777 (log-archive).",
		"The management account (" + testAccount + ") is never affected by SCPs", "stays on if a later call fails"} {
		if !strings.Contains(notes, says) {
			t.Errorf("notes lack %q:\n%s", says, notes)
		}
	}
	if strings.Contains(notes, "666677778888") {
		t.Error("a suspended account is listed as covered")
	}
	if !strings.Contains(warnings, "closing the account") || strings.Contains(warnings, "Not covered") {
		t.Errorf("warnings %s", warnings)
	}
	if p.Confirm == nil || p.Confirm.Want != testAccount {
		t.Errorf("confirm %+v", p.Confirm)
	}
	w := &orgWriter{}
	res := p.Apply(context.Background(), w)
	if !res.OK() || !slices.Equal(w.attached, []string{"p-new00001→" + testRoot}) || w.log[0] != "EnableSCPPolicyType "+testRoot {
		t.Fatalf("apply: %s; log %v", res.Explain(), w.log)
	}
	if got := p.RecordSummary(res); got != "created SCP rootguard-deny-member-root and attached it to the organization root ("+testRoot+"): 4 of 4 member accounts covered" {
		t.Errorf("record %q", got)
	}
}

func TestOrgSCPOnOUsWarnsAboutAccountsLeftOut(t *testing.T) {
	f := managementFake()
	f.root.SCPs = awsops.PolicyTypeEnabled
	_, _, p, err := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testSbx+","+testProd))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apis(p), []string{"organizations:CreatePolicy", "organizations:AttachPolicy", "organizations:AttachPolicy"}) {
		t.Fatalf("calls %v", apis(p))
	}
	if p.Calls[1].Params[1].Value != testProd || p.Calls[2].Params[1].Value != testSbx {
		t.Errorf("targets in option order: %v %v", p.Calls[1].Params, p.Calls[2].Params)
	}
	if !strings.Contains(strings.Join(p.Warnings, " "), "Not covered by the targets you chose: 555566667777 (log-archive)") {
		t.Errorf("warnings %v", p.Warnings)
	}
	last := p.Changes[len(p.Changes)-1]
	if last != (Change{Field: "Member accounts whose root is denied", Current: "0 of 4", Proposed: "3 of 4"}) {
		t.Errorf("coverage change %+v", last)
	}
}

func TestOrgSCPBadTargets(t *testing.T) {
	for _, targets := range []string{"", "ou-a1b2-nothere1", "r-zzzz," + testRoot} {
		_, _, _, err := planOrg(t, FixOrgRootSCP, managementFake(), given(FieldSCPTargets, targets))
		var fe FieldErrors
		if !asFieldErrors(err, &fe) || fe[0].Field != FieldSCPTargets {
			t.Errorf("targets %q: %v, want a field error", targets, err)
		}
	}
}

func asFieldErrors(err error, fe *FieldErrors) bool {
	f, ok := err.(FieldErrors)
	*fe = f
	return ok && len(f) > 0
}

func TestOrgSCPReusesItsPolicy(t *testing.T) {
	f := managementFake()
	f.root.SCPs = awsops.PolicyTypeEnabled
	doc := RootDenySCP("aws")
	f.scps = append(f.scps, awsops.SCP{ID: "p-rg000001", Name: RootDenySCPName, DeniesRoot: true, Targets: []string{testProd}})
	f.contents["p-rg000001"] = compactJSON(doc) // same content, other spacing
	_, _, p, err := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testRoot))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apis(p), []string{"organizations:AttachPolicy"}) || p.Calls[0].Params[0] != kv("PolicyId", "p-rg000001") {
		t.Fatalf("calls %v %v: the existing policy is reused", apis(p), p.Calls)
	}
	w := &orgWriter{}
	if res := p.Apply(context.Background(), w); !res.OK() || !slices.Equal(w.attached, []string{"p-rg000001→" + testRoot}) {
		t.Fatalf("apply %s %v", res.Explain(), w.log)
	}
	// Now attached to the root as well: the second run writes nothing.
	f.scps[1].Targets = []string{testProd, testRoot}
	_, _, again, _ := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testRoot))
	w2 := &orgWriter{}
	if res := again.Apply(context.Background(), w2); !again.NoOp || !res.NoOp || len(w2.log) != 0 {
		t.Fatalf("second run: %+v, writes %v", again, w2.log)
	}
}

func TestOrgSCPRepairsChangedContent(t *testing.T) {
	f := managementFake()
	f.root.SCPs = awsops.PolicyTypeEnabled
	changed := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`
	f.scps = append(f.scps, awsops.SCP{ID: "p-rg000001", Name: RootDenySCPName, Broken: "StringEquals takes no wildcards", Targets: []string{testRoot}})
	f.contents["p-rg000001"] = changed
	_, _, p, err := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testRoot))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apis(p), []string{"organizations:UpdatePolicy"}) || p.Calls[0].Undo == nil {
		t.Fatalf("calls %v", apis(p))
	}
	if !strings.Contains(strings.Join(p.Warnings, " "), "attached to "+testRoot+" already") {
		t.Errorf("warnings %v", p.Warnings)
	}
	w := &orgWriter{}
	if res := p.Apply(context.Background(), w); !res.OK() || w.log[0] != "UpdateSCPContent p-rg000001 "+compactJSON(RootDenySCP("aws")) {
		t.Fatalf("apply %s %v", res.Explain(), w.log)
	}
	if got := p.RecordSummary(p.Apply(context.Background(), &orgWriter{})); !strings.HasPrefix(got, "restored the content of SCP") {
		t.Errorf("record %q", got)
	}
}

func TestOrgSCPNoOpWhenEveryMemberIsCovered(t *testing.T) {
	f := managementFake()
	f.root.SCPs = awsops.PolicyTypeEnabled
	f.scps = append(f.scps, awsops.SCP{ID: "p-theirs01", Name: "DenyRoot", DeniesRoot: true, Targets: []string{testRoot}})
	_, _, p, err := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testProd))
	if err != nil || !p.NoOp || !strings.Contains(p.Notes[0], "already denied every action by DenyRoot") {
		t.Fatalf("plan %+v, %v", p, err)
	}
	// A narrowed deny does not count.
	f.scps[1].NarrowedBy = []string{"aws:RequestedRegion (StringEquals)"}
	if _, _, p, _ := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testRoot)); p.NoOp {
		t.Error("a narrowed deny was taken for full coverage")
	}
}

func TestOrgSCPNoMembers(t *testing.T) {
	f := managementFake()
	f.orgAccounts = f.orgAccounts[:1]
	_, _, p, err := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testRoot))
	if err != nil || !p.NoOp || !strings.Contains(strings.Join(p.Notes, " "), "no member accounts") {
		t.Fatalf("plan %+v, %v", p, err)
	}
}

func TestOrgSCPRollbackPaths(t *testing.T) {
	for _, tc := range []struct {
		name       string
		failOn     string
		wantUndone []string // the undo calls made
		explain    []string
	}{
		{"the attachment fails", "AttachSCP", []string{"DeleteSCP p-new00001"},
			[]string{"service control policies on the organization root saved", "SCP rootguard-deny-member-root saved, then undone", "NOT saved"}},
		{"the second attachment fails", "AttachSCP#2", []string{"DetachSCP p-new00001 " + testProd, "DeleteSCP p-new00001"},
			[]string{"saved, then undone", "NOT saved"}},
		{"creating the policy fails", "CreateSCP", nil,
			[]string{"service control policies on the organization root saved", "SCP rootguard-deny-member-root NOT saved", "attachment to OU Production (" + testProd + ") not attempted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, p, _ := planOrg(t, FixOrgRootSCP, managementFake(), given(FieldSCPTargets, testProd+","+testSbx))
			w := &failingOrgWriter{orgWriter: orgWriter{}, failOn: tc.failOn}
			res := p.Apply(context.Background(), w)
			if res.OK() {
				t.Fatal("apply succeeded")
			}
			var undos []string
			for _, l := range w.log {
				if strings.HasPrefix(l, "DeleteSCP") || strings.HasPrefix(l, "DetachSCP") {
					undos = append(undos, l)
				}
			}
			if !slices.Equal(undos, tc.wantUndone) {
				t.Errorf("undo calls %v, want %v (log %v)", undos, tc.wantUndone, w.log)
			}
			for _, says := range tc.explain {
				if !strings.Contains(res.Explain(), says) {
					t.Errorf("explain %q lacks %q", res.Explain(), says)
				}
			}
			if slices.ContainsFunc(w.log, func(l string) bool { return strings.HasPrefix(l, "Disable") }) {
				t.Error("the policy type was disabled again")
			}
		})
	}
}

// failingOrgWriter fails the named call ("AttachSCP#2": its second use).
type failingOrgWriter struct {
	orgWriter
	failOn string
	seen   map[string]int
}

func (w *failingOrgWriter) fail(name string) bool {
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	w.seen[name]++
	return w.failOn == name || w.failOn == name+"#"+string(rune('0'+w.seen[name]))
}

func (w *failingOrgWriter) CreateSCP(ctx context.Context, p awsops.NewSCP) (string, error) {
	if w.fail("CreateSCP") {
		w.log = append(w.log, "CreateSCP (denied)")
		return "", orgDenied("organizations:CreatePolicy")
	}
	return w.orgWriter.CreateSCP(ctx, p)
}

func (w *failingOrgWriter) AttachSCP(ctx context.Context, id, target string) error {
	if w.fail("AttachSCP") {
		w.log = append(w.log, "AttachSCP (denied)")
		return orgDenied("organizations:AttachPolicy")
	}
	return w.orgWriter.AttachSCP(ctx, id, target)
}

func TestOrgSCPLoadReadsNamePermissions(t *testing.T) {
	for method, perm := range map[string]string{
		"OrganizationRoot":       "organizations:ListRoots",
		"OrganizationalUnits":    "organizations:ListOrganizationalUnitsForParent",
		"ServiceControlPolicies": "organizations:ListPolicies",
		"OrganizationAccounts":   "organizations:ListAccounts",
	} {
		f := managementFake()
		f.errs[method] = accessDenied(perm)
		fix, _ := FixFor(FixOrgRootSCP)
		if _, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{})); awsops.PermissionOf(err) != perm {
			t.Errorf("%s denied: load error %v", method, err)
		}
	}
}

// A repaired policy whose attachment then fails gets its old content back.
func TestOrgSCPRepairIsUndoneWhenTheAttachmentFails(t *testing.T) {
	f := managementFake()
	f.root.SCPs = awsops.PolicyTypeEnabled
	old := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	f.scps = append(f.scps, awsops.SCP{ID: "p-rg000001", Name: RootDenySCPName, Targets: []string{testProd}})
	f.contents["p-rg000001"] = old
	_, _, p, err := planOrg(t, FixOrgRootSCP, f, given(FieldSCPTargets, testRoot))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apis(p), []string{"organizations:UpdatePolicy", "organizations:AttachPolicy"}) {
		t.Fatalf("calls %v", apis(p))
	}
	w := &failingOrgWriter{failOn: "AttachSCP"}
	res := p.Apply(context.Background(), w)
	if res.OK() || len(res.Undone) != 1 {
		t.Fatalf("result %s", res.Explain())
	}
	if last := w.log[len(w.log)-1]; last != "UpdateSCPContent p-rg000001 "+compactJSON(old) {
		t.Errorf("undo %q, want the old content restored (log %v)", last, w.log)
	}
}

// An undo that fails is said, with what to remove by hand.
func TestOrgSCPFailedUndoIsReported(t *testing.T) {
	_, _, p, _ := planOrg(t, FixOrgRootSCP, managementFake(), given(FieldSCPTargets, testRoot))
	w := &failingOrgWriter{failOn: "AttachSCP"}
	w.orgWriter.failOn = map[string]error{"DeleteSCP": orgDenied("organizations:DeletePolicy")}
	res := p.Apply(context.Background(), w)
	if res.OK() || len(res.UndoFailed) != 1 {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(res.Explain(), "SCP rootguard-deny-member-root saved and could NOT be undone") ||
		!strings.Contains(res.Todo(), "could not take back SCP rootguard-deny-member-root") {
		t.Errorf("explain %q\ntodo %q", res.Explain(), res.Todo())
	}
}
