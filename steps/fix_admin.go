package steps

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/rootguard/rootguard/awsops"
)

// The admin-identity fix creates the daily-use administrator (IAM path):
// the Administrators group with AdministratorAccess, a user in it with a
// console password (generated, reset at first sign-in) and a virtual MFA
// device enrolled in the terminal with two codes from an authenticator app.

// Fields and names of the admin-identity fix.
const (
	FixAdminIdentity   = "admin-identity"
	FieldUserName      = "user-name"
	FieldMFACode1      = "code-1"
	FieldMFACode2      = "code-2"
	FieldRemoveUser    = "remove-user"
	AdminGroupName     = "Administrators"
	MFAIssuer          = "Amazon Web Services"
	generatedPwdLength = 24
)

// adminState is what the admin fix plans from.
type adminState struct {
	Identity  awsops.Identity
	Users     []string         // every IAM user's name
	Group     *awsops.IAMGroup // the Administrators group (nil: none)
	Policy    *awsops.PasswordPolicy
	Ready     []string // administrators with console access and MFA
	InOrg     bool     // the account is in an organization
	HasCenter bool     // an IAM Identity Center instance exists
}

func adminIdentityFix() Fix {
	return NewFix(FixDef[adminState]{
		ID:       FixAdminIdentity,
		Title:    "Create the daily-use administrator",
		Summary:  "create an administrator IAM user with a console password and MFA (QR code in the terminal)",
		Intro:    "Create an Administrators group with AdministratorAccess and a user in it with a console password and an MFA device you enrol here, with a QR code and two codes from your authenticator app. Then sign in as that user instead of root.",
		Writes:   []string{"iam:CreateGroup", "iam:AttachGroupPolicy", "iam:CreateUser", "iam:AddUserToGroup", "iam:CreateLoginProfile", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:DeleteVirtualMFADevice", "iam:DeleteLoginProfile", "iam:RemoveUserFromGroup", "iam:DeleteUser", "iam:DetachGroupPolicy", "iam:DeleteGroup"},
		Reverify: []string{"root-usage", "iam-users-mfa", "credential-report"},
		Terminal: true,
		Load:     loadAdminState,
		Form:     adminForm,
		Check: func(in Input) error {
			if !in.Given[FieldUserName] {
				return FieldErrors{{Field: FieldUserName, Message: "name the new administrator, e.g. --user-name jane"}}
			}
			return nil
		},
		Plan: planAdminIdentity,
	})
}

func loadAdminState(ctx context.Context, f *Facts) (adminState, error) {
	dir, ok := f.Source().(awsops.AdminDirectory)
	if !ok {
		return adminState{}, errors.New("this account cannot list IAM users (internal error: no AdminDirectory)")
	}
	var (
		st                        adminState
		idErr, usersErr, groupErr error
		policyErr, adminsErr      error
		admins                    *awsops.Administrators
		org                       *awsops.Organization
		orgErr                    error
		centers                   []awsops.IdentityCenterInstance
	)
	concurrently(
		func() { st.Identity, idErr = f.Identity(ctx) },
		func() { st.Users, usersErr = dir.IAMUserNames(ctx) },
		func() { st.Group, groupErr = dir.IAMGroup(ctx, AdminGroupName) },
		func() { st.Policy, policyErr = CurrentPasswordPolicy(ctx, f) },
		func() { admins, adminsErr = f.Administrators(ctx) },
		func() { org, orgErr = organizationOf(ctx, f) },
		func() { centers, _, _ = identityCenter(ctx, f) },
	)
	if err := errors.Join(idErr, usersErr, groupErr, policyErr, adminsErr); err != nil {
		return adminState{}, firstErr(idErr, usersErr, groupErr, policyErr, adminsErr)
	}
	if admins == nil {
		admins = &awsops.Administrators{}
	}
	for _, u := range admins.Users {
		if u.ConsoleAccess && u.MFADevices > 0 && u.LimitedBy == "" {
			st.Ready = append(st.Ready, u.Name)
		}
	}
	st.InOrg = orgErr == nil && org != nil
	st.HasCenter = activeInstances(centers) > 0
	return st, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// userNamePattern is IAM's rule for user names.
var userNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// ValidateUserName checks a new IAM user's name against IAM's rules.
func ValidateUserName(s string) error {
	switch {
	case s == "":
		return errors.New("is required")
	case len(s) > 64:
		return fmt.Errorf("must be at most 64 characters (this is %d)", len(s))
	case !userNamePattern.MatchString(s):
		return errors.New("may contain only letters, digits and + = , . @ _ -")
	}
	return nil
}

// taken reports whether an IAM user name is in use (IAM names are unique
// regardless of case).
func taken(users []string, name string) bool {
	return slices.ContainsFunc(users, func(u string) bool { return strings.EqualFold(u, name) })
}

// freeName suggests a name like want that nobody has.
func freeName(users []string, want string) string {
	for _, c := range []string{want + "-admin", "admin-" + want} {
		if len(c) <= 64 && !taken(users, c) {
			return c
		}
	}
	for i := 2; ; i++ {
		if c := fmt.Sprintf("%s%d", want, i); len(c) <= 64 && !taken(users, c) {
			return c
		}
	}
}

func adminForm(st *adminState) []Group {
	help := "rootguard creates the user, adds it to the Administrators group (AdministratorAccess), gives it a console password you see once, and enrols an MFA device with a QR code. You see every call before anything is written."
	def := "admin"
	var users []string
	if st != nil {
		users = st.Users
		if taken(users, def) {
			def = freeName(users, def)
		}
		if st.InOrg || st.HasCenter {
			help = "This account is in an organization or has IAM Identity Center: Identity Center is the better path for people (this item's guide has its steps). You can still create an IAM user here. " + help
		}
	}
	return []Group{{
		Title: "Daily-use administrator",
		Help:  help,
		Fields: []Field{{
			Key: FieldUserName, Kind: FieldText, Label: "User name", Default: def, Limit: 64,
			Help:        "the new administrator's IAM user name (1–64 of letters, digits and + = , . @ _ -)",
			Placeholder: "jane",
			Validate: func(s string, _ Values) error {
				s = strings.TrimSpace(s)
				if err := ValidateUserName(s); err != nil {
					return err
				}
				if st != nil && taken(users, s) && !slices.Contains(st.Ready, s) {
					return fmt.Errorf("is taken: an IAM user %q exists; try %q", s, freeName(users, s))
				}
				return nil
			},
		}},
	}}
}

func planAdminIdentity(st adminState, in Input) (Plan, error) {
	name := in.Text(FieldUserName)
	if err := ValidateUserName(name); err != nil {
		return Plan{}, FieldErrors{{Field: FieldUserName, Message: err.Error()}}
	}
	if slices.Contains(st.Ready, name) {
		return Plan{NoOp: true, Notes: []string{name + " is already an administrator with console access and MFA."}}, nil
	}
	if taken(st.Users, name) {
		return Plan{}, FieldErrors{{Field: FieldUserName, Message: fmt.Sprintf("is taken: an IAM user %q exists; try %q", name, freeName(st.Users, name))}}
	}
	password, err := GeneratePassword(st.Policy)
	if err != nil {
		return Plan{}, err
	}
	policyARN := awsops.AdministratorAccessPolicy(st.Identity.Partition)
	groupNew := st.Group == nil
	attach := groupNew || !slices.Contains(st.Group.Policies, policyARN)

	var calls []Call
	if groupNew {
		calls = append(calls, adminCall("iam:CreateGroup", "Administrators group", []Evidence{kv("GroupName", AdminGroupName)},
			func(ctx context.Context, w awsops.AdminWriter) error { return w.CreateGroup(ctx, AdminGroupName) }).
			WithUndo(adminCall("iam:DeleteGroup", "Administrators group removed", nil,
				func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteGroup(ctx, AdminGroupName) })))
	}
	if attach {
		calls = append(calls, adminCall("iam:AttachGroupPolicy", "AdministratorAccess on the group", []Evidence{kv("GroupName", AdminGroupName), kv("PolicyArn", policyARN)},
			func(ctx context.Context, w awsops.AdminWriter) error {
				return w.AttachGroupPolicy(ctx, AdminGroupName, policyARN)
			}).
			WithUndo(adminCall("iam:DetachGroupPolicy", "AdministratorAccess detached", nil,
				func(ctx context.Context, w awsops.AdminWriter) error {
					return w.DetachGroupPolicy(ctx, AdminGroupName, policyARN)
				})))
	}
	calls = append(calls,
		adminCall("iam:CreateUser", "user "+name, []Evidence{kv("UserName", name)},
			func(ctx context.Context, w awsops.AdminWriter) error { return w.CreateUser(ctx, name) }).
			WithUndo(adminCall("iam:DeleteUser", "user removed", nil,
				func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteUser(ctx, name) })),
		adminCall("iam:AddUserToGroup", name+" in Administrators", []Evidence{kv("UserName", name), kv("GroupName", AdminGroupName)},
			func(ctx context.Context, w awsops.AdminWriter) error {
				return w.AddUserToGroup(ctx, name, AdminGroupName)
			}).
			WithUndo(adminCall("iam:RemoveUserFromGroup", "removed from the group", nil,
				func(ctx context.Context, w awsops.AdminWriter) error {
					return w.RemoveUserFromGroup(ctx, name, AdminGroupName)
				})),
		adminCall("iam:CreateLoginProfile", "console password", []Evidence{kv("UserName", name),
			kv("Password", fmt.Sprintf("(generated: %d random characters, shown once at the end)", len(password))), kv("PasswordResetRequired", "true")},
			func(ctx context.Context, w awsops.AdminWriter) error {
				return w.CreateLoginProfile(ctx, name, password, true)
			}).
			WithUndo(adminCall("iam:DeleteLoginProfile", "console password removed", nil,
				func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteLoginProfile(ctx, name) })),
		NewCallOut("iam:CreateVirtualMFADevice", "virtual MFA device", []Evidence{kv("VirtualMFADeviceName", name)},
			func(ctx context.Context, w awsops.Writer, out Outputs) error {
				aw, err := adminWriter(w)
				if err != nil {
					return err
				}
				dev, err := aw.CreateVirtualMFADevice(ctx, name)
				if err != nil {
					return err
				}
				out["serial"], out["seed"] = dev.Serial, dev.Seed
				return nil
			}).
			WithUndo(NewCallOut("iam:DeleteVirtualMFADevice", "MFA device removed", nil,
				func(ctx context.Context, w awsops.Writer, out Outputs) error {
					aw, err := adminWriter(w)
					if err != nil {
						return err
					}
					return aw.DeleteVirtualMFADevice(ctx, out["serial"])
				})),
	)
	p := Plan{
		ItemID: FixAdminIdentity, Title: "Create the daily-use administrator " + name,
		Calls: calls,
		Notes: []string{"Next you scan a QR code (or type a secret) into an authenticator app and enter two codes it shows; then rootguard enables the MFA device with iam:EnableMFADevice. The password is shown once at the very end."},
		Changes: []Change{
			{Field: "IAM user", Current: shownNotSet, Proposed: name},
			{Field: "Group", Current: groupState(st.Group, policyARN), Proposed: AdminGroupName + " with AdministratorAccess"},
			{Field: "Console password", Current: shownNotSet, Proposed: "generated, change at first sign-in"},
			{Field: "MFA", Current: shownNotSet, Proposed: "virtual MFA device (authenticator app)"},
		},
		record: "created user " + name + " in group " + AdminGroupName + " (AdministratorAccess) with a console password and a virtual MFA device",
	}
	if len(st.Ready) > 0 {
		p.Warnings = append(p.Warnings, "An administrator with console access and MFA already exists: "+listOf(st.Ready, 3)+". This creates another one.")
	}
	if st.InOrg || st.HasCenter {
		p.Warnings = append(p.Warnings, "This account is in an organization or has IAM Identity Center, which is the better path for people; this creates an IAM user anyway.")
	}
	enrol := adminEnrolment{name: name, password: password, identity: st.Identity, groupNew: groupNew, attached: attach, policyARN: policyARN}
	return p.Then(enrol.stage), nil
}

