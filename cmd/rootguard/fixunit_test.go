package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// A new fix gets its command from its description alone: these tests add a
// fake fix through deps and drive it like a user would.

// fakeFixID is a checklist item without a real fix, so the fake's re-check
// runs a real check (it passes on the demo account).
const fakeFixID = "root-signing-certs"

const fakeSecret = "JBSWY3DPEHPK3PXP"

var errWrongCode = errors.New("wrong code")

// fakeAccount records what the fake fix writes.
type fakeAccount struct {
	mu      sync.Mutex
	writes  []string
	input   steps.Input // what the last Plan got
	loadErr error
	// stage: the apply is followed by a stage asking for a code; retry:
	// a wrong code is asked again; terminal: the fix needs a terminal.
	stage, retry, terminal bool
}

func (fa *fakeAccount) write(s string) error {
	fa.mu.Lock()
	defer fa.mu.Unlock()
	fa.writes = append(fa.writes, s)
	return nil
}

func (fa *fakeAccount) written() []string {
	fa.mu.Lock()
	defer fa.mu.Unlock()
	return slices.Clone(fa.writes)
}

// withFakeFix is the real fixes and the fake one.
func withFakeFix(fa *fakeAccount) func() []steps.Fix {
	return func() []steps.Fix { return append(steps.Fixes(), fakeFix(fa)) }
}

type fakeState struct{ name string }

func fakeFix(fa *fakeAccount) steps.Fix {
	return steps.NewFix(steps.FixDef[fakeState]{
		ID: fakeFixID, Title: "Apply the fake fix", Summary: "a fake fix for tests",
		Intro: "Write the fake thing.", Needs: "a fake account", Reads: "the fake state",
		Writes: []string{"fake:Write", "fake:Enable", "fake:Delete"}, Terminal: fa.terminal,
		Load: func(context.Context, *steps.Facts) (fakeState, error) {
			if fa.loadErr != nil {
				return fakeState{}, fa.loadErr
			}
			return fakeState{name: "current"}, nil
		},
		Form: func(cur *fakeState) []steps.Group {
			def := ""
			if cur != nil {
				def = cur.name
			}
			return []steps.Group{{Fields: []steps.Field{
				{Key: "name", Kind: steps.FieldText, Label: "Name", Help: "the thing's name (1–10 characters)", Default: def,
					Validate: func(s string, _ steps.Values) error {
						if n := len(s); n < 1 || n > 10 {
							return fmt.Errorf("must be 1–10 characters (this is %d)", n)
						}
						return nil
					}},
				{Key: "enabled", Kind: steps.FieldBool, Label: "Enable it", Default: "true"},
				{Key: "mode", Kind: steps.FieldSelect, Label: "How it runs", Default: "a", Options: []steps.Option{
					{Value: "a", Label: "Mode A, the usual", Flag: "mode-a"}, {Value: "b", Label: "Mode B"}, {Value: "c", Label: "Mode C"}}},
				{Key: "tags", Kind: steps.FieldMulti, Label: "Tags to add", Options: []steps.Option{
					{Value: "x", Label: "Tag X"}, {Value: "y", Label: "Tag Y"}, {Value: "z", Label: "Tag Z"}}},
				{Key: "danger", Kind: steps.FieldBool, Label: "Do the dangerous thing", Default: "false"},
			}}}
		},
		Plan: func(cur fakeState, in steps.Input) (steps.Plan, error) {
			fa.mu.Lock()
			fa.input = in
			fa.mu.Unlock()
			name := in.Text("name")
			p := steps.Plan{Changes: []steps.Change{{Field: "name", Current: cur.name, Proposed: name}}}
			if name == cur.name {
				return steps.Plan{NoOp: true}, nil
			}
			p.Calls = []steps.Call{steps.NewCall("fake:Write", "fake thing", []steps.Evidence{{Key: "Name", Value: name}},
				func(context.Context, awsops.Writer) error { return fa.write("write " + name) })}
			if in.Bool("danger") {
				p.Confirm = &steps.TypedConfirm{Prompt: "Type the account ID to confirm", Want: demo.AccountID}
			}
			if fa.stage {
				p = p.Then(func(steps.Outputs) *steps.Stage { return fakeStage(fa) })
			}
			return p, nil
		},
	})
}

