// Package render turns a check pass and the saved progress into shareable
// reports: Markdown and a self-contained HTML page. No terminal code.
package render

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// Report is what a report shows.
type Report struct {
	Identity    awsops.Identity
	Demo        bool
	GeneratedAt time.Time
	Outcomes    []steps.Outcome
	// History is the saved runs, oldest first, ending with this pass.
	History []progress.Run
	Fixes   []progress.Fix
}

// Options says how to render.
type Options struct {
	// Redact masks the account ID (1111****3333), hides the alias, and
	// masks email addresses and phone numbers.
	Redact bool
	// Location is the time zone dates are shown in; default UTC.
	Location *time.Location
}

// MaxChartRuns is how many of the latest runs the progress chart shows.
const MaxChartRuns = 20

// MaskAccount shows an account ID as 1111****3333.
func MaskAccount(id string) string {
	if len(id) <= 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}

// view is the report laid out for a template; every string in it has been
// through clean.
type view struct {
	Account      string
	Alias        string
	Caller       string
	Demo         bool
	Redacted     bool
	Date         string
	Score        progress.Score
	ScoreHow     string
	Counts       []count
	OpenBySev    []count
	Since        string // "2 fixed, 1 new problem, 12 unchanged"
	SinceDate    string
	Chart        []chartPoint
	ChartOmitted int
	Phases       []phaseView
	Fixes        []fixView
}

type count struct {
	Name string
	N    int
}

type chartPoint struct {
	Date    string // 2025-03-01
	Time    string // 2025-03-01 09:00
	Percent int
	Current bool
}

type phaseView struct {
	Title string
	Items []itemView
}

type itemView struct {
	ID, Title  string
	Kind       string // how it is fixed, in words (`commands` quoted)
	Severity   steps.Severity
	Status     steps.Status
	Summary    string
	Evidence   []steps.Evidence
	Details    []string
	Todo       string
	BlockedBy  string // the item this one waits for
	ConsoleURL string
	Change     string // "fixed since last run", …
}

type fixView struct {
	Date, Item, Summary string
}

type cleaner struct {
	account, masked, alias string
	redact                 bool
}

var (
	emailRE = regexp.MustCompile(`([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`)
	phoneRE = regexp.MustCompile(`\+[0-9][0-9 ().-]{5,}[0-9]`)
	digitRE = regexp.MustCompile(`[0-9]`)
)

// clean is the one way a string from AWS or a saved file reaches a report:
// on one line with every unsafe character made visible (safetext.Line),
// access key IDs masked, and with Redact the account ID, the alias, emails
// and phone numbers masked too.
func (c cleaner) clean(s string) string {
	s = progress.MaskSecrets(safetext.Line(s))
	if !c.redact {
		return s
	}
	if c.account != "" {
		s = strings.ReplaceAll(s, c.account, c.masked)
	}
	if c.alias != "" {
		s = strings.ReplaceAll(s, c.alias, "(alias hidden)")
	}
	s = emailRE.ReplaceAllString(s, "$1…@$2")
	s = phoneRE.ReplaceAllStringFunc(s, func(p string) string {
		keep := p[len(p)-2:]
		return digitRE.ReplaceAllString(p[:len(p)-2], "•") + keep
	})
	return s
}

