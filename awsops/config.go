package awsops

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/rootguard/rootguard/awsops/safetext"
)

// DefaultRegion is the home region when neither the flags nor the AWS
// configuration name one.
const DefaultRegion = "us-east-1"

// maxAttempts is how often a throttled or failed call is tried in all.
const maxAttempts = 5

// DefaultCallTimeout bounds each HTTP request to AWS, so an endpoint that
// accepts connections but never answers cannot hang a check.
const DefaultCallTimeout = 20 * time.Second

// timeoutAttempts is how often a call that timed out is tried in all:
// a dead endpoint gives up after about timeoutAttempts × the call timeout.
const timeoutAttempts = 3

// Options selects the credentials and home region.
type Options struct {
	Profile string // shared config profile; "" uses the standard chain
	Region  string // home region; "" uses the configured one, else us-east-1
	// CallTimeout bounds each HTTP request; 0 means DefaultCallTimeout.
	CallTimeout time.Duration
}

// Backoff is the wait between credential report polls: Initial, doubling
// up to Max. Zero values poll without waiting (tests).
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	// Timeout bounds the whole wait for a report; 0 means only ctx bounds it.
	Timeout time.Duration
}

// next returns the wait before poll attempt n (0-based).
func (b Backoff) next(n int) time.Duration {
	d := b.Initial
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, max(b.Max, b.Initial))
}

// Clients are the service clients behind AWS, as narrow interfaces.
type Clients struct {
	IAM           IAMAPI
	IAMAdmin      IAMAdminAPI    // the admin fix's reads and writes (admin.go)
	IAMRootKeys   IAMRootKeysAPI // root's own access keys (rootkeys.go)
	STS           STSAPI
	Account       AccountAPI
	Organizations OrganizationsAPI
	OrgAdmin      OrganizationsAdminAPI // the Organizations fixes' reads and writes (org_fix.go)
	IAMOrgRoot    IAMOrgRootAPI         // centralized root access (org_fix.go)
	EventBridge   EventBridgeAPI        // pinned to the sign-in events region
	SNS           SNSAPI                // pinned to the sign-in events region
	CloudTrail    CloudTrailAPI
	// SignInEvents is CloudTrail pinned to the sign-in events region, where
	// root console sign-ins are recorded (LookupEvents).
	SignInEvents CloudTrailAPI
	GuardDuty    GuardDutyAPI
	Budgets      BudgetsAPI
	SecurityHub  SecurityHubAPI
	SSOAdmin     SSOAdminAPI
	// SSOAdminIn is an Identity Center admin client for another region.
	SSOAdminIn func(region string) SSOAdminAPI
	Config     ConfigAPI
	S3Control  S3ControlAPI // account-level S3 settings (s3.go)
	S3         S3API        // the cloudtrail fix's log bucket, in the home region (trail_setup.go)
	// The root alert fix's SNS and EventBridge calls (rootalert.go) and the
	// budget fix's (budgetfix.go); the first two pinned to the sign-in
	// events region.
	AlertSNS    SNSAlertAPI
	AlertEvents EventBridgeAlertAPI
	BudgetsFix  BudgetsFixAPI

	// Clients for a named region: an alert topic's or key's region, an
	// Identity Center instance's, a trail's log group's, or each enabled
	// region for GuardDuty.
	SNSIn           func(region string) SNSAPI
	KMSIn           func(region string) KMSAPI
	CloudWatchIn    func(region string) CloudWatchAPI
	LogsIn          func(region string) CloudWatchLogsAPI
	IdentityStoreIn func(region string) IdentityStoreAPI
	GuardDutyIn     func(region string) GuardDutyAPI
	// CloudTrailIn is CloudTrail in a trail's home region, where its
	// writes must be made.
	CloudTrailIn func(region string) CloudTrailAPI
}

