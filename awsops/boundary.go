package awsops

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/rootguard/rootguard/awsops/safetext"
)

// Bounds on what one AWS answer may be. Every client built by New applies
// them to every operation, present and future, without the read functions
// doing anything.
const (
	// MaxAnswerBytes caps the body of any answer.
	MaxAnswerBytes = 8 << 20
	// MaxCredentialReportBytes caps iam GetCredentialReport, whose body is
	// the whole report base64-encoded (about 300 bytes a user).
	MaxCredentialReportBytes = 64 << 20
	// MaxBucketPolicyBytes caps s3 GetBucketPolicy, whose body is the raw
	// policy document (S3 allows 20 KB).
	MaxBucketPolicyBytes = 64 << 10
	// MaxPages caps the pages of one paginated listing.
	MaxPages = 1000
)

// answerLimits are the operations with a cap of their own instead of
// MaxAnswerBytes, keyed by SDK service ID and operation.
var answerLimits = map[string]int64{
	"IAM.GetCredentialReport": MaxCredentialReportBytes,
	"S3.GetBucketPolicy":      MaxBucketPolicyBytes,
}

// isRead reports whether an operation only reads (Get…, List…, Describe…):
// the answers that would otherwise read as "nothing configured". A write's
// answer is checked by the fix that uses it.
func isRead(op string) bool {
	for _, p := range []string{"Get", "List", "Describe", "Lookup"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// mayAnswerEmpty are the operations for which an answer without any data
// is a real answer. Key: SDK service ID and operation.
var mayAnswerEmpty = map[string]bool{
	// A permission set without an inline policy answers {}.
	"SSO Admin.GetInlinePolicyForPermissionSet": true,
}

// AnswerProblem says why an answer was refused.
type AnswerProblem string

const (
	AnswerTooLarge      AnswerProblem = "too-large"
	AnswerNoData        AnswerProblem = "no-data"
	AnswerTooManyPages  AnswerProblem = "too-many-pages"
	AnswerRepeatedToken AnswerProblem = "repeated-token"
	AnswerShapeless     AnswerProblem = "shapeless"
)

// AnswerError is an answer from AWS that rootguard refused to use: larger
// than its cap, without any of the data it must carry, or a listing that
// paginates without end. Wrap classifies it (KindOther, with its message).
type AnswerError struct {
	Service   string // SDK service ID, e.g. "IAM"
	Operation string // e.g. "GetCredentialReport"
	Problem   AnswerProblem
	Limit     int64  // bytes for AnswerTooLarge, pages for AnswerTooManyPages
	Where     string // AnswerShapeless: the member, e.g. "SAMLProviderList"
	Want      string // AnswerShapeless: what belongs there, e.g. "a list"
}

func (e *AnswerError) Error() string {
	op := e.Service + " " + e.Operation
	switch e.Problem {
	case AnswerTooLarge:
		if e.Limit < 1<<20 {
			return fmt.Sprintf("AWS sent more than %d KB for %s", e.Limit>>10, op)
		}
		return fmt.Sprintf("AWS sent more than %d MB for %s", e.Limit>>20, op)
	case AnswerNoData:
		return "AWS answered " + op + " without any data"
	case AnswerTooManyPages:
		return fmt.Sprintf("AWS kept paginating %s past %d pages", op, e.Limit)
	case AnswerRepeatedToken:
		return "AWS sent the same page token twice for " + op
	case AnswerShapeless:
		return "AWS answered " + op + " in a shape rootguard does not know (" + safetext.Line(e.Where) + " is not " + e.Want + ")"
	}
	return "AWS sent an answer rootguard refused for " + op
}

// RetryableError tells the SDK retryer not to ask again.
func (e *AnswerError) RetryableError() bool { return false }

// answerGuardMiddlewares bound and sanitize every answer of every client
// built from the config they are installed in. The page tracker is shared
// by all of those clients.
func answerGuardMiddlewares(maxPages int) []func(*middleware.Stack) error {
	pages := newPageTracker(maxPages)
	return []func(*middleware.Stack) error{
		func(s *middleware.Stack) error {
			return s.Initialize.Add(&answerGuard{pages: pages}, middleware.Before)
		},
		func(s *middleware.Stack) error {
			// After: innermost, so it sees the HTTP response before the
			// operation's deserializer reads the body.
			return s.Deserialize.Add(bodyCap{}, middleware.After)
		},
	}
}

type callStateKey struct{}

// callState is shared by the guard and the body cap of one call.
type callState struct {
	tooLarge *AnswerError  // set when the body went past its cap
	xmlBody  *bytes.Buffer // an XML read's body as read, for its shape check
}

// answerGuard runs once per call, outside the retries: it refuses an
// oversized, empty or endlessly paginating answer and sanitizes every string
// of the decoded output in place.
type answerGuard struct{ pages *pageTracker }

func (*answerGuard) ID() string { return "rootguardAnswerGuard" }

func (g *answerGuard) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	svc, op := middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)
	page, err := g.pages.begin(svc, op, in.Parameters)
	if err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, err
	}
	st := &callState{}
	out, md, err := next.HandleInitialize(context.WithValue(ctx, callStateKey{}, st), in)
	if st.tooLarge != nil {
		// Whatever the deserializer made of a cut-off body, it is refused.
		return middleware.InitializeOutput{}, md, st.tooLarge
	}
	if err != nil {
		return out, md, err
	}
	if st.xmlBody != nil {
		if m := checkQueryXMLShape(st.xmlBody.Bytes(), op, reflect.TypeOf(out.Result)); m != nil {
			return middleware.InitializeOutput{}, md, &AnswerError{Service: svc, Operation: op, Problem: AnswerShapeless, Where: m.path, Want: m.want}
		}
	}
	safetext.InPlace(out.Result)
	if isRead(op) && !mayAnswerEmpty[svc+"."+op] && !outputHasData(out.Result) {
		return middleware.InitializeOutput{}, md, &AnswerError{Service: svc, Operation: op, Problem: AnswerNoData}
	}
	if err := g.pages.end(page, out.Result); err != nil {
		return middleware.InitializeOutput{}, md, err
	}
	return out, md, nil
}