func build(r Report, o Options) view {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	stamp := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	c := cleaner{account: r.Identity.Account, masked: MaskAccount(r.Identity.Account), alias: r.Identity.Alias, redact: o.Redact}

	v := view{
		Account:  c.clean(r.Identity.Account),
		Caller:   c.clean(r.Identity.ARN),
		Demo:     r.Demo,
		Redacted: o.Redact,
		Date:     stamp(r.GeneratedAt),
		ScoreHow: progress.ScoreExplanation,
	}
	if !o.Redact {
		v.Alias = c.clean(r.Identity.Alias)
	}

	cur := progress.NewRun(r.GeneratedAt, "", "", r.Outcomes)
	v.Score = cur.Score()
	sum := steps.Summarize(r.Outcomes)
	for _, st := range steps.Statuses {
		if n := sum.ByStatus[st]; n > 0 {
			v.Counts = append(v.Counts, count{string(st), n})
		}
	}
	for _, sev := range []steps.Severity{steps.SeverityCritical, steps.SeverityHigh, steps.SeverityMedium, steps.SeverityLow, steps.SeverityInfo} {
		if n := sum.BySeverity[sev]; n > 0 {
			v.OpenBySev = append(v.OpenBySev, count{string(sev), n})
		}
	}

	// The pass is the last run of the history; the one before is "last run".
	hist := r.History
	if len(hist) == 0 || !hist[len(hist)-1].At.Equal(r.GeneratedAt) {
		hist = append(hist[:len(hist):len(hist)], cur)
	}
	var changes progress.Changes
	if n := len(hist); n >= 2 {
		changes = progress.Diff(hist[n-2], cur)
		v.Since = changes.String()
		v.SinceDate = stamp(hist[n-2].At)
	}
	if len(hist) > MaxChartRuns {
		v.ChartOmitted = len(hist) - MaxChartRuns
		hist = hist[len(hist)-MaxChartRuns:]
	}
	for i, run := range hist {
		v.Chart = append(v.Chart, chartPoint{Date: day(run.At), Time: stamp(run.At), Percent: run.Score().Percent, Current: i == len(hist)-1})
	}

	for _, out := range r.Outcomes {
		if out.Item.OrgOnly && out.Result.Status == steps.StatusNA {
			continue // shown only in an organization
		}
		title := out.Item.Phase.Title()
		if len(v.Phases) == 0 || v.Phases[len(v.Phases)-1].Title != title {
			v.Phases = append(v.Phases, phaseView{Title: title})
		}
		res := out.Result
		iv := itemView{
			ID: out.Item.ID, Title: c.clean(out.Item.Title), Kind: kindLabel(out.Item),
			Severity: out.Item.Severity, Status: res.Status,
			Summary: c.clean(res.Summary), Todo: c.clean(res.Todo), BlockedBy: res.BlockedBy, ConsoleURL: out.Item.ConsoleURL,
		}
		for _, e := range res.Evidence {
			iv.Evidence = append(iv.Evidence, steps.Evidence{Key: c.clean(e.Key), Value: c.clean(e.Value)})
		}
		for _, d := range res.Details {
			iv.Details = append(iv.Details, c.clean(d))
		}
		if ch, ok := changes.PerItem[out.Item.ID]; ok && ch.Kind != progress.ChangeUnchanged {
			iv.Change = changeText(ch)
		}
		p := &v.Phases[len(v.Phases)-1]
		p.Items = append(p.Items, iv)
	}
	for _, f := range r.Fixes {
		v.Fixes = append(v.Fixes, fixView{Date: day(f.At), Item: c.clean(f.ItemID), Summary: c.clean(f.Summary)})
	}
	return v
}

func changeText(ch progress.Change) string {
	switch {
	case ch.Kind == progress.ChangeFixed:
		return fmt.Sprintf("fixed since last run (was %s)", ch.From)
	case ch.From == "":
		return "new since last run"
	case ch.Kind == progress.ChangeNewProblem:
		return fmt.Sprintf("new problem since last run (was %s)", ch.From)
	}
	return fmt.Sprintf("changed since last run (was %s)", ch.From)
}

// kindLabel says how an item gets done. "rootguard can fix it" only when
// `rootguard fix <id>` exists now; a fix planned for later is done in the
// console until then.
func kindLabel(it steps.Item) string {
	if f, ok := steps.FixFor(it.ID); ok && f.Available() {
		if f.Needs != "" { // e.g. root-access-keys: only as the root user
			return "fixed in the AWS console, or rootguard can fix it (" + f.Needs + "): `rootguard fix " + it.ID + "`"
		}
		return "rootguard can fix it: `rootguard fix " + it.ID + "`"
	}
	switch it.Kind {
	case steps.KindAuto:
		return "you fix it in the AWS console"
	case steps.KindGuided:
		return "fixed in the AWS console"
	case steps.KindAttest:
		return "you confirm it"
	case steps.KindInfo:
		return "for information"
	}
	return string(it.Kind)
}

// statusLabel is a status in capitals for reports: PASS, N/A…
func statusLabel(s steps.Status) string { return strings.ToUpper(string(s)) }