func groupState(g *awsops.IAMGroup, policyARN string) string {
	switch {
	case g == nil:
		return shownNotSet
	case slices.Contains(g.Policies, policyARN):
		return AdminGroupName + " with AdministratorAccess (reused)"
	}
	return AdminGroupName + " without AdministratorAccess (reused)"
}

// adminCall is a call of the admin fix's writer.
func adminCall(api, label string, params []Evidence, write func(ctx context.Context, w awsops.AdminWriter) error) Call {
	return NewCall(api, label, params, func(ctx context.Context, w awsops.Writer) error {
		aw, err := adminWriter(w)
		if err != nil {
			return err
		}
		return write(ctx, aw)
	})
}

func adminWriter(w awsops.Writer) (awsops.AdminWriter, error) {
	aw, ok := w.(awsops.AdminWriter)
	if !ok {
		return nil, errors.New("internal error: this account cannot create IAM users")
	}
	return aw, nil
}

// adminEnrolment carries the new user through MFA enrolment. It holds the
// generated password in memory only, until the final stage shows it.
type adminEnrolment struct {
	name, password     string
	identity           awsops.Identity
	groupNew, attached bool
	policyARN          string
}

// stage asks for two codes of the new device, after showing its QR code.
func (e adminEnrolment) stage(out Outputs) *Stage {
	serial, seed := out["serial"], out["seed"]
	uri, err := MFAKeyURI(seed, e.name+"@"+orText(e.identity.Alias, e.identity.Account))
	show := []Shown{{Label: "MFA device", Value: uri, Kind: ShownQR},
		{Label: "Or type this secret", Value: seed, Kind: ShownSecret, Grouped: GroupSecret(seed)}}
	if err != nil {
		show = show[1:] // the secret still works when typed
	}
	code := func(key, label string) Field {
		return Field{Key: key, Kind: FieldText, Label: label, Limit: 6,
			Help: "6 digits from the authenticator app",
			Validate: func(s string, _ Values) error {
				if s = strings.TrimSpace(s); len(s) != 6 || strings.Trim(s, "0123456789") != "" {
					return errors.New("must be the 6 digits the app shows")
				}
				return nil
			}}
	}
	return &Stage{
		Title: "Enrol the MFA device of " + e.name,
		Help:  "Add an account in your authenticator app by scanning the QR code (or typing the secret). Enter the code it shows, wait for the next one (about 30 seconds), and enter that too.",
		Show:  show,
		Form: []Group{{Title: "Two consecutive codes", Fields: []Field{
			code(FieldMFACode1, "First code"), code(FieldMFACode2, "Next code (after it changes)")}}},
		Plan: func(in Input) (Plan, error) {
			c1, c2 := in.Text(FieldMFACode1), in.Text(FieldMFACode2)
			if c1 == c2 {
				return Plan{}, FieldErrors{{Field: FieldMFACode2, Message: "must be the next code: wait until the app shows a new one"}}
			}
			p := Plan{ItemID: FixAdminIdentity, Title: "Enable the MFA device of " + e.name,
				Calls: []Call{adminCall("iam:EnableMFADevice", "MFA assignment for "+e.name,
					[]Evidence{kv("UserName", e.name), kv("SerialNumber", serial), kv("AuthenticationCode1", c1), kv("AuthenticationCode2", c2)},
					func(ctx context.Context, w awsops.AdminWriter) error {
						return w.EnableMFADevice(ctx, e.name, serial, c1, c2)
					})},
				record: "enabled the MFA device of " + e.name,
			}
			return p.Then(e.ready), nil
		},
		Retry: func(err error) (string, bool) {
			if errors.Is(err, awsops.ErrInvalidMFACode) {
				return "Those codes were not accepted. Wait for a new code, then enter it and the one after it. If it keeps failing, set your phone's clock to update automatically.", true
			}
			if awsErrorCode(err) == "EntityTemporarilyUnmodifiable" || awsops.KindOf(err) == awsops.KindThrottled {
				return "AWS is still setting up the device: wait a few seconds and enter two fresh codes.", true
			}
			return "", false
		},
		Abort: e.abortPlan(serial),
	}
}

