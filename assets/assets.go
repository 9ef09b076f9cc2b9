// Package assets embeds the console guides shown for each checklist item.
package assets

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed guides/*.md
var guides embed.FS

// Guide returns the Markdown guide for a checklist item ID, and whether one exists.
func Guide(id string) (string, bool) {
	if id == "" || strings.ContainsAny(id, `/\.`) {
		return "", false
	}
	b, err := guides.ReadFile("guides/" + id + ".md")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// GuideIDs lists the item IDs that have a guide, sorted.
func GuideIDs() []string {
	entries, err := fs.ReadDir(guides, "guides")
	if err != nil {
		return nil
	}
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".md"); ok && !e.IsDir() {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// GuideParts is a guide split for print: the opening paragraph and the
// numbered steps of its "## Steps" section, each step on one line.
type GuideParts struct {
	Intro string
	Steps []string
}

// SplitGuide reads a guide's intro and numbered steps (continuation lines
// joined). A guide without a Steps section has only an intro.
func SplitGuide(markdown string) GuideParts {
	var g GuideParts
	var intro []string
	section := ""
	for _, raw := range strings.Split(strings.ReplaceAll(markdown, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(line, "#"):
			section = strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
			continue
		case section == "" && line != "":
			intro = append(intro, line)
		case section == "steps" && line != "":
			if n := numberedPrefix(line); n > 0 {
				g.Steps = append(g.Steps, strings.TrimSpace(line[n:]))
			} else if len(g.Steps) > 0 && raw != line { // an indented continuation
				g.Steps[len(g.Steps)-1] += " " + line
			}
		}
	}
	g.Intro = strings.Join(intro, " ")
	return g
}

// numberedPrefix is the length of a "12. " list marker at the start of s
// (0 when there is none).
func numberedPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i+1 >= len(s) || s[i] != '.' || s[i+1] != ' ' {
		return 0
	}
	return i + 2
}
