package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rootguard/rootguard/awsops"
)

// The cloudtrail fix makes what the cloudtrail check calls working: a
// multi-region trail that is logging and records every management event,
// reads and writes. When a trail of this account falls short (stopped,
// single-region, recording no or only some management events), it repairs
// that trail; otherwise it creates one with its own private, encrypted
// log bucket.

// FixCloudTrail is the item (and fix) ID.
const FixCloudTrail = "cloudtrail"

// maxBasicSelectors is how many basic event selectors a trail may have.
const maxBasicSelectors = 5

// trailCost is the cost note every plan of the fix shows.
const trailCost = "Cost: the first copy of management events is free in every region; rootguard's trail is that copy unless another trail already records them. " +
	"S3 storage of the log files is charged (usually cents a month for a small account)."

// trailFixState is what the fix plans from.
type trailFixState struct {
	Identity awsops.Identity
	Region   string   // the home region: where a new trail and bucket go
	Working  []string // trails that already pass the check
	// Repair is this account's trail closest to working, when there is one;
	// Selectors are its selectors (read when its management events fall short).
	Repair    *awsops.Trail
	Selectors awsops.EventSelectors
	// OrgTrail is another account's organization trail logging in every
	// region (its selectors cannot be read here).
	OrgTrail string
	// Bucket is the rootguard log bucket when it exists already.
	Bucket *awsops.LogBucket
}

func cloudTrailFix() Fix {
	return NewFix(FixDef[trailFixState]{
		ID:      FixCloudTrail,
		Title:   "Record account activity with a multi-region trail",
		Summary: "repair the trail that falls short, or create a multi-region trail with its own private, encrypted S3 bucket",
		Intro: "rootguard makes a trail record every region's management events, reads and writes, and starts it. " +
			"When a trail of this account is stopped, single-region or records too little, it repairs that trail; otherwise it creates one with a private, encrypted S3 bucket for its logs. " +
			"The first copy of management events is free; S3 storage is charged.",
		Reads: "the CloudTrail trails and the log bucket",
		Writes: []string{
			awsops.PermHeadBucket, awsops.PermGetBucketPAB, awsops.PermGetBucketEncryption, awsops.PermGetBucketPolicy,
			awsops.PermCreateBucket, awsops.PermPutBucketPAB, awsops.PermPutBucketEncryption, awsops.PermPutBucketPolicy,
			awsops.PermCreateTrail, awsops.PermUpdateTrail, awsops.PermPutEventSelectors, awsops.PermStartLogging,
			awsops.PermDeleteTrail, awsops.PermDeleteBucket,
		},
		Reverify: []string{"root-activity-alert"},
		Load:     loadTrailFix,
		Plan:     func(st trailFixState, _ Input) (Plan, error) { return PlanCloudTrail(st) },
	})
}

// ownTrail reports whether a trail belongs to this account (a member
// account sees its organization's trail too, and cannot change it).
func ownTrail(t awsops.Trail, account string) bool {
	if owner := arnField(t.ARN, 4); owner != "" {
		return owner == account
	}
	return !t.Organization
}

// repairScore ranks a trail by how close it is to working.
func repairScore(t awsops.Trail) int {
	score := 0
	if t.MultiRegion {
		score += 4
	}
	if t.IsLogging {
		score += 2
	}
	if t.Management != awsops.ManagementNone {
		score++
	}
	return score
}