// fakeStage shows a serial, a secret and a QR code, then asks for a code:
// 123456 is right; anything else fails the apply (asked again when retry).
func fakeStage(fa *fakeAccount) *steps.Stage {
	abort := steps.Plan{Calls: []steps.Call{steps.NewCall("fake:Delete", "fake device", nil,
		func(context.Context, awsops.Writer) error { return fa.write("undo") })}}
	return &steps.Stage{
		Title: "Enter a code", Help: "Scan the code with your authenticator app, then type the code it shows.",
		Show: []steps.Shown{
			{Label: "Serial", Value: "arn:aws:iam::111122223333:mfa/fake", Kind: steps.ShownText},
			{Label: "Secret", Value: fakeSecret, Kind: steps.ShownSecret},
			{Label: "QR code", Value: "otpauth://totp/fake?secret=" + fakeSecret, Kind: steps.ShownQR, Grouped: "JBSW Y3DP EHPK 3PXP"},
		},
		Form: []steps.Group{{Fields: []steps.Field{{Key: "code", Kind: steps.FieldText, Label: "Code"}}}},
		Plan: func(in steps.Input) (steps.Plan, error) {
			code := in.Text("code")
			if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(code) {
				return steps.Plan{}, steps.FieldErrors{{Field: "code", Message: "must be 6 digits"}}
			}
			return steps.Plan{Calls: []steps.Call{steps.NewCall("fake:Enable", "fake device", nil,
				func(context.Context, awsops.Writer) error {
					if code != "123456" {
						return errWrongCode
					}
					return fa.write("enable")
				})}}, nil
		},
		Retry: func(err error) (string, bool) {
			return "that code was not accepted: wait for the next one", fa.retry && errors.Is(err, errWrongCode)
		},
		Abort: &abort,
	}
}

// scriptedAsk answers a stage's form with the codes in turn, then stops.
type scriptedAsk struct {
	codes    []string
	messages []string
}

func (s *scriptedAsk) ask(_ context.Context, _ *steps.Stage, message string, _ IOStreams) (steps.Input, error) {
	s.messages = append(s.messages, message)
	if len(s.codes) == 0 {
		return steps.Input{}, errStageStopped
	}
	code := s.codes[0]
	s.codes = s.codes[1:]
	return steps.NewInput(steps.Values{"code": code}), nil
}

type fakeRun struct {
	code           int
	stdout, stderr string
	connects       int
	stateDir       string
}

// runFake runs `rootguard fix <fake> args…` on the demo account with the
// fake fix added; tty makes stdin and stdout terminals.
func runFake(t *testing.T, fa *fakeAccount, tty bool, ask stageAsker, args ...string) fakeRun {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InIsTerminal: tty, OutIsTerminal: tty,
		Env: func(k string) string { return map[string]string{"NO_COLOR": "1", "COLUMNS": "100"}[k] }}
	r := fakeRun{stateDir: t.TempDir()}
	now := func() time.Time { return fixTestNow }
	d := deps{now: now, fixes: withFakeFix(fa), askStage: ask, stateDir: func() (string, error) { return r.stateDir, nil },
		connect: func(context.Context, accountFlags) (awsops.Account, error) {
			r.connects++
			return demo.New(demo.Options{Now: now}), nil
		}}
	r.code = run(context.Background(), append([]string{"--demo", "fix", fakeFixID}, args...), ios, d)
	r.stdout, r.stderr = out.String(), errOut.String()
	return r
}

