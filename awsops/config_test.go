package awsops_test

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rootguard/rootguard/awsops"
)

// isolate points the SDK at temporary config files and clears the
// environment it would read.
func isolate(t *testing.T, config string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestLoadMissingProfile(t *testing.T) {
	isolate(t, "[profile other]\nregion = eu-west-1\n")
	_, err := awsops.Load(context.Background(), awsops.Options{Profile: "nope"})
	wantKind(t, err, awsops.KindCredentials, "")
	msg := err.Error()
	if !strings.HasPrefix(msg, `AWS profile "nope" was not found`) || strings.Count(msg, ". ") > 0 {
		t.Fatalf("message %q should name the profile in one sentence", msg)
	}
}

func TestLoadRegion(t *testing.T) {
	isolate(t, "[profile eu]\nregion = eu-central-1\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n")
	for _, tc := range []struct {
		opts awsops.Options
		want string
	}{
		{awsops.Options{Profile: "eu"}, "eu-central-1"},
		{awsops.Options{Profile: "eu", Region: "ap-southeast-2"}, "ap-southeast-2"},
		{awsops.Options{}, "us-east-1"},
	} {
		a, err := awsops.Load(context.Background(), tc.opts)
		if err != nil {
			t.Fatalf("%+v: %v", tc.opts, err)
		}
		if a.Region() != tc.want {
			t.Errorf("%+v: region %q, want %q", tc.opts, a.Region(), tc.want)
		}
	}
}

// TestLoadLogsNothing: with no credentials the SDK falls back to the
// instance metadata service, whose refusal of a token it would log as
// "SDK … WARN falling back to IMDSv1" on stderr before rootguard's own
// message. Nothing may be printed.
func TestLoadLogsNothing(t *testing.T) {
	isolate(t, "")
	var tokenAsked atomic.Bool
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/latest/api/token" {
			tokenAsked.Store(true)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		http.NotFound(w, r)
	}))
	defer imds.Close()
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	t.Setenv("AWS_ENDPOINT_URL", imds.URL) // no request may leave the machine

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w // the SDK's default logger writes to os.Stderr as it is at load
	a, loadErr := awsops.Load(context.Background(), awsops.Options{})
	var callErr error
	if loadErr == nil {
		_, callErr = a.CallerIdentity(context.Background())
	}
	os.Stderr = stderr
	w.Close()
	printed, _ := io.ReadAll(r)

	if loadErr != nil {
		t.Fatal(loadErr)
	}
	if callErr == nil {
		t.Fatal("CallerIdentity succeeded without credentials")
	}
	if !tokenAsked.Load() {
		t.Fatal("the metadata service was not asked for a token: the test did not reach the SDK's warning")
	}
	if len(printed) != 0 {
		t.Errorf("the SDK printed to stderr:\n%s", printed)
	}
}

// AWS_CA_BUNDLE still applies with rootguard's own HTTP client settings: a
// TLS endpoint signed by the bundle's CA answers instead of failing the
// certificate check.
func TestLoadKeepsCABundle(t *testing.T) {
	isolate(t, "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "teapot", http.StatusTeapot)
	}))
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	a, err := awsops.Load(context.Background(), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.PasswordPolicy(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 418") {
		t.Fatalf("want AWS's HTTP 418 answer through the CA bundle, got %v", err)
	}
}