// AWS is the real account backend: every Reader and Writer method over the
// SDK clients.
type AWS struct {
	region      string
	credentials aws.CredentialsProvider

	// API holds the SDK clients; a test may replace any of them.
	API Clients
	// ReportPoll paces credential report polling; tests set it to zero.
	ReportPoll Backoff
	// PolicyTypePoll paces the wait for the SCP policy type to be enabled;
	// tests set it to zero.
	PolicyTypePoll Backoff
	// Concurrency bounds parallel per-item calls (per admin user, per trail…).
	Concurrency int
}

var _ Account = (*AWS)(nil)

// Load reads the standard AWS configuration (environment, shared config and
// credentials files, SSO, container and instance roles) without calling AWS.
// AWS_ENDPOINT_URL and AWS_CA_BUNDLE apply as the SDK defines them.
func Load(ctx context.Context, o Options) (*AWS, error) {
	opts := []func(*config.LoadOptions) error{
		// The SDK's own log lines (e.g. "WARN falling back to IMDSv1") would
		// reach the terminal; every error reaches the user classified instead.
		config.WithLogger(logging.Nop{}),
		config.WithClientLogMode(0),
		// The SDK's own client type, so AWS_CA_BUNDLE still applies to it.
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(cmp.Or(o.CallTimeout, DefaultCallTimeout))),
		config.WithRetryer(newRetryer),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, loadError(o.Profile, err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	return New(cfg), nil
}

func loadError(profile string, err error) error {
	msg := "could not load the AWS configuration: " + err.Error()
	var missing config.SharedConfigProfileNotExistError
	if errors.As(err, &missing) {
		name := firstNonEmpty(missing.Profile, profile)
		msg = fmt.Sprintf("AWS profile %q was not found in the AWS config or credentials files.", name)
	}
	return &Error{Kind: KindCredentials, Message: msg, Err: err}
}

// newRetryer retries throttled and failed calls up to maxAttempts times with
// adaptive rate limiting, but a call that timed out only timeoutAttempts times.
func newRetryer() aws.Retryer {
	return timeoutBoundRetryer{retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) { so.MaxAttempts = maxAttempts })
	})}
}

// timeoutBoundRetryer stops retrying a call once it has timed out
// timeoutAttempts times, and retries a timed-out call at once: the wait for
// the answer was the backoff.
type timeoutBoundRetryer struct{ aws.RetryerV2 }

func (r timeoutBoundRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	var te *TimeoutError
	if errors.As(err, &te) {
		if attempt >= timeoutAttempts {
			return 0, err
		}
		return 0, nil
	}
	return r.RetryerV2.RetryDelay(attempt, err)
}

