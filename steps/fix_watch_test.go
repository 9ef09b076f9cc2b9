package steps

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

var trailIdentity = awsops.Identity{Account: "123456789012", Partition: "aws", ARN: "arn:aws:iam::123456789012:user/alice"}

func trailOf(name string, edit func(*awsops.Trail)) *awsops.Trail {
	t := awsops.Trail{Name: name, ARN: "arn:aws:cloudtrail:eu-west-1:123456789012:trail/" + name, HomeRegion: "eu-west-1",
		MultiRegion: true, IsLogging: true, EverStarted: true, Management: awsops.ManagementAll}
	if edit != nil {
		edit(&t)
	}
	return &t
}

func TestPlanCloudTrailCases(t *testing.T) {
	yes := true
	five := make([]awsops.BasicSelector, maxBasicSelectors)
	for i := range five {
		five[i] = awsops.BasicSelector{ReadWriteType: "ReadOnly", IncludeManagementEvents: &yes}
	}
	for _, tc := range []struct {
		name    string
		st      trailFixState
		noop    bool
		err     string
		apis    []string
		contain string // in a call's parameters
	}{
		{name: "a trail works", st: trailFixState{Working: []string{"main"}}, noop: true},
		{name: "another account's organization trail", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1", OrgTrail: "org"},
			err: "a second trail would pay for a second copy"},
		{name: "only a delivery error", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1",
			Repair: trailOf("main", func(t *awsops.Trail) { t.DeliveryError = "AccessDenied" })}, err: "cannot deliver its logs: AccessDenied"},
		{name: "five selectors already", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1",
			Repair: trailOf("main", func(t *awsops.Trail) { t.Management = awsops.ManagementReadOnly }), Selectors: awsops.EventSelectors{Custom: true, Basic: five}},
			err: "has 5 event selectors"},
		{name: "advanced selectors get an advanced one", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1",
			Repair:    trailOf("main", func(t *awsops.Trail) { t.Management = awsops.ManagementNone }),
			Selectors: awsops.EventSelectors{Custom: true, Advanced: []awsops.AdvancedSelector{{Name: "data", Fields: []awsops.FieldSelector{{Field: "eventCategory", Equals: []string{"Data"}}}}}}},
			apis: []string{"cloudtrail:PutEventSelectors"}, contain: `"Name":"Management events (rootguard)"`},
		{name: "stopped only", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1",
			Repair: trailOf("main", func(t *awsops.Trail) { t.IsLogging = false })}, apis: []string{"cloudtrail:StartLogging"}},
		{name: "nothing works: create", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1"},
			apis: []string{"s3:CreateBucket", "s3:PutBucketPublicAccessBlock", "s3:PutEncryptionConfiguration", "s3:PutBucketPolicy",
				"cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"}, contain: "eu-west-1"},
		{name: "the bucket exists with everything", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1",
			Bucket: &awsops.LogBucket{Name: "b", PublicAccessBlock: &awsops.PublicAccessBlockAllOn, Encryption: "aws:kms",
				Policy: awsops.TrailBucketPolicy("aws", awsops.LogBucketName("123456789012", "eu-west-1"), "123456789012",
					awsops.TrailARN("aws", "eu-west-1", "123456789012", awsops.TrailName))}},
			apis: []string{"cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"}},
		{name: "the bucket has a foreign policy", st: trailFixState{Identity: trailIdentity, Region: "eu-west-1",
			Bucket: &awsops.LogBucket{Name: "b", PublicAccessBlock: &awsops.PublicAccessBlockAllOn, Encryption: "AES256", Policy: "not json"}},
			err: "does not change it"},
		{name: "no account ID", st: trailFixState{Region: "eu-west-1"}, err: "account ID or the home region is unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanCloudTrail(tc.st)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.NoOp != tc.noop {
				t.Fatalf("NoOp = %v", p.NoOp)
			}
			var got []string
			params := ""
			for _, c := range p.Calls {
				got = append(got, c.API)
				for _, e := range c.Params {
					params += e.Value + " "
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.apis, " ") {
				t.Errorf("calls = %v\nwant    %v", got, tc.apis)
			}
			if !strings.Contains(params, tc.contain) {
				t.Errorf("parameters lack %q: %s", tc.contain, params)
			}
			if !p.NoOp && !strings.Contains(strings.Join(p.Warnings, " "), "first copy of management events is free") {
				t.Errorf("no cost note: %q", p.Warnings)
			}
		})
	}
}

// trailReader is a fake account for the cloudtrail fix's Load.
type trailReader struct {
	awsops.Reader // nil: any other read panics
	trails        []awsops.Trail
	selectors     awsops.EventSelectors
	bucket        *awsops.LogBucket
	reads         []string
}

func (r *trailReader) Region() string { return "eu-west-1" }
func (r *trailReader) CallerIdentity(context.Context) (awsops.Identity, error) {
	return trailIdentity, nil
}
func (r *trailReader) Trails(context.Context) ([]awsops.Trail, error) { return r.trails, nil }
func (r *trailReader) TrailEventSelectors(_ context.Context, arn string) (awsops.EventSelectors, error) {
	r.reads = append(r.reads, "selectors "+arn)
	return r.selectors, nil
}
func (r *trailReader) LogBucket(_ context.Context, name string) (*awsops.LogBucket, error) {
	r.reads = append(r.reads, "bucket "+name)
	return r.bucket, nil
}

