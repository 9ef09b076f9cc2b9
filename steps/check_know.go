package steps

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// Thresholds of the credential report review (CIS).
const (
	keyMaxAgeDays  = 90 // active keys older than this should be rotated
	unusedDays     = 45 // credentials unused this long should be removed
	recentRootDays = 7  // root use within this window counts as recent
)

// keyFinding is one access key worth a look.
type keyFinding struct {
	user     string
	slot     int // 1 or 2
	old      bool
	unused   bool
	ageDays  int
	lastUsed string // date or "never"
}

func (k keyFinding) String() string {
	var why []string
	if k.old {
		why = append(why, fmt.Sprintf("created or rotated %d days ago", k.ageDays))
	}
	if k.unused {
		if k.lastUsed == "never" {
			why = append(why, "never used")
		} else {
			why = append(why, "last used "+k.lastUsed)
		}
	}
	return fmt.Sprintf("%s: access key %d %s", k.user, k.slot, strings.Join(why, ", "))
}

// keyFindings lists active IAM user keys older than 90 days or unused for
// 45+ days (never-used keys count from their creation).
func keyFindings(now time.Time, users []awsops.CredentialRow) []keyFinding {
	var out []keyFinding
	for _, u := range users {
		for i, k := range u.Keys {
			if !k.Active {
				continue
			}
			kf := keyFinding{user: u.User, slot: i + 1, lastUsed: "never"}
			if k.LastRotated.Valid() {
				kf.ageDays = daysSince(now, k.LastRotated.Time)
				kf.old = kf.ageDays > keyMaxAgeDays
			}
			switch {
			case k.LastUsed.Valid():
				kf.lastUsed = fmtDay(k.LastUsed.Time)
				kf.unused = daysSince(now, k.LastUsed.Time) >= unusedDays
			case k.LastRotated.Valid():
				kf.unused = kf.ageDays >= unusedDays
			}
			if kf.old || kf.unused {
				out = append(out, kf)
			}
		}
	}
	return out
}

// hasPassword reads the report's password_enabled column (TRUE/true).
func hasPassword(row awsops.CredentialRow) bool {
	return strings.EqualFold(row.PasswordEnabled, "true")
}

// usersWithoutMFA lists IAM users with a console password and no MFA.
func usersWithoutMFA(users []awsops.CredentialRow) []string {
	var names []string
	for _, u := range users {
		if hasPassword(u) && !u.MFAActive {
			names = append(names, u.User)
		}
	}
	return names
}

// unusedPasswords lists users whose console password has not been used
// for 45+ days (never-used passwords count from the user's creation).
func unusedPasswords(now time.Time, users []awsops.CredentialRow) []string {
	var out []string
	for _, u := range users {
		if !hasPassword(u) {
			continue
		}
		switch {
		case u.PasswordLastUsed.Valid():
			if d := daysSince(now, u.PasswordLastUsed.Time); d >= unusedDays {
				out = append(out, fmt.Sprintf("%s: console password last used %s (%d days ago)", u.User, fmtDay(u.PasswordLastUsed.Time), d))
			}
		case !u.CreatedAt.IsZero() && daysSince(now, u.CreatedAt) >= unusedDays:
			out = append(out, fmt.Sprintf("%s: console password never used (user created %s)", u.User, fmtDay(u.CreatedAt)))
		}
	}
	return out
}

// stampText shows a report timestamp: its date, or the report's own word.
func stampText(s awsops.Stamp) string {
	if s.Valid() {
		return fmtDay(s.Time)
	}
	if s.Raw == "" {
		return "N/A"
	}
	return s.Raw
}

func checkCredentialReport(ctx context.Context, f *Facts) Result {
	rep, bad := credentialsOrUnknown(ctx, f)
	if bad != nil {
		return *bad
	}
	now := f.Now()
	r := Result{Evidence: []Evidence{
		kv("generated_at", rep.GeneratedAt.UTC().Format(time.RFC3339)),
		kv("report_age", reportAge(now, rep.GeneratedAt)),
		kvInt("iam_users", len(rep.Users)),
	}}
	if live := liveUsers(rep); len(live) > 0 {
		r.Evidence = append(r.Evidence, kv("users_read_live", listOf(live, 5)))
		r.Details = append(r.Details, "Read live (created after the report, or re-checked): "+listOf(live, 5))
	}
	var findings []string

	if root := rep.Root; root != nil {
		r.Details = append(r.Details, "root: password last used "+stampText(root.PasswordLastUsed))
		for i, k := range root.Keys {
			if k.Active {
				findings = append(findings, fmt.Sprintf("root: access key %d is active, last used %s", i+1, stampText(k.LastUsed)))
			}
		}
		for i, c := range root.Certs {
			if c.Active {
				findings = append(findings, fmt.Sprintf("root: signing certificate %d is active", i+1))
			}
		}
	} else {
		r.Details = append(r.Details, "root: the report has no root row")
	}

	noMFA := usersWithoutMFA(rep.Users)
	for _, u := range noMFA {
		findings = append(findings, u+": console password without MFA")
	}
	keys := keyFindings(now, rep.Users)
	oldKeys, unusedKeys := 0, 0
	for _, k := range keys {
		if k.old {
			oldKeys++
		}
		if k.unused {
			unusedKeys++
		}
		findings = append(findings, k.String())
	}
	unusedPw := unusedPasswords(now, rep.Users)
	findings = append(findings, unusedPw...)

	r.Evidence = append(r.Evidence,
		kvInt("users_password_without_mfa", len(noMFA)),
		kvInt("keys_older_than_90_days", oldKeys),
		kvInt("credentials_unused_45_days", unusedKeys+len(unusedPw)),
	)
	r.Details = append(r.Details, findings...)
	if len(findings) == 0 {
		r.Status = StatusPass
		r.Summary = fmt.Sprintf("report of %s reviewed: nothing to fix (%s)", fmtDay(rep.GeneratedAt), plural(len(rep.Users), "IAM user", "IAM users"))
		return r
	}
	r.Status = StatusWarn
	r.Summary = fmt.Sprintf("report of %s: %s to look at", fmtDay(rep.GeneratedAt), plural(len(findings), "finding", "findings"))
	r.Todo = "Work through the findings: root-access-keys, iam-users-mfa and access-key-hygiene show what to do for each."
	return r
}
