package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/skip2/go-qrcode"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// How a fix flow looks: the same for every fix, drawn from the plan, the
// apply results and the stages' items.

// fixChrome is the fix screen's lines around its content: the title line
// and the rule under it.
const fixChrome = 2

// zoomChrome is the lines around a QR code shown alone on the whole
// terminal: its caption and the footer (flash and keys).
const zoomChrome = 3

// formErrorLines is room under a form for a blank line and a field's error.
const formErrorLines = 3

// sync fits the form or the viewport to the body (after every Update, so
// View only reads).
func (f *fixFlow) sync(w, h int) {
	f.setKeys()
	cw := contentWidth(w)
	body := max(h-fixChrome, 1)
	switch f.phase {
	case phaseForm, phaseStageForm, phaseDiscard:
		top := len(f.formTop(cw))
		f.form.setSize(min(cw, 90), max(body-formErrorLines-top, 4))
	case phasePreview:
		f.vp.SetWidth(w)
		f.vp.SetHeight(max(body-1-lipgloss.Height(strings.Join(f.confirmBar(w), "\n")), 1))
		f.vp.SetContent(f.previewContent(cw))
	case phaseStageShow:
		f.vp.SetWidth(w)
		f.vp.SetHeight(max(body-1, 1))
		f.vp.SetContent(f.stageContent(cw, f.vp.Height()))
	case phaseResult:
		f.vp.SetWidth(w)
		f.vp.SetHeight(max(body-1, 1))
		f.vp.SetContent(f.resultContent(cw, f.vp.Height()))
	}
}

// title is the item's title, or the fix's when the item is not listed.
func (f fixFlow) title() string {
	if it := f.c.sess.byID[f.fix.ID]; it != nil {
		return it.item.Title
	}
	return f.fix.Title
}

func (f fixFlow) View(w, h int) string {
	st := f.c.styles
	stages := []string{"choose", "preview", "apply", "result"}
	cur := map[flowPhase]int{phaseLoading: 0, phaseLoadFailed: 0, phaseForm: 0, phaseDiscard: 0, phasePreview: 1,
		phaseApplying: 2, phaseStageShow: 2, phaseStageForm: 2, phaseStageApplying: 2, phaseStop: 2, phaseStopping: 2, phaseResult: 3}[f.phase]
	var crumb []string
	for i, name := range stages {
		if i == cur {
			crumb = append(crumb, st.Key.Render(name))
		} else {
			crumb = append(crumb, st.Dim.Render(name))
		}
	}
	lines := []string{
		rightAlign(st.Title.Render("Fix: "+f.title()), strings.Join(crumb, st.Dim.Render(" › ")), w),
		st.Dim.Render(strings.Repeat("─", w)),
	}
	cw := contentWidth(w)
	k := f.keys
	switch f.phase {
	case phaseLoading:
		lines = append(lines, f.c.spin()+" "+st.Text.Render("Reading the current values…"), "",
			st.Dim.Render("Nothing is written until you confirm on the next screens."))
	case phaseLoadFailed:
		what := "rootguard could not read the current values, so it cannot show what would change."
		if f.planFailed {
			what = "rootguard cannot plan this fix:"
		}
		lines = append(lines, wrap(st.Error.Render(what), cw, "", ""), "",
			wrap(st.Text.Render(safetext.Text(f.loadErr.Error())), cw, "", ""), "",
			wrap(st.Text.Render(f.loadAdvice()), cw, "", ""), "",
			st.Dim.Render(fmt.Sprintf("Press %s to try again, %s to go back. Nothing was written.", keyName(k.Retry), keyName(k.Back))))
	case phaseForm, phaseStageForm:
		lines = append(lines, f.formTop(cw)...)
		lines = append(lines, f.form.form.View())
	case phaseDiscard:
		lines = append(lines, f.formTop(cw)...)
		lines = append(lines, f.question(cw,
			"Drop the values you typed?",
			fmt.Sprintf("%s drops them and leaves the fix (nothing was written) · %s keeps editing", keyName(k.Yes), keyName(k.No)))...)
	case phasePreview:
		down := k.Down
		if f.typedConfirm() {
			down = k.TypedScroll.Down
		}
		lines = append(lines, f.vp.View(), f.c.scrollRule(&f.vp, w, down))
		lines = append(lines, f.confirmBar(w)...)
	case phaseApplying, phaseStageApplying:
		lines = append(lines, f.c.spin()+" "+st.Text.Render(savingLine(f.plan)), "",
			st.Dim.Render("rootguard re-checks the item live as soon as AWS answers."))
	case phaseStopping:
		lines = append(lines, f.c.spin()+" "+st.Text.Render("Undoing what this fix made so far…"))
	case phaseStageShow, phaseResult:
		if f.zoom {
			lines = append(lines, f.zoomView(w, h-fixChrome))
			break
		}
		lines = append(lines, f.vp.View(), f.c.scrollRule(&f.vp, w, k.Down))
	case phaseStop:
		undo := "Nothing needs undoing."
		if f.stage != nil && f.stage.Abort != nil && len(f.stage.Abort.Calls) > 0 {
			var labels []string
			for _, c := range f.stage.Abort.Calls {
				labels = append(labels, safetext.Line(c.Label+" ("+c.API+")"))
			}
			undo = "rootguard will undo what this fix made so far: " + strings.Join(labels, ", ") + "."
		}
		lines = append(lines, f.question(cw, "Stop here? "+undo,
			fmt.Sprintf("%s stops and undoes · %s goes on", keyName(k.Yes), keyName(k.No)))...)
	}
	return strings.Join(lines, "\n")
}

