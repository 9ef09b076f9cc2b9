package demo

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// The demo's report CSV is what AWS would send: it parses back to the very
// rows the demo reports, root row first, in AWS's column order.
func TestCredentialReportCSVParsesBackToTheRows(t *testing.T) {
	a := newTest(t, Options{Scenario: "org"}) // fullState simulates the org items too
	fullState(t, a)
	rep, err := a.CredentialReport(context.Background())
	must(t, err)
	if !strings.HasPrefix(string(rep.Raw), strings.Join(reportColumns, ",")+"\n<root_account>,") {
		t.Fatalf("CSV starts %q", string(rep.Raw[:min(len(rep.Raw), 200)]))
	}
	back, err := awsops.ParseCredentialReport(rep.Raw)
	must(t, err)
	// Times compare as instants (the parser's UTC is another *Location).
	asJSON := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if got, want := asJSON(back.Root), asJSON(rep.Root); got != want {
		t.Errorf("root row:\n got %s\nwant %s", got, want)
	}
	if got, want := asJSON(back.Users), asJSON(rep.Users); got != want {
		t.Errorf("user rows:\n got %s\nwant %s", got, want)
	}
	if len(rep.Users) < 2 {
		t.Errorf("only %d users: the test proves little", len(rep.Users))
	}
}
