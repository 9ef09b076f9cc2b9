package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// connectedWith runs a command and returns the account flags it connected
// with (nil: it did not connect).
func connectedWith(t *testing.T, args ...string) (*accountFlags, checkRun) {
	t.Helper()
	var got *accountFlags
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	dir := t.TempDir()
	d := deps{now: func() time.Time { return checkTestNow }, stateDir: func() (string, error) { return dir, nil },
		connect: func(_ context.Context, af accountFlags) (awsops.Account, error) {
			got = &af
			return demo.New(demo.Options{Now: func() time.Time { return checkTestNow }, Scenario: af.Scenario}), nil
		}}
	code := run(context.Background(), args, ios, d)
	return got, checkRun{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestDemoFlagPicksTheScenario(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		scenario string
	}{
		{[]string{"--demo", "check"}, "new"},
		{[]string{"check", "--demo"}, "new"},
		{[]string{"--demo=org", "check"}, "org"},
		{[]string{"check", "--demo=org"}, "org"},
		{[]string{"--demo=new", "check"}, "new"},
		{[]string{"--demo=true", "check"}, "new"}, // as when --demo was a bool flag
		{[]string{"--demo=org", "history"}, ""},   // history reads saved progress only
	} {
		af, r := connectedWith(t, tc.args...)
		if r.code == exitUsage {
			t.Errorf("%v: exit 2: %s", tc.args, r.stderr)
			continue
		}
		if tc.scenario == "" {
			if af != nil {
				t.Errorf("%v connected: %+v", tc.args, af)
			}
			continue
		}
		if af == nil || !af.Demo || af.Scenario != tc.scenario {
			t.Errorf("%v connected with %+v, want the %s scenario", tc.args, af, tc.scenario)
		}
	}
	if af, _ := connectedWith(t, "--demo=false", "check"); af == nil || af.Demo {
		t.Errorf("--demo=false: %+v", af)
	}
}

// An unknown scenario is one line with a suggestion, exit 2, before any
// account is opened.
func TestDemoFlagUnknownScenario(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--demo=orgg", "check"}, `rootguard: unknown demo scenario "orgg" — did you mean "org"?` + "\n"},
		{[]string{"check", "--demo=nwe"}, `rootguard: unknown demo scenario "nwe" — did you mean "new"?` + "\n"},
		{[]string{"--demo=acme-corp"}, `rootguard: unknown demo scenario "acme-corp": use new, partial, hardened or org` + "\n"},
		{[]string{"--demo", "org"}, `rootguard: "org" is a demo scenario: write --demo=org (with =)` + "\n"},
		{[]string{"check", "--demo", "org"}, `rootguard: "org" is a demo scenario: write --demo=org (with =)` + "\n"},
		{[]string{"--demo", "org", "check"}, `rootguard: "org" is a demo scenario: write --demo=org (with =)` + "\n"},
	} {
		af, r := connectedWith(t, tc.args...)
		if r.code != exitUsage || r.stderr != tc.want || af != nil {
			t.Errorf("%v: exit %d, stderr %q, connected %v; want exit 2 and %q", tc.args, r.code, r.stderr, af != nil, tc.want)
		}
	}
	// Without --demo, a scenario's name is just an unknown word.
	if _, r := connectedWith(t, "check", "org"); !strings.Contains(r.stderr, `unexpected argument "org"`) {
		t.Errorf("check org: %q", r.stderr)
	}
}

func TestDemoFlagCompletesScenarios(t *testing.T) {
	for _, args := range [][]string{{"--demo="}, {"check", "--demo="}, {"--demo=o"}} {
		got := complete(t, deps{}, args...)
		if !slices.Contains(got, "org") || !slices.Contains(got, "new") {
			t.Errorf("%v completes %q", args, got)
		}
	}
}

