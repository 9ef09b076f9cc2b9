package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
)

// summaryScreen is where the account stands: the tally, what was fixed
// this session and since the last run, and what is still open.
type summaryScreen struct {
	c    *common
	keys SummaryKeys
	vp   viewport.Model
}

// summaryWidth is the widest the summary's text runs.
const summaryWidth = 80

func newSummaryScreen(c *common) summaryScreen {
	return summaryScreen{c: c, keys: c.keys.Summary, vp: viewport.New()}
}

func (s *summaryScreen) open() { s.vp.GotoTop() }

func (s *summaryScreen) sync(w, h int) {
	s.keys.RecheckAll.SetEnabled(s.c.sess.identity != nil)
	s.c.setDemoKeys(&s.keys.Demo, true, false)
	s.keys.NextOpen.SetEnabled(s.c.sess.mostImportantOpen() != "")
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h-1, 1))
	s.vp.SetContent(s.content(min(w-1, summaryWidth)))
}

func (s summaryScreen) Update(msg tea.Msg) (summaryScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Quit):
		return s, do(quitMsg{})
	case key.Matches(k, s.keys.Back):
		return s, do(openChecklistMsg{})
	case key.Matches(k, s.keys.NextOpen):
		return s, do(openStepMsg{ID: s.c.sess.mostImportantOpen()})
	case scroll(&s.vp, s.keys.ScrollKeys, k):
	case key.Matches(k, s.keys.RecheckAll):
		return s, do(recheckMsg{All: true})
	}
	if cmd, ok := demoKey(k, s.keys.Demo); ok {
		return s, cmd
	}
	return s, nil
}

func (s summaryScreen) help() helpKeys {
	k := s.keys
	h := s.c.helpKey()
	short := []key.Binding{k.Back, k.NextOpen, k.Demo.SignIn, k.RecheckAll, h, k.Quit}
	return helpKeys{short: short, full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Back, k.NextOpen, k.RecheckAll}, {h, k.Quit, s.c.keys.Global.Interrupt},
		{k.Demo.SignIn, k.Demo.Undo, k.Demo.StartOver}}}
}

func (s summaryScreen) View(w, h int) string {
	return s.vp.View() + "\n" + s.c.scrollRule(&s.vp, w, s.keys.Down)
}