// New builds the backend from a ready config. Tests pass a config whose
// HTTPClient is a stub and whose Retryer is aws.NopRetryer.
func New(cfg aws.Config) *AWS {
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	// No SDK logging: it would print to the terminal, and request logging
	// could write contact details to a log.
	cfg.Logger, cfg.ClientLogMode = logging.Nop{}, 0
	if cfg.Credentials != nil && !isCache(cfg.Credentials) {
		// One cache shared by every client and by CallerIdentity, so the
		// key-kind lookup never triggers an extra credential fetch.
		cfg.Credentials = aws.NewCredentialsCache(cfg.Credentials)
	}
	// Every answer of every client is bounded and sanitized here, so no read
	// function has to (see boundary.go).
	cfg.APIOptions = append(slices.Clip(cfg.APIOptions), answerGuardMiddlewares(MaxPages)...)
	if b, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok && b.GetTimeout() > 0 {
		cfg.APIOptions = append(cfg.APIOptions, timeoutMiddleware(b.GetTimeout()))
	}
	pinned := func(r *string) { *r = signInEventsRegion(cfg.Region) }
	iamClient := iam.NewFromConfig(cfg)
	snsPinned := sns.NewFromConfig(cfg, func(o *sns.Options) { pinned(&o.Region) })
	eventsPinned := eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { pinned(&o.Region) })
	budgetsClient := budgets.NewFromConfig(cfg)
	orgClient := organizations.NewFromConfig(cfg)
	return &AWS{
		region:      safetext.Line(cfg.Region), // shown, and it may come from a config file
		credentials: cfg.Credentials,
		API: Clients{
			IAM:           iamClient,
			IAMAdmin:      iamClient,
			IAMRootKeys:   iamClient,
			IAMOrgRoot:    iamClient,
			STS:           sts.NewFromConfig(cfg),
			Account:       account.NewFromConfig(cfg),
			Organizations: orgClient,
			OrgAdmin:      orgClient,
			EventBridge:   eventsPinned,
			SNS:           snsPinned,
			CloudTrail:    cloudtrail.NewFromConfig(cfg),
			SignInEvents:  cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { pinned(&o.Region) }),
			GuardDuty:     guardduty.NewFromConfig(cfg),
			Budgets:       budgetsClient,
			SecurityHub:   securityhub.NewFromConfig(cfg),
			SSOAdmin:      ssoadmin.NewFromConfig(cfg),
			SSOAdminIn: func(region string) SSOAdminAPI {
				return ssoadmin.NewFromConfig(cfg, func(o *ssoadmin.Options) { o.Region = region })
			},
			S3:          s3.NewFromConfig(cfg),
			Config:      configservice.NewFromConfig(cfg),
			S3Control:   s3control.NewFromConfig(cfg),
			AlertSNS:    snsPinned,
			AlertEvents: eventsPinned,
			BudgetsFix:  budgetsClient,
			SNSIn: func(region string) SNSAPI {
				return sns.NewFromConfig(cfg, func(o *sns.Options) { o.Region = region })
			},
			KMSIn: func(region string) KMSAPI {
				return kms.NewFromConfig(cfg, func(o *kms.Options) { o.Region = region })
			},
			CloudWatchIn: func(region string) CloudWatchAPI {
				return cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { o.Region = region })
			},
			LogsIn: func(region string) CloudWatchLogsAPI {
				return cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.Region = region })
			},
			IdentityStoreIn: func(region string) IdentityStoreAPI {
				return identitystore.NewFromConfig(cfg, func(o *identitystore.Options) { o.Region = region })
			},
			GuardDutyIn: func(region string) GuardDutyAPI {
				return guardduty.NewFromConfig(cfg, func(o *guardduty.Options) { o.Region = region })
			},
			CloudTrailIn: func(region string) CloudTrailAPI {
				return cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.Region = region })
			},
		},
		ReportPoll:     Backoff{Initial: 2 * time.Second, Max: 15 * time.Second, Timeout: 3 * time.Minute},
		PolicyTypePoll: Backoff{Initial: time.Second, Max: 5 * time.Second, Timeout: 90 * time.Second},
		Concurrency:    8,
	}
}

func isCache(p aws.CredentialsProvider) bool {
	_, ok := p.(*aws.CredentialsCache)
	return ok
}

// Region is the home region used for regional reads.
func (a *AWS) Region() string { return a.region }

// signInEventsRegion is where root console sign-in events reach EventBridge:
// us-east-1 in the aws partition. For China and GovCloud the partition's
// first region is assumed (not confirmed by AWS documentation).
func signInEventsRegion(home string) string {
	switch {
	case strings.HasPrefix(home, "cn-"):
		return "cn-north-1"
	case strings.HasPrefix(home, "us-gov-"):
		return "us-gov-west-1"
	}
	return "us-east-1"
}

// limit is the bound on concurrent per-item calls.
func (a *AWS) limit() int {
	if a.Concurrency < 1 {
		return 1
	}
	return a.Concurrency
}

// timeoutMiddleware turns a request that got no answer within after (the
// HTTP client's timeout, not the caller's deadline) into a *TimeoutError.
func timeoutMiddleware(after time.Duration) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("rootguardCallTimeout",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				var t interface{ Timeout() bool }
				if err != nil && ctx.Err() == nil && errors.As(err, &t) && t.Timeout() {
					err = &TimeoutError{After: after, Err: err}
				}
				return out, md, err
			}), middleware.Before)
	}
}
