package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

var fixTestNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// fixRun runs `rootguard fix …` against acct (nil: connecting fails the
// test, for inputs that must be rejected before any AWS call).
func fixRun(t *testing.T, acct awsops.Account, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	dir := t.TempDir()
	d := deps{now: func() time.Time { return fixTestNow }, stateDir: func() (string, error) { return dir, nil }}
	d.connect = func(ctx context.Context, opts accountFlags) (awsops.Account, error) {
		if acct == nil {
			t.Fatalf("fix %v connected to AWS; invalid input must be rejected first", args)
		}
		return acct, nil
	}
	code = run(context.Background(), append([]string{"fix"}, args...), ios, d)
	return code, out.String(), errOut.String()
}

func newFixDemo() *demo.Account {
	return demo.New(demo.Options{Now: func() time.Time { return fixTestNow }})
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

func TestFixList(t *testing.T) {
	code, out, _ := fixRun(t, nil, "--list")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	wantContains(t, "fix --list", out,
		"password-policy         available", "alternate-contacts      available", "contact-info            available",
		"s3-block-public-access  available", "root-access-keys        available",
		"admin-identity          available", "root-activity-alert     available", "budget-alert            available",
		"org-root-access         available", "org-root-scp            available",
		"needs: the organization's management account",
		"permissions: iam:UpdateAccountPasswordPolicy")
}

func TestFixUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "name the item to fix"},
		{[]string{"admin-identity"}, "--user-name: name the new administrator"},
		{[]string{"root-mfa"}, `"root-mfa" is not a fixable item`},
		{[]string{"password-policy"}, "--preset: choose recommended, strict or custom"},
		{[]string{"password-policy", "--preset", "lax"}, `--preset: must be recommended, strict or custom (got "lax")`},
		{[]string{"password-policy", "--preset", "strict", "--min-length", "5", "--max-age", "2000"},
			"--min-length: must be 6–128 characters\n  --max-age: must be 1–1095 days"},
		{[]string{"password-policy", "--reuse", "30"}, "--reuse: must be 1–24 passwords, or 0 for no reuse prevention"},
		{[]string{"alternate-contacts"}, "give at least one contact"},
		{[]string{"alternate-contacts", "--security-email", "ana@", "--security-phone", "ext. 5"},
			"--security-email: must be an email address like name@example.com\n  --security-phone: may contain only digits"},
		{[]string{"alternate-contacts", "--billing-same-as-security", "--billing-name", "Bo"}, "--billing-same-as-security: cannot be combined"},
		{[]string{"alternate-contacts", "--operations-title", strings.Repeat("t", 51)}, "--operations-title: must be 1–50 characters (this is 51)"},
		{[]string{"contact-info"}, "give the contact details to set"},
		{[]string{"contact-info", "--phone", "206 555 0100"}, "--phone: must start with +"},
		{[]string{"contact-info", "--country-code", "USA"}, "--country-code: must be a two-letter country code"},
		{[]string{"contact-info", "--nope"}, ""},
	} {
		code, out, errOut := fixRun(t, nil, tc.args...)
		if code != exitUsage {
			t.Errorf("fix %q: exit %d, want %d\n%s", tc.args, code, exitUsage, errOut)
		}
		if out != "" {
			t.Errorf("fix %q wrote to stdout: %q", tc.args, out)
		}
		wantContains(t, "stderr", errOut, tc.msg)
	}
}

func TestFixHelp(t *testing.T) {
	code, out, errOut := fixRun(t, nil, "password-policy", "--help")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	wantContains(t, "help", out, "--preset", "--min-length", "--dry-run", "--yes", "--demo",
		"-state-dir", "-no-save", "-reset-demo", "--reset-demo starts the demo over",
		"Exit codes (as check with --fail-on fail)", "re-checked pass, warn, n/a or attested")
}

