package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

func TestConnectErrorExitCodes(t *testing.T) {
	var ee *exitError
	if err := connectError("", errors.New("no EC2 IMDS role found")); !errors.As(err, &ee) || ee.code != exitUsage {
		t.Errorf("credential problem: %v, want exit %d", err, exitUsage)
	}
	canceled := awsops.Wrap("sts:GetCallerIdentity", context.Canceled)
	if err := connectError("", canceled); err != canceled {
		t.Errorf("cancellation must pass through unchanged (exit 130), got %v", err)
	}
	if connectError("", nil) != nil {
		t.Error("nil must stay nil")
	}
}

func TestConnectDemoNeedsNoCredentials(t *testing.T) {
	t.Setenv("AWS_PROFILE", "does-not-exist")
	acct, err := connectAccount(nil, func(string) string { return "" })(context.Background(), accountFlags{Demo: true, Profile: "ignored"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.CallerIdentity(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestConnectUnknownProfile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	_, err := connectAccount(nil, func(string) string { return "" })(context.Background(), accountFlags{Profile: "nope"})
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(ee.msg, `AWS profile "nope" was not found`) {
		t.Errorf("got %v", err)
	}
}

func TestProfileName(t *testing.T) {
	env := func(k string) string { return map[string]string{"AWS_PROFILE": "from-env"}[k] }
	if got := profileName(accountFlags{Profile: "flag"}, env); got != "flag" {
		t.Errorf("flag should win, got %q", got)
	}
	if got := profileName(accountFlags{}, env); got != "from-env" {
		t.Errorf("AWS_PROFILE should apply, got %q", got)
	}
}
