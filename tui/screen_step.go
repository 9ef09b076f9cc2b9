package tui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
)

// stepScreen is one item: its verdict and evidence, why it matters, what
// to do (the fix rootguard would make, the console guide) and the link.
// On attest items, m asks for an optional note before saving the mark.
type stepScreen struct {
	c    *common
	keys StepKeys
	id   string
	vp   viewport.Model

	noting  bool // the note prompt is open
	note    textinput.Model
	noteErr string

	// saving: the prompt for where to save the item's export is open.
	saving   bool
	savePath textinput.Model
	saveErr  string
}

// noteLimit is the longest note saved with a mark.
const noteLimit = 200

func newStepScreen(c *common) stepScreen {
	s := stepScreen{c: c, keys: c.keys.Step, vp: viewport.New(), note: textinput.New(), savePath: textinput.New()}
	s.note.Prompt = "> "
	s.note.Placeholder = "e.g. where the password is kept"
	s.savePath.Prompt = "> "
	s.savePath.CharLimit = 4096
	return s
}

// open shows an item from its top.
func (s *stepScreen) open(id string) {
	s.id = id
	s.noting, s.noteErr = false, ""
	s.note.Reset()
	s.note.Blur()
	s.saving, s.saveErr = false, ""
	s.savePath.Blur()
	s.vp.GotoTop()
}

func (s stepScreen) item() *itemState { return s.c.sess.byID[s.id] }

// typing reports whether keys go to the note or the path prompt.
func (s stepScreen) typing() bool { return s.noting || s.saving }

func (s *stepScreen) setKeys() {
	k := &s.keys
	it := s.item()
	if it == nil {
		return
	}
	_, fixable := s.c.cfg.fixFor(it.item.ID)
	attest := it.item.Markable(it.result)
	url := it.item.ConsoleURL != ""
	ready := s.c.sess.identity != nil
	prompt := s.noting || s.saving
	enable(!prompt,
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.NextOpen, &k.NextItem, &k.PrevItem,
		&k.Back, &k.Summary)
	enable(!prompt && ready, &k.Recheck, &k.RecheckAll)
	k.Fix.SetEnabled(!prompt && fixable)
	k.NoFix.SetEnabled(!prompt && !fixable)
	k.Attest.SetEnabled(!prompt && attest)
	k.Unattest.SetEnabled(!prompt && attest)
	k.NoMark.SetEnabled(!prompt && !attest)
	enable(!prompt && url, &k.Copy, &k.Browser, &k.QR)
	k.Simulate.SetEnabled(!prompt && s.c.cfg.Demo)
	enable(s.noting, &k.NoteSave, &k.NoteCancel)
	k.Export.SetEnabled(!prompt && ready && it.item.Export != nil)
	if e := it.item.Export; e != nil {
		k.Export.SetHelp(keyName(k.Export), e.Label)
	}
	enable(s.saving, &k.ExportSave, &k.ExportCancel)
	s.c.setDemoKeys(&k.Demo, offersSignIn(s.id), prompt)
	if it.result.Status == steps.StatusAttested {
		k.Attest.SetHelp(keyName(k.Attest), "mark again")
	} else {
		k.Attest.SetHelp(keyName(k.Attest), "mark done")
	}
}

// stepChrome is the step body's lines around the viewport: the step line,
// the title and the rule under it.
const stepChrome = 3

func (s *stepScreen) sync(w, h int) {
	s.setKeys()
	it := s.item()
	if it == nil {
		return
	}
	n := h - stepChrome
	if s.demoLine() != "" {
		n--
	}
	if s.noting || s.saving {
		n -= 3
	}
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(n, 1))
	s.vp.SetContent(s.content(it, contentWidth(w)))
	s.note.SetWidth(max(contentWidth(w)-4, 10))
	s.savePath.SetWidth(max(contentWidth(w)-4, 10))
}

// offersSignIn: the steps where the demo offers to sign in as the new
// administrator (the one that makes it, the one it turns green).
func offersSignIn(id string) bool { return id == steps.FixAdminIdentity || id == "root-usage" }