func TestFixFlagsFromFields(t *testing.T) {
	r := runFake(t, &fakeAccount{}, false, nil, "--help")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []struct{ flag, says string }{
		{"name", "The thing's name (1–10 characters)"},
		{"enabled", "Enable it"},
		{"mode", "How it runs"},
		{"mode-a", "Mode A, the usual (--mode a)"},
		{"tags", "Tags to add, comma-separated:"},
		{"danger", "Do the dangerous thing"},
		{"yes", "Apply the plan"}, {"dry-run", "never write"}, {"confirm", "asks you to type"},
	} {
		if line := helpFlagLine(r.stdout, want.flag); !strings.Contains(line, want.says) {
			t.Errorf("--%s: help line %q lacks %q", want.flag, line, want.says)
		}
	}
	wantContains(t, "help", r.stdout, "b: mode B", "x: tag X")
	wantContains(t, "help", oneLine(r.stdout), "Needs a fake account.", "Writes: fake:Write, fake:Enable, fake:Delete.",
		"fields you leave out keep their current values")
}

// Only the flags that were set are given; the plan gets the current values
// (the form's defaults) for the rest.
func TestFixGivenFlagsOverDefaults(t *testing.T) {
	fa := &fakeAccount{}
	r := runFake(t, fa, false, nil, "--name", "new", "--mode-a", "--tags", "x,z", "--enabled=false")
	if r.code != exitFindings || !strings.Contains(r.stdout, "Nothing was written; re-run with --yes") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	in := fa.input
	want := steps.Values{"name": "new", "enabled": "false", "mode": "a", "tags": "x,z", "danger": "false"}
	for k, v := range want {
		if in.Values[k] != v {
			t.Errorf("value %s = %q, want %q", k, in.Values[k], v)
		}
	}
	for _, k := range []string{"name", "enabled", "mode", "tags"} {
		if !in.Given[k] {
			t.Errorf("%s was set but is not given", k)
		}
	}
	if in.Given["danger"] {
		t.Error("danger was not set but is given")
	}
	if w := fa.written(); len(w) != 0 {
		t.Errorf("wrote without --yes: %v", w)
	}

	// The default of an unset field is the current state's.
	fa = &fakeAccount{}
	if r := runFake(t, fa, false, nil, "--enabled"); r.code != exitOK || !strings.Contains(r.stdout, "Already in place") {
		t.Errorf("the current name kept: exit %d\n%s", r.code, r.stdout)
	}
	if fa.input.Values["name"] != "current" || fa.input.Given["name"] {
		t.Errorf("name = %q given=%v, want the current value, not given", fa.input.Values["name"], fa.input.Given["name"])
	}
}

// Bad input is refused at its flag, before anything connects.
func TestFixBadInputAtTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "much-too-long-a-name"}, "--name: must be 1–10 characters (this is 20)"},
		{[]string{"--mode", "q"}, `--mode: must be a, b or c (got "q")`},
		{[]string{"--mode", "b", "--mode-a"}, "--mode-a: cannot be combined with --mode b"},
		{[]string{"--tags", "x,w"}, `--tags: must be x, y or z (got "w")`},
		{[]string{"--nme", "x"}, "unknown flag --nme — did you mean --name?"},
	} {
		r := runFake(t, &fakeAccount{}, false, nil, tc.args...)
		if r.code != exitUsage || r.connects != 0 || r.stdout != "" || r.stderr != "rootguard: "+tc.want+"\n" {
			t.Errorf("%q: exit %d, %d connects, stderr %q, want %q", tc.args, r.code, r.connects, r.stderr, tc.want)
		}
	}
}

