package demo

import (
	"fmt"
	"strings"
	"time"
)

// A Scenario is a story the demo account starts from: a new account, an
// organization's management account… Each has its own starting state, and
// the command line keeps each one's saved state and progress apart.
type Scenario struct {
	Name        string // the --demo=NAME value: lower case, no spaces
	Description string // one line, for help and completion
	// start builds the starting state, laid out relative to now.
	start func(now time.Time) *state
	// attested are the items it starts with marked done.
	attested []Attested
}

// Attestations are the items the scenario starts with marked done, for
// the command line to seed into the scenario's saved progress.
func (s Scenario) Attestations() []Attested { return append([]Attested(nil), s.attested...) }

// DefaultScenario is the scenario of a plain --demo: a new, unhardened
// account.
const DefaultScenario = "new"

// Scenarios lists the demo's scenarios, the default first. Adding a
// scenario is one entry here and the function that builds its starting
// state (usually startingState(now) with a few changes).
func Scenarios() []Scenario {
	return []Scenario{
		{Name: DefaultScenario, Description: "a new account nobody has hardened yet", start: startingState},
		{Name: "partial", Description: "an account hardened halfway, with traps: things that look done but are not", start: partialStartingState, attested: partialAttested},
		{Name: "hardened", Description: "an account where everything verifiable passes and the rest is attested", start: hardenedStartingState, attested: hardenedAttested},
		{Name: "org", Description: "the management account of an organization with member accounts in OUs, not hardened yet", start: orgStartingState},
	}
}

// LookupScenario returns the scenario with that name ("" is the default).
func LookupScenario(name string) (Scenario, bool) {
	if name == "" {
		name = DefaultScenario
	}
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// ScenarioNames lists the scenarios' names, the default first.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		names = append(names, s.Name)
	}
	return names
}

// scenarioOf is the scenario of Options.Scenario; an unknown name panics,
// so a mistyped name cannot make a test pass silently (the command line
// checks names before it makes an account).
func scenarioOf(name string) Scenario {
	s, ok := LookupScenario(name)
	if !ok {
		panic(fmt.Sprintf("demo: no scenario %q; the scenarios are %s", name, strings.Join(ScenarioNames(), ", ")))
	}
	return s
}

// Scenario is the name of the scenario the account started from.
func (a *Account) Scenario() string { return a.scenario.Name }
