package awsops_test

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
	"github.com/rootguard/rootguard/awsops/safetext"
)

// readerCalls calls every Reader method; TestReaderCallsCoverReader keeps
// it complete.
var readerCalls = map[string]func(context.Context, *awsops.AWS) (any, error){
	"CallerIdentity":     func(ctx context.Context, r *awsops.AWS) (any, error) { return r.CallerIdentity(ctx) },
	"Caller":             func(ctx context.Context, r *awsops.AWS) (any, error) { return r.Caller(ctx) },
	"AccountAlias":       func(ctx context.Context, r *awsops.AWS) (any, error) { return r.AccountAlias(ctx) },
	"AccountSummary":     func(ctx context.Context, r *awsops.AWS) (any, error) { return r.AccountSummary(ctx) },
	"CredentialReport":   func(ctx context.Context, r *awsops.AWS) (any, error) { return r.CredentialReport(ctx) },
	"PasswordPolicy":     func(ctx context.Context, r *awsops.AWS) (any, error) { return r.PasswordPolicy(ctx) },
	"ContactInformation": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.ContactInformation(ctx) },
	"AlternateContact": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.AlternateContact(ctx, awsops.ContactSecurity)
	},
	"VirtualMFADevices": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.VirtualMFADevices(ctx) },
	"CallerMFADevices":  func(ctx context.Context, r *awsops.AWS) (any, error) { return r.CallerMFADevices(ctx) },
	"Administrators":    func(ctx context.Context, r *awsops.AWS) (any, error) { return r.Administrators(ctx) },
	"IdentityProviders": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.IdentityProviders(ctx) },
	"IAMUsers":          func(ctx context.Context, r *awsops.AWS) (any, error) { return r.IAMUsers(ctx) },
	"UserCredentials": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.UserCredentials(ctx, "alice")
	},
	"IdentityCenterAccess": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.IdentityCenterAccess(ctx, awsops.IdentityCenterInstance{ARN: "arn:aws:sso:::instance/ssoins-1", IdentityStoreID: "d-1", Region: "us-east-1"}, "123456789012")
	},
	"OrganizationAccounts": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.OrganizationAccounts(ctx) },
	"RootUsageAlarms": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.RootUsageAlarms(ctx, "arn:aws:logs:us-east-1:123456789012:log-group:trail:*")
	},
	"RootSignIns": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.RootSignIns(ctx, time.Now().Add(-90*24*time.Hour))
	},
	"EnabledRegions": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.EnabledRegions(ctx) },
	"GuardDutyDetectorsIn": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.GuardDutyDetectorsIn(ctx, "eu-west-1")
	},
	"IdentityCenterInstances":   func(ctx context.Context, r *awsops.AWS) (any, error) { return r.IdentityCenterInstances(ctx) },
	"Organization":              func(ctx context.Context, r *awsops.AWS) (any, error) { return r.Organization(ctx) },
	"OrganizationsRootFeatures": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.OrganizationsRootFeatures(ctx) },
	"ServiceControlPolicies":    func(ctx context.Context, r *awsops.AWS) (any, error) { return r.ServiceControlPolicies(ctx) },
	"RootSignInAlerts": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.RootSignInAlerts(ctx)
	},
	"Trails":             func(ctx context.Context, r *awsops.AWS) (any, error) { return r.Trails(ctx) },
	"GuardDutyDetectors": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.GuardDutyDetectors(ctx) },
	"Budgets": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.Budgets(ctx, "123456789012")
	},
	"SecurityHub":     func(ctx context.Context, r *awsops.AWS) (any, error) { return r.SecurityHub(ctx) },
	"ConfigRecorders": func(ctx context.Context, r *awsops.AWS) (any, error) { return r.ConfigRecorders(ctx) },
	// Reads outside Reader.
	"AccountPublicAccessBlock": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.AccountPublicAccessBlock(ctx, "123456789012")
	},
	"LogBucket": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.LogBucket(ctx, awsops.LogBucketName("123456789012", "eu-west-1"))
	},
	"TrailEventSelectors": func(ctx context.Context, r *awsops.AWS) (any, error) {
		return r.TrailEventSelectors(ctx, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/t")
	},
}

// reaches are, per read, the operations a well-formed hostile answer must
// lead it to: a read that filters what it lists (RootUsageAlarms keeps only
// the metric filters that match root use) goes on to its later calls only
// when the hostile answer passes the filter, and the hostile server makes
// sure it does.
var reaches = map[string][]string{
	"RootUsageAlarms":   {"cloudwatchlogs DescribeMetricFilters", "cloudwatch DescribeAlarmsForMetric"},
	"RootSignInAlerts":  {"eventbridge ListRules", "eventbridge ListTargetsByRule", "sns GetTopicAttributes", "sns ListSubscriptionsByTopic"},
	"IdentityProviders": {"iam ListSAMLProviders", "iam ListOpenIDConnectProviders"},
}

