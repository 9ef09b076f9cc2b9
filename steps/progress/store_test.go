package progress

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rootguard/rootguard/steps"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func sampleRun(at time.Time, statuses ...string) Run {
	r := Run{At: at, CallerARN: "arn:aws:iam::111122223333:user/alice", Source: "check"}
	for i := 0; i+1 < len(statuses); i += 2 {
		r.Results = append(r.Results, ItemStatus{ID: statuses[i], Status: steps.Status(statuses[i+1]), Summary: statuses[i] + " is " + statuses[i+1]})
	}
	return r
}

func mustOpen(t *testing.T, dir, account string, opts Options) *Store {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedClock(t0)
	}
	s, err := Open(dir, account, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, "111122223333", Options{})
	if _, ok := s.Previous(); ok {
		t.Fatal("a new store has no previous run")
	}
	run := sampleRun(t0, "root-mfa", "fail", "root-password", "manual")
	if err := s.RecordRun(run); err != nil {
		t.Fatal(err)
	}
	if err := s.Attest("root-password", t0, "changed it, in the vault"); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordFix("password-policy", t0, "minimum length 8 → 14"); err != nil {
		t.Fatal(err)
	}
	if w := s.Warnings(); len(w) != 0 {
		t.Fatalf("warnings: %v", w)
	}

	again := mustOpen(t, dir, "111122223333", Options{})
	runs := again.Runs()
	if len(runs) != 1 {
		t.Fatalf("runs = %d, want 1", len(runs))
	}
	got := runs[0]
	got.ID = ""
	if !reflect.DeepEqual(got, run) {
		t.Errorf("run round trip:\n got %+v\nwant %+v", got, run)
	}
	prev, ok := again.Previous()
	if !ok || !prev.At.Equal(t0) {
		t.Errorf("Previous = %+v, %v", prev, ok)
	}
	a, ok := again.Attestation("root-password")
	if !ok || !a.At.Equal(t0) || a.Note != "changed it, in the vault" || a.ItemID != "root-password" {
		t.Errorf("attestation = %+v, %v", a, ok)
	}
	if atts := again.Attestations(); len(atts) != 1 {
		t.Errorf("attestations = %+v", atts)
	}
	if fixes := again.Fixes(); len(fixes) != 1 || fixes[0].Summary != "minimum length 8 → 14" {
		t.Errorf("fixes = %+v", fixes)
	}
	if err := again.Unattest("root-password"); err != nil {
		t.Fatal(err)
	}
	if _, ok := mustOpen(t, dir, "111122223333", Options{}).Attestation("root-password"); ok {
		t.Error("Unattest did not last")
	}

	// The demo is kept apart from real accounts.
	if runs := mustOpen(t, dir, DemoAccount, Options{}).Runs(); len(runs) != 0 {
		t.Errorf("demo store sees %d runs of a real account", len(runs))
	}
}

func TestRecordRunReplacesThisSessionsRun(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, DemoAccount, Options{})
	if err := s.RecordRun(sampleRun(t0, "root-mfa", "fail")); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRun(sampleRun(t0.Add(time.Minute), "root-mfa", "pass")); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Runs()); n != 1 {
		t.Fatalf("one session recorded %d runs, want 1", n)
	}
	if err := mustOpen(t, dir, DemoAccount, Options{}).RecordRun(sampleRun(t0.Add(time.Hour), "root-mfa", "warn")); err != nil {
		t.Fatal(err)
	}
	next := mustOpen(t, dir, DemoAccount, Options{})
	runs := next.Runs()
	if len(runs) != 2 || runs[0].Results[0].Status != steps.StatusPass || !runs[1].At.Equal(t0.Add(time.Hour)) {
		t.Fatalf("runs = %+v", runs)
	}
	if prev, _ := next.Previous(); !prev.At.Equal(t0.Add(time.Hour)) {
		t.Errorf("Previous is %v, want the latest run", prev.At)
	}
	// Previous stays the baseline after this session records.
	if err := next.RecordRun(sampleRun(t0.Add(2*time.Hour), "root-mfa", "fail")); err != nil {
		t.Fatal(err)
	}
	if prev, _ := next.Previous(); !prev.At.Equal(t0.Add(time.Hour)) {
		t.Errorf("Previous moved to %v after recording", prev.At)
	}
}

