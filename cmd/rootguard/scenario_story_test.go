package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/steps"
)

// The partial scenario: half done, with its traps; check exits 1.
func TestCheckPartialScenario(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo=partial")
	if r.code != exitFindings {
		t.Fatalf("exit = %d, want %d (the traps fail)", r.code, exitFindings)
	}
	assertGolden(t, "check-demo-partial.txt.golden", r.stdout)
	for _, trap := range []string{
		"full rights are cut down for ops-admin (permissions boundary DeveloperBoundary)",
		"security-alerts does not let EventBridge (events.amazonaws.com) publish",
		"the trail account-trail records no management events",
		"the budget ec2-monthly watches only part of the bill",
		"root has only virtual MFA",
	} {
		if !strings.Contains(r.stdout, trap) {
			t.Errorf("the partial scenario does not show the trap %q", trap)
		}
	}
	// Its saved progress starts with the scenario's mark, and keeps it.
	again := runCheckCmd(t, checkEnv{}, "check", "--demo=partial", "--only", "root-email", "--format", "json")
	var rep struct {
		Results []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(again.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Status != string(steps.StatusAttested) {
		t.Errorf("root-email in the partial scenario: %+v", rep.Results)
	}
}

// The hardened scenario: everything verifiable passes, the rest is
// attested or n/a; check exits 0, also with --fail-on warn and with
// --no-save (the marks are kept in memory then).
func TestCheckHardenedScenarioExitsZero(t *testing.T) {
	r := runCheckCmd(t, checkEnv{}, "check", "--demo=hardened")
	if r.code != exitOK {
		t.Fatalf("exit = %d, want 0; stderr %q", r.code, r.stderr)
	}
	assertGolden(t, "check-demo-hardened.txt.golden", r.stdout)
	for _, args := range [][]string{
		{"check", "--demo=hardened", "--fail-on", "warn"},
		{"check", "--demo=hardened", "--no-save", "--fail-on", "warn"},
	} {
		if r := runCheckCmd(t, checkEnv{}, args...); r.code != exitOK {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stdout)
		}
	}
	js := runCheckCmd(t, checkEnv{}, "check", "--demo=hardened", "--format", "json")
	var rep struct {
		CallerARN string `json:"caller_arn"`
		IsRoot    bool   `json:"is_root"`
		Results   []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.IsRoot || !strings.HasSuffix(rep.CallerARN, ":user/jane") {
		t.Errorf("caller %s (root %v): the hardened account is run by its administrator", rep.CallerARN, rep.IsRoot)
	}
	for _, res := range rep.Results {
		switch steps.Status(res.Status) {
		case steps.StatusPass, steps.StatusAttested, steps.StatusNA:
		default:
			t.Errorf("%s = %s", res.ID, res.Status)
		}
		if strings.HasPrefix(res.ID, "org-") && res.Status != string(steps.StatusNA) {
			t.Errorf("%s = %s, want n/a", res.ID, res.Status)
		}
	}
}
