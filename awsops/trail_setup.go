package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The cloudtrail fix: the log bucket it makes (or reuses) in the home
// region, the multi-region trail, and the repairs of an existing trail.
// S3 is restXml; CloudTrail is awsJson1_1 and its writes must be made in
// the trail's home region.

// S3API is the part of the S3 client rootguard uses (the trail's bucket).
type S3API interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	CreateBucket(context.Context, *s3.CreateBucketInput, ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
	DeleteBucket(context.Context, *s3.DeleteBucketInput, ...func(*s3.Options)) (*s3.DeleteBucketOutput, error)
	GetPublicAccessBlock(context.Context, *s3.GetPublicAccessBlockInput, ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	PutPublicAccessBlock(context.Context, *s3.PutPublicAccessBlockInput, ...func(*s3.Options)) (*s3.PutPublicAccessBlockOutput, error)
	GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	PutBucketEncryption(context.Context, *s3.PutBucketEncryptionInput, ...func(*s3.Options)) (*s3.PutBucketEncryptionOutput, error)
	GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	PutBucketPolicy(context.Context, *s3.PutBucketPolicyInput, ...func(*s3.Options)) (*s3.PutBucketPolicyOutput, error)
}

// The IAM actions behind the calls (S3's differ from the operation names).
const (
	PermHeadBucket          = "s3:ListBucket"
	PermCreateBucket        = "s3:CreateBucket"
	PermDeleteBucket        = "s3:DeleteBucket"
	PermGetBucketPAB        = "s3:GetBucketPublicAccessBlock"
	PermPutBucketPAB        = "s3:PutBucketPublicAccessBlock"
	PermGetBucketEncryption = "s3:GetEncryptionConfiguration"
	PermPutBucketEncryption = "s3:PutEncryptionConfiguration"
	PermGetBucketPolicy     = "s3:GetBucketPolicy"
	PermPutBucketPolicy     = "s3:PutBucketPolicy"
	PermCreateTrail         = "cloudtrail:CreateTrail"
	PermDeleteTrail         = "cloudtrail:DeleteTrail"
	PermUpdateTrail         = "cloudtrail:UpdateTrail"
	PermPutEventSelectors   = "cloudtrail:PutEventSelectors"
	PermStartLogging        = "cloudtrail:StartLogging"
	PermGetEventSelectors   = "cloudtrail:GetEventSelectors"
)

// TrailName is the name of the trail the cloudtrail fix creates.
const TrailName = "rootguard-management-events"

// LogBucketName is the bucket the cloudtrail fix makes for an account's
// trail in region (at most 48 characters: S3 allows 63).
func LogBucketName(account, region string) string {
	return "rootguard-cloudtrail-" + account + "-" + region
}

// TrailARN is the ARN a trail gets when it is created.
func TrailARN(partition, region, account, name string) string {
	return "arn:" + orAWS(partition) + ":cloudtrail:" + region + ":" + account + ":trail/" + name
}

func orAWS(partition string) string {
	if partition == "" {
		return "aws"
	}
	return partition
}

// LogBucket is an existing bucket's settings the cloudtrail fix reuses.
type LogBucket struct {
	Name              string
	PublicAccessBlock *PublicAccessBlock // nil: none on the bucket
	Encryption        string             // default encryption algorithm; "" when none
	Policy            string             // "" when none
}

// TrailSetupReader is what the cloudtrail fix reads beyond the check.
type TrailSetupReader interface {
	// TrailEventSelectors reads a trail's selectors as they are (by ARN,
	// so a shadow trail is read from the home region).
	TrailEventSelectors(ctx context.Context, trailARN string) (EventSelectors, error)
	// LogBucket reads a bucket of this account in the home region; nil
	// when there is no such bucket. A bucket of another account, or in
	// another region, is an error.
	LogBucket(ctx context.Context, name string) (*LogBucket, error)
}

// NewTrail is the trail the fix creates: always multi-region, with global
// service events and log file validation.
type NewTrail struct {
	Name   string
	Bucket string
}

// TrailWriter makes the cloudtrail fix's writes and their undos. Trail
// writes take the trail's home region ("" is the home region).
type TrailWriter interface {
	CreateLogBucket(ctx context.Context, name string) error
	DeleteLogBucket(ctx context.Context, name string) error
	BlockBucketPublicAccess(ctx context.Context, name string) error
	EncryptBucket(ctx context.Context, name string) error // SSE-S3 (AES256)
	PutBucketPolicy(ctx context.Context, name, policy string) error
	CreateTrail(ctx context.Context, t NewTrail) error
	DeleteTrail(ctx context.Context, region, name string) error
	// MakeTrailMultiRegion turns a single-region trail into a multi-region
	// one (with global service events, which AWS requires for that).
	MakeTrailMultiRegion(ctx context.Context, region, name string) error
	PutEventSelectors(ctx context.Context, region, name string, s EventSelectors) error
	StartLogging(ctx context.Context, region, name string) error
}

var (
	_ TrailSetupReader = (*AWS)(nil)
	_ TrailWriter      = (*AWS)(nil)
)

func (a *AWS) TrailEventSelectors(ctx context.Context, trailARN string) (EventSelectors, error) {
	out, err := a.API.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(trailARN)})
	if err != nil {
		return EventSelectors{}, Wrap(PermGetEventSelectors, err)
	}
	custom := len(out.EventSelectors) > 0 || len(out.AdvancedEventSelectors) > 0
	return selectorsFromSDK(out.EventSelectors, out.AdvancedEventSelectors, custom), nil
}

