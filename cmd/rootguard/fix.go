package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// `rootguard fix ID` applies one fix non-interactively, with the same plan
// the wizard previews: read the current state → build the plan → print it
// (the calls and the field diff) → with --yes (and without --dry-run)
// apply it → when the fix has a next stage (MFA codes), show it and ask at
// the terminal → re-check the items live and print their verdicts →
// record what changed. Every fix gets its command from its own
// description (steps.Fixes): its flags are its fields.
//
// Exit codes follow `check` with its default --fail-on fail: 0 when the
// item is fine at the end (already in place, or written and re-checked
// pass, warn, n/a or attested); 1 when the change is pending (no --yes, or
// --dry-run), a write failed, the re-check is fail or unknown, or the
// current state could not be read (unknown, as in check); 2 for bad flags or
// input (with the field's message) and credentials that do not work; 130
// when interrupted.

const fixHelpFooter = `Without --yes, the plan is printed and nothing is written. --dry-run never
writes, even with --yes. A change with a wide blast radius asks for a typed
value: give it with --confirm VALUE.

Exit codes (as check with --fail-on fail):
  0    already in place, or written and re-checked pass, warn, n/a or attested
  1    the change is pending (no --yes, or --dry-run), a write failed, the
       re-check is fail or unknown, or the current state could not be read
  2    bad flags or input, or credentials that do not work
  130  interrupted

An applied fix is remembered in the account's saved progress
(rootguard history): what changed, never a secret. With --demo, the demo
account's state is saved too, so the next run (check, the wizard) continues
from it; --no-save keeps nothing and --reset-demo starts the demo over.`

// fixOptions are the flags every fix takes besides its fields.
type fixOptions struct {
	account accountFlags
	state   stateFlags
	yes     bool
	dryRun  bool
	confirm string
}

func newFixCmd(g *globalFlags, ios IOStreams, d deps) *cobra.Command {
	fixes := d.fixList()
	var list bool
	c := &cobra.Command{
		Use:   "fix ID",
		Short: "apply one fix non-interactively: plan, --yes to apply, re-check (fix --list)",
		Long: `Apply one fix non-interactively, with the same plan the wizard previews:
the current state is read, the plan printed (the API calls with their
values and the field-by-field diff), and only with --yes applied; then the
items are re-checked live. Run rootguard fix ID --help for a fix's flags;
rootguard fix --list shows every fix, what it needs and the IAM permissions it uses.

` + fixHelpFooter,
		Example: `rootguard fix --list
rootguard --demo fix password-policy --preset recommended --yes`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownFix(args[0], fixes)
			}
			return nil
		},
		Annotations: map[string]string{resetDemoApplies: "yes"},
		RunE: func(*cobra.Command, []string) error {
			if list {
				return writeFixList(ios.Out, fixes)
			}
			return usageErr("name the item to fix: rootguard fix ID (rootguard fix --list shows them)")
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveNoFileComp // the fixes are subcommands
		},
	}
	c.Flags().BoolVar(&list, "list", false, "list every fixable item: what it does, what it needs and the IAM permissions it uses")
	for _, f := range fixes {
		if f.Available() {
			c.AddCommand(newFixItemCmd(f, g, ios, d))
		}
	}
	return c
}

// unknownFix explains why id is not a fix rootguard can apply.
func unknownFix(id string, fixes []steps.Fix) error {
	var ids []string
	for _, f := range fixes {
		if f.ID == id && !f.Available() {
			return usageErr(fmt.Sprintf("the %s fix is planned for a later release; `rootguard fix --list` shows what is available now", f.ID))
		}
		ids = append(ids, f.ID)
	}
	if hint := didYouMean(id, ids); hint != "" {
		return usageErr(fmt.Sprintf("unknown fix %q%s", id, hint))
	}
	return usageErr(fmt.Sprintf("%q is not a fixable item; `rootguard fix --list` shows them", id))
}

