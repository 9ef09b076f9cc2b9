package demo

import (
	"hash/fnv"
	"time"
)

// realisticLatencies are typical times for each operation, including the
// several API calls some of them make.
var realisticLatencies = map[string]time.Duration{
	"CallerIdentity":            350 * time.Millisecond, // sts + iam ListAccountAliases
	"AccountSummary":            280 * time.Millisecond,
	"CredentialReport":          1200 * time.Millisecond, // generate, then poll
	"PasswordPolicy":            220 * time.Millisecond,
	"AlternateContact":          310 * time.Millisecond,
	"ContactInformation":        330 * time.Millisecond,
	"VirtualMFADevices":         260 * time.Millisecond,
	"CallerMFADevices":          240 * time.Millisecond,
	"Administrators":            650 * time.Millisecond, // authorization details, login profiles, MFA
	"IAMUsers":                  240 * time.Millisecond,
	"UserCredentials":           380 * time.Millisecond,
	"IdentityProviders":         230 * time.Millisecond,
	"IdentityCenterAccess":      600 * time.Millisecond,
	"OrganizationAccounts":      520 * time.Millisecond,
	"RootUsageAlarms":           480 * time.Millisecond,
	"RootSignIns":               700 * time.Millisecond, // CloudTrail event history
	"EnabledRegions":            260 * time.Millisecond,
	"GuardDutyDetectorsIn":      420 * time.Millisecond,
	"IdentityCenterInstances":   420 * time.Millisecond,
	"Organization":              300 * time.Millisecond,
	"OrganizationsRootFeatures": 250 * time.Millisecond,
	"ServiceControlPolicies":    500 * time.Millisecond,
	"RootSignInAlerts":          800 * time.Millisecond, // rules, targets, subscriptions
	"Trails":                    560 * time.Millisecond, // describe + status
	"GuardDutyDetectors":        450 * time.Millisecond,
	"Budgets":                   520 * time.Millisecond,
	"SecurityHub":               380 * time.Millisecond,
	"ConfigRecorders":           340 * time.Millisecond,
	"UpdatePasswordPolicy":      300 * time.Millisecond,
	"PutAlternateContact":       450 * time.Millisecond,
	"PutContactInformation":     480 * time.Millisecond,
	// The Organizations fixes: enabling SCPs waits for AWS to finish.
	"OrganizationalUnits": 450 * time.Millisecond, // one call per OU level
	"EnableSCPPolicyType": 2500 * time.Millisecond,
}

// RealisticLatency is a deterministic delay per operation, between 150 ms
// and 1.2 s (the credential report is the slowest), so the wizard's
// spinners show. Pass it as Options.Latency for the interactive demo.
func RealisticLatency(op string) time.Duration {
	if d, ok := realisticLatencies[op]; ok {
		return d
	}
	h := fnv.New32a()
	h.Write([]byte(op))
	return 150*time.Millisecond + time.Duration(h.Sum32()%450)*time.Millisecond
}
