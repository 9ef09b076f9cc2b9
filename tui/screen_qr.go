package tui

import (
	"github.com/rootguard/rootguard/awsops/safetext"

	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/skip2/go-qrcode"
)

// qrScreen is an item's console link as a QR code for a phone, on the
// whole terminal. ? says what it is for.
type qrScreen struct {
	c     *common
	keys  QRKeys
	id    string
	about bool // the explanation shows instead of the code
}

func newQRScreen(c *common) qrScreen { return qrScreen{c: c, keys: c.keys.QR} }

func (s *qrScreen) open(id string) { s.id, s.about = id, false }

func (s *qrScreen) sync(w, h int) {}

func (s qrScreen) url() string {
	if it := s.c.sess.byID[s.id]; it != nil {
		return it.item.ConsoleURL
	}
	return ""
}

func (s qrScreen) Update(msg tea.Msg) (qrScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.About):
		s.about = !s.about
	case key.Matches(k, s.keys.Copy):
		return s, tea.Batch(tea.SetClipboard(s.url()), flash("Sent the link to your clipboard."))
	case key.Matches(k, s.keys.Back):
		if s.about {
			s.about = false
			return s, nil
		}
		return s, do(openStepMsg{ID: s.id})
	}
	return s, nil
}

func (s qrScreen) help() helpKeys {
	short := []key.Binding{s.keys.Back, s.keys.Copy, s.keys.About}
	return helpKeys{short: short, full: [][]key.Binding{short}}
}

// View fills the whole terminal: the code, and under it the title, the
// link and the keys.
func (s qrScreen) View(w, h int) string {
	st := s.c.styles
	it := s.c.sess.byID[s.id]
	if it == nil {
		return ""
	}
	url := it.item.ConsoleURL
	keys := fmt.Sprintf("Scan with your phone's camera · %s back · %s copy link · %s what is this?", keyName(s.keys.Back), keyName(s.keys.Copy), keyName(s.keys.About))
	caption := []string{
		st.Title.Render(it.item.Title) + st.Dim.Render(" · console link"),
		st.Link.Render(url),
		st.Dim.Render(keys),
	}
	for i := range caption {
		caption[i] = ansi.Truncate(caption[i], w, "…")
	}
	if s.about {
		text := []string{
			st.Title.Render("What is this?"), "",
			"This square is a QR code of the console link for \"" + it.item.Title + "\".",
			"Point your phone's camera at it and tap the link that appears: the AWS console opens on the phone at the right page. Use it when this terminal has no browser, or to do the step on your phone.",
			"", "It only holds the link: no password, key or account secret.",
		}
		bw := min(w, 70)
		body := lipgloss.NewStyle().Width(bw).Render(wrap(st.Text.Render(strings.Join(text, "\n")), bw, "", ""))
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center,
			body+"\n\n"+st.Dim.Render(fmt.Sprintf("%s shows the code again", keyName(s.keys.About))))
	}
	code, ok, nw, nh, err := qrLines(url, qrcode.Medium, w, h-len(caption), s.c.profile, st.IsDark)
	switch {
	case err != nil:
		return fit(st.Error.Render("Could not make a QR code: "+safetext.Line(err.Error()))+"\n"+strings.Join(caption, "\n"), w, h)
	case !ok:
		msg := fmt.Sprintf("Make the terminal at least %dx%d to show the QR code (this one is %dx%d).", max(nw, minWidth), nh+len(caption), w, h)
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center,
			wrap(st.Text.Render(msg), min(w, 70), "", "")+"\n\n"+strings.Join(caption[1:], "\n"))
	}
	top := max((h-len(code)-len(caption))/2, 0)
	out := slices.Repeat([]string{""}, top)
	out = append(out, code...)
	for _, c := range caption {
		out = append(out, strings.Repeat(" ", max((w-ansi.StringWidth(c))/2, 0))+c)
	}
	return fit(strings.Join(out, "\n"), w, h)
}
