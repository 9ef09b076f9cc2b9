package progress

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// SchemaVersion is the version of the saved file's layout.
const SchemaVersion = 1

// Default limits on what a file keeps (oldest entries go first).
const (
	DefaultMaxRuns = 200
	maxFixes       = 1000
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock (tests inject one); default time.Now.
	Now func() time.Time
	// ReadOnly reads saved progress but never writes (--no-save): changes
	// hold in memory for this session only.
	ReadOnly bool
	// MaxRuns caps the runs kept; default DefaultMaxRuns.
	MaxRuns int
	// LockTimeout bounds the wait for another rootguard holding the lock;
	// default 10s.
	LockTimeout time.Duration

	fs fileSystem // tests inject failures
}

// Store is one account's saved progress. It is safe for concurrent use, and
// several processes may use the same file: every write takes an advisory
// lock, re-reads the file, applies this Store's changes and replaces the file
// atomically.
type Store struct {
	mu       sync.Mutex // guards the fields below fs
	writeMu  sync.Mutex // one write at a time
	account  string
	dir      string // <state dir>/accounts
	path     string
	lockPath string
	now      func() time.Time
	maxRuns  int
	lockWait time.Duration
	fs       fileSystem
	session  string

	readOnly bool
	state    fileData          // what is on disk plus pending changes
	pending  []func(*fileData) // changes not yet written
	previous *Run
	warnings []string
}

// fileData is the saved file.
type fileData struct {
	SchemaVersion int                          `json:"schema_version"`
	Account       string                       `json:"account"`
	Runs          []Run                        `json:"runs"`
	Attestations  map[string]steps.Attestation `json:"attestations"`
	Fixes         []Fix                        `json:"fixes"`
}

var accountKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// DefaultDir is os.UserConfigDir()/rootguard.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory to keep progress in (%v); use --state-dir", err)
	}
	return filepath.Join(d, "rootguard"), nil
}

// Open opens the saved progress of one account (its ID, or DemoAccount) under
// dir. It fails only when dir or account is unusable; every other problem (a
// corrupt file, a newer schema, a directory it cannot create) leaves a Store
// that works in memory, with the reason in Warnings.
func Open(dir, account string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("no directory to keep progress in")
	}
	if !accountKey.MatchString(account) {
		return nil, fmt.Errorf("invalid account key %q", account)
	}
	s := &Store{
		account:  account,
		dir:      filepath.Join(dir, "accounts"),
		now:      opts.Now,
		maxRuns:  opts.MaxRuns,
		lockWait: opts.LockTimeout,
		fs:       opts.fs,
		readOnly: opts.ReadOnly,
		session:  newSessionID(),
	}
	s.path = filepath.Join(s.dir, account+".json")
	s.lockPath = filepath.Join(s.dir, account+".lock")
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxRuns <= 0 {
		s.maxRuns = DefaultMaxRuns
	}
	if s.lockWait <= 0 {
		s.lockWait = 10 * time.Second
	}
	if s.fs == nil {
		s.fs = osFS{}
	}
	s.state = emptyData(account)

	dirErr := checkDir(s.fs, s.dir)
	if dirErr == nil && !s.readOnly {
		if err := s.fs.MkdirAll(s.dir, 0o700); err != nil {
			s.goReadOnly(fmt.Sprintf("cannot create %s (%v); progress is not saved this run", s.dir, err))
		} else if err := s.fs.ChmodDir(s.dir, 0o700); isUnsafe(err) { // ours alone, even if it existed wider
			dirErr = err
		}
	}
	if dirErr != nil {
		// A directory that is a symbolic link (or not a directory) could
		// point anywhere: nothing is read from or written through it.
		s.goReadOnly(fmt.Sprintf("%v; progress is not read from it nor saved this run", dirErr))
		return s, nil
	}
	if s.readOnly {
		s.state = s.load(false)
	} else if unlock, err := s.lock(); err != nil {
		// Reading without the lock is safe (writes are atomic renames);
		// a corrupt file is only moved aside under the lock, later.
		if isUnsafe(err) { // a lock file rootguard did not make: never written through
			s.goReadOnly(err.Error() + "; progress is not saved this run")
		} else {
			s.warn(err.Error())
		}
		s.state = s.load(false)
	} else {
		s.state = s.load(true)
		unlock()
	}
	if n := len(s.state.Runs); n > 0 {
		prev := s.state.Runs[n-1]
		s.previous = &prev
	}
	return s, nil
}

func emptyData(account string) fileData {
	return fileData{SchemaVersion: SchemaVersion, Account: account, Attestations: map[string]steps.Attestation{}}
}

func newSessionID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Account is the account key.
func (s *Store) Account() string { return s.account }

// Path is the saved file.
func (s *Store) Path() string { return s.path }

// Saving reports whether changes are written to disk (false with ReadOnly,
// or after a problem that made writing unsafe; see Warnings).
func (s *Store) Saving() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.readOnly
}

// Warnings are problems met so far that the user should hear about, e.g. a
// corrupt file set aside.
func (s *Store) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.warnings)
}

