package demo

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// adminCalls invokes the admin fix's methods, in an order that works on a
// fresh account (each one after the one it needs).
var adminCalls = map[string]func(context.Context, *Account) error{
	"IAMUserNames": func(ctx context.Context, a *Account) error { _, err := a.IAMUserNames(ctx); return err },
	"IAMGroup":     func(ctx context.Context, a *Account) error { _, err := a.IAMGroup(ctx, "Administrators"); return err },
	"CreateGroup":  func(ctx context.Context, a *Account) error { return a.CreateGroup(ctx, "Administrators") },
	"DeleteGroup":  func(ctx context.Context, a *Account) error { return a.DeleteGroup(ctx, "Administrators") },
	"AttachGroupPolicy": func(ctx context.Context, a *Account) error {
		return a.AttachGroupPolicy(ctx, "Administrators", AdministratorAccessARN)
	},
	"DetachGroupPolicy": func(ctx context.Context, a *Account) error {
		return a.DetachGroupPolicy(ctx, "Administrators", AdministratorAccessARN)
	},
	"CreateUser":     func(ctx context.Context, a *Account) error { return a.CreateUser(ctx, "jane") },
	"DeleteUser":     func(ctx context.Context, a *Account) error { return a.DeleteUser(ctx, "jane") },
	"AddUserToGroup": func(ctx context.Context, a *Account) error { return a.AddUserToGroup(ctx, "jane", "Administrators") },
	"RemoveUserFromGroup": func(ctx context.Context, a *Account) error {
		return a.RemoveUserFromGroup(ctx, "jane", "Administrators")
	},
	"CreateLoginProfile": func(ctx context.Context, a *Account) error {
		return a.CreateLoginProfile(ctx, "jane", "Xy7!Xy7!Xy7!Xy7!Xy7!", true)
	},
	"DeleteLoginProfile": func(ctx context.Context, a *Account) error { return a.DeleteLoginProfile(ctx, "jane") },
	"CreateVirtualMFADevice": func(ctx context.Context, a *Account) error {
		_, err := a.CreateVirtualMFADevice(ctx, "jane")
		return err
	},
	"DeleteVirtualMFADevice": func(ctx context.Context, a *Account) error {
		return a.DeleteVirtualMFADevice(ctx, "arn:aws:iam::"+AccountID+":mfa/jane")
	},
	"EnableMFADevice": func(ctx context.Context, a *Account) error {
		return a.EnableMFADevice(ctx, "jane", "arn:aws:iam::"+AccountID+":mfa/jane", "000000", "000001")
	},
}

func TestAdminMethodsNameTheirPermission(t *testing.T) {
	for op, call := range adminCalls {
		if permissions[op] == "" {
			t.Errorf("%s has no permission", op)
			continue
		}
		a := newTest(t, Options{Fail: map[string]error{op: AccessDenied(permissions[op])}})
		if err := call(context.Background(), a); awsops.PermissionOf(err) != permissions[op] || awsops.KindOf(err) != awsops.KindAccessDenied {
			t.Errorf("%s: %v", op, err)
		}
	}
}

// enrol creates jane as a ready administrator, with codes from a real
// TOTP computation at the account's clock.
func enrol(t *testing.T, a *Account, now time.Time) {
	t.Helper()
	ctx := context.Background()
	for _, step := range []error{
		a.CreateGroup(ctx, "Administrators"),
		a.AttachGroupPolicy(ctx, "Administrators", AdministratorAccessARN),
		a.CreateUser(ctx, "jane"),
		a.AddUserToGroup(ctx, "jane", "Administrators"),
		a.CreateLoginProfile(ctx, "jane", "Tr0ub4dor&3-Tr0ub4dor&3", true),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	dev, err := a.CreateVirtualMFADevice(ctx, "jane")
	if err != nil {
		t.Fatal(err)
	}
	prev, cur, err := CurrentCodes(dev.Seed, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EnableMFADevice(ctx, "jane", dev.Serial, cur, prev); !errors.Is(err, awsops.ErrInvalidMFACode) {
		t.Errorf("codes in the wrong order: %v", err)
	}
	if err := a.EnableMFADevice(ctx, "jane", dev.Serial, "123456", "654321"); !errors.Is(err, awsops.ErrInvalidMFACode) {
		t.Errorf("wrong codes: %v", err)
	}
	if err := a.EnableMFADevice(ctx, "jane", dev.Serial, prev, cur); err != nil {
		t.Fatalf("two consecutive codes: %v", err)
	}
}

func TestAdminEnrolmentWithRealTOTP(t *testing.T) {
	a := newTest(t, Options{})
	enrol(t, a, testNow)
	admins, err := a.Administrators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var jane *awsops.AdminUser
	for i := range admins.Users {
		if admins.Users[i].Name == "jane" {
			jane = &admins.Users[i]
		}
	}
	if jane == nil || !jane.ConsoleAccess || jane.MFADevices != 1 {
		t.Fatalf("jane = %+v, want a ready administrator", jane)
	}
	// The snapshot keeps jane, never a secret or a password.
	snap, err := json.Marshal(a.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(snap), `"jane"`) || strings.Contains(string(snap), "Tr0ub4dor") {
		t.Errorf("snapshot = %s", snap)
	}
}

func TestAdminCodesOlderThanTheWindowAreRefused(t *testing.T) {
	a := newTest(t, Options{})
	ctx := context.Background()
	_ = a.CreateUser(ctx, "jane")
	dev, err := a.CreateVirtualMFADevice(ctx, "jane")
	if err != nil {
		t.Fatal(err)
	}
	prev, cur, _ := CurrentCodes(dev.Seed, testNow.Add(-5*time.Minute))
	if err := a.EnableMFADevice(ctx, "jane", dev.Serial, prev, cur); !errors.Is(err, awsops.ErrInvalidMFACode) {
		t.Errorf("five-minute-old codes: %v", err)
	}
	if err := a.DeleteVirtualMFADevice(ctx, dev.Serial); err != nil {
		t.Errorf("an unassigned device can be deleted: %v", err)
	}
	if _, err := a.CreateVirtualMFADevice(ctx, "jane"); err != nil {
		t.Errorf("after deleting, the name is free again: %v", err)
	}
}

func TestAdminDeleteRulesMatchIAM(t *testing.T) {
	a := newTest(t, Options{})
	enrol(t, a, testNow)
	ctx := context.Background()
	if err := a.DeleteUser(ctx, "jane"); err == nil || !strings.Contains(err.Error(), "DeleteConflict") {
		t.Errorf("a user with a password, group and MFA cannot be deleted: %v", err)
	}
	if err := a.DeleteGroup(ctx, "Administrators"); err == nil {
		t.Error("a group with members cannot be deleted")
	}
	if err := a.CreateUser(ctx, "JANE"); err == nil || !strings.Contains(err.Error(), "EntityAlreadyExists") {
		t.Errorf("IAM names are unique regardless of case: %v", err)
	}
	if err := a.CreateLoginProfile(ctx, "ci-deploy", "short", false); err == nil || !strings.Contains(err.Error(), "PasswordPolicyViolation") {
		t.Errorf("a weak password is refused: %v", err)
	}
}
