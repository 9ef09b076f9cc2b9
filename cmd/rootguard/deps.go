package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
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
			o := demo.Options{Now: now, Scenario: opts.Scenario}
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
		// Who is calling and the alias, read at once and both awaited (the
		// JSON report names the alias), within the one check deadline.
		idCtx, cancel := context.WithTimeout(ctx, steps.CheckTimeout)
		id, err := a.CallerIdentity(idCtx)
		cancel()
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
	return &exitError{code: exitUsage, msg: awsops.ExplainCredentials(profile, env, err)}
}
