package steps

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// Facts reads the account lazily for one pass. Each fact is read at most once
// however many checks ask for it, and checks running concurrently share the
// reads: a pass costs about its slowest chain of calls.
type Facts struct {
	src          awsops.Reader
	now          func() time.Time
	attestations func(id string) (Attestation, bool)
	live         bool
	home         string

	identity     lazy[awsops.Identity]
	summary      lazy[awsops.AccountSummary]
	report       lazy[*awsops.CredentialReport]
	users        lazy[[]awsops.IAMUser]
	userCreds    keyed[awsops.UserCredentials]
	credentials  lazy[*awsops.CredentialReport]
	policy       lazy[*awsops.PasswordPolicy]
	contacts     [3]lazy[*awsops.AlternateContact]
	contactInfo  lazy[*awsops.ContactInfo]
	virtualMFA   lazy[[]awsops.VirtualMFADevice]
	callerMFA    lazy[[]awsops.MFADevice]
	admins       lazy[*awsops.Administrators]
	providers    lazy[[]awsops.IdentityProvider]
	identityCtr  lazy[[]awsops.IdentityCenterInstance]
	icAccess     keyed[[]awsops.PermissionSetAccess]
	org          lazy[*awsops.Organization]
	orgFeatures  lazy[[]string]
	scps         lazy[[]awsops.SCP]
	orgAccounts  lazy[[]awsops.OrgAccount]
	alerts       lazy[[]awsops.AlertRule]
	alarms       keyed[[]awsops.RootUsageAlarm]
	signIns      lazy[*awsops.SignInHistory]
	trails       lazy[[]awsops.Trail]
	regions      lazy[[]string]
	detectors    lazy[[]awsops.Detector]
	detectorsIn  keyed[[]awsops.Detector]
	budgets      lazy[[]awsops.Budget]
	securityHub  lazy[awsops.SecurityHubStatus]
	configRecord lazy[[]awsops.ConfigRecorder]
	s3Block      lazy[*awsops.PublicAccessBlock] // check_s3.go
}

// FactsOptions configures a pass.
type FactsOptions struct {
	// Identity, when already known (the wizard reads it first), is reused.
	Identity *awsops.Identity
	// Now is the clock (tests inject one); default time.Now.
	Now func() time.Time
	// Attestations looks up the user's attestations; default: none.
	Attestations func(id string) (Attestation, bool)
	// Live reads every IAM user's credentials live instead of trusting the
	// cached credential report (up to 4 hours old). Re-checks after a fix
	// set it (Reverify does); a first pass leaves it off and reads live
	// only the users created after the report.
	Live bool
}

// NewFacts starts a pass over src.
func NewFacts(src awsops.Reader, opts FactsOptions) *Facts {
	src = unwrapReader(src)
	f := &Facts{src: src, now: opts.Now, attestations: opts.Attestations, live: opts.Live}
	if r, ok := src.(interface{ Region() string }); ok {
		f.home = r.Region()
	}
	if f.now == nil {
		f.now = time.Now
	}
	if f.attestations == nil {
		f.attestations = func(string) (Attestation, bool) { return Attestation{}, false }
	}
	if opts.Identity != nil {
		f.identity.set(*opts.Identity, nil)
	}
	return f
}

// unwrapper is an account wrapped by its caller (the command line's
// account whose identity was already proven); the wrapped account is what
// has the fix-only readers and writers.
type unwrapper interface{ Unwrap() awsops.Account }

// maxUnwrap bounds unwrapping, against a wrapper that wraps itself.
const maxUnwrap = 8

func unwrapReader(r awsops.Reader) awsops.Reader {
	for range maxUnwrap {
		u, ok := r.(unwrapper)
		if !ok || u.Unwrap() == nil {
			break
		}
		r = u.Unwrap()
	}
	return r
}

func unwrapWriter(w awsops.Writer) awsops.Writer {
	for range maxUnwrap {
		u, ok := w.(unwrapper)
		if !ok || u.Unwrap() == nil {
			break
		}
		w = u.Unwrap()
	}
	return w
}

// Source is the account the facts are read from: fixes read what only they
// need through their own narrow interfaces on it (e.g. awsops.AdminDirectory).
func (f *Facts) Source() awsops.Reader { return f.src }

// Now is the pass's clock.
func (f *Facts) Now() time.Time { return f.now() }

// Attestation returns the user's attestation for an item, if any.
func (f *Facts) Attestation(id string) (Attestation, bool) { return f.attestations(id) }

