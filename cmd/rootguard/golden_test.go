package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// updating reports whether golden files are rewritten: go test
// ./cmd/rootguard -update. The flag is x/exp/golden's (teatest brings that
// package into these tests, and a flag can be defined only once).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// assertGolden compares got with testdata/name (or rewrites it with -update).
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/rootguard -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update if intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}
