package main

import (
	"strings"

	"github.com/skip2/go-qrcode"
)

// qrText draws a QR code of content with half blocks (two modules per
// row), as the wizard does, with a quiet zone of quiet modules. With
// colour, dark modules are black on white whatever the terminal's
// background; without (NO_COLOR), the glyphs take the text colour, so on a
// dark background they draw the light modules and the code still reads
// dark on light.
func qrText(content string, quiet int, colour, isDark bool) (text string, width int, err error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", 0, err
	}
	q.DisableBorder = true
	modules := q.Bitmap()
	n := len(modules) + 2*quiet
	dark := func(y, x int) bool {
		y, x = y-quiet, x-quiet
		return y >= 0 && x >= 0 && y < len(modules) && x < len(modules) && modules[y][x]
	}
	ink := func(y, x int) bool {
		if y >= n {
			return false // the half row below the code: background
		}
		if !colour && isDark {
			return !dark(y, x)
		}
		return dark(y, x)
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		if colour {
			b.WriteString("\x1b[30;107m") // black glyphs on bright white
		}
		for x := range n {
			switch top, bottom := ink(y, x), ink(y+1, x); {
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
		b.WriteByte('\n')
	}
	return b.String(), n, nil
}