func (f *Facts) Identity(ctx context.Context) (awsops.Identity, error) {
	return f.identity.get(ctx, f.src.CallerIdentity)
}

func (f *Facts) AccountSummary(ctx context.Context) (awsops.AccountSummary, error) {
	return f.summary.get(ctx, f.src.AccountSummary)
}

func (f *Facts) CredentialReport(ctx context.Context) (*awsops.CredentialReport, error) {
	return f.report.get(ctx, f.src.CredentialReport)
}

func (f *Facts) PasswordPolicy(ctx context.Context) (*awsops.PasswordPolicy, error) {
	return f.policy.get(ctx, f.src.PasswordPolicy)
}

// AlternateContact returns one alternate contact (nil when unset).
func (f *Facts) AlternateContact(ctx context.Context, t awsops.ContactType) (*awsops.AlternateContact, error) {
	i := 0
	for n, ct := range awsops.ContactTypes {
		if ct == t {
			i = n
		}
	}
	return f.contacts[i].get(ctx, func(ctx context.Context) (*awsops.AlternateContact, error) {
		return f.src.AlternateContact(ctx, t)
	})
}

func (f *Facts) ContactInformation(ctx context.Context) (*awsops.ContactInfo, error) {
	return f.contactInfo.get(ctx, f.src.ContactInformation)
}

func (f *Facts) VirtualMFADevices(ctx context.Context) ([]awsops.VirtualMFADevice, error) {
	return f.virtualMFA.get(ctx, f.src.VirtualMFADevices)
}

func (f *Facts) CallerMFADevices(ctx context.Context) ([]awsops.MFADevice, error) {
	return f.callerMFA.get(ctx, f.src.CallerMFADevices)
}

func (f *Facts) Administrators(ctx context.Context) (*awsops.Administrators, error) {
	return f.admins.get(ctx, f.src.Administrators)
}

func (f *Facts) IdentityProviders(ctx context.Context) ([]awsops.IdentityProvider, error) {
	return f.providers.get(ctx, f.src.IdentityProviders)
}

// IdentityCenterAccess reads what an instance grants this account; it
// needs the account ID, so it follows the identity read.
func (f *Facts) IdentityCenterAccess(ctx context.Context, in awsops.IdentityCenterInstance) ([]awsops.PermissionSetAccess, error) {
	return f.icAccess.get(ctx, in.ARN, func(ctx context.Context) ([]awsops.PermissionSetAccess, error) {
		id, err := f.Identity(ctx)
		if err != nil {
			return nil, err
		}
		return f.src.IdentityCenterAccess(ctx, in, id.Account)
	})
}

func (f *Facts) IAMUsers(ctx context.Context) ([]awsops.IAMUser, error) {
	return f.users.get(ctx, f.src.IAMUsers)
}

func (f *Facts) UserCredentials(ctx context.Context, user string) (awsops.UserCredentials, error) {
	return f.userCreds.get(ctx, user, func(ctx context.Context) (awsops.UserCredentials, error) {
		return f.src.UserCredentials(ctx, user)
	})
}

// Credentials is the credential report as of now: the cached report's
// rows, except that users created after it (by ListUsers) are read live,
// users deleted since are dropped, and with FactsOptions.Live every user
// is read live. Rows read live have Live set.
func (f *Facts) Credentials(ctx context.Context) (*awsops.CredentialReport, error) {
	return f.credentials.get(ctx, f.readCredentials)
}

func (f *Facts) OrganizationAccounts(ctx context.Context) ([]awsops.OrgAccount, error) {
	return f.orgAccounts.get(ctx, f.src.OrganizationAccounts)
}

func (f *Facts) RootSignIns(ctx context.Context) (*awsops.SignInHistory, error) {
	return f.signIns.get(ctx, func(ctx context.Context) (*awsops.SignInHistory, error) {
		return f.src.RootSignIns(ctx, f.Now().Add(-signInHistoryDays*24*time.Hour))
	})
}

func (f *Facts) RootUsageAlarms(ctx context.Context, logGroupARN string) ([]awsops.RootUsageAlarm, error) {
	return f.alarms.get(ctx, logGroupARN, func(ctx context.Context) ([]awsops.RootUsageAlarm, error) {
		return f.src.RootUsageAlarms(ctx, logGroupARN)
	})
}

func (f *Facts) EnabledRegions(ctx context.Context) ([]string, error) {
	return f.regions.get(ctx, f.src.EnabledRegions)
}

// HomeRegion is the region regional reads use ("" when the reader does not say).
func (f *Facts) HomeRegion() string { return f.home }

