package demo

import (
	"context"
	"errors"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

const (
	demoBucket   = "rootguard-cloudtrail-111122223333-us-east-1"
	demoTrailARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/" + awsops.TrailName
)

var demoPolicy = awsops.TrailBucketPolicy("aws", demoBucket, AccountID, demoTrailARN)

// trailCalls invokes the cloudtrail and guardduty fixes' methods, in an
// order that works on a fresh account.
var trailCalls = []struct {
	op   string
	call func(context.Context, *Account) error
}{
	{"LogBucket", func(ctx context.Context, a *Account) error { _, err := a.LogBucket(ctx, demoBucket); return err }},
	{"CreateLogBucket", func(ctx context.Context, a *Account) error { return a.CreateLogBucket(ctx, demoBucket) }},
	{"BlockBucketPublicAccess", func(ctx context.Context, a *Account) error { return a.BlockBucketPublicAccess(ctx, demoBucket) }},
	{"EncryptBucket", func(ctx context.Context, a *Account) error { return a.EncryptBucket(ctx, demoBucket) }},
	{"PutBucketPolicy", func(ctx context.Context, a *Account) error { return a.PutBucketPolicy(ctx, demoBucket, demoPolicy) }},
	{"CreateTrail", func(ctx context.Context, a *Account) error {
		return a.CreateTrail(ctx, awsops.NewTrail{Name: awsops.TrailName, Bucket: demoBucket})
	}},
	{"MakeTrailMultiRegion", func(ctx context.Context, a *Account) error { return a.MakeTrailMultiRegion(ctx, "", awsops.TrailName) }},
	{"PutEventSelectors", func(ctx context.Context, a *Account) error {
		return a.PutEventSelectors(ctx, "", awsops.TrailName, awsops.EventSelectors{Basic: []awsops.BasicSelector{awsops.ManagementSelector()}})
	}},
	{"TrailEventSelectors", func(ctx context.Context, a *Account) error {
		_, err := a.TrailEventSelectors(ctx, demoTrailARN)
		return err
	}},
	{"StartLogging", func(ctx context.Context, a *Account) error { return a.StartLogging(ctx, "", awsops.TrailName) }},
	{"DeleteTrail", func(ctx context.Context, a *Account) error { return a.DeleteTrail(ctx, "", awsops.TrailName) }},
	{"DeleteLogBucket", func(ctx context.Context, a *Account) error { return a.DeleteLogBucket(ctx, demoBucket) }},
	{"CreateDetector", func(ctx context.Context, a *Account) error { _, err := a.CreateDetector(ctx, "eu-west-1"); return err }},
	{"EnableDetector", func(ctx context.Context, a *Account) error {
		return a.EnableDetector(ctx, "eu-west-1", detectorID("eu-west-1"))
	}},
}

func TestTrailAndDetectorMethodsWorkInOrder(t *testing.T) {
	a := newTest(t, Options{})
	for _, c := range trailCalls {
		if err := c.call(context.Background(), a); err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
	}
	if _, ok := a.Bucket(demoBucket); ok {
		t.Error("the bucket is still there after DeleteLogBucket")
	}
}

func TestTrailAndDetectorMethodsNameTheirPermission(t *testing.T) {
	for _, c := range trailCalls {
		a := newTest(t, Options{Fail: map[string]error{c.op: AccessDenied(permissions[c.op])}})
		err := c.call(context.Background(), a)
		if awsops.PermissionOf(err) != permissions[c.op] || awsops.KindOf(err) != awsops.KindAccessDenied {
			t.Errorf("%s: %v", c.op, err)
		}
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var e *awsops.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// CloudTrail refuses a trail whose bucket is missing or does not let it
// write this trail's logs, as AWS does.
func TestCreateTrailNeedsTheBucketAndItsPolicy(t *testing.T) {
	ctx := context.Background()
	a := newTest(t, Options{})
	trail := awsops.NewTrail{Name: awsops.TrailName, Bucket: demoBucket}
	wantCode(t, "no bucket", a.CreateTrail(ctx, trail), "S3BucketDoesNotExistException")
	must(t, a.CreateLogBucket(ctx, demoBucket))
	wantCode(t, "second bucket", a.CreateLogBucket(ctx, demoBucket), "BucketAlreadyOwnedByYou")
	wantCode(t, "no policy", a.CreateTrail(ctx, trail), "InsufficientS3BucketPolicyException")
	other := awsops.TrailBucketPolicy("aws", demoBucket, AccountID, "arn:aws:cloudtrail:us-east-1:111122223333:trail/other")
	must(t, a.PutBucketPolicy(ctx, demoBucket, other))
	wantCode(t, "another trail's policy", a.CreateTrail(ctx, trail), "InsufficientS3BucketPolicyException")
	must(t, a.PutBucketPolicy(ctx, demoBucket, demoPolicy))
	must(t, a.CreateTrail(ctx, trail))
	wantCode(t, "twice", a.CreateTrail(ctx, trail), "TrailAlreadyExistsException")
	info, ok := a.TrailInfo(awsops.TrailName)
	if !ok || !info.Trail.MultiRegion || info.Trail.IsLogging || !info.LogValidation || !info.GlobalEvents || info.Bucket != demoBucket {
		t.Fatalf("new trail = %+v", info)
	}
	wantCode(t, "another region", a.StartLogging(ctx, "eu-west-1", awsops.TrailName), "InvalidHomeRegionException")
	wantCode(t, "unknown trail", a.StartLogging(ctx, "", "nope"), "TrailNotFoundException")
}

func TestPutEventSelectorsDecidesManagement(t *testing.T) {
	ctx := context.Background()
	a := newTest(t, Options{})
	yes := true
	a.AddTrail(awsops.Trail{Name: "old", IsLogging: true, EverStarted: true, MultiRegion: true},
		&awsops.EventSelectors{Basic: []awsops.BasicSelector{{ReadWriteType: "WriteOnly", IncludeManagementEvents: &yes}}})
	trails, _ := a.Trails(ctx)
	if len(trails) != 1 || trails[0].Management != awsops.ManagementWriteOnly {
		t.Fatalf("trails = %+v", trails)
	}
	wantCode(t, "both kinds", a.PutEventSelectors(ctx, "", "old", awsops.EventSelectors{Basic: []awsops.BasicSelector{awsops.ManagementSelector()},
		Advanced: []awsops.AdvancedSelector{awsops.ManagementAdvancedSelector()}}), "InvalidParameterCombinationException")
	must(t, a.PutEventSelectors(ctx, "", "old", awsops.EventSelectors{Advanced: []awsops.AdvancedSelector{awsops.ManagementAdvancedSelector()}}))
	trails, _ = a.Trails(ctx)
	if trails[0].Management != awsops.ManagementAll {
		t.Errorf("after an advanced management selector: %s", trails[0].Management)
	}
	sel, err := a.TrailEventSelectors(ctx, trails[0].ARN)
	if err != nil || len(sel.Advanced) != 1 || len(sel.Basic) != 0 {
		t.Errorf("selectors = %+v, %v", sel, err)
	}
}

func TestGuardDutyOneDetectorPerRegion(t *testing.T) {
	ctx := context.Background()
	a := newTest(t, Options{})
	id, err := a.CreateDetector(ctx, "")
	if err != nil || id != detectorID(HomeRegion) {
		t.Fatalf("home: %q, %v", id, err)
	}
	_, err = a.CreateDetector(ctx, HomeRegion)
	wantCode(t, "second detector", err, "BadRequestException")
	_, err = a.CreateDetector(ctx, "mars-east-1")
	wantCode(t, "a region that is not enabled", err, "UnrecognizedClientException")
	wantCode(t, "unknown detector", a.EnableDetector(ctx, "eu-west-1", "nope"), "BadRequestException")
	a.SuspendDetector("eu-west-1")
	if ds, _ := a.GuardDutyDetectorsIn(ctx, "eu-west-1"); len(ds) != 1 || ds[0].Enabled {
		t.Fatalf("suspended = %+v", ds)
	}
	must(t, a.EnableDetector(ctx, "eu-west-1", detectorID("eu-west-1")))
	if ds, _ := a.GuardDutyDetectorsIn(ctx, "eu-west-1"); len(ds) != 1 || !ds[0].Enabled {
		t.Errorf("re-enabled = %+v", ds)
	}
}
