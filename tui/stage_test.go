package tui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// The stage path of the fix flow, driven by a fake fix shaped like the
// admin-identity fix: a user name, a typed confirmation, two calls with
// undo, a stage with a QR code and two codes (a wrong code is retried),
// an Abort when the user stops, and a last stage that shows a link and a
// one-time password.

const (
	testAdminID  = "test-admin"
	testSeed     = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	testPassword = "Xy7-one-time-PASS-42"
	goodCode1    = "123456"
	goodCode2    = "654321"
)

var errWrongCode = errors.New("the codes do not match the device (wrong code or a clock out of step)")

// adminAccount is what the fake fix made, and its log of calls.
type adminAccount struct {
	mu     sync.Mutex
	calls  []string
	user   string
	device bool
	mfa    bool
	// denyEnable makes EnableMFADevice fail with access denied.
	denyEnable bool
}

func (a *adminAccount) call(name string, f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, name)
	if f != nil {
		f()
	}
}

func (a *adminAccount) log() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

func (a *adminAccount) done() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.user != "" && a.mfa
}

var userName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// fakeAdminFix is the fake fix over acct.
func fakeAdminFix(acct *adminAccount) steps.Fix {
	type state struct{ taken []string }
	codeField := func(key, label string) steps.Field {
		return steps.Field{Key: key, Kind: steps.FieldText, Label: label, Limit: 6, Placeholder: "6 digits",
			Validate: func(s string, _ steps.Values) error {
				if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(strings.TrimSpace(s)) {
					return errors.New("must be the 6 digits the app shows")
				}
				return nil
			}}
	}
	enable := func(in steps.Input) (steps.Plan, error) {
		c1, c2 := in.Text("code-1"), in.Text("code-2")
		if c1 == c2 {
			return steps.Plan{}, steps.FieldErrors{{Field: "code-2", Message: "must be the next code, not the same one again"}}
		}
		call := steps.NewCall("iam:EnableMFADevice", "MFA on the user", []steps.Evidence{{Key: "UserName", Value: "admin"}},
			func(context.Context, awsops.Writer) error {
				var err error
				acct.call("EnableMFADevice", func() {
					switch {
					case acct.denyEnable:
						err = &awsops.Error{Kind: awsops.KindAccessDenied, Permission: "iam:EnableMFADevice"}
					case c1 != goodCode1 || c2 != goodCode2:
						err = errWrongCode
					default:
						acct.mfa = true
					}
				})
				return err
			})
		return steps.Plan{Calls: []steps.Call{call}}.Then(func(steps.Outputs) *steps.Stage {
			return &steps.Stage{Title: "Sign in as the new administrator",
				Help: "Sign out of root and sign in with these; AWS asks for a new password at once.",
				Show: []steps.Shown{
					{Label: "Sign-in URL", Value: "https://acme-test.signin.aws.amazon.com/console", Kind: steps.ShownLink},
					{Label: "One-time password", Value: testPassword, Kind: steps.ShownSecret},
				}}
		}), nil
	}
	abort := steps.Plan{Calls: []steps.Call{
		steps.NewCall("iam:DeleteVirtualMFADevice", "remove the MFA device", nil, func(context.Context, awsops.Writer) error {
			acct.call("DeleteVirtualMFADevice", func() { acct.device = false })
			return nil
		}),
		steps.NewCall("iam:DeleteUser", "remove the user", nil, func(context.Context, awsops.Writer) error {
			acct.call("DeleteUser", func() { acct.user = "" })
			return nil
		}),
	}}
	return steps.NewFix(steps.FixDef[state]{
		ID: testAdminID, Title: "Create the daily-use administrator", Summary: "create an admin user with MFA",
		Intro:  "Create an IAM user in the Administrators group, with a console password and an MFA device you add with your phone.",
		Writes: []string{"iam:CreateUser", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice"},
		Load: func(context.Context, *steps.Facts) (state, error) {
			return state{taken: []string{"ci-deploy"}}, nil
		},
		Form: func(*state) []steps.Group {
			return []steps.Group{{Title: "The administrator", Fields: []steps.Field{{
				Key: "user-name", Kind: steps.FieldText, Label: "User name", Limit: 64, Default: "admin",
				Help: "1–64 letters, digits and + = , . @ _ -",
				Validate: func(s string, _ steps.Values) error {
					if !userName.MatchString(strings.TrimSpace(s)) {
						return errors.New("must be 1–64 of letters, digits and + = , . @ _ -")
					}
					return nil
				}}}}}
		},
		Plan: func(st state, in steps.Input) (steps.Plan, error) {
			name := in.Text("user-name")
			if slices.Contains(st.taken, name) {
				return steps.Plan{}, steps.FieldErrors{{Field: "user-name", Message: "is taken: try " + name + "-admin"}}
			}
			p := steps.Plan{
				Changes: []steps.Change{{Field: "user", Current: "(none)", Proposed: name}},
				Confirm: &steps.TypedConfirm{Prompt: "Type the user name to confirm", Want: name},
				Calls: []steps.Call{
					steps.NewCall("iam:CreateUser", "user "+name, []steps.Evidence{{Key: "UserName", Value: name}},
						func(context.Context, awsops.Writer) error {
							acct.call("CreateUser", func() { acct.user = name })
							return nil
						}).WithUndo(abort.Calls[1]),
					steps.NewCallOut("iam:CreateVirtualMFADevice", "MFA device", []steps.Evidence{{Key: "VirtualMFADeviceName", Value: name}},
						func(_ context.Context, _ awsops.Writer, out steps.Outputs) error {
							acct.call("CreateVirtualMFADevice", func() { acct.device = true })
							out["seed"] = testSeed
							return nil
						}).WithUndo(abort.Calls[0]),
				},
			}
			return p.Then(func(out steps.Outputs) *steps.Stage {
				uri := "otpauth://totp/Amazon%20Web%20Services:" + name + "@acme-test?secret=" + out["seed"] + "&issuer=Amazon%20Web%20Services"
				grouped := ""
				for i := 0; i < len(out["seed"]); i += 4 {
					grouped += out["seed"][i:min(i+4, len(out["seed"]))] + " "
				}
				return &steps.Stage{
					Title: "Add the MFA device to your authenticator app",
					Help:  "Scan the code with an authenticator app (or type the key), then enter two codes in a row.",
					Show:  []steps.Shown{{Label: "MFA device", Value: uri, Kind: steps.ShownQR, Grouped: strings.TrimSpace(grouped)}},
					Form: []steps.Group{{Title: "Two codes in a row", Fields: []steps.Field{
						codeField("code-1", "First code"), codeField("code-2", "Next code")}}},
					Plan: enable,
					Retry: func(err error) (string, bool) {
						if errors.Is(err, errWrongCode) {
							return "Those codes were not accepted: wait for a new code, then enter two in a row.", true
						}
						return "", false
					},
					Abort: &abort,
				}
			}), nil
		},
	})
}

// nopWriter is a Writer the fake fix never calls (its calls write to the
// fake account).
type nopWriter struct{ awsops.Writer }

type stageWizard struct {
	*App
	acct *adminAccount
	rec  *recorded
	runs *runRecorder
}

// stageApp is the wizard with the fake fix at w×h, on its step.
func stageApp(t *testing.T, w, h int) stageWizard {
	t.Helper()
	acct := &adminAccount{}
	rec, runs := &recorded{}, &runRecorder{}
	fa := newFakeAccount()
	cfg := testConfig(fa)
	cfg.Items = append(cfg.Items, steps.Item{ID: testAdminID, Phase: steps.PhaseIdentity, Kind: steps.KindAuto,
		Severity: steps.SeverityHigh, Title: "Create a daily-use admin identity",
		Check: func(context.Context, *steps.Facts) steps.Result {
			if acct.done() {
				return steps.Result{Status: steps.StatusPass, Summary: "admin has MFA"}
			}
			return steps.Result{Status: steps.StatusFail, Summary: "no administrator other than root"}
		}})
	cfg.Fixes = append(steps.Fixes(), fakeAdminFix(acct))
	cfg.Writer = nopWriter{}
	cfg.RecordFix, cfg.RecordRun = rec.record, runs.record
	a := newTestApp(t, cfg)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	settle(t, a, a.Init())
	press(a, "enter")
	a.openStep(testAdminID)
	a.sync()
	return stageWizard{a, acct, rec, runs}
}

// toStage goes from the step to the QR stage.
func (s stageWizard) toStage(t *testing.T) {
	t.Helper()
	send(t, s.App, "x")
	requireContains(t, s.App, "User name", "> admin")
	send(t, s.App, "enter")
	requireContains(t, s.App, "Type the user name to confirm")
	typeText(t, s.App, "admin")
	send(t, s.App, "enter")
	if s.fix == nil || s.fix.phase != phaseStageShow {
		t.Fatalf("not at the stage:\n%s", viewText(s.App))
	}
}

func TestStagedFixFromFormToResult(t *testing.T) {
	s := stageApp(t, 120, 40)
	s.Update(tea.WindowSizeMsg{Width: 120, Height: 60})
	requireSays(t, s.App, "What rootguard would change", "Create an IAM user in the Administrators group")
	s.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	send(t, s.App, "x")
	// A taken name comes back from the plan at the field.
	send(t, s.App, "ctrl+u")
	typeText(t, s.App, "ci-deploy")
	send(t, s.App, "enter")
	requireSays(t, s.App, "User name is taken: try ci-deploy-admin")
	if s.fix.phase != phaseForm {
		t.Fatal("a rejected value left the form")
	}
	send(t, s.App, "ctrl+u")
	typeText(t, s.App, "admin")
	send(t, s.App, "enter")
	requireSays(t, s.App, "iam:CreateUser", "UserName admin", "undone with iam:DeleteUser if a later call fails",
		"Type the user name to confirm")
	// Typing the wrong value writes nothing.
	typeText(t, s.App, "adm")
	send(t, s.App, "enter")
	requireSays(t, s.App, `That is not "admin": nothing was written.`)
	if len(s.acct.log()) != 0 {
		t.Fatalf("wrote %v on a wrong confirmation", s.acct.log())
	}
	typeText(t, s.App, "in")
	send(t, s.App, "enter")
	if got := s.acct.log(); !slices.Equal(got, []string{"CreateUser", "CreateVirtualMFADevice"}) {
		t.Fatalf("calls = %v", got)
	}
	// The QR stage: the code fits at 120x40, with the key for typing.
	requireSays(t, s.App, "Add the MFA device to your authenticator app", "JBSW Y3DP EHPK 3PXP", "scan the code with your authenticator app", "▀▀▀▀")
	send(t, s.App, "enter")
	if holds(s.fix, testSeed) {
		t.Fatal("the seed stayed in the model after its screen was left")
	}
	requireSays(t, s.App, "Two codes in a row", "First code", "Next code")
	// Wrong codes: the message at the form, and another try.
	typeText(t, s.App, "111111")
	send(t, s.App, "enter")
	typeText(t, s.App, "222222")
	send(t, s.App, "enter")
	requireSays(t, s.App, "Those codes were not accepted: wait for a new code")
	if s.fix.phase != phaseStageForm {
		t.Fatalf("phase %v after a wrong code, want the codes again", s.fix.phase)
	}
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode2)
	send(t, s.App, "enter")
	if got := s.acct.log(); !slices.Equal(got, []string{"CreateUser", "CreateVirtualMFADevice", "EnableMFADevice", "EnableMFADevice"}) {
		t.Fatalf("calls = %v", got)
	}
	requireSays(t, s.App, "✓ Written to the account", "MFA device saved", "MFA on the user saved", "Sign in as the new administrator",
		"https://acme-test.signin.aws.amazon.com/console", testPassword, "Re-checked live", "✓ PASS")
	_, cmd := s.Update(keyMsg("c"))
	if !hasClipboard(cmd, testPassword) {
		t.Fatal("c did not copy the password")
	}
	send(t, s.App, "enter")
	if s.screen != screenStep || s.fix != nil {
		t.Fatalf("screen %v after the result, want the step", s.screen)
	}
	for _, e := range s.rec.all() {
		if strings.Contains(e, testSeed) || strings.Contains(e, testPassword) {
			t.Fatalf("a secret was recorded: %q", e)
		}
	}
	if n := len(s.rec.all()); n != 2 {
		t.Fatalf("recorded %d applies, want the create and the enable: %q", n, s.rec.all())
	}
}

