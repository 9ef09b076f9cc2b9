package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// checklistScreen is every item by phase, with a cursor.
type checklistScreen struct {
	c      *common
	keys   ChecklistKeys
	cursor string // selected item
	offset int    // first list line shown
	height int    // list lines shown (from the last sync)
}

// listChrome is the checklist body's lines around the list: progress,
// blank, and the rule plus two lines about the selected item.
const listChrome = 5

func newChecklistScreen(c *common) checklistScreen {
	s := checklistScreen{c: c, keys: c.keys.Checklist, height: 1}
	if len(c.sess.items) > 0 {
		s.cursor = c.sess.items[0].item.ID
	}
	return s
}

func (s *checklistScreen) setKeys() {
	ready := s.c.sess.identity != nil
	enable(ready, &s.keys.Recheck, &s.keys.RecheckAll)
	s.c.setDemoKeys(&s.keys.Demo, false, false)
}

// sync keeps the cursor on a listed item and in view.
func (s *checklistScreen) sync(w, h int) {
	s.setKeys()
	list := s.c.sess.listed()
	if len(list) > 0 && indexOf(list, s.cursor) < 0 {
		s.cursor = list[0].item.ID
	}
	lines, cur := s.lines(w)
	s.height = max(h-listChrome, 1)
	if cur-1 < s.offset {
		s.offset = max(cur-1, 0)
	}
	if cur+1 >= s.offset+s.height {
		s.offset = cur + 2 - s.height
	}
	s.offset = min(max(s.offset, 0), max(len(lines)-s.height, 0))
}

func (s checklistScreen) Update(msg tea.Msg) (checklistScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	list := s.c.sess.listed()
	if len(list) == 0 {
		return s, nil
	}
	i := max(indexOf(list, s.cursor), 0)
	move := func(to int) { s.cursor = list[min(max(to, 0), len(list)-1)].item.ID }
	page := max(s.height-2, 1)
	switch {
	case key.Matches(k, s.keys.Quit):
		return s, do(quitMsg{})
	case key.Matches(k, s.keys.Up):
		move(i - 1)
	case key.Matches(k, s.keys.Down):
		move(i + 1)
	case key.Matches(k, s.keys.PageUp):
		move(i - page)
	case key.Matches(k, s.keys.PageDown):
		move(i + page)
	case key.Matches(k, s.keys.Top):
		move(0)
	case key.Matches(k, s.keys.Bottom):
		move(len(list) - 1)
	case key.Matches(k, s.keys.Open):
		return s, do(openStepMsg{ID: s.cursor})
	case key.Matches(k, s.keys.NextOpen):
		switch id := s.c.sess.nextOpen(s.cursor); {
		case id != "":
			s.cursor = id
		case list[i].open():
			return s, flash("This is the only item left to do.")
		default:
			return s, flash(fmt.Sprintf("Nothing needs attention. Press %s for the summary.", keyName(s.keys.Summary)))
		}
	case key.Matches(k, s.keys.Recheck):
		return s, do(recheckMsg{IDs: []string{s.cursor}})
	case key.Matches(k, s.keys.RecheckAll):
		return s, do(recheckMsg{All: true})
	case key.Matches(k, s.keys.Summary):
		return s, do(openSummaryMsg{})
	}
	if cmd, ok := demoKey(k, s.keys.Demo); ok {
		return s, cmd
	}
	return s, nil
}

func (s checklistScreen) help() helpKeys {
	k := s.keys
	h := s.c.helpKey()
	return helpKeys{
		short: []key.Binding{k.Open, k.NextOpen, k.Summary, h, k.Quit, k.Recheck},
		full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Open, k.NextOpen, k.Recheck, k.RecheckAll},
			{k.Summary, h, k.Quit, s.c.keys.Global.Interrupt},
			{k.Demo.Undo, k.Demo.StartOver}},
	}
}

func (s checklistScreen) lines(w int) (lines []string, cursor int) {
	st := s.c.styles
	var phase steps.Phase
	for _, it := range s.c.sess.listed() {
		if it.item.Phase != phase {
			phase = it.item.Phase
			lines = append(lines, st.Phase.Render(fmt.Sprintf("%d · %s", int(phase), phase.Title())))
		}
		selected := it.item.ID == s.cursor
		if selected {
			cursor = len(lines)
		}
		lines = append(lines, s.row(it, min(w, 100), selected))
	}
	return lines, cursor
}

func (s checklistScreen) row(it *itemState, w int, selected bool) string {
	st := s.c.styles
	marker := "  "
	title := st.Text.Render(it.item.Title)
	if selected {
		marker = st.Cursor.Render("▸ ")
		title = st.Title.Render(it.item.Title)
	}
	sevStyle := st.Severity[it.item.Severity]
	if !it.open() {
		sevStyle = st.Dim
	}
	left := marker + s.c.statusCell(it) + title
	right := sevStyle.Render(fmt.Sprintf("%8s", it.item.Severity))
	if mark := s.c.rowMark(it.item.ID); mark != "" {
		right = mark + " " + right
	}
	line := rightAlign(left, right, w)
	if selected {
		line = st.Selected.Render(line)
	}
	return line
}

func (s checklistScreen) View(w, h int) string {
	st := s.c.styles
	lines, _ := s.lines(w)
	lh := max(h-listChrome, 1)
	end := min(s.offset+lh, len(lines))
	visible := lines[min(s.offset, end):end]
	rule := strings.Repeat("─", w)
	if below := len(lines) - end; below > 0 || s.offset > 0 {
		tag := ""
		if s.offset > 0 {
			tag += fmt.Sprintf(" ↑ %d more", s.offset)
		}
		if below > 0 {
			tag += fmt.Sprintf(" ↓ %d more", below)
		}
		tag += " "
		rule = strings.Repeat("─", max(w-ansi.StringWidth(tag)-2, 0)) + tag + "──"
	}
	var detail []string
	if it := s.c.sess.byID[s.cursor]; it != nil && it.listed() {
		text := statusMeaning(it.status())
		if it.has && !it.checking && it.result.Summary != "" {
			text = safetext.Line(it.result.Summary)
		}
		if w := s.c.waitsFor(it); w != "" {
			text = w + " · " + text
		}
		d := strings.Split(wrap(st.Dim.Render(text), w, "", ""), "\n")
		if len(d) > 2 {
			d = d[:2]
			d[1] = ansi.Truncate(d[1], w-1, "") + "…"
		}
		detail = d
	}
	body := []string{s.c.progressLine(w), ""}
	body = append(body, visible...)
	for len(body) < 2+lh {
		body = append(body, "")
	}
	body = append(body, st.Dim.Render(rule))
	body = append(body, detail...)
	return strings.Join(body, "\n")
}
