package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops/safetext"
)

// What a screen shows of AWS data is bounded: an account can hold 50,000
// users, and the wizard draws a frame per keystroke. Long lists are cut
// on screen with a count of the rest; the reports hold them in full.

const (
	// maxDetailsShown is how many of a result's detail lines the step
	// screen shows.
	maxDetailsShown = 12
	// maxValueCells bounds one evidence value on screen (about three lines).
	maxValueCells = 240
)

// shownValue is an evidence value as a screen shows it: on one line with
// every unsafe character visible, a comma-separated list cut to what fits
// in budget cells ("alice, bob and 49,998 more"), anything else cut at
// maxValueCells.
func shownValue(v string, budget int) string {
	v = safetext.Line(v)
	budget = min(max(budget, 20), maxValueCells)
	if ansi.StringWidth(v) <= budget {
		return v
	}
	if names := strings.Split(v, ", "); len(names) > 2 {
		return capList(names, budget)
	}
	return ansi.Truncate(v, budget, "…")
}

// capList joins as many names as fit in budget cells (two at least) and
// says how many more there are.
func capList(names []string, budget int) string {
	shown := 0
	width := 0
	for i, n := range names {
		more := " and " + thousands(len(names)-i-1) + " more"
		w := width + ansi.StringWidth(n)
		if i > 0 {
			w += 2
		}
		if i >= 2 && w+ansi.StringWidth(more) > budget {
			break
		}
		width, shown = w, i+1
	}
	if shown >= len(names) {
		return strings.Join(names, ", ")
	}
	head := names[:shown]
	for i, n := range head {
		if ansi.StringWidth(n) > budget/2 {
			head[i] = ansi.Truncate(n, budget/2, "…")
		}
	}
	return strings.Join(head, ", ") + " and " + thousands(len(names)-shown) + " more"
}

// shownDetails are the first maxDetailsShown detail lines, sanitized, and
// how many were left out.
func shownDetails(details []string) (shown []string, more int) {
	n := min(len(details), maxDetailsShown)
	shown = make([]string, n)
	for i, d := range details[:n] {
		shown[i] = safetext.Line(d)
		if ansi.StringWidth(shown[i]) > maxValueCells {
			shown[i] = ansi.Truncate(shown[i], maxValueCells, "…")
		}
	}
	return shown, len(details) - n
}

// thousands writes n with thousands separators: 49,998.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
