package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
)

func defaultDeps() deps {
	return deps{connect: connectAccount(time.Now, os.Getenv), now: time.Now}
}

// connectAccount opens the demo account (no network; instant unless
// opts.Latency) or the AWS
// account the standard credential chain and the flags name. For AWS, a first
// CallerIdentity proves the credentials work; a credential problem becomes
// one sentence saying what to do (exit 2).
func connectAccount(now func() time.Time, env func(string) string) func(context.Context, accountFlags) (awsops.Account, error) {
	return func(ctx context.Context, opts accountFlags) (awsops.Account, error) {
		if opts.Demo {
			o := demo.Options{Now: now}
			if opts.Latency {
				o.Latency = demo.RealisticLatency
			}
			return demo.New(o), nil
		}
		profile := profileName(opts, env)
		a, err := awsops.Load(ctx, awsops.Options{Profile: opts.Profile, Region: opts.Region})
		if err != nil {
			return nil, connectErrorEnv(profile, env, err)
		}
		id, err := a.CallerIdentity(ctx)
		if err != nil {
			return nil, connectErrorEnv(profile, env, err)
		}
		return provenAccount{Account: a, identity: id}, nil
	}
}

// provenAccount is an account whose credentials connect has proven with a
// first CallerIdentity; commands reuse that identity instead of asking again.
type provenAccount struct {
	awsops.Account
	identity awsops.Identity
}

// Unwrap returns the account itself (e.g. *awsops.AWS).
func (p provenAccount) Unwrap() awsops.Account { return p.Account }

// callerIdentity returns who is calling: the identity connect already read,
// or a fresh read whose credential problems are explained like connect's.
func callerIdentity(ctx context.Context, acct awsops.Account, profile string) (awsops.Identity, error) {
	if p, ok := acct.(provenAccount); ok {
		return p.identity, nil
	}
	id, err := acct.CallerIdentity(ctx)
	if err != nil {
		return awsops.Identity{}, connectError(profile, err)
	}
	return id, nil
}

// profileName is the profile the SDK will use: --profile, else AWS_PROFILE.
func profileName(opts accountFlags, env func(string) string) string {
	if opts.Profile != "" {
		return opts.Profile
	}
	if env != nil {
		return env("AWS_PROFILE")
	}
	return ""
}

const msgNoCredentials = "No AWS credentials found. Configure a profile (aws configure / aws sso login) and pass --profile NAME, or try --demo."

// connectError turns a failure to load or prove credentials into an exit-2
// error with one sentence. Cancellation is passed through (exit 130).
func connectError(profile string, err error) error {
	return connectErrorEnv(profile, os.Getenv, err)
}

// connectErrorEnv is connectError reading the endpoint overrides from env.
func connectErrorEnv(profile string, env func(string) string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || awsops.KindOf(err) == awsops.KindCanceled {
		return err
	}
	return &exitError{code: exitUsage, msg: credentialsMessage(profile, env, err)}
}

// credentialsMessage explains err in one sentence with the command to run;
// env names the endpoint overrides (AWS_ENDPOINT_URL…) in network errors.
func credentialsMessage(profile string, env func(string) string, err error) string {
	text := err.Error()
	haystack := text // also the parts awsops.Error's short text leaves out
	code := ""
	var ae *awsops.Error
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
		return msgNoCredentials
	case unreachable(err):
		return unreachableMessage(env, err)
	case httpStatus(err) == 401 || httpStatus(err) == 403:
		return fmt.Sprintf("AWS rejected these credentials (HTTP %d): check AWS_ACCESS_KEY_ID / your profile.", httpStatus(err))
	case awsops.KindOf(err) == awsops.KindCredentials:
		return "AWS rejected the credentials: " + strings.TrimPrefix(text, "credentials rejected: ") + "."
	case answered(err):
		if ae != nil && ae.Permission != "" {
			text = strings.TrimPrefix(text, ae.Permission+": ")
		}
		return "AWS answered the credential check with an error: " + sentence(text)
	}
	return "Could not check the credentials: " + sentence(text)
}

// unreachable reports whether err is a request that got no answer: it
// could not be sent, or AWS did not answer in time.
func unreachable(err error) bool {
	var send *smithyhttp.RequestSendError
	var timeout *awsops.TimeoutError
	return errors.As(err, &send) || errors.As(err, &timeout)
}

// answered reports whether err carries an answer from AWS.
func answered(err error) bool {
	var api smithy.APIError
	var re *smithyhttp.ResponseError
	return errors.As(err, &api) || errors.As(err, &re)
}

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
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
	var timeout *awsops.TimeoutError
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