// bodyCap bounds the response body: a Content-Length over the cap fails at
// once, and a body that streams past it fails at the first byte too many.
type bodyCap struct{}

func (bodyCap) ID() string { return "rootguardBodyCap" }

func (bodyCap) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, md, err := next.HandleDeserialize(ctx, in)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp == nil || resp.Response == nil || resp.Body == nil {
		return out, md, err
	}
	svc, op := middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)
	limit := MaxAnswerBytes
	if l, ok := answerLimits[svc+"."+op]; ok {
		limit = int(l)
	}
	tooLarge := &AnswerError{Service: svc, Operation: op, Problem: AnswerTooLarge, Limit: int64(limit)}
	st, _ := ctx.Value(callStateKey{}).(*callState)
	if resp.ContentLength > int64(limit) {
		resp.Body.Close()
		resp.Body = io.NopCloser(eofReader{})
		if st != nil {
			st.tooLarge = tooLarge
		}
		return out, md, tooLarge
	}
	cb := &cappedBody{ReadCloser: resp.Body, left: int64(limit), err: tooLarge, state: st}
	if st != nil && isRead(op) && resp.StatusCode/100 == 2 && strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		st.xmlBody = &bytes.Buffer{} // a new one each attempt
		cb.keep = st.xmlBody
	}
	resp.Body = cb
	return out, md, err
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// cappedBody reads at most left bytes; one more is the too-large error.
type cappedBody struct {
	io.ReadCloser
	left  int64
	err   *AnswerError
	state *callState
	keep  *bytes.Buffer // when set, every byte read is kept
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.err
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		if b.state != nil {
			b.state.tooLarge = b.err
		}
		return n - int(-b.left), b.err
	}
	if b.keep != nil {
		b.keep.Write(p[:n])
	}
	return n, err
}

// tokenFields are the output fields that carry pagination state; they are
// not data, so an answer holding only them is still empty.
var tokenFields = map[string]bool{"NextToken": true, "Marker": true, "NextMarker": true, "NextPageToken": true, "IsTruncated": true}

// outputHasData reports whether a decoded output carries anything besides
// pagination state. Outputs without data fields (most writes) always do.
func outputHasData(result any) bool {
	v := reflect.ValueOf(result)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return true
	}
	t := v.Type()
	fields := 0
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "ResultMetadata" || tokenFields[f.Name] {
			continue
		}
		fields++
		if hasData(v.Field(i)) {
			return true
		}
	}
	return fields == 0
}

// hasData: a present scalar (a set pointer, a non-zero value) or a present
// list or map, even an empty one, is data; an empty object is not.
func hasData(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return false
		}
		if e := v.Elem(); e.Kind() == reflect.Struct || e.Kind() == reflect.Pointer {
			return hasData(e)
		}
		return true
	case reflect.Struct:
		t := v.Type()
		exported := false
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				exported = true
				if hasData(v.Field(i)) {
					return true
				}
			}
		}
		return !exported && !v.IsZero() // e.g. a time.Time

	case reflect.Slice, reflect.Map:
		return !v.IsNil()
	}
	return !v.IsZero()
}
