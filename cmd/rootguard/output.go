package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// checkView is what the text and Markdown renderers need besides the report.
type checkView struct {
	report steps.Report
	tally  steps.Tally // the one count: the same items as the wizard and reports
	demo   string      // hints name the demo form: --demo, --demo=org ("": a real account)
	region string
	width  int // terminal columns; 0 when piped (no wrapping)
	styles outputStyles
	since  sinceRun // what changed since the previous saved run
	note   string   // a line under the header, e.g. freshDemoNote ("" for none)
}

// outputStyles colour the text output; the zero value renders plain text.
type outputStyles struct {
	on      bool
	status  map[steps.Status]lipgloss.Style
	heading lipgloss.Style
	crit    lipgloss.Style
	faint   lipgloss.Style
	warn    lipgloss.Style
}

func colorStyles() outputStyles {
	fg := func(c string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(c)) }
	return outputStyles{
		on: true,
		status: map[steps.Status]lipgloss.Style{
			steps.StatusPass:     fg("2"),
			steps.StatusFail:     fg("1").Bold(true),
			steps.StatusWarn:     fg("3"),
			steps.StatusManual:   fg("5"),
			steps.StatusAttested: fg("6"),
			steps.StatusNA:       lipgloss.NewStyle().Faint(true),
			steps.StatusUnknown:  fg("5").Bold(true),
		},
		heading: lipgloss.NewStyle().Bold(true),
		crit:    fg("1").Bold(true),
		faint:   lipgloss.NewStyle().Faint(true),
		warn:    fg("3").Bold(true),
	}
}

func (st outputStyles) render(s lipgloss.Style, text string) string {
	if !st.on {
		return text
	}
	return s.Render(text)
}

// colorEnvKeys are the variables colour detection reads.
var colorEnvKeys = []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM_PROGRAM", "TMUX"}