// demoLine is the demo's line under the step: what s simulates, or how to
// sign in as the new administrator ("" when neither applies).
func (s stepScreen) demoLine() string {
	it := s.item()
	if it == nil || s.noting || s.saving {
		return ""
	}
	st := s.c.styles
	badge := st.DemoBadge.Render(" DEMO ") + " "
	switch {
	case s.c.cfg.canSimulate(s.id) && it.open():
		return badge + st.Key.Render(keyName(s.keys.Simulate)) + st.Text.Render(" simulates doing this in the console (demo only)")
	case s.keys.Demo.SignIn.Enabled():
		name, _ := s.c.cfg.adminToSignIn()
		return badge + st.Key.Render(keyName(s.keys.Demo.SignIn)) + st.Text.Render(" signs in as "+name+": rootguard then runs as "+name+", not root")
	}
	return ""
}

func (s stepScreen) Update(msg tea.Msg) (stepScreen, tea.Cmd) {
	it := s.item()
	if it == nil {
		return s, nil
	}
	if s.noting {
		return s.updateNote(msg)
	}
	if s.saving {
		return s.updateSave(msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	keys := s.keys
	list := s.c.sess.listed()
	i := indexOf(list, s.id)
	switch {
	case key.Matches(k, keys.Back):
		return s, do(openChecklistMsg{ID: s.id})
	case scroll(&s.vp, keys.ScrollKeys, k):
	case key.Matches(k, keys.NextOpen):
		if id := s.c.sess.nextOpen(s.id); id != "" {
			return s, do(openStepMsg{ID: id})
		}
		return s, tea.Batch(do(openSummaryMsg{}), flash("Nothing else needs attention."))
	case key.Matches(k, keys.NextItem):
		if i >= 0 && i+1 < len(list) {
			return s, do(openStepMsg{ID: list[i+1].item.ID})
		}
		return s, do(openSummaryMsg{})
	case key.Matches(k, keys.PrevItem):
		if i > 0 {
			return s, do(openStepMsg{ID: list[i-1].item.ID})
		}
	case key.Matches(k, keys.Recheck):
		return s, do(recheckMsg{IDs: []string{s.id}})
	case key.Matches(k, keys.RecheckAll):
		return s, do(recheckMsg{All: true})
	case key.Matches(k, keys.Summary):
		return s, do(openSummaryMsg{})
	case key.Matches(k, keys.Fix):
		return s, do(startFixMsg{ID: s.id})
	case key.Matches(k, keys.NoFix):
		return s, flash(s.noFixAdvice(it))
	case key.Matches(k, keys.Attest):
		s.noting, s.noteErr = true, ""
		s.note.Reset()
		return s, s.note.Focus()
	case key.Matches(k, keys.Unattest):
		if it.result.Status != steps.StatusAttested {
			return s, flash("There is no mark to undo here.")
		}
		return s, unattestCmd(s.c.cfg.Attestations, s.id)
	case key.Matches(k, keys.NoMark):
		return s, flash(fmt.Sprintf("This item is verified live: press %s to re-check it after you make the change.", keyName(keys.Recheck)))
	case key.Matches(k, keys.Copy):
		return s, tea.Batch(tea.SetClipboard(it.item.ConsoleURL),
			flash("Sent the link to your clipboard; if it didn't arrive, select it above."))
	case key.Matches(k, keys.Browser):
		if s.c.cfg.OpenURL == nil {
			return s, flash(fmt.Sprintf("No browser can be opened from this terminal: press %s to copy the link or %s for a QR code.", keyName(keys.Copy), keyName(keys.QR)))
		}
		return s, openCmd(s.c.cfg.OpenURL, it.item.ConsoleURL)
	case key.Matches(k, keys.QR):
		return s, do(openQRMsg{ID: s.id})
	case key.Matches(k, keys.Export):
		s.saving, s.saveErr = true, ""
		s.savePath.SetValue(s.exportPath(it.item.Export))
		s.savePath.CursorEnd()
		return s, s.savePath.Focus()
	case key.Matches(k, keys.Simulate):
		switch {
		case s.c.cfg.DryRun && s.c.cfg.demoCanSimulate(s.id):
			return s, flash(fmt.Sprintf("Dry run: %s is off, because simulating changes the demo account. Run without --dry-run to try it.", keyName(keys.Simulate)))
		case !s.c.cfg.canSimulate(s.id) && keys.Demo.SignIn.Enabled():
			name, _ := s.c.cfg.adminToSignIn()
			return s, flash(fmt.Sprintf("Nothing to simulate here: press %s to sign in as %s instead of root.", keyName(keys.Demo.SignIn), name))
		case !s.c.cfg.canSimulate(s.id):
			return s, flash("Nothing to simulate for this item.")
		}
		return s, do(simulateMsg{ID: s.id})
	}
	if cmd, ok := demoKey(k, keys.Demo); ok {
		return s, cmd
	}
	return s, nil
}

// updateNote drives the note prompt of a mark.
func (s stepScreen) updateNote(msg tea.Msg) (stepScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, s.keys.NoteCancel):
			s.noting = false
			s.note.Blur()
			return s, flash("Not marked.")
		case key.Matches(k, s.keys.NoteSave):
			note := strings.TrimSpace(s.note.Value())
			if n := utf8.RuneCountInString(note); n > noteLimit {
				s.noteErr = fmt.Sprintf("The note is at most %d characters (this one is %d): shorten it, or clear it to skip.", noteLimit, n)
				return s, nil
			}
			if strings.ContainsFunc(note, unicode.IsControl) {
				s.noteErr = "The note must not contain control characters (tabs, line breaks…)."
				return s, nil
			}
			s.noting = false
			s.note.Blur()
			return s, attestCmd(s.c.cfg.Attestations, steps.Attestation{ItemID: s.id, At: s.c.cfg.Now(), Note: note})
		}
	}
	var cmd tea.Cmd
	s.note, cmd = s.note.Update(msg)
	s.noteErr = ""
	return s, cmd
}

