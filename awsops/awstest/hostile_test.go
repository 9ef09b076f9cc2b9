package awstest

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	"github.com/aws/smithy-go"
)

// rawClients are plain SDK clients (no rootguard middleware) by package.
func rawClients(cfg aws.Config) map[string]any {
	cs := []any{
		iam.NewFromConfig(cfg), sts.NewFromConfig(cfg), sns.NewFromConfig(cfg), account.NewFromConfig(cfg),
		organizations.NewFromConfig(cfg), eventbridge.NewFromConfig(cfg), cloudtrail.NewFromConfig(cfg),
		guardduty.NewFromConfig(cfg), budgets.NewFromConfig(cfg), securityhub.NewFromConfig(cfg),
		ssoadmin.NewFromConfig(cfg), configservice.NewFromConfig(cfg), cloudwatchlogs.NewFromConfig(cfg),
		kms.NewFromConfig(cfg), identitystore.NewFromConfig(cfg), s3control.NewFromConfig(cfg),
		cloudwatch.NewFromConfig(cfg),
		// Path style, as the SDK chooses for an endpoint that is an IP
		// address (Serve's): the bucket is the first path segment.
		s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
	}
	m := map[string]any{}
	for _, c := range cs {
		m[reflect.TypeOf(c).Elem().PkgPath()] = c
	}
	return m
}

// fillInput sets every string of an input to "x" (an S3 checksum
// algorithm aside), every number to 1 and every list to one entry, so
// required parameters pass the SDK's validation. A type nested in itself
// (budgets' Expression) is left out below its first level.
func fillInput(v reflect.Value, depth int) { fillIn(v, depth, map[reflect.Type]bool{}) }

func fillIn(v reflect.Value, depth int, path map[reflect.Type]bool) {
	if depth > 12 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if path[v.Type().Elem()] {
			return
		}
		if v.IsNil() && v.CanSet() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if !v.IsNil() {
			fillIn(v.Elem(), depth+1, path)
		}
	case reflect.Struct:
		if path[v.Type()] {
			return
		}
		path[v.Type()] = true
		defer delete(path, v.Type())
		for i := range v.NumField() {
			// An S3 write's optional checksum algorithm is checked by the SDK
			// itself: left out, it takes its default.
			if f := v.Type().Field(i); f.IsExported() && f.Name != "ChecksumAlgorithm" {
				fillIn(v.Field(i), depth+1, path)
			}
		}
	case reflect.Slice:
		if v.CanSet() && v.Type() != bytesType && v.Len() == 0 && !path[v.Type().Elem()] {
			s := reflect.MakeSlice(v.Type(), 1, 1) // a required list gets one entry
			fillIn(s.Index(0), depth+1, path)
			v.Set(s)
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(1)
	case reflect.Float64:
		v.SetFloat(1)
	}
}

// call invokes op on a raw client with a filled input.
func call(t *testing.T, clients map[string]any, op Operation) (any, error) {
	t.Helper()
	c, ok := clients[op.Package()]
	if !ok {
		t.Fatalf("no client for %s", op)
	}
	m := reflect.ValueOf(c).MethodByName(op.Name)
	if !m.IsValid() {
		t.Fatalf("%s: no such method", op)
	}
	in := reflect.New(m.Type().In(1).Elem())
	fillInput(in, 0)
	out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), in})
	err, _ := out[1].Interface().(error)
	return out[0].Interface(), err
}

// missing lists the string leaves of v the answer did not fill (types
// nested in themselves, which the generator cuts, aside).
func missing(v reflect.Value, path string, out *[]string) {
	missingIn(v, path, out, map[reflect.Type]bool{})
}

func missingIn(v reflect.Value, path string, out *[]string, ancestors map[reflect.Type]bool) {
	missing := func(v reflect.Value, path string, out *[]string) { missingIn(v, path, out, ancestors) }
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			if v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.String {
				*out = append(*out, path)
			}
			return
		}
		missing(v.Elem(), path, out)
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		ancestors[v.Type()] = true
		defer delete(ancestors, v.Type())
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if skipField(f) || tokenField(f.Name) {
				continue
			}
			missing(v.Field(i), path+"."+f.Name, out)
		}
	case reflect.Slice:
		if v.Type() == bytesType {
			return
		}
		elem := v.Type().Elem()
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
		if v.Len() == 0 && hasStringLeaf(elem, 0) && !ancestors[elem] {
			*out = append(*out, path+"[]")
		}
		for i := range v.Len() {
			missing(v.Index(i), path+"[]", out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			missing(v.MapIndex(k), path+"{}", out)
		}
	case reflect.String:
		if v.String() == "" {
			*out = append(*out, path)
		}
	}
}

func tokenField(name string) bool {
	switch name {
	case "NextToken", "Marker", "NextMarker", "NextPageToken":
		return true
	}
	return false
}