// hasClipboard reports whether cmd (or a batch in it) sets the clipboard
// to want.
func hasClipboard(cmd tea.Cmd, want string) bool {
	return slices.ContainsFunc(drain(cmd), func(m tea.Msg) bool { return reflect.DeepEqual(m, tea.SetClipboard(want)()) })
}

// holds reports whether the fix flow's model holds secret anywhere it
// keeps values: the stages' items, the applies' outputs, the form's values.
func holds(f *fixFlow, secret string) bool {
	var vals []string
	for _, st := range []*steps.Stage{f.stage, f.stageDone} {
		if st != nil {
			for _, s := range st.Show {
				vals = append(vals, s.Value, s.Grouped)
			}
		}
	}
	for _, a := range f.applies {
		for _, v := range a.result.Outputs {
			vals = append(vals, v)
		}
	}
	for _, v := range f.values {
		vals = append(vals, v)
	}
	vals = append(vals, f.typed.Value())
	return slices.ContainsFunc(vals, func(v string) bool { return strings.Contains(v, secret) })
}

// drain runs cmd's commands (not timers) and returns their messages.
func drain(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	var walk func(tea.Cmd)
	walk = func(c tea.Cmd) {
		if c == nil || timer(c) {
			return
		}
		msg := c()
		if cmds, ok := asCmds(msg); ok {
			for _, x := range cmds {
				walk(x)
			}
			return
		}
		out = append(out, msg)
	}
	walk(cmd)
	return out
}

