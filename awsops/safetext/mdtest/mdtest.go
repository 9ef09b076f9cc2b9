// Package mdtest helps tests read Markdown the way a renderer would.
package mdtest

import "strings"

// OutsideSpans replaces each code span, with its fences, by one letter:
// what a span holds renders literally, so it needs no escaping. A
// backslash escape is kept as it is; an unclosed fence run is kept whole.
func OutsideSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+1 < len(s) {
			b.WriteString(s[i : i+2])
			i += 2
			continue
		}
		if s[i] != '`' {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		fence := s[i : i+n]
		end := strings.Index(s[i+n:], fence)
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteByte('c')
		i += n + end + n
	}
	return b.String()
}
