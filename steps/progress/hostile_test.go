//go:build unix

package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/safetext"
)

// within runs f and fails the test at once if it has not returned after
// limit: a state file that hangs rootguard must fail fast, not block CI.
func within(t *testing.T, limit time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		buf := make([]byte, 1<<16)
		n := runtime.Stack(buf, true)
		t.Fatalf("%s did not return within %s:\n%s", what, limit, buf[:n])
	}
}

// openAndRun opens the store, checks it warns (mentioning want), then
// records a run and reads it back: a working session despite the file.
func openAndRun(t *testing.T, dir, want string, saves bool) *Store {
	t.Helper()
	var s *Store
	within(t, 10*time.Second, "Open", func() { s = mustOpen(t, dir, DemoAccount, Options{LockTimeout: time.Second}) })
	w := s.Warnings()
	if len(w) == 0 || !strings.Contains(strings.Join(w, "\n"), want) {
		t.Fatalf("warnings = %q, want one saying %q", w, want)
	}
	for _, msg := range w {
		if !safetext.CleanLine(msg) {
			t.Errorf("raw control character in warning %q", msg)
		}
	}
	if s.Saving() != saves {
		t.Fatalf("Saving() = %v, want %v", s.Saving(), saves)
	}
	within(t, 10*time.Second, "RecordRun", func() {
		if err := s.RecordRun(sampleRun(t0, "root-mfa", "pass")); err != nil {
			t.Errorf("RecordRun: %v", err)
		}
	})
	if n := len(s.Runs()); n != 1 {
		t.Fatalf("%d runs in memory after a fresh start, want 1", n)
	}
	return s
}

func accountsDir(t *testing.T, dir string) string {
	t.Helper()
	a := filepath.Join(dir, "accounts")
	if err := os.MkdirAll(a, 0o700); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStateFileThatIsAFIFO(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(accountsDir(t, dir), "demo.json")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	openAndRun(t, dir, "is a named pipe", true)
	if _, err := os.Lstat(path + ".corrupt-20250301T090000Z"); err != nil {
		t.Errorf("the pipe was not set aside: %v", err)
	}
	if n := len(mustOpen(t, dir, DemoAccount, Options{}).Runs()); n != 1 {
		t.Errorf("the fresh file has %d runs, want 1", n)
	}
}

func TestStateFileThatLinksToADevice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(accountsDir(t, dir), "demo.json")
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Skip(err)
	}
	openAndRun(t, dir, "is a symbolic link", true)
	if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
		t.Errorf("the link was not replaced by a saved file: %v %v", info, err)
	}
}

func TestStateFileThatIsADevice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(accountsDir(t, dir), "demo.json")
	// A device node needs privileges; a hard link to one does not exist
	// across file systems. Make one when we can.
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o600, int(mkdev(1, 5))); err != nil {
		t.Skipf("cannot make a device node here: %v", err)
	}
	openAndRun(t, dir, "is a device", true)
}

func mkdev(major, minor uint32) uint64 {
	return uint64(major)<<8 | uint64(minor&0xff) | uint64(minor&^0xff)<<12
}

func TestStateFileThatLinksToAnotherFile(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "victim")
	victim := `{"schema_version": 1, "account": "demo", "runs": []}`
	if err := os.WriteFile(elsewhere, []byte(victim), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(accountsDir(t, dir), "demo.json")
	if err := os.Symlink(elsewhere, path); err != nil {
		t.Skip(err)
	}
	openAndRun(t, dir, "is a symbolic link", true)
	if b, _ := os.ReadFile(elsewhere); string(b) != victim {
		t.Errorf("written through the link: %q", b)
	}
	if info, _ := os.Stat(elsewhere); info.Mode().Perm() != 0o644 {
		t.Errorf("chmod through the link: %v", info.Mode())
	}
}

func TestAccountsDirThatIsASymlink(t *testing.T) {
	dir := t.TempDir()
	elsewhere := t.TempDir()
	if err := os.Chmod(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	planted := `{"schema_version": 1, "account": "demo", "runs": [{"at": "2025-01-01T00:00:00Z", "results": [{"id": "root-mfa", "status": "pass"}]}]}`
	if err := os.WriteFile(filepath.Join(elsewhere, "demo.json"), []byte(planted), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "accounts")); err != nil {
		t.Skip(err)
	}
	for _, readOnly := range []bool{false, true} {
		var s *Store
		within(t, 10*time.Second, "Open", func() { s = mustOpen(t, dir, DemoAccount, Options{ReadOnly: readOnly}) })
		if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], "is a symbolic link") || !strings.Contains(w[0], "not read from it nor saved") {
			t.Fatalf("warnings = %q", w)
		}
		if s.Saving() || len(s.Runs()) != 0 {
			t.Fatalf("saving %v, %d runs read through the link", s.Saving(), len(s.Runs()))
		}
		if err := s.RecordRun(sampleRun(t0, "root-mfa", "fail")); err != nil || len(s.Runs()) != 1 {
			t.Fatalf("in-memory run: %v", err)
		}
	}
	info, _ := os.Stat(elsewhere)
	if info.Mode().Perm() != 0o755 {
		t.Errorf("the link's target was chmod-ed to %v", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(elsewhere)
	if len(entries) != 1 {
		t.Errorf("files written through the link: %v", entries)
	}
}

func TestAccountsPathThatIsAFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "accounts"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	openAndRun(t, dir, "is not a directory", false)
}

func TestDanglingLockSymlinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "created-by-rootguard")
	lock := filepath.Join(accountsDir(t, dir), "demo.lock")
	if err := os.Symlink(target, lock); err != nil {
		t.Skip(err)
	}
	openAndRun(t, dir, "is a symbolic link", false)
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock link's target was created: %v", err)
	}
}