func TestStagedFixEscAtTheStageAsksThenUndoes(t *testing.T) {
	s := stageApp(t, 120, 40)
	s.toStage(t)
	send(t, s.App, "esc")
	requireSays(t, s.App, "Stop here? rootguard will undo what this fix made so far:", "(iam:DeleteVirtualMFADevice), remove the user (iam:DeleteUser).")
	send(t, s.App, "n")
	requireSays(t, s.App, "JBSW Y3DP EHPK 3PXP")
	send(t, s.App, "enter", "esc", "y") // at the codes, too
	if got := s.acct.log(); !slices.Equal(got, []string{"CreateUser", "CreateVirtualMFADevice", "DeleteVirtualMFADevice", "DeleteUser"}) {
		t.Fatalf("calls = %v", got)
	}
	requireSays(t, s.App, "Stopped before the fix was finished", "Undone:", "✓ remove the MFA device", "✓ remove the user", "✗ FAIL")
	if strings.Contains(viewText(s.App), testSeed) {
		t.Fatal("the seed is still on screen")
	}
}

func TestStagedFixFailureThatCannotBeRetriedUndoes(t *testing.T) {
	s := stageApp(t, 120, 40)
	s.acct.denyEnable = true
	s.toStage(t)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode2)
	send(t, s.App, "enter")
	if got := s.acct.log(); !slices.Equal(got, []string{"CreateUser", "CreateVirtualMFADevice", "EnableMFADevice", "DeleteVirtualMFADevice", "DeleteUser"}) {
		t.Fatalf("calls = %v", got)
	}
	requireSays(t, s.App, "Not everything was written", "access denied: needs iam:EnableMFADevice", "Undone:", "✓ remove the user")
}

