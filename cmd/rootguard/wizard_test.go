package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/tui"
)

type wizardRun struct {
	code     int
	stdout   string
	stderr   string
	connects []accountFlags
}

func runWizardCmd(t *testing.T, tty bool, input string, args ...string) wizardRun {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{In: strings.NewReader(input), Out: &out, ErrOut: &errOut,
		OutIsTerminal: tty, Env: func(string) string { return "" }}
	var r wizardRun
	dir := t.TempDir()
	d := deps{now: time.Now, stateDir: func() (string, error) { return dir, nil }, connect: func(ctx context.Context, opts accountFlags) (awsops.Account, error) {
		r.connects = append(r.connects, opts)
		return demo.New(demo.Options{Scenario: opts.Scenario}), nil
	}}
	r.code = run(context.Background(), args, ios, d)
	r.stdout, r.stderr = out.String(), errOut.String()
	return r
}

func TestWizardRefusesWithoutATerminal(t *testing.T) {
	r := runWizardCmd(t, false, "", "--demo")
	if r.code != exitUsage {
		t.Fatalf("exit = %d, want %d", r.code, exitUsage)
	}
	if !strings.Contains(r.stderr, "the wizard needs a terminal; for scripts and CI use `rootguard --demo check`") {
		t.Fatalf("stderr = %q", r.stderr)
	}
	if len(r.connects) != 0 {
		t.Fatal("connected to an account before refusing")
	}
}

func TestWizardFlagErrors(t *testing.T) {
	if r := runWizardCmd(t, true, "", "--nope"); r.code != exitUsage || len(r.connects) != 0 {
		t.Fatalf("bad flag: exit %d, %d connects", r.code, len(r.connects))
	}
	if r := runWizardCmd(t, true, "", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "--demo") || r.stderr != "" {
		t.Fatalf("--help: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestWizardRunsOnTheDemoAndQuits(t *testing.T) {
	r := runWizardCmd(t, true, "q", "--demo", "--region", "eu-west-1")
	if r.code != exitOK {
		t.Fatalf("exit = %d, stderr %q", r.code, r.stderr)
	}
	if len(r.connects) != 1 {
		t.Fatalf("%d connects", len(r.connects))
	}
	if c := r.connects[0]; !c.Demo || !c.Latency || c.Region != "eu-west-1" {
		t.Fatalf("connect got %+v, want the demo with realistic latency", c)
	}
}

func TestWizardCtrlCExits130(t *testing.T) {
	r := runWizardCmd(t, true, "\x03", "--demo")
	if r.code != exitInterrupted {
		t.Fatalf("exit = %d, want %d; stderr %q", r.code, exitInterrupted, r.stderr)
	}
}

func TestWizardExitSummarySaysWhereYouStand(t *testing.T) {
	f := tui.Final{Account: "111122223333", Checked: true, Score: steps.Score{Percent: 28}, Open: 10}
	cases := []struct {
		demo     string
		notSaved string
		want     string
	}{
		{"", "", "Progress saved (111122223333): score 28%, 10 open. Run rootguard to continue."},
		{"--demo", "", "Demo progress saved: score 28%, 10 open. Run rootguard --demo to continue."},
		{"--demo=org", "", "Demo progress saved: score 28%, 10 open. Run rootguard --demo=org to continue."},
		{"--demo", "--no-save", "Progress not saved (--no-save): score 28%, 10 open."},
	}
	for _, c := range cases {
		if got := exitSummary(f, c.demo, c.notSaved); got != c.want {
			t.Errorf("exitSummary(demo=%v, %q) = %q, want %q", c.demo, c.notSaved, got, c.want)
		}
	}
	if got := exitSummary(tui.Final{}, "", ""); got != "" {
		t.Errorf("before the caller was read: %q", got)
	}
	if got := exitSummary(tui.Final{Account: "111122223333", Pending: 5}, "", ""); !strings.Contains(got, "before every item was checked (5 still running): no run was saved") {
		t.Errorf("unfinished checks: %q", got)
	}
	f.Pending = 1
	if got := exitSummary(f, "", ""); got != "Progress saved (111122223333): score 28%, 10 open; 1 re-check was still running and keeps the verdict from before. Run rootguard to continue." {
		t.Errorf("a re-check in flight: %q", got)
	}
}

// TestWizardRecordsTheEndOfTheSession: the session's first pass and its
// end are two runs in history, so `history` ends where the wizard did.
func TestWizardRecordsTheEndOfTheSession(t *testing.T) {
	dir := t.TempDir()
	d := deps{now: time.Now, stateDir: func() (string, error) { return dir, nil }}
	st, err := progress.Open(dir, progress.DemoAccount, progress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	start := progress.Run{At: at, Source: "wizard", Results: []progress.ItemStatus{{ID: "root-mfa", Status: steps.StatusFail}}}
	end := progress.Run{At: at.Add(time.Hour), Source: "wizard", Results: []progress.ItemStatus{{ID: "root-mfa", Status: steps.StatusPass}}}
	if err := st.RecordRun(start); err != nil {
		t.Fatal(err)
	}
	if err := recordEnd(&session{store: st}, stateFlags{}, d, end); err != nil {
		t.Fatal(err)
	}
	again, err := progress.Open(dir, progress.DemoAccount, progress.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	runs := again.Runs()
	if len(runs) != 2 || runs[0].Results[0].Status != steps.StatusFail || runs[1].Results[0].Status != steps.StatusPass {
		t.Fatalf("runs = %+v, want the start and the end", runs)
	}
	if err := recordEnd(&session{}, stateFlags{}, d, end); err != nil {
		t.Fatalf("without saved progress: %v", err)
	}
}
