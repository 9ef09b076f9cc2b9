package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "rootguard"
	if a.identity != nil {
		v.WindowTitle = "rootguard · " + a.identity.Account
	}
	return v
}

func (a *App) render() string {
	if a.tooSmall() {
		return a.tooSmallView()
	}
	if a.screen == screenQR {
		return a.qrView(a.width, a.height)
	}
	header, footer := a.headerView(), a.footerView()
	h := a.bodyHeight(header, footer)
	var body string
	switch a.screen {
	case screenIdentity:
		body = a.identityView(a.width, h)
	case screenChecklist:
		body = a.checklistView(a.width, h)
	case screenStep:
		body = a.stepView(a.width, h)
	case screenSummary:
		body = a.summaryView(a.width, h)
	case screenFix:
		body = a.fixView(a.width, h)
	}
	return header + "\n" + fit(body, a.width, h) + "\n" + footer
}

func (a *App) bodyHeight(header, footer string) int {
	return max(a.height-lipgloss.Height(header)-lipgloss.Height(footer), 1)
}

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

func (a *App) headerView() string {
	st := a.styles
	left := st.Brand.Render("rootguard") + "  "
	if a.identity == nil {
		left += st.HeaderDim.Render("connecting to AWS…")
	} else {
		id := a.identity
		acct := id.Account
		if id.Alias != "" {
			acct += " (" + id.Alias + ")"
		}
		if a.width >= 100 {
			acct = "Account " + acct
		}
		full := st.HeaderText.Render(acct) + st.HeaderDim.Render(" · ") +
			st.HeaderText.Render(callerName(id)) + st.HeaderDim.Render(" · ") + st.HeaderText.Render(a.regionName())
		// The caller gives way first, then the alias.
		for _, try := range []string{
			full,
			st.HeaderText.Render(acct) + st.HeaderDim.Render(" · ") + st.HeaderText.Render(a.regionName()),
			st.HeaderText.Render(id.Account) + st.HeaderDim.Render(" · ") + st.HeaderText.Render(a.regionName()),
		} {
			left = st.Brand.Render("rootguard") + "  " + try
			if ansi.StringWidth(left)+1+headerBadgesWidth(a) <= a.width {
				break
			}
		}
	}
	var badges []string
	if a.cfg.DryRun {
		badges = append(badges, st.DryRunBadge.Render(" DRY RUN "))
	}
	if a.cfg.Demo {
		demo := " DEMO ACCOUNT "
		if a.cfg.DryRun || a.width < 80 {
			demo = " DEMO "
		}
		badges = append(badges, st.DemoBadge.Render(demo))
	}
	right := strings.Join(badges, " ")
	lines := []string{rightAlign(left, right, a.width)}
	if since := a.sinceLine(); since != "" {
		lines = append(lines, since)
	}
	if a.identity != nil && a.identity.IsRoot {
		msg := "⚠ Signed in as root: set up a daily-use admin identity and stop using root."
		if a.identity.Credentials == awsops.CredentialsLongTerm && a.identity.AccessKeyID != "" {
			msg = "⚠ Signed in as root with a root access key (" + awsops.MaskKey(a.identity.AccessKeyID) + "). Root keys should not exist."
		}
		lines = append(lines, wrap(st.RootBanner.Render(msg), a.width, "", "  "))
	}
	lines = append(lines, st.Dim.Render(strings.Repeat("─", a.width)))
	return strings.Join(lines, "\n")
}

// headerBadgesWidth is the width of the header's badges (see headerView).
func headerBadgesWidth(a *App) int {
	n := 0
	if a.cfg.DryRun {
		n += len(" DRY RUN ") + 1
	}
	if a.cfg.Demo {
		n += len(" DEMO ")
	}
	return n
}

func (a *App) regionName() string {
	if a.cfg.Region == "" {
		return "region not set"
	}
	return a.cfg.Region
}