func TestStagedFixSameCodeTwiceIsAFieldError(t *testing.T) {
	s := stageApp(t, 80, 24)
	s.toStage(t)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	requireSays(t, s.App, "Next code must be the next code, not the same one again")
	if got := s.acct.log(); len(got) != 2 {
		t.Fatalf("calls = %v: a rejected answer was applied", got)
	}
}

func TestStagedFixQRNeedsRoomAndOffersText(t *testing.T) {
	s := stageApp(t, 80, 24)
	s.toStage(t)
	requireSays(t, s.App, "The QR code needs a terminal of at least", "this one is 80x24", "type the secret below", "JBSW Y3DP EHPK 3PXP")
	if strings.Contains(viewText(s.App), "▀▀▀▀") {
		t.Fatal("a QR code was drawn where it does not fit")
	}
}

// TestFixStageGolden snapshots every screen of a staged fix without colour.
func TestFixStageGolden(t *testing.T) {
	wrong := func(t *testing.T, s stageWizard) {
		s.toStage(t)
		send(t, s.App, "enter")
		typeText(t, s.App, "111111")
		send(t, s.App, "enter")
		typeText(t, s.App, "222222")
		send(t, s.App, "enter")
	}
	screens := []struct {
		name  string
		sizes [][2]int
		dark  []bool
		do    func(t *testing.T, s stageWizard)
	}{
		{"form", [][2]int{{80, 24}}, []bool{true}, func(t *testing.T, s stageWizard) { send(t, s.App, "x") }},
		{"typed-confirm", [][2]int{{80, 24}, {120, 40}}, []bool{true}, func(t *testing.T, s stageWizard) {
			send(t, s.App, "x", "enter")
			typeText(t, s.App, "adm")
			send(t, s.App, "enter")
		}},
		{"qr-fits", [][2]int{{120, 40}}, []bool{true, false}, func(t *testing.T, s stageWizard) { s.toStage(t) }},
		{"qr-too-small", [][2]int{{80, 24}}, []bool{true}, func(t *testing.T, s stageWizard) { s.toStage(t) }},
		{"codes-retry", [][2]int{{80, 24}, {120, 40}}, []bool{true}, wrong},
		{"stop", [][2]int{{80, 24}}, []bool{true}, func(t *testing.T, s stageWizard) { s.toStage(t); send(t, s.App, "esc") }},
		{"result", [][2]int{{80, 24}, {120, 40}}, []bool{true}, func(t *testing.T, s stageWizard) {
			wrong(t, s)
			typeText(t, s.App, goodCode1)
			send(t, s.App, "enter")
			typeText(t, s.App, goodCode2)
			send(t, s.App, "enter")
		}},
		{"result-qr-alone", [][2]int{{120, 40}}, []bool{true, false}, func(t *testing.T, s stageWizard) {
			s.toStage(t)
			send(t, s.App, "enter")
			typeText(t, s.App, goodCode1)
			send(t, s.App, "enter")
			typeText(t, s.App, goodCode2)
			send(t, s.App, "enter", "Q")
		}},
		{"stopped", [][2]int{{80, 24}}, []bool{true}, func(t *testing.T, s stageWizard) {
			s.toStage(t)
			send(t, s.App, "esc", "y")
		}},
	}
	for _, sc := range screens {
		for _, size := range sc.sizes {
			for _, dark := range sc.dark {
				theme := "light"
				if dark {
					theme = "dark"
				}
				t.Run(fmt.Sprintf("%s/%dx%d/%s", sc.name, size[0], size[1], theme), func(t *testing.T) {
					s := stageApp(t, size[0], size[1])
					s.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
					s.setDark(dark)
					sc.do(t, s)
					golden.RequireEqual(t, viewText(s.App))
				})
			}
		}
	}
}