func loadTrailFix(ctx context.Context, f *Facts) (trailFixState, error) {
	reader, ok := f.Source().(awsops.TrailSetupReader)
	if !ok {
		return trailFixState{}, errors.New("internal error: this account cannot read trail details")
	}
	var (
		st              trailFixState
		trails          []awsops.Trail
		idErr, trailErr error
	)
	concurrently(
		func() { st.Identity, idErr = f.Identity(ctx) },
		func() { trails, trailErr = f.Trails(ctx) },
	)
	if err := firstErr(idErr, trailErr); err != nil {
		return st, err
	}
	st.Region = f.HomeRegion()
	for _, t := range trails {
		if v, _ := trailVerdict(t, st.Identity.Account); v == StatusPass {
			st.Working = append(st.Working, t.Name)
		}
	}
	if len(st.Working) > 0 {
		return st, nil
	}
	for i, t := range trails {
		if !ownTrail(t, st.Identity.Account) {
			if t.IsLogging && t.MultiRegion {
				st.OrgTrail = t.Name
			}
			continue
		}
		if t.StatusErr != nil {
			return st, t.StatusErr // its state decides what to do
		}
		if st.Repair == nil || repairScore(t) > repairScore(*st.Repair) {
			st.Repair = &trails[i]
		}
	}
	if st.Repair != nil {
		t := st.Repair
		if t.SelectorsErr != nil {
			return st, t.SelectorsErr
		}
		if t.Management != awsops.ManagementAll {
			sel, err := reader.TrailEventSelectors(ctx, orText(t.ARN, t.Name))
			if err != nil {
				return st, err
			}
			st.Selectors = sel
		}
		return st, nil
	}
	if st.OrgTrail != "" {
		return st, nil
	}
	bucket, err := reader.LogBucket(ctx, awsops.LogBucketName(st.Identity.Account, st.Region))
	st.Bucket = bucket
	return st, err
}

// PlanCloudTrail plans the fix from what was read: nothing when a trail
// works, a repair of this account's best trail, or a new trail and bucket.
func PlanCloudTrail(st trailFixState) (Plan, error) {
	switch {
	case len(st.Working) > 0:
		return Plan{ItemID: FixCloudTrail, NoOp: true,
			Notes: []string{plural(len(st.Working), "trail", "trails") + " already record every region's management events: " + listOf(st.Working, 3) + "."}}, nil
	case st.Repair != nil:
		return planTrailRepair(st)
	case st.OrgTrail != "":
		return Plan{}, fmt.Errorf("the organization trail %s of the management account logs every region, but its event selectors cannot be read from this member account; "+
			"a second trail would pay for a second copy of the same events: ask the management account whether %s records management events, reads and writes", st.OrgTrail, st.OrgTrail)
	case !accountIDOK(st.Identity.Account) || st.Region == "":
		return Plan{}, errors.New("the account ID or the home region is unknown, so rootguard cannot name the log bucket")
	}
	return planTrailCreate(st)
}

func accountIDOK(s string) bool { return len(s) == 12 && strings.Trim(s, "0123456789") == "" }

func planTrailRepair(st trailFixState) (Plan, error) {
	t := *st.Repair
	region := orText(t.HomeRegion, st.Region)
	p := Plan{ItemID: FixCloudTrail, Title: "Repair the trail " + t.Name}
	var done []string
	if !t.MultiRegion {
		p.Calls = append(p.Calls, trailCall("cloudtrail:UpdateTrail", "multi-region setting of trail "+t.Name,
			[]Evidence{kv("Name", t.Name), kv("IsMultiRegionTrail", "true"), kv("IncludeGlobalServiceEvents", "true")},
			func(ctx context.Context, w awsops.TrailWriter) error {
				return w.MakeTrailMultiRegion(ctx, region, t.Name)
			}))
		p.Changes = append(p.Changes, Change{Field: "Regions", Current: "only " + region, Proposed: "every region (with global service events)"})
		done = append(done, "multi-region")
	}
	if t.Management != awsops.ManagementAll {
		sel, err := withManagementSelector(st.Selectors)
		if err != nil {
			return Plan{}, fmt.Errorf("the trail %s %v", t.Name, err)
		}
		key := "EventSelectors"
		if len(sel.Advanced) > 0 {
			key = "AdvancedEventSelectors"
		}
		p.Calls = append(p.Calls, trailCall("cloudtrail:PutEventSelectors", "event selectors of trail "+t.Name,
			[]Evidence{kv("TrailName", t.Name), kv(key, SelectorsJSON(sel))},
			func(ctx context.Context, w awsops.TrailWriter) error {
				return w.PutEventSelectors(ctx, region, t.Name, sel)
			}))
		p.Changes = append(p.Changes,
			Change{Field: "Management events", Current: managementShown(t.Management), Proposed: managementShown(awsops.ManagementAll)},
			Change{Field: "Event selectors", Current: orText(SelectorsJSON(st.Selectors), "(none)"), Proposed: SelectorsJSON(sel)})
		p.Notes = append(p.Notes, "PutEventSelectors replaces the trail's selectors: every one it has is sent again unchanged, with one more that records all management events.")
		done = append(done, "all management events")
	}
	if !t.IsLogging {
		current := "stopped"
		if !t.EverStarted {
			current = "never started"
		}
		p.Calls = append(p.Calls, trailCall("cloudtrail:StartLogging", "logging of trail "+t.Name,
			[]Evidence{kv("Name", t.Name)},
			func(ctx context.Context, w awsops.TrailWriter) error { return w.StartLogging(ctx, region, t.Name) }))
		p.Changes = append(p.Changes, Change{Field: "Logging", Current: current, Proposed: "on"})
		done = append(done, "logging")
	}
	if len(p.Calls) == 0 {
		why := "records too little"
		if t.DeliveryError != "" {
			why = "cannot deliver its logs: " + t.DeliveryError
		}
		return Plan{}, fmt.Errorf("the trail %s is multi-region, logging and records every management event, but %s; "+
			"rootguard does not change an existing trail's bucket or key: fix the bucket policy (CloudTrail → Trails → %s → the S3 bucket)", t.Name, why, t.Name)
	}
	p.Notes = append(p.Notes, "These calls change the existing trail "+t.Name+" in "+region+"; nothing new is created. "+
		"Each only widens what the trail records, so when one fails, those made before it stay made and the result says exactly which.")
	if t.DeliveryError != "" {
		p.Warnings = append(p.Warnings, "The trail also reports a delivery error ("+t.DeliveryError+"): rootguard does not change its bucket; fix the bucket policy after this, or the check stays at warn.")
	}
	p.Warnings = append(p.Warnings, trailCost)
	p.record = "repaired trail " + t.Name + ": " + strings.Join(done, ", ")
	return p, nil
}