func TestCloudTrailLoad(t *testing.T) {
	denied := awsops.Wrap("cloudtrail:GetTrailStatus", fixDenied("cloudtrail:GetTrailStatus"))
	org := trailOf("org", func(t *awsops.Trail) {
		t.ARN, t.Organization, t.SelectorsErr = "arn:aws:cloudtrail:us-east-1:999999999999:trail/org", true, denied
	})
	for _, tc := range []struct {
		name   string
		trails []awsops.Trail
		err    bool
		repair string
		reads  string
	}{
		{name: "a working trail reads nothing more", trails: []awsops.Trail{*trailOf("main", nil)}},
		{name: "the best of this account's trails is repaired", trails: []awsops.Trail{
			*trailOf("single", func(t *awsops.Trail) { t.MultiRegion, t.IsLogging = false, false }),
			*trailOf("writes", func(t *awsops.Trail) { t.Management = awsops.ManagementWriteOnly }),
		}, repair: "writes", reads: "selectors arn:aws:cloudtrail:eu-west-1:123456789012:trail/writes"},
		{name: "a trail whose status cannot be read is not guessed at", trails: []awsops.Trail{
			*trailOf("main", func(t *awsops.Trail) { t.IsLogging, t.StatusErr = false, denied })}, err: true},
		{name: "another account's organization trail is never repaired", trails: []awsops.Trail{*org}},
		{name: "no trail: the bucket is read", reads: "bucket rootguard-cloudtrail-123456789012-eu-west-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &trailReader{trails: tc.trails}
			st, err := loadTrailFix(context.Background(), NewFacts(r, FactsOptions{}))
			if tc.err != (err != nil) {
				t.Fatalf("err = %v", err)
			}
			if tc.err {
				return
			}
			repair := ""
			if st.Repair != nil {
				repair = st.Repair.Name
			}
			if repair != tc.repair || strings.Join(r.reads, ";") != tc.reads {
				t.Errorf("repair %q, reads %q", repair, r.reads)
			}
		})
	}
}

func TestPlanGuardDutyCases(t *testing.T) {
	on := []awsops.Detector{{ID: "d1", Enabled: true}}
	off := []awsops.Detector{{ID: "d2"}}
	denied := awsops.Wrap("guardduty:ListDetectors", fixDenied("guardduty:ListDetectors"))
	base := guardDutyState{Home: regionDetectors{Region: "eu-west-1"},
		Others: []regionDetectors{{Region: "us-east-1", Detectors: off}, {Region: "eu-central-1"}, {Region: "ap-south-1", Err: denied}, {Region: "sa-east-1", Detectors: on}}}
	accept := Values{FieldAcceptCost: "true"}
	for _, tc := range []struct {
		name  string
		st    guardDutyState
		in    Values
		field string // a field error there
		calls []string
		noop  bool
		warn  string
		note  string
	}{
		{name: "cost not accepted", st: base, in: Values{FieldAllRegions: "true"}, field: FieldAcceptCost},
		{name: "home only", st: base, in: accept, calls: []string{"guardduty:CreateDetector eu-west-1"}, note: "off in 2 other regions"},
		{name: "every region", st: base, in: Values{FieldAcceptCost: "true", FieldAllRegions: "true"},
			calls: []string{"guardduty:CreateDetector eu-west-1", "guardduty:UpdateDetector us-east-1", "guardduty:CreateDetector eu-central-1"},
			warn:  "could not read GuardDuty in ap-south-1"},
		{name: "regions unreadable", st: guardDutyState{Home: regionDetectors{Region: "eu-west-1"}, RegionsErr: denied},
			in: Values{FieldAcceptCost: "true", FieldAllRegions: "true"}, field: FieldAllRegions},
		{name: "home on already", st: guardDutyState{Home: regionDetectors{Region: "eu-west-1", Detectors: on}}, in: accept, noop: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanGuardDuty(tc.st, NewInput(tc.in))
			if tc.field != "" {
				var fe FieldErrors
				if !errors.As(err, &fe) || fe[0].Field != tc.field {
					t.Fatalf("err = %v, want a field error at %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range p.Calls {
				got = append(got, c.API+" "+c.Params[0].Value)
			}
			if strings.Join(got, "|") != strings.Join(tc.calls, "|") || p.NoOp != tc.noop {
				t.Errorf("calls = %v (noop %v)\nwant    %v", got, p.NoOp, tc.calls)
			}
			if !strings.Contains(strings.Join(p.Warnings, " "), tc.warn) || !strings.Contains(strings.Join(p.Notes, " "), tc.note) {
				t.Errorf("warnings %q, notes %q", p.Warnings, p.Notes)
			}
			if len(p.Calls) > 0 && !strings.Contains(strings.Join(p.Warnings, " "), "30-day free trial") {
				t.Errorf("no cost note: %q", p.Warnings)
			}
		})
	}
}