func TestStagedFixQRAloneWhenItDoesNotFitBesideTheText(t *testing.T) {
	s := stageApp(t, 120, 40)
	s.toStage(t)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode2)
	send(t, s.App, "enter")
	requireSays(t, s.App, "does not fit beside the text: press Q to show it alone")
	send(t, s.App, "Q")
	requireSays(t, s.App, "Sign-in URL · Q goes back to the text", "▀▀▀▀")
	send(t, s.App, "Q")
	requireSays(t, s.App, testPassword)
	// At 80x24 the sign-in URL's code fits alone, on the whole terminal.
	s.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	requireSays(t, s.App, "does not fit beside the text: press Q to show it alone")
	send(t, s.App, "Q")
	requireSays(t, s.App, "Sign-in URL · Q goes back to the text", "▀▀▀▀")
	if v := viewText(s.App); strings.Contains(v, "Fix: Create") || strings.Contains(v, "needs a terminal") {
		t.Fatalf("the code alone keeps the header or does not fit:\n%s", v)
	}
}

func TestStagedFixCtrlCAtTheStageUndoesBeforeQuitting(t *testing.T) {
	s := stageApp(t, 120, 40)
	s.toStage(t)
	_, cmd := s.Update(keyMsg("ctrl+c"))
	msgs := drain(cmd)
	if got := s.acct.log(); !slices.Equal(got, []string{"CreateUser", "CreateVirtualMFADevice", "DeleteVirtualMFADevice", "DeleteUser"}) {
		t.Fatalf("calls = %v", got)
	}
	if len(msgs) == 0 {
		t.Fatal("no message after the undo")
	}
	if _, ok := msgs[len(msgs)-1].(tea.InterruptMsg); !ok {
		t.Fatalf("last message %T, want the interrupt", msgs[len(msgs)-1])
	}
}

func TestStagedFixSameCodeTwiceKeepsWhatWasTyped(t *testing.T) {
	s := stageApp(t, 80, 24)
	s.toStage(t)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	typeText(t, s.App, goodCode1)
	send(t, s.App, "enter")
	if got := s.fix.form.values(); got["code-1"] != goodCode1 || got["code-2"] != goodCode1 {
		t.Fatalf("values = %v, want what was typed", got)
	}
}