// abortPlan deletes the unassigned device, then offers to remove the user
// this run created (it has a password and no MFA).
func (e adminEnrolment) abortPlan(serial string) *Plan {
	p := Plan{ItemID: FixAdminIdentity, Title: "Stop: remove the unassigned MFA device",
		Calls: []Call{adminCall("iam:DeleteVirtualMFADevice", "removal of the unassigned MFA device", []Evidence{kv("SerialNumber", serial)},
			func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteVirtualMFADevice(ctx, serial) })},
		record: "stopped before MFA: removed the unassigned MFA device of " + e.name,
	}.Then(func(Outputs) *Stage { return e.removal() })
	return &p
}

// removal asks whether to remove the user created in this run.
func (e adminEnrolment) removal() *Stage {
	return &Stage{
		Title: "Remove " + e.name + "?",
		Help:  e.name + " was created in this run and has a console password but no MFA: an administrator without MFA is a risk. Remove it now (recommended), or keep it and assign MFA in the IAM console (Users → " + e.name + " → Security credentials).",
		Form:  []Group{{Fields: []Field{{Key: FieldRemoveUser, Kind: FieldBool, Label: "Remove " + e.name + " and what this run made for it?", Default: "true"}}}},
		Plan: func(in Input) (Plan, error) {
			if !in.Bool(FieldRemoveUser) {
				return Plan{NoOp: true, Notes: []string{e.name + " was kept without MFA: assign an MFA device in the IAM console before using it."}}, nil
			}
			calls := []Call{
				adminCall("iam:DeleteLoginProfile", "removal of "+e.name+"'s console password", []Evidence{kv("UserName", e.name)},
					func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteLoginProfile(ctx, e.name) }),
				adminCall("iam:RemoveUserFromGroup", "removal of "+e.name+" from Administrators", []Evidence{kv("UserName", e.name), kv("GroupName", AdminGroupName)},
					func(ctx context.Context, w awsops.AdminWriter) error {
						return w.RemoveUserFromGroup(ctx, e.name, AdminGroupName)
					}),
				adminCall("iam:DeleteUser", "removal of user "+e.name, []Evidence{kv("UserName", e.name)},
					func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteUser(ctx, e.name) }),
			}
			if e.attached && e.groupNew {
				calls = append(calls,
					adminCall("iam:DetachGroupPolicy", "detachment of AdministratorAccess", []Evidence{kv("GroupName", AdminGroupName), kv("PolicyArn", e.policyARN)},
						func(ctx context.Context, w awsops.AdminWriter) error {
							return w.DetachGroupPolicy(ctx, AdminGroupName, e.policyARN)
						}))
			}
			if e.groupNew {
				calls = append(calls,
					adminCall("iam:DeleteGroup", "removal of the Administrators group", []Evidence{kv("GroupName", AdminGroupName)},
						func(ctx context.Context, w awsops.AdminWriter) error { return w.DeleteGroup(ctx, AdminGroupName) }))
			}
			return Plan{ItemID: FixAdminIdentity, Title: "Remove " + e.name, Calls: calls,
				record: "removed " + e.name + ", created without MFA in a stopped run"}, nil
		},
	}
}