func (f *Facts) GuardDutyDetectorsIn(ctx context.Context, region string) ([]awsops.Detector, error) {
	return f.detectorsIn.get(ctx, region, func(ctx context.Context) ([]awsops.Detector, error) {
		return f.src.GuardDutyDetectorsIn(ctx, region)
	})
}

func (f *Facts) IdentityCenterInstances(ctx context.Context) ([]awsops.IdentityCenterInstance, error) {
	return f.identityCtr.get(ctx, f.src.IdentityCenterInstances)
}

func (f *Facts) Organization(ctx context.Context) (*awsops.Organization, error) {
	return f.org.get(ctx, f.src.Organization)
}

func (f *Facts) OrganizationsRootFeatures(ctx context.Context) ([]string, error) {
	return f.orgFeatures.get(ctx, f.src.OrganizationsRootFeatures)
}

func (f *Facts) ServiceControlPolicies(ctx context.Context) ([]awsops.SCP, error) {
	return f.scps.get(ctx, f.src.ServiceControlPolicies)
}

// RootSignInAlerts starts at once: rules are matched against the account
// their own ARN names.
func (f *Facts) RootSignInAlerts(ctx context.Context) ([]awsops.AlertRule, error) {
	return f.alerts.get(ctx, f.src.RootSignInAlerts)
}

func (f *Facts) Trails(ctx context.Context) ([]awsops.Trail, error) {
	return f.trails.get(ctx, f.src.Trails)
}

func (f *Facts) GuardDutyDetectors(ctx context.Context) ([]awsops.Detector, error) {
	return f.detectors.get(ctx, f.src.GuardDutyDetectors)
}

// Budgets needs the account ID, so it follows the identity read.
func (f *Facts) Budgets(ctx context.Context) ([]awsops.Budget, error) {
	return f.budgets.get(ctx, func(ctx context.Context) ([]awsops.Budget, error) {
		id, err := f.Identity(ctx)
		if err != nil {
			return nil, err
		}
		return f.src.Budgets(ctx, id.Account)
	})
}

func (f *Facts) SecurityHub(ctx context.Context) (awsops.SecurityHubStatus, error) {
	return f.securityHub.get(ctx, f.src.SecurityHub)
}

func (f *Facts) ConfigRecorders(ctx context.Context) ([]awsops.ConfigRecorder, error) {
	return f.configRecord.get(ctx, f.src.ConfigRecorders)
}

// keyed is a lazy value per key (a user, a region, an instance).
type keyed[T any] struct {
	mu sync.Mutex
	m  map[string]*lazy[T]
}

func (k *keyed[T]) get(ctx context.Context, key string, read func(context.Context) (T, error)) (T, error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*lazy[T]{}
	}
	l, ok := k.m[key]
	if !ok {
		l = &lazy[T]{}
		k.m[key] = l
	}
	k.mu.Unlock()
	return l.get(ctx, read)
}

// lazy is a value read once; concurrent callers wait for the first read.
// A canceled read is not cached, so a later pass can retry it.
type lazy[T any] struct {
	mu   sync.Mutex
	done bool
	wait chan struct{}
	v    T
	err  error
}

func (l *lazy[T]) set(v T, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.v, l.err, l.done = v, err, true
}

func (l *lazy[T]) get(ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	for {
		l.mu.Lock()
		if l.done {
			v, err := l.v, l.err
			l.mu.Unlock()
			return v, err
		}
		if l.wait != nil {
			w := l.wait
			l.mu.Unlock()
			select {
			case <-w:
				continue
			case <-ctx.Done():
				var zero T
				return zero, awsops.Wrap("", ctx.Err())
			}
		}
		w := make(chan struct{})
		l.wait = w
		l.mu.Unlock()
		return l.readOnce(ctx, w, read)
	}
}

// readOnce runs the read and publishes its outcome to the waiters. A panic
// in read becomes a classified error, kept like any other, so waiters are
// always released and every check needing the fact says why it is unknown.
func (l *lazy[T]) readOnce(ctx context.Context, w chan struct{}, read func(context.Context) (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero T
			v, err = zero, &awsops.Error{Kind: awsops.KindOther,
				Message: fmt.Sprintf("internal error in rootguard while reading (please report it): %v", p)}
		}
		l.mu.Lock()
		l.wait = nil
		if awsops.KindOf(err) != awsops.KindCanceled {
			l.v, l.err, l.done = v, err, true
		}
		l.mu.Unlock()
		close(w)
	}()
	return read(ctx)
}