func TestLockThatIsAFIFO(t *testing.T) {
	dir := t.TempDir()
	lock := filepath.Join(accountsDir(t, dir), "demo.lock")
	if err := syscall.Mkfifo(lock, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	openAndRun(t, dir, "is a named pipe", false)
}

func TestOversizedStateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(accountsDir(t, dir), "demo.json")
	// Valid JSON, just too much of it.
	big := `{"schema_version": 1, "account": "demo", "runs": [], "pad": "` + strings.Repeat("a", MaxStateBytes) + `"}`
	if err := os.WriteFile(path, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	openAndRun(t, dir, "is larger than 16 MB", true)
}

func TestHostileStateFileIsSanitizedOnLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(accountsDir(t, dir), "demo.json")
	evil := "x\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b2J\u202e\r"
	d := fileData{
		SchemaVersion: 1, Account: "demo",
		Runs: []Run{{At: t0, CallerARN: "arn:aws:iam::1:user/" + evil, Source: evil,
			Results: []ItemStatus{{ID: "root-mfa" + evil, Status: "pass", Summary: "ok " + evil}}}},
		Fixes: []Fix{{ItemID: "password-policy", At: t0, Summary: evil}},
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	// Attestations keyed by a hostile item ID, with a hostile note.
	b = bytes.Replace(b, []byte(`"attestations":null`), []byte(`"attestations":{"root-email\u001b[2J":{"item":"","at":"2025-01-01T00:00:00Z","note":"n\u001b]0;t\u0007"}}`), 1)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var s *Store
	within(t, 10*time.Second, "Open", func() { s = mustOpen(t, dir, DemoAccount, Options{}) })
	if w := s.Warnings(); len(w) != 0 {
		t.Fatalf("a well-formed file warned: %q", w)
	}
	got := struct {
		Runs         []Run
		Fixes        []Fix
		Attestations any
	}{s.Runs(), s.Fixes(), s.Attestations()}
	if len(got.Runs) != 1 || len(got.Fixes) != 1 || len(s.Attestations()) != 1 {
		t.Fatalf("loaded %+v", got)
	}
	assertClean(t, reflect.ValueOf(got), "store")
	if a := s.Attestations()[0]; a.ItemID != `root-email\x1b[2J` || a.Note != `n\x1b]0;t\x07` {
		t.Errorf("attestation = %+v", a)
	}
}

func assertClean(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			assertClean(t, v.Elem(), path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				assertClean(t, v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			assertClean(t, v.Index(i), path+"[]")
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			assertClean(t, k, path+" key")
			assertClean(t, v.MapIndex(k), path+"{}")
		}
	case reflect.String:
		if !safetext.Clean(v.String()) {
			t.Errorf("%s = %q: not sanitized", path, v.String())
		}
	}
}

func TestWritesAreSanitizedToo(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, DemoAccount, Options{})
	run := sampleRun(t0, "root-mfa", "fail")
	run.Results[0].Summary = "pasted \x1b[2J"
	if err := s.RecordRun(run); err != nil {
		t.Fatal(err)
	}
	if err := s.Attest("root-email", t0, "note \u202e"); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordFix("password-policy", t0, "fix \x07"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`\u001b`, "\u202e", `\u0007`} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("saved file holds %q", bad)
		}
	}
}

func TestReadPrivateFile(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "f")
	os.WriteFile(reg, []byte("12345"), 0o600)
	if b, err := ReadPrivateFile(reg, 5); err != nil || string(b) != "12345" {
		t.Fatalf("%q %v", b, err)
	}
	var u *UnsafeFileError
	if _, err := ReadPrivateFile(reg, 4); !errors.As(err, &u) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("over the cap: %v", err)
	}
	if _, err := ReadPrivateFile(dir, 10); !errors.As(err, &u) {
		t.Errorf("a directory: %v", err)
	}
	if _, err := ReadPrivateFile(filepath.Join(dir, "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestWritePrivateFile(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	report := filepath.Join(dir, "report.md")
	if err := os.Symlink(victim, report); err != nil {
		t.Skip(err)
	}
	if err := WritePrivateFile(report, []byte("# report\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("written through the link: %q", b)
	}
	info, err := os.Lstat(report)
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Fatalf("report is %v (%v), want a 0600 file", info.Mode(), err)
	}
	// An existing, wider file becomes 0600 as well.
	wide := filepath.Join(dir, "wide.csv")
	os.WriteFile(wide, []byte("old"), 0o644)
	if err := WritePrivateFile(wide, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(wide); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
	fifo := filepath.Join(dir, "pipe")
	if syscall.Mkfifo(fifo, 0o600) == nil {
		var u *UnsafeFileError
		within(t, 10*time.Second, "WritePrivateFile to a pipe", func() {
			if err := WritePrivateFile(fifo, []byte("x")); !errors.As(err, &u) {
				t.Errorf("a pipe: %v", err)
			}
		})
	}
	if err := WritePrivateFile(dir, []byte("x")); err == nil {
		t.Error("wrote over a directory")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// FuzzDecodeState: any file either fails to decode or loads with every
// string sanitized; nothing panics.
func FuzzDecodeState(f *testing.F) {
	f.Add([]byte(`{"schema_version":1,"account":"demo","runs":[{"at":"2025-01-01T00:00:00Z","results":[{"id":"a","status":"pass","summary":"\u001b[2J"}]}]}`))
	f.Add([]byte(`{"schema_version":1,"account":"demo","attestations":{"x\u202e":{"note":"\u009b"}}}`))
	f.Add([]byte(`{"schema_version":99}`))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d fileData
		if decode(data, DemoAccount, &d) != nil {
			return
		}
		assertClean(t, reflect.ValueOf(d), "file")
	})
}