// newFixItemCmd is `rootguard fix ID`, built from the fix's description.
func newFixItemCmd(fix steps.Fix, g *globalFlags, ios IOStreams, d deps) *cobra.Command {
	var o fixOptions
	var owned map[string]bool // the flags of the fields
	fields := fix.Fields(steps.State{})
	c := &cobra.Command{
		Use:         fix.ID,
		Short:       fix.Summary,
		Long:        fixItemLong(fix, len(fields) > 0),
		Args:        noArgs,
		Annotations: map[string]string{resetDemoApplies: "yes"},
		RunE: func(c *cobra.Command, _ []string) error {
			o.account, o.state = g.account, g.state
			in, err := fixInput(c.Flags(), fields, owned)
			if err != nil {
				return inputError(err)
			}
			return runFixItem(c.Context(), fix, o, in, ios, d)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	c.Flags().SortFlags = false
	owned = registerFieldFlags(c, fields)
	c.Flags().BoolVar(&o.yes, "yes", false, "apply the plan (without it, the plan is only printed)")
	c.Flags().BoolVar(&o.dryRun, "dry-run", false, "print the plan and never write, even with --yes")
	c.Flags().StringVar(&o.confirm, "confirm", "", "the value a plan with a wide blast radius asks you to type (e.g. the account ID)")
	_ = c.RegisterFlagCompletionFunc("confirm", cobra.NoFileCompletions)
	return c
}

// fixItemLong is a fix's help: what it does, what it needs, how it runs.
func fixItemLong(fix steps.Fix, hasFields bool) string {
	var b strings.Builder
	b.WriteString(fix.Title + ".")
	if fix.Intro != "" {
		b.WriteString(" " + fix.Intro)
	}
	if fix.Needs != "" {
		b.WriteString("\n\nNeeds " + strings.TrimSuffix(fix.Needs, ".") + ".")
	}
	if fix.Terminal {
		b.WriteString("\n\nIt asks for input after its first write (e.g. MFA codes), so --yes needs a terminal; without one it writes nothing. The wizard runs it too.")
	}
	if hasFields {
		b.WriteString("\n\nEvery flag is optional, but give at least one field: fields you leave out keep their current values (the plan shows which).")
	}
	if len(fix.Writes) > 0 {
		b.WriteString("\n\nWrites: " + strings.Join(fix.Writes, ", ") + ".")
	}
	b.WriteString("\n\n" + fixHelpFooter)
	return b.String()
}

// writeFixList prints every fixable item, available now or planned: what
// it does, what it needs and the permissions it uses.
func writeFixList(w io.Writer, fixes []steps.Fix) error {
	var b strings.Builder
	width := 0
	for _, f := range fixes {
		width = max(width, len(f.ID))
	}
	indent := strings.Repeat(" ", width+15) // under the summary
	b.WriteString("Fixable items (rootguard fix <item> --help for flags):\n\n")
	for _, f := range fixes {
		state := "available"
		if !f.Available() {
			state = "planned  "
		}
		fmt.Fprintf(&b, "  %s  %s  %s\n", padRight(safetext.Line(f.ID), width), state, safetext.Line(f.Summary))
		var needs []string
		if f.Needs != "" {
			needs = append(needs, strings.TrimSuffix(f.Needs, "."))
		}
		if f.Terminal {
			needs = append(needs, "a terminal (it asks for input midway)")
		}
		if len(needs) > 0 {
			fmt.Fprintf(&b, "%sneeds: %s\n", indent, safetext.Line(strings.Join(needs, "; ")))
		}
		fmt.Fprintf(&b, "%spermissions: %s\n", indent, safetext.Line(strings.Join(f.Writes, ", ")))
	}
	b.WriteString("\n\"planned\" fixes come in a later release; until then the wizard shows their console steps.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// fixRunner is one run of a fix: where it writes, what it prints, what it
// records.
type fixRunner struct {
	fix      steps.Fix
	acct     awsops.Account
	ios      IOStreams
	out      io.Writer
	st       outputStyles
	terminal bool
	ask      stageAsker
	identity *awsops.Identity // proven at connect; re-checks reuse it
	// records are what the run changed, for saved progress (never secrets).
	records []string
}

func runFixItem(ctx context.Context, fix steps.Fix, o fixOptions, in steps.Input, ios IOStreams, d deps) error {
	if err := fix.Check(in); err != nil {
		return inputError(err)
	}
	if err := checkChoices(fix.Fields(steps.State{}), in); err != nil {
		return inputError(err)
	}
	terminal := ios.InIsTerminal && ios.OutIsTerminal
	if fix.Terminal && o.yes && !o.dryRun && !terminal {
		return usageErr(fmt.Sprintf("the %s fix asks for input after its first write, so --yes needs a terminal (stdin and stdout): run it at a terminal, or use the wizard (`%s`); nothing was written",
			fix.ID, commandHint(o.account.demoArg(), "")))
	}

	sess, err := openSession(ctx, o.account, o.state, ios, d)
	if err != nil {
		return err
	}
	opts := steps.FactsOptions{Now: d.now}
	if sess.id.Account != "" {
		opts.Identity = &sess.id // connect proved it: no second read
	}
	facts := steps.NewFacts(sess.acct, opts)
	loadCtx, cancel := context.WithTimeout(ctx, d.deadline())
	state, err := fix.Load(loadCtx, facts)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return readError(readsOf(fix), err)
	}
	p, err := fix.Plan(state, in)
	if err != nil {
		return inputError(err)
	}

	r := &fixRunner{fix: fix, acct: sess.acct, ios: ios, terminal: terminal, ask: d.askStage, identity: opts.Identity}
	if r.ask == nil {
		r.ask = huhAsk
	}
	r.out, r.st = textOutput(ios)
	writePlan(r.out, r.st, p)
	switch {
	case p.NoOp:
		fmt.Fprintln(r.out, "Already in place; nothing to do (nothing was written).")
		return nil
	case o.dryRun:
		fmt.Fprintln(r.out, "Dry run: nothing was written.")
		return &exitError{code: exitFindings}
	case !o.yes && p.Confirm != nil:
		fmt.Fprintf(r.out, "Nothing was written; re-run with --yes --confirm VALUE to apply (%s).\n", safetext.Line(p.Confirm.Prompt))
		return &exitError{code: exitFindings}
	case !o.yes:
		fmt.Fprintln(r.out, "Nothing was written; re-run with --yes to apply.")
		return &exitError{code: exitFindings}
	case p.Confirm != nil && o.confirm == "":
		fmt.Fprintf(r.out, "Nothing was written: this change needs a typed confirmation. %s: re-run with --confirm VALUE.\n", safetext.Line(p.Confirm.Prompt))
		return &exitError{code: exitFindings}
	case p.Confirm != nil && !p.Confirm.Matches(o.confirm):
		return usageErr(fmt.Sprintf("--confirm: the value does not match (%s); nothing was written", p.Confirm.Prompt))
	}

	res := p.Apply(ctx, r.acct)
	r.report(res)
	r.recordApplied(p, res)
	var stageErr error
	if res.OK() && res.Next != nil {
		stageErr = r.stages(ctx, res.Next)
	}
	verdict := steps.StatusUnknown
	if len(r.records) > 0 {
		if err := sess.recordFix(fix.ID, sess.now(), strings.Join(r.records, "; ")); err != nil {
			warnf(ios, "%v", err)
		}
		sess.saveDemoOrWarn()
		verdict = r.recheck(ctx, d)
	}
	switch {
	case !res.OK():
		return applyError(res)
	case stageErr != nil:
		return stageErr
	case !failsOn("fail", verdict):
		return nil // pass, warn, n/a, attested: as check's default threshold
	}
	return &exitError{code: exitFindings}
}

// readsOf names what a fix reads, for a failed read.
func readsOf(fix steps.Fix) string {
	if fix.Reads != "" {
		return fix.Reads
	}
	return "the current state for the " + fix.ID + " fix"
}

// applyError is the exit code of a failed apply (its message is printed).
func applyError(res steps.ApplyResult) error {
	switch awsops.KindOf(res.Err) {
	case awsops.KindCanceled:
		return errInterrupted
	case awsops.KindCredentials:
		return &exitError{code: exitUsage}
	}
	return &exitError{code: exitFindings}
}

// report prints what an apply did: the calls made, the one that failed,
// what was undone, and what to do.
func (r *fixRunner) report(res steps.ApplyResult) {
	if res.OK() {
		fmt.Fprintln(r.out, r.st.render(r.st.status[steps.StatusPass], "✓ "+safetext.Line(res.Explain())))
		return
	}
	fmt.Fprintln(r.out, r.st.render(r.st.status[steps.StatusFail], "✗ "+safetext.Line(res.Explain())))
	fmt.Fprintln(r.out, "  → "+safetext.Line(res.Todo()))
}

// recordApplied keeps what an applied plan changed, for saved progress.
func (r *fixRunner) recordApplied(p steps.Plan, res steps.ApplyResult) {
	if len(res.Applied) > 0 {
		r.records = append(r.records, p.RecordSummary(res))
	}
}

// recheck re-checks every item the fix names live, prints the verdicts and
// returns the fixed item's.
func (r *fixRunner) recheck(ctx context.Context, d deps) steps.Status {
	verdict := steps.StatusUnknown
	for i, id := range r.fix.Recheck() {
		label := "Re-checked live:"
		if i > 0 {
			label = "Also re-checked " + id + ":"
		}
		it, ok := steps.Lookup(id)
		if !ok {
			fmt.Fprintf(r.out, "\nCould not re-check %s: it is not in the checklist.\n", id)
			continue
		}
		checkCtx, cancel := context.WithTimeout(ctx, d.deadline())
		res := steps.Reverify(checkCtx, r.acct, it, steps.FactsOptions{Now: d.now, Identity: r.identity})
		cancel()
		fmt.Fprintf(r.out, "\n%s %s  %s\n", label, r.st.render(r.st.status[res.Status], res.Status.Glyph()+" "+string(res.Status)), safetext.Line(res.Summary))
		for _, e := range res.Evidence {
			fmt.Fprintf(r.out, "  %s: %s\n", safetext.Line(e.Key), safetext.Line(e.Value))
		}
		if res.Status != steps.StatusPass && res.Todo != "" {
			fmt.Fprintln(r.out, r.st.render(r.st.faint, "  → "+safetext.Line(res.Todo)))
		}
		if i == 0 {
			verdict = res.Status
		}
	}
	return verdict
}

// sameCurrent reports whether every change starts from one placeholder
// value such as "(no policy: AWS default)" or "(not set)".
func sameCurrent(cs []steps.Change) (string, bool) {
	if len(cs) == 0 || !strings.HasPrefix(cs[0].Current, "(") {
		return "", false
	}
	for _, c := range cs[1:] {
		if c.Current != cs[0].Current {
			return "", false
		}
	}
	return cs[0].Current, true
}

// writePlan prints a plan: the field diff, the fields kept as they are,
// the notes, the calls in order, warnings, and a typed confirmation. Every
// value is on one line with its unsafe characters made visible.
func writePlan(w io.Writer, st outputStyles, p steps.Plan) {
	p = linePlan(p)
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", st.render(st.heading, p.Title), p.ItemID)
	if p.NoOp {
		b.WriteString("The account already has these values.\n")
	}
	if current, same := sameCurrent(p.Changes); same && len(p.Changes) > 1 {
		// Nothing set yet: say so once, not on every row.
		fw := 0
		for _, c := range p.Changes {
			fw = max(fw, displayWidth(c.Field))
		}
		fmt.Fprintf(&b, "\nChanges (every field now: %s):\n", strings.Trim(current, "()"))
		for _, c := range p.Changes {
			fmt.Fprintf(&b, "  %s  →  %s\n", padRight(c.Field, fw), c.Proposed)
		}
	} else if len(p.Changes) > 0 {
		fw, cw := len("Field"), len("Current")
		for _, c := range p.Changes {
			fw = max(fw, displayWidth(c.Field))
			cw = max(cw, displayWidth(c.Current))
		}
		b.WriteString("\nChanges:\n")
		fmt.Fprintf(&b, "  %s  %s     %s\n", st.render(st.faint, padRight("Field", fw)), st.render(st.faint, padRight("Current", cw)), st.render(st.faint, "Proposed"))
		for _, c := range p.Changes {
			fmt.Fprintf(&b, "  %s  %s  →  %s\n", padRight(c.Field, fw), padRight(c.Current, cw), c.Proposed)
		}
	}
	if len(p.Kept) > 0 && !p.NoOp {
		kw := 0
		for _, k := range p.Kept {
			kw = max(kw, displayWidth(k.Key))
		}
		b.WriteString("\nKept as is (sent again unchanged, because the call replaces the whole record):\n")
		for _, k := range p.Kept {
			fmt.Fprintf(&b, "  %s  %s\n", padRight(k.Key, kw), k.Value)
		}
	}
	if len(p.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range p.Notes {
			b.WriteString("Note: " + n + "\n")
		}
	}
	if len(p.Calls) > 0 {
		b.WriteString("\nAPI calls, in order:\n")
		for i, c := range p.Calls {
			fmt.Fprintf(&b, "  %d. %s (%s)\n", i+1, c.API, c.Label)
			for _, e := range c.Params {
				// A value of several lines (a policy document) stays under its first.
				lead := "       " + e.Key + " = "
				value := strings.ReplaceAll(e.Value, "\n", "\n"+strings.Repeat(" ", displayWidth(lead)))
				fmt.Fprintf(&b, "%s%s\n", lead, value)
			}
		}
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n")
		for _, warn := range p.Warnings {
			b.WriteString(st.render(st.warn, "! ") + warn + "\n")
		}
	}
	if p.Confirm != nil && !p.NoOp {
		fmt.Fprintf(&b, "\nTyped confirmation: %s (--confirm VALUE).\n", p.Confirm.Prompt)
	}
	b.WriteString("\n")
	_, _ = io.WriteString(w, b.String())
}

func displayWidth(s string) int { return ansi.StringWidth(s) }

// linePlan is p with every string it shows sanitized: names and labels on
// one line (safetext.Line), values whole, as they will be written, with
// their line breaks (safetext.Text: a policy document keeps its layout).
func linePlan(p steps.Plan) steps.Plan {
	l, t := safetext.Line, safetext.Text
	p.Title, p.ItemID = l(p.Title), l(p.ItemID)
	p.Changes = slices.Clone(p.Changes)
	for i, c := range p.Changes {
		p.Changes[i].Field, p.Changes[i].Current, p.Changes[i].Proposed = l(c.Field), t(c.Current), t(c.Proposed)
	}
	p.Kept = lineEvidence(p.Kept)
	p.Notes, p.Warnings = lineAll(p.Notes), lineAll(p.Warnings)
	p.Calls = slices.Clone(p.Calls)
	for i, c := range p.Calls {
		p.Calls[i].API, p.Calls[i].Label, p.Calls[i].Params = l(c.API), l(c.Label), lineEvidence(c.Params)
	}
	if p.Confirm != nil {
		c := *p.Confirm
		c.Prompt = l(c.Prompt)
		p.Confirm = &c
	}
	return p
}

func lineEvidence(ev []steps.Evidence) []steps.Evidence {
	out := make([]steps.Evidence, len(ev))
	for i, e := range ev {
		out[i] = steps.Evidence{Key: safetext.Line(e.Key), Value: safetext.Text(e.Value)}
	}
	return out
}

func lineAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = safetext.Line(s)
	}
	return out
}

// inputError is exit 2 with each rejected field's message, by flag.
func inputError(err error) error {
	var fe steps.FieldErrors
	if !errors.As(err, &fe) {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return usageErr(err.Error())
	}
	lines := make([]string, len(fe))
	for i, e := range fe {
		lines[i] = e.Message
		if e.Field != "" {
			lines[i] = "--" + e.Field + ": " + e.Message
		}
	}
	if len(lines) == 1 {
		return usageErr(lines[0])
	}
	return usageErr("invalid input:\n  " + strings.Join(lines, "\n  "))
}

// readError explains a failed read of the current state; nothing was written.
func readError(what string, err error) error {
	if awsops.KindOf(err) == awsops.KindCanceled && !errors.Is(err, context.DeadlineExceeded) {
		return errInterrupted
	}
	r := steps.Unknown(what, err)
	code := exitFindings
	if awsops.KindOf(err) == awsops.KindCredentials {
		code = exitUsage
	}
	return &exitError{code: code, msg: r.Summary + "; nothing was written. " + r.Todo}
}
