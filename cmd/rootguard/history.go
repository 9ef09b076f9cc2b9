package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// stateFlags say where saved progress lives. Every subcommand takes them
// alike.
type stateFlags struct {
	Dir       string
	NoSave    bool
	ResetDemo bool
}

// validate checks the state flags against the account flags.
func (s stateFlags) validate(af accountFlags) error {
	if s.ResetDemo && !af.Demo {
		return usageErr("--reset-demo starts the demo over: use it with --demo")
	}
	return nil
}

// progressKey is the key an account's progress is saved under: each demo
// scenario is kept apart from the others and from real accounts.
func progressKey(af accountFlags, accountID string) string {
	if af.Demo {
		return demoProgressKey(af.Scenario)
	}
	return accountID
}

// openProgress opens an account's saved progress. Saving is a convenience,
// so a problem never fails the command: it is printed as a warning and the
// store keeps this run's changes in memory only (nil when there is no
// directory to read from at all).
func openProgress(sf stateFlags, key string, d deps, ios IOStreams) *progress.Store {
	dir, err := d.stateDirFor(sf)
	if err != nil {
		warnf(ios, "%v", err)
		return nil
	}
	return openProgressIn(dir, sf.NoSave, key, d, ios)
}

// openProgressIn is openProgress in a known directory.
func openProgressIn(dir string, noSave bool, key string, d deps, ios IOStreams) *progress.Store {
	st, err := progress.Open(dir, key, progress.Options{Now: d.now, ReadOnly: noSave})
	if err != nil {
		warnf(ios, "progress is not saved: %v", err)
		return nil
	}
	for _, w := range st.Warnings() {
		warnf(ios, "%s", w)
	}
	return st
}

