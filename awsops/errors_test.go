package awsops_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

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
