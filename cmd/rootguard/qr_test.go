package main

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// The QR codes a fix stage draws decode with a real QR reader, in colour
// and without, on dark and light terminals.
func TestQRTextDecodes(t *testing.T) {
	content := "otpauth://totp/Amazon%20Web%20Services:admin@acme-sandbox?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services"
	for _, c := range []struct {
		name           string
		colour, isDark bool
		inkDark        bool // the glyphs are drawn dark (black, or a light terminal's text)
	}{
		{"colour", true, true, true},
		{"no colour, dark terminal", false, true, false},
		{"no colour, light terminal", false, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, width, err := qrText(content, 2, c.colour, c.isDark)
			if err != nil {
				t.Fatal(err)
			}
			rows := strings.Split(strings.TrimSuffix(ansi.Strip(text), "\n"), "\n")
			if got := len([]rune(rows[0])); got != width {
				t.Fatalf("width %d, drawn %d", width, got)
			}
			if got := decodeQR(t, rows, c.inkDark); got != content {
				t.Errorf("decoded %q", got)
			}
		})
	}
}

// decodeQR paints half-block rows as pixels and decodes them.
func decodeQR(t *testing.T, rows []string, inkDark bool) string {
	t.Helper()
	const scale = 4
	var ink [][]bool
	for _, row := range rows {
		var top, bottom []bool
		for _, r := range row {
			top = append(top, r == '█' || r == '▀')
			bottom = append(bottom, r == '█' || r == '▄')
		}
		ink = append(ink, top, bottom)
	}
	h, w := len(ink), len(ink[0])
	img := image.NewGray(image.Rect(0, 0, w*scale, h*scale))
	for y := range h * scale {
		for x := range w * scale {
			v := uint8(255)
			if ink[y/scale][x/scale] == inkDark {
				v = 0
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("a QR reader cannot decode it: %v", err)
	}
	return res.GetText()
}