// exportPath is where an export goes by default: the current directory,
// a name with the account and today's date.
func (s stepScreen) exportPath(e *steps.Export) string {
	account := ""
	if id := s.c.sess.identity; id != nil {
		account = id.Account
	}
	return "./" + e.FileName(account, s.c.cfg.Now())
}

// updateSave drives the prompt for where to save the item's export; the
// file is read and written in a command.
func (s stepScreen) updateSave(msg tea.Msg) (stepScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, s.keys.ExportCancel):
			s.saving = false
			s.savePath.Blur()
			return s, flash("Not saved.")
		case key.Matches(k, s.keys.ExportSave):
			path := strings.TrimSpace(s.savePath.Value())
			if path == "" || strings.ContainsFunc(path, unicode.IsControl) {
				s.saveErr = "Type where to save the file, e.g. " + s.exportPath(s.item().item.Export)
				return s, nil
			}
			s.saving = false
			s.savePath.Blur()
			c := s.c
			return s, tea.Batch(flash("Saving "+s.item().item.Export.What+"…"),
				exportCmd(c.ctx, s.item().item.Export, c.cfg.Account, s.id, path, c.cfg.CheckTimeout))
		}
	}
	var cmd tea.Cmd
	s.savePath, cmd = s.savePath.Update(msg)
	s.saveErr = ""
	return s, cmd
}

// noFixAdvice says what to do about an item rootguard cannot fix.
func (s stepScreen) noFixAdvice(it *itemState) string {
	k := s.keys
	switch {
	case it.has && it.result.Status == steps.StatusNA:
		return "Nothing to fix: this does not apply to your account."
	case it.item.Kind == steps.KindAttest:
		return fmt.Sprintf("rootguard cannot do this for you: no AWS API can. Follow the guidance below, then press %s to mark it done.", keyName(k.Attest))
	case it.has && it.item.Markable(it.result):
		return fmt.Sprintf("rootguard cannot see this as the identity it runs as: follow the steps below, then press %s to mark it done.", keyName(k.Attest))
	case it.item.Kind == steps.KindInfo:
		return "Nothing to fix: this item is shown for context."
	case it.item.ConsoleURL != "":
		return fmt.Sprintf("rootguard cannot make this change through the API: follow the console steps below (%s copies the link), then press %s to re-check.", keyName(k.Copy), keyName(k.Recheck))
	}
	return fmt.Sprintf("rootguard cannot make this change through the API: follow the steps below, then press %s to re-check.", keyName(k.Recheck))
}

