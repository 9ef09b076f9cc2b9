package tui

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

var testNow = time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)

// fakeAccount is an account whose guided items turn to pass when simulated.
// Reads it does not implement panic (the embedded nil Reader), which the
// engine turns into unknown: a test that hits one sees it in the view.
type fakeAccount struct {
	awsops.Reader
	mu          sync.Mutex
	fixed       map[string]bool
	identityErr error
	aliasErr    error
	root        bool
}

func newFakeAccount() *fakeAccount { return &fakeAccount{fixed: map[string]bool{}, root: true} }

func (f *fakeAccount) CallerIdentity(ctx context.Context) (awsops.Identity, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.identityErr != nil {
		return awsops.Identity{}, f.identityErr
	}
	id := awsops.Identity{Account: "123456789012", Alias: "acme-test", Credentials: awsops.CredentialsTemporary}
	if f.root {
		id.ARN, id.IsRoot = "arn:aws:iam::123456789012:root", true
	} else {
		id.ARN = "arn:aws:iam::123456789012:user/alice"
	}
	return id, nil
}

func (f *fakeAccount) Caller(ctx context.Context) (awsops.Identity, error) {
	id, err := f.CallerIdentity(ctx)
	id.Alias = ""
	return id, err
}

func (f *fakeAccount) AccountAlias(ctx context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.aliasErr != nil {
		return "", f.aliasErr
	}
	return "acme-test", nil
}

func (f *fakeAccount) PasswordPolicy(ctx context.Context) (*awsops.PasswordPolicy, error) {
	return nil, nil
}

func (f *fakeAccount) AlternateContact(ctx context.Context, t awsops.ContactType) (*awsops.AlternateContact, error) {
	return nil, &awsops.Error{Kind: awsops.KindAccessDenied, Permission: "account:GetAlternateContact"}
}

func (f *fakeAccount) simulate(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fixed[id] = true
	return nil
}

func (f *fakeAccount) canSimulate(id string) bool { return id == "root-mfa" || id == "password-policy" }

func (f *fakeAccount) isFixed(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fixed[id]
}

// testItems is a small checklist covering every kind and status.
func testItems(fa *fakeAccount) []steps.Item {
	return []steps.Item{
		{ID: "credential-report", Phase: steps.PhaseKnow, Kind: steps.KindAuto, Severity: steps.SeverityMedium,
			Title: "Review the IAM credential report", Why: "It lists every credential in the account.",
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				return steps.Result{Status: steps.StatusPass, Summary: "report is fresh; nothing to review",
					Evidence: []steps.Evidence{{Key: "iam_users", Value: "2"}}}
			}},
		{ID: "root-mfa", Phase: steps.PhaseRoot, Kind: steps.KindGuided, Severity: steps.SeverityCritical,
			Title: "Turn on MFA for the root user", Why: "A password alone is one phishing email away from losing the account.",
			RootOnly:   true,
			ConsoleURL: "https://console.aws.amazon.com/iam/home#/security_credentials",
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				if fa.isFixed("root-mfa") {
					return steps.Result{Status: steps.StatusPass, Summary: "root has MFA",
						Evidence: []steps.Evidence{{Key: "AccountMFAEnabled", Value: "1"}}}
				}
				return steps.Result{Status: steps.StatusFail, Summary: "root has no MFA device",
					Evidence: []steps.Evidence{{Key: "AccountMFAEnabled", Value: "0"}},
					Todo:     "Sign in as root and assign a passkey or security key."}
			}},
		{ID: "root-password", Phase: steps.PhaseRoot, Kind: steps.KindAttest, Severity: steps.SeverityHigh,
			Title: "Give root a long, unique password", Why: "No API can see the root password.",
			ConsoleURL: "https://console.aws.amazon.com/billing/home#/account", AttestValidity: 90 * 24 * time.Hour,
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				if a, ok := f.Attestation("root-password"); ok {
					return steps.Result{Status: steps.StatusAttested, Summary: "marked done on " + a.At.Format("2006-01-02")}
				}
				return steps.Result{Status: steps.StatusManual, Summary: "not confirmed yet"}
			}},
		{ID: "security-questions", Phase: steps.PhaseRoot, Kind: steps.KindInfo, Severity: steps.SeverityInfo,
			Title: "Security challenge questions (retired)",
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				return steps.Result{Status: steps.StatusNA, Summary: "AWS retired security questions in 2025"}
			}},
		{ID: "password-policy", Phase: steps.PhaseSettings, Kind: steps.KindAuto, Severity: steps.SeverityHigh,
			Title: "Set a strong password policy", Why: "IAM users get weak passwords without one.",
			Fixable: true,
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				if fa.isFixed("password-policy") {
					return steps.Result{Status: steps.StatusPass, Summary: "the recommended policy is set"}
				}
				p, err := f.PasswordPolicy(ctx)
				if err != nil {
					return steps.Unknown("the password policy", err)
				}
				if p == nil {
					return steps.Result{Status: steps.StatusFail, Summary: "no password policy: the AWS default applies"}
				}
				return steps.Result{Status: steps.StatusPass}
			}},
		{ID: "alternate-contacts", Phase: steps.PhaseSettings, Kind: steps.KindAuto, Severity: steps.SeverityHigh,
			Title: "Set the alternate contacts", Why: "AWS writes to them about security issues.",
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				_, err := f.AlternateContact(ctx, awsops.ContactSecurity)
				return steps.Unknown("the alternate contacts", err)
			}},
		{ID: "org-root-scp", Phase: steps.PhaseOrganizations, Kind: steps.KindAuto, Severity: steps.SeverityHigh,
			Title: "Deny member-account root with an SCP", OrgOnly: true,
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				return steps.Result{Status: steps.StatusNA, Summary: "not in an organization"}
			}},
		{ID: "iam-users-mfa", Phase: steps.PhaseWatch, Kind: steps.KindGuided, Severity: steps.SeverityHigh,
			Title: "Keep a multi-region CloudTrail trail", Why: "Without it nothing records who did what.",
			ConsoleURL: "https://console.aws.amazon.com/cloudtrail/home",
			Check: func(ctx context.Context, f *steps.Facts) steps.Result {
				return steps.Result{Status: steps.StatusPass, Summary: "trail main logs every region"}
			}},
	}
}

