package awsops_test

// HTTP-level tests of the Organizations fixes' reads and writes, and of
// both fixes' plans applied through the real SDK clients: every request
// and its parameters, the SCP document parsed statement by statement, the
// wait for the SCP policy type, rollback, a second run and a dry run.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

const (
	rootID   = "r-ab12"
	ouProd   = "ou-ab12-prod0001"
	ouWeb    = "ou-ab12-web00001"
	ouSbx    = "ou-ab12-sbx00001"
	policyID = "p-abcd1234"
)

func orgAWS(t *testing.T) (*awsops.AWS, *awstest.Registry) {
	t.Helper()
	a, reg := newAWS(t)
	a.PolicyTypePoll = awsops.Backoff{}
	return a, reg
}

func orgOp(op string, kv ...string) awstest.Matcher {
	ms := []awstest.Matcher{awstest.JSONTarget(orgTarget + op)}
	for i := 0; i+1 < len(kv); i += 2 {
		ms = append(ms, awstest.JSONField(kv[i], kv[i+1]))
	}
	return awstest.And(ms...)
}

// body decodes a JSON request body.
func body(t *testing.T, r *awstest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := r.JSON(&m); err != nil {
		t.Fatalf("%s body %s: %v", r.Operation(), r.Body, err)
	}
	return m
}

// opName is a request's operation without its protocol and service.
func opName(r *awstest.Request) string {
	s := r.Operation()
	return s[strings.LastIndexAny(s, ". ")+1:]
}

func rootsAnswer(status string) awstest.Responder {
	root := map[string]any{"Id": rootID, "Name": "Root", "Arn": "arn:aws:organizations::" + acct + ":root/o-x/" + rootID, "PolicyTypes": []any{}}
	if status != "" {
		root["PolicyTypes"] = []any{map[string]string{"Type": "SERVICE_CONTROL_POLICY", "Status": status}}
	}
	return awstest.JSONValue(map[string]any{"Roots": []any{root}})
}

func TestTrustedServicesPages(t *testing.T) {
	a, reg := orgAWS(t)
	reg.Register(orgOp("ListAWSServiceAccessForOrganization"), awstest.JSON(200,
		`{"EnabledServicePrincipals":[{"ServicePrincipal":"account.amazonaws.com"}],"NextToken":"t2"}`))
	reg.Register(orgOp("ListAWSServiceAccessForOrganization", "NextToken", "t2"), awstest.JSON(200,
		`{"EnabledServicePrincipals":[{"ServicePrincipal":"iam.amazonaws.com"}]}`))
	got, err := a.TrustedServices(context.Background())
	if err != nil || !slices.Equal(got, []string{"account.amazonaws.com", "iam.amazonaws.com"}) {
		t.Fatalf("%v, %v", got, err)
	}
	if b := body(t, reg.Requests()[0]); b["MaxResults"] != float64(20) {
		t.Errorf("first request %v", b)
	}
}

func TestOrganizationRoot(t *testing.T) {
	a, reg := orgAWS(t)
	reg.Register(orgOp("ListRoots"), rootsAnswer("PENDING_ENABLE"))
	root, err := a.OrganizationRoot(context.Background())
	if err != nil || root != (awsops.OrgRoot{ID: rootID, Name: "Root", SCPs: "PENDING_ENABLE"}) {
		t.Fatalf("%+v, %v", root, err)
	}
	for _, bad := range []string{`{"Roots":[]}`, `{"Roots":[{"Id":"not-a-root"}]}`, `{"Roots":[{"Id":"r-ab12"},{"Id":"r-cd34"}]}`} {
		a, reg := orgAWS(t)
		reg.Register(orgOp("ListRoots"), awstest.JSON(200, bad))
		_, err := a.OrganizationRoot(context.Background())
		wantKind(t, err, awsops.KindOther, "organizations:ListRoots")
	}
}