// paginatedFirst are the reads whose first call is a paginated listing:
// an endless or looping listing must end them in an error.
var paginatedFirst = []string{"VirtualMFADevices", "CallerMFADevices", "Administrators", "IdentityCenterInstances",
	"ServiceControlPolicies", "RootSignInAlerts", "GuardDutyDetectors", "Budgets"}

func TestReaderCallsCoverReader(t *testing.T) {
	rt := reflect.TypeFor[awsops.Reader]()
	for i := range rt.NumMethod() {
		if _, ok := readerCalls[rt.Method(i).Name]; !ok {
			t.Errorf("readerCalls has no %s: add it so the hostile tests read it", rt.Method(i).Name)
		}
	}
}

// TestHostileOperationsCoverAPI: the hostile server answers every method
// of every client in awsops.Clients (the interfaces of api.go).
func TestHostileOperationsCoverAPI(t *testing.T) {
	have := map[string]bool{}
	for _, op := range awstest.Operations {
		have[op.Package()+"."+op.Name] = true
	}
	ct := reflect.TypeFor[awsops.Clients]()
	for i := range ct.NumField() {
		it := ct.Field(i).Type
		if it.Kind() == reflect.Func && it.NumOut() == 1 && it.Out(0).Kind() == reflect.Interface {
			it = it.Out(0) // a client per region: CloudWatchIn, LogsIn, KMSIn, …
		}
		if it.Kind() != reflect.Interface {
			continue
		}
		for j := range it.NumMethod() {
			m := it.Method(j)
			pkg := m.Type.In(1).Elem().PkgPath() // (ctx, *<svc>.<Op>Input, ...)
			if !have[pkg+"."+m.Name] {
				t.Errorf("awstest.Operations has no %s %s: add one line for it", pkg[strings.LastIndexByte(pkg, '/')+1:], m.Name)
			}
		}
	}
}

// leak is one raw control character found in what a read returned.
type leak struct{ where, value string }

