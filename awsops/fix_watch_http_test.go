package awsops_test

// HTTP-level tests of the cloudtrail and guardduty fixes: the plans of
// package steps applied through the real SDK clients to a stub registry,
// asserting every request (the bucket policy statement by statement).

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/steps"
)

var watchIdentity = awsops.Identity{Account: acct, Partition: "aws", ARN: "arn:aws:iam::" + acct + ":user/alice"}

// watchAWS is a real backend in region over a fresh, verified registry.
func watchAWS(t *testing.T, region string) (*awsops.AWS, *awstest.Registry) {
	t.Helper()
	reg := &awstest.Registry{}
	t.Cleanup(func() { reg.Verify(t) })
	cfg := awstest.Config(reg)
	cfg.Region = region
	return awsops.New(cfg), reg
}

func watchPlan(t *testing.T, a *awsops.AWS, id string, v steps.Values) steps.Plan {
	t.Helper()
	fix, _ := steps.FixFor(id)
	id2 := watchIdentity
	st, err := fix.Load(context.Background(), steps.NewFacts(a, steps.FactsOptions{Identity: &id2}))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	p, err := fix.Plan(st, steps.NewInput(v))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

func ctTarget(op string) awstest.Matcher { return awstest.JSONTarget("CloudTrail_20131101." + op) }

// s3Request matches an S3 request on the bucket's virtual host: the bucket
// call itself (sub "") or a subresource such as ?policy.
func s3Request(method, bucket, region, sub string) awstest.Matcher {
	q := awstest.NoURLQuery()
	if sub != "" {
		q = awstest.URLQuery(sub)
	}
	return awstest.And(awstest.REST(method, "/"), awstest.Host(bucket+".s3."+region+".amazonaws.com"), q)
}

var emptyJSON = awstest.JSON(200, "{}")

// noTrails stubs a region with no trail at all.
func noTrails(reg *awstest.Registry) {
	reg.Register(ctTarget("DescribeTrails"), awstest.JSON(200, `{"trailList":[]}`))
}

// createStubs answers every call of the create path in region.
func createStubs(reg *awstest.Registry, bucket, region string) {
	reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(404, ""))
	reg.Register(s3Request("PUT", bucket, region, ""), awstest.XML(200, ""))
	reg.Register(s3Request("PUT", bucket, region, "publicAccessBlock"), awstest.XML(200, ""))
	reg.Register(s3Request("PUT", bucket, region, "encryption"), awstest.XML(200, ""))
	reg.Register(s3Request("PUT", bucket, region, "policy"), awstest.XML(204, ""))
	reg.Register(ctTarget("CreateTrail"), awstest.JSONValue(map[string]any{"Name": awsops.TrailName,
		"TrailARN": awsops.TrailARN("aws", region, acct, awsops.TrailName), "IsMultiRegionTrail": true}))
	reg.Register(ctTarget("PutEventSelectors"), emptyJSON)
}