// textOutput returns the writer and styles for human output on stdout:
// colour only when stdout is a terminal, NO_COLOR is unset and the terminal
// has colours; plain text otherwise.
func textOutput(ios IOStreams) (io.Writer, outputStyles) {
	if !ios.OutIsTerminal || ios.Env == nil || ios.Env("NO_COLOR") != "" {
		return ios.Out, outputStyles{}
	}
	var env []string
	for _, k := range colorEnvKeys {
		if v := ios.Env(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	p := colorprofile.Env(env)
	if p < colorprofile.ANSI {
		return ios.Out, outputStyles{}
	}
	return &colorprofile.Writer{Forward: ios.Out, Profile: p}, colorStyles()
}

// terminalWidth is stdout's width, or 0 when stdout is not a terminal.
func terminalWidth(ios IOStreams) int {
	if !ios.OutIsTerminal {
		return 0
	}
	if f, ok := ios.Out.(term.File); ok {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	if ios.Env != nil {
		if c, err := strconv.Atoi(ios.Env("COLUMNS")); err == nil && c > 0 {
			return c
		}
	}
	return 80
}

// writeJSON writes the report as indented JSON (stable field order). The
// JSON is faithful; C1 controls and bidi characters, which encoding/json
// writes raw, are \u escapes (safetext.NewJSONEncoder).
func writeJSON(w io.Writer, r any) error {
	enc := safetext.NewJSONEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

const (
	statusCol   = 8  // "attested"
	severityCol = 8  // "critical"
	minSummary  = 30 // below this, the summary goes on its own line
)

// writeText writes the report as a table grouped by phase, then the summary.
func writeText(w io.Writer, v checkView) error {
	var b strings.Builder
	st, r := v.styles, lineReport(v.report)
	v.region, v.note = safetext.Line(v.region), safetext.Line(v.note)

	who := r.AccountID
	if r.AccountAlias != "" {
		who += " (" + r.AccountAlias + ")"
	}
	fmt.Fprintf(&b, "%s · account %s · %s\n", st.render(st.heading, "rootguard check"), who, v.region)
	caller := fmt.Sprintf("caller %s · checked %s", r.CallerARN, r.GeneratedAt.Format("2006-01-02 15:04 UTC"))
	if v.width > 0 {
		caller = ansi.Wrap(caller, v.width, "")
	}
	b.WriteString(caller + "\n")
	if v.note != "" {
		b.WriteString(st.render(st.heading, v.note) + "\n")
	}
	if line := v.since.line(r.GeneratedAt); line != "" {
		b.WriteString(st.render(st.heading, line) + "\n")
	}
	if r.CallerIsRoot {
		warning := "! You are signed in as the root user: create an admin identity and stop using root for daily work."
		if v.width > 0 {
			warning = strings.Join(wrapWords(warning, v.width-2), "\n  ")
		}
		for _, l := range strings.Split(warning, "\n") {
			b.WriteString(st.render(st.warn, l) + "\n")
		}
	}

	titleW, idW := 0, 0
	for _, res := range r.Results {
		titleW = max(titleW, ansi.StringWidth(res.Title))
		idW = max(idW, ansi.StringWidth(res.ID))
	}
	indent := 2
	summaryCol := indent + 2 + statusCol + 2 + severityCol + 2 + titleW + 2 + idW + 2
	marks := v.since.anyMarks()
	if marks {
		summaryCol += markCol + 2
	}
	stacked := v.width > 0 && v.width-summaryCol < minSummary

	phase := -1
	for _, res := range r.Results {
		if res.Phase != phase {
			phase = res.Phase
			fmt.Fprintf(&b, "\n%s\n", st.render(st.heading, fmt.Sprintf("%d  %s", res.Phase, res.PhaseTitle)))
		}
		sev := padRight(string(res.Severity), severityCol)
		if res.Severity == steps.SeverityCritical && res.Status.Open() {
			sev = st.render(st.crit, sev)
		}
		line := strings.Repeat(" ", indent) +
			st.render(st.status[res.Status], res.Status.Glyph()+" "+padRight(string(res.Status), statusCol)) + "  " +
			sev + "  " + padRight(res.Title, titleW)
		if !stacked {
			line += "  " + st.render(st.faint, padRight(res.ID, idW))
		}
		if marks {
			line += "  " + st.render(markStyle(st, v.since.mark(res.ID)), padRight(v.since.mark(res.ID), markCol))
		}
		writeCell := func(text string, style lipgloss.Style, col int) {
			if v.width > 0 {
				text = strings.Join(wrapWords(text, max(v.width-col, 10)), "\n") // never inside a word, id or address
			}
			for i, l := range strings.Split(text, "\n") {
				if i > 0 {
					b.WriteString("\n" + strings.Repeat(" ", col))
				}
				b.WriteString(st.render(style, l))
			}
			b.WriteString("\n")
		}
		switch {
		case stacked:
			// The ID leads the line below, where the title's width allows it.
			b.WriteString(strings.TrimRight(line, " ") + "\n" + strings.Repeat(" ", indent+4))
			writeCell(joinNonEmpty(" · ", st.render(st.faint, res.ID), res.Summary), lipgloss.NewStyle(), indent+4)
		case res.Summary == "":
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		default:
			b.WriteString(line + "  ")
			writeCell(res.Summary, lipgloss.NewStyle(), summaryCol)
		}
		col := summaryCol
		if stacked {
			col = indent + 4
		}
		if res.BlockedBy != "" {
			b.WriteString(strings.Repeat(" ", col))
			writeCell("→ waits for: "+res.BlockedBy, st.faint, col)
		}
		if res.Status == steps.StatusUnknown && res.Todo != "" {
			b.WriteString(strings.Repeat(" ", col))
			writeCell("→ "+res.Todo, st.faint, col)
		}
	}

	b.WriteString("\n" + summaryLine(r.Summary) + "\n")
	b.WriteString("Score " + v.tally.Score.String() + "\n")
	if open := openBySeverity(r); open != "" {
		b.WriteString("Open: " + open + "\n")
		b.WriteString("Run `" + commandHint(v.demo, "") + "` to walk through the open items one by one.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// commandHint is the command to suggest, in the demo form for a demo run
// (demoArg: "--demo", "--demo=org", or "" for a real account):
// "rootguard --demo=org history" rather than "rootguard history".
func commandHint(demoArg string, args string) string {
	cmd := "rootguard"
	if demoArg != "" {
		cmd += " " + demoArg
	}
	if args != "" {
		cmd += " " + args
	}
	return cmd
}

// wrappedList is lead and the words, comma-separated and wrapped for help
// only between words (an ID is never split at its hyphens).
func wrappedList(lead string, words []string) string {
	return strings.Join(wrapWords(lead+strings.Join(words, ", ")+".", 76), "\n")
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// markStyle colours a change mark: fixed green, new problem red.
func markStyle(st outputStyles, mark string) lipgloss.Style {
	switch mark {
	case markFixed:
		return st.status[steps.StatusPass]
	case markNew:
		return st.status[steps.StatusFail]
	}
	return st.faint
}

// summaryLine is "5 pass · 9 fail · …", statuses with no results left out.
func summaryLine(s steps.ReportSummary) string {
	var parts []string
	for _, st := range steps.Statuses {
		if n := s.Count(st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return "nothing checked"
	}
	return strings.Join(parts, " · ")
}

// openBySeverity is "2 critical · 4 high · …" for results still open. Info
// items never fail, so they are never open.
func openBySeverity(r steps.Report) string {
	counts := map[steps.Severity]int{}
	for _, res := range r.Results {
		if res.Status.Open() && res.Kind != steps.KindInfo {
			counts[res.Severity]++
		}
	}
	var parts []string
	for _, sev := range []steps.Severity{steps.SeverityCritical, steps.SeverityHigh, steps.SeverityMedium, steps.SeverityLow, steps.SeverityInfo} {
		if n := counts[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	return strings.Join(parts, " · ")
}

// writeMarkdown writes the report as a heading, an account line and a table
// per phase.
//
// One escaper for everything that came from AWS or a file: values rootguard
// shows as code (IDs, ARNs) are whole code spans (safetext.MarkdownCode),
// text is safetext.Markdown, and rootguard's own prose, which marks
// commands as `code`, keeps those spans (safetext.MarkdownSpans). In table
// cells the Cell forms escape | as well.
func writeMarkdown(w io.Writer, v checkView) error {
	var b strings.Builder
	r := lineReport(v.report)
	b.WriteString("# rootguard check\n\n")
	acct := safetext.MarkdownCode(r.AccountID)
	if r.AccountAlias != "" {
		acct += " (" + safetext.Markdown(r.AccountAlias) + ")"
	}
	fmt.Fprintf(&b, "Account %s · caller %s · region %s · checked %s\n\n",
		acct, safetext.MarkdownCode(r.CallerARN), safetext.Markdown(v.region), r.GeneratedAt.Format("2006-01-02 15:04 UTC"))
	if v.note != "" {
		fmt.Fprintf(&b, "*%s*\n\n", safetext.Markdown(v.note))
	}
	if r.CallerIsRoot {
		b.WriteString("> **Warning:** signed in as the root user. Create an admin identity and stop using root for daily work.\n\n")
	}
	if line := v.since.line(r.GeneratedAt); line != "" {
		fmt.Fprintf(&b, "%s\n\n", line)
	}
	fmt.Fprintf(&b, "**%s** — score %s", summaryLine(r.Summary), v.tally.Score)
	if open := openBySeverity(r); open != "" {
		fmt.Fprintf(&b, " — open: %s", open)
	}
	b.WriteString("\n")
	phase := -1
	for _, res := range r.Results {
		if res.Phase != phase {
			phase = res.Phase
			fmt.Fprintf(&b, "\n## %d. %s\n\n", res.Phase, safetext.Markdown(res.PhaseTitle))
			b.WriteString("| Status | Severity | Item | Summary |\n|---|---|---|---|\n")
		}
		summary := safetext.MarkdownSpansCell(res.Summary)
		if res.BlockedBy != "" {
			summary += "<br>waits for: " + safetext.MarkdownCodeCell(res.BlockedBy)
		}
		if res.Status == steps.StatusUnknown && res.Todo != "" {
			summary += "<br>→ " + safetext.MarkdownSpansCell(res.Todo)
		}
		status := res.Status.Glyph() + " " + string(res.Status)
		if m := v.since.mark(res.ID); m != "" {
			status += " · " + m
		}
		fmt.Fprintf(&b, "| %s | %s | %s (%s) | %s |\n",
			status, res.Severity, safetext.Markdown(res.Title), safetext.MarkdownCodeCell(res.ID), summary)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lineReport is r with every string on one line and every unsafe character
// made visible (safetext.Line): what the text and Markdown writers show.
// The data entered sanitized already; this is the writers' own defence.
func lineReport(r steps.Report) steps.Report {
	l := safetext.Line
	r.AccountID, r.AccountAlias, r.CallerARN = l(r.AccountID), l(r.AccountAlias), l(r.CallerARN)
	results := make([]steps.ReportResult, len(r.Results))
	for i, res := range r.Results {
		res.ID, res.PhaseTitle, res.Title = l(res.ID), l(res.PhaseTitle), l(res.Title)
		res.Summary, res.Todo, res.BlockedBy, res.ConsoleURL = l(res.Summary), l(res.Todo), l(res.BlockedBy), l(res.ConsoleURL)
		ev := make(map[string]string, len(res.Evidence))
		for k, v := range res.Evidence {
			ev[l(k)] = l(v)
		}
		res.Evidence = ev
		results[i] = res
	}
	r.Results = results
	return r
}

// padRight pads s with spaces to width display cells.
func padRight(s string, width int) string {
	if n := ansi.StringWidth(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
