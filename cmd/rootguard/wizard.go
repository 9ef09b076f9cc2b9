package main

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/assets"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/tui"
)

const msgNeedsTerminal = "rootguard's wizard needs a terminal; for scripts and CI use `rootguard check` (see --help)"

// simulator is the demo account's "do it in the console" for trainers.
type simulator interface {
	CanSimulate(id string) bool
	Simulate(id string) error
}

// runWizard opens the interactive wizard (the default command).
func runWizard(ctx context.Context, args []string, ios IOStreams, d deps) error {
	fs := newFlagSet("rootguard", "rootguard [--demo] [--profile NAME] [--region REGION]", ios)
	var flags accountFlags
	flags.register(fs)
	fs.Usage = func() {
		printUsage(ios.ErrOut)
		fmt.Fprintln(ios.ErrOut, "\nWizard flags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !ios.OutIsTerminal {
		return usageErr(msgNeedsTerminal)
	}
	flags.Latency = flags.Demo // the demo answers at AWS-like speed
	acct, err := d.connect(ctx, flags)
	if err != nil {
		return err
	}
	cfg := tui.Config{
		Account: acct,
		Region:  acct.Region(),
		Demo:    flags.Demo,
		Now:     d.now,
		Items:   steps.All(),
		Guide:   assets.Guide,
	}
	if ios.Env != nil {
		cfg.OpenURL = tui.SystemBrowser(ios.Env)
	}
	if sim, ok := acct.(simulator); ok && flags.Demo {
		cfg.Simulate, cfg.CanSimulate = sim.Simulate, sim.CanSimulate
	}
	err = tui.Run(ctx, cfg, tea.WithInput(ios.In), tea.WithOutput(ios.Out))
	if errors.Is(err, tea.ErrInterrupted) {
		return errInterrupted
	}
	return err
}
