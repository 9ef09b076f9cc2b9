// Package tui is rootguard's wizard: a Bubble Tea v2 program that walks the
// checklist one step at a time. It reads the account only through steps.Facts
// inside commands, and never imports the AWS SDK.
package tui

import (
	"errors"
	"sync"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// Config is everything the wizard needs from the outside world.
type Config struct {
	// Account is read for every check.
	Account awsops.Reader
	// Region is the home region, shown in the header.
	Region string
	// Demo shows the DEMO ACCOUNT badge.
	Demo bool
	// DemoScenario names the demo's scenario in the badge ("DEMO ACCOUNT ·
	// org"); "" for the default scenario, a new account, which shows none.
	DemoScenario string
	// Simulate and CanSimulate are the demo account's "do it in the console"
	// seams; nil for real accounts.
	Simulate    func(id string) error
	CanSimulate func(id string) bool
	// The demo's other trainer seams (nil for real accounts), each called
	// from a command except the cheap in-memory questions: AdminToSignIn
	// names the administrator the demo can sign in as (ok false while there
	// is none, or once signed in) and SignInAsAdmin does it; CanUndo names
	// the item of the last simulated step that can be undone and
	// UndoSimulation takes that step back, saying what it had done;
	// StartOver puts the demo account back in its scenario's starting state
	// and forgets the scenario's saved progress (the marks it starts with
	// are set again).
	AdminToSignIn  func() (name string, ok bool)
	SignInAsAdmin  func(name string) error
	CanUndo        func() (itemID string, ok bool)
	UndoSimulation func() (itemID, note string, err error)
	StartOver      func() error
	// DemoStory says in one line what the scenario is, for the start-over
	// question ("a new account nobody has hardened yet").
	DemoStory string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Attestations loads and saves the user's "marked done"; default in memory.
	Attestations AttestationStore
	// Items is the checklist in walking order (steps.All()).
	Items []steps.Item
	// Guide returns an item's console guide (markdown); nil: no guides.
	Guide func(id string) (string, bool)
	// OpenURL opens a link in a browser; nil when no browser can be opened.
	OpenURL func(url string) error
	// CheckTimeout bounds one check, a fix's reads and each apply; default
	// steps.CheckTimeout.
	CheckTimeout time.Duration
	// Fixes are the fixes the wizard offers, by item ID; default
	// steps.Fixes(). Only available ones (Fix.Available) are offered.
	Fixes []steps.Fix
	// Writer makes the fixes' writes; nil: fixes are previewed, never applied.
	Writer awsops.Writer
	// DryRun shows every fix's preview and never writes.
	DryRun bool

	// Saved progress (all optional). Since is the previous saved run: once
	// a pass completes, the header says what changed since then and the
	// checklist marks each changed item (nil: first run, no marks).
	Since *progress.Run
	// RecordRun saves this session's run: the first completed pass, the
	// account as found. It is called once, from a command, never inside
	// Update (nil: nothing is saved).
	RecordRun func(progress.Run) error
	// RecordFix remembers an applied fix: the item, when, and what changed
	// (field names and non-secret values at most). Called from a command.
	RecordFix func(item string, at time.Time, summary string)
	// DemoResumedAt is when the demo's saved state that this session
	// continues from was saved (zero: the demo starts fresh). DemoSaving:
	// what happens in the demo is kept for next time.
	DemoResumedAt time.Time
	DemoSaving    bool
}

// AttestationStore keeps the user's attestations. Implementations must be
// safe for concurrent use: checks read it from their own goroutines.
type AttestationStore interface {
	Get(id string) (steps.Attestation, bool)
	Set(a steps.Attestation) error
	Delete(id string) error
}

// MemoryAttestations is an AttestationStore that lives as long as the process.
type MemoryAttestations struct {
	mu sync.Mutex
	m  map[string]steps.Attestation
}

// NewMemoryAttestations returns an empty store.
func NewMemoryAttestations() *MemoryAttestations {
	return &MemoryAttestations{m: map[string]steps.Attestation{}}
}

func (s *MemoryAttestations) Get(id string) (steps.Attestation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.m[id]
	return a, ok
}

func (s *MemoryAttestations) Set(a steps.Attestation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[a.ItemID] = a
	return nil
}

func (s *MemoryAttestations) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}

func (c Config) withDefaults() (Config, error) {
	if c.Account == nil {
		return c, errors.New("tui: no account to check")
	}
	if len(c.Items) == 0 {
		return c, errors.New("tui: no checklist items")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Attestations == nil {
		c.Attestations = NewMemoryAttestations()
	}
	if c.Guide == nil {
		c.Guide = func(string) (string, bool) { return "", false }
	}
	if c.CheckTimeout <= 0 {
		c.CheckTimeout = steps.CheckTimeout
	}
	if c.Fixes == nil {
		c.Fixes = steps.Fixes()
	}
	return c, nil
}

// fixFor is the fix the wizard can run for an item, if any.
func (c Config) fixFor(id string) (steps.Fix, bool) {
	for _, f := range c.Fixes {
		if f.ID == id && f.Available() {
			return f, true
		}
	}
	return steps.Fix{}, false
}

// canSimulate reports whether s simulates the item's console step: a demo
// console step, outside a dry run.
func (c Config) canSimulate(id string) bool {
	return c.Simulate != nil && c.CanSimulate != nil && c.CanSimulate(id) && !c.DryRun
}

// demoCanSimulate is canSimulate ignoring a dry run (to say why s is off).
func (c Config) demoCanSimulate(id string) bool {
	return c.Simulate != nil && c.CanSimulate != nil && c.CanSimulate(id)
}

// adminToSignIn is the administrator the demo offers to sign in as.
func (c Config) adminToSignIn() (string, bool) {
	if !c.Demo || c.DryRun || c.AdminToSignIn == nil || c.SignInAsAdmin == nil {
		return "", false
	}
	return c.AdminToSignIn()
}

// canUndo reports whether a simulated step can be undone, and its item.
func (c Config) canUndo() (string, bool) {
	if !c.Demo || c.DryRun || c.CanUndo == nil || c.UndoSimulation == nil {
		return "", false
	}
	return c.CanUndo()
}

// canStartOver reports whether the demo can start over.
func (c Config) canStartOver() bool { return c.Demo && !c.DryRun && c.StartOver != nil }

// canWrite reports whether an applied fix would write.
func (c Config) canWrite() bool { return c.Writer != nil && !c.DryRun }
