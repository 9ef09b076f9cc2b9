package tui

import (
	"slices"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// itemState is one checklist item during the session.
type itemState struct {
	item     steps.Item
	result   steps.Result
	has      bool // a verdict has arrived
	pending  bool // a check is in flight
	checking bool // ...and its spinner shows
	gen      int  // results of older generations are dropped
	preview  fixPreview
	mark     *steps.Attestation // the attestation the last check read
	first    steps.Status       // the first verdict of the session
}

// verdict is the last verdict, or checking before the first one: what the
// item counts as (steps.TallyOf) while a re-check is in flight.
func (s *itemState) verdict() steps.Status {
	if !s.has {
		return steps.StatusChecking
	}
	return s.result.Status
}

// status is what the item shows: checking while its spinner turns.
func (s *itemState) status() steps.Status {
	if s.checking {
		return steps.StatusChecking
	}
	return s.verdict()
}

// open reports whether the item needs the user's attention.
func (s *itemState) open() bool { return !s.checking && s.has && s.result.Status.Open() }

// listed reports whether the checklist shows the item (steps.Listed).
func (s *itemState) listed() bool {
	return steps.Listed(s.item, steps.Result{Status: s.verdict()})
}

// fixedThisSession: open at the first check of the session, closed now.
func (s *itemState) fixedThisSession() bool {
	return s.has && s.first.Open() && !s.result.Status.Open()
}

// session is the account as the wizard knows it: who is calling, every
// item's verdict and what changed since the last saved run. The App owns
// it and changes it; screens only read it.
type session struct {
	items []*itemState
	byID  map[string]*itemState

	identity    *awsops.Identity
	identityErr error
	// alias is the account alias read beside the identity; it is copied
	// into a new identity when both are in (never changed in place: the
	// identity is shared with commands).
	alias aliasState

	since sinceState
	// start is the session's first complete pass (nil until it is done).
	start *progress.Run
}

// aliasState is where the alias read stands.
type aliasState struct {
	done  bool // the read answered (value or err)
	value string
	err   error
}

// withAlias returns id with the alias as read so far.
func (a aliasState) withAlias(id awsops.Identity) awsops.Identity {
	if a.done {
		id.Alias, id.AliasErr = a.value, a.err
	}
	return id
}

func newSession(items []steps.Item) *session {
	s := &session{byID: map[string]*itemState{}}
	for _, it := range items {
		st := &itemState{item: it}
		s.items = append(s.items, st)
		s.byID[it.ID] = st
	}
	return s
}

// listed is the checklist as shown, in order.
func (s *session) listed() []*itemState {
	out := make([]*itemState, 0, len(s.items))
	for _, it := range s.items {
		if it.listed() {
			out = append(out, it)
		}
	}
	return out
}

// outcomes are the items with what they count as.
func (s *session) outcomes() []steps.Outcome {
	outs := make([]steps.Outcome, len(s.items))
	for i, it := range s.items {
		outs[i] = steps.Outcome{Item: it.item, Result: steps.Result{Status: it.verdict()}}
	}
	return outs
}

// tally is the one count every screen shows (steps.TallyOf).
func (s *session) tally() steps.Tally { return steps.TallyOf(s.outcomes()) }

// counts are the tally's parts the checklist and summary name besides it.
type counts struct {
	na, checking, inFlight int
}

func (s *session) counts() counts {
	var c counts
	for _, it := range s.listed() {
		switch {
		case !it.has:
			c.checking++
		case it.result.Status == steps.StatusNA:
			c.na++
		}
		if it.checking && it.has {
			c.inFlight++
		}
	}
	return c
}

func (s *session) anyChecking() bool {
	return slices.ContainsFunc(s.items, func(it *itemState) bool { return it.checking })
}

func (s *session) inFlight() bool {
	return slices.ContainsFunc(s.items, func(it *itemState) bool { return it.pending })
}

// complete reports whether every item has a verdict.
func (s *session) complete() bool {
	return !slices.ContainsFunc(s.items, func(it *itemState) bool { return !it.has })
}

func indexOf(list []*itemState, id string) int {
	return slices.IndexFunc(list, func(s *itemState) bool { return s.item.ID == id })
}

// nextOpen is the first open item after id, wrapping around; "" if none.
func (s *session) nextOpen(id string) string {
	list := s.listed()
	start := indexOf(list, id)
	for n := 1; n <= len(list); n++ {
		i := (start + n) % len(list)
		if start < 0 {
			i = n - 1
		}
		if list[i].item.ID != id && list[i].open() {
			return list[i].item.ID
		}
	}
	return ""
}

var severityRank = map[steps.Severity]int{
	steps.SeverityCritical: 0, steps.SeverityHigh: 1, steps.SeverityMedium: 2, steps.SeverityLow: 3, steps.SeverityInfo: 4,
}

// mostImportantOpen is the open item of highest severity, first in order.
func (s *session) mostImportantOpen() string {
	best := ""
	rank := len(severityRank)
	for _, it := range s.listed() {
		if r, ok := severityRank[it.item.Severity]; ok && it.open() && r < rank {
			best, rank = it.item.ID, r
		}
	}
	return best
}

// run is the session as a saved run now ("", false until every item has a
// verdict).
func (s *session) run(now time.Time) (progress.Run, bool) {
	if s.identity == nil || !s.complete() {
		return progress.Run{}, false
	}
	outs := make([]steps.Outcome, len(s.items))
	for i, it := range s.items {
		outs[i] = steps.Outcome{Item: it.item, Result: it.result}
	}
	return progress.NewRun(now, s.identity.ARN, "wizard", outs), true
}