func TestOrganizationalUnitsWalksTheTree(t *testing.T) {
	a, reg := orgAWS(t)
	ou := func(id, name string) map[string]string {
		return map[string]string{"Id": id, "Name": name, "Arn": "arn:x"}
	}
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", rootID),
		awstest.JSONValue(map[string]any{"OrganizationalUnits": []any{ou(ouProd, "Production")}, "NextToken": "n2"}))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", rootID, "NextToken", "n2"),
		awstest.JSONValue(map[string]any{"OrganizationalUnits": []any{ou(ouSbx, "Sandbox")}}))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", ouProd),
		awstest.JSONValue(map[string]any{"OrganizationalUnits": []any{ou(ouWeb, "Web")}}))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", ouSbx), awstest.JSON(200, `{"OrganizationalUnits":[]}`))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", ouWeb), awstest.JSON(200, `{"OrganizationalUnits":[]}`))
	units, err := a.OrganizationalUnits(context.Background(), rootID)
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.OrgUnit{{ID: ouProd, Name: "Production", ParentID: rootID}, {ID: ouSbx, Name: "Sandbox", ParentID: rootID}, {ID: ouWeb, Name: "Web", ParentID: ouProd}}
	if !slices.Equal(units, want) {
		t.Errorf("units %+v", units)
	}
	if _, err := a.OrganizationalUnits(context.Background(), "ou-not-a-root"); err == nil {
		t.Error("a bad root ID was sent")
	}
}

func TestOrganizationalUnitsRefusesALoop(t *testing.T) {
	a, reg := orgAWS(t)
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", rootID),
		awstest.JSON(200, `{"OrganizationalUnits":[{"Id":"`+ouProd+`"}]}`))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", ouProd),
		awstest.JSON(200, `{"OrganizationalUnits":[{"Id":"`+ouProd+`"}]}`))
	_, err := a.OrganizationalUnits(context.Background(), rootID)
	wantKind(t, err, awsops.KindOther, "organizations:ListOrganizationalUnitsForParent")
}

func TestEnableTrustedAccessAndRootFeatures(t *testing.T) {
	a, reg := orgAWS(t)
	ctx := context.Background()
	reg.Register(orgOp("EnableAWSServiceAccess", "ServicePrincipal", "iam.amazonaws.com"), awstest.JSON(200, `{}`))
	reg.Register(awstest.Query("EnableOrganizationsRootCredentialsManagement"), awstest.QueryResult(
		`<OrganizationId>o-x</OrganizationId><EnabledFeatures><member>RootCredentialsManagement</member></EnabledFeatures>`))
	reg.Register(awstest.Query("EnableOrganizationsRootSessions"), awstest.AWSError(400, "ServiceAccessNotEnabledException", "trusted access is off"))
	if err := a.EnableTrustedAccess(ctx, awsops.IAMServicePrincipal); err != nil {
		t.Fatal(err)
	}
	if err := a.EnableRootCredentialsManagement(ctx); err != nil {
		t.Fatal(err)
	}
	err := a.EnableRootSessions(ctx)
	wantKind(t, err, awsops.KindNotEnabled, "iam:EnableOrganizationsRootSessions")
	for _, r := range reg.Find(awstest.Query("EnableOrganizationsRootCredentialsManagement")) {
		if f := r.Form(); len(f) != 2 || f.Get("Version") != "2010-05-08" {
			t.Errorf("form %v: the call takes no parameters", f)
		}
	}
}

