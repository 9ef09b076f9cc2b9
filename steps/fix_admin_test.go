package steps

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/rootguard/rootguard/awsops"
)

// adminFacts is the fake account with the admin fix's directory.
type adminFacts struct {
	*factsFake
	userNames []string
	groups    []awsops.IAMGroup
}

func (f *adminFacts) IAMUserNames(ctx context.Context) ([]string, error) {
	if err := f.enter(ctx, "IAMUserNames", 1); err != nil {
		return nil, err
	}
	return slices.Clone(f.userNames), nil
}

func (f *adminFacts) IAMGroup(ctx context.Context, name string) (*awsops.IAMGroup, error) {
	if err := f.enter(ctx, "IAMGroup", 1); err != nil {
		return nil, err
	}
	for _, g := range f.groups {
		if g.Name == name {
			cp := g
			return &cp, nil
		}
	}
	return nil, nil
}

// adminWriter records the admin fix's writes; failOn fails the first call
// of that name with failErr.
type adminFakeWriter struct {
	fixWriter
	log     []string
	failOn  string
	failErr error
}

func (w *adminFakeWriter) do(call string, args ...string) error {
	entry := strings.TrimSpace(call + " " + strings.Join(args, " "))
	w.log = append(w.log, entry)
	if w.failOn == call {
		w.failOn = ""
		return w.failErr
	}
	return nil
}

func (w *adminFakeWriter) CreateGroup(_ context.Context, n string) error {
	return w.do("CreateGroup", n)
}
func (w *adminFakeWriter) DeleteGroup(_ context.Context, n string) error {
	return w.do("DeleteGroup", n)
}
func (w *adminFakeWriter) AttachGroupPolicy(_ context.Context, g, p string) error {
	return w.do("AttachGroupPolicy", g, p)
}
func (w *adminFakeWriter) DetachGroupPolicy(_ context.Context, g, p string) error {
	return w.do("DetachGroupPolicy", g, p)
}
func (w *adminFakeWriter) CreateUser(_ context.Context, n string) error { return w.do("CreateUser", n) }
func (w *adminFakeWriter) DeleteUser(_ context.Context, n string) error { return w.do("DeleteUser", n) }
func (w *adminFakeWriter) AddUserToGroup(_ context.Context, u, g string) error {
	return w.do("AddUserToGroup", u, g)
}
func (w *adminFakeWriter) RemoveUserFromGroup(_ context.Context, u, g string) error {
	return w.do("RemoveUserFromGroup", u, g)
}
func (w *adminFakeWriter) CreateLoginProfile(_ context.Context, u, pw string, reset bool) error {
	if reset {
		return w.do("CreateLoginProfile", u, "reset")
	}
	return w.do("CreateLoginProfile", u)
}
func (w *adminFakeWriter) DeleteLoginProfile(_ context.Context, u string) error {
	return w.do("DeleteLoginProfile", u)
}
func (w *adminFakeWriter) CreateVirtualMFADevice(_ context.Context, n string) (awsops.VirtualMFA, error) {
	if err := w.do("CreateVirtualMFADevice", n); err != nil {
		return awsops.VirtualMFA{}, err
	}
	return awsops.VirtualMFA{Serial: "arn:aws:iam::111122223333:mfa/" + n, Seed: rfcSeed}, nil
}
func (w *adminFakeWriter) DeleteVirtualMFADevice(_ context.Context, s string) error {
	return w.do("DeleteVirtualMFADevice", s)
}
func (w *adminFakeWriter) EnableMFADevice(_ context.Context, u, s, c1, c2 string) error {
	return w.do("EnableMFADevice", u, c1, c2)
}

// rfcSeed is RFC 6238's SHA-1 test secret "12345678901234567890" in Base32.
const rfcSeed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func adminFake() *adminFacts {
	f := &adminFacts{factsFake: healthyFake(), userNames: []string{"ci-deploy", "admin"}}
	f.admins = nil
	f.identity.Alias = "acme-sandbox"
	return f
}