// question is a yes/no question in a box.
func (f fixFlow) question(w int, q, keys string) []string {
	st := f.c.styles
	bw := min(w, 80)
	box := st.Box.Width(bw).Render(wrap(st.Bold.Render(q), bw-4, "", "") + "\n" + wrap(st.Dim.Render(keys), bw-4, "", ""))
	return append([]string{""}, strings.Split(box, "\n")...)
}

// formTop is what shows above a form: a stage's title and help, and a
// message for the whole form.
func (f fixFlow) formTop(w int) []string {
	st := f.c.styles
	var b []string
	if f.phase == phaseStageForm && f.stage != nil {
		if f.stage.Title != "" {
			b = append(b, st.Section.Render(safetext.Line(f.stage.Title)))
		}
		if f.stage.Help != "" {
			b = append(b, strings.Split(wrap(st.Dim.Render(safetext.Line(f.stage.Help)), w, "", ""), "\n")...)
		}
	}
	if f.formMsg != "" {
		b = append(b, strings.Split(wrap(st.Error.Render(safetext.Line(f.formMsg)), w, st.Error.Render("✗ "), "  "), "\n")...)
	}
	return b
}

// loadAdvice says what to do when the current values cannot be read.
func (f fixFlow) loadAdvice() string {
	if f.planFailed {
		return "Make this change in the console, following the steps on the item's page."
	}
	retry := keyName(f.keys.Retry)
	switch awsops.KindOf(f.loadErr) {
	case awsops.KindAccessDenied:
		perm := awsops.PermissionOf(f.loadErr)
		if perm == "" {
			perm = "the read permission"
		}
		return "Grant " + perm + " to the identity you run rootguard with (`rootguard policy` prints the policy), or make this change in the console."
	case awsops.KindThrottled:
		return "AWS is throttling requests: wait a minute, then press " + retry + "."
	case awsops.KindCredentials:
		return "Your AWS credentials are missing or expired: sign in again, then press " + retry + "."
	}
	return "Check your network and AWS configuration, then press " + retry + "."
}

