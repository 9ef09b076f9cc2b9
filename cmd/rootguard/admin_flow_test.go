package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// mfaAsk answers the admin fix's stages like a person with an
// authenticator app: the codes of the secret the stage shows (after
// wrong first, if set), and "keep" for the removal question.
type mfaAsk struct {
	now      time.Time
	wrong    int // answer this many times with wrong codes first
	seeds    []string
	messages []string
}

func (a *mfaAsk) ask(_ context.Context, st *steps.Stage, message string, _ IOStreams) (steps.Input, error) {
	a.messages = append(a.messages, message)
	var seed string
	for _, s := range st.Show {
		if s.Kind == steps.ShownSecret {
			seed = s.Value
		}
	}
	if seed == "" {
		return steps.Input{}, errors.New("stage without a secret")
	}
	a.seeds = append(a.seeds, seed)
	if a.wrong > 0 {
		a.wrong--
		return steps.NewInput(steps.Values{steps.FieldMFACode1: "111111", steps.FieldMFACode2: "222222"}), nil
	}
	prev, cur, err := demo.CurrentCodes(seed, a.now)
	if err != nil {
		return steps.Input{}, err
	}
	return steps.NewInput(steps.Values{steps.FieldMFACode1: prev, steps.FieldMFACode2: cur}), nil
}

var oneTimePassword = regexp.MustCompile(`One-time password: (\S+)`)

// The whole admin fix on the demo account at a terminal: the plan, the
// device, a wrong pair of codes (asked again), the right pair (real TOTP),
// the password shown once; then the item passes, and neither the MFA
// secret nor the password is in any file rootguard wrote or on stderr.
func TestAdminFixEndToEndKeepsSecretsOffDisk(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InIsTerminal: true, OutIsTerminal: true,
		Env: func(k string) string { return map[string]string{"NO_COLOR": "1", "COLUMNS": "100"}[k] }}
	dir := t.TempDir()
	now := func() time.Time { return fixTestNow }
	ask := &mfaAsk{now: fixTestNow, wrong: 1}
	d := deps{now: now, askStage: ask.ask, stateDir: func() (string, error) { return dir, nil },
		connect: func(context.Context, accountFlags) (awsops.Account, error) {
			return demo.New(demo.Options{Now: now}), nil
		}}
	code := run(context.Background(), []string{"--demo", "fix", "admin-identity", "--user-name", "jane", "--yes"}, ios, d)
	stdout, stderr := out.String(), errOut.String()
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if len(ask.seeds) != 2 || ask.seeds[0] != ask.seeds[1] || !strings.Contains(ask.messages[1], "not accepted") {
		t.Fatalf("asked %d times with %q: a wrong code must be asked again, same device", len(ask.seeds), ask.messages)
	}
	m := oneTimePassword.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no one-time password shown:\n%s", stdout)
	}
	password, seed := m[1], ask.seeds[0]
	if n := strings.Count(stdout, steps.GroupSecret(seed)); n != 1 {
		t.Errorf("the MFA secret is shown %d times (in groups of four), want once", n)
	}
	for name, secret := range map[string]string{"password": password, "MFA secret": seed} {
		if n := strings.Count(stdout, secret); name == "password" && n != 1 {
			t.Errorf("the %s is shown %d times on stdout, want once", name, n)
		}
		if strings.Contains(stderr, secret) {
			t.Errorf("the %s reached stderr", name)
		}
		assertNoSecretOnDisk(t, dir, secret)
	}
	wantContains(t, "stdout", stdout, "Re-checked live: ✓ pass", "https://acme-sandbox.signin.aws.amazon.com/console", "User name: jane")

	// The next run (the demo's state was saved) finds jane, and a second
	// fix changes nothing.
	c := runCheckCmd(t, checkEnv{stateDir: dir}, "--demo", "check", "--only", "admin-identity", "--format", "json")
	if !strings.Contains(c.stdout, `"status": "pass"`) {
		t.Errorf("check after the fix:\n%s", c.stdout)
	}
	out.Reset()
	errOut.Reset()
	d.connect = func(context.Context, accountFlags) (awsops.Account, error) {
		return demo.New(demo.Options{Now: now}), nil
	}
	if code := run(context.Background(), []string{"--demo", "fix", "admin-identity", "--user-name", "jane", "--yes"}, ios, d); code != exitOK ||
		!strings.Contains(out.String(), "Already in place") {
		t.Errorf("second run: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}

// Without a terminal the admin fix creates nothing: an administrator
// without MFA is never the end of a non-interactive run.
func TestAdminFixWithoutATerminalWritesNothing(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	acct := demo.New(demo.Options{Now: func() time.Time { return fixTestNow }})
	d := deps{now: func() time.Time { return fixTestNow }, stateDir: func() (string, error) { return t.TempDir(), nil },
		connect: func(context.Context, accountFlags) (awsops.Account, error) { return acct, nil }}
	code := run(context.Background(), []string{"--demo", "fix", "admin-identity", "--user-name", "jane", "--yes"}, ios, d)
	if code != exitUsage || len(acct.Writes()) != 0 {
		t.Fatalf("exit %d, writes %v\n%s%s", code, acct.Writes(), out.String(), errOut.String())
	}
	wantContains(t, "stderr", errOut.String(), "terminal")
}

// Against moto, which accepts any codes: the whole creation, then `check`
// shows admin-identity pass.
func TestMotoAdminFixThenCheck(t *testing.T) {
	url := motoURL(t)
	motoAccountEnv(t, url)
	t.Setenv("NO_COLOR", "1")
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InIsTerminal: true, OutIsTerminal: true, Env: os.Getenv}
	d := defaultDeps()
	d.askStage = func(_ context.Context, st *steps.Stage, _ string, _ IOStreams) (steps.Input, error) {
		return steps.NewInput(steps.Values{steps.FieldMFACode1: "123456", steps.FieldMFACode2: "654321"}), nil
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, []string{"fix", "admin-identity", "--user-name", "jane", "--yes", "--state-dir", dir}, ios, d)
	if code != exitOK || !strings.Contains(out.String(), "Re-checked live: ✓ pass") {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
	wantVerdict(t, checkOne(t, "admin-identity"), "admin-identity", steps.StatusPass, "jane")
	if m := oneTimePassword.FindStringSubmatch(out.String()); m == nil {
		t.Error("no one-time password shown")
	} else {
		assertNoSecretOnDisk(t, dir, m[1])
	}
}
