package steps

import "testing"

// Info items never fail: open or not, they are not counted by severity.
func TestSummarizeLeavesInfoItemsOutOfOpen(t *testing.T) {
	outs := []Outcome{
		{Item: Item{ID: "a", Kind: KindInfo, Severity: SeverityInfo}, Result: Result{Status: StatusUnknown}},
		{Item: Item{ID: "b", Kind: KindAuto, Severity: SeverityHigh}, Result: Result{Status: StatusFail}},
	}
	s := Summarize(outs)
	if s.Total != 2 || s.ByStatus[StatusUnknown] != 1 || s.ByStatus[StatusFail] != 1 {
		t.Errorf("by status: %+v", s)
	}
	if len(s.BySeverity) != 1 || s.BySeverity[SeverityHigh] != 1 {
		t.Errorf("open by severity = %v, want only 1 high", s.BySeverity)
	}
}
