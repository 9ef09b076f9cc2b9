package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// reportTime is the credential report's timestamp format.
const reportTime = "2006-01-02T15:04:05+00:00"

// CallerIdentity: whoever is signed in to the console, through AWS
// CloudShell: the root user, until SignInAsAdmin makes it an IAM user.
func (a *Account) CallerIdentity(ctx context.Context) (awsops.Identity, error) {
	return read(a, ctx, "CallerIdentity", func(st *state) (awsops.Identity, error) {
		id := awsops.Identity{
			Account:     AccountID,
			ARN:         RootARN,
			UserID:      AccountID,
			Alias:       Alias,
			IsRoot:      true,
			Partition:   "aws",
			Credentials: awsops.CredentialsTemporary,
			AccessKeyID: st.callerKeyID,
		}
		if u := st.user(st.caller); st.caller != "" && u != nil {
			id.ARN, id.UserID, id.IsRoot = u.arn(), userID(u.name), false
		}
		if strings.HasPrefix(st.callerKeyID, "AKIA") { // a root access key (tests)
			id.Credentials = awsops.CredentialsLongTerm
		}
		if err := a.fail["ListAccountAliases"]; err != nil { // a.mu is held
			id.Alias, id.AliasErr = "", awsops.Wrap(permissions["ListAccountAliases"], err)
		}
		return id, nil
	})
}

// Caller is CallerIdentity without the alias (it fails as CallerIdentity
// does).
func (a *Account) Caller(ctx context.Context) (awsops.Identity, error) {
	id, err := a.CallerIdentity(ctx)
	id.Alias, id.AliasErr = "", nil
	return id, err
}

// AccountAlias is the demo's alias; Fail["ListAccountAliases"] fails it.
func (a *Account) AccountAlias(ctx context.Context) (string, error) {
	return read(a, ctx, "ListAccountAliases", func(*state) (string, error) { return Alias, nil })
}

// AccountSummary: iam GetAccountSummary's map, with the quota keys a new
// account shows.
func (a *Account) AccountSummary(ctx context.Context) (awsops.AccountSummary, error) {
	return read(a, ctx, "AccountSummary", func(st *state) (awsops.AccountSummary, error) {
		mfaInUse := len(st.rootMFA)
		for _, u := range st.users {
			mfaInUse += len(u.mfa)
		}
		s := awsops.AccountSummary{
			awsops.SummaryAccountMFAEnabled:        boolInt(len(st.rootMFA) > 0),
			awsops.SummaryAccountAccessKeysPresent: boolInt(len(st.rootKeys) > 0),
			awsops.SummaryAccountSigningCerts:      boolInt(len(st.rootCerts) > 0),
			awsops.SummaryAccountPasswordPresent:   1,
			awsops.SummaryMFADevicesInUse:          int32(mfaInUse),
			"MFADevices":                           int32(mfaInUse),
			awsops.SummaryUsers:                    int32(len(st.users)),
			"UsersQuota":                           5000,
			"Groups":                               int32(len(st.groups)),
			"GroupsQuota":                          300,
			"GroupsPerUserQuota":                   10,
			"Roles":                                int32(st.serviceRoles),
			"RolesQuota":                           1000,
			"Policies":                             0, // customer managed
			"PoliciesQuota":                        1500,
			"AccessKeysPerUserQuota":               2,
			"SigningCertificatesPerUserQuota":      2,
			"AttachedPoliciesPerUserQuota":         10,
			"AttachedPoliciesPerGroupQuota":        10,
			"AttachedPoliciesPerRoleQuota":         10,
			"ServerCertificates":                   0,
			"ServerCertificatesQuota":              20,
			"InstanceProfiles":                     0,
			"InstanceProfilesQuota":                1000,
			"Providers":                            0,
			"GlobalEndpointTokenVersion":           1,
		}
		return s, nil
	})
}

