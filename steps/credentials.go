package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// signInHistoryDays is how far back CloudTrail event history goes.
const signInHistoryDays = 90

// liveReads bounds the users whose credentials are read live at once.
const liveReads = 8

// readCredentials merges the cached report with live reads (see
// Facts.Credentials). The report and the user list are read at once.
func (f *Facts) readCredentials(ctx context.Context) (*awsops.CredentialReport, error) {
	var (
		rep      *awsops.CredentialReport
		repErr   error
		users    []awsops.IAMUser
		usersErr error
	)
	concurrently(
		func() { rep, repErr = f.CredentialReport(ctx) },
		func() { users, usersErr = f.IAMUsers(ctx) },
	)
	if repErr != nil {
		return nil, repErr
	}
	if rep == nil {
		return nil, nil
	}
	if usersErr != nil {
		return nil, usersErr
	}
	rows := make(map[string]awsops.CredentialRow, len(rep.Users))
	for _, r := range rep.Users {
		rows[r.User] = r
	}
	var toRead []awsops.IAMUser
	for _, u := range users {
		if _, ok := rows[u.Name]; f.live || !ok || u.CreatedAt.After(rep.GeneratedAt) {
			toRead = append(toRead, u)
		}
	}
	creds := make([]awsops.UserCredentials, len(toRead))
	errs := make([]error, len(toRead))
	reads := make([]func(), len(toRead))
	sem := make(chan struct{}, liveReads)
	for i, u := range toRead {
		reads[i] = func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			creds[i], errs[i] = f.UserCredentials(ctx, u.Name)
		}
	}
	concurrently(reads...)
	for i, u := range toRead {
		if errs[i] != nil {
			return nil, errs[i]
		}
		rows[u.Name] = liveRow(u, creds[i])
	}
	merged := &awsops.CredentialReport{GeneratedAt: rep.GeneratedAt, Root: rep.Root, Users: make([]awsops.CredentialRow, 0, len(users))}
	for _, u := range users { // ListUsers order; users deleted since the report drop out
		merged.Users = append(merged.Users, rows[u.Name])
	}
	return merged, nil
}

// liveRow is a credential report row built from live reads.
func liveRow(u awsops.IAMUser, c awsops.UserCredentials) awsops.CredentialRow {
	row := awsops.CredentialRow{
		User: u.Name, ARN: u.ARN, CreatedAt: u.CreatedAt,
		PasswordEnabled: "false", PasswordLastUsed: awsops.Stamp{Raw: "N/A"}, PasswordLastChanged: awsops.Stamp{Raw: "N/A"},
		MFAActive: c.MFADevices > 0, Live: true,
	}
	if c.ConsolePassword {
		row.PasswordEnabled = "true"
		row.PasswordLastUsed = liveStamp(u.PasswordLastUsed, "no_information")
	}
	for i := range row.Keys {
		row.Keys[i] = awsops.KeyUsage{LastRotated: awsops.Stamp{Raw: "N/A"}, LastUsed: awsops.Stamp{Raw: "N/A"}}
		if i < len(c.Keys) {
			k := c.Keys[i]
			row.Keys[i] = awsops.KeyUsage{Active: k.Active, LastRotated: liveStamp(k.CreatedAt, "N/A"), LastUsed: liveStamp(k.LastUsed, "N/A"),
				LastUsedRegion: k.LastUsedRegion, LastUsedService: k.LastUsedService}
		}
	}
	for i := range row.Certs {
		row.Certs[i] = awsops.CertUsage{LastRotated: awsops.Stamp{Raw: "N/A"}}
	}
	return row
}

func liveStamp(t time.Time, none string) awsops.Stamp {
	if t.IsZero() {
		return awsops.Stamp{Raw: none}
	}
	return awsops.Stamp{Time: t.UTC(), Raw: t.UTC().Format(time.RFC3339)}
}

// reportAge says how old the credential report is: "45 min", "3 h 10 min".
func reportAge(now, generated time.Time) string {
	d := now.Sub(generated)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// credentialEvidence is the freshness evidence of a check that judges the
// credential report: its time and age, and the users read live.
func credentialEvidence(now time.Time, rep *awsops.CredentialReport) []Evidence {
	ev := []Evidence{
		kv("report_generated_at", rep.GeneratedAt.UTC().Format(time.RFC3339)),
		kv("report_age", reportAge(now, rep.GeneratedAt)),
	}
	if n := liveUsers(rep); len(n) > 0 {
		ev = append(ev, kv("users_read_live", listOf(n, 5)))
	}
	return ev
}

func liveUsers(rep *awsops.CredentialReport) []string {
	var out []string
	for _, u := range rep.Users {
		if u.Live {
			out = append(out, u.User)
		}
	}
	return out
}