// withManagementSelector returns the selectors with one more that records
// every management event: advanced when the trail uses advanced ones.
func withManagementSelector(s awsops.EventSelectors) (awsops.EventSelectors, error) {
	out := awsops.EventSelectors{Custom: true, Basic: append([]awsops.BasicSelector(nil), s.Basic...),
		Advanced: append([]awsops.AdvancedSelector(nil), s.Advanced...)}
	if len(s.Advanced) > 0 {
		out.Advanced = append(out.Advanced, awsops.ManagementAdvancedSelector())
		return out, nil
	}
	if len(s.Basic) >= maxBasicSelectors {
		return out, fmt.Errorf("has %d event selectors, the most CloudTrail allows: change one to include management events, reads and writes, in the console (CloudTrail → Trails → the trail → Management events)", len(s.Basic))
	}
	out.Basic = append(out.Basic, awsops.ManagementSelector())
	return out, nil
}

func managementShown(m string) string {
	switch m {
	case awsops.ManagementAll:
		return "all (read and write)"
	case awsops.ManagementNone:
		return "none"
	case "":
		return "unknown"
	}
	return m
}

// SelectorsJSON is how selectors are sent, for the preview: the request's
// EventSelectors or AdvancedEventSelectors ("" when there are none).
func SelectorsJSON(s awsops.EventSelectors) string {
	var list []map[string]any
	for _, b := range s.Basic {
		m := map[string]any{"ReadWriteType": orText(b.ReadWriteType, "All")}
		if b.IncludeManagementEvents != nil {
			m["IncludeManagementEvents"] = *b.IncludeManagementEvents
		}
		var data []map[string]any
		for _, d := range b.DataResources {
			data = append(data, map[string]any{"Type": d.Type, "Values": d.Values})
		}
		if len(data) > 0 {
			m["DataResources"] = data
		}
		if len(b.ExcludeManagementEventSources) > 0 {
			m["ExcludeManagementEventSources"] = b.ExcludeManagementEventSources
		}
		list = append(list, m)
	}
	for _, a := range s.Advanced {
		var fields []map[string]any
		for _, f := range a.Fields {
			m := map[string]any{"Field": f.Field}
			for k, v := range map[string][]string{"Equals": f.Equals, "NotEquals": f.NotEquals, "StartsWith": f.StartsWith,
				"NotStartsWith": f.NotStartsWith, "EndsWith": f.EndsWith, "NotEndsWith": f.NotEndsWith} {
				if len(v) > 0 {
					m[k] = v
				}
			}
			fields = append(fields, m)
		}
		list = append(list, map[string]any{"Name": a.Name, "FieldSelectors": fields})
	}
	if len(list) == 0 {
		return ""
	}
	b, _ := json.Marshal(list) // plain data: cannot fail
	return string(b)
}