// CredentialReport is built from the state at read time.
func (a *Account) CredentialReport(ctx context.Context) (*awsops.CredentialReport, error) {
	return read(a, ctx, "CredentialReport", func(st *state) (*awsops.CredentialReport, error) {
		now := a.now().UTC().Truncate(time.Second)
		r := &awsops.CredentialReport{
			GeneratedAt: now,
			Root: &awsops.CredentialRow{
				User:                "<root_account>",
				ARN:                 RootARN,
				CreatedAt:           st.created,
				PasswordEnabled:     "not_supported",
				PasswordLastUsed:    stamp(st.rootPasswordLastUsed, "no_information"),
				PasswordLastChanged: awsops.Stamp{Raw: "not_supported"},
				MFAActive:           len(st.rootMFA) > 0,
				Keys:                keyColumns(st.rootKeys),
				Certs:               certColumns(st.rootCerts),
			},
		}
		for _, u := range st.users {
			row := awsops.CredentialRow{
				User:                u.name,
				ARN:                 u.arn(),
				CreatedAt:           u.created,
				PasswordEnabled:     "false",
				PasswordLastUsed:    awsops.Stamp{Raw: "N/A"},
				PasswordLastChanged: awsops.Stamp{Raw: "N/A"},
				MFAActive:           len(u.mfa) > 0,
				Keys:                keyColumns(u.keys),
				Certs:               certColumns(nil),
			}
			if u.console {
				row.PasswordEnabled = "true"
				row.PasswordLastUsed = stamp(u.passwordLastUsed, "no_information")
				row.PasswordLastChanged = stamp(u.passwordChanged, "N/A")
			}
			r.Users = append(r.Users, row)
		}
		r.Raw = reportCSV(r)
		return r, nil
	})
}

func stamp(t time.Time, none string) awsops.Stamp {
	if t.IsZero() {
		return awsops.Stamp{Raw: none}
	}
	t = t.UTC()
	return awsops.Stamp{Time: t, Raw: t.Format(reportTime)}
}

func keyColumns(keys []accessKey) [2]awsops.KeyUsage {
	var cols [2]awsops.KeyUsage
	for i := range cols {
		if i >= len(keys) {
			cols[i] = awsops.KeyUsage{LastRotated: awsops.Stamp{Raw: "N/A"}, LastUsed: awsops.Stamp{Raw: "N/A"}}
			continue
		}
		k := keys[i]
		cols[i] = awsops.KeyUsage{
			Active:          k.active,
			LastRotated:     stamp(k.created, "N/A"),
			LastUsed:        stamp(k.lastUsed, "N/A"),
			LastUsedRegion:  k.lastRegion,
			LastUsedService: k.lastService,
		}
	}
	return cols
}

func certColumns(certs []signingCert) [2]awsops.CertUsage {
	var cols [2]awsops.CertUsage
	for i := range cols {
		if i >= len(certs) {
			cols[i] = awsops.CertUsage{LastRotated: awsops.Stamp{Raw: "N/A"}}
			continue
		}
		cols[i] = awsops.CertUsage{Active: certs[i].active, LastRotated: stamp(certs[i].created, "N/A")}
	}
	return cols
}

// PasswordPolicy is nil while no custom policy is set.
func (a *Account) PasswordPolicy(ctx context.Context) (*awsops.PasswordPolicy, error) {
	return read(a, ctx, "PasswordPolicy", func(st *state) (*awsops.PasswordPolicy, error) {
		if st.passwordPolicy == nil {
			return nil, nil
		}
		p := *st.passwordPolicy
		return &p, nil
	})
}

// AlternateContact is nil while that type is not set.
func (a *Account) AlternateContact(ctx context.Context, t awsops.ContactType) (*awsops.AlternateContact, error) {
	return read(a, ctx, "AlternateContact", func(st *state) (*awsops.AlternateContact, error) {
		if !slices.Contains(awsops.ContactTypes, t) {
			return nil, validationError("AlternateContact", "ValidationException", []string{
				fmt.Sprintf("Value '%s' at 'alternateContactType' failed to satisfy constraint: Member must satisfy enum value set: [SECURITY, BILLING, OPERATIONS]", t),
			})
		}
		c, ok := st.alternate[t]
		if !ok {
			return nil, nil
		}
		return &c, nil
	})
}

// ContactInformation is the primary contact.
func (a *Account) ContactInformation(ctx context.Context) (*awsops.ContactInfo, error) {
	return read(a, ctx, "ContactInformation", func(st *state) (*awsops.ContactInfo, error) {
		if st.contact == nil {
			return nil, nil
		}
		c := *st.contact
		return &c, nil
	})
}

// VirtualMFADevices lists assigned virtual devices (root's and users').
// Passkeys and security keys are not virtual devices, so they never show.
func (a *Account) VirtualMFADevices(ctx context.Context) ([]awsops.VirtualMFADevice, error) {
	return read(a, ctx, "VirtualMFADevices", func(st *state) ([]awsops.VirtualMFADevice, error) {
		var out []awsops.VirtualMFADevice
		for _, d := range st.rootMFA {
			if d.virtual {
				out = append(out, awsops.VirtualMFADevice{SerialNumber: d.serial, UserARN: RootARN, EnabledAt: d.enabledAt})
			}
		}
		for _, u := range st.users {
			for _, d := range u.mfa {
				if d.virtual {
					out = append(out, awsops.VirtualMFADevice{SerialNumber: d.serial, UserARN: u.arn(), UserName: u.name, EnabledAt: d.enabledAt})
				}
			}
		}
		return out, nil
	})
}

