package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// fixChrome is the fix screen's lines around its content: the title line
// and the rule under it.
const fixChrome = 2

// formErrorLines is room under a form for a blank line and a field's error.
const formErrorLines = 3

// syncFix fits the form or the viewport to the body height h.
func (a *App) syncFix(h int) {
	f := a.fix
	if f == nil {
		return
	}
	w := contentWidth(a.width)
	switch f.stage {
	case fixEditing:
		// huh puts a field's error under the group: keep three lines for it.
		fw, fh := min(w, 90), max(h-fixChrome-formErrorLines, 4)
		if f.form != nil && (fw != f.formW || fh != f.formH) {
			f.form = f.form.WithWidth(fw).WithHeight(fh)
			f.formW, f.formH = fw, fh
		}
	case fixPreview:
		f.vp.SetWidth(a.width)
		f.vp.SetHeight(max(h-fixChrome-1-lipgloss.Height(strings.Join(a.confirmBar(a.width), "\n")), 1))
		f.vp.SetContent(a.previewContent(w))
	case fixDone:
		f.vp.SetWidth(a.width)
		f.vp.SetHeight(max(h-fixChrome-1, 1))
		f.vp.SetContent(a.resultContent(w))
	}
}

func (a *App) fixView(w, h int) string {
	st := a.styles
	f := a.fix
	if f == nil {
		return ""
	}
	s := a.byID[f.id]
	stages := []string{"choose", "preview", "apply", "result"}
	cur := map[fixStage]int{fixLoading: 0, fixLoadFailed: 0, fixEditing: 0, fixPreview: 1, fixApplying: 2, fixDone: 3}[f.stage]
	var crumb []string
	for i, name := range stages {
		if i == cur {
			crumb = append(crumb, st.Key.Render(name))
		} else {
			crumb = append(crumb, st.Dim.Render(name))
		}
	}
	lines := []string{
		rightAlign(st.Title.Render("Fix: "+s.item.Title), strings.Join(crumb, st.Dim.Render(" › ")), w),
		st.Dim.Render(strings.Repeat("─", w)),
	}
	switch f.stage {
	case fixLoading:
		lines = append(lines, a.spinner.View()+" "+st.Text.Render("Reading the current values…"), "",
			st.Dim.Render("Nothing is written until you confirm on the next screens."))
	case fixLoadFailed:
		lines = append(lines, wrap(st.Error.Render("rootguard could not read the current values, so it cannot show what would change."), w, "", ""), "",
			wrap(st.Text.Render(f.loadErr.Error()), w, "", ""), "",
			wrap(st.Text.Render(loadAdvice(f.loadErr)), w, "", ""), "",
			st.Dim.Render("Press r to try again, esc to go back. Nothing was written."))
	case fixEditing:
		if f.form != nil {
			lines = append(lines, f.form.View())
		}
	case fixPreview:
		lines = append(lines, f.vp.View(), a.scrollRule(&f.vp, w))
		lines = append(lines, a.confirmBar(w)...)
	case fixApplying:
		lines = append(lines, a.spinner.View()+" "+st.Text.Render(savingLine(f.plan)), "",
			st.Dim.Render("rootguard re-checks the item live as soon as AWS answers."))
	case fixDone:
		lines = append(lines, f.vp.View(), a.scrollRule(&f.vp, w))
	}
	return strings.Join(lines, "\n")
}

// loadAdvice says what to do when the current values cannot be read.
func loadAdvice(err error) string {
	switch awsops.KindOf(err) {
	case awsops.KindAccessDenied:
		perm := awsops.PermissionOf(err)
		if perm == "" {
			perm = "the read permission"
		}
		return "Grant " + perm + " to the identity you run rootguard with (`rootguard policy` prints the policy), or make this change in the console."
	case awsops.KindThrottled:
		return "AWS is throttling requests: wait a minute, then press r."
	case awsops.KindCredentials:
		return "Your AWS credentials are missing or expired: sign in again, then press r."
	}
	return "Check your network and AWS configuration, then press r."
}

func (a *App) scrollRule(vp interface {
	TotalLineCount() int
	Height() int
	AtBottom() bool
	ScrollPercent() float64
}, w int) string {
	scroll := ""
	if vp.TotalLineCount() > vp.Height() {
		pos := "↓ more below (↓/j, pgdn)"
		if vp.AtBottom() {
			pos = "end"
		}
		scroll = fmt.Sprintf(" %d%% · %s ", int(vp.ScrollPercent()*100), pos)
	}
	return a.styles.Dim.Render(strings.Repeat("─", max(w-ansi.StringWidth(scroll)-2, 0)) + scroll + "──")
}

