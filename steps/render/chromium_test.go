package render

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestHTMLRendersInChromium opens the sample HTML report in headless
// Chromium, screenshots it and checks that the styles and the chart were
// drawn (their colours are on screen). It skips when Chromium is absent (CI
// does not install it); docs/render-report.sh does the same by hand.
func TestHTMLRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser := findChromium()
	if browser == "" {
		skipOrFailWithoutChromium(t)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := HTML(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--window-size=1000,1600", "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 1600 {
		t.Errorf("screenshot is %v, want 1000x1600", b)
	}
	for name, c := range map[string]color.RGBA{
		"poor score bar (#e5534b)": {0xe5, 0x53, 0x4b, 0xff},
		"fair score bar (#d4a72c)": {0xd4, 0xa7, 0x2c, 0xff},
		"fail badge (#cf222e)":     {0xcf, 0x22, 0x2e, 0xff},
		"pass badge (#1a7f37)":     {0x1a, 0x7f, 0x37, 0xff},
	} {
		if n := countColor(img, c); n < 100 {
			t.Errorf("%s: %d pixels on screen; the page did not render as designed", name, n)
		}
	}
}

// skipOrFailWithoutChromium skips a test that needs Chromium, except under
// CI=true, where .ci/run installs it and its absence is a failure.
func skipOrFailWithoutChromium(t *testing.T) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed; CI needs it (apt-get install -y chromium)")
	}
	t.Skip("Chromium not installed (apt-get install -y chromium)")
}

// findChromium is the path of a Chromium-like browser, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// countColor counts pixels within a small distance of c.
func countColor(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, c.R) && near(g>>8, c.G) && near(bl>>8, c.B) {
				n++
			}
		}
	}
	return n
}

func near(v uint32, want uint8) bool {
	d := int(v) - int(want)
	return d >= -6 && d <= 6
}
