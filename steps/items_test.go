package steps

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/assets"
)

func TestAllListsEveryChecklistItemInOrder(t *testing.T) {
	want := []string{
		"credential-report", "root-mfa", "root-mfa-strength", "root-access-keys", "root-signing-certs",
		"root-usage", "root-password", "root-email", "root-recovery", "root-multi-person",
		"security-questions", "alternate-contacts", "contact-info", "password-policy", "s3-block-public-access", "admin-identity",
		"iam-users-mfa", "access-key-hygiene", "root-activity-alert", "cloudtrail", "budget-alert",
		"guardduty", "detective-services", "org-root-access", "org-root-scp",
	}
	if got := IDs(); !slices.Equal(got, want) {
		t.Fatalf("IDs() =\n%v\nwant\n%v", got, want)
	}
}

func TestItemMetadata(t *testing.T) {
	fixable := map[string]bool{"alternate-contacts": true, "contact-info": true, "password-policy": true, "admin-identity": true,
		"s3-block-public-access": true, "root-access-keys": true, "cloudtrail": true, "guardduty": true, "root-activity-alert": true, "budget-alert": true, "org-root-access": true, "org-root-scp": true}
	rootOnly := map[string]bool{
		"root-mfa": true, "root-mfa-strength": true, "root-access-keys": true, "root-signing-certs": true,
		"root-password": true, "root-email": true,
	}
	seen := map[string]bool{}
	lastPhase := PhaseKnow
	for _, it := range All() {
		t.Run(it.ID, func(t *testing.T) {
			if seen[it.ID] {
				t.Errorf("duplicate id %q", it.ID)
			}
			seen[it.ID] = true
			if it.ID == "caller" {
				t.Error("caller is the header, not an item")
			}
			if strings.TrimSpace(it.Title) == "" || strings.TrimSpace(it.Why) == "" {
				t.Error("empty Title or Why")
			}
			if lines := strings.Count(strings.TrimSpace(it.Why), "\n") + 1; lines < 2 || lines > 3 {
				t.Errorf("Why has %d lines, want 2 or 3", lines)
			}
			if it.Check == nil {
				t.Error("no Check")
			}
			if (it.Kind == KindGuided || it.Kind == KindAttest) && !strings.HasPrefix(it.ConsoleURL, "https://") {
				t.Errorf("%s item without a console URL: %q", it.Kind, it.ConsoleURL)
			}
			if it.Phase < lastPhase {
				t.Errorf("phase %d after phase %d: items out of order", it.Phase, lastPhase)
			}
			lastPhase = it.Phase
			if it.Fixable != fixable[it.ID] {
				t.Errorf("Fixable = %v, want %v", it.Fixable, fixable[it.ID])
			}
			if fix, ok := FixFor(it.ID); it.Fixable != (ok && fix.Available()) {
				t.Errorf("Fixable = %v, but FixFor gives %+v, %v", it.Fixable, fix, ok)
			}
			if fix, _ := FixFor(it.ID); it.Fixable && it.Kind != KindAuto && (it.Kind != KindGuided || fix.Needs == "") {
				t.Errorf("Fixable %s item (a guided item's fix must say what it needs)", it.Kind)
			}
			if it.RootOnly != rootOnly[it.ID] {
				t.Errorf("RootOnly = %v, want %v", it.RootOnly, rootOnly[it.ID])
			}
			if (it.Kind == KindInfo) != (it.Severity == SeverityInfo) {
				t.Errorf("kind %s with severity %s", it.Kind, it.Severity)
			}
			if it.OrgOnly != strings.HasPrefix(it.ID, "org-") {
				t.Errorf("OrgOnly = %v", it.OrgOnly)
			}
			if it.OrgOnly != (it.Phase == PhaseOrganizations) {
				t.Errorf("OrgOnly = %v in phase %d", it.OrgOnly, it.Phase)
			}
			wantValidity := time.Duration(0)
			if it.ID == "root-password" {
				wantValidity = 90 * 24 * time.Hour
			}
			if it.AttestValidity != wantValidity {
				t.Errorf("AttestValidity = %v, want %v", it.AttestValidity, wantValidity)
			}
		})
	}
	for id, sev := range map[string]Severity{
		"root-mfa": SeverityCritical, "root-access-keys": SeverityCritical, "root-signing-certs": SeverityMedium,
		"root-multi-person": SeverityLow, "alternate-contacts": SeverityHigh, "contact-info": SeverityMedium,
		"password-policy": SeverityHigh, "admin-identity": SeverityHigh, "iam-users-mfa": SeverityHigh,
		"access-key-hygiene": SeverityMedium, "root-activity-alert": SeverityHigh, "cloudtrail": SeverityHigh,
		"budget-alert": SeverityMedium, "guardduty": SeverityMedium, "security-questions": SeverityInfo,
		"s3-block-public-access": SeverityHigh,
		"detective-services":     SeverityInfo,
	} {
		if it, _ := Lookup(id); it.Severity != sev {
			t.Errorf("%s: severity %s, want %s (checklist)", id, it.Severity, sev)
		}
	}
}