func (s stepScreen) help() helpKeys {
	k := s.keys
	h := s.c.helpKey()
	if s.noting {
		short := []key.Binding{k.NoteSave, k.NoteCancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	if s.saving {
		short := []key.Binding{k.ExportSave, k.ExportCancel}
		return helpKeys{short: short, full: [][]key.Binding{short}}
	}
	it := s.item()
	short := []key.Binding{k.NextOpen, k.Back, h, k.Recheck}
	var actions []key.Binding
	if it != nil {
		switch {
		case it.result.Status == steps.StatusAttested:
			short = append(short, k.Unattest)
		case it.item.Markable(it.result):
			short = append(short, k.Attest)
		}
		short = append(short, k.Fix, k.Export, k.Copy)
		if s.c.cfg.OpenURL != nil {
			short = append(short, k.Browser)
		}
		short = append(short, k.QR)
		if s.c.cfg.canSimulate(s.id) {
			short = append(short, k.Simulate)
		}
		short = append(short, k.Demo.SignIn)
	}
	actions = append(actions, k.Fix, k.NoFix, k.Attest, k.Unattest, k.NoMark, k.Export, k.Copy, k.Browser, k.QR, k.Simulate)
	return helpKeys{
		short: short,
		full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown},
			{k.NextOpen, k.NextItem, k.PrevItem, k.Back},
			append([]key.Binding{k.Recheck, k.RecheckAll}, actions...),
			{k.Summary, h, s.c.keys.Global.Interrupt},
			{k.Demo.SignIn, k.Demo.Undo, k.Demo.StartOver}},
	}
}

func (s stepScreen) View(w, h int) string {
	c := s.c
	st := c.styles
	it := s.item()
	if it == nil {
		return ""
	}
	list := c.sess.listed()
	lines := []string{
		stepHeader(indexOf(list, s.id)+1, c.sess.tally().Listed, it.item, c.cfg, w, st),
		rightAlign(st.Title.Render(it.item.Title), c.statusCell(it), w),
		s.vp.View(),
		c.scrollRule(&s.vp, w, s.keys.Down),
	}
	if line := s.demoLine(); line != "" {
		lines = append(lines, line)
	}
	if s.noting {
		hint := st.Dim.Render(fmt.Sprintf("%s saves the mark (an empty note is fine) · %s cancels", keyName(s.keys.NoteSave), keyName(s.keys.NoteCancel)))
		if s.noteErr != "" {
			hint = st.Error.Render(s.noteErr)
		}
		lines = append(lines, st.Bold.Render("A note to keep with the mark (optional):"), s.note.View(), wrap(hint, w, "", ""))
	}
	if s.saving {
		e := it.item.Export
		hint := st.Dim.Render(fmt.Sprintf("%s saves it (readable by you only) · %s cancels", keyName(s.keys.ExportSave), keyName(s.keys.ExportCancel)))
		if s.saveErr != "" {
			hint = st.Error.Render(s.saveErr)
		}
		lines = append(lines, st.Bold.Render("Save "+e.What+" (it lists every user) as:"), s.savePath.View(), wrap(hint, w, "", ""))
	}
	return strings.Join(lines, "\n")
}

