package steps

import (
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// A password fix is recorded in one short line, the same from the CLI
// and the wizard.
func TestPasswordPolicySummary(t *testing.T) {
	rec := PasswordPresetRecommended
	old := awsops.PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, MaxAgeDays: 90, AllowUsersToChange: true}
	for _, tc := range []struct {
		cur    *awsops.PasswordPolicy
		target awsops.PasswordPolicy
		want   string
	}{
		{nil, rec, "was the AWS default; now: min 14, reuse 24, upper/lower/number/symbol, users may change"},
		{&old, rec, "was min 8, reuse off, upper/lower, expires after 90 days; now: min 14, reuse 24, upper/lower/number/symbol, users may change"},
		{&rec, PasswordPresetStrict, "was no expiry; now: min 14, reuse 24, upper/lower/number/symbol, expires after 90 days, users may change"},
		{nil, awsops.PasswordPolicy{MinimumLength: 10}, "was the AWS default; now: min 10, reuse off, no character rules, users may not change"},
	} {
		if got := PlanPasswordPolicy(tc.cur, tc.target).RecordSummary(ApplyResult{}); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