func TestFixPasswordPolicyPlanApplyIdempotent(t *testing.T) {
	acct := newFixDemo()

	// Without --yes: the plan, and nothing written.
	code, out, _ := fixRun(t, acct, "password-policy", "--preset", "recommended")
	if code != exitFindings {
		t.Errorf("plan only: exit %d, want %d", code, exitFindings)
	}
	wantContains(t, "plan", out, "Set the IAM account password policy (password-policy)",
		"Changes (every field now: no policy: AWS default):", "Minimum length                   →  14",
		"1. iam:UpdateAccountPasswordPolicy (password policy)", "MinimumPasswordLength = 14",
		"MaxPasswordAge = (omitted: never expire)", "PasswordReusePrevention = 24",
		"Nothing was written; re-run with --yes to apply.")
	// --dry-run never writes, even with --yes.
	code, out, _ = fixRun(t, acct, "password-policy", "--preset", "recommended", "--yes", "--dry-run")
	if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if w := acct.Writes(); len(w) != 0 {
		t.Fatalf("writes without --yes: %v", w)
	}

	code, out, _ = fixRun(t, acct, "password-policy", "--preset", "recommended", "--yes")
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	wantContains(t, "apply", out, "✓ password policy saved", "Re-checked live: ✓ pass  the password policy meets the recommended preset",
		"MinimumPasswordLength: 14")
	if w := acct.Writes(); len(w) != 1 || !strings.HasPrefix(w[0], "UpdatePasswordPolicy MinimumLength=14 ") {
		t.Fatalf("writes = %v", w)
	}

	// Idempotent: the second run writes nothing and says so.
	code, out, _ = fixRun(t, acct, "password-policy", "--preset", "recommended", "--yes")
	if code != exitOK || !strings.Contains(out, "Already in place; nothing to do") {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}
	if w := acct.Writes(); len(w) != 1 {
		t.Fatalf("second apply wrote: %v", w)
	}
}

