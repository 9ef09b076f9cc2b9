package assets

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// checklistIDs is every item in docs/checklist.md that the wizard shows as a row;
// attest marks the items the user confirms by hand.
var checklistIDs = map[string]struct{ attest bool }{
	"credential-report":      {},
	"root-mfa":               {},
	"root-mfa-strength":      {},
	"root-access-keys":       {},
	"root-signing-certs":     {},
	"root-usage":             {},
	"root-password":          {attest: true},
	"root-email":             {attest: true},
	"root-recovery":          {attest: true},
	"root-multi-person":      {attest: true},
	"security-questions":     {},
	"alternate-contacts":     {},
	"contact-info":           {},
	"password-policy":        {},
	"s3-block-public-access": {},
	"admin-identity":         {},
	"iam-users-mfa":          {},
	"access-key-hygiene":     {},
	"root-activity-alert":    {},
	"cloudtrail":             {},
	"budget-alert":           {},
	"guardduty":              {},
	"detective-services":     {},
	"org-root-access":        {},
	"org-root-scp":           {},
}

const (
	maxLineLen   = 100
	maxLines     = 35
	minSteps     = 5
	maxSteps     = 9
	minGoodToKnw = 2
	maxGoodToKnw = 4
)

func TestEveryChecklistItemHasAGuide(t *testing.T) {
	for id := range checklistIDs {
		text, ok := Guide(id)
		if !ok || strings.TrimSpace(text) == "" {
			t.Errorf("no guide for %q", id)
		}
	}
}

func TestGuideIDsMatchChecklistExactly(t *testing.T) {
	var want []string
	for id := range checklistIDs {
		want = append(want, id)
	}
	slices.Sort(want)
	if got := GuideIDs(); !slices.Equal(got, want) {
		t.Errorf("GuideIDs() = %v\nwant %v", got, want)
	}
}

func TestGuideRejectsUnknownAndPathLikeIDs(t *testing.T) {
	for _, id := range []string{"", "nope", "root-mfa.md", "../assets", "guides/root-mfa", `x\y`, "."} {
		if _, ok := Guide(id); ok {
			t.Errorf("Guide(%q) found a guide, want none", id)
		}
	}
}

var (
	numberedStep = regexp.MustCompile(`^(\d+)\. \S`)
	placeholder  = regexp.MustCompile(`(?i)\b(todo|tbd|fixme|xxx|lorem|placeholder)\b|\?\?\?`)
	accessKeyID  = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)
	link         = regexp.MustCompile(`https?://[^\s)]+`)
)

func TestGuideFormat(t *testing.T) {
	for _, id := range GuideIDs() {
		t.Run(id, func(t *testing.T) {
			text, _ := Guide(id)
			for _, problem := range formatProblems(text, checklistIDs[id].attest) {
				t.Error(problem)
			}
		})
	}
}

// formatProblems lists every way a guide breaks the format the wizard renders.
func formatProblems(text string, attest bool) []string {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	if !utf8.ValidString(text) {
		add("not valid UTF-8")
	}
	if !strings.HasSuffix(text, "\n") {
		add("does not end with a newline")
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > maxLines {
		add("%d lines, want at most %d", len(lines), maxLines)
	}

	var headings []string
	section := ""
	steps, bullets := 0, 0
	inCode := false
	for i, line := range lines {
		n := i + 1
		if w := utf8.RuneCountInString(line); w > maxLineLen {
			add("line %d is %d characters, max %d", n, w, maxLineLen)
		}
		if line != strings.TrimRight(line, " \t") {
			add("line %d has trailing whitespace", n)
		}
		if strings.Contains(line, "\t") {
			add("line %d has a tab", n)
		}
		if placeholder.MatchString(line) {
			add("line %d has placeholder text: %q", n, line)
		}
		if accessKeyID.MatchString(line) {
			add("line %d looks like it holds an access key ID", n)
		}
		for _, raw := range link.FindAllString(line, -1) {
			if p := linkProblem(raw); p != "" {
				add("line %d: %s", n, p)
			}
		}
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		if strings.Count(line, "**")%2 != 0 {
			add("line %d has unbalanced ** bold markers", n)
		}
		if strings.Count(line, "`")%2 != 0 {
			add("line %d has unbalanced ` code markers", n)
		}
		switch {
		case strings.HasPrefix(line, "# "):
			add("line %d is a top-level title; the wizard shows the item title", n)
		case strings.HasPrefix(line, "## "):
			section = strings.TrimPrefix(line, "## ")
			headings = append(headings, section)
		case section == "Steps":
			if m := numberedStep.FindStringSubmatch(line); m != nil {
				steps++
				if got, _ := strconv.Atoi(m[1]); got != steps {
					add("line %d: step numbered %d, want %d", n, got, steps)
				}
			}
		case section == "Good to know":
			if strings.HasPrefix(line, "- ") {
				bullets++
			}
		}
	}
	if inCode {
		add("unclosed ``` code block")
	}

	switch {
	case slices.Equal(headings, []string{"Steps"}),
		slices.Equal(headings, []string{"Steps", "Good to know"}):
	default:
		add(`sections %q, want "Steps" then optionally "Good to know"`, headings)
	}
	if steps < minSteps || steps > maxSteps {
		add("%d numbered steps, want %d to %d", steps, minSteps, maxSteps)
	}
	if slices.Contains(headings, "Good to know") && (bullets < minGoodToKnw || bullets > maxGoodToKnw) {
		add("%d Good to know bullets, want %d to %d", bullets, minGoodToKnw, maxGoodToKnw)
	}
	last := lines[len(lines)-1]
	doneAt := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "**Done when:**") })
	if attest && (doneAt < 0 || slices.Contains(lines[doneAt:], "")) {
		add("attest guide must end with a **Done when:** paragraph (last line: %q)", last)
	}
	if !attest && doneAt >= 0 {
		add("only attest guides say **Done when:**")
	}
	return problems
}