// Each scenario keeps its own demo state and progress; the default keeps
// the file names from before scenarios.
func TestEachScenarioKeepsItsOwnState(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	runCheckCmd(t, e, "check", "--demo")
	runCheckCmd(t, e, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes")
	fix := runCheckCmd(t, e, "--demo=org", "fix", "org-root-access", "--yes", "--confirm", demo.AccountID)
	if fix.code != exitOK {
		t.Fatalf("fix: exit %d\n%s%s", fix.code, fix.stdout, fix.stderr)
	}
	for _, f := range []string{"demo.json", "demo-org.json", "demo.state.json", "demo-org.state.json"} {
		if _, err := os.Stat(filepath.Join(dir, "accounts", f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if fixes := savedStore(t, dir, progress.DemoAccount).Fixes(); len(fixes) != 1 || fixes[0].ItemID != steps.FixPasswordPolicy {
		t.Errorf("the new account's progress: %+v", fixes)
	}
	if fixes := savedStore(t, dir, "demo-org").Fixes(); len(fixes) != 1 || fixes[0].ItemID != steps.FixOrgRootAccess {
		t.Errorf("org progress %+v", fixes)
	}

	org := runCheckCmd(t, e, "check", "--demo=org", "--only", "org-root-access")
	wantContains(t, "the org scenario", org.stdout, "✓ pass")
	plain := runCheckCmd(t, e, "check", "--demo", "--only", "org-root-access,password-policy")
	wantContains(t, "the new account", plain.stdout, "Since last run", "the account is not in an organization", "✓ pass")
	hist := runCheckCmd(t, e, "--demo=org", "history")
	wantContains(t, "history --demo=org", hist.stdout, "the demo account (org scenario)", "org-root-access", "rootguard --demo=org history --item ID")
	if h := runCheckCmd(t, e, "--demo", "history"); strings.Contains(h.stdout, "org-root-access") || !strings.Contains(h.stdout, "Saved progress of the demo account: 1 run") {
		t.Errorf("history --demo:\n%s", h.stdout)
	}
	att := runCheckCmd(t, e, "--demo=org", "attest", "root-email")
	if att.code != exitOK || !strings.Contains(att.stdout, "org scenario") {
		t.Errorf("attest: exit %d %q %q", att.code, att.stdout, att.stderr)
	}
	if _, ok := savedStore(t, dir, progress.DemoAccount).Attestation("root-email"); ok {
		t.Error("the org scenario's attestation is in the new account's progress")
	}
	rep := runCheckCmd(t, e, "--demo=org", "report")
	wantContains(t, "report --demo=org", rep.stdout, "Manage member accounts' root access centrally")
}

func TestResetDemoResetsOnlyTheChosenScenario(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	runCheckCmd(t, e, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes")
	runCheckCmd(t, e, "--demo=org", "fix", "password-policy", "--preset", "recommended", "--yes")
	r := runCheckCmd(t, e, "check", "--demo=org", "--reset-demo", "--only", "password-policy")
	wantContains(t, "stderr", r.stderr, "Demo reset: the org scenario starts over")
	wantContains(t, "the org scenario after its reset", r.stdout, "✗ fail")
	if _, err := os.Stat(filepath.Join(dir, "accounts", "demo.state.json")); err != nil {
		t.Errorf("the new account's demo state went with the org reset: %v", err)
	}
	if n := len(savedStore(t, dir, progress.DemoAccount).Fixes()); n != 1 {
		t.Errorf("the new account's progress went with the org reset: %d fixes", n)
	}
	if n := len(savedStore(t, dir, "demo-org").Fixes()); n != 0 {
		t.Errorf("org fixes after its reset: %d", n)
	}
	plain := runCheckCmd(t, e, "check", "--demo", "--only", "password-policy")
	wantContains(t, "the new account", plain.stdout, "✓ pass")
	h := runCheckCmd(t, e, "--demo", "--reset-demo", "history")
	wantContains(t, "history --reset-demo", h.stderr, "Demo reset: starting over from a new, unhardened demo account.")
}

// A saved state of another scenario (a file copied by hand) is set aside,
// never restored into the wrong story.
func TestScenarioStateFilesDoNotMix(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	runCheckCmd(t, e, "--demo=org", "fix", "password-policy", "--preset", "recommended", "--yes")
	accounts := filepath.Join(dir, "accounts")
	data, err := os.ReadFile(filepath.Join(accounts, "demo-org.state.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(accounts, "demo.state.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCheckCmd(t, e, "check", "--demo", "--only", "password-policy")
	wantContains(t, "stderr", r.stderr, "could not be read", "the snapshot is of the org scenario", "started the demo fresh")
	wantContains(t, "stdout", r.stdout, "✗ fail")
}

func TestDemoHintsNameTheScenario(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo=org")
	wantContains(t, "check --demo=org", r.stdout, "Run `rootguard --demo=org` to walk through the open items")
	w := runWizardCmd(t, false, "", "--demo=org")
	wantContains(t, "the wizard without a terminal", w.stderr, "use `rootguard --demo=org check`")
	if plain := runCheckCmd(t, checkEnv{}, "check", "--demo"); !strings.Contains(plain.stdout, "Run `rootguard --demo` to walk") {
		t.Errorf("the default scenario's hint:\n%s", plain.stdout)
	}
}

func TestWizardConfigNamesTheScenario(t *testing.T) {
	for _, tc := range []struct {
		af   accountFlags
		want string
	}{
		{accountFlags{Demo: true, Scenario: "org"}, "org"},
		{accountFlags{Demo: true, Scenario: "new"}, ""},
		{accountFlags{Demo: true}, ""},
		{accountFlags{}, ""},
	} {
		if got := tc.af.shownScenario(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.af, got, tc.want)
		}
	}
}

// The org fixes on the command line: the typed confirmation is required,
// --dry-run writes nothing, and both take the org scenario to pass.
func TestOrgFixesOnTheCommandLine(t *testing.T) {
	for _, id := range []string{steps.FixOrgRootAccess, steps.FixOrgRootSCP} {
		t.Run(id, func(t *testing.T) {
			acct := demo.New(demo.Options{Scenario: "org", Now: func() time.Time { return fixTestNow }})
			code, out, _ := fixRun(t, acct, id, "--yes")
			if code != exitFindings || !strings.Contains(out, "needs a typed confirmation") || len(acct.Writes()) != 0 {
				t.Fatalf("without --confirm: exit %d, writes %v\n%s", code, acct.Writes(), out)
			}
			code, _, errOut := fixRun(t, acct, id, "--yes", "--confirm", "123456789012")
			if code != exitUsage || !strings.Contains(errOut, "does not match") || len(acct.Writes()) != 0 {
				t.Fatalf("a wrong --confirm: exit %d, writes %v, %q", code, acct.Writes(), errOut)
			}
			code, out, _ = fixRun(t, acct, id, "--yes", "--dry-run", "--confirm", demo.AccountID)
			if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") || len(acct.Writes()) != 0 {
				t.Fatalf("--dry-run: exit %d, writes %v", code, acct.Writes())
			}
			code, out, _ = fixRun(t, acct, id, "--yes", "--confirm", demo.AccountID)
			if code != exitOK || !strings.Contains(out, "Re-checked live: ✓ pass") {
				t.Fatalf("apply: exit %d\n%s", code, out)
			}
			n := len(acct.Writes())
			code, out, _ = fixRun(t, acct, id, "--yes", "--confirm", demo.AccountID)
			if code != exitOK || !strings.Contains(out, "Already in place") || len(acct.Writes()) != n {
				t.Fatalf("second run: exit %d, writes %v\n%s", code, acct.Writes(), out)
			}
		})
	}
}

func TestOrgSCPTargetsFlag(t *testing.T) {
	acct := demo.New(demo.Options{Scenario: "org", Now: func() time.Time { return fixTestNow }})
	code, out, _ := fixRun(t, acct, "org-root-scp", "--targets", demo.ProductionOU+","+demo.SandboxOU)
	wantContains(t, "the plan", out, "attachment to OU Production ("+demo.ProductionOU+")", "attachment to OU Sandbox ("+demo.SandboxOU+")",
		"Not covered by the targets you chose: 555566667777 (log-archive)")
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	code, _, errOut := fixRun(t, acct, "org-root-scp", "--targets", "ou-a1b2-nothere1")
	if code != exitUsage || !strings.Contains(errOut, `--targets: "ou-a1b2-nothere1" is not the organization root or one of its OUs; choose from r-a1b2, `) {
		t.Errorf("a bad target: exit %d, %q", code, errOut)
	}
	// The multi-line policy document stays indented under its parameter.
	_, out, _ = fixRun(t, acct, "org-root-scp")
	if !strings.Contains(out, "       Content = {\n                   \"Version\": \"2012-10-17\",") {
		t.Errorf("the document is not laid out under Content:\n%s", out)
	}
}

func TestOrgFixesNotAvailableInTheNewAccount(t *testing.T) {
	for _, id := range []string{steps.FixOrgRootAccess, steps.FixOrgRootSCP} {
		acct := newFixDemo()
		code, _, errOut := fixRun(t, acct, id, "--yes")
		if code != exitUsage || !strings.Contains(errOut, "is not in an organization") || len(acct.Writes()) != 0 {
			t.Errorf("%s: exit %d, %q", id, code, errOut)
		}
	}
}

// org-root-access through the command line against the real SDK clients
// over stubbed HTTP: a dry run makes no write request; with --yes and the
// typed ID the three writes go out in order. The account connect proved is
// the one the fix reads and writes through (its own interfaces).
func TestOrgRootAccessOverHTTPThroughTheCLI(t *testing.T) {
	const acct = "123456789012"
	orgAPI := "AWSOrganizationsV20161128."
	reads := func(reg *awstest.Registry, features awstest.Responder) {
		// The proven account carries the identity: it is not read again.
		reg.Register(awstest.JSONTarget(orgAPI+"DescribeOrganization"), awstest.JSON(200, `{"Organization":{"Id":"o-abc123","FeatureSet":"ALL","MasterAccountId":"`+acct+`"}}`))
		reg.Register(awstest.Query("ListOrganizationsFeatures"), features)
	}
	off := awstest.AWSError(400, "ServiceAccessNotEnabledException", "trusted access is off")

	dry := &awstest.Registry{}
	reads(dry, off)
	dry.Register(awstest.JSONTarget(orgAPI+"ListAWSServiceAccessForOrganization"), awstest.JSON(200, `{"EnabledServicePrincipals":[]}`))
	code, out, errOut := fixRun(t, proven(awsops.New(awstest.Config(dry))), "org-root-access", "--yes", "--dry-run", "--confirm", acct)
	dry.Verify(t)
	if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	for _, r := range dry.Requests() {
		if strings.Contains(r.Operation(), "Enable") {
			t.Errorf("the dry run wrote: %s", r.Operation())
		}
	}

	reg := &awstest.Registry{}
	defer reg.Verify(t)
	reads(reg, off)
	reg.Register(awstest.JSONTarget(orgAPI+"ListAWSServiceAccessForOrganization"), awstest.JSON(200, `{"EnabledServicePrincipals":[]}`))
	reg.Register(awstest.And(awstest.JSONTarget(orgAPI+"EnableAWSServiceAccess"), awstest.JSONField("ServicePrincipal", "iam.amazonaws.com")), awstest.JSON(200, `{}`))
	reg.Register(awstest.Query("EnableOrganizationsRootCredentialsManagement"), awstest.QueryResult(`<EnabledFeatures><member>RootCredentialsManagement</member></EnabledFeatures>`))
	reg.Register(awstest.Query("EnableOrganizationsRootSessions"), awstest.QueryResult(`<EnabledFeatures><member>RootCredentialsManagement</member><member>RootSessions</member></EnabledFeatures>`))
	reads(reg, awstest.QueryResult(`<OrganizationId>o-abc123</OrganizationId><EnabledFeatures><member>RootCredentialsManagement</member><member>RootSessions</member></EnabledFeatures>`))
	code, out, errOut = fixRun(t, proven(awsops.New(awstest.Config(reg))), "org-root-access", "--yes", "--confirm", acct)
	if code != exitOK || !strings.Contains(out, "Re-checked live: ✓ pass") {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	var writes []string
	for _, r := range reg.Requests() {
		if op := r.Operation(); strings.Contains(op, "Enable") {
			writes = append(writes, op[strings.LastIndexAny(op, ". ")+1:])
		}
	}
	if !slices.Equal(writes, []string{"EnableAWSServiceAccess", "EnableOrganizationsRootCredentialsManagement", "EnableOrganizationsRootSessions"}) {
		t.Errorf("writes %v", writes)
	}
}

func TestWizardOpensTheScenario(t *testing.T) {
	r := runWizardCmd(t, true, "\x03", "--demo=org")
	if len(r.connects) != 1 || !r.connects[0].Demo || r.connects[0].Scenario != "org" {
		t.Fatalf("connected with %+v (exit %d, %q)", r.connects, r.code, r.stderr)
	}
}

// The default scenario keeps the names saved demos had before scenarios.
func TestScenarioFileNames(t *testing.T) {
	if demoStateFileOf("new") != "demo.state.json" || demoStateFileOf("") != "demo.state.json" || demoProgressKey("new") != progress.DemoAccount {
		t.Errorf("the new account's files: %s, %s", demoStateFileOf("new"), demoProgressKey("new"))
	}
	if demoStateFileOf("org") != "demo-org.state.json" || demoProgressKey("org") != "demo-org" {
		t.Errorf("the org scenario's files: %s, %s", demoStateFileOf("org"), demoProgressKey("org"))
	}
	for _, name := range demo.ScenarioNames() {
		if _, err := progress.Open(t.TempDir(), demoProgressKey(name), progress.Options{}); err != nil {
			t.Errorf("%s: the progress key %q is refused: %v", name, demoProgressKey(name), err)
		}
		if got, ok := scenarioOfKey(demoProgressKey(name)); !ok || got != name {
			t.Errorf("scenarioOfKey(%q) = %q, %v", demoProgressKey(name), got, ok)
		}
	}
	if _, ok := scenarioOfKey("123456789012"); ok {
		t.Error("a real account's key was taken for a scenario")
	}
}
