package demo

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"

	"github.com/rootguard/rootguard/awsops"
)

// The cloudtrail fix in the demo: S3 buckets for trail logs and the trail
// settings the check's read does not carry, with writes validated like S3
// and CloudTrail do (a trail needs its bucket, and a bucket policy that
// lets CloudTrail write this trail's logs; trail writes are made in the
// trail's home region).

var (
	_ awsops.TrailSetupReader = (*Account)(nil)
	_ awsops.TrailWriter      = (*Account)(nil)
)

// logBucket is an S3 bucket of the demo account.
type logBucket struct {
	name       string
	pab        *awsops.PublicAccessBlock
	encryption string
	policy     string
}

// trailDetail is what a trail has beyond awsops.Trail.
type trailDetail struct {
	bucket        string
	logValidation bool
	globalEvents  bool
	selectors     *awsops.EventSelectors // nil: as its Management says
}

func (st *state) bucket(name string) *logBucket {
	for i := range st.buckets {
		if st.buckets[i].name == name {
			return &st.buckets[i]
		}
	}
	return nil
}

// trail finds a trail by name or ARN.
func (st *state) trail(nameOrARN string) *awsops.Trail {
	for i := range st.trails {
		if st.trails[i].Name == nameOrARN || st.trails[i].ARN == nameOrARN {
			return &st.trails[i]
		}
	}
	return nil
}

func demoError(op string, kind awsops.ErrorKind, code, msg string) error {
	return &awsops.Error{Kind: kind, Permission: permissions[op], Code: code, Message: msg}
}

// selectorsOf are a trail's selectors: stored, or what its Management says.
func selectorsOf(t awsops.Trail, d trailDetail) awsops.EventSelectors {
	if d.selectors != nil {
		return cloneSelectors(*d.selectors)
	}
	yes, no := true, false
	switch t.Management {
	case awsops.ManagementWriteOnly:
		return awsops.EventSelectors{Custom: true, Basic: []awsops.BasicSelector{{ReadWriteType: "WriteOnly", IncludeManagementEvents: &yes}}}
	case awsops.ManagementReadOnly:
		return awsops.EventSelectors{Custom: true, Basic: []awsops.BasicSelector{{ReadWriteType: "ReadOnly", IncludeManagementEvents: &yes}}}
	case awsops.ManagementNone:
		return awsops.EventSelectors{Custom: true, Basic: []awsops.BasicSelector{{ReadWriteType: "All", IncludeManagementEvents: &no,
			DataResources: []awsops.DataResource{{Type: "AWS::S3::Object", Values: []string{"arn:aws:s3"}}}}}}
	}
	return awsops.EventSelectors{}
}

func cloneSelectors(s awsops.EventSelectors) awsops.EventSelectors {
	b, _ := json.Marshal(s)
	var out awsops.EventSelectors
	_ = json.Unmarshal(b, &out)
	return out
}

func (a *Account) TrailEventSelectors(ctx context.Context, trailARN string) (awsops.EventSelectors, error) {
	return read(a, ctx, "TrailEventSelectors", func(st *state) (awsops.EventSelectors, error) {
		t := st.trail(trailARN)
		if t == nil {
			return awsops.EventSelectors{}, demoError("TrailEventSelectors", awsops.KindNotFound, "TrailNotFoundException", "Unknown trail: "+trailARN)
		}
		return selectorsOf(*t, st.trailDetails[t.Name]), nil
	})
}

func (a *Account) LogBucket(ctx context.Context, name string) (*awsops.LogBucket, error) {
	return read(a, ctx, "LogBucket", func(st *state) (*awsops.LogBucket, error) {
		b := st.bucket(name)
		if b == nil {
			return nil, nil
		}
		out := &awsops.LogBucket{Name: b.name, Encryption: b.encryption, Policy: b.policy}
		if b.pab != nil {
			cp := *b.pab
			out.PublicAccessBlock = &cp
		}
		return out, nil
	})
}

