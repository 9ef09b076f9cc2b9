//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Reports are the user's alone (0600) and written by replacing the path:
// a symbolic link there is replaced, never written through, and a named
// pipe is refused before any AWS call, without waiting on it.
func TestReportFileIsPrivateAndNeverFollowed(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.md")
	if code, _, errOut := progressRun(t, newReportDemo(), "report", "--demo", "--no-save", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("report mode %v (%v), want 0600", info.Mode().Perm(), err)
	}

	target := filepath.Join(dir, "elsewhere.txt")
	os.WriteFile(target, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := progressRun(t, newReportDemo(), "report", "--demo", "--no-save", "--out", link); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if data, _ := os.ReadFile(target); string(data) != "keep" {
		t.Errorf("the report was written through the link: %q", data)
	}
	if info, err := os.Lstat(link); err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Errorf("the link was not replaced by a private file: %v (%v)", info.Mode(), err)
	}

	fifo := filepath.Join(dir, "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// nil account: connecting fails the test.
	code, _, errOut := progressRun(t, nil, "report", "--demo", "--no-save", "--out", fifo)
	if code != exitUsage || !strings.Contains(errOut, "not a regular file") {
		t.Errorf("--out a named pipe: exit %d, stderr %q", code, errOut)
	}
}

// The demo's saved state is read like saved progress: a named pipe or a
// link in its place is set aside with a warning and the demo starts fresh
// (never waiting, never reading through the link); a symbolic link for the
// accounts directory is never written through.
func TestDemoStateThatIsNotAFileIsSetAside(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, path string)
	}{
		{"named pipe", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"symbolic link", func(t *testing.T, path string) {
			target := filepath.Join(t.TempDir(), "state.json")
			os.WriteFile(target, []byte(`{"account":{}}`), 0o600)
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "accounts", demoStateFileOf(""))
			os.MkdirAll(filepath.Dir(path), 0o700)
			tc.make(t, path)
			r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--only", "password-policy")
			wantContains(t, "stderr", r.stderr, "the saved demo", "started the demo fresh")
			wantContains(t, "stdout", r.stdout, "✗ fail")
		})
	}
	t.Run("accounts directory is a link", func(t *testing.T) {
		dir := t.TempDir()
		elsewhere := t.TempDir()
		if err := os.Symlink(elsewhere, filepath.Join(dir, "accounts")); err != nil {
			t.Fatal(err)
		}
		r := runCheckCmd(t, checkEnv{stateDir: dir}, "fix", "password-policy", "--demo", "--preset", "recommended", "--yes")
		wantContains(t, "stderr", r.stderr, "symbolic link")
		if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
			t.Errorf("written through the linked directory: %d entries", len(entries))
		}
	})
}
