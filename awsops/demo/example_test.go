package demo_test

import (
	"context"
	"fmt"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/demo"
)

func Example() {
	ctx := context.Background()
	// For the interactive demo: demo.New(demo.Options{Latency: demo.RealisticLatency}).
	acct := demo.New(demo.Options{})

	s, _ := acct.AccountSummary(ctx)
	fmt.Println("root MFA:", s[awsops.SummaryAccountMFAEnabled])

	// "Do it in the console": the trainee registers a passkey for root.
	fmt.Println(acct.SimulationNote("root-mfa"))
	_ = acct.Simulate("root-mfa")
	s, _ = acct.AccountSummary(ctx)
	devices, _ := acct.CallerMFADevices(ctx)
	fmt.Println("root MFA:", s[awsops.SummaryAccountMFAEnabled], "-", devices[0].Kind())

	// A write through the API is validated like AWS and logged (no secrets).
	err := acct.UpdatePasswordPolicy(ctx, awsops.PasswordPolicy{MinimumLength: 4})
	fmt.Println(awsops.KindOf(err), err != nil)
	fmt.Println(acct.Writes()[0][:40])

	// A missing permission, for the "unknown" paths.
	denied := demo.New(demo.Options{Fail: map[string]error{
		"PasswordPolicy": demo.AccessDenied("iam:GetAccountPasswordPolicy"),
	}})
	_, err = denied.PasswordPolicy(ctx)
	fmt.Println(err)
	// Output:
	// root MFA: 0
	// Signed in as root and registered a passkey as the root user's MFA device.
	// root MFA: 1 - passkey or security key
	// other true
	// UpdatePasswordPolicy MinimumLength=4 Req
	// access denied: needs iam:GetAccountPasswordPolicy
}
