package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

const checkLong = `Verify the checklist non-interactively, in one concurrent pass of reads: it
never changes the account. Text (a table by phase, each item with its ID),
json (the stable report, see docs/json.md) or markdown.

Exit codes (see docs/exit-codes.md): 0 nothing fails, 1 something fails
(with --fail-on fail: fail or unknown; warn: also warn or manual; never:
always 0), 2 bad flags or credentials that do not work, 130 interrupted.
A run of every item is saved in the account's progress (rootguard history).`

// checkOptions are the flags of `rootguard check`.
type checkOptions struct {
	format  string
	only    string
	skip    string
	failOn  string
	account accountFlags
	state   stateFlags
}

func newCheckCmd(g *globalFlags, ios IOStreams, d deps) *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check",
		Short: "verify the checklist non-interactively (text, JSON or Markdown; exit codes for CI)",
		Long:  checkLong + "\n\n" + wrappedList("Item IDs: ", steps.IDs()),
		Example: `rootguard check --demo
rootguard check --format json --fail-on warn
rootguard check --only root-mfa,root-access-keys`,
		Args:        noArgs,
		Annotations: map[string]string{resetDemoApplies: "yes"},
		RunE: func(c *cobra.Command, _ []string) error {
			o.account, o.state = g.account, g.state
			return runCheck(c.Context(), o, ios, d)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	fs := c.Flags()
	fs.StringVar(&o.format, "format", "text", "output: text (a table), json (the stable report) or markdown")
	fs.StringVar(&o.only, "only", "", "check only these items (comma-separated IDs)")
	fs.StringVar(&o.skip, "skip", "", "leave these items out (comma-separated IDs)")
	fs.StringVar(&o.failOn, "fail-on", "fail", "exit 1 on: fail (fail or unknown), warn (also warn or manual), never")
	completeWords(c, "format", "text", "json", "markdown")
	completeWords(c, "fail-on", "fail", "warn", "never")
	completeItemList(c, "only")
	completeItemList(c, "skip")
	return c
}

// runCheck verifies the selected checklist items in one concurrent pass and
// prints the verdicts. Reads only: it never changes the account.
func runCheck(ctx context.Context, o checkOptions, ios IOStreams, d deps) error {
	switch o.format {
	case "text", "json", "markdown":
	default:
		return usageErr(fmt.Sprintf("unknown --format %q: use text, json or markdown", o.format))
	}
	switch o.failOn {
	case "fail", "warn", "never":
	default:
		return usageErr(fmt.Sprintf("unknown --fail-on %q: use fail, warn or never", o.failOn))
	}
	only, skip := steps.SplitList(o.only), steps.SplitList(o.skip)
	if err := checkItemIDs("--only", only); err != nil {
		return err
	}
	if err := checkItemIDs("--skip", skip); err != nil {
		return err
	}
	items, err := steps.Select(steps.All(), only, skip)
	if err != nil {
		return usageErr(err.Error())
	}
	if len(items) == 0 {
		return usageErr("--only and --skip leave nothing to check")
	}

	now := d.clock()
	sess, err := openSession(ctx, o.account, o.state, ios, d)
	if err != nil {
		return err
	}
	acct, id := sess.acct, sess.id

	prog := newProgress(ios, len(items))
	facts := steps.NewFacts(acct, steps.FactsOptions{Identity: &id, Now: now, Attestations: sess.attestations()})
	outs := steps.Run(ctx, facts, withTimeout(items, d.deadline()), prog.done)
	prog.finish()
	if ctx.Err() != nil {
		return errInterrupted
	}

	report := steps.NewReport(id, outs, now())
	// The run is saved only when every item was checked: a subset would
	// look like progress lost in history. A subset still shows its diff.
	cur := progress.NewRun(report.GeneratedAt, id.ARN, "check", outs)
	since := sinceLastRun(sess, cur)
	if o.only == "" && o.skip == "" {
		sess.recordRun(cur)
	}
	var note string
	if o.account.Demo && o.state.NoSave {
		note = freshDemoNote
	}
	view := checkView{report: report, tally: steps.TallyOf(outs), region: acct.Region(), since: since, note: note, demo: o.account.demoArg()}
	switch o.format {
	case "json":
		err = writeJSON(ios.Out, jsonReport{Report: report, SinceLastRun: since.json()})
	case "markdown":
		err = writeMarkdown(ios.Out, view)
	default:
		var w io.Writer
		w, view.styles = textOutput(ios)
		view.width = terminalWidth(ios)
		err = writeText(w, view)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return findingsErr(o.failOn, report.Results)
}

// withTimeout returns the items with each check bounded by d (the one
// deadline, steps.CheckTimeout), so one stuck read makes that item unknown
// instead of hanging the command.
func withTimeout(items []steps.Item, d time.Duration) []steps.Item {
	out := slices.Clone(items)
	for i := range out {
		check := out[i].Check
		if check == nil {
			continue
		}
		out[i].Check = func(ctx context.Context, f *steps.Facts) steps.Result {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return check(ctx, f)
		}
	}
	return out
}

// freshDemoNote heads the output of `check --demo --no-save`, which checks
// a new demo account rather than the one the wizard and fix have changed.
const freshDemoNote = "fresh demo account (--no-save): saved demo progress is not used"

// findingsErr decides the exit code from the verdicts: with --fail-on fail,
// any fail or unknown is exit 1 (an unverified item is not a pass); with
// warn, warn and manual count too; never always exits 0. Info items never
// fail, whatever their status.
func findingsErr(failOn string, results []steps.ReportResult) error {
	for _, res := range results {
		if res.Kind != steps.KindInfo && failsOn(failOn, res.Status) {
			return &exitError{code: exitFindings}
		}
	}
	return nil
}

// failsOn reports whether status st fails the --fail-on threshold.
func failsOn(failOn string, st steps.Status) bool {
	switch failOn {
	case "fail":
		return st == steps.StatusFail || st == steps.StatusUnknown
	case "warn":
		return st == steps.StatusFail || st == steps.StatusUnknown || st == steps.StatusWarn || st == steps.StatusManual
	}
	return false
}

// checkProgress shows "checking N items… k/N" on stderr when it is a terminal,
// and nothing otherwise (so logs and pipes stay quiet).
type checkProgress struct {
	w     io.Writer
	mu    sync.Mutex
	total int
	n     int
}

func newProgress(ios IOStreams, total int) *checkProgress {
	p := &checkProgress{total: total}
	if ios.ErrIsTerminal {
		p.w = ios.ErrOut
		p.draw()
	}
	return p
}

func (p *checkProgress) draw() {
	fmt.Fprintf(p.w, "\r\x1b[Kchecking %d items… %d/%d", p.total, p.n, p.total)
}

func (p *checkProgress) done(steps.Outcome) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.draw()
}

func (p *checkProgress) finish() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
