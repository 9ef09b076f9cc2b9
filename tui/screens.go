package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

// syncViews fits scroll positions and viewport contents to the current state
// and size. It runs after every Update, so View only reads.
func (a *App) syncViews() {
	if a.tooSmall() {
		return
	}
	h := a.bodyHeight(a.headerView(), a.footerView())
	switch a.screen {
	case screenChecklist:
		lines, cur := a.checklistLines(a.width)
		lh := max(h-listChrome, 1)
		if cur-1 < a.offset {
			a.offset = max(cur-1, 0)
		}
		if cur+1 >= a.offset+lh {
			a.offset = cur + 2 - lh
		}
		a.offset = min(max(a.offset, 0), max(len(lines)-lh, 0))
	case screenStep:
		s := a.byID[a.stepID]
		a.stepVP.SetWidth(a.width)
		a.stepVP.SetHeight(a.stepViewportHeight(h))
		a.stepVP.SetContent(a.stepContent(s, contentWidth(a.width)))
	case screenSummary:
		a.summaryVP.SetWidth(a.width)
		a.summaryVP.SetHeight(max(h-1, 1))
		a.summaryVP.SetContent(a.summaryContent(contentWidth(a.width)))
	case screenFix:
		a.syncFix(h)
	}
}

// contentWidth keeps prose readable on wide terminals.
func contentWidth(w int) int { return min(w-1, 100) }

// ---- identity ----

func (a *App) identityView(w, h int) string {
	st := a.styles
	var b []string
	switch {
	case a.identityErr != nil:
		b = append(b, st.Error.Bold(true).Render("rootguard could not read who you are."), "",
			wrap(st.Text.Render(a.identityErr.Error()), w, "", ""), "",
			wrap(st.Text.Render(identityAdvice(a.identityErr)), w, "", ""), "",
			st.Dim.Render("Press r to try again, q to quit."))
	case a.identity == nil:
		b = append(b, a.spinner.View()+" "+st.Text.Render("Connecting to AWS and reading who you are…"),
			"", st.Dim.Render(a.readOnlyNote()))
	default:
		id := a.identity
		b = append(b, wrap(st.Title.Render("rootguard walks you through securing this AWS account's root user and settings, one step at a time."), w, "", ""),
			wrap(st.Dim.Render(a.readOnlyNote()), w, "", ""), "")
		alias := id.Alias
		if alias == "" {
			alias = st.Dim.Render("none set")
		}
		who := id.ARN
		if id.IsRoot {
			who += st.RootBanner.Render("  (root user)")
		}
		rows := [][2]string{
			{"Account", id.Account},
			{"Alias", alias},
			{"Signed in as", who},
			{"Credentials", credentialsText(id)},
			{"Region", a.regionName()},
		}
		var t []string
		for _, r := range rows {
			t = append(t, st.Dim.Render(fmt.Sprintf("%-13s", r[0]))+st.Text.Render(r[1]))
		}
		b = append(b, st.Box.Render(strings.Join(t, "\n")), "")
		if a.cfg.Demo {
			demo := "This is the built-in demo account: nothing is real. On console steps, s simulates doing them so you can watch items turn green."
			if a.cfg.DryRun {
				demo = "This is the built-in demo account: nothing is real. Simulating console steps (s) is off in a dry run."
			}
			b = append(b, wrap(st.Dim.Render(demo), w, "", ""))
			if note := a.demoNote(); note != "" {
				b = append(b, wrap(st.Text.Render(note), w, "", ""))
			}
			b = append(b, "")
		}
		b = append(b, a.progressLine(w), "", st.Text.Render("Press ")+st.Key.Render("enter")+st.Text.Render(" to walk the checklist."))
	}
	return strings.Join(b, "\n")
}

// readOnlyNote says when rootguard writes: after a yes, or in a dry run
// never.
func (a *App) readOnlyNote() string {
	if a.cfg.DryRun {
		return "Dry run (--dry-run): rootguard only reads; fixes are previewed and nothing is ever written."
	}
	return "It only reads your account; nothing changes unless you say yes."
}