func TestFixCloudTrailCreateRequests(t *testing.T) {
	const region = "eu-west-1"
	a, reg := watchAWS(t, region)
	bucket := awsops.LogBucketName(acct, region)
	trailARN := "arn:aws:cloudtrail:eu-west-1:" + acct + ":trail/" + awsops.TrailName
	noTrails(reg)
	createStubs(reg, bucket, region)
	reg.Register(ctTarget("StartLogging"), emptyJSON)

	p := watchPlan(t, a, steps.FixCloudTrail, nil)
	res := p.Apply(context.Background(), a)
	if !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}

	// CreateBucket outside us-east-1 names the region.
	var cfg struct{ LocationConstraint string }
	if err := xml.Unmarshal(reg.Find(s3Request("PUT", bucket, region, ""))[0].Body, &cfg); err != nil || cfg.LocationConstraint != region {
		t.Errorf("CreateBucket configuration = %+v, %v", cfg, err)
	}
	var pab struct{ BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool }
	if err := xml.Unmarshal(reg.Find(s3Request("PUT", bucket, region, "publicAccessBlock"))[0].Body, &pab); err != nil ||
		!pab.BlockPublicAcls || !pab.IgnorePublicAcls || !pab.BlockPublicPolicy || !pab.RestrictPublicBuckets {
		t.Errorf("PutPublicAccessBlock = %+v, %v", pab, err)
	}
	var enc struct {
		Rule struct {
			ApplyServerSideEncryptionByDefault struct{ SSEAlgorithm string }
		}
	}
	if err := xml.Unmarshal(reg.Find(s3Request("PUT", bucket, region, "encryption"))[0].Body, &enc); err != nil ||
		enc.Rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm != "AES256" {
		t.Errorf("PutBucketEncryption = %+v, %v", enc, err)
	}
	checkTrailBucketPolicy(t, reg.Find(s3Request("PUT", bucket, region, "policy"))[0].Body, bucket, trailARN)

	var create map[string]any
	sent := reg.Find(ctTarget("CreateTrail"))[0]
	if err := sent.JSON(&create); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Name": awsops.TrailName, "S3BucketName": bucket, "IsMultiRegionTrail": true,
		"IncludeGlobalServiceEvents": true, "EnableLogFileValidation": true}
	if !reflect.DeepEqual(create, want) || sent.Host != "cloudtrail.eu-west-1.amazonaws.com" {
		t.Errorf("CreateTrail = %v on %s\nwant       %v", create, sent.Host, want)
	}
	var sel map[string]any
	if err := reg.Find(ctTarget("PutEventSelectors"))[0].JSON(&sel); err != nil {
		t.Fatal(err)
	}
	wantSel := map[string]any{"TrailName": awsops.TrailName,
		"EventSelectors": []any{map[string]any{"ReadWriteType": "All", "IncludeManagementEvents": true}}}
	if !reflect.DeepEqual(sel, wantSel) {
		t.Errorf("PutEventSelectors = %v\nwant              %v", sel, wantSel)
	}
	var start map[string]any
	if err := reg.Find(ctTarget("StartLogging"))[0].JSON(&start); err != nil || !reflect.DeepEqual(start, map[string]any{"Name": awsops.TrailName}) {
		t.Errorf("StartLogging = %v, %v", start, err)
	}
	// The calls go in this order: bucket, its settings, trail, selectors, start.
	var order []string
	for _, r := range reg.Requests() {
		order = append(order, r.Method+" "+r.RawQuery+r.Target())
	}
	wantOrder := []string{"POST CloudTrail_20131101.DescribeTrails", "HEAD ", "PUT ", "PUT publicAccessBlock=", "PUT encryption=", "PUT policy=",
		"POST CloudTrail_20131101.CreateTrail", "POST CloudTrail_20131101.PutEventSelectors", "POST CloudTrail_20131101.StartLogging"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("requests = %q\nwant       %q", order, wantOrder)
	}
}

