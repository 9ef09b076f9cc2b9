package main

// moto integration of the cloudtrail and guardduty fixes: `rootguard fix`
// through defaultDeps against the emulator, then `rootguard check`.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/steps"
)

func TestMotoFixCloudTrailThenCheck(t *testing.T) {
	s, _ := newSeeder(t)
	account := s.account()
	bucket := awsops.LogBucketName(account, "us-east-1")

	if code, out, errOut := fixRunLive(t, "cloudtrail", "--yes", "--dry-run"); code != exitFindings {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	wantVerdict(t, checkOne(t, "cloudtrail"), "cloudtrail", steps.StatusFail, "no CloudTrail trail")

	code, out, errOut := fixRunLive(t, "cloudtrail", "--yes")
	if code != exitOK {
		t.Fatalf("fix: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "fix cloudtrail", out, "✓ log bucket "+bucket+" saved", "Re-checked live: ✓ pass")
	wantVerdict(t, checkOne(t, "cloudtrail"), "cloudtrail", steps.StatusPass, "logging all management events: "+awsops.TrailName)

	// What moto holds: the bucket's settings and the trail's.
	sc := s3.NewFromConfig(s.cfg, func(o *s3.Options) { o.UsePathStyle = true })
	pab, err := sc.GetPublicAccessBlock(s.ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
	s.must("public access block", err)
	if c := pab.PublicAccessBlockConfiguration; !aws.ToBool(c.BlockPublicAcls) || !aws.ToBool(c.IgnorePublicAcls) || !aws.ToBool(c.BlockPublicPolicy) || !aws.ToBool(c.RestrictPublicBuckets) {
		t.Errorf("public access block = %+v", c)
	}
	enc, err := sc.GetBucketEncryption(s.ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)})
	s.must("encryption", err)
	if r := enc.ServerSideEncryptionConfiguration.Rules; len(r) != 1 || r[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != "AES256" {
		t.Errorf("encryption = %+v", r)
	}
	pol, err := sc.GetBucketPolicy(s.ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	s.must("bucket policy", err)
	var doc struct {
		Statement []struct{ Sid, Resource string }
	}
	if err := json.Unmarshal([]byte(aws.ToString(pol.Policy)), &doc); err != nil || len(doc.Statement) != 2 ||
		doc.Statement[1].Resource != "arn:aws:s3:::"+bucket+"/AWSLogs/"+account+"/*" {
		t.Errorf("bucket policy = %s", aws.ToString(pol.Policy))
	}
	tr, err := cloudtrail.NewFromConfig(s.cfg).GetTrail(s.ctx, &cloudtrail.GetTrailInput{Name: aws.String(awsops.TrailName)})
	s.must("trail", err)
	if t2 := tr.Trail; !aws.ToBool(t2.IsMultiRegionTrail) || !aws.ToBool(t2.LogFileValidationEnabled) || !aws.ToBool(t2.IncludeGlobalServiceEvents) || aws.ToString(t2.S3BucketName) != bucket {
		t.Errorf("trail = %+v", t2)
	}

	if code, out, _ := fixRunLive(t, "cloudtrail", "--yes"); code != exitOK || !strings.Contains(out, "Already in place") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
}

// A stopped single-region trail recording only writes is repaired.
func TestMotoFixCloudTrailRepairs(t *testing.T) {
	s, url := newSeeder(t)
	createBucket(t, url, "legacy-logs")
	ct := cloudtrail.NewFromConfig(s.cfg)
	_, err := ct.CreateTrail(s.ctx, &cloudtrail.CreateTrailInput{Name: aws.String("legacy"), S3BucketName: aws.String("legacy-logs")})
	s.must("trail", err)
	_, err = ct.PutEventSelectors(s.ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String("legacy"),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeWriteOnly, IncludeManagementEvents: aws.Bool(true)}}})
	s.must("selectors", err)
	wantVerdict(t, checkOne(t, "cloudtrail"), "cloudtrail", steps.StatusFail, "never started logging")

	code, out, errOut := fixRunLive(t, "cloudtrail", "--yes")
	if code != exitOK {
		t.Fatalf("fix: exit %d\n%s%s", code, out, errOut)
	}
	wantContains(t, "repair", out, "Repair the trail legacy", "cloudtrail:UpdateTrail", "Re-checked live: ✓ pass")
	wantVerdict(t, checkOne(t, "cloudtrail"), "cloudtrail", steps.StatusPass, "legacy")
	if strings.Contains(out, "s3:CreateBucket") {
		t.Error("a repair created a bucket")
	}
}

// moto 5.2.1 has no account ListRegions, so the re-check after enabling
// GuardDuty at home is unknown (never a pass), and --all-regions is
// refused at the flag; a suspended detector is re-enabled, not doubled.
func TestMotoFixGuardDuty(t *testing.T) {
	s, _ := newSeeder(t)
	gd := guardduty.NewFromConfig(s.cfg)
	made, err := gd.CreateDetector(s.ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(false)})
	s.must("suspended detector", err)
	wantVerdict(t, checkOne(t, "guardduty"), "guardduty", steps.StatusFail, "suspended in the home region")

	code, out, errOut := fixRunLive(t, "guardduty", "--accept-cost", "--all-regions", "--yes")
	if code != exitUsage || !strings.Contains(errOut, "--all-regions") || !strings.Contains(errOut, "account:ListRegions") {
		t.Errorf("--all-regions without ListRegions: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = fixRunLive(t, "guardduty", "--accept-cost", "--yes")
	if code != exitFindings || !strings.Contains(out, "guardduty:UpdateDetector") || !strings.Contains(out, "Re-checked live: ? unknown") {
		t.Fatalf("fix: exit %d\n%s%s", code, out, errOut)
	}
	list, err := gd.ListDetectors(s.ctx, &guardduty.ListDetectorsInput{})
	s.must("detectors", err)
	got, err := gd.GetDetector(s.ctx, &guardduty.GetDetectorInput{DetectorId: made.DetectorId})
	s.must("detector", err)
	if len(list.DetectorIds) != 1 || got.Status != gdtypes.DetectorStatusEnabled {
		t.Errorf("detectors %v, status %s", list.DetectorIds, got.Status)
	}
	if code, out, _ := fixRunLive(t, "guardduty", "--accept-cost", "--yes"); code != exitOK || !strings.Contains(out, "Already in place") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
}
