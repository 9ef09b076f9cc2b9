package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/skip2/go-qrcode"
)

// qrCode is a QR code of a link, as modules (true = dark).
type qrCode struct {
	modules [][]bool
}

func newQRCode(content string) (qrCode, error) { return newQRCodeAt(content, qrcode.Medium) }

// newQRCodeAt is newQRCode with a recovery level: Low makes a smaller code
// of the same content, for long values on a screen (nothing smudges it).
func newQRCodeAt(content string, level qrcode.RecoveryLevel) (qrCode, error) {
	q, err := qrcode.New(content, level)
	if err != nil {
		return qrCode{}, err
	}
	q.DisableBorder = true
	return qrCode{modules: q.Bitmap()}, nil
}

// size is the terminal cells the code needs with a quiet zone of quiet
// modules: one column per module, two modules per row (half blocks).
func (q qrCode) size(quiet int) (w, h int) {
	n := len(q.modules) + 2*quiet
	return n, (n + 1) / 2
}

// render draws the code with half blocks. With colours, dark modules are
// drawn black on white whatever the terminal's background. Without colours
// (NO_COLOR), the glyphs take the terminal's text colour: on a dark
// background they draw the light modules, so the code still reads dark on
// light.
func (q qrCode) render(quiet int, profile colorprofile.Profile, isDark bool) string {
	n := len(q.modules) + 2*quiet
	dark := func(y, x int) bool {
		y, x = y-quiet, x-quiet
		if y < 0 || x < 0 || y >= len(q.modules) || x >= len(q.modules) {
			return false
		}
		return q.modules[y][x]
	}
	colour := profile > colorprofile.ASCII
	// ink reports whether a module is drawn with the glyph's foreground.
	ink := func(y, x int) bool {
		if y >= n {
			return false // the half row below the code: background
		}
		d := dark(y, x)
		if !colour && isDark {
			return !d
		}
		return d
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		if colour {
			// Black glyphs on bright white, spelt as reverse video of white
			// on black: Bubble Tea's renderer then writes the quiet zone's
			// spaces out instead of erasing them (ECH), which terminals
			// without background colour erase (tmux) would leave unpainted.
			b.WriteString("\x1b[7;97;40m")
		}
		for x := 0; x < n; x++ {
			top, bottom := ink(y, x), ink(y+1, x)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		if colour {
			b.WriteString("\x1b[0m")
		}
		if y+2 < n {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// fitQR picks the largest quiet zone (4, the spec, down to 2) that fits in
// w×h cells, or reports the size needed.
func fitQR(q qrCode, w, h int) (quiet int, ok bool, need string) {
	for _, quiet := range []int{4, 3, 2} {
		qw, qh := q.size(quiet)
		if qw <= w && qh <= h {
			return quiet, true, ""
		}
	}
	qw, qh := q.size(2)
	return 0, false, fmt.Sprintf("%dx%d", qw, qh)
}

// qrLines draws a QR code of value centred in w columns within h rows,
// or says it cannot: ok is false when the code needs more room (need is
// the size it needs, "WxH"), or when value cannot be encoded (err).
func qrLines(value string, level qrcode.RecoveryLevel, w, h int, profile colorprofile.Profile, isDark bool) (lines []string, ok bool, needW, needH int, err error) {
	q, err := newQRCodeAt(value, level)
	if err != nil {
		return nil, false, 0, 0, err
	}
	quiet, fits, need := fitQR(q, w, h)
	if !fits {
		fmt.Sscanf(need, "%dx%d", &needW, &needH)
		return nil, false, needW, needH, nil
	}
	code := strings.Split(q.render(quiet, profile, isDark), "\n")
	qw, _ := q.size(quiet)
	pad := strings.Repeat(" ", max((w-qw)/2, 0))
	for i := range code {
		code[i] = pad + code[i]
	}
	return code, true, 0, 0, nil
}