// ready is the end: where and how to sign in as the new administrator.
func (e adminEnrolment) ready(Outputs) *Stage {
	return &Stage{
		Title: e.name + " is ready",
		Help: "Sign out of root and sign in at this address as " + e.name + " with the password below; AWS asks you to choose a new one. " +
			"Use " + e.name + " for daily work and keep root for the few tasks only root can do. The password is shown only now.",
		Show: []Shown{
			{Label: "Sign-in URL", Value: SignInURL(e.identity), Kind: ShownLink},
			{Label: "User name", Value: e.name, Kind: ShownText},
			{Label: "One-time password", Value: e.password, Kind: ShownSecret},
		},
	}
}

// SignInURL is the account's IAM user sign-in page.
func SignInURL(id awsops.Identity) string {
	host := orText(id.Alias, id.Account)
	switch id.Partition {
	case "aws-cn":
		return "https://" + host + ".signin.amazonaws.cn/console"
	case "aws-us-gov":
		return "https://" + host + ".signin.amazonaws-us-gov.com/console"
	}
	return "https://" + host + ".signin.aws.amazon.com/console"
}

// MFAKeyURI is the otpauth:// URI of a virtual MFA device for
// authenticator apps (TOTP, SHA-1, 6 digits, 30 s, as AWS uses).
func MFAKeyURI(base32Seed, account string) (string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(strings.ToUpper(base32Seed), "="))
	if err != nil {
		return "", fmt.Errorf("the MFA secret is not Base32: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: MFAIssuer, AccountName: account, Secret: raw,
		Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", err
	}
	return key.URL(), nil
}

