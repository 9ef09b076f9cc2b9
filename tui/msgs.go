package tui

import (
	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// identityMsg is who is calling, or why that could not be read.
type identityMsg struct {
	Gen      int
	Identity awsops.Identity
	Err      error
}

// checkDoneMsg is one item's verdict. Results whose Gen is not the item's
// current generation are stale (a re-check superseded them) and dropped.
type checkDoneMsg struct {
	ID     string
	Gen    int
	Result steps.Result
	Plan   plan
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

// openDoneMsg reports starting the browser.
type openDoneMsg struct {
	Err error
}
