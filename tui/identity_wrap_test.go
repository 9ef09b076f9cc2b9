package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
	"github.com/rootguard/rootguard/steps"
)

// ssoCaller is the demo account read by someone signed in through IAM
// Identity Center: a long assumed-role ARN.
type ssoCaller struct{ *demo.Account }

const ssoARN = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice.longname@example.com"

func (s ssoCaller) Caller(ctx context.Context) (awsops.Identity, error) {
	id, err := s.Account.Caller(ctx)
	id.ARN, id.IsRoot = ssoARN, false
	return id, err
}

// A long caller ARN wraps inside the identity box at 80 columns: every
// character of it is on screen, none cut off.
func TestIdentityBoxWrapsLongARNs(t *testing.T) {
	acct := demo.New(demo.Options{Now: func() time.Time { return testNow }})
	a := newTestApp(t, Config{Account: ssoCaller{acct}, Region: "us-east-1", Items: steps.All(),
		Now: func() time.Time { return testNow }})
	drive(t, a, a.Init())
	view := viewText(a)
	if strings.Contains(view, "…") {
		t.Errorf("the identity screen cuts something off:\n%s", view)
	}
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(view)), "")
	if !strings.Contains(flat, ssoARN) {
		t.Errorf("the caller ARN is not all on screen:\n%s", view)
	}
}
