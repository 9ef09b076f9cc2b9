//go:build unix

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// The first ctrl+c cancels the command; the second ends the process even
// when the command does not stop.
func TestSecondInterruptEndsTheProcess(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ROOTGUARD_SIGNAL_HELPER=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	next := func(want string) {
		t.Helper()
		if !lines.Scan() || lines.Text() != want {
			t.Fatalf("helper said %q, want %q", lines.Text(), want)
		}
	}
	next("ready")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	next("canceled")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The default action can only be back once stop ran: send until the
	// process is gone (the bound only keeps a regression from hanging).
	deadline := time.After(30 * time.Second)
	for {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("helper ended with %v", err)
			}
			if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
				t.Fatalf("helper ended with %v, want killed by SIGINT", err)
			}
			return
		case <-deadline:
			t.Fatal("a second ctrl+c did not end the process")
		case <-time.After(50 * time.Millisecond):
		}
	}
}