// findLeaks walks a read's result: every string must be clean (Text), and
// every error inside it must print as one clean line.
func findLeaks(v reflect.Value, path string, out *[]leak) {
	if v.IsValid() && v.CanInterface() && v.Kind() != reflect.String {
		if e, ok := v.Interface().(error); ok && (v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface || !v.IsNil()) {
			if s := e.Error(); !safetext.CleanLine(s) {
				*out = append(*out, leak{path + " (error)", s})
			}
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			findLeaks(v.Elem(), path, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				findLeaks(v.Field(i), path+"."+f.Name, out)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			findLeaks(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			findLeaks(k, path+" key", out)
			findLeaks(v.MapIndex(k), path+"{}", out)
		}
	case reflect.String:
		if !safetext.Clean(v.String()) {
			*out = append(*out, leak{path, v.String()})
		}
	}
}

// isNothing reports whether a read's result says "nothing configured": a
// nil pointer, an empty list or a zero value.
func isNothing(v any) bool {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return true
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		return rv.IsNil()
	case reflect.Slice, reflect.Map:
		return rv.Len() == 0
	}
	return rv.IsZero()
}

// TestHostileAnswersThroughEveryRead runs the real SDK backend against a
// hostile AWS, in every mode, through every Reader method, and holds each
// read to the boundary's promises: no panic, no raw control character in
// anything returned (errors included), an error rather than "nothing
// configured" for a shapeless, cut-off, oversized or endless answer, and an
// end on its own (the deadline here only keeps a regression from hanging
// the suite).
func TestHostileAnswersThroughEveryRead(t *testing.T) {
	names := make([]string, 0, len(readerCalls))
	for n := range readerCalls {
		names = append(names, n)
	}
	slices.Sort(names)
	var tried, leaked, fellOpen int
	var maxAlloc uint64
	var maxAllocAt string
	for _, mode := range awstest.Modes() {
		t.Run(string(mode), func(t *testing.T) {
			h := awstest.NewHostile(mode)
			a := awsops.New(awstest.Serve(t, h, 300*time.Millisecond))
			a.ReportPoll = awsops.Backoff{}
			for _, name := range names {
				tried++
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				callsBefore := h.Calls()
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				res, err, panicked := callRead(ctx, a, name)
				ended := ctx.Err() == nil
				cancel()
				runtime.ReadMemStats(&after)
				if d := after.TotalAlloc - before.TotalAlloc; d > maxAlloc {
					maxAlloc, maxAllocAt = d, string(mode)+" "+name
				}
				if panicked != nil {
					t.Errorf("%s: panic: %v", name, panicked)
					continue
				}
				if !ended {
					t.Errorf("%s: still running at the test's deadline", name)
				}
				var leaks []leak
				findLeaks(reflect.ValueOf(res), name, &leaks)
				if err != nil {
					findLeaks(reflect.ValueOf(err), name, &leaks)
				}
				for _, l := range leaks {
					t.Errorf("%s: raw control character in %s: %q", name, l.where, l.value)
				}
				if len(leaks) > 0 {
					leaked++
				}
				if mustFail(mode, name) && err == nil {
					fellOpen++
					t.Errorf("%s: answered %+v, want an error (nothing configured is not what AWS said)", name, res)
				}
				if mode == awstest.ModeEscapes && err != nil {
					t.Errorf("%s: a well-formed hostile answer failed: %v", name, err)
				}
				if mode == awstest.ModeEscapes && isNothing(res) {
					t.Errorf("%s: the hostile answer read as nothing: %+v", name, res)
				}
				if mode == awstest.ModeEscapes {
					calls := h.Calls()
					for _, op := range reaches[name] {
						if calls[op] == callsBefore[op] {
							t.Errorf("%s: the hostile answer never led to %s", name, op)
						}
					}
				}
			}
			if u := h.Unmatched(); len(u) > 0 {
				t.Errorf("requests the hostile server does not know: %q", u)
			}
		})
	}
	t.Logf("%d modes × %d reads = %d hostile reads; %d leaked a control character, %d read a broken answer as an answer; at most %d MB allocated by one read (%s)",
		len(awstest.Modes()), len(names), tried, leaked, fellOpen, maxAlloc>>20, maxAllocAt)
	if maxAlloc > 1<<30 {
		t.Errorf("a read allocated %d MB (%s): the answer caps do not hold", maxAlloc>>20, maxAllocAt)
	}
}

// mustFail: every mode but escapes must end in an error, except that the
// pagination modes only touch reads that paginate.
func mustFail(mode awstest.Mode, read string) bool {
	switch mode {
	case awstest.ModeEscapes:
		return false
	case awstest.ModeEndlessPages, awstest.ModeRepeatedToken:
		return slices.Contains(paginatedFirst, read)
	}
	return true
}

func callRead(ctx context.Context, r *awsops.AWS, name string) (res any, err error, panicked any) {
	defer func() { panicked = recover() }()
	res, err = readerCalls[name](ctx, r)
	return res, err, nil
}

// steppedReads are reads that make their calls one after another, each
// only when the one before it answered well: in the sweep above every mode
// stops them at their first call. Here each call in turn meets the mode,
// the calls before it answered well-formed (Hostile.Keep).
var steppedReads = map[string][]string{
	"LogBucket": {"s3 HeadBucket", "s3 GetPublicAccessBlock", "s3 GetBucketEncryption", "s3 GetBucketPolicy"},
}

func TestHostileAnswersAtEveryStep(t *testing.T) {
	for _, mode := range awstest.Modes() {
		t.Run(string(mode), func(t *testing.T) {
			for name, ops := range steppedReads {
				for i, op := range ops {
					h := awstest.NewHostile(mode)
					h.Keep = ops[:i]
					a := awsops.New(awstest.Serve(t, h, 300*time.Millisecond))
					ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
					res, err, panicked := callRead(ctx, a, name)
					cancel()
					if panicked != nil {
						t.Errorf("%s at %s: panic: %v", name, op, panicked)
						continue
					}
					if h.Calls()[op] == 0 {
						t.Errorf("%s never reached %s", name, op)
					}
					var leaks []leak
					findLeaks(reflect.ValueOf(res), name, &leaks)
					if err != nil {
						findLeaks(reflect.ValueOf(err), name, &leaks)
					}
					for _, l := range leaks {
						t.Errorf("%s at %s: raw control character in %s: %q", name, op, l.where, l.value)
					}
					if mustFail(mode, name) && err == nil {
						t.Errorf("%s at %s: answered %+v, want an error", name, op, res)
					}
					if mode == awstest.ModeEscapes && (err != nil || isNothing(res)) {
						t.Errorf("%s at %s: a well-formed hostile answer read as %+v, %v", name, op, res, err)
					}
					if u := h.Unmatched(); len(u) > 0 {
						t.Errorf("requests the hostile server does not know: %q", u)
					}
				}
			}
		})
	}
}
