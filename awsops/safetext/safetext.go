// Package safetext makes strings from AWS and from files safe to show.
// It imports nothing of rootguard, so every package can use it.
//
// Which function to use:
//
//   - Text: multi-line text (keeps newlines and tabs). Where data enters the
//     program (the awsops boundary, the state loader) and for wrapped text.
//   - Line: one line — table cells, window titles, one-line summaries,
//     error messages. Newlines and tabs become visible too.
//   - Markdown: a value inside Markdown (a table cell, a list item, a line
//     start). It is Line, then every Markdown special is escaped.
//   - MarkdownCode / MarkdownCodeCell: a value shown as `code` in Markdown
//     (an ARN, an ID): a whole code span, exact, whatever it holds.
//   - JSON / NewJSONEncoder: JSON output. The JSON stays faithful; C1 and
//     bidi characters (which encoding/json writes raw) become \u escapes.
//   - InPlace: every string reachable from a value (decoded SDK answers,
//     loaded files), sanitized with Text.
//   - Clean / CleanLine: tests and assertions ("nothing to sanitize here").
//
// Unsafe characters are made visible, never dropped or emitted: C0 controls
// as \x1b (with \n, \r and \t for those three), DEL as \x7f, C1 controls and
// bidi embedding, override and isolate characters as U+009B, U+202E, and
// each byte of invalid UTF-8 as \xff. Backslashes are not escaped, so
// sanitizing twice gives the same text as sanitizing once.
package safetext

import (
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Text returns s with every unsafe character made visible, keeping
// newlines and tabs; a CRLF becomes a newline.
func Text(s string) string { return clean(s, false) }

// Line returns s on one line with every unsafe character made visible:
// newlines, carriage returns and tabs too (\n, \r, \t); a CRLF is one \n.
func Line(s string) string { return clean(s, true) }

// Clean reports whether Text would leave s as it is.
func Clean(s string) bool { return firstUnsafe(s, false) < 0 }

// CleanLine reports whether Line would leave s as it is.
func CleanLine(s string) bool { return firstUnsafe(s, true) < 0 }

// unsafeRune reports whether a (valid, non-ASCII) rune must be made
// visible: C1 controls and bidi embedding/override/isolate characters.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// safeASCII reports whether an ASCII byte may be emitted as is.
func safeASCII(c byte, line bool) bool {
	if c >= 0x20 && c != 0x7f {
		return true
	}
	return !line && (c == '\n' || c == '\t')
}

// firstUnsafe is the byte index of the first thing clean would change, or -1.
func firstUnsafe(s string, line bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !safeASCII(c, line) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

func clean(s string, line bool) string {
	i := firstUnsafe(s, line)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	var esc [6]byte
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
				if line {
					b.WriteString(`\n`)
				} else {
					b.WriteByte('\n')
				}
				i += 2
				continue
			case safeASCII(c, line):
				b.WriteByte(c)
			default:
				b.Write(appendASCIIEscape(esc[:0], c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.Write(appendASCIIEscape(esc[:0], c))
		case unsafeRune(r):
			b.Write(appendCodePoint(esc[:0], r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// appendASCIIEscape writes the visible form of a C0 control or DEL (or of
// any byte, as \xHH).
func appendASCIIEscape(b []byte, c byte) []byte {
	switch c {
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
}

// appendCodePoint writes U+XXXX (upper-case hex, as Unicode writes it).
func appendCodePoint(b []byte, r rune) []byte {
	const upper = "0123456789ABCDEF"
	return append(b, 'U', '+', upper[r>>12&0xf], upper[r>>8&0xf], upper[r>>4&0xf], upper[r&0xf])
}

// Marked reports whether s holds a mark Text leaves for an unsafe
// character (\x1b, \xff, \r, U+202E, …): s may be what rootguard made of a
// value that held one, and then it is not that value. A value rootguard
// read from AWS and would write back must not be written as its marks.
func Marked(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch {
		case s[i] == '\\' && s[i+1] == 'r':
			return true
		case s[i] == '\\' && s[i+1] == 'x' && i+3 < len(s) && isLowerHex(s[i+2]) && isLowerHex(s[i+3]):
			return true
		case s[i] == 'U' && s[i+1] == '+' && i+5 < len(s):
			r := hexRune(s[i+2 : i+6])
			if r >= 0 && unsafeRune(r) && strings.ToUpper(s[i+2:i+6]) == s[i+2:i+6] {
				return true
			}
		}
	}
	return false
}

func isLowerHex(c byte) bool { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') }