func TestFixTypedConfirmation(t *testing.T) {
	fa := &fakeAccount{}
	r := runFake(t, fa, false, nil, "--name", "new", "--danger")
	wantContains(t, "plan", r.stdout, "Typed confirmation: Type the account ID to confirm (--confirm VALUE).",
		"re-run with --yes --confirm VALUE to apply")
	if strings.Contains(r.stdout, demo.AccountID) {
		t.Error("the plan shows the value to type")
	}
	r = runFake(t, fa, false, nil, "--name", "new", "--danger", "--yes")
	if r.code != exitFindings || !strings.Contains(r.stdout, "this change needs a typed confirmation") {
		t.Errorf("--yes alone: exit %d\n%s", r.code, r.stdout)
	}
	r = runFake(t, fa, false, nil, "--name", "new", "--danger", "--yes", "--confirm", "999999999999")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--confirm: the value does not match") {
		t.Errorf("wrong value: exit %d\n%s", r.code, r.stderr)
	}
	if w := fa.written(); len(w) != 0 {
		t.Fatalf("wrote without the typed confirmation: %v", w)
	}
	r = runFake(t, fa, false, nil, "--name", "new", "--danger", "--yes", "--confirm", demo.AccountID)
	if r.code != exitOK || !slices.Equal(fa.written(), []string{"write new"}) {
		t.Errorf("confirmed: exit %d, writes %v\n%s%s", r.code, fa.written(), r.stdout, r.stderr)
	}
	// --dry-run writes nothing, even confirmed.
	fa = &fakeAccount{}
	if r := runFake(t, fa, false, nil, "--name", "new", "--danger", "--yes", "--confirm", demo.AccountID, "--dry-run"); r.code != exitFindings || len(fa.written()) != 0 {
		t.Errorf("dry run: exit %d, writes %v", r.code, fa.written())
	}
}

// A fix that asks midway refuses --yes without a terminal, before it
// connects; its plan can still be printed.
func TestFixNeedsATerminal(t *testing.T) {
	fa := &fakeAccount{terminal: true, stage: true}
	r := runFake(t, fa, false, nil, "--name", "new", "--yes")
	if r.code != exitUsage || r.connects != 0 || len(fa.written()) != 0 {
		t.Fatalf("exit %d, %d connects, writes %v", r.code, r.connects, fa.written())
	}
	wantContains(t, "stderr", r.stderr, "asks for input after its first write, so --yes needs a terminal",
		"or use the wizard (`rootguard --demo`); nothing was written")
	if r := runFake(t, fa, false, nil, "--name", "new"); r.code != exitFindings || !strings.Contains(r.stdout, "fake:Write") {
		t.Errorf("the plan without a terminal: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runFake(t, fa, false, nil, "--name", "new", "--yes", "--dry-run"); r.code != exitFindings {
		t.Errorf("a dry run needs no terminal: exit %d %s", r.code, r.stderr)
	}
	r = runFake(t, fa, false, nil, "--help")
	wantContains(t, "help", oneLine(r.stdout), "so --yes needs a terminal")
	list := runCheckCmd(t, checkEnv{}, "fix", "--list")
	if strings.Contains(list.stdout, fakeFixID+" ") {
		t.Fatal("the fake fix leaked into the real list")
	}
	var out bytes.Buffer
	if err := writeFixList(&out, withFakeFix(fa)()); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "fix --list", out.String(), "needs: a fake account; a terminal (it asks for input midway)",
		"permissions: fake:Write, fake:Enable, fake:Delete")
}

// The stage path: shown once on the terminal, asked, a wrong code asked
// again with the stage's message, then applied, re-checked and recorded
// without the secret.
func TestFixStageRetriesThenApplies(t *testing.T) {
	fa := &fakeAccount{terminal: true, stage: true, retry: true}
	ask := &scriptedAsk{codes: []string{"12", "000000", "123456"}}
	r := runFake(t, fa, true, ask.ask, "--name", "new", "--yes")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !slices.Equal(fa.written(), []string{"write new", "enable"}) {
		t.Errorf("writes = %v", fa.written())
	}
	wantMessages := []string{"", "Code: must be 6 digits", "that code was not accepted: wait for the next one"}
	if !slices.Equal(ask.messages, wantMessages) {
		t.Errorf("asked with %q, want %q", ask.messages, wantMessages)
	}
	wantContains(t, "stdout", r.stdout, "✓ fake thing saved", "Enter a code", "Serial: arn:aws:iam::111122223333:mfa/fake",
		"Secret: "+fakeSecret, "shown once", "↑ QR code", "▀", "✓ fake device saved",
		"Re-checked live: ✓ pass")
	if n := strings.Count(r.stdout, fakeSecret); n != 1 {
		t.Errorf("the secret is shown %d times, want once", n)
	}
	if strings.Contains(r.stderr, fakeSecret) {
		t.Error("the secret reached stderr")
	}
	assertNoSecretOnDisk(t, r.stateDir, fakeSecret)
	h := runCheckCmd(t, checkEnv{stateDir: r.stateDir}, "--demo", "history")
	wantContains(t, "history", h.stdout, fakeFixID, "fake thing saved (changed: name); fake device saved")
}

