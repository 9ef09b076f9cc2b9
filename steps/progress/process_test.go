package progress

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// TestHelperWriter is not a test: TestTwoProcesses runs the test binary as
// a separate writer process through it.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv("ROOTGUARD_PROGRESS_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process for TestTwoProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("ROOTGUARD_PROGRESS_HELPER_N"))
	name := os.Getenv("ROOTGUARD_PROGRESS_HELPER_NAME")
	for i := range n {
		s, err := Open(dir, DemoAccount, Options{Now: fixedClock(t0)})
		if err != nil {
			t.Fatal(err)
		}
		item := fmt.Sprintf("%s-%d", name, i)
		if err := s.RecordRun(sampleRun(t0.Add(time.Duration(i)*time.Second), item, "pass")); err != nil {
			t.Fatal(err)
		}
		if err := s.Attest(item, t0, name); err != nil {
			t.Fatal(err)
		}
		if w := s.Warnings(); len(w) > 0 {
			t.Fatalf("warnings: %v", w)
		}
	}
}

func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	const perProcess = 25
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for _, name := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			"ROOTGUARD_PROGRESS_HELPER_DIR="+dir,
			"ROOTGUARD_PROGRESS_HELPER_NAME="+name,
			"ROOTGUARD_PROGRESS_HELPER_N="+strconv.Itoa(perProcess))
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer: %v\n%s", err, outs[i])
		}
	}
	s := mustOpen(t, dir, DemoAccount, Options{})
	if w := s.Warnings(); len(w) != 0 {
		t.Fatalf("warnings: %v", w)
	}
	if got := [2]int{len(s.Runs()), len(s.Attestations())}; got != [2]int{2 * perProcess, 2 * perProcess} {
		t.Errorf("runs, attestations = %v, want %d each", got, 2*perProcess)
	}
}
