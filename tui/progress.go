package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// Saved progress in the wizard: "since last run" in the header, a mark on
// each changed row, and the session's run saved after every completed pass.

// sinceState is what changed since the previous saved run, as of the last
// completed pass.
type sinceState struct {
	ok      bool // a pass completed and there is a previous run
	changes progress.Changes
	saved   bool // the session's run was handed to RecordRun
}

// recordDoneMsg reports saving the session's run.
type recordDoneMsg struct{ Err error }

// Row marks, one cell each plus a space.
const (
	markFixed   = "▲"
	markNew     = "▼"
	markChanged = "•"
)

// passDone runs when no check is in flight. Once every item has a verdict
// it compares the session with the previous saved run. The first complete
// pass, the account as the session found it, is saved as the session's
// run (in a command): what the user fixes during the session shows in the
// header now, and as "fixed" in the next run, in the wizard or in check.
func (a *App) passDone() tea.Cmd {
	if a.identity == nil {
		return nil
	}
	outs := make([]steps.Outcome, 0, len(a.items))
	for _, s := range a.items {
		if !s.has {
			return nil
		}
		outs = append(outs, steps.Outcome{Item: s.item, Result: s.result})
	}
	cur := progress.NewRun(a.cfg.Now(), a.identity.ARN, "wizard", outs)
	if a.cfg.Since != nil {
		a.since.ok, a.since.changes = true, progress.Diff(*a.cfg.Since, cur)
	}
	if a.cfg.RecordRun == nil || a.since.saved {
		return nil
	}
	a.since.saved = true
	record := a.cfg.RecordRun
	return func() tea.Msg { return recordDoneMsg{Err: record(cur)} }
}

// rowMark is an item's change mark with its style, or "" when it did not
// move (or there is nothing to compare with).
func (a *App) rowMark(id string) string {
	if !a.since.ok {
		return ""
	}
	switch a.since.changes.PerItem[id].Kind {
	case progress.ChangeFixed:
		return a.styles.Status[steps.StatusPass].Render(markFixed)
	case progress.ChangeNewProblem:
		return a.styles.Status[steps.StatusFail].Render(markNew)
	case progress.ChangeOther:
		return a.styles.Dim.Render(markChanged)
	}
	return " "
}

// sinceLine is the header's "Since last run (20 Nov 2026 19:36): ▲ 3 fixed
// · ▼ 1 new problem · 2 unchanged", counted over the items shown; the marks double as the legend of the
// checklist's row marks. "" until a pass completes, and on the identity
// screen, which has its own progress line.
func (a *App) sinceLine() string {
	if !a.since.ok || a.screen == screenIdentity {
		return ""
	}
	st := a.styles
	// Count only the items the checklist shows, so the numbers add up.
	var fixed, newProblems, other, unchanged int
	for _, s := range a.visibleItems() {
		switch a.since.changes.PerItem[s.item.ID].Kind {
		case progress.ChangeFixed:
			fixed++
		case progress.ChangeNewProblem:
			newProblems++
		case progress.ChangeOther:
			other++
		default:
			unchanged++
		}
	}
	at := a.cfg.Since.At.In(a.cfg.Now().Location())
	long := st.HeaderDim.Render("Since last run (" + at.Format("2 Jan 2006 15:04") + "): ")
	short := st.HeaderDim.Render("Since " + at.Format("2 Jan 15:04") + ": ")
	// Pick the form by the longest the counts can get in this session (an
	// "other" part and two-digit numbers), so the header keeps one format
	// while results arrive.
	n := len(a.visibleItems())
	for _, form := range []struct {
		prefix  string
		compact bool
	}{{long, false}, {short, false}, {short, true}} {
		widest := form.prefix + a.sinceCounts(n, n, n, n, form.compact)
		if ansi.StringWidth(widest) <= a.width {
			return form.prefix + a.sinceCounts(fixed, newProblems, other, unchanged, form.compact)
		}
	}
	return ansi.Truncate(short+a.sinceCounts(fixed, newProblems, other, unchanged, true), a.width, "…")
}

// sinceCounts is "▲ 3 fixed · ▼ 1 new problem · • 1 other change · 2
// unchanged", or in compact words "▲ 3 fixed · ▼ 1 new · • 1 other · 2 same".
func (a *App) sinceCounts(fixed, newProblems, other, unchanged int, compact bool) string {
	st := a.styles
	sep := st.HeaderDim.Render(" · ")
	newWords := sincePlural(newProblems, "new problem", "new problems")
	otherWords := sincePlural(other, "other change", "other changes")
	sameWords := fmt.Sprintf("%d unchanged", unchanged)
	if compact {
		newWords, otherWords, sameWords = fmt.Sprintf("%d new", newProblems), fmt.Sprintf("%d other", other), fmt.Sprintf("%d same", unchanged)
	}
	parts := []string{
		st.Status[steps.StatusPass].Render(markFixed) + st.HeaderText.Render(fmt.Sprintf(" %d fixed", fixed)),
		st.Status[steps.StatusFail].Render(markNew) + st.HeaderText.Render(" "+newWords),
	}
	if other > 0 {
		parts = append(parts, st.Dim.Render(markChanged)+st.HeaderText.Render(" "+otherWords))
	}
	parts = append(parts, st.HeaderText.Render(sameWords))
	return strings.Join(parts, sep)
}

func sincePlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// demoNote is the identity screen's line about the demo's saved state;
// one line at 80 columns, so the screen still fits 80x24.
func (a *App) demoNote() string {
	switch {
	case !a.cfg.DemoResumedAt.IsZero():
		return "Continued from " + a.cfg.DemoResumedAt.In(a.cfg.Now().Location()).Format("2 Jan 15:04") +
			" · start over: rootguard --demo --reset-demo"
	case a.cfg.DemoSaving:
		return "Kept for next time · start over: --reset-demo · keep nothing: --no-save"
	}
	return ""
}