// CallerMFADevices lists the caller's devices of every kind (root's, or
// the signed-in user's).
func (a *Account) CallerMFADevices(ctx context.Context) ([]awsops.MFADevice, error) {
	return read(a, ctx, "CallerMFADevices", func(st *state) ([]awsops.MFADevice, error) {
		devs := st.rootMFA
		if u := st.user(st.caller); st.caller != "" && u != nil {
			devs = u.mfa
		}
		var out []awsops.MFADevice
		for _, d := range devs {
			out = append(out, awsops.MFADevice{SerialNumber: d.serial, EnabledAt: d.enabledAt})
		}
		return out, nil
	})
}

// Administrators lists users holding AdministratorAccess, with the
// permissions boundary that cuts their rights down (the demo has no
// customer policies or admin roles).
func (a *Account) Administrators(ctx context.Context) (*awsops.Administrators, error) {
	return read(a, ctx, "Administrators", func(st *state) (*awsops.Administrators, error) {
		out := &awsops.Administrators{}
		for _, u := range st.users {
			via := st.adminVia(u)
			if via == "" {
				continue
			}
			out.Users = append(out.Users, awsops.AdminUser{
				Name:          u.name,
				ARN:           u.arn(),
				Via:           via,
				ConsoleAccess: u.console,
				MFADevices:    len(u.mfa),
				LimitedBy:     u.limitedBy(),
				Created:       u.created,
			})
		}
		return out, nil
	})
}

// IdentityProviders: the demo account has no SAML or OIDC provider.
func (a *Account) IdentityProviders(ctx context.Context) ([]awsops.IdentityProvider, error) {
	return read(a, ctx, "IdentityProviders", func(*state) ([]awsops.IdentityProvider, error) { return nil, nil })
}

// IAMUsers lists the IAM users.
func (a *Account) IAMUsers(ctx context.Context) ([]awsops.IAMUser, error) {
	return read(a, ctx, "IAMUsers", func(st *state) ([]awsops.IAMUser, error) {
		var out []awsops.IAMUser
		for _, u := range st.users {
			out = append(out, awsops.IAMUser{Name: u.name, ARN: u.arn(), CreatedAt: u.created, PasswordLastUsed: u.passwordLastUsed})
		}
		return out, nil
	})
}

// UserCredentials reads one user's credentials from the state; an unknown
// user is NoSuchEntity, as in IAM.
func (a *Account) UserCredentials(ctx context.Context, user string) (awsops.UserCredentials, error) {
	return read(a, ctx, "UserCredentials", func(st *state) (awsops.UserCredentials, error) {
		u := st.user(user)
		if u == nil {
			return awsops.UserCredentials{}, &awsops.Error{Kind: awsops.KindNotFound, Permission: permissions["UserCredentials"],
				Code: "NoSuchEntity", Message: "The user with name " + user + " cannot be found."}
		}
		uc := awsops.UserCredentials{User: u.name, ConsolePassword: u.console, MFADevices: len(u.mfa)}
		for _, k := range u.keys {
			uc.Keys = append(uc.Keys, awsops.AccessKey{ID: k.id, Active: k.active, CreatedAt: k.created, LastUsed: k.lastUsed,
				LastUsedService: k.lastService, LastUsedRegion: k.lastRegion})
		}
		return uc, nil
	})
}

// IdentityCenterAccess: the demo account is standalone, so no instance
// grants it anything.
func (a *Account) IdentityCenterAccess(ctx context.Context, _ awsops.IdentityCenterInstance, _ string) ([]awsops.PermissionSetAccess, error) {
	return read(a, ctx, "IdentityCenterAccess", func(*state) ([]awsops.PermissionSetAccess, error) { return nil, nil })
}

// RootUsageAlarms: the demo's trails deliver to no CloudWatch Logs group.
func (a *Account) RootUsageAlarms(ctx context.Context, _ string) ([]awsops.RootUsageAlarm, error) {
	return read(a, ctx, "RootUsageAlarms", func(*state) ([]awsops.RootUsageAlarm, error) { return nil, nil })
}