// checkTrailBucketPolicy parses the policy and checks it statement by
// statement: AWS's AclCheck and Write statements, for CloudTrail only,
// scoped to the trail and the account.
func checkTrailBucketPolicy(t *testing.T, body []byte, bucket, trailARN string) {
	t.Helper()
	var doc struct {
		Version   string
		Statement []struct {
			Sid       string
			Effect    string
			Principal map[string]string
			Action    string
			Resource  string
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("bucket policy is not JSON: %v\n%s", err, body)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) != 2 {
		t.Fatalf("policy = %s", body)
	}
	scope := map[string]string{"aws:SourceArn": trailARN, "aws:SourceAccount": acct}
	acl, write := doc.Statement[0], doc.Statement[1]
	if acl.Sid != "AWSCloudTrailAclCheck" || acl.Effect != "Allow" || !reflect.DeepEqual(acl.Principal, map[string]string{"Service": "cloudtrail.amazonaws.com"}) ||
		acl.Action != "s3:GetBucketAcl" || acl.Resource != "arn:aws:s3:::"+bucket ||
		!reflect.DeepEqual(acl.Condition, map[string]map[string]string{"StringEquals": scope}) {
		t.Errorf("AclCheck statement = %+v", acl)
	}
	scope["s3:x-amz-acl"] = "bucket-owner-full-control"
	if write.Sid != "AWSCloudTrailWrite" || write.Effect != "Allow" || !reflect.DeepEqual(write.Principal, map[string]string{"Service": "cloudtrail.amazonaws.com"}) ||
		write.Action != "s3:PutObject" || write.Resource != "arn:aws:s3:::"+bucket+"/AWSLogs/"+acct+"/*" ||
		!reflect.DeepEqual(write.Condition, map[string]map[string]string{"StringEquals": scope}) {
		t.Errorf("Write statement = %+v", write)
	}
}

// In us-east-1, CreateBucket must not send a location constraint.
func TestFixCloudTrailCreateBucketInUSEast1(t *testing.T) {
	a, reg := watchAWS(t, "us-east-1")
	bucket := awsops.LogBucketName(acct, "us-east-1")
	reg.Register(s3Request("HEAD", bucket, "us-east-1", ""), awstest.XML(404, ""))
	reg.Register(s3Request("PUT", bucket, "us-east-1", ""), awstest.XML(200, ""))
	if b, err := a.LogBucket(context.Background(), bucket); b != nil || err != nil {
		t.Fatalf("no bucket: %+v, %v", b, err)
	}
	if err := a.CreateLogBucket(context.Background(), bucket); err != nil {
		t.Fatal(err)
	}
	if body := reg.Find(s3Request("PUT", bucket, "us-east-1", ""))[0].Body; len(body) != 0 {
		t.Errorf("CreateBucket in us-east-1 sent %s", body)
	}
}

// A failure after the trail was created deletes the trail, then the new
// bucket (empty: logging never started), and says so.
func TestFixCloudTrailRollsBackOverHTTP(t *testing.T) {
	for _, tc := range []struct {
		name        string
		deleteReply awstest.Responder
		explain     string
		undoFailed  bool
	}{
		{"undone", awstest.XML(204, ""), "trail " + awsops.TrailName + " saved, then undone", false},
		{"bucket not empty", awstest.S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty"),
			"could NOT be undone", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const region = "eu-west-1"
			a, reg := watchAWS(t, region)
			bucket := awsops.LogBucketName(acct, region)
			noTrails(reg)
			createStubs(reg, bucket, region)
			reg.Register(ctTarget("StartLogging"), awstest.AWSError(400, "AccessDeniedException", "not authorized to perform cloudtrail:StartLogging"))
			reg.Register(ctTarget("DeleteTrail"), emptyJSON)
			reg.Register(s3Request("DELETE", bucket, region, ""), tc.deleteReply)

			res := watchPlan(t, a, steps.FixCloudTrail, nil).Apply(context.Background(), a)
			if res.OK() || awsops.PermissionOf(res.Err) != "cloudtrail:StartLogging" {
				t.Fatalf("result: %s", res.Explain())
			}
			if (len(res.UndoFailed) > 0) != tc.undoFailed || !strings.Contains(res.Explain(), tc.explain) {
				t.Errorf("Explain() = %s", res.Explain())
			}
			var del map[string]any
			if err := reg.Find(ctTarget("DeleteTrail"))[0].JSON(&del); err != nil || del["Name"] != awsops.TrailName {
				t.Errorf("DeleteTrail = %v, %v", del, err)
			}
			reqs := reg.Requests()
			if last := reqs[len(reqs)-1]; last.Method != "DELETE" || reqs[len(reqs)-2].Target() != "CloudTrail_20131101.DeleteTrail" {
				t.Errorf("undo order: the trail first, then the bucket")
			}
			if tc.undoFailed && !strings.Contains(res.Todo(), "could not take back log bucket") {
				t.Errorf("Todo() = %s", res.Todo())
			}
		})
	}
}

// describeTrail answers DescribeTrails with one trail and its status and
// selectors (the check's reads), then the fix's own selectors read.
func describeTrail(reg *awstest.Registry, trail map[string]any, status map[string]any, selectors string) {
	reg.Register(ctTarget("DescribeTrails"), awstest.JSONValue(map[string]any{"trailList": []any{trail}}))
	reg.Register(ctTarget("GetTrailStatus"), awstest.JSONValue(status))
	reg.Register(ctTarget("GetEventSelectors"), awstest.JSON(200, selectors))
}

