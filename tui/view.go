package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// Layout shared by the screens: the header and footer around every body,
// and the pieces several screens draw.

// Smallest terminal the layout works in.
const (
	minWidth  = 60
	minHeight = 16
)

// contentWidth keeps prose readable on wide terminals.
func contentWidth(w int) int { return min(w-1, 100) }

// fit cuts or pads s to exactly h lines no wider than w.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// rightAlign puts right at the end of a w-wide line that starts with left.
func rightAlign(left, right string, w int) string {
	gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return ansi.Truncate(left, max(w-ansi.StringWidth(right)-1, 0), "…") + " " + right
	}
	return left + strings.Repeat(" ", gap) + right
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// header is the brand, the account, the badges, the since-last-run line
// and the root warning. The identity screen shows no since line (it has
// its own progress line).
func (c *common) header(withSince bool) string {
	st := c.styles
	w := c.width
	var badges []string
	if c.cfg.DryRun {
		badges = append(badges, st.DryRunBadge.Render(" DRY RUN "))
	}
	if c.cfg.Demo {
		demo := " DEMO ACCOUNT "
		if c.cfg.DryRun || w < 80 {
			demo = " DEMO "
		}
		if c.cfg.DemoScenario != "" {
			demo += "· " + c.cfg.DemoScenario + " "
		}
		badges = append(badges, st.DemoBadge.Render(demo))
	}
	badge := strings.Join(badges, " ")
	left := st.Brand.Render("rootguard") + "  "
	if id := c.sess.identity; id == nil {
		left += st.HeaderDim.Render("connecting to AWS…")
	} else {
		acct := safetext.Line(id.Account)
		if id.Alias != "" {
			acct += " (" + safetext.Line(id.Alias) + ")"
		}
		if w >= 100 {
			acct = "Account " + acct
		}
		sep := st.HeaderDim.Render(" · ")
		// The caller gives way first, then the alias.
		for _, try := range []string{
			st.HeaderText.Render(acct) + sep + st.HeaderText.Render(callerName(id)) + sep + st.HeaderText.Render(c.regionName()),
			st.HeaderText.Render(acct) + sep + st.HeaderText.Render(c.regionName()),
			st.HeaderText.Render(safetext.Line(id.Account)) + sep + st.HeaderText.Render(c.regionName()),
		} {
			left = st.Brand.Render("rootguard") + "  " + try
			if ansi.StringWidth(left)+1+ansi.StringWidth(badge) <= w {
				break
			}
		}
	}
	lines := []string{rightAlign(left, badge, w)}
	if since := c.sinceLine(w); withSince && since != "" {
		lines = append(lines, since)
	}
	if id := c.sess.identity; id != nil && id.IsRoot {
		msg := "⚠ Signed in as root: set up a daily-use admin identity and stop using root."
		if id.Credentials == awsops.CredentialsLongTerm && id.AccessKeyID != "" {
			msg = "⚠ Signed in as root with a root access key (" + awsops.MaskKey(id.AccessKeyID) + "). Root keys should not exist."
		}
		lines = append(lines, wrap(st.RootBanner.Render(msg), w, "", "  "))
	}
	lines = append(lines, st.Dim.Render(strings.Repeat("─", w)))
	return strings.Join(lines, "\n")
}

func (c *common) regionName() string {
	if c.cfg.Region == "" {
		return "region not set"
	}
	return safetext.Line(c.cfg.Region)
}

// callerName is who is calling, short: "root user", "user/alice",
// "assumed-role/Admin/alice"; sanitized.
func callerName(id *awsops.Identity) string { return safetext.Line(callerPath(id)) }

func callerPath(id *awsops.Identity) string {
	if id.IsRoot {
		return "root user"
	}
	arn := id.ARN
	if i := strings.Index(arn, ":"+id.Account+":"); i >= 0 && id.Account != "" {
		return arn[i+len(id.Account)+2:]
	}
	if arn == "" {
		return "unknown caller"
	}
	return arn
}

// helpView is the footer's key help for km. It never cuts a key off: the
// short line drops optional hints first (from the end), keeping help,
// quit and back; the full help lays its columns out in more rows.
func helpView(h help.Model, km help.KeyMap, w int, showAll bool) string {
	h.SetWidth(0)
	if showAll {
		var rows []string
		var row [][]key.Binding
		for _, g := range km.FullHelp() {
			try := append(slices.Clone(row), g)
			if len(row) > 0 && lipgloss.Width(h.FullHelpView(try)) > w {
				rows = append(rows, h.FullHelpView(row))
				try = [][]key.Binding{g}
			}
			row = try
		}
		if len(row) > 0 {
			rows = append(rows, h.FullHelpView(row))
		}
		return strings.Join(rows, "\n")
	}
	short := km.ShortHelp()
	for lipgloss.Width(h.ShortHelpView(short)) > w {
		i := len(short) - 1
		for i >= 0 && (alwaysShown(short[i]) || !short[i].Enabled()) {
			i--
		}
		if i < 0 {
			break
		}
		short = slices.Delete(slices.Clone(short), i, i+1)
	}
	return h.ShortHelpView(short)
}

// alwaysShown: the keys to get help, to quit and to go back stay in the
// footer at any width.
func alwaysShown(b key.Binding) bool {
	for _, k := range b.Keys() {
		if k == "?" || k == "q" || k == "esc" {
			return true
		}
	}
	return false
}

