package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// session is a connected account with what rootguard keeps about it: the
// saved progress and, for the demo, the demo account's own state.
type session struct {
	acct  awsops.Account
	id    awsops.Identity
	store *progress.Store // nil: nothing is read or saved
	// demoPath is where the demo account's state is saved ("" when it is
	// not: a real account, or --no-save).
	demoPath string
	// demoSavedAt is when the restored demo state was saved (zero: the demo
	// starts fresh).
	demoSavedAt time.Time
	// marks are a demo's attestations when nothing is saved (--no-save):
	// the scenario's, then the session's.
	marks *demoMarks
	ios   IOStreams
	now   func() time.Time
}

// stateDir is where saved progress lives: --state-dir, else the default.
func (d deps) stateDirFor(sf stateFlags) (string, error) {
	if sf.Dir != "" {
		return sf.Dir, nil
	}
	if d.stateDir != nil {
		return d.stateDir()
	}
	return progress.DefaultDir()
}

// openSession connects to the account the flags name, restores the demo's
// saved state, reads who is calling and opens the saved progress. With
// --demo --no-save the demo starts fresh and nothing is read or written.
// Saving is a convenience: its problems are warnings, never failures.
func openSession(ctx context.Context, af accountFlags, sf stateFlags, ios IOStreams, d deps) (*session, error) {
	return openSessionWith(ctx, af, sf, ios, d, true)
}

// openSessionWith is openSession; without wantIdentity the demo's identity
// is not read (the wizard reads it itself, so its first frame is instant).
func openSessionWith(ctx context.Context, af accountFlags, sf stateFlags, ios IOStreams, d deps, wantIdentity bool) (*session, error) {
	if err := sf.validate(af); err != nil {
		return nil, err
	}
	s := &session{ios: ios, now: d.now}
	if s.now == nil {
		s.now = time.Now
	}
	dir, dirErr := "", error(nil)
	if !(af.Demo && sf.NoSave) {
		dir, dirErr = d.stateDirFor(sf)
	}
	if af.Demo && dir != "" {
		s.demoPath = filepath.Join(dir, "accounts", demoStateFileOf(af.Scenario))
		if sf.ResetDemo {
			resetDemo(dir, af, ios)
		}
	}
	if d.connect == nil {
		return nil, usageErr("no way to reach AWS; try --demo")
	}
	acct, err := d.connect(ctx, af)
	if err != nil {
		return nil, err
	}
	s.acct = acct
	s.restoreDemo()
	if wantIdentity || !af.Demo {
		id, err := callerIdentity(ctx, acct, profileName(af, ios.Env))
		if err != nil {
			return nil, err
		}
		s.id = id
	}
	if p, ok := acct.(provenAccount); ok {
		// The identity is read: from here on the account itself, so the
		// fixes' and checks' own interfaces (awsops.SCPWriter,
		// awsops.S3AccountSettings…) are found on it.
		s.acct = p.Unwrap()
	}
	switch {
	case af.Demo && sf.NoSave:
	case dirErr != nil:
		warnf(ios, "%v", dirErr)
	default:
		s.store = openProgressIn(dir, sf.NoSave, progressKey(af, s.id.Account), d, ios)
	}
	if af.Demo {
		// A scenario starts with its marks: in its progress the first time,
		// in memory when nothing is saved.
		sc := af.scenario()
		switch {
		case s.store == nil:
			s.marks = newDemoMarks(sc, s.now())
		case fresh(s.store):
			if err := seedScenarioMarks(s.store, sc, s.now()); err != nil {
				warnf(ios, "%v", err)
			}
		}
	}
	return s, nil
}

// attestations feeds the store's attestations to steps.FactsOptions (nil
// without a store: no attestations).
func (s *session) attestations() func(string) (steps.Attestation, bool) {
	switch {
	case s.store != nil:
		return s.store.Attestation
	case s.marks != nil:
		return s.marks.Get
	}
	return nil
}

// previous is the run "since last run" compares with.
func (s *session) previous() (progress.Run, bool) {
	if s.store == nil {
		return progress.Run{}, false
	}
	return s.store.Previous()
}