// Runs returns the saved runs, oldest first (this session's run included).
func (s *Store) Runs() []Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	runs := slices.Clone(s.state.Runs)
	for i := range runs {
		runs[i].Results = slices.Clone(runs[i].Results)
	}
	return runs
}

// Previous is the latest run saved before this Store was opened: the
// baseline for "since last run". It does not move when this Store records.
func (s *Store) Previous() (Run, bool) {
	if s.previous == nil {
		return Run{}, false
	}
	return *s.previous, true
}

// Attestations returns the attestations, ordered by item.
func (s *Store) Attestations() []steps.Attestation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]steps.Attestation, 0, len(s.state.Attestations))
	for _, id := range slices.Sorted(maps.Keys(s.state.Attestations)) {
		out = append(out, s.state.Attestations[id])
	}
	return out
}

// Attestation looks up one item's attestation; it fits
// steps.FactsOptions.Attestations.
func (s *Store) Attestation(id string) (steps.Attestation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.state.Attestations[id]
	return a, ok
}

// Fixes returns the fixes applied, oldest first.
func (s *Store) Fixes() []Fix {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.state.Fixes)
}

// RecordRun saves this session's run. A later call from the same Store
// replaces that run, so a wizard session that re-checks keeps one entry.
// When the run is the latest and its statuses equal those of the run before
// it (same items, same statuses), that run is brought up to date (time,
// caller, summaries) instead, so repeated checks do not clutter the history.
func (s *Store) RecordRun(r Run) error {
	r.ID = s.session
	r.Results = slices.Clone(r.Results)
	for i := range r.Results {
		r.Results[i].Summary = safetext.Text(MaskSecrets(r.Results[i].Summary))
	}
	r.CallerARN = safetext.Text(MaskSecrets(r.CallerARN))
	max := s.maxRuns
	return s.mutate(func(d *fileData) {
		i := slices.IndexFunc(d.Runs, func(x Run) bool { return x.ID == r.ID })
		if i >= 0 {
			d.Runs[i] = r
		} else {
			d.Runs = append(d.Runs, r)
		}
		sortRuns(d.Runs)
		if n := len(d.Runs); n >= 2 && d.Runs[n-1].ID == r.ID && SameStatuses(d.Runs[n-2], r) {
			merged := r // r is shared by every application of this change
			merged.ID = d.Runs[n-2].ID
			d.Runs[n-2] = merged
			d.Runs = d.Runs[:n-1]
		}
		if len(d.Runs) > max {
			d.Runs = slices.Clone(d.Runs[len(d.Runs)-max:])
		}
	})
}

// Attest remembers that the user marked an item done.
func (s *Store) Attest(item string, at time.Time, note string) error {
	a := steps.Attestation{ItemID: item, At: at, Note: safetext.Text(MaskSecrets(note))}
	return s.mutate(func(d *fileData) { d.Attestations[item] = a })
}

// Unattest forgets an item's attestation.
func (s *Store) Unattest(item string) error {
	return s.mutate(func(d *fileData) { delete(d.Attestations, item) })
}

// Clear forgets everything saved for the account: its runs, attestations
// and fixes (a demo scenario that starts over). The previous run is
// forgotten too.
func (s *Store) Clear() error {
	err := s.mutate(func(d *fileData) { *d = emptyData(d.Account) })
	s.mu.Lock()
	s.previous = nil
	s.mu.Unlock()
	return err
}

// RecordFix remembers a fix rootguard applied. The summary says what
// changed ("password policy: minimum length 8 → 14"), never a secret.
func (s *Store) RecordFix(item string, at time.Time, summary string) error {
	f := Fix{ItemID: item, At: at, Summary: safetext.Text(MaskSecrets(summary))}
	return s.mutate(func(d *fileData) {
		if slices.Contains(d.Fixes, f) {
			return
		}
		d.Fixes = append(d.Fixes, f)
		if len(d.Fixes) > maxFixes {
			d.Fixes = slices.Clone(d.Fixes[len(d.Fixes)-maxFixes:])
		}
	})
}

