package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

// apiErr is an AWS API error as the SDK returns it, classified by awsops.
func apiErr(perm, code, msg string) error {
	return awsops.Wrap(perm, fmt.Errorf("operation error STS: GetCallerIdentity, https response error StatusCode: 403, api error %s: %w",
		code, &smithy.GenericAPIError{Code: code, Message: msg}))
}

func TestExplainCredentials(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		err     error
		want    string
	}{
		{"no credentials (IMDS fallback)", "",
			awsops.Wrap("sts:GetCallerIdentity", errors.New("operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, http response error StatusCode: 403, request to EC2 IMDS failed")),
			awsops.MsgNoCredentials},
		{"no credentials (IMDS disabled)", "",
			errors.New(`operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, access disabled to EC2 IMDS via client option, or "AWS_EC2_METADATA_DISABLED" environment variable`),
			awsops.MsgNoCredentials},
		{"no credentials (signer)", "", errors.New("failed to retrieve credentials: static credentials are empty"), awsops.MsgNoCredentials},
		{"expired SSO session (typed)", "dev",
			awsops.Wrap("sts:GetCallerIdentity", fmt.Errorf("get identity: get credentials: failed to refresh cached credentials, %w", &ssocreds.InvalidTokenError{})),
			"Your SSO session for profile dev has expired: run `aws sso login --profile dev`."},
		{"expired SSO session (token provider)", "prod",
			errors.New("get identity: get credentials: failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token, operation error SSO OIDC: CreateToken, https response error StatusCode: 400, InvalidGrantException"),
			"Your SSO session for profile prod has expired: run `aws sso login --profile prod`."},
		{"expired SSO session, no profile name", "",
			&ssocreds.InvalidTokenError{}, "Your SSO session has expired: run `aws sso login`."},
		{"unknown profile (typed)", "",
			awsops.Wrap("", config.SharedConfigProfileNotExistError{Profile: "typo"}),
			`AWS profile "typo" was not found in ~/.aws/config or ~/.aws/credentials: check the name (aws configure list-profiles).`},
		{"unknown profile (text)", "typo", errors.New("failed to get shared config profile, typo"),
			`AWS profile "typo" was not found in ~/.aws/config or ~/.aws/credentials: check the name (aws configure list-profiles).`},
		{"expired session token", "dev",
			apiErr("sts:GetCallerIdentity", "ExpiredToken", "The security token included in the request is expired"),
			"Your temporary AWS credentials have expired: get fresh ones (e.g. `aws sso login --profile dev`, or a new AWS_SESSION_TOKEN) and try again."},
		{"invalid access key", "",
			apiErr("sts:GetCallerIdentity", "InvalidClientTokenId", "The security token included in the request is invalid."),
			"AWS does not recognise the access key in use (it was deleted, deactivated or mistyped): check AWS_ACCESS_KEY_ID or your profile's keys, or use a profile that works."},
		{"wrong secret key", "",
			apiErr("sts:GetCallerIdentity", "SignatureDoesNotMatch", "The request signature we calculated does not match"),
			"AWS rejected the request signature: the secret access key does not match the access key ID (or this machine's clock is wrong); check your keys."},
		{"role cannot be assumed", "ops",
			apiErr("sts:GetCallerIdentity", "AccessDenied", "User: arn:aws:iam::1:user/a is not authorized to perform: sts:AssumeRole"),
			"Profile ops could not assume its role (access denied): check its role_arn and the role's trust policy."},
		{"other credential problem", "",
			&awsops.Error{Kind: awsops.KindCredentials, Message: "credential_process failed"},
			"AWS rejected the credentials: credential_process failed."},
		{"unclassified", "",
			errors.New("something odd"),
			"Could not check the credentials: something odd."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := awsops.ExplainCredentials(tt.profile, noEnv, tt.err)
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("message must be one line: %q", got)
			}
		})
	}
}

func noEnv(string) string { return "" }

// stsAt returns a backend whose STS is at endpoint, with the SDK's real
// error chain, a per-request timeout and no retries.
func stsAt(t *testing.T, endpoint string, timeout time.Duration) *awsops.AWS {
	t.Helper()
	cfg := awstest.Config(&awstest.Registry{})
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTimeout(timeout)
	cfg.BaseEndpoint = aws.String(endpoint)
	return awsops.New(cfg)
}

// The credential check says what really went wrong: a refusal is a
// credential problem, an unreachable endpoint names the endpoint and the
// override that chose it, and any other answer is not called a network
// problem.
func TestExplainCredentialsFromAWSAnswers(t *testing.T) {
	answer := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(status)
			io.WriteString(w, body)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	l.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() { // accept and never answer
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	hung := "http://" + silent.Addr().String()

	motoDenied := `<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code></Error></Errors></ErrorResponse>`
	for _, tc := range []struct {
		name, endpoint string
		env            map[string]string
		want           string
	}{
		{"403 without a readable code", answer(403, motoDenied), nil,
			"AWS rejected these credentials (HTTP 403): check AWS_ACCESS_KEY_ID / your profile."},
		{"401", answer(401, ""), nil,
			"AWS rejected these credentials (HTTP 401): check AWS_ACCESS_KEY_ID / your profile."},
		{"500", answer(500, ""), nil,
			"AWS answered the credential check with an error: AWS had an internal error (HTTP 500); try again later."},
		{"refused, AWS_ENDPOINT_URL", refused, map[string]string{"AWS_ENDPOINT_URL": refused},
			"Could not reach AWS at " + refused + " (set by AWS_ENDPOINT_URL): connection refused."},
		{"refused, AWS_ENDPOINT_URL_STS", refused, map[string]string{"AWS_ENDPOINT_URL": "http://other", "AWS_ENDPOINT_URL_STS": refused},
			"Could not reach AWS at " + refused + " (set by AWS_ENDPOINT_URL_STS): connection refused."},
		{"refused, no override", refused, nil,
			"Could not reach AWS at " + refused + ": connection refused; check your network."},
		{"no answer", hung, map[string]string{"AWS_ENDPOINT_URL": hung},
			"Could not reach AWS at " + hung + " (set by AWS_ENDPOINT_URL): AWS did not answer within 0.05 s."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stsAt(t, tc.endpoint, 50*time.Millisecond).CallerIdentity(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			if got := awsops.ExplainCredentials("", func(k string) string { return tc.env[k] }, err); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