// stepHeader is "Step 3 of 22 · phase" with severity and kind on the
// right; the kind, then the words "Step … of", give way before the phase
// name is cut. total is the tally's count of listed items.
func stepHeader(n, total int, it steps.Item, cfg Config, w int, st Styles) string {
	sev := st.Severity[it.Severity].Render(string(it.Severity))
	phase := it.Phase.Title()
	for _, try := range []struct{ crumb, tags string }{
		{fmt.Sprintf("Step %d of %d · %s", n, total, phase), sev + st.Dim.Render(" · "+kindLabel(it, cfg))},
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
func kindLabel(it steps.Item, cfg Config) string {
	if _, ok := cfg.fixFor(it.ID); ok {
		return "rootguard can fix"
	}
	switch it.Kind {
	case steps.KindAuto, steps.KindGuided:
		return "you fix it in the console"
	case steps.KindAttest:
		return "you confirm it"
	case steps.KindInfo:
		return "for information"
	}
	return string(it.Kind)
}

func (s stepScreen) content(it *itemState, w int) string {
	c := s.c
	st := c.styles
	section := func(title string) string { return "\n" + st.Section.Render(title) }
	b := []string{c.verdictLine(it.status())}
	if it.has {
		if it.result.Summary != "" {
			b = append(b, wrap(st.Text.Render(safetext.Line(it.result.Summary)), w, "", ""))
		}
		if wait := c.waitsFor(it); wait != "" {
			b = append(b, wrap(st.Status[steps.StatusManual].Render(wait), w, "", "  "))
		}
		if when := s.verifiedLine(it); when != "" {
			b = append(b, st.Dim.Render(when))
		}
		if len(it.result.Evidence) > 0 {
			b = append(b, section("Evidence"))
			b = append(b, evidenceRows(it.result.Evidence, w, 2, st)...)
		}
		details, more := shownDetails(it.result.Details)
		for _, d := range details {
			b = append(b, wrap(st.Text.Render(d), w, "  • ", "    "))
		}
		if more > 0 {
			b = append(b, wrap(st.Dim.Render(fmt.Sprintf("… and %s more (the full list is in the report: %s)", thousands(more), reportHint(c.cfg.Demo))), w, "    ", "    "))
		}
	}
	if it.item.Why != "" {
		b = append(b, section("Why it matters"), wrap(st.Text.Render(it.item.Why), w, "", ""))
	}
	b = append(b, section("What to do"))
	if it.has && it.result.Todo != "" && it.result.Status.Open() {
		b = append(b, wrap(st.Bold.Render(safetext.Line(it.result.Todo)), w, st.Key.Render("→ "), "  "))
	}
	b = append(b, wrap(st.Text.Render(s.advice(it)), w, "", ""))
	if _, ok := c.cfg.fixFor(it.item.ID); ok && it.open() {
		b = append(b, "", s.planBox(it.preview, w))
	}
	if g, ok := c.cfg.Guide(it.item.ID); ok && strings.TrimSpace(g) != "" {
		b = append(b, "", renderMarkdown(c.personalise(g), w, st))
	}
	if url := it.item.ConsoleURL; url != "" {
		open := ""
		if c.cfg.OpenURL != nil {
			open = " · " + st.Key.Render(keyName(s.keys.Browser)) + st.Dim.Render(" open in browser")
		}
		b = append(b, section("Console link"), wrap(st.Link.Render(url), w, "", ""),
			st.Key.Render(keyName(s.keys.Copy))+st.Dim.Render(" copy")+open+" · "+
				st.Key.Render(keyName(s.keys.QR))+st.Dim.Render(" QR code for your phone"))
	}
	return strings.Join(b, "\n")
}

// waitsFor is "waits for: <item>" when the item's verdict waits on another
// item ("" when it does not, or when its summary says so already).
func (c *common) waitsFor(it *itemState) string {
	if !it.has || it.checking || it.result.BlockedBy == "" || strings.Contains(it.result.Summary, "waits for") {
		return ""
	}
	name := safetext.Line(it.result.BlockedBy)
	if other := c.sess.byID[it.result.BlockedBy]; other != nil {
		name = other.item.Title
	}
	return "waits for: " + name
}

// reportHint is the command that writes the full report.
func reportHint(demo bool) string {
	if demo {
		return "rootguard --demo report"
	}
	return "rootguard report"
}

// verifiedLine says when the verdict was read live; for attest items,
// when the user marked it done (the check shows the note); nothing for
// information items.
func (s stepScreen) verifiedLine(it *itemState) string {
	c := s.c
	switch it.item.Kind {
	case steps.KindInfo:
		return ""
	case steps.KindAttest:
		if it.result.Status != steps.StatusAttested {
			return ""
		}
		at := it.mark
		if at == nil || at.At.IsZero() {
			return ""
		}
		return "Marked done on " + at.At.In(c.cfg.Now().Location()).Format("2 Jan 2006 15:04")
	}
	if it.result.CheckedAt.IsZero() {
		return ""
	}
	return "Last verified " + it.result.CheckedAt.Format("15:04:05") + " (" + relTime(c.cfg.Now(), it.result.CheckedAt) + ")"
}

// advice is the sentence under "What to do".
func (s stepScreen) advice(it *itemState) string {
	k := s.keys
	recheck := keyName(k.Recheck)
	if it.has && it.result.Status == steps.StatusNA {
		return "Nothing to do: this does not apply to your account."
	}
	if _, ok := s.c.cfg.fixFor(it.item.ID); ok {
		if !it.open() {
			return fmt.Sprintf("Nothing to change: this is in place. Press %s to re-check at any time, or %s to change it.", recheck, keyName(k.Fix))
		}
		return fmt.Sprintf("rootguard can make this change for you through the AWS API: press %s (or %s) to choose the values. You see exactly what will change and confirm it before anything is written. You can also do it yourself in the console.",
			keyName(k.Fix), k.Fix.Keys()[1])
	}
	switch it.item.Kind {
	case steps.KindAuto:
		if !it.open() {
			return fmt.Sprintf("Nothing to do: verified live. Press %s to re-check at any time.", recheck)
		}
		return fmt.Sprintf("You fix it in the console. %s Follow the steps below, then press %s to re-check.", signInAs(it.item), recheck)
	case steps.KindGuided:
		if it.has && it.item.Markable(it.result) {
			if it.result.Status == steps.StatusAttested {
				return fmt.Sprintf("You marked this done: rootguard cannot see it as the identity it runs as. Press %s to undo the mark if it was a mistake.", keyName(k.Unattest))
			}
			return fmt.Sprintf("rootguard cannot see this as the identity it runs as (only root can). %s Follow the steps below, then press %s to mark it done (today's date and an optional note are kept).", signInAs(it.item), keyName(k.Attest))
		}
		if !it.open() {
			return "Nothing to do: verified live. The steps below are for reference."
		}
		return fmt.Sprintf("Only a person can do this, in the AWS console. %s Follow the steps below, then press %s to re-check.", signInAs(it.item), recheck)
	case steps.KindAttest:
		if it.has && it.result.Status == steps.StatusAttested {
			return fmt.Sprintf("You marked this done. Press %s to undo that if it was a mistake.", keyName(k.Unattest))
		}
		msg := fmt.Sprintf("No AWS API can verify this. Follow the guidance below, then press %s to mark it done (today's date and an optional note are kept", keyName(k.Attest))
		if it.item.AttestValidity > 0 {
			msg += fmt.Sprintf("; you'll be asked again after %d days", int(it.item.AttestValidity.Hours()/24))
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

// planBox is "What rootguard would change": the fix's intro and the plan
// of its default input.
func (s stepScreen) planBox(p fixPreview, w int) string {
	st := s.c.styles
	bw := min(w, 80)
	inner := bw - 4 // border and padding
	lines := []string{st.Section.Render("What rootguard would change")}
	if p.Intro != "" {
		lines = append(lines, wrap(st.Text.Render(p.Intro), inner, "", ""))
	}
	if p.Note != "" {
		lines = append(lines, wrap(st.Dim.Render(p.Note), inner, "", ""))
	}
	if len(p.Changes) > 0 {
		lines = append(lines, "")
		lines = append(lines, changeRows(p.Changes, inner, st)...)
	}
	for _, warn := range p.Warnings {
		lines = append(lines, wrap(st.Status[steps.StatusWarn].Render(warn), inner, "! ", "  "))
	}
	lines = append(lines, "", wrap(st.Dim.Render(fmt.Sprintf("Press %s to choose the values and preview the change; nothing is written until you say yes.", keyName(s.keys.Fix))), inner, "", ""))
	return st.Box.Width(bw).Render(strings.Join(lines, "\n"))
}

// scroll moves vp for the scrolling keys and reports whether k was one of
// them. Every scrollable screen uses it.
func scroll(vp *viewport.Model, keys ScrollKeys, k tea.KeyPressMsg) bool {
	switch {
	case key.Matches(k, keys.Up):
		vp.ScrollUp(1)
	case key.Matches(k, keys.Down):
		vp.ScrollDown(1)
	case key.Matches(k, keys.PageUp):
		vp.PageUp()
	case key.Matches(k, keys.PageDown):
		vp.PageDown()
	case key.Matches(k, keys.Top):
		vp.GotoTop()
	case key.Matches(k, keys.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// personalise fills the account's own sign-in name into a guide's
// ACCOUNT_ID placeholders (the alias when there is one, as AWS's sign-in
// URL accepts either).
func (c *common) personalise(guide string) string {
	id := c.sess.identity
	if id == nil || id.Account == "" {
		return guide
	}
	name := id.Account
	if id.Alias != "" {
		name = id.Alias
	}
	// Into rootguard's own Markdown: one line, no markup of its own.
	return strings.ReplaceAll(guide, "ACCOUNT_ID", strings.NewReplacer("*", "", "`", "", "[", "", "]", "").Replace(safetext.Line(name)))
}