// callerName is who is calling, short: "root user", "user/alice",
// "assumed-role/Admin/alice".
func callerName(id *awsops.Identity) string {
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

func (a *App) footerView() string {
	st := a.styles
	flash := ""
	if a.flash != "" {
		style := st.Flash
		if a.flashBad {
			style = st.Error
		}
		flash = wrap(style.Render(a.flash), a.width, "", "")
	}
	return flash + "\n" + a.helpView()
}

// helpView is the footer's key help. It never cuts a key off: the short
// line drops optional hints first (from the end), keeping help, quit and
// back; the full help lays its columns out in more rows.
func (a *App) helpView() string {
	k := a.screenKeys()
	h := a.help
	h.SetWidth(0)
	if a.help.ShowAll {
		var rows []string
		var row [][]key.Binding
		for _, g := range k.full {
			try := append(slices.Clone(row), g)
			if len(row) > 0 && lipgloss.Width(h.FullHelpView(try)) > a.width {
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
	short := k.short
	for lipgloss.Width(h.ShortHelpView(short)) > a.width {
		i := len(short) - 1
		for i >= 0 && alwaysShown(short[i]) {
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

// screenKeys is the help for the current screen; keys that do nothing here
// are left out.
func (a *App) screenKeys() screenKeys {
	k := a.keys
	if a.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
	switch a.screen {
	case screenIdentity:
		var short []key.Binding
		if a.identity != nil {
			short = append(short, k.Continue)
		}
		if a.identityErr != nil {
			retry := k.Recheck
			retry.SetHelp("r", "retry")
			short = append(short, retry)
		}
		short = append(short, k.Quit)
		return screenKeys{short: short, full: [][]key.Binding{short}}
	case screenChecklist:
		return screenKeys{
			short: []key.Binding{k.Open, k.NextOpen, k.Summary, k.Help, k.Quit, k.Recheck},
			full: [][]key.Binding{nav, {k.Open, k.NextOpen, k.Recheck, k.RecheckAll},
				{k.Summary, k.Help, k.Quit, k.Interrupt}},
		}
	case screenStep:
		s := a.byID[a.stepID]
		back := key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back to list"))
		short := []key.Binding{k.NextOpen, back, k.Help, k.Recheck}
		var actions []key.Binding
		if s.item.Kind == steps.KindAttest {
			if s.result.Status == steps.StatusAttested {
				actions = append(actions, k.Unattest)
			} else {
				actions = append(actions, k.Attest)
			}
		}
		if s.item.ConsoleURL != "" {
			actions = append(actions, k.Copy)
			if a.cfg.OpenURL != nil {
				actions = append(actions, k.Browser)
			}
			actions = append(actions, k.QR)
		}
		if s.item.Kind == steps.KindAuto && fixAvailable(s.item.ID) {
			actions = append([]key.Binding{k.Fix}, actions...)
		}
		if a.canSimulate(s.item.ID) {
			actions = append(actions, k.Simulate)
		}
		short = append(short, actions...)
		return screenKeys{
			short: short,
			full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown},
				{k.NextOpen, k.NextItem, k.PrevItem, back},
				append([]key.Binding{k.Recheck, k.RecheckAll}, actions...),
				{k.Summary, k.Help, k.Interrupt}},
		}
	case screenSummary:
		back := k.Back
		back.SetHelp("esc", "checklist")
		short := []key.Binding{back, k.NextOpen, k.RecheckAll, k.Help, k.Quit}
		return screenKeys{short: short, full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown},
			{back, k.NextOpen, k.RecheckAll}, {k.Help, k.Quit, k.Interrupt}}}
	case screenFix:
		return a.fixScreenKeys()
	}
	back := k.Back
	back.SetHelp("esc", "back")
	return screenKeys{short: []key.Binding{back}, full: [][]key.Binding{{back}}}
}

func (a *App) tooSmallView() string {
	msg := fmt.Sprintf("Make the terminal larger.\n\nrootguard needs at least %d×%d;\nthis one is %d×%d.\n\nq quits.",
		minWidth, minHeight, a.width, a.height)
	return lipgloss.Place(max(a.width, 1), max(a.height, 1), lipgloss.Center, lipgloss.Center,
		lipgloss.NewStyle().Align(lipgloss.Center).Render(msg))
}

// progressLine is "[bar] 28% · 4 of 18 done · 10 to do · 2 checking": the
// score (steps.ScoreOf) over the items shown, as on the summary and in
// every report.
func (a *App) progressLine(w int) string {
	statuses := make([]steps.Status, 0, len(a.items))
	checking := 0
	for _, s := range a.visibleItems() {
		if s.checking || !s.has {
			checking++
			continue
		}
		statuses = append(statuses, s.result.Status)
	}
	score := steps.ScoreOf(statuses)
	text := fmt.Sprintf(" %s · %d of %d done", score, score.Done, score.Applicable)
	if todo := score.Open + score.Warn; todo > 0 {
		text += fmt.Sprintf(" · %d to do", todo)
	}
	if checking > 0 {
		text += fmt.Sprintf(" · %s %d checking", a.spinner.View(), checking)
	}
	barW := min(max(w-ansi.StringWidth(text)-1, 10), 40)
	bar := progress.New(progress.WithColors(a.styles.ProgressFull), progress.WithoutPercentage(),
		progress.WithWidth(barW), progress.WithFillCharacters('█', '░'))
	bar.EmptyColor = a.styles.ProgressEmpty
	return bar.ViewAs(float64(score.Percent)/100) + text
}

// statusCell is glyph and word, e.g. "✓ pass", padded to width 11.
func (a *App) statusCell(s *itemState) string {
	st := s.status()
	glyph := st.Glyph()
	if st == steps.StatusChecking {
		glyph = a.spinner.View()
	}
	word := string(st)
	return a.styles.Status[st].Render(glyph+" "+word) + strings.Repeat(" ", max(11-2-len(word), 1))
}