// Stopping at the stage undoes what the fix made (its Abort plan).
func TestFixStageStopUndoes(t *testing.T) {
	fa := &fakeAccount{terminal: true, stage: true}
	ask := &scriptedAsk{} // stops at once
	r := runFake(t, fa, true, ask.ask, "--name", "new", "--yes")
	if r.code != exitFindings {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !slices.Equal(fa.written(), []string{"write new", "undo"}) {
		t.Errorf("writes = %v, want the write then its undo", fa.written())
	}
	wantContains(t, "stdout", r.stdout, "Stopped; undone with fake:Delete (fake device)")
	wantContains(t, "stderr", r.stderr, "stopped at Enter a code; the fix is not complete")
	assertNoSecretOnDisk(t, r.stateDir, fakeSecret)
	h := runCheckCmd(t, checkEnv{stateDir: r.stateDir}, "--demo", "history")
	wantContains(t, "history", oneLine(h.stdout), "fake thing saved (changed: name); stopped at Enter a code; undone with fake:Delete (fake device)")
}

// A wrong code the stage does not retry ends the fix, and it is undone.
func TestFixStageFailureWithoutRetryUndoes(t *testing.T) {
	fa := &fakeAccount{terminal: true, stage: true}
	ask := &scriptedAsk{codes: []string{"000000"}}
	r := runFake(t, fa, true, ask.ask, "--name", "new", "--yes")
	if r.code != exitFindings || len(ask.messages) != 1 {
		t.Fatalf("exit %d, asked %d times\n%s%s", r.code, len(ask.messages), r.stdout, r.stderr)
	}
	if !slices.Equal(fa.written(), []string{"write new", "undo"}) {
		t.Errorf("writes = %v", fa.written())
	}
	wantContains(t, "stdout", r.stdout, "✗ fake:Enable: wrong code; nothing was changed", "Stopped; undone with fake:Delete")
}

// ctrl+c while the stage asks: exit 130, and the undo still runs.
func TestFixStageInterruptedUndoes(t *testing.T) {
	fa := &fakeAccount{terminal: true, stage: true}
	ctx, cancel := context.WithCancel(context.Background())
	ask := func(context.Context, *steps.Stage, string, IOStreams) (steps.Input, error) {
		cancel()
		return steps.Input{}, errStageStopped
	}
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InIsTerminal: true, OutIsTerminal: true, Env: func(string) string { return "" }}
	d := deps{now: func() time.Time { return fixTestNow }, fixes: withFakeFix(fa), askStage: ask,
		stateDir: func() (string, error) { return t.TempDir(), nil },
		connect:  func(context.Context, accountFlags) (awsops.Account, error) { return demo.New(demo.Options{}), nil }}
	code := run(ctx, []string{"--demo", "fix", fakeFixID, "--name", "new", "--yes"}, ios, d)
	if code != exitInterrupted || !slices.Equal(fa.written(), []string{"write new", "undo"}) {
		t.Errorf("exit %d, writes %v\n%s%s", code, fa.written(), out.String(), errOut.String())
	}
}

// Without a terminal a stage's secrets are not shown.
func TestFixStageSecretsOnlyOnATerminal(t *testing.T) {
	var b bytes.Buffer
	r := &fixRunner{out: &b, ios: IOStreams{Out: &b}}
	r.showStage(fakeStage(&fakeAccount{}))
	if strings.Contains(b.String(), fakeSecret) || strings.Contains(b.String(), "▀") {
		t.Errorf("a secret or QR code went to a non-terminal:\n%s", b.String())
	}
	wantContains(t, "stage", b.String(), "Serial: arn:aws:iam::111122223333:mfa/fake", "Secret: (not shown: the output is not a terminal)")
}