func tooSmallView(w, h int) string {
	msg := fmt.Sprintf("Make the terminal larger.\n\nrootguard needs at least %d×%d;\nthis one is %d×%d.\n\nq quits.",
		minWidth, minHeight, w, h)
	return lipgloss.Place(max(w, 1), max(h, 1), lipgloss.Center, lipgloss.Center,
		lipgloss.NewStyle().Align(lipgloss.Center).Render(msg))
}

// progressLine is "[bar] 28% · 4 of 18 done · 10 to do · 2 n/a": the
// session's tally (steps.TallyOf), as on the summary and in every report.
// Its parts add up to the items listed.
func (c *common) progressLine(w int) string {
	t := c.sess.tally()
	n := c.sess.counts()
	text := fmt.Sprintf(" %s · %d of %d done", t.Score, t.Done, t.Listed)
	if t.Open > 0 {
		text += fmt.Sprintf(" · %d to do", t.Open)
	}
	if n.na > 0 {
		text += fmt.Sprintf(" · %d n/a", n.na)
	}
	switch {
	case n.checking > 0:
		text += fmt.Sprintf(" · %s %d checking", c.spin(), n.checking)
	case n.inFlight > 0:
		text += fmt.Sprintf(" · %s re-checking %d", c.spin(), n.inFlight)
	}
	barW := min(max(w-ansi.StringWidth(text)-1, 10), 40)
	bar := progress.New(progress.WithColors(c.styles.ProgressFull), progress.WithoutPercentage(),
		progress.WithWidth(barW), progress.WithFillCharacters('█', '░'))
	bar.EmptyColor = c.styles.ProgressEmpty
	return bar.ViewAs(float64(t.Score.Percent)/100) + text
}

// statusCell is glyph and word, e.g. "✓ pass", padded to width 11.
func (c *common) statusCell(s *itemState) string {
	st := s.status()
	glyph := st.Glyph()
	if st == steps.StatusChecking {
		glyph = c.spin()
	}
	word := string(st)
	return c.styles.Status[st].Render(glyph+" "+word) + strings.Repeat(" ", max(11-2-len(word), 1))
}

// scrollRule is the rule under a viewport, with where it is scrolled to.
func (c *common) scrollRule(vp interface {
	TotalLineCount() int
	Height() int
	AtBottom() bool
	ScrollPercent() float64
}, w int, down key.Binding) string {
	scroll := ""
	if vp.TotalLineCount() > vp.Height() {
		pos := "↓ more below (" + keyName(down) + ", pgdn)"
		if vp.AtBottom() {
			pos = "end"
		}
		scroll = fmt.Sprintf(" %d%% · %s ", int(vp.ScrollPercent()*100), pos)
	}
	return c.styles.Dim.Render(strings.Repeat("─", max(w-ansi.StringWidth(scroll)-2, 0)) + scroll + "──")
}

// evidenceRows lays out a check's key/value evidence with aligned values:
// keys and values sanitized, a long list cut to about two lines with a
// count of the rest (shownValue).
func evidenceRows(ev []steps.Evidence, w, indent int, st Styles) []string {
	return keyValueRows(ev, w, indent, st, true)
}

// paramRows lays out what a write sends (a call's parameters, the fields
// kept): every value whole, as it will be written, its line breaks kept
// and every other unsafe character made visible (safetext.Text).
func paramRows(ev []steps.Evidence, w, indent int, st Styles) []string {
	return keyValueRows(ev, w, indent, st, false)
}

func keyValueRows(ev []steps.Evidence, w, indent int, st Styles, capped bool) []string {
	keys := make([]string, len(ev))
	kw := 0
	for i, e := range ev {
		keys[i] = safetext.Line(e.Key)
		if ansi.StringWidth(keys[i]) > w/2 {
			keys[i] = ansi.Truncate(keys[i], max(w/2, 4), "…")
		}
		kw = max(kw, ansi.StringWidth(keys[i]))
	}
	kw = min(kw, w/2)
	pad := strings.Repeat(" ", indent)
	budget := 2 * max(w-kw-indent-2, 10)
	var b []string
	for i, e := range ev {
		k := keys[i] + strings.Repeat(" ", max(kw-ansi.StringWidth(keys[i]), 0))
		v := safetext.Text(e.Value)
		if capped {
			v = shownValue(e.Value, budget)
		}
		b = append(b, wrap(st.Text.Render(v), w, pad+st.Dim.Render(k)+"  ", strings.Repeat(" ", kw+indent+2)))
	}
	return b
}

// statusMeaning explains a status in words a first-time user understands.
func statusMeaning(st steps.Status) string {
	switch st {
	case steps.StatusPass:
		return "done: verified live in your account"
	case steps.StatusFail:
		return "needs fixing"
	case steps.StatusWarn:
		return "works, but weaker than recommended"
	case steps.StatusManual:
		return "no AWS API can verify this: follow the steps, then mark it done"
	case steps.StatusAttested:
		return "you marked this done"
	case steps.StatusNA:
		return "does not apply to this account"
	case steps.StatusUnknown:
		return "could not be verified (see why below)"
	case steps.StatusChecking:
		return "asking AWS…"
	}
	return string(st)
}

// verdictLine is "✓ PASS  done: verified live in your account".
func (c *common) verdictLine(status steps.Status) string {
	st := c.styles
	return st.Status[status].Render(status.Glyph()+" "+strings.ToUpper(string(status))) + "  " + st.Dim.Render(statusMeaning(status))
}
