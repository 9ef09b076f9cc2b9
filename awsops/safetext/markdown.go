package safetext

import "strings"

// markdownSpecial are the ASCII characters Markdown (CommonMark and GitHub's
// dialect) gives a meaning: links and images, emphasis, code, HTML, tables,
// headings, strikethrough, entities and math.
const markdownSpecial = "\\`*_[]()!<>|#~&$"

func isMarkdownSpecial(c byte) bool { return strings.IndexByte(markdownSpecial, c) >= 0 }

// Markdown returns s as literal text for any place in a Markdown document:
// a table cell, a list item or the start of a line. It is Line(s) with every
// Markdown special backslash-escaped, a line-start list or heading marker
// (- + = 1. 1)) escaped, and bare links (https://…, www.…) broken so no
// renderer turns them into links. Unlike Text and Line it is an encoding:
// escaping twice escapes the backslashes again.
func Markdown(s string) string {
	s = Line(s)
	if !needsMarkdownEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isMarkdownSpecial(c):
			b.WriteByte('\\')
		case i == 0 && (c == '-' || c == '+' || c == '='):
			b.WriteByte('\\')
		case (c == '.' || c == ')') && allDigits(s[:i]):
			b.WriteByte('\\') // "1." or "1)" would start an ordered list
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteByte('\\') // https\://… is no autolink
		case c == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www") && (i == 3 || !isWordByte(s[i-4])):
			b.WriteByte('\\') // www\.… is no autolink
		}
		b.WriteByte(c)
	}
	return b.String()
}

// needsMarkdownEscape reports whether Markdown would change s (already Line).
func needsMarkdownEscape(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c == '-' || c == '+' || c == '=' || (c >= '0' && c <= '9') {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; isMarkdownSpecial(c) || c == ':' || c == '.' {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}
