package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	mango "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// commandPaths lists every command a user can run, as arguments
// (["fix", "password-policy"]), root first.
func commandPaths(t *testing.T) [][]string {
	t.Helper()
	root := newRootCmd(IOStreams{}, deps{})
	var out [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		out = append(out, path)
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				walk(sub, append(append([]string(nil), path...), sub.Name()))
			}
		}
	}
	walk(root, []string{})
	return out
}

// Every command's --help, as a user sees it in a pipe: golden files.
func TestHelpGolden(t *testing.T) {
	paths := commandPaths(t)
	if len(paths) < 13 {
		t.Fatalf("only %d commands found", len(paths))
	}
	for _, path := range paths {
		name := strings.Join(append([]string{"rootguard"}, path...), "-")
		t.Run(name, func(t *testing.T) {
			r := runCheckCmd(t, checkEnv{}, append(path, "--help")...)
			if r.code != exitOK || r.stderr != "" || r.connects != 0 {
				t.Fatalf("exit %d, %d connects, stderr %q", r.code, r.connects, r.stderr)
			}
			if strings.Contains(r.stdout, "\x1b[") {
				t.Error("help in a pipe must be plain text")
			}
			assertGolden(t, filepath.Join("help", name+".golden"), r.stdout)
		})
	}
}

// `rootguard help X` and `rootguard X --help` (and -h) are the same help.
func TestHelpCommandMatchesHelpFlag(t *testing.T) {
	for _, path := range [][]string{{"check"}, {"fix"}, {"fix", "password-policy"}, {"attest"}, {}} {
		flag := runCheckCmd(t, checkEnv{}, append(path, "--help")...)
		short := runCheckCmd(t, checkEnv{}, append(path, "-h")...)
		help := runCheckCmd(t, checkEnv{}, append([]string{"help"}, path...)...)
		if help.code != exitOK || help.stdout != flag.stdout || short.stdout != flag.stdout {
			t.Errorf("rootguard help %v (exit %d) differs from --help:\n%s", path, help.code, help.stdout)
		}
	}
}

// Mistakes get one line on stderr, with a suggestion when something is
// close, and exit 2 before anything connects: golden.
func TestErrorLinesGolden(t *testing.T) {
	cases := [][]string{
		{"chek"},
		{"xyzzy"},
		{"hist"},
		{"check", "--formt", "json"},
		{"check", "--colour"},
		{"check", "-demo"},
		{"check", "--format"},
		{"check", "--format", "yaml"},
		{"check", "root-mfa"},
		{"--demo", "check", "--only", "root-mfa,pasword-policy"},
		{"--demo", "check", "--skip", "nope"},
		{"fix"},
		{"fix", "pasword-policy", "--preset", "strict"},
		{"fix", "root-mfa"},
		{"fix", "budget-alert", "--amount", "20"},
		{"fix", "password-policy", "--min-lenght", "16"},
		{"fix", "password-policy", "--yes=maybe"},
		{"fix", "password-policy", "--preset", "lax"},
		{"fix", "alternate-contacts", "--billing-mode", "same", "--operations-mode", "twin"},
		{"history", "--item", "root-mf"},
		{"--demo", "attest", "root-pasword"},
		{"attest", "root-mfa"},
		{"attest"},
		{"--demo", "attest", "root-password", "--note", strings.Repeat("n", 201)},
		{"help", "chek"},
		{"help", "fix", "pasword-policy"},
		{"policy", "extra"},
		{"policy", "--reset-demo"},
		{"check", "--reset-demo"},
		{"completion", "tcsh"},
		{"completion", "bsah"},
		{"completion"},
	}
	var b strings.Builder
	for _, args := range cases {
		r := runCheckCmd(t, checkEnv{}, args...)
		if r.code != exitUsage || r.stdout != "" || r.connects != 0 {
			t.Errorf("rootguard %q: exit %d, %d connects, stdout %q", args, r.code, r.connects, r.stdout)
		}
		if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "rootguard: ") {
			t.Errorf("rootguard %q: want one line on stderr, got %q", args, r.stderr)
		}
		fmt.Fprintf(&b, "$ rootguard %s\n%s\n", strings.Join(args, " "), r.stderr)
	}
	assertGolden(t, "errors.golden", b.String())
}

