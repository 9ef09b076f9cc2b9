package awsops

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/rootguard/rootguard/awsops/safetext"
)

// ErrorKind is the class of an AWS error, decided once, here.
type ErrorKind string

const (
	KindAccessDenied ErrorKind = "access-denied"
	KindNotFound     ErrorKind = "not-found"
	KindThrottled    ErrorKind = "throttled"
	KindCredentials  ErrorKind = "credentials" // missing, expired or invalid credentials
	KindNotEnabled   ErrorKind = "not-enabled" // the service is not enabled/subscribed
	KindCanceled     ErrorKind = "canceled"
	KindOther        ErrorKind = "other"
)

// Error is a classified AWS error. Permission names the IAM action the call
// needed, so an access-denied error can say exactly what to grant.
type Error struct {
	Kind       ErrorKind
	Permission string // e.g. "iam:GetAccountSummary"
	Code       string // AWS error code, e.g. "AccessDenied"
	Message    string
	Err        error
}

// Error is one line, safe to print: AWS's code and message are sanitized.
func (e *Error) Error() string { return safetext.Line(e.text()) }

func (e *Error) text() string {
	switch e.Kind {
	case KindAccessDenied:
		if e.Permission != "" {
			return "access denied: needs " + e.Permission
		}
		return "access denied"
	case KindThrottled:
		return "AWS is throttling requests (" + e.Permission + "); try again in a minute"
	case KindCredentials:
		if e.Code == "" && e.Permission == "" {
			return e.Message // a local configuration problem, not an AWS rejection
		}
		return "credentials rejected: " + firstNonEmpty(e.Message, e.Code)
	case KindCanceled:
		return "canceled"
	}
	msg := firstNonEmpty(e.Message, plainCause(e.Err))
	if e.Code != "" && !strings.Contains(msg, e.Code) {
		msg = e.Code + ": " + msg
	}
	if e.Permission != "" {
		return e.Permission + ": " + msg
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// TimeoutError is a request AWS did not answer within the per-call timeout
// (Options.CallTimeout), as opposed to the caller's own deadline.
type TimeoutError struct {
	After time.Duration
	Err   error
}

func (e *TimeoutError) Error() string {
	return "AWS did not answer within " + strconv.FormatFloat(e.After.Seconds(), 'f', -1, 64) + " s"
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Timeout reports true, so retry logic treats it as the timeout it is.
func (e *TimeoutError) Timeout() bool { return true }

// Wrap classifies err from the call that needed permission. It returns nil
// for nil and leaves an already classified error as it is.
func Wrap(permission string, err error) error {
	if err == nil {
		return nil
	}
	var ae *Error
	if errors.As(err, &ae) {
		return err
	}
	e := &Error{Kind: KindOther, Permission: permission, Err: err}
	var te *TimeoutError
	if errors.As(err, &te) { // before the context check: it wraps a deadline error
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e.Kind = KindCanceled
		return e
	}
	var answer *AnswerError
	if errors.As(err, &answer) { // refused at the boundary: say why
		e.Message = answer.Error()
		return e
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		// AWS's own words are shown as data: one line, bounded.
		e.Code = clip(safetext.Line(api.ErrorCode()), maxCodeLen)
		e.Message = clip(safetext.Line(api.ErrorMessage()), maxMessageLen)
		e.Kind = kindOfCode(e.Code)
		if e.Code == "UnknownError" { // no code in the answer: say what we saw
			e.Code, e.Message = "", ""
		}
		if e.Kind == KindOther && httpStatus(err) == 403 {
			// An unknown code with HTTP 403 (e.g. an emulator's error shape)
			// is a refusal of the call, whose permission we know.
			e.Kind = KindAccessDenied
		}
	} else if de := (*smithy.DeserializationError)(nil); errors.As(err, &de) && httpStatus(err) == 403 {
		e.Kind = KindAccessDenied
	} else if isCredentialLoadError(err) {
		e.Kind = KindCredentials
		e.Message = clip(safetext.Line(err.Error()), maxMessageLen)
	}
	return e
}

// Bounds on AWS's words in an error: a hostile answer can carry megabytes.
const (
	maxCodeLen    = 100
	maxMessageLen = 1000
)

// clip cuts s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// KindOf returns the class of err (KindOther for unclassified errors).
func KindOf(err error) ErrorKind {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Kind
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return KindCanceled
	}
	return KindOther
}

// PermissionOf returns the IAM action an error names, if any.
func PermissionOf(err error) string {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Permission
	}
	return ""
}

func kindOfCode(code string) ErrorKind {
	switch code {
	case "AccessDenied", "AccessDeniedException", "AuthorizationError", "UnauthorizedOperation",
		"AuthorizationErrorException", "Forbidden":
		return KindAccessDenied
	case "NoSuchEntity", "ResourceNotFoundException", "NotFoundException", "NotFound",
		"TrailNotFoundException", "ReportNotPresent":
		return KindNotFound
	case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown":
		return KindThrottled
	case "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch",
		"UnrecognizedClientException", "InvalidSignatureException", "MissingAuthenticationToken",
		"IncompleteSignature":
		return KindCredentials
	case "AWSOrganizationsNotInUseException", "InvalidAccessException", "SubscriptionRequiredException",
		"OptInRequired", "ServiceAccessNotEnabledException", "OrganizationNotInAllFeaturesModeException":
		return KindNotEnabled
	}
	return KindOther
}

func isCredentialLoadError(err error) bool {
	s := err.Error()
	for _, needle := range []string{
		"failed to retrieve credentials", "no EC2 IMDS role found", "token has expired",
		"SSO session", "failed to refresh cached credentials", "get identity: get credentials",
		"failed to get shared config profile", "AnonymousCredentials",
	} {
		if strings.Contains(s, needle) {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// plainCause says what went wrong without the SDK's operation and request
// noise ("operation error Account: GetContactInformation, https response
// error StatusCode: 404, RequestID: , deserialization failed, …").
func plainCause(err error) string {
	if err == nil {
		return ""
	}
	var te *TimeoutError
	if errors.As(err, &te) {
		return te.Error()
	}
	var answer *AnswerError
	if errors.As(err, &answer) {
		return answer.Error()
	}
	status := 0
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	var api smithy.APIError
	isAPI := errors.As(err, &api)
	if status >= 500 && (!isAPI || api.ErrorCode() == "UnknownError") {
		return fmt.Sprintf("AWS had an internal error (HTTP %d); try again later", status)
	}
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		if status > 0 {
			return fmt.Sprintf("AWS sent an answer rootguard could not read (HTTP %d)", status)
		}
		return "AWS sent an answer rootguard could not read"
	}
	if isAPI && api.ErrorCode() == "UnknownError" && status > 0 {
		return fmt.Sprintf("AWS answered HTTP %d with no details", status)
	}
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) {
		cause := send.Err
		var ue *url.Error
		if errors.As(cause, &ue) {
			cause = ue.Err
		}
		return clip("could not reach AWS: "+safetext.Line(errString(cause)), maxMessageLen)
	}
	if re != nil && re.Err != nil {
		return clip(safetext.Line(fmt.Sprintf("%v (HTTP %d)", re.Err, status)), maxMessageLen)
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) && oe.Err != nil {
		return clip(safetext.Line(oe.Err.Error()), maxMessageLen)
	}
	return clip(safetext.Line(err.Error()), maxMessageLen)
}

// httpStatus is the HTTP status of AWS's answer in err, or 0.
func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// MaskKey shows an access key ID as AKIA…WXYZ: enough to recognise it,
// never the whole value.
func MaskKey(id string) string {
	if len(id) <= 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + "…" + id[len(id)-4:]
}

func containsSegment(s, seg string) bool { return strings.Contains(s, seg) }

// ErrNotRoot is returned by root-only operations when the caller is not root.
var ErrNotRoot = fmt.Errorf("only the root user can do this")