// confirmBar is the preview's question (default no), or why there is none.
func (a *App) confirmBar(w int) []string {
	st := a.styles
	f := a.fix
	switch {
	case f.plan.NoOp:
		return []string{st.Status[steps.StatusPass].Render("✓ Already in place: nothing to do, nothing will be written."),
			st.Dim.Render("Press enter to go back.")}
	case a.cfg.DryRun:
		return []string{st.Status[steps.StatusWarn].Bold(true).Render("Dry run: nothing will be written."),
			st.Dim.Render("This is exactly what rootguard would do. Press enter to go back.")}
	case a.cfg.Writer == nil:
		return []string{st.Status[steps.StatusWarn].Bold(true).Render("Preview only: this session cannot write to the account."),
			st.Dim.Render("Press enter to go back.")}
	}
	button := func(label string, selected bool) string {
		if selected {
			return st.Key.Reverse(true).Render("▸ " + label + " ")
		}
		return st.Text.Render("  " + label + " ")
	}
	acct := "this account"
	if a.identity != nil {
		acct = "account " + a.identity.Account
	}
	q := st.Bold.Render(fmt.Sprintf("Write %s to %s?", plural(len(f.plan.Calls), "this change", "these changes"), acct))
	buttons := button("No", !f.yes) + " " + button("Yes, apply", f.yes)
	hint := st.Dim.Render("y applies · n or esc goes back · ←/→ choose, enter confirms (default: No)")
	if ansi.StringWidth(hint) > w {
		hint = st.Dim.Render("y applies · n/esc goes back · ←/→, enter (default: No)")
	}
	if ansi.StringWidth(q)+2+ansi.StringWidth(buttons) > w {
		return []string{wrap(q, w, "", ""), buttons, hint} // the buttons are never cut
	}
	return []string{q + "  " + buttons, hint}
}

// savingLine is "Saving 3 changes…" or "Saving the security contact…".
func savingLine(p steps.Plan) string {
	if len(p.Calls) == 1 && p.Calls[0].Label != "" {
		return "Saving the " + p.Calls[0].Label + "…"
	}
	// "security contact", "billing contact": "Saving 2 contacts…"
	noun := ""
	for i, c := range p.Calls {
		words := strings.Fields(c.Label)
		if len(words) == 0 || (i > 0 && words[len(words)-1] != noun) {
			noun = ""
			break
		}
		noun = words[len(words)-1]
	}
	if noun == "" {
		noun = "change"
	}
	return fmt.Sprintf("Saving %d %ss…", len(p.Calls), noun)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (a *App) previewContent(w int) string {
	st := a.styles
	p := a.fix.plan
	section := func(title string) string { return "\n" + st.Section.Render(title) }
	b := []string{st.Title.Render(p.Title)}
	if p.NoOp {
		b = append(b, "", wrap(st.Text.Render("The account already has exactly this. Applying it would write nothing, so there is nothing to confirm."), w, "", ""))
		return strings.Join(b, "\n")
	}
	if len(p.Warnings) > 0 {
		b = append(b, section("Warnings"))
		for _, warn := range p.Warnings {
			b = append(b, wrap(st.Status[steps.StatusWarn].Bold(true).Render(warn), w, st.Status[steps.StatusWarn].Render("! "), "  "))
		}
	}
	if len(p.Changes) > 0 {
		b = append(b, section("What changes (now → after)"))
		b = append(b, changeRows(p.Changes, w, st)...)
	}
	b = append(b, section("API calls, in order"))
	for i, c := range p.Calls {
		b = append(b, fmt.Sprintf("  %d. %s %s", i+1, st.Key.Render(c.API), st.Dim.Render("("+c.Label+")")))
		kw := 0
		for _, e := range c.Params {
			kw = max(kw, ansi.StringWidth(e.Key))
		}
		kw = min(kw, w/2)
		for _, e := range c.Params {
			k := e.Key + strings.Repeat(" ", max(kw-ansi.StringWidth(e.Key), 0))
			b = append(b, wrap(st.Text.Render(e.Value), w, "     "+st.Dim.Render(k)+"  ", strings.Repeat(" ", kw+7)))
		}
	}
	if p.ItemID == steps.FixPasswordPolicy {
		b = append(b, "", wrap(st.Dim.Render("The call carries the whole policy: UpdateAccountPasswordPolicy resets any field it is not given to its default."), w, "", ""))
	}
	return strings.Join(b, "\n")
}

// changeRows lays out "field  now → after" with every column as wide as
// its longest value. When a row would not fit, each change takes two
// lines: the field, then "now → after" under it.
func changeRows(changes []steps.Change, w int, st Styles) []string {
	fw, cw, pw, sameNow := 0, 0, 0, len(changes) > 1
	for _, c := range changes {
		fw, cw, pw = max(fw, ansi.StringWidth(c.Field)), max(cw, ansi.StringWidth(c.Current)), max(pw, ansi.StringWidth(c.Proposed))
		sameNow = sameNow && c.Current == changes[0].Current
	}
	var b []string
	if sameNow {
		b = append(b, wrap(st.Dim.Render("Now, every field: "+changes[0].Current), w, "  ", "  "))
		cw = 0
	}
	pad := func(s string, n int) string { return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0)) }
	arrow := func(cur string) string {
		if sameNow {
			return st.Text.Render("→ ")
		}
		return st.Dim.Render(cur) + st.Text.Render(" → ")
	}
	oneLine := 2 + fw + 2 + cw + 3 + pw
	for _, c := range changes {
		if oneLine <= w {
			cur := pad(c.Current, cw)
			if sameNow {
				cur = ""
			}
			b = append(b, "  "+st.Text.Render(pad(c.Field, fw))+"  "+arrow(cur)+st.Bold.Render(c.Proposed))
			continue
		}
		cur := c.Current
		if sameNow {
			cur = ""
		}
		b = append(b, "  "+st.Text.Render(c.Field), wrap(arrow(cur)+st.Bold.Render(c.Proposed), w, "      ", "      "))
	}
	return b
}

