package demo_test

// The cloudtrail and guardduty fixes run against the demo account as the
// wizard and the command line run them: load, plan, apply, re-check live.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

const demoLogBucket = "rootguard-cloudtrail-111122223333-us-east-1"

func newFlowDemo() *demo.Account {
	return demo.New(demo.Options{Now: func() time.Time { return flowNow }})
}

func apis(calls []steps.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.API)
	}
	return out
}

func TestDemoCloudTrailFromRedToGreen(t *testing.T) {
	a := newFlowDemo()
	if r := recheck(t, a, steps.FixCloudTrail); r.Status != steps.StatusFail {
		t.Fatalf("a new demo account: %s (%s), want fail", r.Status, r.Summary)
	}
	p := loadPlan(t, a, steps.FixCloudTrail, nil)
	want := []string{"s3:CreateBucket", "s3:PutBucketPublicAccessBlock", "s3:PutEncryptionConfiguration", "s3:PutBucketPolicy",
		"cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"}
	if got := apis(p.Calls); !slices.Equal(got, want) {
		t.Fatalf("calls = %v\nwant    %v", got, want)
	}
	res := p.Apply(context.Background(), a)
	if !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if res.Next == nil || res.Next.Asks() || !strings.Contains(res.Next.Help, "first log files within about 15 minutes") {
		t.Errorf("the result must say what the re-check cannot see yet: %+v", res.Next)
	}
	if r := recheck(t, a, steps.FixCloudTrail); r.Status != steps.StatusPass {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
	b, ok := a.Bucket(demoLogBucket)
	if !ok || b.PublicAccessBlock == nil || !b.PublicAccessBlock.AllOn() || b.Encryption != "AES256" || !strings.Contains(b.Policy, "AWSCloudTrailWrite") {
		t.Errorf("bucket = %+v", b)
	}
	info, ok := a.TrailInfo(awsops.TrailName)
	if !ok || !info.Trail.MultiRegion || !info.Trail.IsLogging || !info.LogValidation || !info.GlobalEvents || info.Selectors.Management() != awsops.ManagementAll {
		t.Errorf("trail = %+v", info)
	}
	before := len(a.Writes())
	again := loadPlan(t, a, steps.FixCloudTrail, nil)
	again.Apply(context.Background(), a)
	if !again.NoOp || len(a.Writes()) != before || before != len(want) {
		t.Errorf("the second run must write nothing: writes %q", a.Writes())
	}
}

// A failure after the trail was made removes the trail and the new bucket.
func TestDemoCloudTrailUndoesWhatItMade(t *testing.T) {
	for _, failing := range []string{"PutBucketPolicy", "CreateTrail", "StartLogging"} {
		t.Run(failing, func(t *testing.T) {
			a := newFlowDemo()
			a.SetFail(failing, demo.AccessDenied("s3:PutBucketPolicy"))
			p := loadPlan(t, a, steps.FixCloudTrail, nil)
			res := p.Apply(context.Background(), a)
			if res.OK() || len(res.UndoFailed) != 0 {
				t.Fatalf("apply: %s", res.Explain())
			}
			if _, ok := a.Bucket(demoLogBucket); ok {
				t.Error("the new bucket was left behind")
			}
			if trails, _ := a.Trails(context.Background()); len(trails) != 0 {
				t.Errorf("trails left behind: %+v", trails)
			}
			if !strings.Contains(res.Explain(), "log bucket "+demoLogBucket+" saved, then undone") || !strings.Contains(res.Explain(), "nothing was changed") ||
				strings.Contains(res.Explain(), "saved;") {
				t.Errorf("Explain() = %s", res.Explain())
			}
		})
	}
}

// A bucket left from an earlier run is reused, not made twice.
func TestDemoCloudTrailReusesItsBucket(t *testing.T) {
	a := newFlowDemo()
	ctx := context.Background()
	if err := a.CreateLogBucket(ctx, demoLogBucket); err != nil {
		t.Fatal(err)
	}
	p := loadPlan(t, a, steps.FixCloudTrail, nil)
	want := []string{"s3:PutBucketPublicAccessBlock", "s3:PutBucketPolicy", "cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"}
	if got := apis(p.Calls); !slices.Equal(got, want) { // a new bucket is encrypted already
		t.Fatalf("calls = %v\nwant    %v", got, want)
	}
	a.SetFail("StartLogging", demo.AccessDenied("cloudtrail:StartLogging"))
	res := p.Apply(ctx, a)
	if res.OK() {
		t.Fatal("apply did not fail")
	}
	if _, ok := a.Bucket(demoLogBucket); !ok {
		t.Error("a bucket this run did not make was removed")
	}
	a.SetFail("StartLogging", nil)
	if res := loadPlan(t, a, steps.FixCloudTrail, nil).Apply(ctx, a); !res.OK() {
		t.Fatalf("second run: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixCloudTrail); r.Status != steps.StatusPass {
		t.Fatalf("after the fix: %s (%s)", r.Status, r.Summary)
	}
}

// A stopped single-region trail recording only writes is repaired in
// place: multi-region, a management selector added to its own, logging.
func TestDemoCloudTrailRepairsTheTrailItFinds(t *testing.T) {
	a := newFlowDemo()
	yes, no := true, false
	data := awsops.BasicSelector{ReadWriteType: "All", IncludeManagementEvents: &no,
		DataResources: []awsops.DataResource{{Type: "AWS::S3::Object", Values: []string{"arn:aws:s3:::data/"}}}}
	writes := awsops.BasicSelector{ReadWriteType: "WriteOnly", IncludeManagementEvents: &yes}
	a.AddTrail(awsops.Trail{Name: "legacy", EverStarted: true}, &awsops.EventSelectors{Basic: []awsops.BasicSelector{data, writes}})
	if r := recheck(t, a, steps.FixCloudTrail); r.Status != steps.StatusFail || !strings.Contains(r.Summary, "stopped logging") {
		t.Fatalf("before: %s (%s)", r.Status, r.Summary)
	}
	p := loadPlan(t, a, steps.FixCloudTrail, nil)
	if got, want := apis(p.Calls), []string{"cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"}; !slices.Equal(got, want) {
		t.Fatalf("calls = %v, want %v", got, want)
	}
	fields := map[string]steps.Change{}
	for _, c := range p.Changes {
		fields[c.Field] = c
	}
	if fields["Regions"].Current != "only us-east-1" || fields["Logging"].Current != "stopped" ||
		fields["Management events"].Current != "write-only" || !strings.Contains(fields["Event selectors"].Proposed, `"DataResources"`) {
		t.Errorf("changes = %+v", p.Changes)
	}
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	if r := recheck(t, a, steps.FixCloudTrail); r.Status != steps.StatusPass {
		t.Fatalf("after the repair: %s (%s)", r.Status, r.Summary)
	}
	info, _ := a.TrailInfo("legacy")
	if len(info.Selectors.Basic) != 3 || info.Selectors.Basic[0].DataResources == nil {
		t.Errorf("the trail's own selectors must be kept: %+v", info.Selectors)
	}
	if _, ok := a.Bucket(demoLogBucket); ok {
		t.Error("a repair made a bucket")
	}
}

func TestDemoGuardDutyFromRedToGreen(t *testing.T) {
	a := newFlowDemo()
	fix, _ := steps.FixFor(steps.FixGuardDuty)
	if err := fix.Check(steps.NewInput(nil)); !fieldError(err, steps.FieldAcceptCost) {
		t.Fatalf("without accepting the cost: %v", err)
	}
	if r := recheck(t, a, steps.FixGuardDuty); r.Status != steps.StatusFail {
		t.Fatalf("before: %s (%s)", r.Status, r.Summary)
	}
	home := loadPlan(t, a, steps.FixGuardDuty, steps.Values{steps.FieldAcceptCost: "true"})
	if got := apis(home.Calls); !slices.Equal(got, []string{"guardduty:CreateDetector"}) || !strings.Contains(strings.Join(home.Warnings, " "), "30-day free trial") {
		t.Fatalf("home plan = %v, warnings %q", got, home.Warnings)
	}
	if res := home.Apply(context.Background(), a); !res.OK() {
		t.Fatal(res.Explain())
	}
	if r := recheck(t, a, steps.FixGuardDuty); r.Status != steps.StatusWarn {
		t.Fatalf("home only: %s (%s), want warn", r.Status, r.Summary)
	}
	all := loadPlan(t, a, steps.FixGuardDuty, steps.Values{steps.FieldAcceptCost: "true", steps.FieldAllRegions: "true"})
	if len(all.Calls) != len(demo.Regions)-1 {
		t.Fatalf("every other region: %d calls", len(all.Calls))
	}
	if res := all.Apply(context.Background(), a); !res.OK() {
		t.Fatal(res.Explain())
	}
	if r := recheck(t, a, steps.FixGuardDuty); r.Status != steps.StatusPass {
		t.Fatalf("every region: %s (%s), want pass", r.Status, r.Summary)
	}
	before := len(a.Writes())
	again := loadPlan(t, a, steps.FixGuardDuty, steps.Values{steps.FieldAcceptCost: "true", steps.FieldAllRegions: "true"})
	again.Apply(context.Background(), a)
	if !again.NoOp || len(a.Writes()) != before {
		t.Errorf("the second run must write nothing: %q", a.Writes()[before:])
	}
}

func fieldError(err error, field string) bool {
	var fe steps.FieldErrors
	return errors.As(err, &fe) && len(fe) == 1 && fe[0].Field == field
}

// A suspended detector is turned back on, never doubled; when a region
// fails, the regions enabled before it stay enabled and the result names
// every region that was and was not.
func TestDemoGuardDutyReenablesAndReportsRegions(t *testing.T) {
	a := newFlowDemo()
	a.SuspendDetector(demo.HomeRegion)
	a.SetFail("CreateDetector", demo.AccessDenied("guardduty:CreateDetector"))
	p := loadPlan(t, a, steps.FixGuardDuty, steps.Values{steps.FieldAcceptCost: "true", steps.FieldAllRegions: "true"})
	if p.Calls[0].API != "guardduty:UpdateDetector" || p.Changes[0].Current != "suspended (detector 6ec8a3b2f1d94e7ab0c5d2e8f4a1b7c3)" {
		t.Fatalf("first call %s, change %+v", p.Calls[0].API, p.Changes[0])
	}
	res := p.Apply(context.Background(), a)
	if res.OK() || len(res.Applied) != 1 || res.Failed == nil || len(res.NotAttempted) != len(demo.Regions)-2 || len(res.Undone) != 0 {
		t.Fatalf("result = %s", res.Explain())
	}
	explain := res.Explain()
	for _, want := range []string{"GuardDuty in us-east-1 (re-enabled) saved", "GuardDuty in us-east-2 NOT saved: access denied",
		"GuardDuty in sa-east-1 not attempted"} {
		if !strings.Contains(explain, want) {
			t.Errorf("Explain() lacks %q: %s", want, explain)
		}
	}
	if r := recheck(t, a, steps.FixGuardDuty); r.Status != steps.StatusWarn {
		t.Errorf("after a partial run: %s (%s), want warn", r.Status, r.Summary)
	}
}