func TestClosest(t *testing.T) {
	commands := []string{"check", "fix", "attest", "history", "report", "policy", "version", "completion", "help"}
	items := []string{"root-mfa", "root-mfa-strength", "root-password", "password-policy", "alternate-contacts", "contact-info"}
	for _, tc := range []struct {
		word       string
		candidates []string
		want       string
	}{
		{"chek", commands, "check"},
		{"chekc", commands, "check"}, // two letters swapped
		{"CHECK", commands, "check"}, // case
		{"histroy", commands, "history"},
		{"hist", commands, "history"}, // the start of one command
		{"re", commands, ""},          // too short to be a start
		{"xyzzy", commands, ""},
		{"fx", commands, "fix"},
		{"pasword-policy", items, "password-policy"},
		{"root-mf", items, "root-mfa"},
		{"root-pasword", items, "root-password"},
		{"contact", items, "contact-info"},
		{"root", items, ""}, // the start of several: no guess
		{"alternate-contact", items, "alternate-contacts"},
		{"nope", items, ""},
		{"", items, ""},
	} {
		if got := closest(tc.word, tc.candidates); got != tc.want {
			t.Errorf("closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"check", "check", 0}, {"chek", "check", 1},
		{"chekc", "check", 1}, {"format", "formt", 1}, {"kitten", "sitting", 3}, {"ü", "u", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// Global flags work before or after the command.
func TestGlobalFlagsBeforeOrAfterTheCommand(t *testing.T) {
	dir := t.TempDir()
	after := runCheckCmd(t, checkEnv{}, "check", "--demo", "--no-save", "--state-dir", dir, "--format", "json", "--only", "root-mfa")
	before := runCheckCmd(t, checkEnv{}, "--demo", "--no-save", "--state-dir", dir, "check", "--format", "json", "--only", "root-mfa")
	mixed := runCheckCmd(t, checkEnv{}, "--demo", "check", "--format", "json", "--no-save", "--only", "root-mfa", "--state-dir", dir)
	if after.code != exitFindings || after.stdout == "" || before.stdout != after.stdout || mixed.stdout != after.stdout {
		t.Errorf("exit %d\nafter:\n%s\nbefore:\n%s\nmixed:\n%s", after.code, after.stdout, before.stdout, mixed.stdout)
	}
	for _, args := range [][]string{
		{"--demo", "--no-save", "fix", "--list"},
		{"--demo", "--no-save", "fix", "password-policy", "--preset", "recommended"},
		{"--demo", "--no-save", "history"},
		{"--profile", "dev", "--region", "eu-west-1", "--demo", "--no-save", "report"},
	} {
		if r := runCheckCmd(t, checkEnv{}, args...); r.code == exitUsage {
			t.Errorf("rootguard %q: exit %d: %s", args, r.code, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	flag := runCheckCmd(t, checkEnv{}, "--version")
	cmd := runCheckCmd(t, checkEnv{}, "version")
	if flag.code != exitOK || cmd.code != exitOK || !strings.HasPrefix(flag.stdout, "rootguard version ") || cmd.stdout != flag.stdout {
		t.Errorf("--version: %d %q; version: %d %q", flag.code, flag.stdout, cmd.code, cmd.stdout)
	}
	version, _ := buildVersion()
	if !strings.Contains(flag.stdout, version) {
		t.Errorf("--version %q lacks the module version %q", flag.stdout, version)
	}
}

// The completion scripts are generated for every shell and are valid
// scripts for the shells installed here.
func TestCompletionScripts(t *testing.T) {
	checkers := map[string][]string{
		"bash": {"bash", "-n"},
		"zsh":  {"zsh", "-n"},
		"fish": {"fish", "--no-execute"},
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			r := runCheckCmd(t, checkEnv{}, "completion", shell)
			if r.code != exitOK || r.stderr != "" || !strings.Contains(r.stdout, "rootguard") {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			check, ok := checkers[shell]
			if !ok {
				return
			}
			if _, err := exec.LookPath(check[0]); err != nil {
				t.Skipf("%s is not installed", check[0])
			}
			path := filepath.Join(t.TempDir(), "rootguard."+shell)
			if err := os.WriteFile(path, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(check[0], append(check[1:], path)...).CombinedOutput()
			if err != nil {
				t.Fatalf("%s rejects the script: %v\n%s", strings.Join(check, " "), err, out)
			}
		})
	}
}

// complete asks the completion machinery what the shell would offer.
func complete(t *testing.T, d deps, args ...string) []string {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	if code := run(context.Background(), append([]string{"__complete"}, args...), ios, d); code != exitOK {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errOut.String())
	}
	var words []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.HasPrefix(line, ":") {
			continue // the directive
		}
		word, _, _ := strings.Cut(line, "\t")
		words = append(words, word)
	}
	return words
}

func TestDynamicCompletions(t *testing.T) {
	has := func(t *testing.T, what string, got []string, want ...string) {
		t.Helper()
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("%s completes %q, want %q among them", what, got, w)
			}
		}
	}
	lacks := func(t *testing.T, what string, got []string, not ...string) {
		t.Helper()
		for _, g := range got {
			for _, n := range not {
				if g == n {
					t.Errorf("%s completes %q, which it must not", what, n)
				}
			}
		}
	}
	fixes := complete(t, deps{}, "fix", "")
	has(t, "fix", fixes, "password-policy", "alternate-contacts", "contact-info")
	has(t, "fix", fixes, "admin-identity", "budget-alert", "root-activity-alert")
	lacks(t, "fix", fixes, "root-mfa") // not a fix
	has(t, "fix with a new fix", complete(t, deps{fixes: withFakeFix(&fakeAccount{})}, "fix", ""), fakeFixID)

	only := complete(t, deps{}, "check", "--only", "root-mfa,")
	has(t, "--only root-mfa,", only, "root-mfa,root-access-keys", "root-mfa,guardduty")
	lacks(t, "--only root-mfa,", only, "root-mfa,root-mfa")
	has(t, "--skip", complete(t, deps{}, "--demo", "check", "--skip", "guard"), "guardduty")
	has(t, "--format", complete(t, deps{}, "check", "--format", ""), "text", "json", "markdown")
	has(t, "history --item", complete(t, deps{}, "history", "--item", ""), "root-mfa", "org-root-scp")

	attest := complete(t, deps{}, "attest", "")
	has(t, "attest", attest, "root-password", "root-email", "root-recovery", "root-multi-person")
	lacks(t, "attest", attest, "root-mfa", "password-policy")

	has(t, "--preset", complete(t, deps{}, "fix", "password-policy", "--preset", ""), "recommended", "strict", "custom")
	has(t, "--billing-mode", complete(t, deps{}, "fix", "alternate-contacts", "--billing-mode", ""), "edit", "same", "keep")
	has(t, "help", complete(t, deps{}, "help", ""), "check", "fix", "attest")
}

// The man page (fang's hidden `rootguard man`) builds from the commands.
func TestManPage(t *testing.T) {
	page, err := mango.NewManPage(1, newRootCmd(IOStreams{}, deps{}))
	if err != nil {
		t.Fatal(err)
	}
	text := page.Build(roff.NewDocument())
	for _, want := range []string{"rootguard", "check", "attest", "--demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
}