func planAdmin(t *testing.T, f *adminFacts, kv ...string) Plan {
	t.Helper()
	fix, st := loadFix(t, FixAdminIdentity, f)
	p, err := fix.Plan(st, given(kv...))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func callAPIs(calls []Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.API
	}
	return out
}

func TestAdminFixPlanOnANewAccount(t *testing.T) {
	p := planAdmin(t, adminFake(), FieldUserName, "jane")
	want := []string{"iam:CreateGroup", "iam:AttachGroupPolicy", "iam:CreateUser", "iam:AddUserToGroup", "iam:CreateLoginProfile", "iam:CreateVirtualMFADevice"}
	if got := callAPIs(p.Calls); !slices.Equal(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	for _, c := range p.Calls {
		for _, e := range c.Params {
			if e.Key == "Password" && !strings.HasPrefix(e.Value, "(generated") {
				t.Errorf("the preview shows the password: %q", e.Value)
			}
		}
	}
	if !strings.Contains(p.Calls[1].Params[1].Value, "arn:aws:iam::aws:policy/AdministratorAccess") {
		t.Errorf("attach params = %v", p.Calls[1].Params)
	}
}

func TestAdminFixReusesTheGroup(t *testing.T) {
	f := adminFake()
	f.groups = []awsops.IAMGroup{{Name: AdminGroupName, Policies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}}
	p := planAdmin(t, f, FieldUserName, "jane")
	if got := callAPIs(p.Calls); got[0] != "iam:CreateUser" {
		t.Fatalf("an existing Administrators group with the policy must be reused: %v", got)
	}
	f.groups[0].Policies = nil
	p = planAdmin(t, f, FieldUserName, "jane")
	if got := callAPIs(p.Calls); got[0] != "iam:AttachGroupPolicy" {
		t.Fatalf("a group without the policy gets it attached, not recreated: %v", got)
	}
}

func TestAdminFixRefusesATakenName(t *testing.T) {
	f := adminFake()
	fix, st := loadFix(t, FixAdminIdentity, f)
	_, err := fix.Plan(st, given(FieldUserName, "Admin"))
	fieldErr(t, err, FieldUserName)
	if !strings.Contains(err.Error(), `try "Admin-admin"`) {
		t.Errorf("no suggestion: %v", err)
	}
	_, err = fix.Plan(st, given(FieldUserName, "bad name!"))
	fieldErr(t, err, FieldUserName)
	if got := fix.Defaults(st)[FieldUserName]; got != "admin-admin" {
		t.Errorf("default name %q must not be taken", got)
	}
	if err := fix.Check(given()); err == nil {
		t.Error("the command line must name the user")
	}
}

func TestAdminFixIsANoOpForAReadyAdmin(t *testing.T) {
	f := adminFake()
	f.admins = []awsops.AdminUser{{Name: "admin", ConsoleAccess: true, MFADevices: 1}}
	p := planAdmin(t, f, FieldUserName, "admin")
	if !p.NoOp {
		t.Fatalf("running the fix again must change nothing: %+v", p.Calls)
	}
}

func TestAdminFixUndoesWhenACallFails(t *testing.T) {
	for _, tc := range []struct {
		failOn string
		undo   []string
	}{
		{"AddUserToGroup", []string{"DeleteUser jane", "DetachGroupPolicy", "DeleteGroup Administrators"}},
		{"CreateLoginProfile", []string{"RemoveUserFromGroup jane Administrators", "DeleteUser jane", "DetachGroupPolicy", "DeleteGroup Administrators"}},
		{"CreateVirtualMFADevice", []string{"DeleteLoginProfile jane", "RemoveUserFromGroup jane Administrators", "DeleteUser jane", "DetachGroupPolicy", "DeleteGroup Administrators"}},
	} {
		t.Run(tc.failOn, func(t *testing.T) {
			p := planAdmin(t, adminFake(), FieldUserName, "jane")
			w := &adminFakeWriter{failOn: tc.failOn, failErr: fixDenied("iam:" + tc.failOn)}
			res := p.Apply(context.Background(), w)
			if res.OK() || res.Next != nil {
				t.Fatalf("result = %+v", res)
			}
			i := slices.IndexFunc(w.log, func(s string) bool { return strings.HasPrefix(s, tc.failOn) })
			var undone []string
			for _, e := range w.log[i+1:] {
				if strings.HasPrefix(e, "DetachGroupPolicy") {
					e = "DetachGroupPolicy"
				}
				undone = append(undone, e)
			}
			if !slices.Equal(undone, tc.undo) {
				t.Errorf("after the failure: %v, want %v", undone, tc.undo)
			}
			if len(res.InPlace()) != 0 || !strings.Contains(res.Explain(), "nothing was changed") {
				t.Errorf("explain = %q", res.Explain())
			}
		})
	}
}

func TestAdminFixEnrolsMFAWithTwoCodes(t *testing.T) {
	p := planAdmin(t, adminFake(), FieldUserName, "jane")
	w := &adminFakeWriter{}
	res := p.Apply(context.Background(), w)
	stage := res.Next
	if !res.OK() || !stage.Asks() {
		t.Fatalf("after creating the device the fix must ask for codes: %+v", res)
	}
	var uri, secret string
	for _, s := range stage.Show {
		switch s.Kind {
		case ShownQR:
			uri = s.Value
		case ShownSecret:
			secret = s.Grouped
		}
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	if key.Issuer() != MFAIssuer || key.AccountName() != "jane@acme-sandbox" || key.Secret() != rfcSeed ||
		key.Period() != 30 || key.Digits() != otp.DigitsSix || key.Algorithm() != otp.AlgorithmSHA1 {
		t.Errorf("otpauth URI %q: issuer %q account %q secret %q", uri, key.Issuer(), key.AccountName(), key.Secret())
	}
	if secret != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("grouped secret = %q", secret)
	}

	// The same code twice is refused at the field.
	_, err = stage.Plan(given(FieldMFACode1, "123456", FieldMFACode2, "123456"))
	fieldErr(t, err, FieldMFACode2)

	enable, err := stage.Plan(given(FieldMFACode1, "123456", FieldMFACode2, "654321"))
	if err != nil || len(enable.Calls) != 1 || enable.Calls[0].API != "iam:EnableMFADevice" {
		t.Fatalf("enable plan = %+v, %v", enable, err)
	}
	// A wrong code asks again; other errors do not.
	if msg, again := stage.Retry(&awsops.Error{Code: "InvalidAuthenticationCode", Err: awsops.ErrInvalidMFACode}); !again || !strings.Contains(msg, "not accepted") {
		t.Errorf("retry on a wrong code = %q, %v", msg, again)
	}
	if _, again := stage.Retry(fixDenied("iam:EnableMFADevice")); again {
		t.Error("access denied must not be retried")
	}
	done := enable.Apply(context.Background(), w)
	if !done.OK() || done.Next == nil || done.Next.Asks() {
		t.Fatalf("after enabling, the fix shows the sign-in details: %+v", done)
	}
	shown := map[string]Shown{}
	for _, s := range done.Next.Show {
		shown[s.Label] = s
	}
	if shown["Sign-in URL"].Value != "https://acme-sandbox.signin.aws.amazon.com/console" || shown["Sign-in URL"].Kind != ShownLink {
		t.Errorf("sign-in = %+v", shown["Sign-in URL"])
	}
	if pw := shown["One-time password"]; pw.Kind != ShownSecret || len(pw.Value) < 20 {
		t.Errorf("password = %+v", pw)
	}
	if got := p.RecordSummary(res) + enable.RecordSummary(done); strings.Contains(got, shown["One-time password"].Value) || strings.Contains(got, rfcSeed) {
		t.Errorf("a record holds a secret: %q", got)
	}
}

func TestAdminFixAbortRemovesTheDeviceThenOffersTheUser(t *testing.T) {
	p := planAdmin(t, adminFake(), FieldUserName, "jane")
	w := &adminFakeWriter{}
	stage := p.Apply(context.Background(), w).Next
	abort := stage.Abort.Apply(context.Background(), w)
	if !abort.OK() || w.log[len(w.log)-1] != "DeleteVirtualMFADevice arn:aws:iam::111122223333:mfa/jane" {
		t.Fatalf("abort = %+v, log %v", abort, w.log)
	}
	removal := abort.Next
	if !removal.Asks() || !strings.Contains(removal.Help, "no MFA") {
		t.Fatalf("the user must be offered for removal: %+v", removal)
	}
	keep, _ := removal.Plan(given(FieldRemoveUser, "false"))
	if !keep.NoOp || !strings.Contains(strings.Join(keep.Notes, " "), "kept without MFA") {
		t.Errorf("keep = %+v", keep)
	}
	remove, _ := removal.Plan(given(FieldRemoveUser, "true"))
	want := []string{"iam:DeleteLoginProfile", "iam:RemoveUserFromGroup", "iam:DeleteUser", "iam:DetachGroupPolicy", "iam:DeleteGroup"}
	if got := callAPIs(remove.Calls); !slices.Equal(got, want) {
		t.Errorf("removal = %v, want %v", got, want)
	}
}

func TestGeneratedPasswordsSatisfyThePolicy(t *testing.T) {
	strict := awsops.PasswordPolicy{MinimumLength: 40, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		for _, pol := range []*awsops.PasswordPolicy{nil, &strict} {
			pw, err := GeneratePassword(pol)
			if err != nil {
				t.Fatal(err)
			}
			want := 24
			if pol != nil {
				want = 40
			}
			if len(pw) != want || !strings.ContainsAny(pw, "ABCDEFGHJKLMNPQRSTUVWXYZ") || !strings.ContainsAny(pw, "abcdefghijkmnopqrstuvwxyz") ||
				!strings.ContainsAny(pw, "23456789") || !strings.ContainsAny(pw, passwordSymbols) {
				t.Fatalf("password %q breaks the policy", pw)
			}
			if seen[pw] {
				t.Fatal("two generated passwords are the same")
			}
			seen[pw] = true
		}
	}
}

// RFC 6238 appendix B (SHA-1) through the library, with the 8 digits the
// RFC uses and the 6 digits AWS uses (the last six of the same values).
func TestTOTPRFC6238Vectors(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		code string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"}, {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}} {
		got, err := totp.GenerateCodeCustom(rfcSeed, time.Unix(tc.unix, 0).UTC(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsEight, Algorithm: otp.AlgorithmSHA1})
		if err != nil || got != tc.code {
			t.Errorf("T=%d: %s, %v; want %s", tc.unix, got, err, tc.code)
		}
		six, _ := totp.GenerateCodeCustom(rfcSeed, time.Unix(tc.unix, 0).UTC(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if six != tc.code[2:] {
			t.Errorf("T=%d: six digits %s, want %s", tc.unix, six, tc.code[2:])
		}
	}
}

func TestAdminFixLoadNamesTheDeniedRead(t *testing.T) {
	f := adminFake()
	f.errs = map[string]error{"IAMUserNames": accessDenied("iam:ListUsers")}
	fix, _ := FixFor(FixAdminIdentity)
	_, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{Now: func() time.Time { return testNow }}))
	if awsops.PermissionOf(err) != "iam:ListUsers" {
		t.Errorf("load error = %v", err)
	}
	var ae *awsops.Error
	if !errors.As(err, &ae) {
		t.Errorf("not classified: %T", err)
	}
}
