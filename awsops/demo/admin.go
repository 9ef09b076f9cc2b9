package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/rootguard/rootguard/awsops"
)

// The admin fix's reads and writes, validated like IAM does. A new virtual
// MFA device's secret lives only in memory (never in a snapshot), and
// EnableMFADevice checks the two codes with real TOTP (SHA-1, 6 digits,
// 30 s), so a trainer can scan the QR code with a real authenticator app.

var (
	_ awsops.AdminDirectory = (*Account)(nil)
	_ awsops.AdminWriter    = (*Account)(nil)
)

var iamNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// pendingMFA is a virtual MFA device not yet assigned to a user.
type pendingMFA struct {
	serial string
	seed   string
}

func (a *Account) IAMUserNames(ctx context.Context) ([]string, error) {
	return read(a, ctx, "IAMUserNames", func(st *state) ([]string, error) {
		names := make([]string, len(st.users))
		for i, u := range st.users {
			names[i] = u.name
		}
		return names, nil
	})
}

func (a *Account) IAMGroup(ctx context.Context, name string) (*awsops.IAMGroup, error) {
	return read(a, ctx, "IAMGroup", func(st *state) (*awsops.IAMGroup, error) {
		g := st.group(name)
		if g == nil {
			return nil, nil
		}
		return &awsops.IAMGroup{Name: g.name, Policies: slices.Clone(g.policies)}, nil
	})
}

func iamError(op, code, msg string) error {
	return &awsops.Error{Kind: awsops.KindOther, Permission: permissions[op], Code: code, Message: msg}
}

func noSuchEntity(op, what string) error {
	return &awsops.Error{Kind: awsops.KindNotFound, Permission: permissions[op], Code: "NoSuchEntity", Message: "The " + what + " cannot be found."}
}

func (st *state) userFold(name string) *iamUser {
	for i := range st.users {
		if strings.EqualFold(st.users[i].name, name) {
			return &st.users[i]
		}
	}
	return nil
}

func (a *Account) CreateGroup(ctx context.Context, name string) error {
	return a.write(ctx, "CreateGroup", "GroupName="+name, func(st *state) error {
		if !iamNamePattern.MatchString(name) {
			return iamError("CreateGroup", "ValidationError", "Invalid group name")
		}
		for _, g := range st.groups {
			if strings.EqualFold(g.name, name) {
				return iamError("CreateGroup", "EntityAlreadyExists", "Group with name "+name+" already exists.")
			}
		}
		st.groups = append(st.groups, iamGroup{name: name})
		return nil
	})
}

func (a *Account) DeleteGroup(ctx context.Context, name string) error {
	return a.write(ctx, "DeleteGroup", "GroupName="+name, func(st *state) error {
		g := st.group(name)
		if g == nil {
			return noSuchEntity("DeleteGroup", "group with name "+name)
		}
		for _, u := range st.users {
			if slices.Contains(u.groups, name) {
				return iamError("DeleteGroup", "DeleteConflict", "Cannot delete entity, must remove users from group first.")
			}
		}
		if len(g.policies) > 0 {
			return iamError("DeleteGroup", "DeleteConflict", "Cannot delete entity, must detach all policies first.")
		}
		st.groups = slices.DeleteFunc(st.groups, func(x iamGroup) bool { return x.name == name })
		return nil
	})
}

func (a *Account) AttachGroupPolicy(ctx context.Context, group, policyARN string) error {
	return a.write(ctx, "AttachGroupPolicy", "GroupName="+group+" PolicyArn="+policyARN, func(st *state) error {
		g := st.group(group)
		if g == nil {
			return noSuchEntity("AttachGroupPolicy", "group with name "+group)
		}
		if !slices.Contains(g.policies, policyARN) {
			g.policies = append(g.policies, policyARN)
		}
		return nil
	})
}

func (a *Account) DetachGroupPolicy(ctx context.Context, group, policyARN string) error {
	return a.write(ctx, "DetachGroupPolicy", "GroupName="+group+" PolicyArn="+policyARN, func(st *state) error {
		g := st.group(group)
		if g == nil || !slices.Contains(g.policies, policyARN) {
			return noSuchEntity("DetachGroupPolicy", "policy "+policyARN+" attached to group "+group)
		}
		g.policies = slices.DeleteFunc(g.policies, func(p string) bool { return p == policyARN })
		return nil
	})
}