func planTrailCreate(st trailFixState) (Plan, error) {
	account, region, partition := st.Identity.Account, st.Region, st.Identity.Partition
	bucket := awsops.LogBucketName(account, region)
	name := awsops.TrailName
	arn := awsops.TrailARN(partition, region, account, name)
	p := Plan{ItemID: FixCloudTrail, Title: "Create the multi-region trail " + name}

	location := region
	if region == "us-east-1" {
		location = "(none: us-east-1 takes no location constraint)"
	}
	var reused []string
	if st.Bucket == nil {
		p.Calls = append(p.Calls,
			trailCall("s3:CreateBucket", "log bucket "+bucket, []Evidence{kv("Bucket", bucket), kv("CreateBucketConfiguration.LocationConstraint", location)},
				func(ctx context.Context, w awsops.TrailWriter) error { return w.CreateLogBucket(ctx, bucket) }).
				WithUndo(trailCall("s3:DeleteBucket", "log bucket removed", []Evidence{kv("Bucket", bucket)},
					func(ctx context.Context, w awsops.TrailWriter) error { return w.DeleteLogBucket(ctx, bucket) })),
			goesWith(bucketPABCall(bucket), "the bucket"), goesWith(bucketEncryptionCall(bucket), "the bucket"),
			goesWith(bucketPolicyCall(bucket, awsops.TrailBucketPolicy(partition, bucket, account, arn)), "the bucket"))
		p.Changes = append(p.Changes, Change{Field: "S3 bucket", Current: shownNotSet, Proposed: bucket + " (private, encrypted)"})
	} else {
		b := st.Bucket
		p.Changes = append(p.Changes, Change{Field: "S3 bucket", Current: bucket + " (exists)", Proposed: bucket + " (reused)"})
		if b.PublicAccessBlock == nil || !b.PublicAccessBlock.AllOn() {
			p.Calls = append(p.Calls, bucketPABCall(bucket))
			p.Changes = append(p.Changes, Change{Field: "Bucket Block Public Access", Current: "not all on", Proposed: "all four on"})
			reused = append(reused, "Block Public Access")
		}
		if b.Encryption == "" {
			p.Calls = append(p.Calls, bucketEncryptionCall(bucket))
			p.Changes = append(p.Changes, Change{Field: "Bucket default encryption", Current: "none", Proposed: "SSE-S3 (AES256)"})
			reused = append(reused, "default encryption")
		}
		policy, changed, err := awsops.MergeTrailBucketPolicy(b.Policy, partition, bucket, account, arn)
		if err != nil {
			return Plan{}, fmt.Errorf("the bucket %s exists: %v; give CloudTrail access in the console, or remove the bucket", bucket, err)
		}
		if changed {
			p.Calls = append(p.Calls, bucketPolicyCall(bucket, policy))
			current := "(none)"
			if b.Policy != "" {
				current = "without CloudTrail's statements"
			}
			p.Changes = append(p.Changes, Change{Field: "Bucket policy", Current: current, Proposed: "with " + awsops.SidTrailACLCheck + " and " + awsops.SidTrailWrite})
			reused = append(reused, "bucket policy")
		}
	}
	p.Calls = append(p.Calls,
		trailCall("cloudtrail:CreateTrail", "trail "+name, []Evidence{kv("Name", name), kv("S3BucketName", bucket),
			kv("IsMultiRegionTrail", "true"), kv("IncludeGlobalServiceEvents", "true"), kv("EnableLogFileValidation", "true")},
			func(ctx context.Context, w awsops.TrailWriter) error {
				return w.CreateTrail(ctx, awsops.NewTrail{Name: name, Bucket: bucket})
			}).
			WithUndo(trailCall("cloudtrail:DeleteTrail", "trail removed", []Evidence{kv("Name", name)},
				func(ctx context.Context, w awsops.TrailWriter) error { return w.DeleteTrail(ctx, region, name) })),
		goesWith(trailCall("cloudtrail:PutEventSelectors", "event selectors of trail "+name,
			[]Evidence{kv("TrailName", name), kv("EventSelectors", SelectorsJSON(awsops.EventSelectors{Basic: []awsops.BasicSelector{awsops.ManagementSelector()}}))},
			func(ctx context.Context, w awsops.TrailWriter) error {
				return w.PutEventSelectors(ctx, region, name, awsops.EventSelectors{Custom: true, Basic: []awsops.BasicSelector{awsops.ManagementSelector()}})
			}), "the trail"),
		trailCall("cloudtrail:StartLogging", "logging of trail "+name, []Evidence{kv("Name", name)},
			func(ctx context.Context, w awsops.TrailWriter) error { return w.StartLogging(ctx, region, name) }),
	)
	p.Changes = append(p.Changes,
		Change{Field: "Trail", Current: shownNotSet, Proposed: name + " (every region, global service events, log file validation)"},
		Change{Field: "Management events", Current: "not recorded", Proposed: managementShown(awsops.ManagementAll)},
		Change{Field: "Logging", Current: shownNotSet, Proposed: "on"})
	p.Notes = append(p.Notes, "The bucket policy lets only cloudtrail.amazonaws.com check the bucket and write this trail's logs (aws:SourceArn "+arn+", aws:SourceAccount "+account+"), with bucket-owner-full-control.")
	if len(reused) > 0 {
		p.Notes = append(p.Notes, "The bucket "+bucket+" exists from an earlier run and is reused; its "+strings.Join(reused, ", ")+" is repaired and stays so if a later call fails.")
	}
	p.Notes = append(p.Notes, "If a later call fails, the trail and a bucket made in this run are removed again (a new bucket is still empty).")
	p.Warnings = append(p.Warnings, trailCost)
	p.record = "created trail " + name + " (every region, all management events, log file validation) logging to bucket " + bucket
	return p.Then(func(Outputs) *Stage { return trailDelivery(name, arn, bucket) }), nil
}