// linkProblem reports a console link that is not plain https on an AWS domain.
func linkProblem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "bad link " + raw
	}
	if u.Scheme != "https" {
		return "link is not https: " + raw
	}
	if u.Host != "aws.amazon.com" && !strings.HasSuffix(u.Host, ".aws.amazon.com") {
		return "link is not an AWS console address: " + raw
	}
	return ""
}

func TestFormatProblemsCatchesBrokenGuides(t *testing.T) {
	good := "Lead.\n\n## Steps\n\n1. a\n2. b\n3. c\n4. d\n5. e\n\n## Good to know\n\n- x\n- y\n"
	if p := formatProblems(good, false); len(p) != 0 {
		t.Fatalf("well-formed guide reported %v", p)
	}
	broken := map[string]string{
		"title":       "# Title\n" + good,
		"no steps":    "Lead.\n\n## Good to know\n\n- x\n- y\n",
		"few steps":   strings.Replace(good, "5. e\n", "", 1),
		"misnumbered": strings.Replace(good, "3. c", "4. c", 1),
		"long line":   good + strings.Repeat("a", maxLineLen+1) + "\n",
		"todo":        good + "TODO: write this\n",
		"bold":        strings.Replace(good, "1. a", "1. **a", 1),
		"http link":   strings.Replace(good, "1. a", "1. http://console.aws.amazon.com/", 1),
		"foreign":     strings.Replace(good, "1. a", "1. https://example.com/", 1),
		"one bullet":  strings.Replace(good, "- y\n", "", 1),
		"extra":       good + "\n## More\n",
		"no newline":  strings.TrimSuffix(good, "\n"),
	}
	for name, text := range broken {
		if len(formatProblems(text, false)) == 0 {
			t.Errorf("%s: no problem reported", name)
		}
	}
	if len(formatProblems(good, true)) == 0 {
		t.Error("attest guide without Done when: no problem reported")
	}
	if p := formatProblems(good+"\n**Done when:** it is.\n", true); len(p) != 0 {
		t.Errorf("attest guide with Done when reported %v", p)
	}
}

func TestSplitGuide(t *testing.T) {
	g := SplitGuide("Intro line one\nand two.\n\n## Steps\n\n1. Open\n   the page.\n2. Choose **Next**.\n\n## Good to know\n\n- a note\n")
	if g.Intro != "Intro line one and two." {
		t.Errorf("intro = %q", g.Intro)
	}
	if len(g.Steps) != 2 || g.Steps[0] != "Open the page." || g.Steps[1] != "Choose **Next**." {
		t.Errorf("steps = %q", g.Steps)
	}
	for _, id := range GuideIDs() {
		src, _ := Guide(id)
		if strings.Contains(src, "## Steps") && len(SplitGuide(src).Steps) == 0 {
			t.Errorf("%s: a Steps section with no numbered steps", id)
		}
	}
}
