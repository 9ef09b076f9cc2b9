package safetext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile carries one of each kind of terminal attack: OSC 52 (clipboard),
// OSC 0 (window title), CSI 2J, DCS, APC, PM, SOS, SGR conceal, 8-bit CSI
// and OSC, NEL, bidi overrides and isolates, CR, backspace, NUL, DEL and
// invalid UTF-8.
const hostile = "a\x1b]52;c;cm0gLXJmIH4=\x07b\x1b]0;pwned\x07c\x1b[2Jd\x1bP1$r\x1b\\e\x1b_apc\x1b\\f\x1b^pm\x1b\\g\x1bXsos\x1b\\h\x1b[8mi" +
	"\u009b2J\u009d0;t\u009c\u0085\u202e\u2066\u2069\u202a\rj\bk\x00l\x7fm\xff\xc0\xafn\u00e9\u4e16"

// hasControl reports whether s holds anything no sanitized output may.
func hasControl(s string, allowNewlines bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return true
			}
		}
		if r == '\n' || r == '\t' {
			if !allowNewlines {
				return true
			}
			continue
		}
		if r < 0x20 || r == 0x7f || unsafeRune(r) {
			return true
		}
	}
	return false
}

func TestTextMakesEveryControlVisible(t *testing.T) {
	got := Text(hostile)
	want := `a\x1b]52;c;cm0gLXJmIH4=\x07b\x1b]0;pwned\x07c\x1b[2Jd\x1bP1$r\x1b\e\x1b_apc\x1b\f\x1b^pm\x1b\g\x1bXsos\x1b\h\x1b[8mi` +
		`U+009B2JU+009D0;tU+009CU+0085U+202EU+2066U+2069U+202A\rj\x08k\x00l\x7fm\xff\xc0\xafn` + "\u00e9\u4e16"
	if got != want {
		t.Fatalf("Text:\n got %q\nwant %q", got, want)
	}
}

func TestTextKeepsLayoutAndLineDoesNot(t *testing.T) {
	for _, tc := range []struct{ in, text, line string }{
		{"plain ascii", "plain ascii", "plain ascii"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab", `two\nlines\tand a tab`},
		{"crlf\r\nline", "crlf\nline", `crlf\nline`},
		{"lone\rcr", `lone\rcr`, `lone\rcr`},
		{"\r\r\n", "\\r\n", `\r\n`},
		{"héllo wörld ✓ 世界 \U0001F600", "héllo wörld ✓ 世界 \U0001F600", "héllo wörld ✓ 世界 \U0001F600"},
		{"already \\x1b visible", "already \\x1b visible", "already \\x1b visible"},
		{"", "", ""},
		{"\ufffd is a real character", "\ufffd is a real character", "\ufffd is a real character"},
	} {
		if got := Text(tc.in); got != tc.text {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
		}
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
	}
}

func TestCleanStringsAreNotCopied(t *testing.T) {
	s := strings.Repeat("arn:aws:iam::123456789012:user/alice ", 10)
	if n := testing.AllocsPerRun(100, func() { _ = Line(s); _ = Text(s) }); n != 0 {
		t.Errorf("clean input allocated %v times", n)
	}
}

func TestSanitizersAreIdempotentAndClean(t *testing.T) {
	for _, s := range []string{hostile, "x\r\n\r", "\xe2\x80", "\xe2\x80\xae", "\u009b", "\\x1b"} {
		text, line := Text(s), Line(s)
		if Text(text) != text || Line(line) != line {
			t.Errorf("not idempotent for %q", s)
		}
		if Line(text) != line {
			t.Errorf("Line(Text(%q)) = %q, want Line = %q", s, Line(text), line)
		}
		if hasControl(text, true) || hasControl(line, false) || !Clean(text) || !CleanLine(line) {
			t.Errorf("unsafe output for %q: %q / %q", s, text, line)
		}
	}
	if Clean("a\x1bb") || CleanLine("a\nb") || !Clean("a\nb") {
		t.Error("Clean/CleanLine disagree with Text/Line")
	}
}

func TestMarkdownEscapesEverySpecial(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"alice", "alice"},
		{"[click](https://evil.example/x)", `\[click\]\(https\://evil.example/x\)`},
		{"![img](x)", `\!\[img\]\(x\)`},
		{"<script>", `\<script\>`},
		{"a|b", `a\|b`},
		{"# heading", `\# heading`},
		{"*bold* _it_ ~~strike~~", `\*bold\* \_it\_ \~\~strike\~\~`},
		{"`code`", "\\`code\\`"},
		{`back\slash`, `back\\slash`},
		{"&lt; $x$", `\&lt; \$x\$`},
		{"- item", `\- item`},
		{"+ item", `\+ item`},
		{"= under", `\= under`},
		{"1. first", `1\. first`},
		{"12) first", `12\) first`},
		{"v1.2 ok", "v1.2 ok"},
		{"see www.evil.example", `see www\.evil.example`},
		{"awww.example", "awww.example"},
		{"arn:aws:iam::1:root", "arn:aws:iam::1:root"},
		{"line\nbreak", `line\\nbreak`},
		{"esc\x1b[2J", `esc\\x1b\[2J`},
		{"a-b", "a-b"},
	} {
		if got := Markdown(tc.in); got != tc.want {
			t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// unescapedMarkdown returns the first Markdown special in s that is not
// backslash-escaped, or "" when there is none.
func unescapedMarkdown(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' {
			if i+1 >= len(s) || !isMarkdownSpecial(s[i+1]) && !strings.ContainsRune("-+=.):", rune(s[i+1])) {
				return s[i:]
			}
			i++
			continue
		}
		switch {
		case isMarkdownSpecial(c):
			return s[i:]
		case i == 0 && (c == '-' || c == '+' || c == '='):
			return s[i:]
		case (c == '.' || c == ')') && allDigits(s[:i]):
			return s[i:]
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			return s[i:]
		case c == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www") && (i == 3 || !isWordByte(s[i-4])):
			return s[i:]
		}
	}
	return ""
}