func (a *AWS) LogBucket(ctx context.Context, name string) (*LogBucket, error) {
	head, err := a.API.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)})
	var nf *s3types.NotFound
	var nsb *s3types.NoSuchBucket
	switch {
	case errors.As(err, &nf) || errors.As(err, &nsb) || httpStatus(err) == 404:
		return nil, nil
	case httpStatus(err) == 403:
		// Either case is worth saying whole: a denial alone would hide a
		// name taken by another account.
		return nil, &Error{Kind: KindOther, Permission: PermHeadBucket, Code: "Forbidden",
			Message: "the bucket " + name + " exists but this identity may not use it: it belongs to another account, or " + PermHeadBucket + " is not allowed"}
	case httpStatus(err) == 301:
		return nil, &Error{Kind: KindOther, Permission: PermHeadBucket,
			Message: "the bucket " + name + " exists in another region than " + a.region}
	case err != nil:
		return nil, Wrap(PermHeadBucket, err)
	}
	if r := aws.ToString(head.BucketRegion); r != "" && r != a.region {
		return nil, &Error{Kind: KindOther, Permission: PermHeadBucket,
			Message: "the bucket " + name + " is in " + r + ", not in " + a.region}
	}
	b := &LogBucket{Name: name}
	pab, err := a.API.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(name)})
	switch {
	case errorCode(err) == "NoSuchPublicAccessBlockConfiguration":
	case err != nil:
		return nil, Wrap(PermGetBucketPAB, err)
	default:
		// A configuration that exists has all four settings; an answer
		// without them is shapeless, never "none" or "off".
		c := pab.PublicAccessBlockConfiguration
		if c == nil || c.BlockPublicAcls == nil || c.IgnorePublicAcls == nil || c.BlockPublicPolicy == nil || c.RestrictPublicBuckets == nil {
			return nil, &Error{Kind: KindOther, Permission: PermGetBucketPAB,
				Message: "AWS answered the bucket's Block Public Access without its four settings"}
		}
		b.PublicAccessBlock = &PublicAccessBlock{BlockPublicAcls: *c.BlockPublicAcls, IgnorePublicAcls: *c.IgnorePublicAcls,
			BlockPublicPolicy: *c.BlockPublicPolicy, RestrictPublicBuckets: *c.RestrictPublicBuckets}
	}
	enc, err := a.API.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
	switch {
	case errorCode(err) == "ServerSideEncryptionConfigurationNotFoundError":
	case err != nil:
		return nil, Wrap(PermGetBucketEncryption, err)
	default:
		if enc.ServerSideEncryptionConfiguration != nil {
			for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
				if d := r.ApplyServerSideEncryptionByDefault; d != nil && d.SSEAlgorithm != "" {
					b.Encryption = string(d.SSEAlgorithm)
					break
				}
			}
		}
		// "None" is the NotFound error above; a configuration without an
		// algorithm is one rootguard cannot read.
		if b.Encryption == "" {
			return nil, &Error{Kind: KindOther, Permission: PermGetBucketEncryption,
				Message: "AWS answered the bucket's default encryption without an algorithm"}
		}
	}
	pol, err := a.API.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(name)})
	switch {
	case errorCode(err) == "NoSuchBucketPolicy":
	case err != nil:
		return nil, Wrap(PermGetBucketPolicy, err)
	default:
		if err := checkBucketPolicy(aws.ToString(pol.Policy)); err != nil {
			return nil, &Error{Kind: KindOther, Permission: PermGetBucketPolicy, Message: err.Error()}
		}
		b.Policy = aws.ToString(pol.Policy)
	}
	return b, nil
}

