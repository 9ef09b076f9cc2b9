package demo

import (
	"errors"
	"reflect"
)

// The demo's undo stack: the state before each simulated step (Simulate,
// SignInAsAdmin) that changed something, so a trainer can take a step back
// without starting over. A write (a fix) empties it: undoing a simulation
// made before a fix would silently undo the fix too.

// ErrNothingToUndo is UndoSimulation's answer when no simulated step can be
// undone.
var ErrNothingToUndo = errors.New("no simulated step to undo")

// maxUndo is how many simulated steps can be undone.
const maxUndo = 50

// undoEntry is the state before one simulated step.
type undoEntry struct {
	itemID string // the checklist item the step was for
	note   string // what the step did
	before Snapshot
}

// Undone is the simulated step UndoSimulation took back.
type Undone struct {
	ItemID string // the checklist item the step was for
	Note   string // what the step had done
}

// pushUndo remembers the state before a simulated step, if the step
// changed it. Called with a.mu held.
func (a *Account) pushUndo(itemID, note string, before Snapshot) {
	if reflect.DeepEqual(before, snapshotOf(a.st)) {
		return
	}
	a.undo = append(a.undo, undoEntry{itemID: itemID, note: note, before: deepCopy(before)})
	if len(a.undo) > maxUndo {
		a.undo = a.undo[len(a.undo)-maxUndo:]
	}
}

// CanUndoSimulation reports whether a simulated step can be undone, and
// which item it was for.
func (a *Account) CanUndoSimulation() (itemID string, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.undo) == 0 {
		return "", false
	}
	return a.undo[len(a.undo)-1].itemID, true
}

// UndoSimulation puts the account back as it was before the last simulated
// step and says which it was. Like Simulate, it makes no entry in Writes.
func (a *Account) UndoSimulation() (Undone, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.undo) == 0 {
		return Undone{}, ErrNothingToUndo
	}
	last := a.undo[len(a.undo)-1]
	a.undo = a.undo[:len(a.undo)-1]
	a.st = stateOf(deepCopy(last.before))
	return Undone{ItemID: last.itemID, Note: last.note}, nil
}