func TestRecordRunMergesARepeatOfTheLatestRun(t *testing.T) {
	dir := t.TempDir()
	record := func(r Run) *Store {
		t.Helper()
		s := mustOpen(t, dir, DemoAccount, Options{})
		if err := s.RecordRun(r); err != nil {
			t.Fatal(err)
		}
		return s
	}
	record(sampleRun(t0, "root-mfa", "fail", "cloudtrail", "pass"))
	// Same items and statuses, other order, caller and summary: merged.
	repeat := sampleRun(t0.Add(time.Minute), "cloudtrail", "pass", "root-mfa", "fail")
	repeat.CallerARN = "arn:aws:iam::111122223333:user/bob"
	repeat.Results[1].Summary = "root has no MFA (newer wording)"
	record(repeat)
	runs := mustOpen(t, dir, DemoAccount, Options{}).Runs()
	if len(runs) != 1 {
		t.Fatalf("an identical run was appended: %d runs", len(runs))
	}
	if !runs[0].At.Equal(t0.Add(time.Minute)) || runs[0].CallerARN != repeat.CallerARN {
		t.Errorf("the merged run keeps %v by %s, want the repeat's time and caller", runs[0].At, runs[0].CallerARN)
	}
	if st, _ := runs[0].Status("root-mfa"); st.Summary != "root has no MFA (newer wording)" {
		t.Errorf("summary = %q, want the latest", st.Summary)
	}

	// A changed status, a new item or a missing item is a new run.
	for i, r := range []Run{
		sampleRun(t0.Add(2*time.Minute), "root-mfa", "pass", "cloudtrail", "pass"),
		sampleRun(t0.Add(3*time.Minute), "root-mfa", "pass", "cloudtrail", "pass", "guardduty", "fail"),
		sampleRun(t0.Add(4*time.Minute), "root-mfa", "pass", "cloudtrail", "pass"),
	} {
		record(r)
		if n := len(mustOpen(t, dir, DemoAccount, Options{}).Runs()); n != i+2 {
			t.Fatalf("after run %d: %d runs, want %d", i, n, i+2)
		}
	}

	// A session that re-checks back to the statuses before its own run
	// folds into that run; a later change is appended again.
	s := record(sampleRun(t0.Add(5*time.Minute), "root-mfa", "fail", "cloudtrail", "pass"))
	if err := s.RecordRun(sampleRun(t0.Add(6*time.Minute), "root-mfa", "pass", "cloudtrail", "pass")); err != nil {
		t.Fatal(err)
	}
	runs = mustOpen(t, dir, DemoAccount, Options{}).Runs()
	if len(runs) != 4 || !runs[3].At.Equal(t0.Add(6*time.Minute)) {
		t.Fatalf("runs = %+v", runs)
	}
	if err := s.RecordRun(sampleRun(t0.Add(7*time.Minute), "root-mfa", "warn", "cloudtrail", "pass")); err != nil {
		t.Fatal(err)
	}
	if runs = mustOpen(t, dir, DemoAccount, Options{}).Runs(); len(runs) != 5 {
		t.Fatalf("a changed re-check was not appended: %d runs", len(runs))
	}
}

func TestSameStatuses(t *testing.T) {
	a := sampleRun(t0, "x", "pass", "y", "fail")
	for _, tc := range []struct {
		b    Run
		want bool
	}{
		{sampleRun(t0, "y", "fail", "x", "pass"), true},
		{sampleRun(t0, "x", "pass", "y", "warn"), false},
		{sampleRun(t0, "x", "pass"), false},
		{sampleRun(t0, "x", "pass", "y", "fail", "z", "n/a"), false},
		{sampleRun(t0, "x", "pass", "z", "fail"), false},
	} {
		if got := SameStatuses(a, tc.b); got != tc.want {
			t.Errorf("SameStatuses(%v, %v) = %v", a.Results, tc.b.Results, got)
		}
	}
}

func TestMaxRunsKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		s := mustOpen(t, dir, DemoAccount, Options{MaxRuns: 3})
		status := []string{"fail", "pass"}[i%2] // a repeated status would be merged
		if err := s.RecordRun(sampleRun(t0.Add(time.Duration(i)*time.Hour), "root-mfa", status)); err != nil {
			t.Fatal(err)
		}
	}
	runs := mustOpen(t, dir, DemoAccount, Options{}).Runs()
	if len(runs) != 3 || !runs[0].At.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("kept %d runs from %v", len(runs), runs[0].At)
	}
}

func TestPermissions(t *testing.T) {
	dir := t.TempDir()
	// A pre-existing, too-open accounts directory is tightened.
	if err := os.MkdirAll(filepath.Join(dir, "accounts"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, dir, DemoAccount, Options{})
	if err := s.RecordRun(sampleRun(t0, "root-mfa", "fail")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		filepath.Join(dir, "accounts"): 0o700 | os.ModeDir,
		s.Path():                       0o600,
		filepath.Join(dir, "accounts", "demo.lock"): 0o600,
	} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
}

func TestMasksAccessKeyIDs(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, DemoAccount, Options{})
	run := sampleRun(t0, "root-access-keys", "fail")
	run.Results[0].Summary = "root has access key AKIAIOSFODNN7EXAMPLE"
	if err := s.RecordRun(run); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordFix("x", t0, "deleted ASIAIOSFODNN7EXAMPLE"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "IOSFODNN7EXAMPLE") {
		t.Errorf("saved file holds a whole access key ID:\n%s", data)
	}
	if !strings.Contains(string(data), "AKIA…MPLE") {
		t.Errorf("masked key missing:\n%s", data)
	}
}

func TestInvalidAccountKey(t *testing.T) {
	for _, key := range []string{"", "../etc", "a/b", ".hidden", strings.Repeat("1", 65)} {
		if _, err := Open(t.TempDir(), key, Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", key)
		}
	}
	if _, err := Open("", "demo", Options{}); err == nil {
		t.Error("Open with no directory succeeded")
	}
}

// faultFS fails one named step of the atomic write.
type faultFS struct {
	osFS
	failAt string // create, chmod, write, sync, close, rename
	active bool
}

var errInjected = errors.New("injected failure")

