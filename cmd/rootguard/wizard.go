package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/assets"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/tui"
)

const msgNeedsTerminal = "the wizard needs a terminal; for scripts and CI use `rootguard check` (see --help)"

// simulator is the demo account's "do it in the console" for trainers.
type simulator interface {
	CanSimulate(id string) bool
	Simulate(id string) error
}

// runWizard opens the interactive wizard (the default command).
func runWizard(ctx context.Context, args []string, ios IOStreams, d deps) error {
	fs := newFlagSet("rootguard", "rootguard [--demo [--reset-demo]] [--profile NAME] [--region REGION] [--state-dir DIR] [--no-save]", ios)
	var flags accountFlags
	var state stateFlags
	flags.register(fs)
	state.register(fs)
	dryRun := fs.Bool("dry-run", false, "show every fix's preview and never write to the account")
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
	sess, err := openSessionWith(ctx, flags, state, ios, d, false)
	if err != nil {
		return err
	}
	acct := sess.acct
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
	cfg.Writer, cfg.DryRun = acct, *dryRun // fixes write only after an explicit yes
	if sim, ok := acct.(simulator); ok && flags.Demo {
		cfg.Simulate, cfg.CanSimulate = sim.Simulate, sim.CanSimulate
	}
	late := wireProgress(&cfg, sess)
	final, err := tui.Run(ctx, cfg, tea.WithInput(ios.In), tea.WithOutput(ios.Out))
	sess.saveDemoOrWarn()
	late.flush(ios)
	notSaved := ""
	switch {
	case state.NoSave:
		notSaved = "--no-save"
	case sess.store == nil:
		notSaved = "see the warning above"
	}
	if line := exitSummary(final, flags.Demo, notSaved); line != "" {
		fmt.Fprintln(ios.ErrOut, line)
	}
	if errors.Is(err, tea.ErrInterrupted) {
		return errInterrupted
	}
	return err
}

// exitSummary is the line printed after the wizard closes, so the last
// thing on the terminal says where the user stands and whether it was kept
// (notSaved: why not, or "").
func exitSummary(f tui.Final, demo bool, notSaved string) string {
	switch {
	case f.Account == "":
		return ""
	case !f.Checked:
		return "Closed before every item was checked. Run rootguard again to see your score."
	}
	where := fmt.Sprintf("score %s, %d open", f.Score, f.Open)
	again := "rootguard"
	if demo {
		again = "rootguard --demo"
	}
	switch {
	case notSaved != "":
		return "Progress not saved (" + notSaved + "): " + where + "."
	case demo:
		return "Demo progress saved: " + where + ". Run " + again + " to continue."
	}
	return "Progress saved (" + f.Account + "): " + where + ". Run " + again + " to continue."
}

// wireProgress connects the wizard to the saved progress: attestations,
// the previous run, saving runs and fixes, and the demo's own state. The
// wizard calls these seams from commands, so disk I/O never runs inside
// Update. Problems met while the wizard owns the terminal are kept for
// after it closes.
func wireProgress(cfg *tui.Config, sess *session) *lateWarnings {
	late := &lateWarnings{}
	if cfg.Demo {
		cfg.DemoResumedAt = sess.demoSavedAt
		cfg.DemoSaving = sess.demoPath != ""
		if simulate := cfg.Simulate; simulate != nil {
			cfg.Simulate = func(id string) error {
				if err := simulate(id); err != nil {
					return err
				}
				late.add(sess.saveDemo())
				return nil
			}
		}
	}
	st := sess.store
	if st == nil {
		return late
	}
	cfg.Attestations = storeAttestations{st}
	if prev, ok := st.Previous(); ok {
		cfg.Since = &prev
	}
	cfg.RecordRun = st.RecordRun
	cfg.RecordFix = func(item string, at time.Time, summary string) {
		late.add(st.RecordFix(item, at, summary))
		late.add(sess.saveDemo())
	}
	return late
}

// storeAttestations keeps the wizard's attestations in the saved progress.
type storeAttestations struct{ st *progress.Store }

func (s storeAttestations) Get(id string) (steps.Attestation, bool) { return s.st.Attestation(id) }
func (s storeAttestations) Set(a steps.Attestation) error {
	return s.st.Attest(a.ItemID, a.At, a.Note)
}
func (s storeAttestations) Delete(id string) error { return s.st.Unattest(id) }

// lateWarnings collects problems to print once the wizard has closed.
type lateWarnings struct {
	mu   sync.Mutex
	errs []string
}

func (l *lateWarnings) add(err error) {
	if err == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !slices.Contains(l.errs, err.Error()) {
		l.errs = append(l.errs, err.Error())
	}
}

func (l *lateWarnings) flush(ios IOStreams) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.errs {
		warnf(ios, "%s", e)
	}
}
