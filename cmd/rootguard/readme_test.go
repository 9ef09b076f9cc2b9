package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// TestREADMEGeneratedBlocks keeps the README's pasted outputs (the policy,
// the demo check) equal to what the code prints; -update rewrites them.
func TestREADMEGeneratedBlocks(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	demo := runCheckCmd(t, checkEnv{}, "check", "--demo")
	blocks := []struct{ marker, fence, content string }{
		{"<!-- generated: rootguard policy", "```json", awsops.PolicyJSON(false)},
		{"<!-- generated: rootguard check --demo", "```", demo.stdout},
	}
	for _, b := range blocks {
		next, err := replaceGenerated(readme, b.marker, b.fence, b.content)
		if err != nil {
			t.Fatal(err)
		}
		if next != readme && !*update {
			t.Errorf("README.md block %q is out of date: run go test ./cmd/rootguard -run README -update", b.marker)
		}
		readme = next
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// replaceGenerated replaces the fenced block after marker with content.
func replaceGenerated(doc, marker, fence, content string) (string, error) {
	start := strings.Index(doc, marker)
	if start < 0 {
		return "", fmt.Errorf("marker %q not found", marker)
	}
	open := strings.Index(doc[start:], "\n"+fence+"\n")
	if open < 0 {
		return "", fmt.Errorf("no %s block after %q", fence, marker)
	}
	bodyStart := start + open + len("\n"+fence+"\n")
	end := strings.Index(doc[bodyStart:], "```\n<!-- end generated -->")
	if end < 0 {
		return "", fmt.Errorf("block after %q is not closed by <!-- end generated -->", marker)
	}
	content = strings.TrimRight(content, "\n") + "\n"
	return doc[:bodyStart] + content + doc[bodyStart+end:], nil
}
