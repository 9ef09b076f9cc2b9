package render

import (
	"bytes"
	"context"
	"fmt"
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
// drawn (their colours are on screen); docs/render-report.sh does the same
// by hand.
func TestHTMLRendersInChromium(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	img, _ := openInChromium(t, "report.html", b.Bytes()).screenshot(1000, 1600)
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

// chromium is a page opened in headless Chromium for one test.
type chromium struct {
	t                  *testing.T
	browser, dir, page string
}

// openInChromium writes html to a page in a temporary directory. It skips
// under -short and without Chromium (failing instead under CI=true).
func openInChromium(t *testing.T, name string, html []byte) chromium {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser := findChromium()
	if browser == "" {
		skipOrFailWithoutChromium(t)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, name)
	if err := os.WriteFile(page, html, 0o600); err != nil {
		t.Fatal(err)
	}
	return chromium{t: t, browser: browser, dir: dir, page: page}
}

// run runs the browser headless on the page with args.
func (c chromium) run(args ...string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(c.dir, "profile")}
	flags = append(append(flags, args...), "file://"+c.page)
	if out, err := exec.CommandContext(ctx, c.browser, flags...).CombinedOutput(); err != nil {
		c.t.Fatalf("chromium %v: %v\n%s", args, err, out)
	}
}

// screenshot is the page in a w×h window, decoded, and its PNG file.
func (c chromium) screenshot(w, h int) (image.Image, string) {
	c.t.Helper()
	shot := filepath.Join(c.dir, "screenshot.png")
	c.run(fmt.Sprintf("--window-size=%d,%d", w, h), "--screenshot="+shot)
	f, err := os.Open(shot)
	if err != nil {
		c.t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		c.t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		c.t.Errorf("screenshot is %v, want %dx%d", b, w, h)
	}
	return img, shot
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