// checkBucketPolicy refuses a bucket policy that is not a policy document:
// GetBucketPolicy's body is the document as it is (no XML around it), so
// a cut-off or shapeless answer would otherwise read as the policy. A
// document is a JSON object whose Statement is one statement object or a
// list of them.
func checkBucketPolicy(doc string) error {
	var p struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return errors.New("AWS answered the bucket's policy with something that is not a JSON object")
	}
	var one map[string]json.RawMessage
	var many []map[string]json.RawMessage
	if json.Unmarshal(p.Statement, &one) == nil && one != nil ||
		json.Unmarshal(p.Statement, &many) == nil && len(many) > 0 && !slices.ContainsFunc(many, func(s map[string]json.RawMessage) bool { return s == nil }) {
		return nil
	}
	return errors.New("AWS answered the bucket's policy without a Statement object or list")
}

func (a *AWS) CreateLogBucket(ctx context.Context, name string) error {
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if a.region != "us-east-1" { // us-east-1 takes no location constraint
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(a.region)}
	}
	_, err := a.API.S3.CreateBucket(ctx, in)
	return Wrap(PermCreateBucket, err)
}

func (a *AWS) DeleteLogBucket(ctx context.Context, name string) error {
	_, err := a.API.S3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(name)})
	return Wrap(PermDeleteBucket, err)
}

func (a *AWS) BlockBucketPublicAccess(ctx context.Context, name string) error {
	_, err := a.API.S3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
	return Wrap(PermPutBucketPAB, err)
}

func (a *AWS) EncryptBucket(ctx context.Context, name string) error {
	_, err := a.API.S3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(name),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256},
		}}}})
	return Wrap(PermPutBucketEncryption, err)
}

func (a *AWS) PutBucketPolicy(ctx context.Context, name, policy string) error {
	_, err := a.API.S3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(policy)})
	return Wrap(PermPutBucketPolicy, err)
}

// trailClient is CloudTrail in region ("" or the home region: the home client).
func (a *AWS) trailClient(region string) CloudTrailAPI {
	if region == "" || region == a.region || a.API.CloudTrailIn == nil {
		return a.API.CloudTrail
	}
	return a.API.CloudTrailIn(region)
}

func (a *AWS) CreateTrail(ctx context.Context, t NewTrail) error {
	_, err := a.API.CloudTrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
		Name: aws.String(t.Name), S3BucketName: aws.String(t.Bucket),
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true),
	})
	return Wrap(PermCreateTrail, err)
}

func (a *AWS) DeleteTrail(ctx context.Context, region, name string) error {
	_, err := a.trailClient(region).DeleteTrail(ctx, &cloudtrail.DeleteTrailInput{Name: aws.String(name)})
	return Wrap(PermDeleteTrail, err)
}

func (a *AWS) MakeTrailMultiRegion(ctx context.Context, region, name string) error {
	_, err := a.trailClient(region).UpdateTrail(ctx, &cloudtrail.UpdateTrailInput{Name: aws.String(name),
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true)})
	return Wrap(PermUpdateTrail, err)
}

func (a *AWS) PutEventSelectors(ctx context.Context, region, name string, s EventSelectors) error {
	basic, advanced := selectorsToSDK(s)
	_, err := a.trailClient(region).PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(name),
		EventSelectors: basic, AdvancedEventSelectors: advanced})
	return Wrap(PermPutEventSelectors, err)
}

func (a *AWS) StartLogging(ctx context.Context, region, name string) error {
	_, err := a.trailClient(region).StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
	return Wrap(PermStartLogging, err)
}