func TestJSONEscapesC1AndBidiFaithfully(t *testing.T) {
	v := map[string]string{"name": hostile, "ok": "é ✓"}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out := JSON(raw)
	if !json.Valid(out) {
		t.Fatalf("invalid JSON: %s", out)
	}
	if hasControl(string(out), true) {
		t.Fatalf("raw control character in %q", out)
	}
	for _, want := range []string{`\u009b`, `\u202e`, `\u007f`, `\u2066`, `\ufffd`, "é ✓"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	var orig map[string]string
	_ = json.Unmarshal(raw, &orig)
	if back["name"] != orig["name"] || back["ok"] != orig["ok"] {
		t.Errorf("JSON changed the meaning:\n got %q\nwant %q", back, orig)
	}
	clean := []byte(`{"a":"b"}`)
	if got := JSON(clean); &got[0] != &clean[0] {
		t.Error("clean JSON was copied")
	}
}

func TestNewJSONEncoder(t *testing.T) {
	var b bytes.Buffer
	enc := NewJSONEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]string{"k": "x\u202ey"}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "{\n  \"k\": \"x\\u202ey\"\n}\n" {
		t.Errorf("encoded %q", got)
	}
}

type inner struct {
	S  string
	P  *string
	L  []string
	B  []byte
	M  map[string]string
	MS map[string]inner2
	I  any
	IP any
	A  [2]string
	N  map[string]int32
	u  string
}

type inner2 struct{ V string }

type kind string

type outer struct {
	Name   string
	Kind   kind
	Inner  *inner
	List   []inner
	Nested [][]*string
}

func TestInPlaceReachesEveryString(t *testing.T) {
	p := "p\x1b"
	q := "q\u202e"
	v := &outer{
		Name: "n\x1b[2J",
		Kind: "k\u009b",
		Inner: &inner{
			S: "s\x07", P: &p, L: []string{"l\x00"}, B: []byte("b\x1b"),
			M:  map[string]string{"key\x1b": "val\x1b", "clean": "ok"},
			MS: map[string]inner2{"x": {V: "v\x1b"}},
			I:  "iface\x1b", IP: &inner2{V: "ip\x1b"},
			A: [2]string{"a\x1b", "b"}, N: map[string]int32{"n\x1b": 1}, u: "unexported\x1b",
		},
		List:   []inner{{S: "list\x1b"}},
		Nested: [][]*string{{&q}},
	}
	InPlace(v)
	in := v.Inner
	for _, got := range []string{v.Name, string(v.Kind), in.S, *in.P, in.L[0], in.M[`key\x1b`], in.MS["x"].V,
		in.I.(string), in.IP.(*inner2).V, in.A[0], v.List[0].S, *v.Nested[0][0]} {
		if !Clean(got) || !strings.Contains(got, `\x`) && !strings.Contains(got, "U+") {
			t.Errorf("not sanitized: %q", got)
		}
	}
	if _, ok := in.M["key\x1b"]; ok {
		t.Error("raw map key kept")
	}
	if in.M["clean"] != "ok" || in.N[`n\x1b`] != 1 {
		t.Errorf("maps = %q %v", in.M, in.N)
	}
	if string(in.B) != "b\x1b" || in.u != "unexported\x1b" {
		t.Error("[]byte or unexported field changed")
	}
	InPlace(nil)
	InPlace(outer{Name: "by value\x1b"}) // nothing addressable: no panic
}

