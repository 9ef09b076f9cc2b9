package render

import (
	"bytes"
	"encoding/base64"
	"html"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

func TestHandoutGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Handout(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	// The QR images are long base64: the golden keeps their length only.
	got := qrData.ReplaceAllFunc(b.Bytes(), func(m []byte) []byte { return []byte("data:image/png;base64,(QR)") })
	golden(t, "handout.html.golden", got)
}

var qrData = regexp.MustCompile(`data:image/png;base64,[A-Za-z0-9+/=&#;]+`)

func TestHandoutListsOnlyOpenItemsWithStepsAndCodes(t *testing.T) {
	var b bytes.Buffer
	if err := Handout(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, open := range []string{`id="root-access-keys"`, `id="cloudtrail"`, `id="budget-alert"`, `id="credential-report"`} {
		if !strings.Contains(page, open) {
			t.Errorf("open item %s missing", open)
		}
	}
	for _, done := range []string{`id="root-mfa"`, `id="root-password"`, `id="security-questions"`, `id="password-policy"`} {
		if strings.Contains(page, done) {
			t.Errorf("item %s is done or n/a and must not be in the handout", done)
		}
	}
	if !strings.Contains(page, "<ol><li>") || !strings.Contains(page, `<a href="https://console.aws.amazon.com/iam/home#/security_credentials">`) {
		t.Error("numbered console steps with console links are missing")
	}
	if strings.Contains(page, "<yet>") {
		t.Error("a summary from AWS was not escaped")
	}
	// Every QR code decodes to its item's console link.
	for _, m := range regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)" alt="QR code of ([^"]+)">`).FindAllStringSubmatch(page, -1) {
		raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeQR(t, img); got != strings.ReplaceAll(m[2], "&amp;", "&") {
			t.Errorf("QR decodes to %q, want %q", got, m[2])
		}
	}
}

func TestGuideHTMLLinksOnlyConsolePages(t *testing.T) {
	got := string(guideHTML("Open https://console.aws.amazon.com/iam/home#/users, then **Create** `x` <b> https://evil.example/x."))
	if !strings.Contains(got, `<a href="https://console.aws.amazon.com/iam/home#/users">`) || strings.Contains(got, `href="https://evil`) {
		t.Errorf("links: %s", got)
	}
	if !strings.Contains(got, "<strong>Create</strong>") || !strings.Contains(got, "<code>x</code>") || !strings.Contains(got, "&lt;b&gt;") {
		t.Errorf("inline markup: %s", got)
	}
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code: %v", err)
	}
	return res.GetText()
}

// TestHandoutPrintsInChromium prints the handout to PDF and screenshots it
// in headless Chromium: the page lays out, and a QR code on the screenshot
// decodes like a phone camera would read it. It skips without Chromium.
func TestHandoutPrintsInChromium(t *testing.T) {
	var b bytes.Buffer
	if err := Handout(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	page := openInChromium(t, "handout.html", b.Bytes())
	pdf := filepath.Join(t.TempDir(), "handout.pdf")
	page.run("--no-pdf-header-footer", "--print-to-pdf="+pdf)
	if st, err := os.Stat(pdf); err != nil || st.Size() < 10_000 {
		t.Errorf("printed PDF: %v, %v", st, err)
	}
	img, shot := page.screenshot(794, 1123) // an A4 page at 96 dpi, in CSS pixels
	if got := decodeQR(t, img); !strings.HasPrefix(got, "https://console.aws.amazon.com/") && !strings.HasPrefix(got, "https://us-east-1.console.aws.amazon.com/") {
		t.Errorf("the first QR code on the page reads %q", got)
	}
	if os.Getenv("ROOTGUARD_SCREENSHOT_DIR") != "" {
		_ = os.WriteFile(filepath.Join(os.Getenv("ROOTGUARD_SCREENSHOT_DIR"), "handout.png"), mustRead(t, shot), 0o644)
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