// bucketNamePattern is S3's rule for bucket names (lower case, digits,
// dots and hyphens, 3–63, starting and ending with a letter or digit).
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func (a *Account) CreateLogBucket(ctx context.Context, name string) error {
	const op = "CreateLogBucket"
	return a.write(ctx, op, "Bucket="+name, func(st *state) error {
		switch {
		case !bucketNamePattern.MatchString(name):
			return demoError(op, awsops.KindOther, "InvalidBucketName", "The specified bucket is not valid.")
		case st.bucket(name) != nil:
			return demoError(op, awsops.KindOther, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
		}
		// New buckets are encrypted with SSE-S3 by default, as S3 does.
		st.buckets = append(st.buckets, logBucket{name: name, encryption: "AES256"})
		return nil
	})
}

func (a *Account) DeleteLogBucket(ctx context.Context, name string) error {
	const op = "DeleteLogBucket"
	return a.write(ctx, op, "Bucket="+name, func(st *state) error {
		if st.bucket(name) == nil {
			return demoError(op, awsops.KindNotFound, "NoSuchBucket", "The specified bucket does not exist")
		}
		st.buckets = slices.DeleteFunc(st.buckets, func(b logBucket) bool { return b.name == name })
		return nil
	})
}

func (a *Account) BlockBucketPublicAccess(ctx context.Context, name string) error {
	const op = "BlockBucketPublicAccess"
	return a.write(ctx, op, "Bucket="+name+" all four on", func(st *state) error {
		b := st.bucket(name)
		if b == nil {
			return demoError(op, awsops.KindNotFound, "NoSuchBucket", "The specified bucket does not exist")
		}
		all := awsops.PublicAccessBlockAllOn
		b.pab = &all
		return nil
	})
}

func (a *Account) EncryptBucket(ctx context.Context, name string) error {
	const op = "EncryptBucket"
	return a.write(ctx, op, "Bucket="+name+" SSEAlgorithm=AES256", func(st *state) error {
		b := st.bucket(name)
		if b == nil {
			return demoError(op, awsops.KindNotFound, "NoSuchBucket", "The specified bucket does not exist")
		}
		b.encryption = "AES256"
		return nil
	})
}

func (a *Account) PutBucketPolicy(ctx context.Context, name, policy string) error {
	const op = "PutBucketPolicy"
	return a.write(ctx, op, "Bucket="+name, func(st *state) error {
		b := st.bucket(name)
		if b == nil {
			return demoError(op, awsops.KindNotFound, "NoSuchBucket", "The specified bucket does not exist")
		}
		var doc map[string]any
		if json.Unmarshal([]byte(policy), &doc) != nil {
			return demoError(op, awsops.KindOther, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'")
		}
		b.policy = policy
		return nil
	})
}

// trailNamePattern is CloudTrail's rule for trail names.
var trailNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)

func (a *Account) CreateTrail(ctx context.Context, t awsops.NewTrail) error {
	const op = "CreateTrail"
	return a.write(ctx, op, "Name="+t.Name+" S3BucketName="+t.Bucket+" IsMultiRegionTrail=true EnableLogFileValidation=true", func(st *state) error {
		arn := awsops.TrailARN("aws", HomeRegion, AccountID, t.Name)
		b := st.bucket(t.Bucket)
		switch {
		case !trailNamePattern.MatchString(t.Name):
			return demoError(op, awsops.KindOther, "InvalidTrailNameException", "Trail name must start with a letter or number and contain only letters, numbers, periods, underscores and dashes.")
		case st.trail(t.Name) != nil:
			return demoError(op, awsops.KindOther, "TrailAlreadyExistsException", "Trail "+t.Name+" already exists for customer: "+AccountID)
		case b == nil:
			return demoError(op, awsops.KindOther, "S3BucketDoesNotExistException", "S3 bucket "+t.Bucket+" does not exist.")
		case !lets(b.policy, "s3:GetBucketAcl", "arn:aws:s3:::"+t.Bucket, arn) ||
			!lets(b.policy, "s3:PutObject", "arn:aws:s3:::"+t.Bucket+"/AWSLogs/"+AccountID+"/*", arn):
			return demoError(op, awsops.KindOther, "InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy is detected for bucket: "+t.Bucket)
		}
		st.trails = append(st.trails, awsops.Trail{Name: t.Name, ARN: arn, HomeRegion: HomeRegion, MultiRegion: true,
			Management: awsops.ManagementAll})
		if st.trailDetails == nil {
			st.trailDetails = map[string]trailDetail{}
		}
		st.trailDetails[t.Name] = trailDetail{bucket: t.Bucket, logValidation: true, globalEvents: true}
		return nil
	})
}

// lets reports whether a bucket policy allows cloudtrail.amazonaws.com the
// action on the resource for the trail (an aws:SourceArn condition, when
// there is one, must name it).
func lets(policy, action, resource, trailARN string) bool {
	var doc struct {
		Statement []struct {
			Effect    string
			Principal struct{ Service any }
			Action    any
			Resource  any
			Condition map[string]map[string]any
		}
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	has := func(v any, want string) bool {
		switch x := v.(type) {
		case string:
			return x == want
		case []any:
			for _, e := range x {
				if s, _ := e.(string); s == want {
					return true
				}
			}
		}
		return false
	}
	for _, s := range doc.Statement {
		if s.Effect != "Allow" || !has(s.Principal.Service, "cloudtrail.amazonaws.com") || !has(s.Action, action) || !has(s.Resource, resource) {
			continue
		}
		if src, ok := s.Condition["StringEquals"]["aws:SourceArn"]; ok && !has(src, trailARN) {
			continue
		}
		return true
	}
	return false
}

// trailIn finds a trail for a write in region, as CloudTrail does: only
// in the trail's home region.
func (st *state) trailIn(op, region, name string) (*awsops.Trail, error) {
	t := st.trail(name)
	if t == nil {
		return nil, demoError(op, awsops.KindNotFound, "TrailNotFoundException", "Unknown trail: "+name+" for the user: "+AccountID)
	}
	if r := orHome(region); r != t.HomeRegion {
		return nil, demoError(op, awsops.KindOther, "InvalidHomeRegionException", "This operation must be called from the trail's home region ("+t.HomeRegion+"), not "+r)
	}
	return t, nil
}

func orHome(region string) string {
	if region == "" {
		return HomeRegion
	}
	return region
}

func (a *Account) DeleteTrail(ctx context.Context, region, name string) error {
	const op = "DeleteTrail"
	return a.write(ctx, op, "Name="+name, func(st *state) error {
		if _, err := st.trailIn(op, region, name); err != nil {
			return err
		}
		st.trails = slices.DeleteFunc(st.trails, func(t awsops.Trail) bool { return t.Name == name })
		delete(st.trailDetails, name)
		return nil
	})
}

func (a *Account) MakeTrailMultiRegion(ctx context.Context, region, name string) error {
	const op = "MakeTrailMultiRegion"
	return a.write(ctx, op, "Name="+name+" IsMultiRegionTrail=true IncludeGlobalServiceEvents=true", func(st *state) error {
		t, err := st.trailIn(op, region, name)
		if err != nil {
			return err
		}
		t.MultiRegion = true
		d := st.trailDetails[name]
		d.globalEvents = true
		st.setDetail(name, d)
		return nil
	})
}

func (st *state) setDetail(name string, d trailDetail) {
	if st.trailDetails == nil {
		st.trailDetails = map[string]trailDetail{}
	}
	st.trailDetails[name] = d
}

func (a *Account) PutEventSelectors(ctx context.Context, region, name string, s awsops.EventSelectors) error {
	const op = "PutEventSelectors"
	b, _ := json.Marshal(s)
	return a.write(ctx, op, "TrailName="+name+" "+string(b), func(st *state) error {
		t, err := st.trailIn(op, region, name)
		if err != nil {
			return err
		}
		switch {
		case len(s.Basic) > 0 && len(s.Advanced) > 0:
			return demoError(op, awsops.KindOther, "InvalidParameterCombinationException", "You cannot use EventSelectors and AdvancedEventSelectors in the same request.")
		case len(s.Basic) == 0 && len(s.Advanced) == 0:
			return demoError(op, awsops.KindOther, "InvalidEventSelectorsException", "At least one event selector is required.")
		case len(s.Basic) > 5:
			return demoError(op, awsops.KindOther, "InvalidEventSelectorsException", "A trail can have at most 5 event selectors.")
		}
		s.Custom = true
		cp := cloneSelectors(s)
		d := st.trailDetails[name]
		d.selectors = &cp
		st.setDetail(name, d)
		t.Management = cp.Management()
		return nil
	})
}

func (a *Account) StartLogging(ctx context.Context, region, name string) error {
	const op = "StartLogging"
	return a.write(ctx, op, "Name="+name, func(st *state) error {
		t, err := st.trailIn(op, region, name)
		if err != nil {
			return err
		}
		t.IsLogging, t.EverStarted = true, true
		return nil
	})
}

// TrailInfo is a trail with the settings the check's read does not carry.
type TrailInfo struct {
	Trail         awsops.Trail
	Bucket        string
	LogValidation bool
	GlobalEvents  bool
	Selectors     awsops.EventSelectors
}

// TrailInfo describes a trail for tests; ok is false when there is none.
func (a *Account) TrailInfo(name string) (TrailInfo, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.st.trail(name)
	if t == nil {
		return TrailInfo{}, false
	}
	d := a.st.trailDetails[name]
	return TrailInfo{Trail: *t, Bucket: d.bucket, LogValidation: d.logValidation, GlobalEvents: d.globalEvents, Selectors: selectorsOf(*t, d)}, true
}

// Bucket describes a bucket for tests: its Block Public Access, default
// encryption and policy; ok is false when there is no such bucket.
func (a *Account) Bucket(name string) (awsops.LogBucket, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.st.bucket(name)
	if b == nil {
		return awsops.LogBucket{}, false
	}
	out := awsops.LogBucket{Name: b.name, Encryption: b.encryption, Policy: b.policy}
	if b.pab != nil {
		cp := *b.pab
		out.PublicAccessBlock = &cp
	}
	return out, true
}

// AddTrail gives the demo account a trail as it might be found (stopped,
// single-region, recording little), for trainings and tests of the repair.
func (a *Account) AddTrail(t awsops.Trail, sel *awsops.EventSelectors) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.HomeRegion == "" {
		t.HomeRegion = HomeRegion
	}
	if t.ARN == "" {
		t.ARN = awsops.TrailARN("aws", t.HomeRegion, AccountID, t.Name)
	}
	if sel != nil {
		cp := cloneSelectors(*sel)
		cp.Custom = true
		t.Management = cp.Management()
		a.st.setDetail(t.Name, trailDetail{selectors: &cp})
	}
	if t.Management == "" {
		t.Management = awsops.ManagementAll
	}
	a.st.trails = append(a.st.trails, t)
}
