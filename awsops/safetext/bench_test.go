package safetext

import (
	"strings"
	"testing"
)

// A wizard frame sanitizes a few hundred short strings; these are the
// per-string costs.
var (
	benchClean   = "arn:aws:iam::123456789012:user/alice-admin (console, MFA on)"
	benchUnicode = "Zürich Büro — Ünïcödé 世界 contact ✓"
	benchHostile = "Bob" + hostile
	benchLong    = strings.Repeat(benchClean+" ", 200)
)

func benchmark(b *testing.B, f func(string) string, s string) {
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = f(s)
	}
}

func BenchmarkLineClean(b *testing.B)       { benchmark(b, Line, benchClean) }
func BenchmarkLineUnicode(b *testing.B)     { benchmark(b, Line, benchUnicode) }
func BenchmarkLineHostile(b *testing.B)     { benchmark(b, Line, benchHostile) }
func BenchmarkTextLongClean(b *testing.B)   { benchmark(b, Text, benchLong) }
func BenchmarkMarkdownClean(b *testing.B)   { benchmark(b, Markdown, "alice-admin") }
func BenchmarkMarkdownARN(b *testing.B)     { benchmark(b, Markdown, benchClean) }
func BenchmarkMarkdownHostile(b *testing.B) { benchmark(b, Markdown, benchHostile) }

func BenchmarkJSONClean(b *testing.B) {
	doc := []byte(`{"id":"root-mfa","status":"pass","summary":"` + benchLong + `"}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		_ = JSON(doc)
	}
}