func TestInPlaceCleansJSONDocuments(t *testing.T) {
	doc := `{"Statement":[{"NotAction":["iam:\u001b]52;c;x\u0007","a\u202eb","\\u001b stays text","ok\n"]}], "x": "\r\b"}`
	got := Value(doc)
	if !json.Valid([]byte(got)) {
		t.Fatalf("invalid JSON: %s", got)
	}
	var d struct {
		Statement []struct{ NotAction []string }
		X         string
	}
	if err := json.Unmarshal([]byte(got), &d); err != nil {
		t.Fatal(err)
	}
	want := []string{`iam:\x1b]52;c;x\x07`, "aU+202Eb", `\u001b stays text`, "ok\n"}
	for i, w := range want {
		if d.Statement[0].NotAction[i] != w {
			t.Errorf("action %d = %q, want %q", i, d.Statement[0].NotAction[i], w)
		}
	}
	if d.X != `\r\x08` {
		t.Errorf("x = %q", d.X)
	}
	if Value(got) != got {
		t.Error("Value is not idempotent on JSON documents")
	}
	if s := `{"a": "\ud83d\ude00 \u00e9"}`; Value(s) != s {
		t.Errorf("safe escapes changed: %q", Value(s))
	}
	if s := `{not json \u001b`; Value(s) != s {
		t.Errorf("non-JSON changed: %q", Value(s))
	}
}

// TestValueKeepsJSONWithRawUnsafeCharactersValid: DEL, C1 and bidi
// characters may stand raw in a JSON string, and a CR between tokens; the
// cleaned document is still JSON (a bucket policy must stay one).
func TestValueKeepsJSONWithRawUnsafeCharactersValid(t *testing.T) {
	doc := "{\r\n\"Sid\": \"a\x7fb\u009b2Jc\u202ed\",\r\n\"Esc\": \"\\u001b\"}"
	got := Value(doc)
	var d struct{ Sid, Esc string }
	if err := json.Unmarshal([]byte(got), &d); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if d.Sid != `a\x7fbU+009B2JcU+202Ed` || d.Esc != `\x1b` {
		t.Errorf("decoded %+v", d)
	}
	if !Clean(got) || Value(got) != got {
		t.Errorf("Value(%q) = %q: not clean or not idempotent", doc, got)
	}
}

func TestInPlaceStopsOnCycles(t *testing.T) {
	type node struct {
		Name string
		Next *node
	}
	n := &node{Name: "a\x1b"}
	n.Next = n
	InPlace(n)
	if n.Name != `a\x1b` {
		t.Errorf("name = %q", n.Name)
	}
}

func TestMarkdownCode(t *testing.T) {
	for _, tc := range []struct{ in, code, cell string }{
		{"arn:aws:iam::1:root", "`arn:aws:iam::1:root`", "`arn:aws:iam::1:root`"},
		{"a`b", "``a`b``", "``a`b``"},
		{"`x`", "`` `x` ``", "`` `x` ``"},
		{"a``b`c", "```a``b`c```", "```a``b`c```"},
		{"a|b", "`a|b`", "`a\\|b`"},
		{" x ", "`  x  `", "`  x  `"},
		{"esc\x1b[2J\n", "`esc\\x1b[2J\\n`", "`esc\\x1b[2J\\n`"},
		{"", "", ""},
	} {
		if got := MarkdownCode(tc.in); got != tc.code {
			t.Errorf("MarkdownCode(%q) = %q, want %q", tc.in, got, tc.code)
		}
		if got := MarkdownCodeCell(tc.in); got != tc.cell {
			t.Errorf("MarkdownCodeCell(%q) = %q, want %q", tc.in, got, tc.cell)
		}
	}
}

func TestMarkdownSpans(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"run `rootguard policy` then re-check", "run `rootguard policy` then re-check"},
		{"user [x](y) has `a|b`", `user \[x\]\(y\) has ` + "`a|b`"},
		{"odd ` backtick [x]", "odd \\` backtick \\[x\\]"},
		{"empty `` pair", "empty \\`\\` pair"},
		{"`[x](https://evil)`", "`[x](https://evil)`"},
		{"`\x1b[2J`", "`\\x1b[2J`"},
	} {
		if got := MarkdownSpans(tc.in); got != tc.want {
			t.Errorf("MarkdownSpans(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := MarkdownSpansCell("see `a|b` | c"); got != "see `a\\|b` \\| c" {
		t.Errorf("MarkdownSpansCell = %q", got)
	}
}

func TestMarked(t *testing.T) {
	for _, s := range []string{Text("a\x1bb"), Text("\u202e"), Text("a\rb"), Text("\xff"), Line("\u0085")} {
		if !Marked(s) {
			t.Errorf("Marked(%q) = false", s)
		}
	}
	for _, s := range []string{"alice", "C:\\new", "U+0041", "u+202e", "\\x1", "\\xZZ", "tab\tand\nnewline", "U+202"} {
		if Marked(s) {
			t.Errorf("Marked(%q) = true", s)
		}
	}
}
