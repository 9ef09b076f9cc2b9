package main

import (
	"errors"
	"sync"
	"time"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/tui"
)

// What a demo scenario brings beyond the account's state: the items it
// starts with marked done (demo.Scenario.Attestations), seeded into the
// scenario's progress when that holds nothing yet, or kept in memory with
// --no-save; and the wizard's trainer seams (sign in as the new admin,
// undo a simulated step, start the scenario over).

// scenarioMarkAge is how long before the session a scenario's marks are
// dated (they were made before the story starts).
const scenarioMarkAge = 14 * 24 * time.Hour

// scenarioMarks are the scenario's attestations, dated before now.
func scenarioMarks(sc demo.Scenario, now time.Time) []steps.Attestation {
	var out []steps.Attestation
	for _, a := range sc.Attestations() {
		out = append(out, steps.Attestation{ItemID: a.ItemID, At: now.Add(-scenarioMarkAge), Note: a.Note})
	}
	return out
}

// fresh reports whether a store holds nothing yet.
func fresh(st *progress.Store) bool {
	return len(st.Runs()) == 0 && len(st.Attestations()) == 0 && len(st.Fixes()) == 0
}

// seedScenarioMarks marks the scenario's items done in its progress.
func seedScenarioMarks(st *progress.Store, sc demo.Scenario, now time.Time) error {
	var errs []error
	for _, a := range scenarioMarks(sc, now) {
		errs = append(errs, st.Attest(a.ItemID, a.At, a.Note))
	}
	return errors.Join(errs...)
}

// demoMarks keeps a demo's attestations in memory (--no-save), starting
// with the scenario's. It is a tui.AttestationStore.
type demoMarks struct {
	mu    sync.Mutex
	marks map[string]steps.Attestation
}

var _ tui.AttestationStore = (*demoMarks)(nil)

func newDemoMarks(sc demo.Scenario, now time.Time) *demoMarks {
	m := &demoMarks{}
	m.reset(sc, now)
	return m
}

func (m *demoMarks) reset(sc demo.Scenario, now time.Time) {
	marks := map[string]steps.Attestation{}
	for _, a := range scenarioMarks(sc, now) {
		marks[a.ItemID] = a
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.marks = marks
}

func (m *demoMarks) Get(id string) (steps.Attestation, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.marks[id]
	return a, ok
}

func (m *demoMarks) Set(a steps.Attestation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.marks[a.ItemID] = a
	return nil
}

func (m *demoMarks) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.marks, id)
	return nil
}

// trainer is what the demo account offers a trainer in the wizard.
type trainer interface {
	AdminToSignIn() (string, bool)
	SignInAsAdmin(name string) error
	CanUndoSimulation() (string, bool)
	UndoSimulation() (demo.Undone, error)
	Reset()
}

// wireTrainer gives the wizard the demo's trainer seams. Each change of
// the demo account is saved like a simulation; starting over also forgets
// the scenario's progress and sets its marks again.
func wireTrainer(cfg *tui.Config, sess *session, sc demo.Scenario, late *lateWarnings) {
	tr, ok := sess.acct.(trainer)
	if !ok {
		return
	}
	cfg.DemoStory = sc.Description
	cfg.AdminToSignIn = tr.AdminToSignIn
	cfg.SignInAsAdmin = func(name string) error {
		if err := tr.SignInAsAdmin(name); err != nil {
			return err
		}
		late.add(sess.saveDemo())
		return nil
	}
	cfg.CanUndo = tr.CanUndoSimulation
	cfg.UndoSimulation = func() (string, string, error) {
		u, err := tr.UndoSimulation()
		if err != nil {
			return "", "", err
		}
		late.add(sess.saveDemo())
		return u.ItemID, u.Note, nil
	}
	cfg.StartOver = func() error {
		tr.Reset()
		now := sess.now()
		switch {
		case sess.store != nil:
			if err := sess.store.Clear(); err != nil {
				return err
			}
			if err := seedScenarioMarks(sess.store, sc, now); err != nil {
				return err
			}
		case sess.marks != nil:
			sess.marks.reset(sc, now)
		}
		return sess.saveDemo()
	}
}