// recordRun saves a run; a failure is a warning.
func (s *session) recordRun(r progress.Run) {
	if s.store == nil {
		return
	}
	if err := s.store.RecordRun(r); err != nil {
		warnf(s.ios, "%v", err)
	}
}

// recordFix saves an applied fix; a failure is a warning.
func (s *session) recordFix(item string, at time.Time, summary string) error {
	if s.store == nil {
		return nil
	}
	return s.store.RecordFix(item, at, summary)
}

// The demo's own state, next to its progress: one file per scenario
// (demoStateFileOf).

// demoStateData is the saved demo state file. The demo holds no secrets.
type demoStateData struct {
	SavedAt time.Time     `json:"saved_at"`
	Account demo.Snapshot `json:"account"`
}

// demoAccount is what the demo account offers for saving its state.
type demoAccount interface {
	Snapshot() demo.Snapshot
	Restore(demo.Snapshot) error
}

// restoreDemo loads the saved demo state into the demo account, if there is
// one. An unreadable file is set aside with a warning and the demo starts
// fresh.
func (s *session) restoreDemo() {
	da, ok := s.acct.(demoAccount)
	if s.demoPath == "" || !ok {
		return
	}
	// Like saved progress: never through a link, never waiting on a pipe,
	// capped, and every string sanitized (the file is shown again later).
	data, err := progress.ReadPrivateFile(s.demoPath, progress.MaxStateBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	var saved demoStateData
	if err == nil {
		err = json.Unmarshal(data, &saved)
		safetext.InPlace(&saved)
	}
	if err == nil {
		err = da.Restore(saved.Account)
	}
	if err != nil {
		aside := s.demoPath + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
		if rerr := os.Rename(s.demoPath, aside); rerr != nil {
			warnf(s.ios, "the saved demo in %s could not be read (%v) nor moved aside (%v); the demo starts fresh and is not saved", s.demoPath, err, rerr)
			s.demoPath = ""
			return
		}
		warnf(s.ios, "the saved demo in %s could not be read (%v); moved it to %s and started the demo fresh", s.demoPath, err, aside)
		return
	}
	s.demoSavedAt = saved.SavedAt
}

// saveDemo writes the demo account's state (0600, atomically) so the next
// run continues from it. A failure is returned for the caller to show.
func (s *session) saveDemo() error {
	da, ok := s.acct.(demoAccount)
	if s.demoPath == "" || !ok {
		return nil
	}
	data, err := json.MarshalIndent(demoStateData{SavedAt: s.now().UTC(), Account: da.Snapshot()}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(s.demoPath, append(data, '\n')); err != nil {
		return fmt.Errorf("the demo's state was not saved: %w", err)
	}
	return nil
}

// saveDemoOrWarn saves the demo state and prints a failure as a warning.
func (s *session) saveDemoOrWarn() {
	if err := s.saveDemo(); err != nil {
		warnf(s.ios, "%v", err)
	}
}

// resetDemo forgets the saved demo of the flags' scenario in dir: its
// state and its progress. Other scenarios' are kept.
func resetDemo(dir string, af accountFlags, ios IOStreams) {
	paths := []string{filepath.Join(dir, "accounts", demoStateFileOf(af.Scenario))}
	if st, err := progress.Open(dir, demoProgressKey(af.Scenario), progress.Options{ReadOnly: true}); err == nil {
		paths = append(paths, st.Path())
	}
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			warnf(ios, "could not reset the demo: %v", err)
		}
	}
	if sc := af.scenario(); sc.Name != demo.DefaultScenario {
		fmt.Fprintf(ios.ErrOut, "Demo reset: the %s scenario starts over (%s).\n", sc.Name, sc.Description)
		return
	}
	fmt.Fprintln(ios.ErrOut, "Demo reset: starting over from a new, unhardened demo account.")
}

// writeFileAtomic replaces path with data (0600, progress.WritePrivateFile)
// in its directory, made 0700 when missing. A directory that is a symbolic
// link is refused, as the saved progress refuses it: it could point anywhere.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if info, err := os.Lstat(dir); err == nil && !info.IsDir() {
		why := "is not a directory"
		if info.Mode()&fs.ModeSymlink != 0 {
			why = "is a symbolic link"
		}
		return &progress.UnsafeFileError{Path: dir, Why: why}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return progress.WritePrivateFile(path, data)
}