// confirmBar is the preview's question (default no), the typed
// confirmation, or why there is no question.
func (f fixFlow) confirmBar(w int) []string {
	st := f.c.styles
	k := f.keys
	switch {
	case f.plan.NoOp:
		return []string{st.Status[steps.StatusPass].Render("✓ Already in place: nothing to do, nothing will be written."),
			st.Dim.Render(fmt.Sprintf("Press %s to go back, %s to change the values.", keyName(k.Done), keyName(k.Edit)))}
	case f.c.cfg.DryRun:
		return []string{st.Status[steps.StatusWarn].Bold(true).Render("Dry run: nothing will be written."),
			st.Dim.Render(fmt.Sprintf("This is exactly what rootguard would do. Press %s to go back.", keyName(k.Done)))}
	case f.c.cfg.Writer == nil:
		return []string{st.Status[steps.StatusWarn].Bold(true).Render("Preview only: this session cannot write to the account."),
			st.Dim.Render(fmt.Sprintf("Press %s to go back.", keyName(k.Done)))}
	case f.plan.Confirm != nil:
		prompt := safetext.Line(f.plan.Confirm.Prompt)
		if prompt == "" {
			prompt = "Type " + safetext.Line(f.plan.Confirm.Want) + " to confirm"
		}
		hint := st.Dim.Render(fmt.Sprintf("%s applies once it matches · %s goes back to the values (nothing is written)", keyName(k.Enter), keyName(k.Back)))
		if f.typedErr != "" {
			hint = st.Error.Render(f.typedErr)
		}
		return []string{wrap(st.Bold.Render(prompt+" (anything else writes nothing):"), w, "", ""), f.typed.View(), wrap(hint, w, "", "")}
	}
	button := func(label string, selected bool) string {
		if selected {
			return st.Key.Reverse(true).Render("▸ " + label + " ")
		}
		return st.Text.Render("  " + label + " ")
	}
	q := st.Bold.Render(fmt.Sprintf("Write %s to %s?", plural(len(f.plan.Calls), "this change", "these changes"), f.c.accountName()))
	buttons := button("No", !f.yes) + " " + button("Yes, apply", f.yes)
	hint := st.Dim.Render(fmt.Sprintf("%s applies · %s/%s back to the values · %s, %s confirms (default: No)",
		keyName(k.Yes), keyName(k.No), keyName(k.Back), keyName(k.Choose), keyName(k.Enter)))
	if ansi.StringWidth(hint) > w {
		hint = st.Dim.Render(fmt.Sprintf("%s applies · %s/%s back · %s, %s (default: No)",
			keyName(k.Yes), keyName(k.No), keyName(k.Back), keyName(k.Choose), keyName(k.Enter)))
	}
	if ansi.StringWidth(q)+2+ansi.StringWidth(buttons) > w {
		return []string{wrap(q, w, "", ""), buttons, hint} // the buttons are never cut
	}
	return []string{q + "  " + buttons, hint}
}