func credentialsText(id *awsops.Identity) string {
	switch id.Credentials {
	case awsops.CredentialsTemporary:
		return "temporary (SSO, a role or CloudShell)"
	case awsops.CredentialsLongTerm:
		if id.AccessKeyID != "" {
			return "long-term access key " + awsops.MaskKey(id.AccessKeyID)
		}
		return "long-term access key"
	}
	return "unknown"
}

// identityAdvice says what to do when the caller cannot be read.
func identityAdvice(err error) string {
	switch awsops.KindOf(err) {
	case awsops.KindCredentials:
		return "Your AWS credentials are missing or expired. Sign in again (for example `aws sso login --profile NAME`), or pass --profile, then press r. To try rootguard without AWS, run `rootguard --demo`."
	case awsops.KindAccessDenied:
		return "These credentials may not call " + orDefault(awsops.PermissionOf(err), "sts:GetCallerIdentity") + ". `rootguard policy` prints the read-only policy rootguard needs."
	case awsops.KindThrottled:
		return "AWS is throttling requests: wait a minute, then press r."
	}
	var ae *awsops.Error
	if errors.As(err, &ae) && ae.Kind == awsops.KindCanceled {
		return "The request was canceled: press r to try again."
	}
	return "Check your network and AWS configuration (profile, region), then press r."
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ---- checklist ----

// listChrome is the checklist body's lines around the list: progress,
// blank, and the rule plus two lines about the selected item.
const listChrome = 5

func (a *App) listHeight() int {
	return max(a.bodyHeight(a.headerView(), a.footerView())-listChrome, 1)
}

func (a *App) checklistLines(w int) (lines []string, cursor int) {
	st := a.styles
	var phase steps.Phase
	for _, s := range a.visibleItems() {
		if s.item.Phase != phase {
			phase = s.item.Phase
			lines = append(lines, st.Phase.Render(fmt.Sprintf("%d · %s", int(phase), phase.Title())))
		}
		selected := s.item.ID == a.cursor
		if selected {
			cursor = len(lines)
		}
		lines = append(lines, a.row(s, min(w, 100), selected))
	}
	return lines, cursor
}

func (a *App) row(s *itemState, w int, selected bool) string {
	st := a.styles
	marker := "  "
	title := st.Text.Render(s.item.Title)
	if selected {
		marker = st.Cursor.Render("▸ ")
		title = st.Title.Render(s.item.Title)
	}
	sev := string(s.item.Severity)
	sevStyle := st.Severity[s.item.Severity]
	if !s.open() {
		sevStyle = st.Dim
	}
	left := marker + a.statusCell(s) + title
	right := sevStyle.Render(fmt.Sprintf("%8s", sev))
	if mark := a.rowMark(s.item.ID); mark != "" {
		right = mark + " " + right
	}
	line := rightAlign(left, right, w)
	if selected {
		line = st.Selected.Render(line)
	}
	return line
}

func (a *App) checklistView(w, h int) string {
	st := a.styles
	lines, _ := a.checklistLines(w)
	lh := max(h-listChrome, 1)
	end := min(a.offset+lh, len(lines))
	visible := lines[min(a.offset, end):end]
	rule := strings.Repeat("─", w)
	if below := len(lines) - end; below > 0 || a.offset > 0 {
		tag := ""
		if a.offset > 0 {
			tag += fmt.Sprintf(" ↑ %d more", a.offset)
		}
		if below > 0 {
			tag += fmt.Sprintf(" ↓ %d more", below)
		}
		tag += " "
		rule = strings.Repeat("─", max(w-ansi.StringWidth(tag)-2, 0)) + tag + "──"
	}
	var detail []string
	if s := a.byID[a.cursor]; s != nil && s.visible() {
		text := statusMeaning(s.status())
		if s.has && !s.checking && s.result.Summary != "" {
			text = s.result.Summary
		}
		d := strings.Split(wrap(st.Dim.Render(text), w, "", ""), "\n")
		if len(d) > 2 {
			d = d[:2]
			d[1] = ansi.Truncate(d[1], w-1, "") + "…"
		}
		detail = d
	}
	body := []string{a.progressLine(w), ""}
	body = append(body, visible...)
	for len(body) < 2+lh {
		body = append(body, "")
	}
	body = append(body, st.Dim.Render(rule))
	body = append(body, detail...)
	return strings.Join(body, "\n")
}

// ---- step ----

func (a *App) stepDemoLine() bool { return a.canSimulate(a.stepID) && a.byID[a.stepID].open() }

func (a *App) stepViewportHeight(h int) int {
	n := h - 2 - 1
	if a.stepDemoLine() {
		n--
	}
	return max(n, 1)
}

func (a *App) stepView(w, h int) string {
	st := a.styles
	s := a.byID[a.stepID]
	list := a.visibleItems()
	head := stepHeader(indexOf(list, s.item.ID)+1, len(list), s.item, w, st)
	lines := []string{
		head,
		rightAlign(st.Title.Render(s.item.Title), a.statusCell(s), w),
		a.stepVP.View(),
	}
	scroll := ""
	if a.stepVP.TotalLineCount() > a.stepVP.Height() {
		pos := "↓ more below (↓/j, pgdn)"
		if a.stepVP.AtBottom() {
			pos = "end"
		}
		scroll = fmt.Sprintf(" %d%% · %s ", int(a.stepVP.ScrollPercent()*100), pos)
	}
	lines = append(lines, st.Dim.Render(strings.Repeat("─", max(w-ansi.StringWidth(scroll)-2, 0))+scroll+"──"))
	if a.stepDemoLine() {
		lines = append(lines, st.DemoBadge.Render(" DEMO ")+" "+st.Key.Render("s")+
			st.Text.Render(" simulates doing this in the console (demo only)"))
	}
	return strings.Join(lines, "\n")
}

// stepHeader is "Step 3 of 22 · phase" with severity and kind on the
// right; the kind, then the words "Step … of", give way before the phase
// name is cut.
func stepHeader(n, total int, it steps.Item, w int, st Styles) string {
	sev := st.Severity[it.Severity].Render(string(it.Severity))
	phase := it.Phase.Title()
	for _, try := range []struct{ crumb, tags string }{
		{fmt.Sprintf("Step %d of %d · %s", n, total, phase), sev + st.Dim.Render(" · "+kindLabel(it))},
		{fmt.Sprintf("Step %d of %d · %s", n, total, phase), sev},
		{fmt.Sprintf("%d/%d · %s", n, total, phase), sev},
	} {
		if ansi.StringWidth(try.crumb)+1+ansi.StringWidth(try.tags) <= w {
			return rightAlign(st.Dim.Render(try.crumb), try.tags, w)
		}
	}
	return rightAlign(st.Dim.Render(fmt.Sprintf("%d/%d · %s", n, total, phase)), sev, w)
}

// kindLabel is who fixes an item, short, for the step header.
func kindLabel(it steps.Item) string {
	switch it.Kind {
	case steps.KindAuto:
		if fixAvailable(it.ID) {
			return "rootguard can fix"
		}
		return "you fix it in the console"
	case steps.KindGuided:
		return "you fix it in the console"
	case steps.KindAttest:
		return "you confirm it"
	case steps.KindInfo:
		return "for information"
	}
	return string(it.Kind)
}

func (a *App) stepContent(s *itemState, w int) string {
	st := a.styles
	it := s.item
	status := s.status()
	section := func(title string) string { return "\n" + st.Section.Render(title) }
	var b []string
	b = append(b, st.Status[status].Render(status.Glyph()+" "+strings.ToUpper(string(status)))+"  "+st.Dim.Render(statusMeaning(status)))
	if s.has {
		if s.result.Summary != "" {
			b = append(b, wrap(st.Text.Render(s.result.Summary), w, "", ""))
		}
		if when := a.verifiedLine(s); when != "" {
			b = append(b, st.Dim.Render(when))
		}
		if len(s.result.Evidence) > 0 {
			b = append(b, section("Evidence"))
			kw := 0
			for _, e := range s.result.Evidence {
				kw = max(kw, ansi.StringWidth(e.Key))
			}
			kw = min(kw, w/2)
			for _, e := range s.result.Evidence {
				k := e.Key + strings.Repeat(" ", max(kw-ansi.StringWidth(e.Key), 0))
				b = append(b, wrap(st.Text.Render(e.Value), w, "  "+st.Dim.Render(k)+"  ", strings.Repeat(" ", kw+4)))
			}
		}
		for _, d := range s.result.Details {
			b = append(b, wrap(st.Text.Render(d), w, "  • ", "    "))
		}
	}
	if it.Why != "" {
		b = append(b, section("Why it matters"), wrap(st.Text.Render(it.Why), w, "", ""))
	}
	b = append(b, section("What to do"))
	if s.has && s.result.Todo != "" && s.result.Status.Open() {
		b = append(b, wrap(st.Bold.Render(s.result.Todo), w, st.Key.Render("→ "), "  "))
	}
	b = append(b, wrap(st.Text.Render(a.kindAdvice(s)), w, "", ""))
	if it.Kind == steps.KindAuto && s.open() && fixAvailable(it.ID) {
		b = append(b, "", a.planBox(s.plan, w))
	}
	if g, ok := a.cfg.Guide(it.ID); ok && strings.TrimSpace(g) != "" {
		b = append(b, "", renderMarkdown(a.personalise(g), w, st))
	}
	if it.ConsoleURL != "" {
		open := ""
		if a.cfg.OpenURL != nil {
			open = " · " + st.Key.Render("o") + st.Dim.Render(" open in browser")
		}
		b = append(b, section("Console link"), wrap(st.Link.Render(it.ConsoleURL), w, "", ""),
			st.Key.Render("c")+st.Dim.Render(" copy")+open+" · "+st.Key.Render("Q")+st.Dim.Render(" QR code for your phone"))
	}
	return strings.Join(b, "\n")
}

// verifiedLine says when the verdict was read live; for attest items,
// when the user marked it done; nothing for information items.
func (a *App) verifiedLine(s *itemState) string {
	switch s.item.Kind {
	case steps.KindInfo:
		return ""
	case steps.KindAttest:
		if s.result.Status != steps.StatusAttested {
			return ""
		}
		if at, ok := a.cfg.Attestations.Get(s.item.ID); ok && !at.At.IsZero() {
			return "Marked done on " + at.At.In(a.cfg.Now().Location()).Format("2 Jan 2006 15:04")
		}
		return ""
	}
	if s.result.CheckedAt.IsZero() {
		return ""
	}
	return "Last verified " + s.result.CheckedAt.Format("15:04:05") + " (" + relTime(a.cfg.Now(), s.result.CheckedAt) + ")"
}

// kindAdvice is the sentence under "What to do".
func (a *App) kindAdvice(s *itemState) string {
	it := s.item
	if s.has && s.result.Status == steps.StatusNA {
		return "Nothing to do: this does not apply to your account."
	}
	switch it.Kind {
	case steps.KindAuto:
		if !fixAvailable(it.ID) {
			if !s.open() {
				return "Nothing to do: verified live. Press r to re-check at any time."
			}
			return "You fix it in the console (rootguard will automate this later). " + signInAs(it) + " Follow the steps below, then press r to re-check."
		}
		if !s.open() {
			return "Nothing to change: this is in place. Press r to re-check at any time, or x to change it."
		}
		return "rootguard can make this change for you through the AWS API: press x (or enter) to choose the values. You see exactly what will change and confirm it before anything is written. You can also do it yourself in the console."
	case steps.KindGuided:
		if !s.open() {
			return "Nothing to do: verified live. The steps below are for reference."
		}
		return "Only a person can do this, in the AWS console. " + signInAs(it) + " Follow the steps below, then press r to re-check."
	case steps.KindAttest:
		if s.has && s.result.Status == steps.StatusAttested {
			return "You marked this done. Press u to undo that if it was a mistake."
		}
		msg := "No AWS API can verify this. Follow the guidance below, then press m to mark it done (today's date is kept"
		if it.AttestValidity > 0 {
			msg += fmt.Sprintf(" and you'll be asked again after %d days", int(it.AttestValidity.Hours()/24))
		}
		return msg + ")."
	case steps.KindInfo:
		return "Nothing to do: this is shown for context."
	}
	return ""
}

// signInAs says who to sign in to the console as for an item.
func signInAs(it steps.Item) string {
	if it.RootOnly {
		return "Sign in as the root user: only root can do this."
	}
	return "Sign in as your admin user (or root until you have one)."
}

func (a *App) planBox(p plan, w int) string {
	st := a.styles
	bw := min(w, 80)
	inner := bw - 4 // border and padding
	lines := []string{st.Section.Render("What rootguard would change"), wrap(st.Text.Render(p.Intro), inner, "", "")}
	if len(p.Rows) > 0 {
		sameCurrent := true
		fw, cw := 0, 0
		for _, r := range p.Rows {
			fw, cw = max(fw, ansi.StringWidth(r.Field)), max(cw, ansi.StringWidth(r.Current))
			sameCurrent = sameCurrent && r.Current == p.Rows[0].Current
		}
		lines = append(lines, "")
		if sameCurrent && len(p.Rows) > 1 {
			lines = append(lines, st.Dim.Render("Now: "+p.Rows[0].Current))
		}
		for _, r := range p.Rows {
			mark, style := "  ", st.Dim
			if r.changed() {
				mark, style = st.Key.Render("• "), st.Text
			}
			row := fmt.Sprintf("%-*s  %-*s → %s", fw, r.Field, cw, r.Current, r.Proposed)
			if sameCurrent && len(p.Rows) > 1 {
				row = fmt.Sprintf("%-*s  → %s", fw, r.Field, r.Proposed)
			}
			lines = append(lines, wrap(style.Render(row), inner, mark, "    "))
		}
	}
	for _, warn := range p.Warnings {
		lines = append(lines, wrap(st.Status[steps.StatusWarn].Render(warn), inner, "! ", "  "))
	}
	lines = append(lines, "", wrap(st.Dim.Render("Press x to choose the values and preview the change; nothing is written until you say yes."), inner, "", ""))
	return st.Box.Width(bw).Render(strings.Join(lines, "\n"))
}

// ---- QR ----

func (a *App) qrView(w, h int) string {
	st := a.styles
	s := a.byID[a.stepID]
	url := s.item.ConsoleURL
	caption := []string{
		st.Title.Render(s.item.Title) + st.Dim.Render(" · console link"),
		st.Link.Render(url),
		st.Dim.Render("Scan with your phone's camera to open this page there. esc goes back."),
	}
	for i := range caption {
		caption[i] = ansi.Truncate(caption[i], w, "…")
	}
	q, err := newQRCode(url)
	if err != nil {
		return fit(st.Error.Render("Could not make a QR code: "+err.Error())+"\n"+strings.Join(caption, "\n"), w, h)
	}
	quiet, ok, need := fitQR(q, w, h-len(caption))
	if !ok {
		var nw, nh int
		fmt.Sscanf(need, "%dx%d", &nw, &nh)
		msg := fmt.Sprintf("Make the terminal at least %dx%d to show the QR code (this one is %dx%d).", max(nw, minWidth), nh+len(caption), w, h)
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center,
			wrap(st.Text.Render(msg), min(w, 70), "", "")+"\n\n"+strings.Join(caption[1:], "\n"))
	}
	code := strings.Split(q.render(quiet, a.profile, a.styles.IsDark), "\n")
	qw, _ := q.size(quiet)
	pad := strings.Repeat(" ", max((w-qw)/2, 0))
	for i := range code {
		code[i] = pad + code[i]
	}
	top := max((h-len(code)-len(caption))/2, 0)
	out := slices.Repeat([]string{""}, top)
	out = append(out, code...)
	for _, c := range caption {
		out = append(out, strings.Repeat(" ", max((w-ansi.StringWidth(c))/2, 0))+c)
	}
	return fit(strings.Join(out, "\n"), w, h)
}