const testGuide = `# Turn on MFA for the root user

## Steps

1. Sign in as the **root user**.
2. Open **Security credentials** and choose **Assign MFA device**.
3. Pick a passkey or security key, then follow the prompts. This line is long enough that it has to wrap onto a second line in an 80 column terminal.

- Keep a backup device somewhere else.
`

func testConfig(fa *fakeAccount) Config {
	return Config{
		Account: fa, Region: "eu-west-1", Demo: true,
		Simulate: fa.simulate, CanSimulate: fa.canSimulate,
		Now:   func() time.Time { return testNow },
		Items: testItems(fa),
		Guide: func(id string) (string, bool) {
			if id == "root-mfa" {
				return testGuide, true
			}
			return "", false
		},
	}
}

// newTestApp is a wizard at 80x24 on a dark background.
func newTestApp(t *testing.T, cfg Config) *App {
	t.Helper()
	a, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return a
}

// Timers the tests never wait for: the spinner's tick and a text cursor's
// blink (no sleeps in tests).
var (
	tickCode  = reflect.ValueOf(spinner.New().Tick).Pointer()
	blinkCode = func() uintptr {
		c := cursor.New()
		c.SetMode(cursor.CursorBlink)
		return reflect.ValueOf(c.Focus()).Pointer()
	}()
	cmdsType = reflect.TypeFor[[]tea.Cmd]()
)

// timer reports whether cmd only waits (a tick or a blink).
func timer(cmd tea.Cmd) bool {
	p := reflect.ValueOf(cmd).Pointer()
	return p == tickCode || p == blinkCode
}

// asCmds unwraps a batch or a sequence.
func asCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	if v := reflect.ValueOf(msg); v.IsValid() && v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdsType) {
		return v.Convert(cmdsType).Interface().([]tea.Cmd), true
	}
	return nil, false
}

// settle runs cmd and every command that follows from it, feeding the
// wizard's own messages back through Update, until nothing is left.
// Timers and terminal requests are dropped.
func settle(t testing.TB, a *App, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var other []tea.Msg
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil || timer(c) {
			continue
		}
		msg := c()
		if cmds, ok := asCmds(msg); ok {
			queue = append(queue, cmds...)
			continue
		}
		switch msg.(type) {
		case intent, identityMsg, aliasMsg, checkDoneMsg, simulateDoneMsg, attestDoneMsg, openDoneMsg, fixLoadedMsg, fixAppliedMsg:
			_, next := a.Update(msg)
			queue = append(queue, next)
		default:
			other = append(other, msg)
		}
	}
	return other
}

// resolve acts on the intents in cmd at once, as the program would on its
// next turn, and returns the rest unrun (their messages already read, so a
// test sees the state in between and feeds them later).
func resolve(a *App, cmd tea.Cmd) tea.Cmd {
	var out []tea.Cmd
	var walk func(tea.Cmd)
	walk = func(c tea.Cmd) {
		if c == nil {
			return
		}
		if timer(c) {
			out = append(out, c)
			return
		}
		msg := c()
		if cmds, ok := asCmds(msg); ok {
			for _, x := range cmds {
				walk(x)
			}
			return
		}
		if m, ok := msg.(intent); ok {
			_, next := a.Update(m)
			walk(next)
			return
		}
		if msg != nil {
			out = append(out, func() tea.Msg { return msg })
		}
	}
	walk(cmd)
	if len(out) == 0 {
		return nil
	}
	return tea.Batch(out...)
}

// started is a wizard whose identity and first pass have completed.
func started(t *testing.T, cfg Config) *App {
	t.Helper()
	a := newTestApp(t, cfg)
	settle(t, a, a.Init())
	return a
}

func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends keys, acting on the intents each returns, and returns what
// else the last one started (unrun).
func press(a *App, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = a.Update(keyMsg(k))
		cmd = resolve(a, cmd)
	}
	return cmd
}

func viewText(a *App) string { return ansi.Strip(a.View().Content) }

func requireContains(t *testing.T, a *App, want ...string) {
	t.Helper()
	v := viewText(a)
	for _, w := range want {
		if !strings.Contains(v, w) {
			t.Fatalf("view does not contain %q:\n%s", w, v)
		}
	}
}
