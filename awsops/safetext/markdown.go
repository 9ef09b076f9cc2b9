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

// MarkdownCode returns s as a complete Markdown code span (delimiters
// included): Line(s), between backtick runs longer than any inside it, so
// the text shows exactly as it is, backticks too. For a code span inside a
// table cell use MarkdownCodeCell. An empty s gives "".
func MarkdownCode(s string) string { return codeSpan(Line(s), false) }

// MarkdownCodeCell is MarkdownCode for a GFM table cell: a | would end the
// cell even inside a code span, so it is written \| (which GFM's table
// parser turns back into | before the span is read).
func MarkdownCodeCell(s string) string { return codeSpan(Line(s), true) }

func codeSpan(s string, cell bool) string {
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if cell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	// A span that starts or ends with a backtick, or starts and ends with a
	// space, needs one space of padding each side (CommonMark strips it).
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// MarkdownSpans is Markdown for prose that marks commands and values as
// `code` (rootguard's summaries and advice do): each backtick-delimited
// span becomes a code span (MarkdownCode), the text around it Markdown;
// an unmatched backtick is escaped. Whoever wrote the backticks, rootguard
// or AWS data inside the text, the result renders as literal text.
func MarkdownSpans(s string) string { return spans(s, false) }

// MarkdownSpansCell is MarkdownSpans for a GFM table cell.
func MarkdownSpansCell(s string) string { return spans(s, true) }

func spans(s string, cell bool) string {
	s = Line(s)
	if strings.IndexByte(s, '`') < 0 {
		return Markdown(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		j += i + 1
		b.WriteString(Markdown(s[:i]))
		if code := s[i+1 : j]; code != "" {
			b.WriteString(codeSpan(code, cell))
		} else {
			b.WriteString("\\`\\`")
		}
		s = s[j+1:]
	}
	b.WriteString(Markdown(s))
	return b.String()
}