func (a *App) resultContent(w int) string {
	st := a.styles
	f := a.fix
	r := f.result
	s := a.byID[f.id]
	section := func(title string) string { return "\n" + st.Section.Render(title) }
	var b []string
	if r.OK() {
		b = append(b, st.Status[steps.StatusPass].Bold(true).Render("✓ Written to the account"))
	} else {
		b = append(b, st.Status[steps.StatusFail].Render("✗ Not everything was written"))
	}
	for _, part := range strings.Split(r.Explain(), "; ") {
		style, mark := st.Text, "  • "
		if strings.Contains(part, "NOT saved") || strings.Contains(part, "not attempted") ||
			strings.Contains(part, "nothing was changed") || strings.Contains(part, "stopped:") || strings.Contains(part, "interrupted") {
			style = st.Error
		}
		b = append(b, wrap(style.Render(part), w, mark, "    "))
	}
	if todo := r.Todo(); todo != "" {
		b = append(b, "", wrap(st.Bold.Render(todo), w, st.Key.Render("→ "), "  "))
	}
	b = append(b, section("Re-checked live"))
	if s.checking || !s.has {
		b = append(b, a.spinner.View()+" "+st.Dim.Render("asking AWS…"))
		return strings.Join(b, "\n")
	}
	status := s.result.Status
	b = append(b, st.Status[status].Render(status.Glyph()+" "+strings.ToUpper(string(status)))+"  "+st.Dim.Render(statusMeaning(status)))
	if s.result.Summary != "" {
		b = append(b, wrap(st.Text.Render(s.result.Summary), w, "", ""))
	}
	kw := 0
	for _, e := range s.result.Evidence {
		kw = max(kw, ansi.StringWidth(e.Key))
	}
	kw = min(kw, w/2)
	for _, e := range s.result.Evidence {
		k := e.Key + strings.Repeat(" ", max(kw-ansi.StringWidth(e.Key), 0))
		b = append(b, wrap(st.Text.Render(e.Value), w, "  "+st.Dim.Render(k)+"  ", strings.Repeat(" ", kw+4)))
	}
	if s.result.Todo != "" && status.Open() {
		b = append(b, wrap(st.Bold.Render(s.result.Todo), w, st.Key.Render("→ "), "  "))
	}
	b = append(b, "", st.Dim.Render("Press enter to go back to the step."))
	return strings.Join(b, "\n")
}

// fixScreenKeys is the help for the fix screen at its stage.
func (a *App) fixScreenKeys() screenKeys {
	k := a.keys
	f := a.fix
	back := k.Back
	back.SetHelp("esc", "back")
	var short []key.Binding
	switch {
	case f == nil:
	case f.stage == fixEditing:
		cancel := k.Back
		cancel.SetHelp("esc", "cancel")
		short = []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
			key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous")),
			key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		}
		if f.step == formPasswordCustom {
			short = append(short, key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle")))
		}
		short = append(short, cancel)
	case f.stage == fixPreview && a.previewConfirms():
		short = []key.Binding{k.Yes, k.No, k.Edit, k.Down}
	case f.stage == fixPreview:
		short = []key.Binding{back, k.Edit, k.Down}
	case f.stage == fixLoadFailed:
		retry := k.Recheck
		retry.SetHelp("r", "retry")
		short = []key.Binding{retry, back}
	case f.stage == fixDone:
		short = []key.Binding{back, k.Down}
	case f.stage == fixLoading:
		short = []key.Binding{back}
	}
	return screenKeys{short: short, full: [][]key.Binding{short, {k.Help, k.Interrupt}}}
}
