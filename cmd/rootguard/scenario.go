package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps/progress"
)

// --demo[=SCENARIO]: the built-in demo account, starting from one of the
// demo's scenarios (demo.Scenarios). A plain --demo is the default
// scenario, a new unhardened account, as it always was. Each scenario keeps
// its own saved demo state and progress; the default keeps the file names
// from before scenarios, so demos saved then continue.

// demoValue is the --demo flag: it turns the demo on and names the scenario.
type demoValue struct{ af *accountFlags }

var _ pflag.Value = demoValue{}

func (v demoValue) String() string {
	if !v.af.Demo {
		return ""
	}
	return v.af.Scenario
}

func (v demoValue) Type() string { return "scenario" }

// Set takes a scenario name. "true" and "false" are what --demo took when
// it was a bool flag: the default scenario, and no demo.
func (v demoValue) Set(s string) error {
	switch s {
	case "true":
		s = demo.DefaultScenario
	case "false":
		v.af.Demo, v.af.Scenario = false, ""
		return nil
	}
	sc, ok := demo.LookupScenario(s)
	if !ok {
		return unknownScenario(s)
	}
	v.af.Demo, v.af.Scenario = true, sc.Name
	return nil
}

// registerDemoFlag adds --demo[=SCENARIO] to fs.
func registerDemoFlag(fs *pflag.FlagSet, af *accountFlags) {
	names := demo.ScenarioNames()
	names[0] += " (default)"
	f := fs.VarPF(demoValue{af}, "demo", "",
		"use the built-in demo account (no AWS credentials, no network); --demo=SCENARIO picks "+orList(names))
	f.NoOptDefVal = demo.DefaultScenario
}

// unknownScenario is a mistyped scenario name, with a suggestion.
func unknownScenario(name string) error {
	names := demo.ScenarioNames()
	if hint := didYouMean(name, names); hint != "" {
		return usageErr(fmt.Sprintf("unknown demo scenario %q%s", name, hint))
	}
	return usageErr(fmt.Sprintf("unknown demo scenario %q: use %s", name, orList(names)))
}

// scenarioWord explains a word that names a scenario where a command or an
// argument was expected (`--demo org` instead of `--demo=org`); nil when
// it names none or --demo was not given.
func scenarioWord(c *cobra.Command, word string) error {
	f := c.Flag("demo")
	if f == nil || !f.Changed {
		return nil
	}
	if _, ok := demo.LookupScenario(word); !ok || word == "" {
		return nil
	}
	return usageErr(fmt.Sprintf("%q is a demo scenario: write --demo=%s (with =)", word, word))
}

// completeScenarios completes --demo=… with the scenarios.
func completeScenarios(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("demo", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, s := range demo.Scenarios() {
			out = append(out, cobra.CompletionWithDesc(s.Name, s.Description))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// scenario is the demo scenario the flags name.
func (af accountFlags) scenario() demo.Scenario {
	s, _ := demo.LookupScenario(af.Scenario)
	return s
}

// shownScenario is the scenario's name for the wizard's badge: "" for the
// default scenario (a new account: the badge says DEMO ACCOUNT as before)
// and for a real account.
func (af accountFlags) shownScenario() string {
	if !af.Demo || af.Scenario == "" || af.Scenario == demo.DefaultScenario {
		return ""
	}
	return af.Scenario
}

// demoArg is the flag that picks this account in a hint: "" for a real
// account, "--demo" for the default scenario, "--demo=org" for another.
func (af accountFlags) demoArg() string {
	return demoArgOf(af.Demo, af.Scenario)
}

func demoArgOf(isDemo bool, scenario string) string {
	switch {
	case !isDemo:
		return ""
	case scenario == "" || scenario == demo.DefaultScenario:
		return "--demo"
	}
	return "--demo=" + scenario
}

// demoProgressKey is the saved-progress key of a scenario: the default
// keeps progress.DemoAccount, the others add their name ("demo-org").
func demoProgressKey(scenario string) string {
	if scenario == "" || scenario == demo.DefaultScenario {
		return progress.DemoAccount
	}
	return progress.DemoAccount + "-" + scenario
}

// scenarioOfKey is the scenario whose progress key is key (ok false for a
// real account's key).
func scenarioOfKey(key string) (string, bool) {
	for _, name := range demo.ScenarioNames() {
		if demoProgressKey(name) == key {
			return name, true
		}
	}
	return "", false
}

// demoStateFileOf is the file a scenario's demo state is saved in, under
// <state dir>/accounts: demo.state.json for the default (as before
// scenarios), demo-org.state.json for the org scenario.
func demoStateFileOf(scenario string) string {
	return demoProgressKey(scenario) + ".state.json"
}
