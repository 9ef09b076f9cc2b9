package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// decodeHalfBlocks reads rendered half blocks back into rows of ink.
func decodeHalfBlocks(t *testing.T, s string) [][]bool {
	t.Helper()
	var rows [][]bool
	for _, line := range strings.Split(ansi.Strip(s), "\n") {
		var top, bottom []bool
		for _, r := range line {
			switch r {
			case '█':
				top, bottom = append(top, true), append(bottom, true)
			case '▀':
				top, bottom = append(top, true), append(bottom, false)
			case '▄':
				top, bottom = append(top, false), append(bottom, true)
			case ' ':
				top, bottom = append(top, false), append(bottom, false)
			default:
				t.Fatalf("unexpected rune %q", r)
			}
		}
		rows = append(rows, top, bottom)
	}
	return rows
}

func TestQRRendersEveryModuleWithQuietZone(t *testing.T) {
	q, err := newQRCode("https://console.aws.amazon.com/iam/home#/security_credentials")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		profile colorprofile.Profile
		dark    bool
		inkDark bool // a glyph draws a dark module
	}{
		{"colour on dark", colorprofile.TrueColor, true, true},
		{"colour on light", colorprofile.ANSI, false, true},
		{"no colour on dark", colorprofile.ASCII, true, false},
		{"no colour on light", colorprofile.ASCII, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const quiet = 4
			out := q.render(quiet, c.profile, c.dark)
			if colour := strings.Contains(out, "\x1b["); colour != (c.profile > colorprofile.ASCII) {
				t.Fatalf("colour codes present = %v", colour)
			}
			ink := decodeHalfBlocks(t, out)
			n := len(q.modules) + 2*quiet
			w, h := q.size(quiet)
			if len(ink) != 2*h || len(ink[0]) != w || w != n {
				t.Fatalf("size %dx%d, want %d wide and %d rows", len(ink[0]), len(ink), n, h)
			}
			for y := range n {
				for x := range n {
					dark := false
					if y >= quiet && x >= quiet && y < n-quiet && x < n-quiet {
						dark = q.modules[y-quiet][x-quiet]
					}
					if got := ink[y][x] == c.inkDark; got != dark {
						t.Fatalf("module (%d,%d): dark = %v, want %v", x, y, got, dark)
					}
				}
			}
		})
	}
}

func TestFitQRShrinksQuietZoneThenGivesUp(t *testing.T) {
	q, err := newQRCode("https://console.aws.amazon.com/iam/home#/security_credentials")
	if err != nil {
		t.Fatal(err)
	}
	w4, h4 := q.size(4)
	if quiet, ok, _ := fitQR(q, w4, h4); !ok || quiet != 4 {
		t.Fatalf("room for 4: quiet %d ok %v", quiet, ok)
	}
	w2, h2 := q.size(2)
	if quiet, ok, _ := fitQR(q, w2, h2); !ok || quiet != 2 {
		t.Fatalf("room for 2: quiet %d ok %v", quiet, ok)
	}
	if _, ok, need := fitQR(q, w2-1, h2); ok || need == "" {
		t.Fatalf("too small: ok %v need %q", ok, need)
	}
}

func TestRenderMarkdown(t *testing.T) {
	md := "# Title\n\n## Steps\n\n1. Open **Security credentials** and choose `Assign`.\n2. A long step that must wrap onto the next line with a hanging indent under its text.\n   continued here\n\n- a [link](https://example.com)\n\n> a note\n"
	got := ansi.Strip(renderMarkdown(md, 40, DefaultStyles(true)))
	want := `Title

Steps

  1. Open Security credentials and
     choose Assign.
  2. A long step that must wrap onto the
     next line with a hanging indent
     under its text. continued here

 • a link (https://example.com)

│ a note`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWrapBreaksOnlyAtSpaces(t *testing.T) {
	st := DefaultStyles(true)
	cases := []struct {
		in   string
		w    int
		want string
	}{
		{"Check the region us-east-1 in the header", 20, "Check the region\nus-east-1 in the\nheader"},
		{"Send mail to aws-root@yourcompany.com today", 26, "Send mail to\naws-root@yourcompany.com\ntoday"},
		{"see root-access-keys and access-key-hygiene", 24, "see root-access-keys and\naccess-key-hygiene"},
		{"https://console.aws.amazon.com/iam/home#/security_credentials", 30,
			"https://console.aws.amazon.com\n/iam/home#/security_credential\ns"},
	}
	for _, c := range cases {
		got := ansi.Strip(wrap(st.Bold.Render(c.in), c.w, "", ""))
		if got != c.want {
			t.Errorf("wrap(%q, %d):\n%s\nwant:\n%s", c.in, c.w, got, c.want)
		}
		for _, l := range strings.Split(got, "\n") {
			if ansi.StringWidth(l) > c.w {
				t.Errorf("line %q wider than %d", l, c.w)
			}
		}
	}
}
