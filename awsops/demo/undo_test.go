package demo

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// Undo puts back exactly the state before the last simulated step, one
// step at a time, and says which it was.
func TestUndoSimulationRestoresTheStateBefore(t *testing.T) {
	a := newTest(t, Options{})
	start := a.Snapshot()
	must(t, a.Simulate("root-mfa"))
	afterMFA := a.Snapshot()
	must(t, a.Simulate("password-policy"))
	if item, ok := a.CanUndoSimulation(); !ok || item != "password-policy" {
		t.Fatalf("can undo %q, %v", item, ok)
	}
	u, err := a.UndoSimulation()
	if err != nil || u.ItemID != "password-policy" || u.Note != simulations["password-policy"].note {
		t.Fatalf("undo = %+v, %v", u, err)
	}
	if !reflect.DeepEqual(a.Snapshot(), afterMFA) {
		t.Error("the first undo did not restore the state after root-mfa")
	}
	if _, err := a.UndoSimulation(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Snapshot(), start) {
		t.Error("the second undo did not restore the starting state")
	}
	if _, err := a.UndoSimulation(); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("a third undo: %v", err)
	}
	if len(a.Writes()) != 0 {
		t.Errorf("simulating and undoing wrote %q", a.Writes())
	}
}

// A simulation that changes nothing leaves nothing to undo.
func TestUndoSkipsSimulationsThatChangedNothing(t *testing.T) {
	a := newTest(t, Options{})
	must(t, a.Simulate("root-mfa"))
	must(t, a.Simulate("root-mfa")) // already done
	must(t, a.Simulate("root-signing-certs"))
	if _, err := a.UndoSimulation(); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.CanUndoSimulation(); ok {
		t.Error("the second root-mfa changed nothing and must not be undoable")
	}
}

// A write after a simulation empties the stack (undoing would undo the
// write too); so do Reset and Restore.
func TestUndoStackEndsAtAWriteAResetOrARestore(t *testing.T) {
	a := newTest(t, Options{})
	must(t, a.Simulate("root-mfa"))
	must(t, a.CreateGroup(context.Background(), "Auditors"))
	if _, ok := a.CanUndoSimulation(); ok {
		t.Error("a write must end the undo stack")
	}
	must(t, a.Simulate("guardduty"))
	snap := a.Snapshot()
	a.Reset()
	if _, ok := a.CanUndoSimulation(); ok {
		t.Error("Reset must end the undo stack")
	}
	must(t, a.Simulate("guardduty"))
	must(t, a.Restore(snap))
	if _, ok := a.CanUndoSimulation(); ok {
		t.Error("Restore must end the undo stack")
	}
	// A failed write leaves it.
	must(t, a.Simulate("cloudtrail"))
	if err := a.CreateGroup(context.Background(), "bad name!"); err == nil {
		t.Fatal("an invalid group name was accepted")
	}
	if _, ok := a.CanUndoSimulation(); !ok {
		t.Error("a failed write changed nothing and must keep the stack")
	}
}

// The caller survives a snapshot, and Restore moves root's last sign-in
// to today only while root is the caller.
func TestSignedInCallerSurvivesRestore(t *testing.T) {
	a := newTest(t, Options{Scenario: "hardened"})
	before := a.Snapshot()
	b := newTest(t, Options{Scenario: "hardened"})
	must(t, b.Restore(before))
	if b.SignedInAs() != hardenedAdminName {
		t.Errorf("caller after restore = %q", b.SignedInAs())
	}
	if got := b.Snapshot().RootPasswordLastUsed; !got.Equal(before.RootPasswordLastUsed) {
		t.Errorf("root's last sign-in moved to %s while jane is the caller", got)
	}
}