func (a *Account) CreateUser(ctx context.Context, name string) error {
	return a.write(ctx, "CreateUser", "UserName="+name, func(st *state) error {
		if !iamNamePattern.MatchString(name) {
			return iamError("CreateUser", "ValidationError", "Invalid user name")
		}
		if st.userFold(name) != nil {
			return iamError("CreateUser", "EntityAlreadyExists", "User with name "+name+" already exists.")
		}
		st.addUser(iamUser{name: name, created: a.now().UTC().Truncate(time.Second)})
		return nil
	})
}

func (a *Account) DeleteUser(ctx context.Context, name string) error {
	return a.write(ctx, "DeleteUser", "UserName="+name, func(st *state) error {
		u := st.user(name)
		if u == nil {
			return noSuchEntity("DeleteUser", "user with name "+name)
		}
		if u.console || len(u.groups) > 0 || len(u.mfa) > 0 || len(u.keys) > 0 || len(u.policies) > 0 {
			return iamError("DeleteUser", "DeleteConflict", "Cannot delete entity, must remove its login profile, groups, MFA devices, access keys and policies first.")
		}
		st.users = slices.DeleteFunc(st.users, func(x iamUser) bool { return x.name == name })
		return nil
	})
}

func (a *Account) AddUserToGroup(ctx context.Context, user, group string) error {
	return a.write(ctx, "AddUserToGroup", "UserName="+user+" GroupName="+group, func(st *state) error {
		u, g := st.user(user), st.group(group)
		switch {
		case u == nil:
			return noSuchEntity("AddUserToGroup", "user with name "+user)
		case g == nil:
			return noSuchEntity("AddUserToGroup", "group with name "+group)
		}
		if !slices.Contains(u.groups, group) {
			u.groups = append(u.groups, group)
		}
		return nil
	})
}

func (a *Account) RemoveUserFromGroup(ctx context.Context, user, group string) error {
	return a.write(ctx, "RemoveUserFromGroup", "UserName="+user+" GroupName="+group, func(st *state) error {
		u := st.user(user)
		if u == nil || !slices.Contains(u.groups, group) {
			return noSuchEntity("RemoveUserFromGroup", "user "+user+" in group "+group)
		}
		u.groups = slices.DeleteFunc(u.groups, func(g string) bool { return g == group })
		return nil
	})
}

// CreateLoginProfile checks the password against the account's policy (or
// the AWS default) as IAM does; the password itself is never kept.
func (a *Account) CreateLoginProfile(ctx context.Context, user, password string, resetRequired bool) error {
	return a.write(ctx, "CreateLoginProfile", fmt.Sprintf("UserName=%s PasswordResetRequired=%t", user, resetRequired), func(st *state) error {
		u := st.user(user)
		if u == nil {
			return noSuchEntity("CreateLoginProfile", "user with name "+user)
		}
		if u.console {
			return iamError("CreateLoginProfile", "EntityAlreadyExists", "Login Profile for user "+user+" already exists.")
		}
		if why := passwordViolation(st.passwordPolicy, password); why != "" {
			return iamError("CreateLoginProfile", "PasswordPolicyViolation", "Password does not conform to the account password policy: "+why)
		}
		now := a.now().UTC().Truncate(time.Second)
		u.console, u.passwordChanged = true, now
		return nil
	})
}