// A stopped shadow trail (homed in us-west-2) that records only writes,
// next to a data selector: the repair keeps the data selector, adds one
// for all management events, and makes every call in us-west-2.
func TestFixCloudTrailRepairsInTheTrailsHomeRegion(t *testing.T) {
	a, reg := watchAWS(t, "eu-west-1")
	arn := "arn:aws:cloudtrail:us-west-2:" + acct + ":trail/legacy"
	selectors := `{"TrailARN":"` + arn + `","EventSelectors":[` +
		`{"ReadWriteType":"All","IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::data/"]}]},` +
		`{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]}`
	describeTrail(reg, map[string]any{"Name": "legacy", "TrailARN": arn, "HomeRegion": "us-west-2", "IsMultiRegionTrail": true,
		"HasCustomEventSelectors": true, "S3BucketName": "legacy-logs"},
		map[string]any{"IsLogging": false, "StartLoggingTime": 1.7e9, "StopLoggingTime": 1.71e9}, selectors)
	reg.Register(ctTarget("GetEventSelectors"), awstest.JSON(200, selectors))
	reg.Register(awstest.And(ctTarget("PutEventSelectors"), awstest.Host("cloudtrail.us-west-2.amazonaws.com")), emptyJSON)
	reg.Register(awstest.And(ctTarget("StartLogging"), awstest.Host("cloudtrail.us-west-2.amazonaws.com")), emptyJSON)

	p := watchPlan(t, a, steps.FixCloudTrail, nil)
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	var put struct {
		TrailName      string
		EventSelectors []map[string]any
	}
	if err := reg.Find(ctTarget("PutEventSelectors"))[0].JSON(&put); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"ReadWriteType": "All", "IncludeManagementEvents": false, "DataResources": []any{map[string]any{"Type": "AWS::S3::Object", "Values": []any{"arn:aws:s3:::data/"}}}},
		{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true},
		{"ReadWriteType": "All", "IncludeManagementEvents": true},
	}
	if put.TrailName != "legacy" || !reflect.DeepEqual(put.EventSelectors, want) {
		t.Errorf("PutEventSelectors = %+v\nwant %+v", put, want)
	}
	if n := len(reg.Find(awstest.Func("a bucket call", func(r *awstest.Request) bool { return strings.Contains(r.Host, ".s3.") }))); n != 0 {
		t.Errorf("a repair made %d S3 requests", n)
	}
}

// A single-region trail is made multi-region with UpdateTrail.
func TestFixCloudTrailMakesASingleRegionTrailMultiRegion(t *testing.T) {
	a, reg := watchAWS(t, "eu-west-1")
	arn := "arn:aws:cloudtrail:eu-west-1:" + acct + ":trail/local"
	describeTrail(reg, map[string]any{"Name": "local", "TrailARN": arn, "HomeRegion": "eu-west-1", "IsMultiRegionTrail": false},
		map[string]any{"IsLogging": true}, `{"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true}]}`)
	reg.Register(awstest.And(ctTarget("UpdateTrail"), awstest.Host("cloudtrail.eu-west-1.amazonaws.com")), awstest.JSONValue(map[string]any{"Name": "local"}))
	p := watchPlan(t, a, steps.FixCloudTrail, nil)
	if res := p.Apply(context.Background(), a); !res.OK() {
		t.Fatalf("apply: %s", res.Explain())
	}
	var body map[string]any
	if err := reg.Find(ctTarget("UpdateTrail"))[0].JSON(&body); err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"Name": "local", "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true}; !reflect.DeepEqual(body, want) {
		t.Errorf("UpdateTrail = %v, want %v", body, want)
	}
}

