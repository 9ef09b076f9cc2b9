package awsops_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

// An answer that is not AWS's wire format (an emulator's HTML 404, or an
// empty body) reads as one plain sentence, without the SDK's operation and
// request noise.
func TestErrorMessageForUnreadableAnswer(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"<!DOCTYPE html><html><body>Not Found</body></html>", "AWS sent an answer rootguard could not read (HTTP 404)"},
		{"", "AWS answered HTTP 404 with no details"},
	} {
		a, reg := newAWS(t)
		reg.Register(awstest.REST("POST", "/getContactInformation"), func(*awstest.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"text/html"}},
				Body: io.NopCloser(strings.NewReader(tc.body))}, nil
		})
		_, err := a.ContactInformation(context.Background())
		wantKind(t, err, awsops.KindOther, "account:GetContactInformation")
		if got, want := err.Error(), "account:GetContactInformation: "+tc.want; got != want {
			t.Errorf("body %q: message %q, want %q", tc.body, got, want)
		}
	}
}

// An endpoint nobody listens on says it could not reach AWS.
func TestErrorMessageForUnreachableEndpoint(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := awstest.Config(&awstest.Registry{})
	cfg.HTTPClient = &http.Client{}
	cfg.BaseEndpoint = aws.String("http://" + addr)
	a := awsops.New(cfg)
	_, err = a.PasswordPolicy(context.Background())
	var ae *awsops.Error
	if !errors.As(err, &ae) {
		t.Fatalf("not classified: %v", err)
	}
	if got := err.Error(); !strings.Contains(got, "iam:GetAccountPasswordPolicy: could not reach AWS:") || strings.Contains(got, "operation error") {
		t.Fatalf("message %q", got)
	}
}

// A 403 whose body is not AWS's error shape (moto's
// <ErrorResponse><Errors><Error>, or HTML from a proxy) is still a refusal of
// the call: access denied, naming the permission the call needed.
func TestForbiddenWithUnreadableAnswerIsAccessDenied(t *testing.T) {
	for _, body := range []string{
		`<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>denied</Message></Error></Errors></ErrorResponse>`,
		"<!DOCTYPE html><html><body>Forbidden</body></html>",
		"",
	} {
		a, reg := newAWS(t)
		reg.Register(awstest.Query("GetAccountSummary"), func(*awstest.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 403, Header: http.Header{"Content-Type": {"text/xml"}},
				Body: io.NopCloser(strings.NewReader(body))}, nil
		})
		_, err := a.AccountSummary(context.Background())
		wantKind(t, err, awsops.KindAccessDenied, "iam:GetAccountSummary")
		if got := err.Error(); got != "access denied: needs iam:GetAccountSummary" {
			t.Errorf("body %q: message %q", body, got)
		}
	}
}

// A 5xx answer says AWS had an internal error, not that rootguard could not
// read the answer.
func TestErrorMessageForServerError(t *testing.T) {
	for _, body := range []string{"<html><body>Internal Server Error</body></html>", ""} {
		a, reg := newAWS(t)
		reg.Register(awstest.REST("POST", "/getContactInformation"), func(*awstest.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"text/html"}},
				Body: io.NopCloser(strings.NewReader(body))}, nil
		})
		_, err := a.ContactInformation(context.Background())
		wantKind(t, err, awsops.KindOther, "account:GetContactInformation")
		want := "account:GetContactInformation: AWS had an internal error (HTTP 500); try again later"
		if got := err.Error(); got != want {
			t.Errorf("body %q: message %q, want %q", body, got, want)
		}
	}
}

// silentListener accepts connections and never answers; it counts them.
func silentListener(t *testing.T) (url string, accepted *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = new(atomic.Int32)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String(), accepted
}

// An endpoint that accepts connections but never answers does not hang a
// read: each request has its own deadline, a timed-out call is tried
// timeoutAttempts (3) times, and the error says AWS did not answer in time.
func TestCallTimeoutOnSilentEndpoint(t *testing.T) {
	isolate(t, "")
	t.Setenv("AWS_ACCESS_KEY_ID", awstest.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", awstest.SecretAccessKey)
	endpoint, accepted := silentListener(t)
	t.Setenv("AWS_ENDPOINT_URL", endpoint)

	a, err := awsops.Load(context.Background(), awsops.Options{CallTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// Only a safety net for the test itself: without a per-call deadline
	// the read would wait for this and end canceled.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = a.PasswordPolicy(ctx)
	wantKind(t, err, awsops.KindOther, "iam:GetAccountPasswordPolicy")
	if got, want := err.Error(), "iam:GetAccountPasswordPolicy: AWS did not answer within 0.05 s"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if n := accepted.Load(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}
