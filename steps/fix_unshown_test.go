package steps

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops/safetext"
)

// A current value the boundary had to sanitize (it held an escape, shown
// now as \x1b…) is never written back as that text: the plan is refused at
// the field until the user types it anew.
func TestPlanRefusesToWriteBackSanitizedValues(t *testing.T) {
	f := healthyFake()
	f.contactInfo.CompanyName = safetext.Text("Acme\x1b]52;c;eA==\x07")
	fix, ok := FixFor("contact-info")
	if !ok {
		t.Fatal("no contact-info fix")
	}
	st, err := fix.Load(context.Background(), NewFacts(f, FactsOptions{Now: func() time.Time { return testNow }}))
	if err != nil {
		t.Fatal(err)
	}
	plan := func(v Values) error {
		_, err := fix.Plan(st, NewInput(v))
		return err
	}
	refusedAt := func(err error, field string) bool {
		var fe FieldErrors
		return errors.As(err, &fe) && len(fe) == 1 && fe[0].Field == field
	}
	// Another field changes; the company would be sent again as it reads.
	if err := plan(Values{FieldCity: "Shelbyville"}); !refusedAt(err, FieldCompany) {
		t.Errorf("kept sanitized company: %v, want it refused at %s", err, FieldCompany)
	}
	// The form hands the pre-filled value back unchanged.
	if err := plan(Values{FieldCity: "Shelbyville", FieldCompany: f.contactInfo.CompanyName}); !refusedAt(err, FieldCompany) {
		t.Errorf("unchanged sanitized company: %v, want it refused", err)
	}
	// Typed anew: fine.
	if err := plan(Values{FieldCity: "Shelbyville", FieldCompany: "Acme"}); err != nil {
		t.Errorf("typed company: %v", err)
	}
	// A clean account plans as before.
	f.contactInfo.CompanyName = "Acme"
	st, _ = fix.Load(context.Background(), NewFacts(f, FactsOptions{Now: func() time.Time { return testNow }}))
	if err := plan(Values{FieldCity: "Shelbyville"}); err != nil {
		t.Errorf("clean account: %v", err)
	}
}