func hasStringLeaf(t reflect.Type, depth int) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return true
	case reflect.Slice:
		return t != bytesType && hasStringLeaf(t.Elem(), depth)
	case reflect.Struct:
		if t == timeType || depth > 2 {
			return false
		}
		for i := range t.NumField() {
			if f := t.Field(i); !skipField(f) && hasStringLeaf(f.Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// TestEscapesReachEveryStringField proves the hostile answers are what
// they claim: decoded by the real SDK, every string field of every
// operation's output (down to the nesting limit) holds the payload. A
// field the generator misspells shows up here, not as a silent gap in the
// tests that rely on the server.
func TestEscapesReachEveryStringField(t *testing.T) {
	h := NewHostile(ModeEscapes)
	clients := rawClients(h.Config())
	for _, op := range Operations {
		t.Run(op.String(), func(t *testing.T) {
			out, err := call(t, clients, op)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			var gaps []string
			missing(reflect.ValueOf(out), "", &gaps)
			gaps = withoutDeep(gaps)
			if len(gaps) > 0 {
				sort.Strings(gaps)
				t.Errorf("%d string fields not filled:\n  %s", len(gaps), strings.Join(gaps, "\n  "))
			}
			if hasStringLeaf(reflect.TypeOf(op.Output), 0) && !holds(reflect.ValueOf(out), "\u202e") {
				t.Errorf("no payload in the decoded answer")
			}
		})
	}
	if u := h.Unmatched(); len(u) > 0 {
		t.Errorf("unmatched requests: %q", u)
	}
}

// holds reports whether some string reachable from v contains sub.
func holds(v reflect.Value, sub string) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && holds(v.Elem(), sub)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && holds(v.Field(i), sub) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if holds(v.Index(i), sub) {
				return true
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if holds(k, sub) || holds(v.MapIndex(k), sub) {
				return true
			}
		}
	case reflect.String:
		return strings.Contains(v.String(), sub)
	}
	return false
}

// withoutDeep drops fields below the generator's nesting limit.
func withoutDeep(paths []string) []string {
	var out []string
	for _, p := range paths {
		if strings.Count(p, ".") <= maxDepth {
			out = append(out, p)
		}
	}
	return out
}

// TestEveryModeAnswersEveryOperation: each mode gives each operation an
// answer the SDK turns into an error (or, for escapes and the pagination
// modes, a decoded output), never a hang past the caller's deadline.
func TestEveryModeAnswersEveryOperation(t *testing.T) {
	for _, mode := range Modes() {
		t.Run(string(mode), func(t *testing.T) {
			h := NewHostile(mode)
			defer h.Close()
			clients := rawClients(h.Config())
			for _, op := range Operations {
				if mode == ModeHuge || mode == ModeHugeDeclared {
					continue // without rootguard's caps the SDK reads forever: see awsops
				}
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				c, ok := clients[op.Package()]
				if !ok {
					t.Fatalf("no client for %s", op)
				}
				m := reflect.ValueOf(c).MethodByName(op.Name)
				in := reflect.New(m.Type().In(1).Elem())
				fillInput(in, 0)
				res := m.Call([]reflect.Value{reflect.ValueOf(ctx), in})
				cancel()
				err, _ := res[1].Interface().(error)
				switch mode {
				case ModeErrorEscapes, ModeHang:
					if err == nil {
						t.Errorf("%s: no error", op)
					}
				case ModeEscapes, ModeEndlessPages, ModeRepeatedToken:
					if err != nil {
						t.Errorf("%s: %v", op, err)
					}
				}
			}
		})
	}
}

// TestEveryOperationIsAnsweredAsItself: each operation's request is
// matched to that operation and no other (S3's bucket calls share one path
// and differ only in method and subresource).
func TestEveryOperationIsAnsweredAsItself(t *testing.T) {
	h := NewHostile(ModeEscapes)
	clients := rawClients(h.Config())
	for _, op := range Operations {
		before := h.Calls()
		if _, err := call(t, clients, op); err != nil {
			t.Errorf("%s: %v", op, err)
		}
		after := h.Calls()
		for name, n := range after {
			if want := map[bool]int{true: 1}[name == op.String()]; n-before[name] != want {
				t.Errorf("%s: answered %d times as %s", op, n-before[name], name)
			}
		}
		if after[op.String()] == before[op.String()] {
			t.Errorf("%s: never answered as itself", op)
		}
	}
}

// TestErrorsDecodeAsTheirProtocolsErrors: the SDK reads the code of every
// hostile error (a request without an answer body, S3's HEAD, gets the
// status as its code, as from AWS).
func TestErrorsDecodeAsTheirProtocolsErrors(t *testing.T) {
	h := NewHostile(ModeErrorEscapes)
	clients := rawClients(h.Config())
	for _, op := range Operations {
		_, err := call(t, clients, op)
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) {
			t.Errorf("%s: %v is not an AWS error", op, err)
			continue
		}
		want := "Hostile"
		if op.Method == http.MethodHead {
			want = "BadRequest"
		}
		if !strings.HasPrefix(apiErr.ErrorCode(), want) {
			t.Errorf("%s: code %q, want %s…", op, apiErr.ErrorCode(), want)
		}
		if op.Method != http.MethodHead && !strings.HasPrefix(apiErr.ErrorMessage(), "denied") {
			t.Errorf("%s: message %q, want the hostile one", op, apiErr.ErrorMessage())
		}
	}
}