// A failed read of the fix's state names what it reads.
func TestFixReadErrorNamesWhatItReads(t *testing.T) {
	fa := &fakeAccount{loadErr: awsops.Wrap("fake:Read", demo.AccessDenied("fake:Read"))}
	r := runFake(t, fa, false, nil, "--name", "new")
	if r.code != exitFindings || !strings.Contains(r.stderr, "could not read the fake state: access denied (needs fake:Read); nothing was written.") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// The stage's form is built from its fields: answers come back as the
// input, every field of the shown groups given.
func TestStageFormCollectsAnswers(t *testing.T) {
	stage := &steps.Stage{Form: []steps.Group{
		{Fields: []steps.Field{{Key: "code1", Kind: steps.FieldText, Label: "First code", Default: "111111"},
			{Key: "code2", Kind: steps.FieldText, Label: "Second code"}}},
		{Title: "hidden", Shown: func(v steps.Values) bool { return v["code1"] == "show" },
			Fields: []steps.Field{{Key: "extra", Kind: steps.FieldText, Label: "Extra"}}},
	}}
	form, answers := stageForm(stage, "")
	form = form.WithAccessible(true).WithInput(iotest.OneByteReader(strings.NewReader("\n222222\nignored\n"))).WithOutput(io.Discard)
	if err := form.Run(); err != nil {
		t.Fatal(err)
	}
	in := answers()
	if in.Values["code1"] != "111111" || in.Values["code2"] != "222222" {
		t.Errorf("values = %v", in.Values)
	}
	if !in.Given["code1"] || !in.Given["code2"] || in.Given["extra"] {
		t.Errorf("given = %v, want the first group's fields only", in.Given)
	}
}

// Every real fix has a flag for each of its fields (no key clashes with
// the common flags), and its select fields' aliases too.
func TestEveryFixFieldHasItsFlag(t *testing.T) {
	root := newRootCmd(IOStreams{}, deps{})
	for _, fix := range steps.Fixes() {
		if !fix.Available() {
			continue
		}
		cmd, _, err := root.Find([]string{"fix", fix.ID})
		if err != nil || cmd.Name() != fix.ID {
			t.Fatalf("no command for %s", fix.ID)
		}
		for _, f := range fix.Fields(steps.State{}) {
			for _, name := range fieldFlagNames(f) {
				if slices.Contains(reservedFlags, name) || cmd.Flags().Lookup(name) == nil {
					t.Errorf("%s: field %s has no flag --%s of its own", fix.ID, f.Key, name)
				}
			}
		}
	}
}

// policy --with-fixes lists the writes of every available fix, from the
// fixes themselves.
func TestPolicyWritesComeFromTheFixes(t *testing.T) {
	var out bytes.Buffer
	ios := IOStreams{Out: &out, ErrOut: io.Discard, Env: func(string) string { return "" }}
	if code := run(context.Background(), []string{"policy", "--with-fixes"}, ios, deps{fixes: withFakeFix(&fakeAccount{})}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"fake:Write", "fake:Enable", "iam:UpdateAccountPasswordPolicy", "account:PutAlternateContact", "account:PutContactInformation"} {
		if !strings.Contains(out.String(), `"`+want+`"`) {
			t.Errorf("policy lacks %s", want)
		}
	}
	reads := map[string]bool{}
	for _, p := range awsops.RequiredPermissions() {
		reads[p.Action] = true
	}
	for _, f := range steps.Fixes() {
		if f.Available() {
			continue
		}
		for _, w := range f.Writes {
			if !reads[w] && strings.Contains(out.String(), `"`+w+`"`) {
				t.Errorf("the planned fix %s's write %s is allowed before it can be applied", f.ID, w)
			}
		}
	}
}

// oneLine is text with its line breaks and runs of spaces as one space,
// to find sentences that help wraps.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// assertNoSecretOnDisk searches every file under dir for the secret.
func assertNoSecretOnDisk(t *testing.T, dir, secret string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s holds the secret", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Error("nothing was saved: the search proves nothing")
	}
}
