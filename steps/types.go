// Package steps is the checklist as data: every item, its metadata, and the
// check that turns facts read from the account into a status with evidence.
// No terminal code lives here.
package steps

import (
	"context"
	"time"
)

// Status is the verdict of one item.
type Status string

const (
	StatusPass     Status = "pass"
	StatusFail     Status = "fail"
	StatusWarn     Status = "warn"     // works, but weaker than recommended
	StatusManual   Status = "manual"   // awaiting the user's attestation
	StatusAttested Status = "attested" // the user said it is done (dated)
	StatusNA       Status = "n/a"      // does not apply to this account
	StatusUnknown  Status = "unknown"  // could not be verified (says why)
	StatusChecking Status = "checking" // a read is in flight (UI only)
)

// Statuses lists final statuses in summary order.
var Statuses = []Status{StatusPass, StatusFail, StatusWarn, StatusManual, StatusAttested, StatusNA, StatusUnknown}

// Open reports whether the item still needs the user's attention.
func (s Status) Open() bool {
	switch s {
	case StatusFail, StatusWarn, StatusManual, StatusUnknown:
		return true
	}
	return false
}

// Severity ranks how much an item matters.
type Severity string

const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Kind says how an item is verified and fixed.
type Kind string

const (
	KindAuto   Kind = "auto"   // verified live; fixable through the API (Item.Fixable: by rootguard today)
	KindGuided Kind = "guided" // verified live; a person fixes it in the console
	KindAttest Kind = "attest" // no API can tell; the user marks it done
	KindInfo   Kind = "info"   // context only; never fails
)

// Phase groups items in the order the wizard walks them.
type Phase int

const (
	PhaseKnow Phase = iota + 1
	PhaseRoot
	PhaseSettings
	PhaseIdentity
	PhaseWatch
	PhaseOrganizations
)

// PhaseTitle returns a phase's heading.
func (p Phase) Title() string {
	switch p {
	case PhaseKnow:
		return "Know where you stand"
	case PhaseRoot:
		return "Lock down the root user"
	case PhaseSettings:
		return "Account settings"
	case PhaseIdentity:
		return "A daily-use identity instead of root"
	case PhaseWatch:
		return "Watch the root user and the bill"
	case PhaseOrganizations:
		return "Organizations"
	}
	return "Other"
}

// Evidence is one value that decided a verdict, e.g. AccountMFAEnabled = 0.
type Evidence struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Result is the verdict of one check.
type Result struct {
	Status   Status
	Summary  string     // one line, shown in lists and JSON
	Evidence []Evidence // the values that decided it, in display order
	Details  []string   // further lines (review findings, dates)
	// Todo says what to do about it (for unknown: e.g. the missing permission).
	Todo string
	// BlockedBy is the ID of the item this one waits for ("waits for:
	// root-mfa"). A waiting item is open: its status is fail, manual or
	// unknown, never pass, warn, attested or n/a (CheckOne enforces it).
	BlockedBy string
	CheckedAt time.Time
	Err       error // the error behind an unknown, if any
}

// Item is one checklist entry.
type Item struct {
	ID         string
	Phase      Phase
	Kind       Kind
	Severity   Severity
	Title      string
	Why        string // two or three lines: why it matters
	ConsoleURL string
	// Fixable is true when rootguard can apply a fix through the API now;
	// All derives it from FixFor(ID).Available().
	Fixable bool
	// RootOnly is true when a person must sign in as the root user to do
	// this item in the console; otherwise an admin user can.
	RootOnly bool
	// AttestValidity is how long an attestation holds (0: forever).
	AttestValidity time.Duration
	// MarkWhenUnseen: a live item whose check asks for the user's mark
	// when the caller cannot see the answer (root-mfa-strength read by an
	// administrator: only root can list root's devices). See Markable.
	MarkWhenUnseen bool
	// OrgOnly items are shown only when the account is in an organization.
	OrgOnly bool
	// Check turns facts into a verdict. It must not write.
	Check func(ctx context.Context, f *Facts) Result
	// Export is a file the item can save from the account (nil: none).
	Export *Export
}

// Markable reports whether the user may mark the item done, given its
// verdict: an attest item always; a MarkWhenUnseen item while its check
// asks for the mark (manual) or holds one (attested).
func (it Item) Markable(r Result) bool {
	switch {
	case it.Kind == KindAttest:
		return true
	case it.MarkWhenUnseen:
		return r.Status == StatusManual || r.Status == StatusAttested
	}
	return false
}

// Attestation is a user's statement that an attest item is done.
type Attestation struct {
	ItemID string    `json:"item"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

// Glyph is the one-cell mark of a status; with its word it reads without
// colour.
func (s Status) Glyph() string {
	switch s {
	case StatusPass:
		return "✓"
	case StatusFail:
		return "✗"
	case StatusWarn:
		return "!"
	case StatusManual:
		return "○"
	case StatusAttested:
		return "◉"
	case StatusNA:
		return "–"
	case StatusUnknown:
		return "?"
	}
	return "·"
}
