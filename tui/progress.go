package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// Saved progress in the wizard: "since last run" in the header, a mark on
// each changed row; the session's first complete pass is saved as a run,
// and its end is handed back in Final (see App.passDone).

// sinceState is what changed since the previous saved run, as of the last
// completed pass.
type sinceState struct {
	ok      bool // a pass completed and there is a previous run
	changes progress.Changes
	saved   bool // the session's run was handed to RecordRun
}

// Row marks, one cell each plus a space.
const (
	markFixed   = "▲"
	markNew     = "▼"
	markChanged = "•"
)

// rowMark is an item's change mark with its style, or "" when it did not
// move (or there is nothing to compare with).
func (c *common) rowMark(id string) string {
	if !c.sess.since.ok {
		return ""
	}
	switch c.sess.since.changes.PerItem[id].Kind {
	case progress.ChangeFixed:
		return c.styles.Status[steps.StatusPass].Render(markFixed)
	case progress.ChangeNewProblem:
		return c.styles.Status[steps.StatusFail].Render(markNew)
	case progress.ChangeOther:
		return c.styles.Dim.Render(markChanged)
	}
	return " "
}

// sinceLine is the header's "Since last run (20 Nov 2026 19:36): ▲ 3
// fixed · ▼ 1 new problem · 2 unchanged", counted over the items shown;
// the marks double as the legend of the checklist's row marks. "" until a
// pass completes.
func (c *common) sinceLine(w int) string {
	if !c.sess.since.ok {
		return ""
	}
	st := c.styles
	fixed, newProblems, other, unchanged := c.sinceTally()
	at := c.cfg.Since.At.In(c.cfg.Now().Location())
	long := st.HeaderDim.Render("Since last run (" + at.Format("2 Jan 2006 15:04") + "): ")
	short := st.HeaderDim.Render("Since " + at.Format("2 Jan 15:04") + ": ")
	// Pick the form by the longest the counts can get in this session (an
	// "other" part and two-digit numbers), so the header keeps one format
	// while results arrive.
	n := len(c.sess.listed())
	for _, form := range []struct {
		prefix  string
		compact bool
	}{{long, false}, {short, false}, {short, true}} {
		widest := form.prefix + c.sinceCounts(n, n, n, n, form.compact)
		if ansi.StringWidth(widest) <= w {
			return form.prefix + c.sinceCounts(fixed, newProblems, other, unchanged, form.compact)
		}
	}
	return ansi.Truncate(short+c.sinceCounts(fixed, newProblems, other, unchanged, true), w, "…")
}

// sinceTally counts the changes since the last run over the items shown,
// so the numbers add up to the checklist.
func (c *common) sinceTally() (fixed, newProblems, other, unchanged int) {
	for _, s := range c.sess.listed() {
		switch c.sess.since.changes.PerItem[s.item.ID].Kind {
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
	return fixed, newProblems, other, unchanged
}

// sinceCounts is "▲ 3 fixed · ▼ 1 new problem · • 1 other change · 2
// unchanged", or in compact words "▲ 3 fixed · ▼ 1 new · • 1 other · 2 same".
func (c *common) sinceCounts(fixed, newProblems, other, unchanged int, compact bool) string {
	st := c.styles
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
func (c *common) demoNote() string {
	switch {
	case !c.cfg.DemoResumedAt.IsZero():
		return "Continued from " + c.cfg.DemoResumedAt.In(c.cfg.Now().Location()).Format("2 Jan 15:04") +
			" · start over: rootguard --demo --reset-demo"
	case c.cfg.DemoSaving:
		return "Kept for next time · start over: --reset-demo · keep nothing: --no-save"
	}
	return ""
}
