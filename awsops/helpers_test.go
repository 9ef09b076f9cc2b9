package awsops_test

import (
	"errors"
	"testing"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/awstest"
)

const acct = "123456789012"

// newAWS returns a backend whose every request goes to a fresh registry,
// verified when the test ends, with instant report polling.
func newAWS(t *testing.T) (*awsops.AWS, *awstest.Registry) {
	t.Helper()
	reg := &awstest.Registry{}
	t.Cleanup(func() { reg.Verify(t) })
	a := awsops.New(awstest.Config(reg))
	a.ReportPoll = awsops.Backoff{}
	return a, reg
}

// wantKind fails unless err is a classified *awsops.Error of kind and, when
// perm is set, naming that permission.
func wantKind(t *testing.T, err error, kind awsops.ErrorKind, perm string) {
	t.Helper()
	var ae *awsops.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *awsops.Error", err, err)
	}
	if ae.Kind != kind {
		t.Fatalf("kind = %q, want %q (error: %v)", ae.Kind, kind, err)
	}
	if perm != "" && ae.Permission != perm {
		t.Fatalf("permission = %q, want %q", ae.Permission, perm)
	}
}
