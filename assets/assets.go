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
