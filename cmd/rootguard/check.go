package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

const checkUsage = "rootguard check [--format text|json|markdown] [--only ID,ID] [--skip ID,ID] [--fail-on fail|warn|never] [--state-dir DIR] [--no-save] [--demo [--reset-demo]] [--profile NAME] [--region REGION]"

// checkOptions are the flags of `rootguard check`.
type checkOptions struct {
	format  string
	only    string
	skip    string
	failOn  string
	account accountFlags
	state   stateFlags
}

// runCheck verifies the selected checklist items in one concurrent pass and
// prints the verdicts. Reads only: it never changes the account.
func runCheck(ctx context.Context, args []string, ios IOStreams, d deps) error {
	var o checkOptions
	fs := newFlagSet("check", checkUsage, ios)
	fs.StringVar(&o.format, "format", "text", "output: text (a table), json (the stable report) or markdown")
	fs.StringVar(&o.only, "only", "", "check only these items (comma-separated ids)")
	fs.StringVar(&o.skip, "skip", "", "leave these items out (comma-separated ids)")
	fs.StringVar(&o.failOn, "fail-on", "fail", "exit 1 on: fail (fail or unknown), warn (also warn or manual), never")
	o.account.register(fs)
	o.state.register(fs)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintf(fs.Output(), "\nItem ids: %s\n", strings.Join(steps.IDs(), ", "))
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
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
	items, err := steps.Select(steps.All(), splitList(o.only), splitList(o.skip))
	if err != nil {
		return usageErr(err.Error())
	}
	if len(items) == 0 {
		return usageErr("--only and --skip leave nothing to check")
	}

	now := d.now
	if now == nil {
		now = time.Now
	}
	sess, err := openSession(ctx, o.account, o.state, ios, d)
	if err != nil {
		return err
	}
	acct, id := sess.acct, sess.id

	prog := newProgress(ios, len(items))
	facts := steps.NewFacts(acct, steps.FactsOptions{Identity: &id, Now: now, Attestations: sess.attestations()})
	outs := steps.Run(ctx, facts, withTimeout(items, checkTimeout), prog.done)
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
	switch o.format {
	case "json":
		err = writeJSON(ios.Out, jsonReport{Report: report, SinceLastRun: since.json()})
	case "markdown":
		err = writeMarkdown(ios.Out, checkView{report: report, region: acct.Region(), since: since, note: note})
	default:
		w, styles := textOutput(ios)
		err = writeText(w, checkView{report: report, region: acct.Region(), width: terminalWidth(ios), styles: styles, since: since, note: note})
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return findingsErr(o.failOn, report.Results)
}

// checkTimeout bounds each item's check, as in the wizard, so one stuck
// read makes that item unknown instead of hanging the command.
var checkTimeout = 2 * time.Minute

// withTimeout returns the items with each check bounded by d.
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

// splitList splits a comma-separated flag value, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
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
