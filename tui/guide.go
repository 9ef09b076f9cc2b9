package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// renderMarkdown renders the small markdown subset the guides use: headings,
// numbered and bulleted lists, quotes, code fences, **bold**, *italic*,
// `code` and [links](url), wrapped to width.
func renderMarkdown(src string, width int, st Styles) string {
	if width < 20 {
		width = 20
	}
	var out []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, wrap(inline(strings.Join(para, " "), st), width, "", ""))
			para = nil
		}
	}
	blank := func() {
		if len(out) > 0 && out[len(out)-1] != "" {
			out = append(out, "")
		}
	}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		line := strings.TrimSpace(raw)
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		switch {
		case line == "":
			flush()
			blank()
		case strings.HasPrefix(line, "```"):
			flush()
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				out = append(out, "    "+st.Code.Render(lines[i]))
			}
		case strings.HasPrefix(line, "#"):
			flush()
			level := len(line) - len(strings.TrimLeft(line, "#"))
			text := strings.TrimSpace(line[level:])
			blank()
			if level <= 2 {
				out = append(out, st.Section.Render(text))
			} else {
				out = append(out, st.Bold.Render(text))
			}
		case strings.HasPrefix(line, "> "):
			flush()
			out = append(out, wrap(inline(line[2:], st), width, st.Dim.Render("│ "), st.Dim.Render("│ ")))
		default:
			marker, text, ok := listItem(line)
			if !ok {
				para = append(para, line)
				continue
			}
			flush()
			// Continuation lines: indented text that is not a new item.
			for i+1 < len(lines) {
				next := lines[i+1]
				nt := strings.TrimSpace(next)
				if nt == "" || len(next)-len(strings.TrimLeft(next, " \t")) <= indent {
					break
				}
				if _, _, isItem := listItem(nt); isItem {
					break
				}
				text += " " + nt
				i++
			}
			if marker != "•" {
				marker = fmt.Sprintf("%3s", marker)
			}
			first := strings.Repeat(" ", 1+min(indent, 6)) + marker
			hang := strings.Repeat(" ", ansi.StringWidth(first)+1)
			out = append(out, wrap(inline(text, st), width, st.Key.Render(first)+" ", hang))
		}
	}
	flush()
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	return strings.Join(out, "\n")
}

// listItem splits "1. text", "- text" or "* text" into marker and text.
func listItem(line string) (marker, text string, ok bool) {
	if strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") {
		return "•", line[2:], true
	}
	dot := strings.Index(line, ". ")
	if dot > 0 && dot <= 3 {
		if _, err := strconv.Atoi(line[:dot]); err == nil {
			return line[:dot+1], line[dot+2:], true
		}
	}
	return "", "", false
}

// wrap word-wraps s to width, prefixing the first line and the rest. Lines
// break only at spaces, so words, URLs and email addresses stay whole (also
// at hyphens); only a single word longer than the line is hard-broken.
func wrap(s string, width int, first, rest string) string {
	w := width - ansi.StringWidth(first)
	if w < 10 {
		w = 10
	}
	lines := wordWrap(s, w)
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		lines[i] = p + strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// wordWrap breaks s into lines at most w cells wide, at spaces only. ANSI
// styles pass through untouched (SGR sequences hold no spaces).
func wordWrap(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var line strings.Builder
		lw := 0
		for i, word := range strings.Split(para, " ") {
			ww := ansi.StringWidth(word)
			switch {
			case i == 0:
			case lw+1+ww <= w:
				line.WriteByte(' ')
				lw++
			case ww == 0:
				continue // a space at a break is dropped
			default:
				out = append(out, line.String())
				line.Reset()
				lw = 0
			}
			for ww > w {
				// A word longer than a whole line: hard-break it.
				out = append(out, ansi.Truncate(word, w, ""))
				word = ansi.TruncateLeft(word, w, "")
				ww = ansi.StringWidth(word)
			}
			line.WriteString(word)
			lw += ww
		}
		out = append(out, line.String())
	}
	return out
}

// inline renders **bold**, *italic*, `code` and [text](url).
func inline(s string, st Styles) string {
	var b strings.Builder
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "**"):
			if end := strings.Index(s[2:], "**"); end >= 0 {
				b.WriteString(st.Bold.Render(s[2 : 2+end]))
				s = s[4+end:]
				continue
			}
		case s[0] == '`':
			if end := strings.IndexByte(s[1:], '`'); end >= 0 {
				b.WriteString(st.Code.Render(s[1 : 1+end]))
				s = s[2+end:]
				continue
			}
		case s[0] == '*' || s[0] == '_':
			if end := strings.IndexByte(s[1:], s[0]); end > 0 && s[1] != ' ' {
				b.WriteString(st.Dim.Italic(true).Render(s[1 : 1+end]))
				s = s[2+end:]
				continue
			}
		case s[0] == '[':
			if close := strings.Index(s, "]("); close > 0 {
				if end := strings.IndexByte(s[close:], ')'); end > 0 {
					text, url := s[1:close], s[close+2:close+end]
					b.WriteString(st.Link.Render(text))
					if url != text && !strings.HasPrefix(url, "#") {
						b.WriteString(" " + st.Dim.Render("("+url+")"))
					}
					s = s[close+end+1:]
					continue
				}
			}
		}
		b.WriteByte(s[0])
		s = s[1:]
	}
	return b.String()
}
