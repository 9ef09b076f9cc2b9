package safetext

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops/safetext/mdtest"
)

// hasRun reports whether s holds a run of exactly n backticks.
func hasRun(s string, n int) bool {
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] == '`' {
			run++
			continue
		}
		if run == n {
			return true
		}
		run = 0
	}
	return false
}

func seeds(f *testing.F) {
	for _, s := range []string{"", "plain", hostile, "a\r\nb", "\xff\xfe", "[x](y) ![i](j) <b> | # `c` \\ * _", "1. www.x https://y", "\u202e\u2066"} {
		f.Add(s)
	}
}

// FuzzSanitizers: Text and Line never emit a control character, are
// idempotent, and Line(Text(s)) == Line(s).
func FuzzSanitizers(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		text, line := Text(s), Line(s)
		if hasControl(text, true) || hasControl(line, false) {
			t.Fatalf("control character in %q / %q", text, line)
		}
		if Text(text) != text || Line(line) != line || Line(text) != line {
			t.Fatalf("not idempotent: %q → %q / %q", s, text, line)
		}
		if Clean(s) != (text == s) || CleanLine(s) != (line == s) {
			t.Fatalf("Clean disagrees for %q", s)
		}
		v := Value(s)
		if hasControl(v, true) || Value(v) != v {
			t.Fatalf("Value(%q) = %q", s, v)
		}
	})
}

// FuzzMarkdown: the escaper's output has no control character and no
// unescaped Markdown special.
func FuzzMarkdown(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		md := Markdown(s)
		if hasControl(md, false) {
			t.Fatalf("control character in %q", md)
		}
		if rest := unescapedMarkdown(md); rest != "" {
			t.Fatalf("Markdown(%q) = %q: unescaped at %q", s, md, rest)
		}
		// A code span: one fence each side, none inside, nothing raw.
		code := MarkdownCode(s)
		if code == "" {
			if Line(s) != "" {
				t.Fatalf("MarkdownCode(%q) is empty", s)
			}
			return
		}
		// Prose with code spans: nothing raw outside the spans.
		if sp := MarkdownSpans(s); hasControl(sp, false) || unescapedMarkdown(mdtest.OutsideSpans(sp)) != "" {
			t.Fatalf("MarkdownSpans(%q) = %q", s, sp)
		}
		n := len(code) - len(strings.TrimLeft(code, "`"))
		fence := code[:n]
		inner := code[n : len(code)-n]
		if hasControl(code, false) || !strings.HasSuffix(code, fence) || hasRun(inner, n) {
			t.Fatalf("MarkdownCode(%q) = %q", s, code)
		}
	})
}

// FuzzJSON: JSON keeps a document's meaning and leaves no raw C1, bidi or
// DEL character in it.
func FuzzJSON(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		raw, _ := json.Marshal(map[string]string{s: s})
		out := JSON(raw)
		if hasControl(string(out), false) {
			t.Fatalf("control character in %q", out)
		}
		var a, b map[string]string
		if json.Unmarshal(raw, &a) != nil || json.Unmarshal(out, &b) != nil || len(a) != len(b) || a[s] != b[s] {
			t.Fatalf("meaning changed: %q → %q", raw, out)
		}
	})
}