// warnf prints a warning on one line; its values can come from AWS or a
// file, so every unsafe character is made visible.
func warnf(ios IOStreams, format string, a ...any) {
	fmt.Fprintln(ios.ErrOut, "rootguard: warning: "+safetext.Line(fmt.Sprintf(format, a...)))
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// historyAccount finds whose history to show: the demo, --account, or the
// account the credentials belong to (one read: who am I).
func historyAccount(ctx context.Context, af accountFlags, accountID string, ios IOStreams, d deps) (string, error) {
	switch {
	case af.Demo:
		return demoProgressKey(af.Scenario), nil
	case accountID != "":
		if !accountIDPattern.MatchString(accountID) {
			return "", usageErr(fmt.Sprintf("--account %q is not a 12-digit AWS account ID", accountID))
		}
		return accountID, nil
	}
	if d.connect == nil {
		return "", usageErr("no way to reach AWS; use --demo or --account ID")
	}
	acct, err := d.connect(ctx, af)
	if err != nil {
		return "", err
	}
	id, err := callerIdentity(ctx, acct, profileName(af, ios.Env))
	if err != nil {
		return "", err
	}
	return id.Account, nil
}

const historyLong = `List the account's saved runs with their scores and what changed between
them, the items marked done and the fixes rootguard applied; with --item ID,
one item over time. It reads saved progress only: with --demo or --account
ID it does not contact AWS at all.`

func newHistoryCmd(g *globalFlags, ios IOStreams, d deps) *cobra.Command {
	var item, accountID string
	c := &cobra.Command{
		Use:   "history",
		Short: "list past runs with their scores, or one item over time (--item ID)",
		Long:  historyLong,
		Example: `rootguard --demo history
rootguard history --item root-mfa`,
		Args:        noArgs,
		Annotations: map[string]string{resetDemoApplies: "yes"},
		RunE: func(c *cobra.Command, _ []string) error {
			return runHistory(c.Context(), g.account, g.state, item, accountID, ios, d)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	c.Flags().StringVar(&item, "item", "", "show one checklist item over time, e.g. root-mfa")
	c.Flags().StringVar(&accountID, "account", "", "show this account ID's saved progress without contacting AWS")
	completeItems(c, "item", nil)
	return c
}

func runHistory(ctx context.Context, af accountFlags, sf stateFlags, item, accountID string, ios IOStreams, d deps) error {
	if err := sf.validate(af); err != nil {
		return err
	}
	var it *steps.Item
	if item != "" {
		found, ok := steps.Lookup(item)
		if !ok {
			return unknownItem("--item", item, steps.IDs())
		}
		it = &found
	}
	key, err := historyAccount(ctx, af, accountID, ios, d)
	if err != nil {
		return err
	}
	if sf.ResetDemo && !sf.NoSave {
		dir, err := d.stateDirFor(sf)
		if err != nil {
			return usageErr(err.Error())
		}
		resetDemo(dir, af, ios)
	}
	sf.NoSave = true // history only reads
	st := openProgress(sf, key, d, ios)
	if st == nil {
		return &exitError{code: exitUsage}
	}
	loc := time.Local
	if d.now != nil {
		loc = d.now().Location()
	}
	width := terminalWidth(ios)
	if width == 0 {
		width = pipedHistoryWidth
	}
	h := historyView{key: key, runs: st.Runs(), attestations: st.Attestations(), fixes: st.Fixes(), loc: loc, now: d.now, width: width}
	h.demoID = !af.Demo && key == demo.AccountID
	if it != nil {
		return h.writeItem(ios.Out, *it)
	}
	return h.writeRuns(ios.Out)
}

type historyView struct {
	key          string
	runs         []progress.Run
	attestations []steps.Attestation
	fixes        []progress.Fix
	loc          *time.Location
	now          func() time.Time
	width        int  // columns to wrap long fix descriptions at
	demoID       bool // a real account's history was asked for with the demo's account ID
}

// demoHint points to --demo when the demo's account ID was given.
func (h historyView) demoHint() string {
	if !h.demoID {
		return ""
	}
	return fmt.Sprintf("\n%s is the demo account's ID: for the demo account, use --demo (rootguard --demo history).\n", h.key)
}

// pipedHistoryWidth is where history wraps when stdout is not a terminal.
const pipedHistoryWidth = 100

func (h historyView) stamp(t time.Time) string { return t.In(h.loc).Format("2006-01-02 15:04") }
func (h historyView) day(t time.Time) string   { return t.In(h.loc).Format("2006-01-02") }

func (h historyView) accountName() string {
	switch scenario, ok := scenarioOfKey(h.key); {
	case !ok:
		return "account " + h.key
	case scenario == demo.DefaultScenario:
		return "the demo account"
	default:
		return "the demo account (" + scenario + " scenario)"
	}
}

func (h historyView) writeRuns(w io.Writer) error {
	switch {
	case len(h.runs) == 0 && len(h.attestations)+len(h.fixes) == 0:
		_, err := fmt.Fprintf(w, "No saved progress for %s yet: run `%s` or the wizard (`%s`) first.\n%s",
			h.accountName(), h.hint("check"), h.hint(""), h.demoHint())
		return err
	case len(h.runs) == 0: // fixes or attestations, but no full check yet
		fmt.Fprintf(w, "No saved run of %s yet: run `%s` for a score.\n", h.accountName(), h.hint("check"))
	default:
		h.writeRunTable(w)
	}
	if len(h.attestations) > 0 {
		fmt.Fprintln(w, "\nMarked done:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, a := range h.attestations {
			line := "  " + safetext.Line(a.ItemID) + "\t" + h.day(a.At)
			if state := h.attestationState(a); state != "" {
				line += "\t" + state
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
	if len(h.fixes) > 0 {
		fmt.Fprintln(w, "\nFixes applied by rootguard:")
		idW := 0
		for _, f := range h.fixes {
			idW = max(idW, displayWidth(safetext.Line(f.ItemID)))
		}
		for _, f := range h.fixes {
			lead := "  " + h.day(f.At) + "  " + padRight(safetext.Line(f.ItemID), idW) + "  "
			h.writeWrapped(w, lead, safetext.Line(f.Summary))
		}
	}
	_, err := fmt.Fprintf(w, "\nOne item over time: %s\n", h.hint("history --item ID"))
	return err
}

// writeRunTable lists the runs with their scores and changes.
func (h historyView) writeRunTable(w io.Writer) {
	fmt.Fprintf(w, "Saved progress of %s: %s\n\n", h.accountName(), runsWord(len(h.runs)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  DATE\tSCORE\t\tOPEN\tVIA\tSINCE THE RUN BEFORE")
	for i, r := range h.runs {
		var since progress.Changes
		if i > 0 {
			since = progress.Diff(h.runs[i-1], r)
		} else {
			since = progress.Diff(progress.Run{}, r)
		}
		sc := r.Score()
		fmt.Fprintf(tw, "  %s\t%4s\t%s\t%d\t%s\t%s\n", h.stamp(r.At), sc, scoreBar(sc.Percent, 10), sc.Open+sc.Warn, orDash(safetext.Line(r.Source)), safetext.Line(since.String()))
	}
	tw.Flush()
}

// hint is a command to suggest, in the demo form for the demo account.
func (h historyView) hint(args string) string {
	scenario, isDemo := scenarioOfKey(h.key)
	return commandHint(demoArgOf(isDemo, scenario), args)
}

// attestationState says until when an attestation holds.
func (h historyView) attestationState(a steps.Attestation) string {
	var parts []string
	if it, ok := steps.Lookup(a.ItemID); ok && it.AttestValidity > 0 {
		until := a.At.Add(it.AttestValidity)
		if h.now != nil && h.now().After(until) {
			parts = append(parts, "expired on "+h.day(until)+": confirm it again")
		} else {
			parts = append(parts, "holds until "+h.day(until))
		}
	}
	if a.Note != "" {
		parts = append(parts, `"`+safetext.Line(a.Note)+`"`)
	}
	return strings.Join(parts, "  ")
}

func (h historyView) writeItem(w io.Writer, it steps.Item) error {
	pts := progress.ItemHistory(h.runs, it.ID)
	fmt.Fprintf(w, "%s: %s\n", it.ID, it.Title)
	if len(pts) == 0 {
		_, err := fmt.Fprintf(w, "\nNo saved run of %s checked it yet.\n%s", h.accountName(), h.demoHint())
		return err
	}
	fmt.Fprintf(w, "%s of %s\n\n", runsWord(len(pts)), h.accountName())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  DATE\tSTATUS\tSUMMARY")
	for _, p := range pts {
		mark := ""
		if p.Changed {
			mark = "  ← changed"
		}
		fmt.Fprintf(tw, "  %s\t%s %s\t%s%s\n", h.stamp(p.At), p.Status.Glyph(), safetext.Line(string(p.Status)), safetext.Line(p.Summary), mark)
	}
	tw.Flush()
	for _, a := range h.attestations {
		if a.ItemID == it.ID {
			fmt.Fprintf(w, "\nMarked done on %s  %s\n", h.day(a.At), h.attestationState(a))
		}
	}
	var fixes []progress.Fix
	for _, f := range h.fixes {
		if f.ItemID == it.ID {
			fixes = append(fixes, f)
		}
	}
	if len(fixes) > 0 {
		fmt.Fprintln(w, "\nFixes applied by rootguard:")
		for _, f := range fixes {
			h.writeWrapped(w, "  "+h.day(f.At)+"  ", safetext.Line(f.Summary))
		}
	}
	return nil
}

// writeWrapped writes lead then text wrapped at the view's width, the
// following lines indented under the text's first column.
func (h historyView) writeWrapped(w io.Writer, lead, text string) {
	indent := displayWidth(lead)
	for i, line := range wrapWords(text, max(h.width-indent, 20)) {
		if i == 0 {
			fmt.Fprintln(w, lead+line)
		} else {
			fmt.Fprintln(w, strings.Repeat(" ", indent)+line)
		}
	}
}

// wrapWords breaks text into lines of at most width cells, only at spaces;
// a single word longer than width is cut.
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		for displayWidth(word) > width {
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			head := ansi.Truncate(word, width, "")
			lines = append(lines, head)
			word = word[len(head):]
		}
		switch {
		case line == "":
			line = word
		case displayWidth(line)+1+displayWidth(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

func runsWord(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// scoreBar draws a percentage as width cells.
func scoreBar(percent, width int) string {
	full := (percent*width + 50) / 100
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}
