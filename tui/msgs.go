package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// Results of commands.

// identityMsg is who is calling, or why that could not be read.
type identityMsg struct {
	Gen      int
	Identity awsops.Identity
	Err      error
}

// aliasMsg is the account alias, or why it could not be read.
type aliasMsg struct {
	Gen   int
	Alias string
	Err   error
}

// checkDoneMsg is one item's verdict. Results whose Gen is not the item's
// current generation are stale (a re-check superseded them) and dropped.
type checkDoneMsg struct {
	ID      string
	Gen     int
	Result  steps.Result
	Preview fixPreview
	// Mark is the item's attestation as the check read it (attest items).
	Mark *steps.Attestation
}

// simulateDoneMsg reports the demo account's "done in the console".
type simulateDoneMsg struct {
	ID  string
	Err error
}

// attestDoneMsg reports saving or deleting an attestation.
type attestDoneMsg struct {
	ID     string
	Marked bool
	Err    error
}

// exportDoneMsg reports saving an item's export to a file.
type exportDoneMsg struct {
	ID      string
	What    string // the export's What, e.g. "the credential report"
	Warning string
	Path    string // as written (absolute when it could be made so)
	Err     error
}

// openDoneMsg reports starting the browser.
type openDoneMsg struct {
	Err error
}

// recordDoneMsg reports saving the session's run.
type recordDoneMsg struct{ Err error }

// Intents: what a screen asks the App to do with the session or the
// screens. Screens return them as commands; only the App acts on them.
type intent interface{ intent() }

type (
	// openChecklistMsg shows the checklist, the cursor on ID ("" keeps it).
	openChecklistMsg struct{ ID string }
	// openStepMsg shows an item's step.
	openStepMsg struct{ ID string }
	// openSummaryMsg shows the summary.
	openSummaryMsg struct{}
	// openQRMsg shows the QR code of an item's console link.
	openQRMsg struct{ ID string }
	// recheckMsg re-checks items live (all of them with All). Quiet: the
	// flash does not report on it (the fix flow shows the verdicts).
	recheckMsg struct {
		IDs   []string
		All   bool
		Quiet bool
	}
	// retryIdentityMsg reads the caller again.
	retryIdentityMsg struct{}
	// simulateMsg simulates an item's console step (demo).
	simulateMsg struct{ ID string }
	// startFixMsg opens an item's fix flow.
	startFixMsg struct{ ID string }
	// flashMsg shows a line above the footer.
	flashMsg struct {
		Text string
		Bad  bool
	}
	// quitMsg ends the session.
	quitMsg struct{}
)

func (openChecklistMsg) intent() {}
func (openStepMsg) intent()      {}
func (openSummaryMsg) intent()   {}
func (openQRMsg) intent()        {}
func (recheckMsg) intent()       {}
func (retryIdentityMsg) intent() {}
func (simulateMsg) intent()      {}
func (startFixMsg) intent()      {}
func (flashMsg) intent()         {}
func (quitMsg) intent()          {}

// do returns an intent as a command.
func do(m intent) tea.Cmd { return func() tea.Msg { return m } }

// flash is a command that shows a line above the footer.
func flash(text string) tea.Cmd { return do(flashMsg{Text: text}) }

// flashBad is flash for a problem.
func flashBad(text string) tea.Cmd { return do(flashMsg{Text: text, Bad: true}) }