// passwordViolation says how a password breaks the policy ("" when it does
// not); with no policy, the AWS default (8+ characters, 3 of 4 types).
func passwordViolation(p *awsops.PasswordPolicy, pw string) string {
	has := func(set string) bool { return strings.ContainsAny(pw, set) }
	upper, lower, digit := has("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), has("abcdefghijklmnopqrstuvwxyz"), has("0123456789")
	symbol := has("!@#$%^&*()_+-=[]{}|'")
	if p == nil {
		types := 0
		for _, b := range []bool{upper, lower, digit, symbol} {
			if b {
				types++
			}
		}
		if len(pw) < 8 || types < 3 {
			return "at least 8 characters and 3 of 4 character types"
		}
		return ""
	}
	switch {
	case len(pw) < p.MinimumLength:
		return fmt.Sprintf("at least %d characters", p.MinimumLength)
	case p.RequireUppercase && !upper, p.RequireLowercase && !lower, p.RequireNumbers && !digit, p.RequireSymbols && !symbol:
		return "a required character type is missing"
	}
	return ""
}

func (a *Account) DeleteLoginProfile(ctx context.Context, user string) error {
	return a.write(ctx, "DeleteLoginProfile", "UserName="+user, func(st *state) error {
		u := st.user(user)
		if u == nil || !u.console {
			return noSuchEntity("DeleteLoginProfile", "login profile for user "+user)
		}
		u.console, u.passwordLastUsed = false, time.Time{}
		return nil
	})
}

func (a *Account) CreateVirtualMFADevice(ctx context.Context, name string) (awsops.VirtualMFA, error) {
	var dev awsops.VirtualMFA
	err := a.write(ctx, "CreateVirtualMFADevice", "VirtualMFADeviceName="+name, func(st *state) error {
		if !iamNamePattern.MatchString(name) {
			return iamError("CreateVirtualMFADevice", "ValidationError", "Invalid device name")
		}
		serial := "arn:aws:iam::" + AccountID + ":mfa/" + name
		if a.mfaSerialInUse(st, serial) {
			return iamError("CreateVirtualMFADevice", "EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
		}
		raw := make([]byte, 20)
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		seed := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
		a.pendingMFA = append(a.pendingMFA, pendingMFA{serial: serial, seed: seed})
		dev = awsops.VirtualMFA{Serial: serial, Seed: seed}
		return nil
	})
	return dev, err
}

// mfaSerialInUse is called with a.mu held.
func (a *Account) mfaSerialInUse(st *state, serial string) bool {
	for _, p := range a.pendingMFA {
		if p.serial == serial {
			return true
		}
	}
	for _, u := range st.users {
		for _, d := range u.mfa {
			if d.serial == serial {
				return true
			}
		}
	}
	return false
}

func (a *Account) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	return a.write(ctx, "DeleteVirtualMFADevice", "SerialNumber="+serial, func(st *state) error {
		for _, u := range st.users {
			for _, d := range u.mfa {
				if d.serial == serial {
					return iamError("DeleteVirtualMFADevice", "DeleteConflict", "MFA Device is already in use.")
				}
			}
		}
		before := len(a.pendingMFA)
		a.pendingMFA = slices.DeleteFunc(a.pendingMFA, func(p pendingMFA) bool { return p.serial == serial })
		if len(a.pendingMFA) == before {
			return noSuchEntity("DeleteVirtualMFADevice", "MFA device "+serial)
		}
		return nil
	})
}

// EnableMFADevice accepts two consecutive codes of the device's secret from
// the last three 30-second steps, as an authenticator app shows them.
func (a *Account) EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error {
	return a.write(ctx, "EnableMFADevice", "UserName="+user+" SerialNumber="+serial, func(st *state) error {
		u := st.user(user)
		if u == nil {
			return noSuchEntity("EnableMFADevice", "user with name "+user)
		}
		i := slices.IndexFunc(a.pendingMFA, func(p pendingMFA) bool { return p.serial == serial })
		if i < 0 {
			return noSuchEntity("EnableMFADevice", "MFA device "+serial)
		}
		if !ConsecutiveCodes(a.pendingMFA[i].seed, code1, code2, a.now()) {
			return &awsops.Error{Kind: awsops.KindOther, Permission: permissions["EnableMFADevice"], Code: "InvalidAuthenticationCode",
				Message: awsops.ErrInvalidMFACode.Error(), Err: awsops.ErrInvalidMFACode}
		}
		a.pendingMFA = slices.Delete(a.pendingMFA, i, i+1)
		u.mfa = append(u.mfa, mfaDevice{serial: serial, virtual: true, enabledAt: a.now().UTC().Truncate(time.Second)})
		return nil
	})
}

// totpOpts are AWS's virtual MFA parameters.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// ConsecutiveCodes reports whether code1 and code2 are the codes of two
// consecutive 30-second steps of the secret, the later one no older than
// 90 seconds (the window a person needs to type two codes).
func ConsecutiveCodes(seed, code1, code2 string, now time.Time) bool {
	step := now.Unix() / 30
	for s := step; s >= step-2; s-- {
		first, err1 := totp.GenerateCodeCustom(seed, time.Unix((s-1)*30, 0), totpOpts)
		second, err2 := totp.GenerateCodeCustom(seed, time.Unix(s*30, 0), totpOpts)
		if errors.Join(err1, err2) == nil && code1 == first && code2 == second {
			return true
		}
	}
	return false
}

// CurrentCodes returns the current and the previous code of a secret, as
// an authenticator app would have shown them (for tests and the demo).
func CurrentCodes(seed string, now time.Time) (previous, current string, err error) {
	previous, err = totp.GenerateCodeCustom(seed, now.Add(-30*time.Second), totpOpts)
	if err != nil {
		return "", "", err
	}
	current, err = totp.GenerateCodeCustom(seed, now, totpOpts)
	return previous, current, err
}