// mutate applies a change in memory and, unless read-only, writes it. A
// change that could not be written stays pending and is retried with the
// next write, so a failed write loses nothing from the session. Readers are
// not held up by the disk: only writes wait for each other.
func (s *Store) mutate(op func(*fileData)) error {
	s.mu.Lock()
	op(&s.state)
	s.pending = append(s.pending, op)
	readOnly := s.readOnly
	s.mu.Unlock()
	if readOnly {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.flush()
}

// flush writes the pending changes over a fresh read of the file, under
// the file lock. Callers hold writeMu.
func (s *Store) flush() error {
	unlock, err := s.lock()
	if err != nil {
		return fmt.Errorf("progress not saved: %w", err)
	}
	defer unlock()
	d := s.load(true)

	s.mu.Lock()
	ops := slices.Clone(s.pending)
	readOnly := s.readOnly
	s.mu.Unlock()
	for _, op := range ops {
		op(&d)
	}
	if readOnly { // loading found a file it must not overwrite
		return fmt.Errorf("progress not saved: %s", s.lastWarning())
	}
	if len(ops) == 0 {
		return nil
	}
	if err := s.writeAtomic(d); err != nil {
		return fmt.Errorf("progress not saved: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = s.pending[len(ops):] // changes made meanwhile stay pending
	for _, op := range s.pending {
		op(&d)
	}
	s.state = d
	return nil
}

// load reads the file. A missing file is an empty store. A corrupt one is
// moved aside when mayMove (the lock is held) and the store is not
// read-only; when that fails the store turns read-only. Either way with a
// warning.
func (s *Store) load(mayMove bool) fileData {
	data, err := s.fs.ReadFile(s.path, MaxStateBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyData(s.account)
	}
	var d fileData
	var unsafe *UnsafeFileError
	if errors.As(err, &unsafe) {
		err = errors.New("it " + unsafe.Why) // a link, a pipe, a device, too large: set aside like a corrupt file
	}
	if err == nil {
		err = decode(data, s.account, &d)
	}
	if err == nil {
		return d
	}
	var newer *newerSchemaError
	if errors.As(err, &newer) {
		s.goReadOnly(fmt.Sprintf("%s was saved by a newer rootguard (schema %d); progress is not saved this run — update rootguard", s.path, newer.version))
		return emptyData(s.account)
	}
	if !mayMove || !s.Saving() {
		s.warn(fmt.Sprintf("saved progress in %s could not be read (%v); ignored it", s.path, err))
		return emptyData(s.account)
	}
	aside, rerr := s.moveAside()
	if rerr != nil {
		s.goReadOnly(fmt.Sprintf("saved progress in %s could not be read (%v) nor moved aside (%v); progress is not saved this run so that nothing is lost", s.path, err, rerr))
		return emptyData(s.account)
	}
	s.warn(fmt.Sprintf("saved progress in %s could not be read (%v); moved it to %s and started afresh", s.path, err, aside))
	return emptyData(s.account)
}

type newerSchemaError struct{ version int }

func (e *newerSchemaError) Error() string { return fmt.Sprintf("schema %d is newer", e.version) }

// decode reads a saved file. Every string in it is sanitized: a file can
// be edited by anyone who can write the directory, and its summaries and
// notes are shown again later.
func decode(data []byte, account string, d *fileData) error {
	if err := json.Unmarshal(data, d); err != nil {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	safetext.InPlace(d)
	switch {
	case d.SchemaVersion > SchemaVersion:
		return &newerSchemaError{d.SchemaVersion}
	case d.SchemaVersion < 1:
		return errors.New("no schema version")
	case d.Account != account:
		return fmt.Errorf("it belongs to account %q", d.Account)
	}
	if d.Attestations == nil {
		d.Attestations = map[string]steps.Attestation{}
	}
	for id, a := range d.Attestations {
		if a.ItemID == "" {
			a.ItemID = id
			d.Attestations[id] = a
		}
	}
	sortRuns(d.Runs)
	return nil
}

// moveAside renames the unreadable file to <file>.corrupt-<UTC time>.
func (s *Store) moveAside() (string, error) {
	base := s.path + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
	aside := base
	for n := 1; ; n++ {
		if _, err := s.fs.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s-%d", base, n)
	}
	return aside, s.fs.Rename(s.path, aside)
}

func (s *Store) writeAtomic(d fileData) (err error) {
	d.SchemaVersion, d.Account = SchemaVersion, s.account
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	tmp, err := s.fs.CreateTemp(s.dir, filepath.Base(s.path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = s.fs.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = s.fs.Rename(tmp.Name(), s.path); err != nil {
		return err
	}
	s.fs.SyncDir(s.dir) // best effort: the rename is done either way
	return nil
}

func (s *Store) lock() (func(), error) {
	f, err := s.fs.OpenLock(s.lockPath)
	if isUnsafe(err) {
		return nil, fmt.Errorf("cannot use the lock file: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open lock file: %v", err)
	}
	deadline := time.Now().Add(s.lockWait)
	delay := 5 * time.Millisecond
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %v", s.lockPath, err)
		}
		if ok {
			return func() { unlockFile(f); f.Close() }, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another rootguard has held %s for over %s", s.lockPath, s.lockWait)
		}
		time.Sleep(delay)
		delay = min(delay*2, 100*time.Millisecond)
	}
}

func isUnsafe(err error) bool {
	var u *UnsafeFileError
	return errors.As(err, &u)
}

func (s *Store) goReadOnly(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOnly = true
	s.addWarning(why)
}

func (s *Store) warn(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addWarning(msg)
}

func (s *Store) addWarning(msg string) {
	msg = safetext.Line(msg) // paths and errors can carry a file's bytes
	if !slices.Contains(s.warnings, msg) {
		s.warnings = append(s.warnings, msg)
	}
}

func (s *Store) lastWarning() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.warnings) == 0 {
		return "saving was turned off"
	}
	return s.warnings[len(s.warnings)-1]
}
