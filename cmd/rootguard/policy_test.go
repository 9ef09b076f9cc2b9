package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

type policyDoc struct {
	Version   string
	Statement []struct {
		Effect   string
		Action   []string
		Resource any
	}
}

func runPolicyCmd(t *testing.T, args ...string) (int, policyDoc, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := IOStreams{Out: &out, ErrOut: &errOut, Env: func(string) string { return "" }}
	code := run(context.Background(), append([]string{"policy"}, args...), ios, deps{})
	var doc policyDoc
	if code == exitOK {
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("policy is not JSON: %v\n%s", err, out.String())
		}
	}
	return code, doc, errOut.String()
}

func actions(d policyDoc) map[string]bool {
	m := map[string]bool{}
	for _, s := range d.Statement {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			m[a] = true
		}
	}
	return m
}

func TestPolicyPrintsReadPermissions(t *testing.T) {
	code, doc, _ := runPolicyCmd(t)
	if code != exitOK || doc.Version != "2012-10-17" {
		t.Fatalf("exit %d, version %q", code, doc.Version)
	}
	got := actions(doc)
	for _, want := range []string{"iam:GetAccountSummary", "iam:GetCredentialReport", "account:GetAlternateContact", "budgets:ViewBudget"} {
		if !got[want] {
			t.Errorf("policy lacks %s", want)
		}
	}
	for a := range got {
		if strings.HasPrefix(a, "iam:Update") || strings.HasPrefix(a, "account:Put") {
			t.Errorf("the read-only policy allows a write: %s", a)
		}
	}
}

func TestPolicyWithFixesAddsWrites(t *testing.T) {
	_, reads, _ := runPolicyCmd(t)
	code, doc, _ := runPolicyCmd(t, "--with-fixes")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	got := actions(doc)
	for a := range actions(reads) {
		if !got[a] {
			t.Errorf("--with-fixes dropped %s", a)
		}
	}
	for _, want := range []string{"iam:UpdateAccountPasswordPolicy", "account:PutAlternateContact"} {
		if !got[want] {
			t.Errorf("--with-fixes lacks %s", want)
		}
	}
}

func TestPolicyRejectsArguments(t *testing.T) {
	if code, _, _ := runPolicyCmd(t, "extra"); code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
}