func (f *faultFS) CreateTemp(dir, pattern string) (tempFile, error) {
	if f.active && f.failAt == "create" {
		return nil, errInjected
	}
	tf, err := f.osFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{tempFile: tf, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if f.active && f.failAt == "rename" {
		return errInjected
	}
	return f.osFS.Rename(oldpath, newpath)
}

type faultFile struct {
	tempFile
	fs *faultFS
}

func (f *faultFile) fail(step string) bool { return f.fs.active && f.fs.failAt == step }

func (f *faultFile) Chmod(m os.FileMode) error {
	if f.fail("chmod") {
		return errInjected
	}
	return f.tempFile.Chmod(m)
}

func (f *faultFile) Write(b []byte) (int, error) {
	if f.fail("write") {
		n, _ := f.tempFile.Write(b[:len(b)/2]) // a torn write
		return n, errInjected
	}
	return f.tempFile.Write(b)
}

func (f *faultFile) Sync() error {
	if f.fail("sync") {
		return errInjected
	}
	return f.tempFile.Sync()
}

func (f *faultFile) Close() error {
	if f.fail("close") {
		f.tempFile.Close()
		return errInjected
	}
	return f.tempFile.Close()
}

func TestAtomicWriteUnderInjectedFailure(t *testing.T) {
	for _, step := range []string{"create", "chmod", "write", "sync", "close", "rename"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			ffs := &faultFS{failAt: step}
			s := mustOpen(t, dir, DemoAccount, Options{fs: ffs})
			if err := s.RecordRun(sampleRun(t0, "root-mfa", "fail")); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}

			ffs.active = true
			err = s.Attest("root-password", t0, "done")
			if !errors.Is(err, errInjected) {
				t.Fatalf("Attest error = %v, want the injected failure", err)
			}
			after, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}
			if string(after) != string(before) {
				t.Errorf("a failed write changed the file:\n%s", after)
			}
			assertNoTempFiles(t, dir)
			if _, ok := s.Attestation("root-password"); !ok {
				t.Error("the session lost the attestation whose write failed")
			}

			// The next write carries the change that failed.
			ffs.active = false
			if err := s.RecordFix("password-policy", t0, "length 8 → 14"); err != nil {
				t.Fatal(err)
			}
			re := mustOpen(t, dir, DemoAccount, Options{})
			if _, ok := re.Attestation("root-password"); !ok {
				t.Error("the pending attestation was not written later")
			}
			if n := len(re.Fixes()); n != 1 {
				t.Errorf("fixes = %d, want 1", n)
			}
			if w := re.Warnings(); len(w) != 0 {
				t.Errorf("warnings after failures: %v", w)
			}
		})
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "accounts"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestCorruptFileIsSetAside(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":        "{not json",
		"truncated":      `{"schema_version": 1, "account": "demo", "runs": [`,
		"no schema":      `{"account": "demo"}`,
		"other account":  `{"schema_version": 1, "account": "999988887777"}`,
		"wrong shape":    `{"schema_version": 1, "account": "demo", "runs": {"a": 1}}`,
		"empty":          ``,
		"binary garbage": "\x00\x01\xff\xfe",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "accounts", "demo.json")
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			s := mustOpen(t, dir, DemoAccount, Options{})
			w := s.Warnings()
			aside := path + ".corrupt-20250301T090000Z"
			if len(w) != 1 || !strings.Contains(w[0], aside) || !strings.Contains(w[0], "started afresh") {
				t.Fatalf("warnings = %q", w)
			}
			kept, err := os.ReadFile(aside)
			if err != nil || string(kept) != content {
				t.Fatalf("the corrupt file was not kept as it was: %q, %v", kept, err)
			}
			if !s.Saving() || len(s.Runs()) != 0 {
				t.Fatal("not a fresh, saving store")
			}
			if err := s.RecordRun(sampleRun(t0, "root-mfa", "pass")); err != nil {
				t.Fatal(err)
			}
			if n := len(mustOpen(t, dir, DemoAccount, Options{}).Runs()); n != 1 {
				t.Errorf("fresh store has %d runs, want 1", n)
			}
		})
	}
}

func TestCorruptFileTwiceKeepsBoth(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "accounts", "demo.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	for i := range 2 {
		os.WriteFile(path, []byte(fmt.Sprintf("bad %d", i)), 0o600)
		mustOpen(t, dir, DemoAccount, Options{})
	}
	for _, p := range []string{path + ".corrupt-20250301T090000Z", path + ".corrupt-20250301T090000Z-1"} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("missing %s: %v", p, err)
		}
	}
}

func TestCorruptFileThatCannotBeMovedIsLeftAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "accounts", "demo.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("bad"), 0o600)
	s := mustOpen(t, dir, DemoAccount, Options{fs: &faultFS{failAt: "rename", active: true}})
	if s.Saving() {
		t.Fatal("store saves over a file it could not move aside")
	}
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], "not saved") {
		t.Fatalf("warnings = %q", w)
	}
	if err := s.Attest("root-email", t0, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Attestation("root-email"); !ok {
		t.Error("in-memory attestation lost")
	}
	if data, _ := os.ReadFile(path); string(data) != "bad" {
		t.Errorf("file changed to %q", data)
	}
}

func TestNewerSchemaIsNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "accounts", "demo.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	content := `{"schema_version": 99, "account": "demo", "runs": []}`
	os.WriteFile(path, []byte(content), 0o600)
	s := mustOpen(t, dir, DemoAccount, Options{})
	if s.Saving() {
		t.Fatal("store would overwrite a newer file")
	}
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], "newer rootguard") {
		t.Fatalf("warnings = %q", w)
	}
	if err := s.RecordRun(sampleRun(t0, "root-mfa", "pass")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != content {
		t.Errorf("file changed to %q", data)
	}
}

func TestUnreadableFileIsSetAside(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "accounts", "demo.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{}`), 0o000)
	s := mustOpen(t, dir, DemoAccount, Options{})
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], "moved it to") {
		t.Fatalf("warnings = %q", w)
	}
}