// trailDelivery says what the live re-check right after creation can and
// cannot show.
func trailDelivery(name, arn, bucket string) *Stage {
	return &Stage{
		Title: "The trail " + name + " is logging",
		Help: "CloudTrail delivers the first log files within about 15 minutes. The re-check now sees the trail logging every region's management events; " +
			"it cannot yet see a delivery. If the bucket refused the logs, the trail would show a delivery error then: run `rootguard check --only cloudtrail` later to see it.",
		Show: []Shown{{Label: "Trail", Value: arn}, {Label: "Log bucket", Value: bucket}},
	}
}

// goesWith marks a setting of a piece this run creates: undoing the piece
// (removing the new bucket or trail) takes the setting with it, so the
// result says it was undone rather than still in place.
func goesWith(c Call, piece string) Call {
	return c.WithUndo(NewCall(c.API, "removed with "+piece, nil, func(context.Context, awsops.Writer) error { return nil }))
}

func bucketPABCall(bucket string) Call {
	return trailCall("s3:PutBucketPublicAccessBlock", "Block Public Access on bucket "+bucket,
		[]Evidence{kv("Bucket", bucket), kv("BlockPublicAcls", "true"), kv("IgnorePublicAcls", "true"), kv("BlockPublicPolicy", "true"), kv("RestrictPublicBuckets", "true")},
		func(ctx context.Context, w awsops.TrailWriter) error { return w.BlockBucketPublicAccess(ctx, bucket) })
}

func bucketEncryptionCall(bucket string) Call {
	return trailCall("s3:PutEncryptionConfiguration", "default encryption of bucket "+bucket,
		[]Evidence{kv("Bucket", bucket), kv("SSEAlgorithm", "AES256 (SSE-S3)")},
		func(ctx context.Context, w awsops.TrailWriter) error { return w.EncryptBucket(ctx, bucket) })
}

func bucketPolicyCall(bucket, policy string) Call {
	return trailCall("s3:PutBucketPolicy", "bucket policy for CloudTrail on "+bucket, []Evidence{kv("Bucket", bucket), kv("Policy", policy)},
		func(ctx context.Context, w awsops.TrailWriter) error { return w.PutBucketPolicy(ctx, bucket, policy) })
}

// trailCall is a call of the cloudtrail fix's writer.
func trailCall(api, label string, params []Evidence, write func(ctx context.Context, w awsops.TrailWriter) error) Call {
	return NewCall(api, label, params, func(ctx context.Context, w awsops.Writer) error {
		tw, ok := w.(awsops.TrailWriter)
		if !ok {
			return errors.New("internal error: this account cannot set up CloudTrail")
		}
		return write(ctx, tw)
	})
}