func TestFixPasswordPolicyCustomAndWeakening(t *testing.T) {
	acct := newFixDemo()
	// With no policy set, custom starts from the recommended preset, as the wizard does.
	code, out, errOut := fixRun(t, acct, "password-policy", "--min-length", "20")
	if code != exitFindings {
		t.Fatalf("custom without a policy: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "custom from recommended", out, "Note: No password policy is set, so custom starts from the recommended preset.",
		"MinimumPasswordLength = 20", "PasswordReusePrevention = 24", "RequireSymbols = true")
	// Overriding a preset's field says the result is no longer the preset.
	code, out, _ = fixRun(t, acct, "password-policy", "--preset", "strict", "--min-length", "20", "--yes")
	if code != exitOK {
		t.Fatalf("strict: exit %d\n%s", code, out)
	}
	wantContains(t, "strict overridden", out, `Note: --min-length changes the strict preset: the result is a custom policy, no longer "strict".`)
	// A flag that repeats the preset's value changes nothing and says nothing.
	if _, out, _ := fixRun(t, newFixDemo(), "password-policy", "--preset", "recommended", "--min-length", "14"); strings.Contains(out, "Note:") {
		t.Errorf("a flag equal to the preset's value got a note:\n%s", out)
	}
	// Custom changes one field and keeps the rest of the current policy.
	code, out, _ = fixRun(t, acct, "password-policy", "--reuse", "12", "--yes")
	wantContains(t, "custom", out, "Reuse prevention  last 24 passwords  →  last 12 passwords",
		"Weaker than the current policy: lowers reuse prevention from 24 to 12 passwords.", "MaxPasswordAge = 90", "MinimumPasswordLength = 20")
	// Written, and the re-check warns: exit 0, as check --fail-on fail.
	if code != exitOK || !strings.Contains(out, "Re-checked live: ! warn") {
		t.Errorf("reuse 12 is weaker than recommended but saved: exit %d\n%s", code, out)
	}
	// Recommended over the stricter policy warns before writing.
	_, out, _ = fixRun(t, acct, "password-policy", "--preset", "recommended")
	wantContains(t, "weakening", out, "! Weaker than the current policy: lowers the minimum length from 20 to 14 characters.",
		"removes password expiry (now: 90 days)")
}

func TestFixPasswordPolicyDenied(t *testing.T) {
	acct := newFixDemo()
	acct.SetFail("UpdatePasswordPolicy", demo.AccessDenied("iam:UpdateAccountPasswordPolicy"))
	code, out, _ := fixRun(t, acct, "password-policy", "--preset", "strict", "--yes")
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	wantContains(t, "denied", out, "✗ access denied: needs iam:UpdateAccountPasswordPolicy; nothing was changed",
		"→ Grant iam:UpdateAccountPasswordPolicy to the identity")
	if strings.Contains(out, "Re-checked") {
		t.Errorf("nothing was written, so nothing to re-check:\n%s", out)
	}

	acct = newFixDemo()
	acct.SetFail("PasswordPolicy", demo.AccessDenied("iam:GetAccountPasswordPolicy"))
	code, out, errOut := fixRun(t, acct, "password-policy", "--preset", "strict", "--yes")
	if code != exitFindings || out != "" {
		t.Errorf("read denied: exit %d, stdout %q", code, out)
	}
	wantContains(t, "read denied", errOut, "could not read the current password policy: access denied (needs iam:GetAccountPasswordPolicy); nothing was written.")
	if w := acct.Writes(); len(w) != 0 {
		t.Errorf("writes = %v", w)
	}

	acct = newFixDemo()
	acct.SetFail("UpdatePasswordPolicy", awsops.Wrap("iam:UpdateAccountPasswordPolicy", &awsops.Error{Kind: awsops.KindCredentials, Code: "ExpiredToken", Message: "expired"}))
	if code, _, _ := fixRun(t, acct, "password-policy", "--preset", "strict", "--yes"); code != exitUsage {
		t.Errorf("expired credentials: exit %d, want %d", code, exitUsage)
	}
}

func TestFixConnectErrorIsExit2(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := IOStreams{Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	d := deps{now: time.Now, connect: func(context.Context, accountFlags) (awsops.Account, error) {
		return nil, connectError("dev", errors.New("failed to get shared config profile, dev"))
	}}
	if code := run(context.Background(), []string{"fix", "contact-info", "--phone", "+1 1"}, ios, d); code != exitUsage {
		t.Errorf("exit %d", code)
	}
	wantContains(t, "stderr", errOut.String(), `AWS profile "dev" was not found`)
}

var fixContactArgs = []string{
	"--security-name", "Ana Lima", "--security-title", "CISO", "--security-email", "ana@example.com", "--security-phone", "+1 206 555 0100",
	"--billing-name", "Bo Chen", "--billing-title", "CFO", "--billing-email", "billing@example.com", "--billing-phone", "+1 206 555 0101",
	"--operations-name", "Cy Diaz", "--operations-title", "SRE lead", "--operations-email", "ops@example.com", "--operations-phone", "(206) 555-0102",
}

func TestFixAlternateContacts(t *testing.T) {
	acct := newFixDemo()
	code, out, _ := fixRun(t, acct, append([]string{"alternate-contacts", "--yes"}, fixContactArgs...)...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantContains(t, "apply", out, "Changes (every field now: not set):", "security email    →  ana@example.com",
		"1. account:PutAlternateContact (security contact)", "AlternateContactType = SECURITY", "PhoneNumber = (206) 555-0102",
		"✓ security contact saved; billing contact saved; operations contact saved",
		"Re-checked live: ✓ pass  security, billing and operations contacts are set")
	if w := acct.Writes(); len(w) != 3 {
		t.Fatalf("writes = %v", w)
	}
	// Only the changed type is written; other fields of it keep their values.
	code, out, _ = fixRun(t, acct, "alternate-contacts", "--billing-phone", "+44 20 7946 0000", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantContains(t, "one field", out, "billing phone  +1 206 555 0101  →  +44 20 7946 0000", "Name = Bo Chen", "✓ billing contact saved\n")
	if w := acct.Writes(); len(w) != 4 || w[3] != "PutAlternateContact Type=BILLING" {
		t.Fatalf("writes = %v", w)
	}
	// Idempotent.
	code, out, _ = fixRun(t, acct, append([]string{"alternate-contacts", "--yes", "--billing-phone", "+44 20 7946 0000"}, fixContactArgs[:8]...)...)
	if code != exitOK || !strings.Contains(out, "Already in place") || len(acct.Writes()) != 4 {
		t.Errorf("second run: exit %d, writes %v\n%s", code, acct.Writes(), out)
	}
}

func TestFixAlternateContactsSameAsSecurity(t *testing.T) {
	acct := newFixDemo()
	code, out, _ := fixRun(t, acct, append([]string{"alternate-contacts", "--yes", "--billing-same-as-security", "--operations-same-as-security"}, fixContactArgs[:8]...)...)
	// All three are one person: saved, and the check warns: exit 0, as
	// check --fail-on fail.
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
	wantContains(t, "same", out, "operations name   →  Ana Lima", "! All three contacts would be the same address",
		"✓ security contact saved; billing contact saved; operations contact saved", "Re-checked live: ! warn  all three alternate contacts are the same person")

	// A shortcut with no security contact anywhere is an input error.
	code, _, errOut := fixRun(t, newFixDemo(), "alternate-contacts", "--billing-same-as-security")
	if code != exitUsage || !strings.Contains(errOut, "there is no security contact to copy") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	// A partial new contact lacks required fields.
	code, _, errOut = fixRun(t, newFixDemo(), "alternate-contacts", "--security-email", "ana@example.com")
	if code != exitUsage || !strings.Contains(errOut, "--security-name: is required") || !strings.Contains(errOut, "--security-phone: is required") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

// secondContactDenied denies the second PutAlternateContact of a run.
type secondContactDenied struct {
	*demo.Account
	mu    sync.Mutex
	calls int
}

func (a *secondContactDenied) PutAlternateContact(ctx context.Context, c awsops.AlternateContact) error {
	a.mu.Lock()
	a.calls++
	n := a.calls
	a.mu.Unlock()
	if n == 2 {
		return demo.AccessDenied("account:PutAlternateContact")
	}
	return a.Account.PutAlternateContact(ctx, c)
}

func TestFixAlternateContactsFailsMidway(t *testing.T) {
	acct := &secondContactDenied{Account: newFixDemo()}
	code, out, _ := fixRun(t, acct, append([]string{"alternate-contacts", "--yes"}, fixContactArgs...)...)
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	wantContains(t, "midway", out,
		"✗ security contact saved; billing contact NOT saved: access denied: needs account:PutAlternateContact; operations contact not attempted",
		"→ Grant account:PutAlternateContact",
		// The re-check shows the account as it is now: security set, the others not.
		"Re-checked live: ! warn  alternate contact missing: BILLING, OPERATIONS", "security: Ana Lima <ana@example.com>")
	if w := acct.Writes(); len(w) != 1 || w[0] != "PutAlternateContact Type=SECURITY" {
		t.Errorf("writes = %v", w)
	}
}

func TestFixContactInfo(t *testing.T) {
	acct := newFixDemo()
	code, out, _ := fixRun(t, acct, "contact-info", "--phone", "+1 206 555 0199", "--address-line2", "", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantContains(t, "contact info", out, "Phone           +1 206 555 0100  →  +1 206 555 0199",
		"Address line 2  Suite 400        →  (empty)", "! Address line 2 will be cleared",
		"1. account:PutContactInformation (contact information)", "ContactInformation.PhoneNumber = +1 206 555 0199",
		"✓ contact information saved", "Re-checked live: ✓ pass")
	if strings.Contains(out, "ContactInformation.AddressLine2") {
		t.Errorf("a cleared field is not sent:\n%s", out)
	}
	ci, _ := acct.ContactInformation(context.Background())
	if ci.PhoneNumber != "+1 206 555 0199" || ci.AddressLine2 != "" || ci.FullName == "" {
		t.Errorf("contact now %+v", ci)
	}
	// The state rule uses the final country: DE needs a state, FR does not.
	code, _, errOut := fixRun(t, acct, "contact-info", "--country-code", "de", "--state", "", "--yes")
	if code != exitUsage || !strings.Contains(errOut, "--state: is required for country DE") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	if code, out, _ := fixRun(t, acct, "contact-info", "--country-code", "fr", "--state", "", "--postal-code", "75001", "--city", "Paris", "--yes"); code != exitOK {
		t.Errorf("exit %d\n%s", code, out)
	}
	if code, out, _ := fixRun(t, acct, "contact-info", "--country-code", "FR", "--yes"); code != exitOK || !strings.Contains(out, "Already in place") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// noContactInfo is a demo account without contact information on file.
type noContactInfo struct{ *demo.Account }

func (noContactInfo) ContactInformation(context.Context) (*awsops.ContactInfo, error) {
	return nil, nil
}

func TestFixContactInfoFromNothing(t *testing.T) {
	acct := noContactInfo{newFixDemo()}
	code, _, errOut := fixRun(t, acct, "contact-info", "--phone", "+1 206 555 0100")
	if code != exitUsage {
		t.Errorf("exit %d", code)
	}
	wantContains(t, "stderr", errOut, "--full-name: is required", "--address-line1: is required", "--country-code: is required",
		"no contact information is on file yet, so every required field must be given")
}

// The real AWS backend over a stub registry: --dry-run (even with --yes)
// makes read requests only, and any write request would be unmatched.
func TestFixDryRunMakesNoWriteRequests(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stubs func(reg *awstest.Registry)
	}{
		{[]string{"password-policy", "--preset", "strict"}, func(reg *awstest.Registry) {
			reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(404, "NoSuchEntity", "none"))
		}},
		{append([]string{"alternate-contacts"}, fixContactArgs...), func(reg *awstest.Registry) {
			for range 3 {
				reg.Register(awstest.REST("POST", "/getAlternateContact"), awstest.AWSError(404, "ResourceNotFoundException", "none"))
			}
		}},
		{[]string{"contact-info", "--phone", "+1 206 555 0199"}, func(reg *awstest.Registry) {
			reg.Register(awstest.REST("POST", "/getContactInformation"), awstest.JSONValue(map[string]any{"ContactInformation": map[string]string{
				"FullName": "Jordan Lee", "AddressLine1": "1 Main St", "City": "Seattle", "StateOrRegion": "WA",
				"PostalCode": "98126", "CountryCode": "US", "PhoneNumber": "+1 206 555 0100"}}))
		}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			reg := &awstest.Registry{}
			tc.stubs(reg)
			code, out, errOut := fixRun(t, proven(awsops.New(awstest.Config(reg))), append(tc.args, "--yes", "--dry-run")...)
			reg.Verify(t)
			if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") {
				t.Errorf("exit %d\n%s%s", code, out, errOut)
			}
			for _, r := range reg.Requests() {
				if op := r.Operation(); !strings.Contains(op, "Get") && !strings.Contains(op, "/get") {
					t.Errorf("dry run made a write request: %s", op)
				}
			}
		})
	}
}

// With --yes against the real backend: read, write, then a fresh live read
// for the re-check (not the value cached before the write).
func TestFixApplyRereadsLive(t *testing.T) {
	reg := &awstest.Registry{}
	defer reg.Verify(t)
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.AWSError(404, "NoSuchEntity", "none"))
	reg.Register(awstest.Query("UpdateAccountPasswordPolicy"), awstest.QueryResult(""))
	reg.Register(awstest.Query("GetAccountPasswordPolicy"), awstest.QueryResult(`<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength>
		<RequireSymbols>true</RequireSymbols><RequireNumbers>true</RequireNumbers><RequireUppercaseCharacters>true</RequireUppercaseCharacters>
		<RequireLowercaseCharacters>true</RequireLowercaseCharacters><AllowUsersToChangePassword>true</AllowUsersToChangePassword>
		<PasswordReusePrevention>24</PasswordReusePrevention></PasswordPolicy>`))
	code, out, errOut := fixRun(t, proven(awsops.New(awstest.Config(reg))), "password-policy", "--preset", "recommended", "--yes")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "stdout", out, "✓ password policy saved", "Re-checked live: ✓ pass")
}

// proven is acct as connect returns a real account: its identity already
// read, so commands make no further GetCallerIdentity request.
func proven(acct awsops.Account) awsops.Account {
	return provenAccount{Account: acct, identity: awsops.Identity{Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/alice"}}
}

// fixRunLive runs `rootguard fix …` through defaultDeps, as a user would.
func fixRunLive(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: os.Getenv}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, append([]string{"fix"}, args...), ios, defaultDeps())
	return code, out.String(), errOut.String()
}

// Against moto (password policy and alternate contacts; moto has no contact
// information): a dry run changes nothing, the fix applies and re-checks
// pass, a separate `check` agrees, and a second fix writes nothing.
func TestMotoFixThenCheck(t *testing.T) {
	url := motoURL(t)
	motoAccountEnv(t, url)

	if code, out, errOut := fixRunLive(t, "password-policy", "--preset", "recommended", "--yes", "--dry-run"); code != exitFindings {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	_, got, _ := motoCheck(t, "--only", "password-policy,alternate-contacts")
	assertStatuses(t, got, map[string]steps.Status{"password-policy": steps.StatusFail, "alternate-contacts": steps.StatusFail})

	code, out, errOut := fixRunLive(t, "password-policy", "--preset", "recommended", "--yes")
	if code != exitOK {
		t.Fatalf("fix password-policy: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "password-policy", out, "✓ password policy saved", "Re-checked live: ✓ pass")
	code, out, errOut = fixRunLive(t, append([]string{"alternate-contacts", "--yes"}, fixContactArgs...)...)
	if code != exitOK {
		t.Fatalf("fix alternate-contacts: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "alternate-contacts", out, "✓ security contact saved; billing contact saved; operations contact saved", "Re-checked live: ✓ pass")

	_, got, _ = motoCheck(t, "--only", "password-policy,alternate-contacts")
	assertStatuses(t, got, map[string]steps.Status{"password-policy": steps.StatusPass, "alternate-contacts": steps.StatusPass})

	for _, args := range [][]string{
		{"password-policy", "--preset", "recommended", "--yes"},
		append([]string{"alternate-contacts", "--yes"}, fixContactArgs...),
	} {
		if code, out, _ := fixRunLive(t, args...); code != exitOK || !strings.Contains(out, "Already in place") {
			t.Errorf("second fix %s: exit %d\n%s", args[0], code, out)
		}
	}
}

// Finding 14: the usage says every fix takes the account and state flags,
// so --list accepts them too (it reads nothing, so they change nothing).
func TestFixListAcceptsTheCommonFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--list", "--state-dir", t.TempDir()},
		{"--list", "--demo"},
		{"--demo", "--no-save", "--list", "--profile", "p", "--region", "eu-west-1"},
	} {
		code, out, errOut := fixRun(t, nil, args...)
		if code != exitOK || !strings.Contains(out, "password-policy") || errOut != "" {
			t.Errorf("fix %q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// Finding 16: fields the command sends again unchanged are in the plan.
func TestFixContactInfoListsWhatItKeeps(t *testing.T) {
	code, out, _ := fixRun(t, newFixDemo(), "contact-info", "--address-line1", "1 Main St", "--postal-code", "98101")
	if code != exitFindings {
		t.Fatalf("plan only: exit %d\n%s", code, out)
	}
	_, kept, ok := strings.Cut(out, "Kept as is")
	if !ok {
		t.Fatalf("the plan does not list the kept fields:\n%s", out)
	}
	kept, _, _ = strings.Cut(kept, "\n\n")
	if !strings.Contains(kept, "Suite 400") || !strings.Contains(kept, "Full name") {
		t.Errorf("kept fields lack address line 2 or the full name:\n%s", kept)
	}
	for _, changed := range []string{"Address line 1", "Postal code", "1 Main St"} {
		if strings.Contains(kept, changed) {
			t.Errorf("a changed field %q is listed as kept:\n%s", changed, kept)
		}
	}
	// The same for a single alternate contact field.
	_, out, _ = fixRun(t, newFixDemo(), append([]string{"alternate-contacts", "--yes"}, fixContactArgs...)...)
	if strings.Contains(out, "Kept as is") {
		t.Errorf("every field was given, nothing is kept:\n%s", out)
	}
}

// Finding 16: the usage marks no field as required: any one is enough.
func TestFixContactInfoUsageMatchesBehaviour(t *testing.T) {
	_, out, _ := fixRun(t, nil, "contact-info", "--help")
	for _, f := range []string{"full-name", "address-line1", "city", "postal-code", "country-code", "phone"} {
		line := helpFlagLine(out, f)
		if line == "" || strings.Contains(strings.ToLower(line), "(required)") {
			t.Errorf("help shows --%s as required, or not at all: %q", f, line)
		}
	}
	wantContains(t, "usage", strings.Join(strings.Fields(out), " "), "at least one field", "keep their current values")
	// And --full-name alone is indeed accepted.
	if code, out, _ := fixRun(t, newFixDemo(), "contact-info", "--full-name", "Ana Lima"); code != exitFindings || !strings.Contains(out, "Full name") {
		t.Errorf("--full-name alone: exit %d\n%s", code, out)
	}
}

// helpFlagLine is the line of a help's flag list that describes --name.
func helpFlagLine(help, name string) string {
	for _, line := range strings.Split(help, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "--"+name {
			return line
		}
	}
	return ""
}

// recheckDenied answers the first password policy read and denies the
// ones after it (the re-check after the write).
type recheckDenied struct {
	*demo.Account
	mu    sync.Mutex
	reads int
}

func (a *recheckDenied) PasswordPolicy(ctx context.Context) (*awsops.PasswordPolicy, error) {
	a.mu.Lock()
	a.reads++
	n := a.reads
	a.mu.Unlock()
	if n > 1 {
		return nil, demo.AccessDenied("iam:GetAccountPasswordPolicy")
	}
	return a.Account.PasswordPolicy(ctx)
}

// fix exits like check with --fail-on fail: 0 once the item is fine (a
// warn included), 1 while the change is pending or the item is fail or
// unknown at the end.
func TestFixExitCodesFollowCheck(t *testing.T) {
	tests := []struct {
		name string
		acct awsops.Account
		args []string
		want int
		says string
	}{
		{"pending without --yes", newFixDemo(), []string{"--preset", "recommended"}, exitFindings, "Nothing was written; re-run with --yes"},
		{"dry run", newFixDemo(), []string{"--preset", "recommended", "--yes", "--dry-run"}, exitFindings, "Dry run: nothing was written."},
		{"written, re-check pass", newFixDemo(), []string{"--preset", "recommended", "--yes"}, exitOK, "Re-checked live: ✓ pass"},
		{"written, re-check warn", newFixDemo(), []string{"--preset", "custom", "--reuse", "12", "--yes"}, exitOK, "Re-checked live: ! warn"},
		{"written, re-check unknown", &recheckDenied{Account: newFixDemo()}, []string{"--preset", "recommended", "--yes"}, exitFindings, "Re-checked live: ? unknown"},
		{"current state unreadable", demo.New(demo.Options{Now: func() time.Time { return fixTestNow },
			Fail: map[string]error{"PasswordPolicy": demo.AccessDenied("iam:GetAccountPasswordPolicy")}}),
			[]string{"--preset", "recommended", "--yes"}, exitFindings, "access denied (needs iam:GetAccountPasswordPolicy); nothing was written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := fixRun(t, tt.acct, append([]string{"password-policy"}, tt.args...)...)
			if code != tt.want || !strings.Contains(out+errOut, tt.says) {
				t.Errorf("exit %d, want %d saying %q\n%s%s", code, tt.want, tt.says, out, errOut)
			}
		})
	}
}

// A fix that is listed but not built yet says so, before connecting.
func TestPlannedFixSaysLaterRelease(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	d := deps{now: func() time.Time { return fixTestNow }, fixes: func() []steps.Fix {
		return append(steps.Fixes(), steps.Fix{ID: "root-mfa-strength", Summary: "a fix not built yet", Writes: []string{"iam:Nothing"}})
	}}
	d.connect = func(context.Context, accountFlags) (awsops.Account, error) {
		t.Fatal("a planned fix connected")
		return nil, nil
	}
	if code := run(context.Background(), []string{"fix", "root-mfa-strength"}, ios, d); code != exitUsage ||
		!strings.Contains(errOut.String(), "the root-mfa-strength fix is planned for a later release") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"fix", "--list"}, ios, d); code != exitOK || !strings.Contains(out.String(), "root-mfa-strength") ||
		!strings.Contains(out.String(), "planned") {
		t.Errorf("--list: exit %d\n%s", code, out.String())
	}
}
