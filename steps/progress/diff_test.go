package progress

import (
	"reflect"
	"testing"
	"time"

	"github.com/rootguard/rootguard/steps"
)

func TestDiff(t *testing.T) {
	prev := sampleRun(t0,
		"root-mfa", "fail", // → pass: fixed
		"root-password", "manual", // → attested: fixed
		"password-policy", "warn", // → n/a: fixed
		"cloudtrail", "pass", // → fail: new problem
		"root-email", "attested", // → manual (expired): new problem
		"guardduty", "unknown", // → fail: new problem (now verified)
		"budget-alert", "fail", // → warn: other change
		"admin-identity", "pass", // → unknown: other change
		"root-mfa-strength", "n/a", // → warn: now applies (other change), not a new problem
		"root-usage", "n/a", // → fail: now applies
		"contact-info", "pass", // unchanged
		"iam-users-mfa", "fail", // unchanged
		"gone-item", "fail", // not in cur: ignored
	)
	cur := sampleRun(t0.Add(24*time.Hour),
		"root-mfa", "pass",
		"root-password", "attested",
		"password-policy", "n/a",
		"cloudtrail", "fail",
		"root-email", "manual",
		"guardduty", "fail",
		"budget-alert", "warn",
		"admin-identity", "unknown",
		"root-mfa-strength", "warn",
		"root-usage", "fail",
		"contact-info", "pass",
		"iam-users-mfa", "fail",
		"org-root-scp", "fail", // new item, open: new problem
		"org-root-access", "n/a", // new item, closed: other change
	)
	c := Diff(prev, cur)
	want := Changes{
		Fixed:       []string{"root-mfa", "root-password", "password-policy"},
		NewProblems: []string{"cloudtrail", "root-email", "guardduty", "org-root-scp"},
		Other:       []string{"budget-alert", "admin-identity", "root-mfa-strength", "root-usage", "org-root-access"},
		Unchanged:   []string{"contact-info", "iam-users-mfa"},
	}
	got := c
	got.PerItem = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff:\n got %+v\nwant %+v", got, want)
	}
	if s := c.String(); s != "3 fixed, 4 new problems, 5 other changes, 2 unchanged" {
		t.Errorf("String() = %q", s)
	}
	if ch := c.PerItem["root-mfa"]; ch != (Change{ID: "root-mfa", From: steps.StatusFail, To: steps.StatusPass, Kind: ChangeFixed}) || ch.Label() != "fixed" {
		t.Errorf("PerItem[root-mfa] = %+v", ch)
	}
	if ch := c.PerItem["org-root-scp"]; ch.From != "" || ch.Label() != "new problem" {
		t.Errorf("PerItem[org-root-scp] = %+v", ch)
	}
	if ch := c.PerItem["root-mfa-strength"]; ch.Kind != ChangeOther || !ch.NowApplies() || ch.Label() != "now applies" {
		t.Errorf("PerItem[root-mfa-strength] = %+v, label %q", ch, ch.Label())
	}
	if ch := c.PerItem["budget-alert"]; ch.NowApplies() || ch.Label() != "changed" {
		t.Errorf("PerItem[budget-alert] = %+v, label %q", ch, ch.Label())
	}
	if !c.Changed("budget-alert") || c.Changed("contact-info") || c.Changed("gone-item") {
		t.Error("Changed() wrong")
	}
}

func TestDiffStrings(t *testing.T) {
	for _, tc := range []struct {
		prev, cur Run
		want      string
	}{
		{Run{}, sampleRun(t0, "root-mfa", "fail"), "first run"},
		{sampleRun(t0, "a", "fail", "b", "pass"), sampleRun(t0, "a", "pass", "b", "warn"), "1 fixed, 1 new problem, 0 unchanged"},
		{sampleRun(t0, "a", "fail", "b", "fail", "c", "pass", "d", "pass", "e", "n/a", "f", "pass"),
			sampleRun(t0, "a", "pass", "b", "pass", "c", "pass", "d", "fail", "e", "n/a", "f", "pass"),
			"2 fixed, 1 new problem, 3 unchanged"},
		{sampleRun(t0, "a", "pass"), sampleRun(t0, "a", "pass"), "0 fixed, 0 new problems, 1 unchanged"},
		{sampleRun(t0, "a", "fail"), sampleRun(t0, "a", "warn"), "0 fixed, 0 new problems, 1 other change, 0 unchanged"},
		{sampleRun(t0, "a", "n/a"), sampleRun(t0, "a", "fail"), "0 fixed, 0 new problems, 1 other change, 0 unchanged"},
	} {
		if got := Diff(tc.prev, tc.cur).String(); got != tc.want {
			t.Errorf("Diff(%v → %v) = %q, want %q", tc.prev.Results, tc.cur.Results, got, tc.want)
		}
	}
	if c := Diff(Run{}, sampleRun(t0, "a", "fail")); c.Changed("a") || !c.First {
		t.Error("a first run marks nothing as changed")
	}
}

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		run  Run
		want Score
	}{
		{Run{}, Score{}},
		{sampleRun(t0, "a", "pass", "b", "attested", "c", "fail", "d", "warn", "e", "n/a", "f", "manual", "g", "unknown"),
			Score{Percent: 42, Done: 2, Warn: 1, Open: 3, Applicable: 6}},
		{sampleRun(t0, "a", "pass", "b", "n/a"), Score{Percent: 100, Done: 1, Applicable: 1}},
		{sampleRun(t0, "a", "fail", "b", "fail", "c", "pass"), Score{Percent: 33, Done: 1, Open: 2, Applicable: 3}},
		{sampleRun(t0, "a", "n/a"), Score{}},
	} {
		if got := tc.run.Score(); got != tc.want {
			t.Errorf("Score(%v) = %+v, want %+v", tc.run.Results, got, tc.want)
		}
	}
	if s := (Score{Percent: 42}).String(); s != "42%" {
		t.Errorf("String() = %q", s)
	}
}

func TestItemHistory(t *testing.T) {
	runs := []Run{
		sampleRun(t0, "root-mfa", "fail"),
		sampleRun(t0.Add(time.Hour), "other", "pass"),
		sampleRun(t0.Add(2*time.Hour), "root-mfa", "fail"),
		sampleRun(t0.Add(3*time.Hour), "root-mfa", "pass"),
	}
	pts := ItemHistory(runs, "root-mfa")
	var got []string
	for _, p := range pts {
		s := string(p.Status)
		if p.Changed {
			s += "*"
		}
		got = append(got, s)
	}
	if want := []string{"fail", "fail", "pass*"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ItemHistory = %v, want %v", got, want)
	}
}

func TestNewRunMasksSecrets(t *testing.T) {
	outs := []steps.Outcome{{
		Item:   steps.Item{ID: "root-access-keys"},
		Result: steps.Result{Status: steps.StatusFail, Summary: "key AKIAIOSFODNN7EXAMPLE is active"},
	}}
	r := NewRun(t0, "arn", "check", outs)
	if r.Results[0].Summary != "key AKIA…MPLE is active" || r.Source != "check" {
		t.Errorf("NewRun = %+v", r)
	}
}