// SCPs are enabled asynchronously: the writer polls ListRoots until the
// root reports them ENABLED.
func TestEnableSCPPolicyTypeWaits(t *testing.T) {
	a, reg := orgAWS(t)
	reg.Register(orgOp("EnablePolicyType", "RootId", rootID, "PolicyType", "SERVICE_CONTROL_POLICY"),
		awstest.JSONValue(map[string]any{"Root": map[string]any{"Id": rootID, "PolicyTypes": []any{map[string]string{"Type": "SERVICE_CONTROL_POLICY", "Status": "PENDING_ENABLE"}}}}))
	reg.Register(orgOp("ListRoots"), rootsAnswer("PENDING_ENABLE"))
	reg.Register(orgOp("ListRoots"), rootsAnswer(""))
	reg.Register(orgOp("ListRoots"), rootsAnswer("ENABLED"))
	if err := a.EnableSCPPolicyType(context.Background(), rootID); err != nil {
		t.Fatal(err)
	}
	if n := len(reg.Find(orgOp("ListRoots"))); n != 3 {
		t.Errorf("%d polls, want 3", n)
	}
}

func TestEnableSCPPolicyTypeAnswers(t *testing.T) {
	t.Run("already enabled", func(t *testing.T) {
		a, reg := orgAWS(t)
		reg.Register(orgOp("EnablePolicyType"), awstest.AWSError(400, "PolicyTypeAlreadyEnabledException", "enabled"))
		reg.Register(orgOp("ListRoots"), rootsAnswer("ENABLED"))
		if err := a.EnableSCPPolicyType(context.Background(), rootID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("enabled at once", func(t *testing.T) {
		a, reg := orgAWS(t)
		reg.Register(orgOp("EnablePolicyType"), awstest.JSONValue(map[string]any{"Root": map[string]any{"Id": rootID,
			"PolicyTypes": []any{map[string]string{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}}}}))
		if err := a.EnableSCPPolicyType(context.Background(), rootID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("denied", func(t *testing.T) {
		a, reg := orgAWS(t)
		reg.Register(orgOp("EnablePolicyType"), awstest.AWSError(400, "AccessDeniedException", "no"))
		wantKind(t, a.EnableSCPPolicyType(context.Background(), rootID), awsops.KindAccessDenied, "organizations:EnablePolicyType")
	})
	t.Run("being disabled", func(t *testing.T) {
		a, reg := orgAWS(t)
		reg.Register(orgOp("EnablePolicyType"), awstest.AWSError(400, "PolicyTypeAlreadyEnabledException", "enabled"))
		reg.Register(orgOp("ListRoots"), rootsAnswer("PENDING_DISABLE"))
		err := a.EnableSCPPolicyType(context.Background(), rootID)
		if wantKind(t, err, awsops.KindOther, "organizations:ListRoots"); !strings.Contains(err.Error(), "being disabled") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("a bad root ID is refused before any request", func(t *testing.T) {
		a, _ := orgAWS(t)
		wantKind(t, a.EnableSCPPolicyType(context.Background(), "r-"), awsops.KindOther, "organizations:EnablePolicyType")
	})
}

// The wait is bounded: after maxPolicyTypePolls answers that it is still
// pending, the writer gives up and says to run the fix again.
func TestEnableSCPPolicyTypeWaitIsBounded(t *testing.T) {
	a, reg := orgAWS(t)
	reg.Register(orgOp("EnablePolicyType"), awstest.JSON(200, `{}`))
	for range 60 {
		reg.Register(orgOp("ListRoots"), rootsAnswer("PENDING_ENABLE"))
	}
	err := a.EnableSCPPolicyType(context.Background(), rootID)
	wantKind(t, err, awsops.KindOther, "organizations:ListRoots")
	if !strings.Contains(err.Error(), "still enabling service control policies") || !strings.Contains(err.Error(), "run the fix again") {
		t.Errorf("error %v", err)
	}
}

// Canceling (ctrl+c) ends the wait at once, as canceled.
func TestEnableSCPPolicyTypeWaitIsCancellable(t *testing.T) {
	a, reg := orgAWS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg.Register(orgOp("EnablePolicyType"), awstest.JSON(200, `{}`))
	pending := rootsAnswer("PENDING_ENABLE")
	reg.Register(orgOp("ListRoots"), func(r *awstest.Request) (*http.Response, error) {
		cancel() // the user presses ctrl+c while AWS is still enabling
		return pending(r)
	})
	err := a.EnableSCPPolicyType(ctx, rootID)
	wantKind(t, err, awsops.KindCanceled, "")
}

func TestSCPWrites(t *testing.T) {
	a, reg := orgAWS(t)
	ctx := context.Background()
	reg.Register(orgOp("CreatePolicy"), awstest.JSONValue(map[string]any{"Policy": map[string]any{
		"PolicySummary": map[string]any{"Id": policyID, "Name": "n", "Type": "SERVICE_CONTROL_POLICY"}, "Content": "{}"}}))
	reg.Register(orgOp("AttachPolicy", "PolicyId", policyID, "TargetId", ouProd), awstest.JSON(200, `{}`))
	reg.Register(orgOp("AttachPolicy", "PolicyId", policyID, "TargetId", rootID), awstest.AWSError(400, "DuplicatePolicyAttachmentException", "attached"))
	reg.Register(orgOp("DetachPolicy", "PolicyId", policyID, "TargetId", ouProd), awstest.JSON(200, `{}`))
	reg.Register(orgOp("UpdatePolicy", "PolicyId", policyID, "Content", `{"v":1}`), awstest.JSON(200, `{"Policy":{}}`))
	reg.Register(orgOp("DeletePolicy", "PolicyId", policyID), awstest.AWSError(400, "PolicyInUseException", "attached"))
	id, err := a.CreateSCP(ctx, awsops.NewSCP{Name: "n", Description: "d", Content: `{"v":1}`})
	if err != nil || id != policyID {
		t.Fatalf("%q, %v", id, err)
	}
	if b := body(t, reg.Find(orgOp("CreatePolicy"))[0]); b["Name"] != "n" || b["Description"] != "d" || b["Content"] != `{"v":1}` || b["Type"] != "SERVICE_CONTROL_POLICY" {
		t.Errorf("CreatePolicy body %v", b)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.AttachSCP(ctx, policyID, ouProd))
	must(a.AttachSCP(ctx, policyID, rootID)) // already attached: success
	must(a.DetachSCP(ctx, policyID, ouProd))
	must(a.UpdateSCPContent(ctx, policyID, `{"v":1}`))
	wantKind(t, a.DeleteSCP(ctx, policyID), awsops.KindOther, "organizations:DeletePolicy")
	// IDs of another shape never reach AWS.
	wantKind(t, a.AttachSCP(ctx, policyID, "../etc"), awsops.KindOther, "organizations:AttachPolicy")
	wantKind(t, a.DetachSCP(ctx, "p-1", rootID), awsops.KindOther, "organizations:DetachPolicy")
	wantKind(t, a.DeleteSCP(ctx, ""), awsops.KindOther, "organizations:DeletePolicy")
}

func TestCreateSCPWithoutAnIDIsAnError(t *testing.T) {
	a, reg := orgAWS(t)
	reg.Register(orgOp("CreatePolicy"), awstest.JSON(200, `{"Policy":{}}`))
	_, err := a.CreateSCP(context.Background(), awsops.NewSCP{Name: "n", Content: "{}"})
	wantKind(t, err, awsops.KindOther, "organizations:CreatePolicy")
}

// --- the fixes through the real clients

// orgReads registers what both fixes read first: who calls and the
// organization (this account manages it).
func orgReads(reg *awstest.Registry, features string) {
	reg.Register(awstest.Query("GetCallerIdentity"), awstest.QueryResult(`<Arn>arn:aws:iam::`+acct+`:user/admin</Arn><UserId>AIDAEXAMPLE</UserId><Account>`+acct+`</Account>`))
	reg.Register(awstest.Query("ListAccountAliases"), awstest.QueryResult(`<AccountAliases/><IsTruncated>false</IsTruncated>`))
	reg.Register(orgOp("DescribeOrganization"), awstest.JSON(200, `{"Organization":{"Id":"o-abc123","FeatureSet":"ALL","MasterAccountId":"`+acct+`"}}`))
}

func featuresAnswer(features ...string) awstest.Responder {
	var members string
	for _, f := range features {
		members += "<member>" + f + "</member>"
	}
	return awstest.QueryResult(`<OrganizationId>o-abc123</OrganizationId><EnabledFeatures>` + members + `</EnabledFeatures>`)
}

func loadPlanHTTP(t *testing.T, a *awsops.AWS, id string, v steps.Values) steps.Plan {
	t.Helper()
	fix, _ := steps.FixFor(id)
	st, err := fix.Load(context.Background(), fixFacts(a))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	p, err := fix.Plan(st, steps.NewInput(v))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func TestFixOrgRootAccessRequests(t *testing.T) {
	a, reg := orgAWS(t)
	orgReads(reg, "")
	reg.Register(orgOp("ListAWSServiceAccessForOrganization"), awstest.JSON(200, `{"EnabledServicePrincipals":[]}`))
	reg.Register(awstest.Query("ListOrganizationsFeatures"), awstest.AWSError(400, "ServiceAccessNotEnabledException", "off"))
	p := loadPlanHTTP(t, a, steps.FixOrgRootAccess, nil)
	if p.Confirm == nil || p.Confirm.Want != acct {
		t.Fatalf("confirm %+v", p.Confirm)
	}
	reg.Register(orgOp("EnableAWSServiceAccess", "ServicePrincipal", "iam.amazonaws.com"), awstest.JSON(200, `{}`))
	reg.Register(awstest.Query("EnableOrganizationsRootCredentialsManagement"), featuresAnswer("RootCredentialsManagement"))
	reg.Register(awstest.Query("EnableOrganizationsRootSessions"), featuresAnswer("RootCredentialsManagement", "RootSessions"))
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	var ops []string
	for _, r := range reg.Requests() {
		ops = append(ops, opName(r))
	}
	tail := ops[len(ops)-3:]
	if !slices.Equal(tail, []string{"EnableAWSServiceAccess", "EnableOrganizationsRootCredentialsManagement", "EnableOrganizationsRootSessions"}) {
		t.Errorf("writes in order: %v", tail)
	}

	// The re-check reads the features again: both on, the item passes.
	orgReads(reg, "")
	reg.Register(awstest.Query("ListOrganizationsFeatures"), featuresAnswer("RootCredentialsManagement", "RootSessions"))
	it, _ := steps.Lookup(steps.FixOrgRootAccess)
	if r := steps.Reverify(context.Background(), a, it, steps.FactsOptions{}); r.Status != steps.StatusPass {
		t.Errorf("re-check %s (%s)", r.Status, r.Summary)
	}
}

func TestFixOrgRootAccessSecondRunWritesNothing(t *testing.T) {
	a, reg := orgAWS(t)
	orgReads(reg, "")
	reg.Register(orgOp("ListAWSServiceAccessForOrganization"), awstest.JSON(200, `{"EnabledServicePrincipals":[{"ServicePrincipal":"iam.amazonaws.com"}]}`))
	reg.Register(awstest.Query("ListOrganizationsFeatures"), featuresAnswer("RootCredentialsManagement", "RootSessions"))
	p := loadPlanHTTP(t, a, steps.FixOrgRootAccess, nil)
	n := len(reg.Requests())
	if res := p.Apply(context.Background(), a); !p.NoOp || !res.NoOp || len(reg.Requests()) != n {
		t.Fatalf("plan %+v made %d requests", p, len(reg.Requests())-n)
	}
}

// orgSCPReads registers the org-root-scp fix's reads: a root with SCPs
// in status scps, two OUs, members in each, and the policies listed.
func orgSCPReads(reg *awstest.Registry, scps string, policies string) {
	orgReads(reg, "")
	reg.Register(orgOp("ListRoots"), rootsAnswer(scps))
	reg.Register(orgOp("ListAccounts"), awstest.JSON(200, `{"Accounts":[
		{"Id":"`+acct+`","Name":"mgmt","State":"ACTIVE"},
		{"Id":"222233334444","Name":"prod","State":"ACTIVE"},
		{"Id":"333344445555","Name":"sandbox","State":"ACTIVE"}]}`))
	reg.Register(orgOp("ListParents", "ChildId", acct), awstest.JSON(200, `{"Parents":[{"Id":"`+rootID+`","Type":"ROOT"}]}`))
	reg.Register(orgOp("ListParents", "ChildId", "222233334444"), awstest.JSON(200, `{"Parents":[{"Id":"`+ouProd+`","Type":"ORGANIZATIONAL_UNIT"}]}`))
	reg.Register(orgOp("ListParents", "ChildId", "333344445555"), awstest.JSON(200, `{"Parents":[{"Id":"`+ouSbx+`","Type":"ORGANIZATIONAL_UNIT"}]}`))
	reg.Register(orgOp("ListParents", "ChildId", ouProd), awstest.JSON(200, `{"Parents":[{"Id":"`+rootID+`","Type":"ROOT"}]}`))
	reg.Register(orgOp("ListParents", "ChildId", ouSbx), awstest.JSON(200, `{"Parents":[{"Id":"`+rootID+`","Type":"ROOT"}]}`))
	reg.Register(orgOp("ListPolicies", "Filter", "SERVICE_CONTROL_POLICY"), awstest.JSON(200, `{"Policies":[`+policies+`]}`))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", rootID), awstest.JSON(200,
		`{"OrganizationalUnits":[{"Id":"`+ouProd+`","Name":"Production"},{"Id":"`+ouSbx+`","Name":"Sandbox"}]}`))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", ouProd), awstest.JSON(200, `{"OrganizationalUnits":[]}`))
	reg.Register(orgOp("ListOrganizationalUnitsForParent", "ParentId", ouSbx), awstest.JSON(200, `{"OrganizationalUnits":[]}`))
}

const fullAccessListed = `{"Id":"p-FullAWSAccess","Name":"FullAWSAccess","AwsManaged":true,"Type":"SERVICE_CONTROL_POLICY"}`

// The SCP sent to CreatePolicy, parsed statement by statement: a Deny of
// every action on every resource to arn:aws:iam::*:root with ArnLike,
// except aws:AssumedRoot sessions (Null).
func checkSCPDocument(t *testing.T, content string) {
	t.Helper()
	var doc struct {
		Version   string
		Statement []map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		t.Fatalf("content %s: %v", content, err)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) != 1 {
		t.Fatalf("document %s", content)
	}
	s := doc.Statement[0]
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range s {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(keys, []string{"Action", "Condition", "Effect", "Resource", "Sid"}) {
		t.Errorf("statement keys %v", keys)
	}
	for k, want := range map[string]string{"Effect": `"Deny"`, "Action": `"*"`, "Resource": `"*"`} {
		if string(s[k]) != want {
			t.Errorf("%s = %s, want %s", k, s[k], want)
		}
	}
	var cond map[string]map[string]string
	if err := json.Unmarshal(s["Condition"], &cond); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}, "Null": {"aws:AssumedRoot": "true"}}
	if fmt.Sprint(cond) != fmt.Sprint(want) {
		t.Errorf("condition %v, want %v", cond, want)
	}
}

func TestFixOrgRootSCPRequests(t *testing.T) {
	a, reg := orgAWS(t)
	orgSCPReads(reg, "", fullAccessListed)
	p := loadPlanHTTP(t, a, steps.FixOrgRootSCP, nil) // the default: the organization root
	reg.Register(orgOp("EnablePolicyType", "RootId", rootID, "PolicyType", "SERVICE_CONTROL_POLICY"), awstest.JSON(200, `{}`))
	reg.Register(orgOp("ListRoots"), rootsAnswer("PENDING_ENABLE"))
	reg.Register(orgOp("ListRoots"), rootsAnswer("ENABLED"))
	reg.Register(orgOp("CreatePolicy"), awstest.JSONValue(map[string]any{"Policy": map[string]any{"PolicySummary": map[string]any{"Id": policyID}}}))
	reg.Register(orgOp("AttachPolicy", "PolicyId", policyID, "TargetId", rootID), awstest.JSON(200, `{}`))
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	create := reg.Find(orgOp("CreatePolicy"))
	b := body(t, create[0])
	if b["Name"] != steps.RootDenySCPName || b["Type"] != "SERVICE_CONTROL_POLICY" || b["Description"] == "" {
		t.Errorf("CreatePolicy %v", b)
	}
	content, _ := b["Content"].(string)
	checkSCPDocument(t, content)
	if d := awsops.AnalyzeRootDeny(content); !d.Denies || len(d.NarrowedBy)+len(d.Except) != 0 {
		t.Errorf("the check does not credit the document sent: %+v", d)
	}
}

func TestFixOrgRootSCPRollbackOverHTTP(t *testing.T) {
	a, reg := orgAWS(t)
	orgSCPReads(reg, "ENABLED", fullAccessListed)
	p := loadPlanHTTP(t, a, steps.FixOrgRootSCP, steps.Values{steps.FieldSCPTargets: ouProd + "," + ouSbx})
	reg.Register(orgOp("CreatePolicy"), awstest.JSONValue(map[string]any{"Policy": map[string]any{"PolicySummary": map[string]any{"Id": policyID}}}))
	reg.Register(orgOp("AttachPolicy", "TargetId", ouProd), awstest.JSON(200, `{}`))
	reg.Register(orgOp("AttachPolicy", "TargetId", ouSbx), awstest.AWSError(400, "ConstraintViolationException", "too many policies"))
	reg.Register(orgOp("DetachPolicy", "PolicyId", policyID, "TargetId", ouProd), awstest.JSON(200, `{}`))
	reg.Register(orgOp("DeletePolicy", "PolicyId", policyID), awstest.JSON(200, `{}`))
	res := p.Apply(context.Background(), a)
	if res.OK() || len(res.Undone) != 2 || len(res.UndoFailed) != 0 {
		t.Fatalf("result: %s", res.Explain())
	}
	var tail []string
	for _, r := range reg.Requests()[len(reg.Requests())-5:] {
		tail = append(tail, opName(r))
	}
	if !slices.Equal(tail, []string{"CreatePolicy", "AttachPolicy", "AttachPolicy", "DetachPolicy", "DeletePolicy"}) {
		t.Errorf("requests %v", tail)
	}
}

func TestFixOrgRootSCPSecondRunWritesNothing(t *testing.T) {
	a, reg := orgAWS(t)
	orgSCPReads(reg, "ENABLED", fullAccessListed+`,{"Id":"`+policyID+`","Name":"`+steps.RootDenySCPName+`","AwsManaged":false,"Type":"SERVICE_CONTROL_POLICY"}`)
	doc := steps.RootDenySCP("aws")
	reg.Register(orgOp("DescribePolicy", "PolicyId", policyID), awstest.JSONValue(map[string]any{"Policy": map[string]any{"Content": doc}}))
	reg.Register(orgOp("ListTargetsForPolicy", "PolicyId", policyID), awstest.JSON(200, `{"Targets":[{"TargetId":"`+rootID+`","Type":"ROOT"}]}`))
	reg.Register(orgOp("DescribePolicy", "PolicyId", policyID), awstest.JSONValue(map[string]any{"Policy": map[string]any{"Content": doc}}))
	p := loadPlanHTTP(t, a, steps.FixOrgRootSCP, nil)
	n := len(reg.Requests())
	if res := p.Apply(context.Background(), a); !p.NoOp || !res.NoOp || len(reg.Requests()) != n {
		t.Fatalf("plan %+v; %d requests after planning", p, len(reg.Requests())-n)
	}
}
