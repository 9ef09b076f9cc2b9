package awsops_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// TestPermissionsCoverEveryCall reads this package's sources and checks that
// every permission named in a Wrap call is in the published policy.
func TestPermissionsCoverEveryCall(t *testing.T) {
	listed := map[string]bool{}
	for _, p := range append(awsops.RequiredPermissions(), awsops.FixPermissions()...) {
		if p.Why == "" {
			t.Errorf("%s has no reason", p.Action)
		}
		listed[p.Action] = true
	}
	files, _ := filepath.Glob("*.go")
	named := regexp.MustCompile(`"((?:iam|sts|s3|account|organizations|events|sns|cloudtrail|guardduty|budgets|securityhub|sso|config|kms|identitystore|logs|cloudwatch):[A-Z][A-Za-z]+)"`)
	found := 0
	for _, f := range files {
		// policydoc.go names the actions a resource or trust policy grants
		// (sns:Publish, kms:Decrypt…): actions it judges, not calls;
		// trail_policy.go those a bucket policy grants CloudTrail.
		if strings.HasSuffix(f, "_test.go") || f == "policy.go" || f == "policydoc.go" || f == "trail_policy.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range named.FindAllStringSubmatch(string(src), -1) {
			found++
			if perm := m[1]; perm != "sts:GetCallerIdentity" && !listed[perm] {
				t.Errorf("%s uses %s, which the policy does not grant", f, perm)
			}
		}
	}
	if found < 25 {
		t.Fatalf("found only %d permission names in the sources; the scan is broken", found)
	}
}

func TestPolicyJSON(t *testing.T) {
	var doc struct {
		Version   string
		Statement []struct {
			Sid, Effect, Resource string
			Action                []string
		}
	}
	if err := json.Unmarshal([]byte(awsops.PolicyJSON(false)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) != 1 || doc.Statement[0].Effect != "Allow" {
		t.Fatalf("policy = %+v", doc)
	}
	reads := doc.Statement[0].Action
	if !slices.IsSorted(reads) || !slices.Contains(reads, "iam:GetAccountSummary") || slices.Contains(reads, "iam:UpdateAccountPasswordPolicy") {
		t.Fatalf("read actions = %v", reads)
	}
	for _, a := range reads {
		if strings.Contains(a, "*") {
			t.Errorf("wildcard action %q is not least privilege", a)
		}
	}

	if err := json.Unmarshal([]byte(awsops.PolicyJSON(true)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 2 || !slices.Contains(doc.Statement[1].Action, "account:PutAlternateContact") {
		t.Fatalf("policy with fixes = %+v", doc)
	}
}