func TestReadOnlyWritesNothing(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, DemoAccount, Options{ReadOnly: true})
	if err := s.RecordRun(sampleRun(t0, "root-mfa", "fail")); err != nil {
		t.Fatal(err)
	}
	if err := s.Attest("root-email", t0, ""); err != nil {
		t.Fatal(err)
	}
	if len(s.Runs()) != 1 {
		t.Error("read-only store forgot the session's run")
	}
	if _, err := os.Stat(filepath.Join(dir, "accounts")); !os.IsNotExist(err) {
		t.Errorf("read-only store created files: %v", err)
	}

	// It still reads what was saved, and leaves a corrupt file where it is.
	w := mustOpen(t, dir, DemoAccount, Options{})
	w.RecordRun(sampleRun(t0, "root-mfa", "fail"))
	if n := len(mustOpen(t, dir, DemoAccount, Options{ReadOnly: true}).Runs()); n != 1 {
		t.Errorf("read-only store sees %d runs, want 1", n)
	}
	os.WriteFile(w.Path(), []byte("bad"), 0o600)
	ro := mustOpen(t, dir, DemoAccount, Options{ReadOnly: true})
	if len(ro.Warnings()) != 1 {
		t.Errorf("warnings = %q", ro.Warnings())
	}
	if data, _ := os.ReadFile(w.Path()); string(data) != "bad" {
		t.Error("read-only store touched the corrupt file")
	}
}

func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	const writers = 8
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir, DemoAccount, Options{Now: fixedClock(t0)})
			if err != nil {
				t.Error(err)
				return
			}
			item := fmt.Sprintf("item-%d", i)
			for _, err := range []error{
				s.RecordRun(sampleRun(t0.Add(time.Duration(i)*time.Minute), item, "pass")),
				s.Attest(item, t0, "by writer"),
				s.RecordFix(item, t0, "fixed"),
			} {
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	s := mustOpen(t, dir, DemoAccount, Options{})
	if w := s.Warnings(); len(w) != 0 {
		t.Fatalf("warnings: %v", w)
	}
	if got := [3]int{len(s.Runs()), len(s.Attestations()), len(s.Fixes())}; got != [3]int{writers, writers, writers} {
		t.Errorf("runs, attestations, fixes = %v, want %d each", got, writers)
	}
}

func TestLockHeldTooLong(t *testing.T) {
	dir := t.TempDir()
	holder := mustOpen(t, dir, DemoAccount, Options{})
	if err := holder.RecordRun(sampleRun(t0, "root-mfa", "fail")); err != nil {
		t.Fatal(err)
	}
	unlock, err := holder.lock()
	if err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, dir, DemoAccount, Options{LockTimeout: time.Millisecond})
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], "another rootguard") {
		t.Fatalf("warnings = %q", w)
	}
	if len(s.Runs()) != 1 {
		t.Error("saved runs not read while another process held the lock")
	}
	if err := s.Attest("root-email", t0, ""); err == nil || !strings.Contains(err.Error(), "not saved") {
		t.Fatalf("Attest under a held lock: %v", err)
	}
	unlock()
	// Once the lock is free, the pending change is written.
	if err := s.Attest("root-recovery", t0, ""); err != nil {
		t.Fatal(err)
	}
	if n := len(mustOpen(t, dir, DemoAccount, Options{}).Attestations()); n != 2 {
		t.Errorf("attestations = %d, want 2", n)
	}
}

// One Store shared by goroutines (the wizard's checks read attestations
// while it records): every change is kept.
func TestOneStoreManyGoroutines(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, DemoAccount, Options{})
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			item := fmt.Sprintf("item-%d", i)
			if err := s.Attest(item, t0, ""); err != nil {
				t.Error(err)
			}
			if err := s.RecordFix(item, t0, "fixed"); err != nil {
				t.Error(err)
			}
			s.Attestation(item)
			s.Runs()
		})
	}
	wg.Wait()
	re := mustOpen(t, dir, DemoAccount, Options{})
	if got := [2]int{len(re.Attestations()), len(re.Fixes())}; got != [2]int{10, 10} {
		t.Errorf("attestations, fixes = %v, want 10 each", got)
	}
}
