package tui

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/skip2/go-qrcode"

	"github.com/rootguard/rootguard/steps"
)

// TestQRDecodesLikeAPhoneCamera reads the rendered half blocks back as an
// image and decodes it with a real QR reader, for every way it is drawn.
func TestQRDecodesLikeAPhoneCamera(t *testing.T) {
	urls := []string{
		"https://console.aws.amazon.com/iam/home#/security_credentials",
		"https://console.aws.amazon.com/billing/home#/account",
		"https://us-east-1.console.aws.amazon.com/events/home?region=us-east-1#/rules",
	}
	for _, url := range urls {
		q, err := newQRCode(url)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name    string
			profile colorprofile.Profile
			dark    bool
			inkDark bool
		}{
			{"colour", colorprofile.TrueColor, true, true},
			{"no colour, dark terminal", colorprofile.ASCII, true, false},
			{"no colour, light terminal", colorprofile.ASCII, false, true},
		} {
			t.Run(c.name, func(t *testing.T) {
				quiet, ok, _ := fitQR(q, 80, 40)
				if !ok {
					t.Fatal("does not fit 80x40")
				}
				ink := decodeHalfBlocks(t, q.render(quiet, c.profile, c.dark))
				got := decodeQRImage(t, ink, c.inkDark)
				if got != url {
					t.Fatalf("decoded %q, want %q", got, url)
				}
			})
		}
	}
}

// decodeQRImage paints ink as pixels (4 per module) as the terminal shows
// them and decodes the result.
func decodeQRImage(t *testing.T, ink [][]bool, inkDark bool) string {
	t.Helper()
	const scale = 4
	h, w := len(ink), len(ink[0])
	img := image.NewGray(image.Rect(0, 0, w*scale, h*scale))
	for y := range h * scale {
		for x := range w * scale {
			dark := ink[y/scale][x/scale] == inkDark
			v := uint8(255)
			if dark {
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
		t.Fatalf("a QR reader cannot decode the rendered code: %v", err)
	}
	return res.GetText()
}

// The MFA enrolment's code: an otpauth:// URI drawn as the fix flow draws
// it (qrLines, low error correction) reads back as the same URI, so an
// authenticator app gets the secret, issuer and label intact.
func TestMFAEnrolmentQRDecodes(t *testing.T) {
	uri, err := steps.MFAKeyURI("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "jane@acme-sandbox")
	if err != nil {
		t.Fatal(err)
	}
	for _, dark := range []bool{true, false} {
		lines, ok, _, _, err := qrLines(uri, qrcode.Low, 120, 60, colorprofile.ASCII, dark)
		if err != nil || !ok {
			t.Fatalf("no code at 120x60: %v", err)
		}
		got := decodeQRImage(t, decodeHalfBlocks(t, strings.Join(lines, "\n")), !dark)
		key, err := otp.NewKeyFromURL(got)
		if err != nil || got != uri || key.Secret() != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" || key.Issuer() != steps.MFAIssuer {
			t.Fatalf("decoded %q (%v), want %q", got, err, uri)
		}
	}
}
