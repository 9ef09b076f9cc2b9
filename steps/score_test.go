package steps

import "testing"

func TestScoreOf(t *testing.T) {
	cases := []struct {
		in   []Status
		want Score
	}{
		{nil, Score{}},
		{[]Status{StatusNA, StatusChecking}, Score{}},
		{[]Status{StatusPass, StatusAttested, StatusWarn, StatusFail, StatusManual, StatusUnknown, StatusNA},
			Score{Percent: 42, Done: 2, Warn: 1, Open: 3, Applicable: 6}},
		{[]Status{StatusPass, StatusNA}, Score{Percent: 100, Done: 1, Applicable: 1}},
	}
	for _, c := range cases {
		if got := ScoreOf(c.in); got != c.want {
			t.Errorf("ScoreOf(%v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestGlyphsAreDistinct(t *testing.T) {
	seen := map[string]Status{}
	for _, s := range append(Statuses, StatusChecking) {
		g := s.Glyph()
		if prev, dup := seen[g]; dup {
			t.Errorf("%s and %s share the glyph %q", prev, s, g)
		}
		seen[g] = s
	}
}

func TestTallyCountsListedItemsOnce(t *testing.T) {
	org := Item{ID: "org", OrgOnly: true}
	plain := Item{ID: "plain"}
	outs := []Outcome{
		{Item: plain, Result: Result{Status: StatusPass}},
		{Item: plain, Result: Result{Status: StatusFail}},
		{Item: plain, Result: Result{Status: StatusWarn}},
		{Item: plain, Result: Result{Status: StatusNA}},
		{Item: org, Result: Result{Status: StatusNA}},       // does not apply: not listed
		{Item: org, Result: Result{Status: StatusAttested}}, // applies: listed
	}
	got := TallyOf(outs)
	if got.Listed != 5 || got.Done != 2 || got.Open != 2 || got.Score.Applicable != 4 {
		t.Errorf("tally = %+v", got)
	}
}