// A working trail: the plan reads, writes nothing, and Apply sends nothing.
func TestFixCloudTrailSecondRunWritesNothing(t *testing.T) {
	a, reg := watchAWS(t, "eu-west-1")
	arn := awsops.TrailARN("aws", "eu-west-1", acct, awsops.TrailName)
	describeTrail(reg, map[string]any{"Name": awsops.TrailName, "TrailARN": arn, "HomeRegion": "eu-west-1", "IsMultiRegionTrail": true,
		"HasCustomEventSelectors": true}, map[string]any{"IsLogging": true, "StartLoggingTime": 1.7e9},
		`{"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true}]}`)
	p := watchPlan(t, a, steps.FixCloudTrail, nil)
	before := len(reg.Requests())
	res := p.Apply(context.Background(), a)
	if !p.NoOp || !res.NoOp || len(reg.Requests()) != before || before != 3 {
		t.Errorf("NoOp %v, %d requests before, %d after", p.NoOp, before, len(reg.Requests()))
	}
}

// An existing rootguard bucket is read (Block Public Access, encryption,
// policy) and only what it lacks is written; another account's bucket of
// that name stops the fix before any write.
func TestFixCloudTrailBucketReads(t *testing.T) {
	const region = "eu-west-1"
	bucket := awsops.LogBucketName(acct, region)
	t.Run("reused", func(t *testing.T) {
		a, reg := watchAWS(t, region)
		noTrails(reg)
		reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(200, ""))
		reg.Register(s3Request("GET", bucket, region, "publicAccessBlock"), awstest.XML(200,
			`<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>`+
				`<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`))
		reg.Register(s3Request("GET", bucket, region, "encryption"), awstest.XML(200,
			`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`))
		reg.Register(s3Request("GET", bucket, region, "policy"), awstest.JSON(200,
			`{"Version":"2012-10-17","Statement":[{"Sid":"DenyHTTP","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::`+bucket+`/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`))
		p := watchPlan(t, a, steps.FixCloudTrail, nil)
		var got []string
		for _, c := range p.Calls {
			got = append(got, c.API)
		}
		if want := []string{"s3:PutBucketPolicy", "cloudtrail:CreateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StartLogging"}; !slices.Equal(got, want) {
			t.Fatalf("calls = %v, want %v", got, want)
		}
		var policy string
		for _, e := range p.Calls[0].Params {
			if e.Key == "Policy" {
				policy = e.Value
			}
		}
		if !strings.Contains(policy, `"Sid":"DenyHTTP"`) || !strings.Contains(policy, `"Sid":"AWSCloudTrailWrite"`) {
			t.Errorf("the merged policy must keep the bucket's own statement: %s", policy)
		}
	})
	t.Run("another account's", func(t *testing.T) {
		a, reg := watchAWS(t, region)
		noTrails(reg)
		reg.Register(s3Request("HEAD", bucket, region, ""), awstest.XML(403, ""))
		fix, _ := steps.FixFor(steps.FixCloudTrail)
		id := watchIdentity
		_, err := fix.Load(context.Background(), steps.NewFacts(a, steps.FactsOptions{Identity: &id}))
		if err == nil || !strings.Contains(err.Error(), "belongs to another account, or s3:ListBucket is not allowed") {
			t.Errorf("err = %v", err)
		}
	})
}

// GuardDuty answers: ListDetectors and GetDetector per region host.
func detectorsIn(reg *awstest.Registry, region string, ids ...string) {
	host := awstest.Host("guardduty." + region + ".amazonaws.com")
	reg.Register(awstest.And(awstest.REST("GET", "/detector"), host), awstest.JSONValue(map[string]any{"detectorIds": append([]string{}, ids...)}))
	for _, id := range ids {
		reg.Register(awstest.And(awstest.REST("GET", "/detector/"+id), host), awstest.JSONValue(map[string]any{"status": "DISABLED", "serviceRole": "x"}))
	}
}

