package main

import (
	"encoding/json"
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
		if next != readme && !updating() {
			t.Errorf("README.md block %q is out of date: run go test ./cmd/rootguard -run README -update", b.marker)
		}
		readme = next
	}
	if updating() {
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

// docs/json.md documents every field the JSON report has, and
// docs/exit-codes.md every exit code.
func TestDocsMatchTheCode(t *testing.T) {
	data, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	dir := t.TempDir()
	runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo")
	r := runCheckCmd(t, checkEnv{stateDir: dir}, "check", "--demo", "--format", "json") // with since_last_run
	var report map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatal(err)
	}
	var keys func(prefix string, v any)
	keys = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				if prefix != "summary" && prefix != "evidence" && !strings.Contains(doc, "`"+k+"`") {
					t.Errorf("docs/json.md does not document %q (in %s)", k, prefix)
				}
				keys(k, sub)
			}
		case []any:
			for _, sub := range v {
				keys(prefix, sub)
			}
		}
	}
	keys("", report)

	data, err = os.ReadFile("../../docs/exit-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{exitOK, exitFindings, exitUsage, exitInterrupted} {
		if !strings.Contains(string(data), fmt.Sprintf("| %d |", code)) {
			t.Errorf("docs/exit-codes.md does not list exit code %d", code)
		}
	}
}