// TestNoPromiseOfMissingFixes keeps the texts of items without an available
// fix from offering one: the user fixes those in the console.
func TestNoPromiseOfMissingFixes(t *testing.T) {
	promise := regexp.MustCompile(`(?i)let rootguard|rootguard (can|will) (do|set|create|enable|fix|update)|or let rootguard`)
	for _, c := range allCheckCases() {
		it, _ := Lookup(c.item)
		if it.Fixable {
			continue
		}
		t.Run(c.item+"/"+c.name, func(t *testing.T) {
			r := runCase(t, c)
			for _, text := range append([]string{r.Summary, r.Todo}, r.Details...) {
				if promise.MatchString(text) {
					t.Errorf("promises a fix that does not exist: %q", text)
				}
			}
		})
	}
	for _, f := range Fixes() {
		it, ok := Lookup(f.ID)
		if !ok {
			t.Errorf("fix for unknown item %q", f.ID)
			continue
		}
		if it.Fixable != f.Available() {
			t.Errorf("%s: Fixable = %v, fix available = %v", f.ID, it.Fixable, f.Available())
		}
	}
}

func TestLookup(t *testing.T) {
	it, ok := Lookup("root-mfa")
	if !ok || it.ID != "root-mfa" || it.Kind != KindGuided {
		t.Fatalf("Lookup(root-mfa) = %+v, %v", it.ID, ok)
	}
	if _, ok := Lookup("caller"); ok {
		t.Error("Lookup(caller) found an item")
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found an item")
	}
}

func TestSelect(t *testing.T) {
	all := All()
	tests := []struct {
		name       string
		only, skip []string
		want       []string // nil: all
		wantErr    string
	}{
		{name: "everything", want: IDs()},
		{name: "only keeps checklist order", only: []string{"cloudtrail", "root-mfa"}, want: []string{"root-mfa", "cloudtrail"}},
		{name: "skip", skip: []string{"root-mfa"}, want: slices.DeleteFunc(IDs(), func(s string) bool { return s == "root-mfa" })},
		{name: "only and skip", only: []string{"root-mfa", "cloudtrail"}, skip: []string{"cloudtrail"}, want: []string{"root-mfa"}},
		{name: "blanks and spaces ignored", only: []string{" root-mfa ", ""}, want: []string{"root-mfa"}},
		{name: "duplicates", only: []string{"root-mfa", "root-mfa"}, want: []string{"root-mfa"}},
		{name: "unknown only", only: []string{"root-mfa", "root-mfaa"}, wantErr: `"root-mfaa"`},
		{name: "unknown skip", skip: []string{"caller"}, wantErr: `"caller"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Select(all, tt.only, tt.skip)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), "root-mfa-strength") {
					t.Errorf("error does not list the known ids: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ids := idsOf(got); !slices.Equal(ids, tt.want) {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
		})
	}
	t.Run("within a subset", func(t *testing.T) {
		sub, _ := Select(all, []string{"root-mfa", "cloudtrail"}, nil)
		if _, err := Select(sub, []string{"guardduty"}, nil); err == nil {
			t.Error("selecting an id outside the given items should fail")
		}
	})
}

// TestNotApplicableSaysWhy keeps n/a summaries from hiding what an item
// waits for behind "does not apply".
func TestNotApplicableSaysWhy(t *testing.T) {
	for _, c := range allCheckCases() {
		if c.want != StatusNA {
			continue
		}
		t.Run(c.item+"/"+c.name, func(t *testing.T) {
			r := runCase(t, c)
			if strings.Contains(strings.ToLower(r.Summary), "does not apply") {
				t.Errorf("summary %q says only that it does not apply", r.Summary)
			}
		})
	}
}

func TestRootPasswordTodoFollowsTheGuide(t *testing.T) {
	guide, ok := assets.Guide("root-password")
	if !ok {
		t.Fatal("no root-password guide")
	}
	r := runCase(t, checkCase{item: "root-password"})
	for _, step := range []string{"account name", "Security credentials", "Edit account name, email, and password"} {
		if !strings.Contains(r.Todo, step) {
			t.Errorf("todo %q lacks %q", r.Todo, step)
		}
		if !strings.Contains(strings.Join(strings.Fields(guide), " "), step) {
			t.Errorf("guide lacks %q", step)
		}
	}
}
