package main

import (
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// attest marks an item done in the account's saved progress, as the
// wizard's m does: check, history and the wizard then see it.
func TestAttestThenCheckSeesIt(t *testing.T) {
	dir := t.TempDir()
	e := checkEnv{stateDir: dir}
	r := runCheckCmd(t, e, "--demo", "attest", "root-password", "--note", "in the team vault")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if want := "✓ root-password marked done in the demo account: Give root a long, unique password (holds until 2027-02-21).\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	a, ok := savedStore(t, dir, progress.DemoAccount).Attestation("root-password")
	if !ok || a.Note != "in the team vault" || !a.At.Equal(checkTestNow) {
		t.Fatalf("attestation = %+v, %v", a, ok)
	}
	c := runCheckCmd(t, e, "--demo", "check", "--format", "json", "--only", "root-password")
	if rep := decodeStrictReport(t, c.stdout); *(*rep.Results)[0].Status != string(steps.StatusAttested) {
		t.Errorf("check after attest: %s", *(*rep.Results)[0].Status)
	}
	h := runCheckCmd(t, e, "--demo", "history")
	wantContains(t, "history", h.stdout, "root-password", `"in the team vault"`)

	// --undo takes it back.
	r = runCheckCmd(t, e, "attest", "--undo", "root-password", "--demo")
	if r.code != exitOK || !strings.Contains(r.stdout, "root-password is no longer marked done in the demo account") {
		t.Fatalf("undo: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, ok := savedStore(t, dir, progress.DemoAccount).Attestation("root-password"); ok {
		t.Error("the attestation survived --undo")
	}
	c = runCheckCmd(t, e, "--demo", "check", "--format", "json", "--only", "root-password")
	if rep := decodeStrictReport(t, c.stdout); *(*rep.Results)[0].Status != string(steps.StatusManual) {
		t.Errorf("check after undo: %s", *(*rep.Results)[0].Status)
	}
	// Undoing what is not marked says so and changes nothing.
	r = runCheckCmd(t, e, "--demo", "attest", "--undo", "root-email")
	if r.code != exitOK || !strings.Contains(r.stdout, "root-email was not marked done in the demo account; nothing to undo.") {
		t.Errorf("undo of nothing: exit %d %q", r.code, r.stdout)
	}
}

// A real account's marks are kept under its account ID (the caller's).
func TestAttestRealAccountKeyedByItsID(t *testing.T) {
	code, stdout, stderr := progressRun(t, newFixDemo(), "attest", "root-email")
	if code != exitOK || !strings.Contains(stdout, "✓ root-email marked done in account "+demo.AccountID) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestAttestRefusesBeforeConnecting(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"attest"}, "name the item to mark done"},
		{[]string{"attest", "root-mfa"}, "root-mfa is verified live, so it cannot be marked done; only these items can: root-mfa-strength, root-password, root-email, root-recovery, root-multi-person"},
		{[]string{"attest", "root-pasword"}, `unknown item "root-pasword" — did you mean "root-password"?`},
		{[]string{"attest", "root-email", "root-password"}, "attest marks one item"},
		{[]string{"--demo", "attest", "root-email", "--no-save"}, "--no-save would keep nothing"},
		{[]string{"--demo", "attest", "root-email", "--undo", "--note", "x"}, "--note goes with a mark, not with --undo"},
		{[]string{"--demo", "attest", "root-email", "--note", "two\nlines"}, "--note: must be one line of text"},
		{[]string{"--demo", "attest", "root-email", "--note", strings.Repeat("n", 201)}, "--note: must be at most 200 characters (this is 201)"},
		{[]string{"--demo", "attest", "root-email", "--reset-demo"}, "--reset-demo does not apply to `rootguard attest`"},
		{[]string{"attest", "root-email", "--reset-demo"}, "--reset-demo does not apply"},
	} {
		r := runCheckCmd(t, checkEnv{}, tc.args...)
		if r.code != exitUsage || r.connects != 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d, %d connects, stderr %q, want %q", tc.args, r.code, r.connects, r.stderr, tc.want)
		}
	}
}

// A note is masked like everything saved: a secret in it is not kept.
func TestAttestNoteIsMasked(t *testing.T) {
	dir := t.TempDir()
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "--demo", "attest", "root-recovery", "--note", "key AKIAIOSFODNN7EXAMPLE in vault")
	if r.code != exitOK {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	a, _ := savedStore(t, dir, progress.DemoAccount).Attestation("root-recovery")
	if strings.Contains(a.Note, "AKIAIOSFODNN7EXAMPLE") {
		t.Errorf("note saved with an access key: %q", a.Note)
	}
}