// RootSignIns: the owner's first sign-in the day the account was made
// (no MFA yet) and today's, from CloudShell's usual address.
func (a *Account) RootSignIns(ctx context.Context, since time.Time) (*awsops.SignInHistory, error) {
	return read(a, ctx, "RootSignIns", func(st *state) (*awsops.SignInHistory, error) {
		h := &awsops.SignInHistory{Since: since}
		// MFA was used when root had a device by then.
		withMFA := slices.ContainsFunc(st.rootMFA, func(d mfaDevice) bool { return !d.enabledAt.After(st.rootPasswordLastUsed) })
		today := awsops.SignInEvent{Time: st.rootPasswordLastUsed, Success: true, MFAUsed: withMFA, SourceIP: ownerAddress}
		first := awsops.SignInEvent{Time: st.created.Add(10 * time.Minute), Success: true, SourceIP: ownerAddress}
		for _, e := range []awsops.SignInEvent{today, first} {
			if !e.Time.IsZero() && !e.Time.Before(since) {
				h.Events = append(h.Events, e)
			}
		}
		return h, nil
	})
}

// ownerAddress is where the demo's owner signs in from.
const ownerAddress = "203.0.113.24"

// EnabledRegions are the regions on by default.
func (a *Account) EnabledRegions(ctx context.Context) ([]string, error) {
	return read(a, ctx, "EnabledRegions", func(*state) ([]string, error) { return slices.Clone(Regions), nil })
}

// GuardDutyDetectorsIn lists another region's detectors.
func (a *Account) GuardDutyDetectorsIn(ctx context.Context, region string) ([]awsops.Detector, error) {
	return read(a, ctx, "GuardDutyDetectorsIn", func(st *state) ([]awsops.Detector, error) {
		if region == HomeRegion {
			return slices.Clone(st.detectors), nil
		}
		return slices.Clone(st.regionDetectors[region]), nil
	})
}

// IdentityCenterInstances: none in the demo's starting state.
func (a *Account) IdentityCenterInstances(ctx context.Context) ([]awsops.IdentityCenterInstance, error) {
	return read(a, ctx, "IdentityCenterInstances", func(st *state) ([]awsops.IdentityCenterInstance, error) {
		return slices.Clone(st.identityCenter), nil
	})
}

// RootSignInAlerts lists the root sign-in rules in us-east-1 with their
// whole path (topic policy, key, subscriptions).
func (a *Account) RootSignInAlerts(ctx context.Context) ([]awsops.AlertRule, error) {
	return read(a, ctx, "RootSignInAlerts", func(st *state) ([]awsops.AlertRule, error) {
		return st.rootSignInAlerts(), nil
	})
}

// Trails lists CloudTrail trails with their status.
func (a *Account) Trails(ctx context.Context) ([]awsops.Trail, error) {
	return read(a, ctx, "Trails", func(st *state) ([]awsops.Trail, error) {
		return slices.Clone(st.trails), nil
	})
}

// GuardDutyDetectors lists detectors in the home region.
func (a *Account) GuardDutyDetectors(ctx context.Context) ([]awsops.Detector, error) {
	return read(a, ctx, "GuardDutyDetectors", func(st *state) ([]awsops.Detector, error) {
		return slices.Clone(st.detectors), nil
	})
}

// Budgets lists the account's budgets. Like AWS, another account's budgets
// are refused and the account ID is required.
func (a *Account) Budgets(ctx context.Context, accountID string) ([]awsops.Budget, error) {
	return read(a, ctx, "Budgets", func(st *state) ([]awsops.Budget, error) {
		switch accountID {
		case AccountID:
			return cloneBudgets(st.budgets), nil
		case "":
			return nil, validationError("Budgets", "InvalidParameterException",
				[]string{"Value at 'accountId' failed to satisfy constraint: Member must not be null"})
		}
		return nil, AccessDenied(permissions["Budgets"])
	})
}

// SecurityHub reports whether Security Hub is on.
func (a *Account) SecurityHub(ctx context.Context) (awsops.SecurityHubStatus, error) {
	return read(a, ctx, "SecurityHub", func(st *state) (awsops.SecurityHubStatus, error) {
		return st.securityHub, nil
	})
}

// ConfigRecorders lists AWS Config recorders.
func (a *Account) ConfigRecorders(ctx context.Context) ([]awsops.ConfigRecorder, error) {
	return read(a, ctx, "ConfigRecorders", func(st *state) ([]awsops.ConfigRecorder, error) {
		return slices.Clone(st.recorders), nil
	})
}

// userID is a believable IAM user ID (AIDA…) made from the name.
func userID(name string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := []byte("AIDARJ4X7QWZ00000000")
	for i, c := range []byte(name) {
		j := 8 + i%12
		b[j] = alphabet[(int(b[j])+int(c)*(i+3))%len(alphabet)]
	}
	return string(b)
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
