package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

// Without --accept-cost the guardduty fix stops before connecting, with
// the message at the flag.
func TestFixGuardDutyNeedsAcceptCost(t *testing.T) {
	for _, args := range [][]string{{"guardduty", "--yes"}, {"guardduty", "--all-regions", "--dry-run"}, {"guardduty", "--accept-cost=false", "--yes"}} {
		code, out, errOut := fixRun(t, nil, args...)
		if code != exitUsage || !strings.Contains(errOut, "--accept-cost") || !strings.Contains(errOut, "30-day free trial") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
}

// The demo from red to green on the command line: the trail, then
// GuardDuty at home (warn) and in every region (pass); a second run of
// each writes nothing.
func TestFixCloudTrailAndGuardDutyOnTheDemo(t *testing.T) {
	acct := newFixDemo()
	code, out, errOut := fixRun(t, acct, "cloudtrail", "--yes")
	if code != exitOK {
		t.Fatalf("cloudtrail: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "cloudtrail", out, "aws:SourceArn", "! Cost: the first copy of management events is free",
		"first log files within about 15", "Re-checked live: ✓ pass")
	code, out, errOut = fixRun(t, acct, "guardduty", "--accept-cost", "--yes")
	if code != exitOK {
		t.Fatalf("guardduty: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "guardduty home", out, "30-day free trial", "GuardDuty in us-east-1 saved", "Re-checked live: ! warn", "--all-regions")
	code, out, _ = fixRun(t, acct, "guardduty", "--accept-cost", "--all-regions", "--yes")
	if code != exitOK || !strings.Contains(out, "Re-checked live: ✓ pass") {
		t.Fatalf("guardduty everywhere: exit %d\n%s", code, out)
	}
	writes := len(acct.Writes())
	for _, args := range [][]string{{"cloudtrail", "--yes"}, {"guardduty", "--accept-cost", "--all-regions", "--yes"}} {
		if code, out, _ := fixRun(t, acct, args...); code != exitOK || !strings.Contains(out, "Already in place") {
			t.Errorf("second %s: exit %d\n%s", args[0], code, out)
		}
	}
	if len(acct.Writes()) != writes {
		t.Errorf("second runs wrote: %q", acct.Writes()[writes:])
	}
}

// Over the real SDK: --dry-run (even with --yes) sends read requests only.
func TestFixWatchDryRunMakesNoWriteRequests(t *testing.T) {
	bucketHost := awsops.LogBucketName("123456789012", awstest.Region) + ".s3." + awstest.Region + ".amazonaws.com"
	for _, tc := range []struct {
		args  []string
		stubs func(reg *awstest.Registry)
		reads []string
	}{
		{[]string{"cloudtrail"}, func(reg *awstest.Registry) {
			reg.Register(awstest.JSONTarget("CloudTrail_20131101.DescribeTrails"), awstest.JSON(200, `{"trailList":[]}`))
			reg.Register(awstest.And(awstest.REST("HEAD", "/"), awstest.Host(bucketHost)), awstest.XML(404, ""))
		}, []string{"json CloudTrail_20131101.DescribeTrails", "rest HEAD /"}},
		{[]string{"guardduty", "--accept-cost", "--all-regions"}, func(reg *awstest.Registry) {
			reg.Register(awstest.REST("POST", "/listRegions"), awstest.JSONValue(map[string]any{"Regions": []any{
				map[string]any{"RegionName": "eu-west-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"},
				map[string]any{"RegionName": "us-east-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"}}}))
			for range 2 {
				reg.Register(awstest.REST("GET", "/detector"), awstest.JSONValue(map[string]any{"detectorIds": []string{}}))
			}
		}, []string{"rest POST /listRegions", "rest GET /detector"}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			reg := &awstest.Registry{}
			tc.stubs(reg)
			code, out, errOut := fixRun(t, proven(awsops.New(awstest.Config(reg))), append(tc.args, "--yes", "--dry-run")...)
			reg.Verify(t)
			if code != exitFindings || !strings.Contains(out, "Dry run: nothing was written.") {
				t.Errorf("exit %d\n%s%s", code, out, errOut)
			}
			for _, r := range reg.Requests() {
				if op := r.Operation(); !slices.Contains(tc.reads, op) {
					t.Errorf("dry run made a request that is not a read: %s", op)
				}
			}
		})
	}
}