// GroupSecret writes a Base32 secret in groups of four for typing by hand.
func GroupSecret(s string) string {
	s = strings.TrimRight(s, "=")
	var groups []string
	for len(s) > 4 {
		groups = append(groups, s[:4])
		s = s[4:]
	}
	return strings.Join(append(groups, s), " ")
}

// passwordSymbols are the symbols IAM password policies count.
const passwordSymbols = "!@#$%^&*()_+-=[]{}|'"

// GeneratePassword makes a random console password that satisfies the
// account's policy (nil: the AWS default): every character type, at least
// generatedPwdLength characters or the policy's minimum.
func GeneratePassword(policy *awsops.PasswordPolicy) (string, error) {
	n := generatedPwdLength
	if policy != nil && policy.MinimumLength > n {
		n = min(policy.MinimumLength, 128)
	}
	sets := []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", passwordSymbols}
	all := strings.Join(sets, "")
	pick := func(from string) (byte, error) {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(from))))
		if err != nil {
			return 0, err
		}
		return from[i.Int64()], nil
	}
	out := make([]byte, n)
	for i := range out {
		set := all
		if i < len(sets) {
			set = sets[i] // one of each type first
		}
		c, err := pick(set)
		if err != nil {
			return "", fmt.Errorf("could not generate a password: %w", err)
		}
		out[i] = c
	}
	// Shuffle so the types are not in a fixed order (Fisher–Yates).
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", fmt.Errorf("could not generate a password: %w", err)
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return string(out), nil
}
