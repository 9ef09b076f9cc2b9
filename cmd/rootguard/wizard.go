package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/assets"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/tui"
)

// needsTerminal says the wizard needs a terminal and what to use instead.
func needsTerminal(demoArg string) string {
	return "the wizard needs a terminal; for scripts and CI use `" + commandHint(demoArg, "check") + "` (see --help)"
}

// simulator is the demo account's "do it in the console" for trainers.
type simulator interface {
	CanSimulate(id string) bool
	Simulate(id string) error
}

// wizardOptions are the flags of the wizard (the default command).
type wizardOptions struct {
	account accountFlags
	state   stateFlags
	dryRun  bool
}

// runWizard opens the interactive wizard (the default command).
func runWizard(ctx context.Context, o wizardOptions, ios IOStreams, d deps) error {
	if !ios.OutIsTerminal {
		return usageErr(needsTerminal(o.account.demoArg()))
	}
	w, err := prepareWizard(ctx, o, ios, d)
	if err != nil {
		return err
	}
	final, err := tui.Run(ctx, w.cfg, tea.WithInput(ios.In), tea.WithOutput(ios.Out))
	return w.finish(final, err)
}

// wizardSession is a wizard session before and after the program runs: its
// configuration, and what is saved when it ends.
type wizardSession struct {
	cfg   tui.Config
	sess  *session
	late  *lateWarnings
	o     wizardOptions
	ios   IOStreams
	d     deps
	flags accountFlags
}

// prepareWizard connects to the account and builds the wizard's
// configuration with its seams (progress, the demo's trainer keys).
func prepareWizard(ctx context.Context, o wizardOptions, ios IOStreams, d deps) (*wizardSession, error) {
	flags, state := o.account, o.state
	flags.Latency = flags.Demo // the demo answers at AWS-like speed
	sess, err := openSessionWith(ctx, flags, state, ios, d, false)
	if err != nil {
		return nil, err
	}
	acct := sess.acct
	cfg := tui.Config{
		Account:      acct,
		Region:       acct.Region(),
		Demo:         flags.Demo,
		DemoScenario: flags.shownScenario(),
		Now:          d.now,
		Items:        steps.All(),
		Guide:        assets.Guide,
		// The one check deadline, as check, report and fix use.
		CheckTimeout: d.deadline(),
	}
	if ios.Env != nil {
		cfg.OpenURL = tui.SystemBrowser(ios.Env)
	}
	cfg.Writer, cfg.DryRun = acct, o.dryRun // fixes write only after an explicit yes
	if sim, ok := acct.(simulator); ok && flags.Demo {
		cfg.Simulate, cfg.CanSimulate = sim.Simulate, sim.CanSimulate
	}
	late := wireProgress(&cfg, sess)
	if flags.Demo {
		wireTrainer(&cfg, sess, flags.scenario(), late)
	}
	return &wizardSession{cfg: cfg, sess: sess, late: late, o: o, ios: ios, d: d, flags: flags}, nil
}

// finish saves where the session ended and prints the closing line.
func (w *wizardSession) finish(final tui.Final, err error) error {
	sess, state, late := w.sess, w.o.state, w.late
	if final.Start != nil && w.cfg.RecordRun != nil {
		// The first complete pass is saved from a command, which a quit can
		// outrun: save it now (once: nothing happens when it was saved).
		_ = w.cfg.RecordRun(*final.Start)
	}
	if final.End != nil {
		if err := recordEnd(sess, state, w.d, *final.End); err != nil {
			late.runSaved(err)
		}
	}
	sess.saveDemoOrWarn()
	late.flush(w.ios)
	if line := exitSummary(final, w.flags.demoArg(), notSavedReason(state, sess, late)); line != "" {
		fmt.Fprintln(w.ios.ErrOut, line)
	}
	if errors.Is(err, tea.ErrInterrupted) {
		return errInterrupted
	}
	return err
}

// recordEnd saves where a wizard session ended as a run of its own (the
// session's store holds where it began, and a store keeps one run per
// session), so history and the line printed at the end agree.
func recordEnd(sess *session, state stateFlags, d deps, end progress.Run) error {
	if sess.store == nil || !sess.store.Saving() {
		return nil
	}
	dir, err := d.stateDirFor(state)
	if err != nil {
		return err
	}
	st, err := progress.Open(dir, sess.store.Account(), progress.Options{Now: d.now})
	if err != nil {
		return err
	}
	return st.RecordRun(end)
}

// notSavedReason says why the session's run was not saved ("" when it was).
func notSavedReason(state stateFlags, sess *session, late *lateWarnings) string {
	switch {
	case state.NoSave:
		return "--no-save"
	case sess.store == nil:
		return "see the warning above"
	}
	if err := late.runSaveErr(); err != nil {
		return strings.TrimPrefix(err.Error(), "progress not saved: ")
	}
	return ""
}

// exitSummary is the line printed after the wizard closes, so the last
// thing on the terminal says where the user stands and whether it was kept
// (notSaved: why not, or ""). Only completed verdicts count: a run is saved
// only once every item has one, and checks still running at the quit are
// named, never counted.
func exitSummary(f tui.Final, demoArg string, notSaved string) string {
	switch {
	case f.Account == "":
		return ""
	case !f.Checked:
		running := ""
		if f.Pending > 0 {
			running = fmt.Sprintf(" (%d still running)", f.Pending)
		}
		return "Closed before every item was checked" + running + ": no run was saved. Run rootguard again to see your score."
	}
	where := fmt.Sprintf("score %s, %d open", f.Score, f.Open)
	if f.Pending > 0 {
		where += fmt.Sprintf("; %d %s still running and %s the verdict from before", f.Pending,
			plural(f.Pending, "re-check was", "re-checks were"), plural(f.Pending, "keeps", "keep"))
	}
	again := commandHint(demoArg, "")
	switch {
	case notSaved != "":
		return "Progress not saved (" + notSaved + "): " + where + "."
	case demoArg != "":
		return "Demo progress saved: " + where + ". Run " + again + " to continue."
	}
	return "Progress saved (" + safetext.Line(f.Account) + "): " + where + ". Run " + again + " to continue."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wireProgress connects the wizard to the saved progress: attestations,
// the previous run, saving runs and fixes, and the demo's own state. The
// wizard calls these seams from commands, so disk I/O never runs inside
// Update. Problems met while the wizard owns the terminal are kept for
// after it closes.
func wireProgress(cfg *tui.Config, sess *session) *lateWarnings {
	late := &lateWarnings{}
	if sess.marks != nil {
		cfg.Attestations = sess.marks
	}
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
	// Once: the wizard saves its first complete pass from a command, and
	// runWizard saves it again after a quit in case that command never ran.
	var once sync.Once
	var saveErr error
	cfg.RecordRun = func(r progress.Run) error {
		once.Do(func() {
			saveErr = st.RecordRun(r)
			late.runSaved(saveErr)
		})
		return saveErr
	}
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

// lateWarnings collects problems to print once the wizard has closed, and
// whether the session's run failed to save.
type lateWarnings struct {
	mu     sync.Mutex
	errs   []string
	runErr error
}

// runSaved records the outcome of saving the session's run.
func (l *lateWarnings) runSaved(err error) {
	l.add(err)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runErr = err
}

func (l *lateWarnings) runSaveErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.runErr
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