// savingLine is "Saving 3 changes…" or "Saving the security contact…".
func savingLine(p steps.Plan) string {
	if len(p.Calls) == 1 && p.Calls[0].Label != "" {
		return "Saving the " + safetext.Line(p.Calls[0].Label) + "…"
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
	return fmt.Sprintf("Saving %d %ss…", len(p.Calls), safetext.Line(noun))
}

func (f fixFlow) previewContent(w int) string {
	st := f.c.styles
	p := f.plan
	section := func(title string) string { return "\n" + st.Section.Render(title) }
	b := []string{st.Title.Render(safetext.Line(p.Title))}
	if p.NoOp {
		b = append(b, "", wrap(st.Text.Render("The account already has exactly this. Applying it would write nothing, so there is nothing to confirm."), w, "", ""))
		return strings.Join(b, "\n")
	}
	if len(p.Warnings) > 0 {
		b = append(b, section("Warnings"))
		for _, warn := range p.Warnings {
			b = append(b, wrap(st.Status[steps.StatusWarn].Bold(true).Render(safetext.Line(warn)), w, st.Status[steps.StatusWarn].Render("! "), "  "))
		}
	}
	if len(p.Notes) > 0 {
		b = append(b, section("Notes"))
		for _, n := range p.Notes {
			b = append(b, wrap(st.Text.Render(safetext.Line(n)), w, "  • ", "    "))
		}
	}
	if len(p.Changes) > 0 {
		b = append(b, section("What changes (now → after)"))
		b = append(b, changeRows(p.Changes, w, st)...)
	}
	if len(p.Kept) > 0 {
		b = append(b, section("Sent again as they are"))
		b = append(b, paramRows(p.Kept, w, 2, st)...)
	}
	b = append(b, section("API calls, in order"))
	for i, c := range p.Calls {
		b = append(b, wrap(st.Key.Render(safetext.Line(c.API))+" "+st.Dim.Render("("+safetext.Line(c.Label)+")"), w, fmt.Sprintf("  %d. ", i+1), "     "))
		b = append(b, paramRows(c.Params, w, 5, st)...)
		if c.Undo != nil {
			b = append(b, wrap(st.Dim.Render("undone with "+safetext.Line(c.Undo.API)+" if a later call fails"), w, "     ", "     "))
		}
	}
	return strings.Join(b, "\n")
}

// changeRows lays out "field  now → after" with every column as wide as
// its longest value. When a row would not fit, each change takes two
// lines: the field, then "now → after" under it.
func changeRows(changes []steps.Change, w int, st Styles) []string {
	changes = slices.Clone(changes)
	for i, c := range changes {
		// Whole, as written: a plan hides nothing of what it changes.
		changes[i] = steps.Change{Field: safetext.Line(c.Field), Current: safetext.Text(c.Current), Proposed: safetext.Text(c.Proposed)}
	}
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

// shownBlock is one stage item as lines: text, and the QR code of qr when
// there is room for it (else fallback).
type shownBlock struct {
	before, fallback []string
	qr               string
}

// shownBlocks lays out a stage's items in w columns and h rows: QR codes
// where they fit, and where they do not, a line saying so with the text
// to type or open instead.
func (f fixFlow) shownBlocks(items []steps.Shown, w, h, used int) []string {
	st := f.c.styles
	var blocks []shownBlock
	for _, s := range items {
		var bl shownBlock
		label := st.Section.Render(safetext.Line(s.Label))
		switch s.Kind {
		case steps.ShownLink:
			label += st.Dim.Render(" · scan the code with your phone, or use the text under it")
		case steps.ShownQR:
			label += st.Dim.Render(" · scan the code with your authenticator app")
		}
		bl.before = append(bl.before, "", wrap(label, w, "", ""))
		text := safetext.Line(s.Grouped) // shown as text; the QR code keeps s.Value as it is
		if text == "" {
			text = safetext.Line(s.Value)
		}
		switch s.Kind {
		case steps.ShownQR:
			// The code holds a secret (an otpauth:// URI): it is drawn, never
			// printed as text; only its Grouped form is, for typing by hand.
			bl.qr = s.Value
			if s.Grouped != "" {
				bl.fallback = []string{wrap(st.Bold.Render(text), w, "  ", "  ")}
			}
		case steps.ShownLink:
			bl.qr = s.Value
			bl.fallback = []string{wrap(st.Link.Render(text), w, "  ", "  ")}
		case steps.ShownSecret:
			bl.before = append(bl.before, wrap(st.Bold.Render(text), w, "  ", "  "),
				wrap(st.Dim.Render(fmt.Sprintf("Shown only now and never saved · %s copies it", keyName(f.keys.Copy))), w, "  ", "  "))
		default:
			bl.before = append(bl.before, wrap(st.Text.Render(text), w, "  ", "  "))
		}
		blocks = append(blocks, bl)
	}
	total := used
	for _, bl := range blocks {
		total += len(bl.before) + len(bl.fallback)
		if bl.qr != "" {
			total++ // the line under the code, or saying it does not fit
		}
	}
	var out []string
	for _, bl := range blocks {
		out = append(out, bl.before...)
		if bl.qr == "" {
			continue
		}
		instead := "use the text below"
		if strings.HasPrefix(bl.qr, "otpauth:") || len(bl.fallback) == 0 {
			instead = "type the secret below" // a secret's code: the stage shows the secret for typing
		}
		code, ok, nw, nh, err := qrLines(bl.qr, qrcode.Low, w, h-total, f.c.profile, st.IsDark)
		switch {
		case err != nil:
			out = append(out, wrap(st.Error.Render("No QR code ("+err.Error()+"): "+instead+"."), w, "  ", "  "))
		case !ok && nh+zoomChrome <= f.c.height: // it fits alone (zoomView)
			out = append(out, wrap(st.Status[steps.StatusWarn].Render(fmt.Sprintf(
				"The QR code does not fit beside the text: press %s to show it alone, or %s.", keyName(f.keys.QR), instead)), w, "  ", "  "))
		case !ok:
			out = append(out, wrap(st.Status[steps.StatusWarn].Render(fmt.Sprintf(
				"The QR code needs a terminal of at least %dx%d (this one is %dx%d): make it larger to scan it, or %s.",
				max(nw+1, minWidth), nh+zoomChrome, f.c.width, f.c.height, instead)), w, "  ", "  "))
		default:
			out = append(out, code...)
			total += len(code) - 1
		}
		out = append(out, bl.fallback...)
	}
	return out
}

// zoomView is the screen's QR code alone, on the whole terminal but the
// footer (w×h).
func (f fixFlow) zoomView(w, h int) string {
	st := f.c.styles
	s, _ := f.qrItem()
	caption := st.Section.Render(safetext.Line(s.Label)) + st.Dim.Render(fmt.Sprintf(" · %s goes back to the text", keyName(f.keys.QR)))
	code, ok, nw, nh, err := qrLines(s.Value, qrcode.Low, w, h-1, f.c.profile, st.IsDark)
	switch {
	case err != nil:
		return caption + "\n" + st.Error.Render("No QR code: "+err.Error())
	case !ok:
		return caption + "\n" + wrap(st.Status[steps.StatusWarn].Render(fmt.Sprintf(
			"The QR code needs a terminal of at least %dx%d (this one is %dx%d).", max(nw+1, minWidth), f.c.height-h+1+nh, f.c.width, f.c.height)), w, "", "")
	}
	return caption + "\n" + strings.Join(code, "\n")
}

// stageContent is a stage's items and what to do next.
func (f fixFlow) stageContent(w, h int) string {
	st := f.c.styles
	s := f.stage
	if s == nil {
		return ""
	}
	var head []string
	if s.Title != "" {
		head = append(head, st.Title.Render(safetext.Line(s.Title)))
	}
	if s.Help != "" {
		head = append(head, wrap(st.Text.Render(safetext.Line(s.Help)), w, "", ""))
	}
	next := fmt.Sprintf("Press %s when you are ready to answer, %s to stop (rootguard undoes what it made).", keyName(f.keys.Continue), keyName(f.keys.Stop))
	tail := []string{"", wrap(st.Bold.Render(next), w, "", "")}
	used := len(strings.Split(strings.Join(append(head, tail...), "\n"), "\n"))
	b := append(head, f.shownBlocks(s.Show, w, h, used)...)
	return strings.Join(append(b, tail...), "\n")
}

func (f fixFlow) resultContent(w, h int) string {
	c := f.c
	st := c.styles
	section := func(title string) string { return "\n" + st.Section.Render(title) }
	var b []string
	failed, undone := false, false
	for _, a := range f.applies {
		failed = failed || !a.result.OK()
		undone = undone || a.kind == applyAbort
	}
	switch {
	case f.stopped:
		b = append(b, st.Status[steps.StatusWarn].Bold(true).Render("■ Stopped before the fix was finished"))
	case failed:
		b = append(b, st.Status[steps.StatusFail].Render("✗ Not everything was written"))
	case len(f.applies) == 0 || !f.wrote():
		b = append(b, st.Text.Render("Nothing was written."))
	default:
		b = append(b, st.Status[steps.StatusPass].Bold(true).Render("✓ Written to the account"))
	}
	var todo string
	wroteBefore := false
	for _, a := range f.applies {
		if a.kind == applyAbort {
			b = append(b, "", st.Bold.Render("Undone:"))
			b = append(b, undoneLines(a.result, w, st)...)
			continue
		}
		for _, part := range strings.Split(safetext.Line(a.result.Explain()), "; ") {
			if part == "nothing was changed" && wroteBefore {
				continue // this plan changed nothing; an earlier one did
			}
			style := st.Text
			if strings.Contains(part, "NOT saved") || strings.Contains(part, "not attempted") ||
				strings.Contains(part, "nothing was changed") || strings.Contains(part, "stopped:") ||
				strings.Contains(part, "interrupted") || strings.Contains(part, "could NOT") {
				style = st.Error
			}
			b = append(b, wrap(style.Render(part), w, "  • ", "    "))
		}
		if t := a.result.Todo(); t != "" {
			todo = safetext.Line(t)
		}
		wroteBefore = wroteBefore || len(a.result.Applied) > 0
	}
	if todo != "" && !undone { // todo is sanitized above
		b = append(b, "", wrap(st.Bold.Render(todo), w, st.Key.Render("→ "), "  "))
	}
	if s := f.stageDone; s != nil && len(s.Show) > 0 {
		b = append(b, "")
		if s.Title != "" {
			b = append(b, st.Title.Render(safetext.Line(s.Title)))
		}
		if s.Help != "" {
			b = append(b, wrap(st.Text.Render(safetext.Line(s.Help)), w, "", ""))
		}
		used := len(strings.Split(strings.Join(b, "\n"), "\n")) + 4
		b = append(b, f.shownBlocks(s.Show, w, h, used)...)
	}
	b = append(b, section("Re-checked live"))
	for i, id := range f.fix.Recheck() {
		it := c.sess.byID[id]
		if it == nil {
			continue
		}
		if it.checking || !it.has {
			b = append(b, c.spin()+" "+st.Dim.Render(it.item.Title+": asking AWS…"))
			continue
		}
		status := it.result.Status
		if i > 0 {
			line := st.Status[status].Render(status.Glyph()+" "+string(status)) + "  " + st.Text.Render(it.item.Title)
			if it.result.Summary != "" {
				line += st.Dim.Render(": " + safetext.Line(it.result.Summary))
			}
			b = append(b, wrap(line, w, "", "    "))
			continue
		}
		b = append(b, c.verdictLine(status))
		if it.result.Summary != "" {
			b = append(b, wrap(st.Text.Render(safetext.Line(it.result.Summary)), w, "", ""))
		}
		if wait := c.waitsFor(it); wait != "" {
			b = append(b, wrap(st.Status[steps.StatusManual].Render(wait), w, "", "  "))
		}
		b = append(b, evidenceRows(it.result.Evidence, w, 2, st)...)
		if it.result.Todo != "" && status.Open() {
			b = append(b, wrap(st.Bold.Render(safetext.Line(it.result.Todo)), w, st.Key.Render("→ "), "  "))
		}
	}
	b = append(b, "", st.Dim.Render(fmt.Sprintf("Press %s to go back to the step, %s to re-check again.", keyName(f.keys.Done), keyName(f.keys.Recheck))))
	if hint := f.signInHint(); hint != "" {
		b = append(b, "", wrap(hint, w, "", "       "))
	}
	return strings.Join(b, "\n")
}

// signInHint is the demo's next step on a fix's result: after the admin
// fix made a working administrator, sign in as it; when the item is still
// open and the demo can act out the rest (confirming an email), s.
func (f fixFlow) signInHint() string {
	st := f.c.styles
	if it := f.c.sess.byID[f.fix.ID]; it != nil && it.open() && f.wrote() && f.c.cfg.canSimulate(f.fix.ID) {
		return st.DemoBadge.Render(" DEMO ") + " " + st.Text.Render("Back on the step, ") + st.Key.Render(keyName(f.c.keys.Step.Simulate)) +
			st.Text.Render(" simulates the rest in the console (such as clicking the link in that email).")
	}
	name, ok := f.c.cfg.adminToSignIn()
	if !ok || f.fix.ID != steps.FixAdminIdentity || !f.wrote() {
		return ""
	}
	usage := "root-usage"
	if it := f.c.sess.byID["root-usage"]; it != nil {
		usage = "\u201c" + it.item.Title + "\u201d"
	}
	return st.DemoBadge.Render(" DEMO ") + " " + st.Text.Render("Back on the step, ") + st.Key.Render(keyName(f.c.keys.Step.Demo.SignIn)) +
		st.Text.Render(" signs in as "+name+": rootguard then runs as "+name+", not root, and "+usage+" can turn green.")
}

// undoneLines says, call by call, what stopping took back.
func undoneLines(r steps.ApplyResult, w int, st Styles) []string {
	var b []string
	for _, c := range r.Applied {
		b = append(b, wrap(st.Status[steps.StatusPass].Render("✓ ")+st.Text.Render(safetext.Line(c.Label))+st.Dim.Render(" ("+safetext.Line(c.API)+")"), w, "  ", "    "))
	}
	if r.Failed != nil {
		b = append(b, wrap(st.Error.Render("✗ "+safetext.Line(r.Failed.Label+" could NOT be done: "+r.Err.Error())), w, "  ", "    "))
	}
	for _, c := range r.NotAttempted {
		b = append(b, wrap(st.Error.Render("✗ "+safetext.Line(c.Label)+" not attempted"), w, "  ", "    "))
	}
	if r.NoOp || (len(r.Applied) == 0 && r.Failed == nil) {
		b = append(b, st.Dim.Render("  nothing needed undoing"))
	}
	if t := r.Todo(); t != "" {
		b = append(b, "", wrap(st.Bold.Render(safetext.Line(t)+" Remove what is left in the console."), w, st.Key.Render("→ "), "  "))
	}
	return b
}