// ---- summary ----

func (a *App) summaryView(w, h int) string {
	scroll := ""
	if a.summaryVP.TotalLineCount() > a.summaryVP.Height() {
		pos := "↓ more below (↓/j, pgdn)"
		if a.summaryVP.AtBottom() {
			pos = "end"
		}
		scroll = fmt.Sprintf(" %d%% · %s ", int(a.summaryVP.ScrollPercent()*100), pos)
	}
	rule := a.styles.Dim.Render(strings.Repeat("─", max(w-ansi.StringWidth(scroll)-2, 0)) + scroll + "──")
	return a.summaryVP.View() + "\n" + rule
}

var severityRank = map[steps.Severity]int{
	steps.SeverityCritical: 0, steps.SeverityHigh: 1, steps.SeverityMedium: 2, steps.SeverityLow: 3, steps.SeverityInfo: 4,
}

func (a *App) summaryContent(w int) string {
	st := a.styles
	list := a.visibleItems()
	count := map[steps.Status]int{}
	var fixed, open, na []*itemState
	var statuses []steps.Status
	checking := 0
	for _, s := range list {
		if s.checking || !s.has {
			checking++
			continue
		}
		count[s.result.Status]++
		statuses = append(statuses, s.result.Status)
		switch {
		case s.result.Status == steps.StatusNA:
			na = append(na, s)
		case s.result.Status.Open():
			open = append(open, s)
		}
		if s.fixedToday() {
			fixed = append(fixed, s)
		}
	}
	slices.SortStableFunc(open, func(x, y *itemState) int {
		return severityRank[x.item.Severity] - severityRank[y.item.Severity]
	})
	score := steps.ScoreOf(statuses)
	var b []string
	switch {
	case checking > 0:
		b = append(b, st.Title.Render("Summary")+st.Dim.Render(fmt.Sprintf("  (%s %d still checking)", a.spinner.View(), checking)))
	case len(open) == 0:
		b = append(b, st.Status[steps.StatusPass].Bold(true).Render("✓ All done: nothing is left open."))
	default:
		b = append(b, st.Title.Render("Summary"))
	}
	done := fmt.Sprintf("  %d of %d items that apply to this account are done", score.Done, score.Applicable)
	if score.Warn > 0 {
		done += fmt.Sprintf(", %d half done (warn)", score.Warn)
	}
	b = append(b, "", st.Bold.Render("Score "+score.String())+st.Text.Render(done))
	var parts []string
	for _, stt := range steps.Statuses {
		if n := count[stt]; n > 0 {
			parts = append(parts, st.Status[stt].Render(fmt.Sprintf("%s %d %s", stt.Glyph(), n, stt)))
		}
	}
	b = append(b, wrap(strings.Join(parts, st.Dim.Render(" · ")), w, "", ""))

	b = append(b, "", st.Section.Render(fmt.Sprintf("Fixed today (%d)", len(fixed))))
	if len(fixed) == 0 {
		b = append(b, st.Dim.Render("  Nothing yet this session."))
	}
	for _, s := range fixed {
		b = append(b, "  "+a.statusCell(s)+st.Text.Render(s.item.Title))
	}

	b = append(b, "", st.Section.Render(fmt.Sprintf("Still open (%d), most important first", len(open))))
	if len(open) == 0 {
		b = append(b, st.Dim.Render("  Nothing. Well done."))
	}
	for _, s := range open {
		b = append(b, "  "+a.statusCell(s)+st.Severity[s.item.Severity].Render(fmt.Sprintf("%-9s", s.item.Severity))+st.Text.Render(s.item.Title))
		why := s.result.Summary
		if s.result.Todo != "" {
			why += " → " + s.result.Todo
		}
		if why != "" {
			b = append(b, wrap(st.Dim.Render(why), w, "             ", "             "))
		}
	}
	if len(na) > 0 {
		b = append(b, "", st.Section.Render(fmt.Sprintf("Does not apply (%d)", len(na))))
		for _, s := range na {
			b = append(b, wrap(st.Dim.Render(s.item.Title+": "+s.result.Summary), w, "  – ", "    "))
		}
	}
	next := "Press esc for the checklist, R to re-check everything, q to quit."
	if len(open) > 0 {
		next = "Press n to go to the most important open item, esc for the checklist, q to quit."
	}
	b = append(b, "", wrap(st.Text.Render(next), w, "", ""))
	return strings.Join(b, "\n")
}

// personalise fills the account's own sign-in name into a guide's
// ACCOUNT_ID placeholders (the alias when there is one, as AWS's sign-in
// URL accepts either).
func (a *App) personalise(guide string) string {
	if a.identity == nil || a.identity.Account == "" {
		return guide
	}
	name := a.identity.Account
	if a.identity.Alias != "" {
		name = a.identity.Alias
	}
	return strings.ReplaceAll(guide, "ACCOUNT_ID", name)
}