func TestFixGuardDutyRequestsPerRegion(t *testing.T) {
	a, reg := watchAWS(t, "eu-west-1")
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.JSONValue(map[string]any{"Regions": []any{
		map[string]any{"RegionName": "eu-west-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"},
		map[string]any{"RegionName": "us-east-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"},
		map[string]any{"RegionName": "ap-south-1", "RegionOptStatus": "ENABLED"},
		map[string]any{"RegionName": "sa-east-1", "RegionOptStatus": "ENABLED"},
	}}))
	detectorsIn(reg, "eu-west-1")
	detectorsIn(reg, "us-east-1", "d-suspended")
	detectorsIn(reg, "ap-south-1")
	detectorsIn(reg, "sa-east-1")
	created := awstest.JSONValue(map[string]any{"detectorId": "d-new"})
	reg.Register(awstest.And(awstest.REST("POST", "/detector"), awstest.Host("guardduty.eu-west-1.amazonaws.com")), created)
	reg.Register(awstest.And(awstest.REST("POST", "/detector/d-suspended"), awstest.Host("guardduty.us-east-1.amazonaws.com")), awstest.JSON(200, "{}"))
	reg.Register(awstest.And(awstest.REST("POST", "/detector"), awstest.Host("guardduty.ap-south-1.amazonaws.com")),
		awstest.AWSError(403, "AccessDeniedException", "explicit deny in a service control policy"))

	p := watchPlan(t, a, steps.FixGuardDuty, steps.Values{steps.FieldAcceptCost: "true", steps.FieldAllRegions: "true"})
	res := p.Apply(context.Background(), a)
	if res.OK() || len(res.Applied) != 2 || len(res.NotAttempted) != 1 || len(res.Undone) != 0 {
		t.Fatalf("result: %s", res.Explain())
	}
	for _, want := range []string{"GuardDuty in eu-west-1 saved", "GuardDuty in us-east-1 (re-enabled) saved",
		"GuardDuty in ap-south-1 NOT saved: access denied: needs guardduty:CreateDetector", "GuardDuty in sa-east-1 not attempted"} {
		if !strings.Contains(res.Explain(), want) {
			t.Errorf("Explain() lacks %q: %s", want, res.Explain())
		}
	}
	var create map[string]any
	if err := reg.Find(awstest.And(awstest.REST("POST", "/detector"), awstest.Host("guardduty.eu-west-1.amazonaws.com")))[0].JSON(&create); err != nil {
		t.Fatal(err)
	}
	if create["enable"] != true || len(create) != 2 || create["clientToken"] == "" { // enable, and the SDK's idempotency token
		t.Errorf("CreateDetector = %v", create)
	}
	var update map[string]any
	if err := reg.Find(awstest.REST("POST", "/detector/d-suspended"))[0].JSON(&update); err != nil || !reflect.DeepEqual(update, map[string]any{"enable": true}) {
		t.Errorf("UpdateDetector = %v, %v", update, err)
	}
	if n := len(reg.Find(awstest.Func("a write", func(r *awstest.Request) bool { return r.Method == "DELETE" }))); n != 0 {
		t.Errorf("%d deletes: enabled regions stay enabled", n)
	}
}

func TestFixGuardDutySecondRunWritesNothing(t *testing.T) {
	a, reg := watchAWS(t, "eu-west-1")
	reg.Register(awstest.REST("POST", "/listRegions"), awstest.JSONValue(map[string]any{"Regions": []any{
		map[string]any{"RegionName": "eu-west-1", "RegionOptStatus": "ENABLED_BY_DEFAULT"}}}))
	host := awstest.Host("guardduty.eu-west-1.amazonaws.com")
	reg.Register(awstest.And(awstest.REST("GET", "/detector"), host), awstest.JSONValue(map[string]any{"detectorIds": []string{"d1"}}))
	reg.Register(awstest.And(awstest.REST("GET", "/detector/d1"), host), awstest.JSONValue(map[string]any{"status": "ENABLED", "serviceRole": "x"}))
	p := watchPlan(t, a, steps.FixGuardDuty, steps.Values{steps.FieldAcceptCost: "true", steps.FieldAllRegions: "true"})
	before := len(reg.Requests())
	if res := p.Apply(context.Background(), a); !p.NoOp || !res.NoOp || len(reg.Requests()) != before {
		t.Errorf("a second run wrote: NoOp %v", p.NoOp)
	}
}
