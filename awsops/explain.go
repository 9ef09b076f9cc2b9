package awsops

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// MsgNoCredentials is ExplainCredentials' sentence when no credentials were
// found at all.
const MsgNoCredentials = "No AWS credentials found. Configure a profile (aws configure / aws sso login) and pass --profile NAME, or try --demo."

// ExplainCredentials says in one sentence, with the command to run, why
// loading or proving credentials failed (the first CallerIdentity). profile
// is the profile in use ("" for the default chain); env looks up the
// endpoint overrides (AWS_ENDPOINT_URL…) named in network errors.
func ExplainCredentials(profile string, env func(string) string, err error) string {
	text := err.Error()
	haystack := text // also the parts Error's short text leaves out
	code := ""
	var ae *Error
	if errors.As(err, &ae) {
		code = ae.Code
		haystack += " " + ae.Message
		if ae.Err != nil {
			haystack += " " + ae.Err.Error()
		}
	}
	has := func(needles ...string) bool {
		for _, n := range needles {
			if strings.Contains(haystack, n) {
				return true
			}
		}
		return false
	}
	ssoLogin := "aws sso login"
	if profile != "" {
		ssoLogin += " --profile " + profile
	}

	var missing config.SharedConfigProfileNotExistError
	var ssoToken *ssocreds.InvalidTokenError
	switch {
	case errors.As(err, &missing) || has("failed to get shared config profile"):
		name := missing.Profile
		if name == "" {
			name = profile
		}
		return fmt.Sprintf("AWS profile %q was not found in ~/.aws/config or ~/.aws/credentials: check the name (aws configure list-profiles).", name)
	case errors.As(err, &ssoToken) || has("SSO session has expired", "cached SSO token is expired",
		"refresh cached SSO token failed", "SSOProviderInvalidToken") || code == "UnauthorizedException":
		if profile == "" {
			return "Your SSO session has expired: run `aws sso login`."
		}
		return fmt.Sprintf("Your SSO session for profile %s has expired: run `%s`.", profile, ssoLogin)
	case code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired" ||
		has("security token included in the request is expired"):
		return fmt.Sprintf("Your temporary AWS credentials have expired: get fresh ones (e.g. `%s`, or a new AWS_SESSION_TOKEN) and try again.", ssoLogin)
	case code == "InvalidClientTokenId" || code == "UnrecognizedClientException":
		return "AWS does not recognise the access key in use (it was deleted, deactivated or mistyped): check AWS_ACCESS_KEY_ID or your profile's keys, or use a profile that works."
	case code == "SignatureDoesNotMatch" || code == "InvalidSignatureException" || code == "IncompleteSignature":
		return "AWS rejected the request signature: the secret access key does not match the access key ID (or this machine's clock is wrong); check your keys."
	case code == "AccessDenied" && has("AssumeRole"):
		return fmt.Sprintf("Profile %s could not assume its role (access denied): check its role_arn and the role's trust policy.", profile)
	case has("no EC2 IMDS role found", "static credentials are empty", "AnonymousCredentials",
		"no valid providers in chain") || (code == "" && has("failed to retrieve credentials")):
		return MsgNoCredentials
	case Unreachable(err):
		return unreachableMessage(env, err)
	case httpStatus(err) == 401 || httpStatus(err) == 403:
		return fmt.Sprintf("AWS rejected these credentials (HTTP %d): check AWS_ACCESS_KEY_ID / your profile.", httpStatus(err))
	case KindOf(err) == KindCredentials:
		return "AWS rejected the credentials: " + strings.TrimPrefix(text, "credentials rejected: ") + "."
	case answered(err):
		if ae != nil && ae.Permission != "" {
			text = strings.TrimPrefix(text, ae.Permission+": ")
		}
		return "AWS answered the credential check with an error: " + sentence(text)
	}
	return "Could not check the credentials: " + sentence(text)
}

// Unreachable reports whether err is a request that got no answer: it
// could not be sent, or AWS did not answer in time.
func Unreachable(err error) bool {
	var send *smithyhttp.RequestSendError
	var timeout *TimeoutError
	return errors.As(err, &send) || errors.As(err, &timeout)
}

// answered reports whether err carries an answer from AWS.
func answered(err error) bool {
	var api smithy.APIError
	var re *smithyhttp.ResponseError
	return errors.As(err, &api) || errors.As(err, &re)
}

// unreachableMessage says which endpoint did not answer, who chose it (an
// AWS_ENDPOINT_URL override, else the network is the suspect) and the
// innermost cause: "connection refused", not the whole chain.
func unreachableMessage(env func(string) string, err error) string {
	where := "AWS"
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			where += " at " + u.Scheme + "://" + u.Host
		}
	}
	var cause string
	var timeout *TimeoutError
	if errors.As(err, &timeout) {
		cause = timeout.Error()
	} else {
		inner := err
		for next := errors.Unwrap(inner); next != nil; next = errors.Unwrap(inner) {
			inner = next
		}
		cause = inner.Error()
	}
	for _, name := range []string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"} {
		if env != nil && env(name) != "" {
			return fmt.Sprintf("Could not reach %s (set by %s): %s", where, name, sentence(cause))
		}
	}
	return fmt.Sprintf("Could not reach %s: %s; check your network.", where, strings.TrimSuffix(cause, "."))
}

// sentence ends s with a full stop.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