func (s summaryScreen) content(w int) string {
	c := s.c
	st := c.styles
	t := c.sess.tally()
	n := c.sess.counts()
	count := map[steps.Status]int{}
	var fixed, open, na []*itemState
	for _, it := range c.sess.listed() {
		if !it.has {
			continue
		}
		count[it.result.Status]++
		switch {
		case it.result.Status == steps.StatusNA:
			na = append(na, it)
		case it.result.Status.Open():
			open = append(open, it)
		}
		if it.fixedThisSession() {
			fixed = append(fixed, it)
		}
	}
	slices.SortStableFunc(open, func(x, y *itemState) int {
		return severityRank[x.item.Severity] - severityRank[y.item.Severity]
	})
	para := func(style func(...string) string, text, first, rest string) string {
		return wrap(style(text), w, first, rest)
	}
	var b []string
	switch {
	case n.checking > 0:
		b = append(b, st.Title.Render("Summary")+st.Dim.Render(fmt.Sprintf("  (%s %d still checking)", c.spin(), n.checking)))
	case t.Open == 0:
		b = append(b, st.Status[steps.StatusPass].Bold(true).Render("✓ All done: nothing is left open."))
	default:
		b = append(b, st.Title.Render("Summary"))
	}
	done := fmt.Sprintf("%d of %d items done, %d still open", t.Done, t.Listed, t.Open)
	if n.na > 0 {
		done += fmt.Sprintf(", %d %s not apply", n.na, plural(n.na, "does", "do"))
	}
	if t.Score.Warn > 0 {
		done += " (a warning counts half)"
	}
	b = append(b, "", wrap(st.Bold.Render("Score "+t.Score.String())+st.Text.Render(" · "+done+"."), w, "", ""))
	var parts []string
	for _, stt := range steps.Statuses {
		if k := count[stt]; k > 0 {
			parts = append(parts, st.Status[stt].Render(fmt.Sprintf("%s %d %s", stt.Glyph(), k, stt)))
		}
	}
	b = append(b, wrap(strings.Join(parts, st.Dim.Render(" · ")), w, "", ""))

	b = append(b, "", st.Section.Render(fmt.Sprintf("Fixed this session (%d)", len(fixed))))
	if len(fixed) == 0 {
		b = append(b, st.Dim.Render("  Nothing yet this session."))
	}
	for _, it := range fixed {
		b = append(b, wrap(c.statusCell(it)+st.Text.Render(it.item.Title), w, "  ", "             "))
	}
	b = append(b, s.sinceLastRun(w)...)

	b = append(b, "", st.Section.Render(fmt.Sprintf("Still open (%d), most important first", len(open))))
	if len(open) == 0 {
		b = append(b, st.Dim.Render("  Nothing. Well done."))
	}
	for _, it := range open {
		b = append(b, wrap(c.statusCell(it)+st.Severity[it.item.Severity].Render(fmt.Sprintf("%-9s", it.item.Severity))+st.Text.Render(it.item.Title),
			w, "  ", strings.Repeat(" ", 22)))
		why := safetext.Line(it.result.Summary)
		if w := c.waitsFor(it); w != "" {
			why = w + " · " + why
		}
		if it.result.Todo != "" {
			why += " → " + safetext.Line(it.result.Todo)
		}
		if why != "" {
			b = append(b, para(st.Dim.Render, why, "             ", "             "))
		}
	}
	if len(na) > 0 {
		b = append(b, "", st.Section.Render(fmt.Sprintf("Does not apply (%d)", len(na))))
		for _, it := range na {
			b = append(b, para(st.Dim.Render, it.item.Title+": "+safetext.Line(it.result.Summary), "  – ", "    "))
		}
	}
	next := fmt.Sprintf("Press %s for the checklist, %s to re-check everything, %s to quit.",
		keyName(s.keys.Back), keyName(s.keys.RecheckAll), keyName(s.keys.Quit))
	if len(open) > 0 {
		next = fmt.Sprintf("Press %s to go to the most important open item, %s for the checklist, %s to quit.",
			keyName(s.keys.NextOpen), keyName(s.keys.Back), keyName(s.keys.Quit))
	}
	b = append(b, "", para(st.Text.Render, next, "", ""))
	if line := c.demoKeysLine(s.keys.Demo); line != "" {
		b = append(b, "", wrap(line, w, "", "       "))
	}
	return strings.Join(b, "\n")
}

// sinceLastRun is the summary's "Since the last run" section: the counts
// and the items that were fixed or became a problem since the saved run.
func (s summaryScreen) sinceLastRun(w int) []string {
	c := s.c
	if !c.sess.since.ok {
		return nil
	}
	st := c.styles
	at := c.cfg.Since.At.In(c.cfg.Now().Location())
	fixed, newProblems, other, unchanged := c.sinceTally()
	counts := c.sinceCounts(fixed, newProblems, other, unchanged, false)
	b := []string{"", st.Section.Render("Since the last run (" + at.Format("2 Jan 2006 15:04") + ")"),
		wrap(counts, w, "  ", "  ")}
	for _, it := range c.sess.listed() {
		switch c.sess.since.changes.PerItem[it.item.ID].Kind {
		case progress.ChangeFixed:
			b = append(b, wrap(st.Status[steps.StatusPass].Render(markFixed+" fixed   ")+st.Text.Render(it.item.Title), w, "  ", "            "))
		case progress.ChangeNewProblem:
			b = append(b, wrap(st.Status[steps.StatusFail].Render(markNew+" new     ")+st.Text.Render(it.item.Title), w, "  ", "            "))
		}
	}
	return b
}
