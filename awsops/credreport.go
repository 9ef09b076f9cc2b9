package awsops

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
)

// reportMaxAge is how old a credential report may be before rootguard asks
// for a new one (AWS regenerates at most every four hours).
const reportMaxAge = 4 * time.Hour

const (
	permGetCredentialReport      = "iam:GetCredentialReport"
	permGenerateCredentialReport = "iam:GenerateCredentialReport"
)

// CredentialReport returns a report under four hours old: the existing one
// when it is fresh enough, otherwise a newly generated one (generate, then
// poll with a.ReportPoll backoff while AWS says it is in progress).
func (a *AWS) CredentialReport(ctx context.Context) (*CredentialReport, error) {
	out, err := a.API.IAM.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	switch code := errorCode(err); {
	case err == nil && fresh(out.GeneratedTime):
		return parseReportOutput(out)
	case err == nil, code == "ReportNotPresent", code == "ReportExpired":
		// stale or absent: generate below
	case code == "ReportInProgress":
		return a.pollCredentialReport(ctx)
	default:
		return nil, Wrap(permGetCredentialReport, err)
	}
	if _, err := a.API.IAM.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}); err != nil {
		return nil, Wrap(permGenerateCredentialReport, err)
	}
	return a.pollCredentialReport(ctx)
}

func fresh(generated *time.Time) bool {
	return generated != nil && time.Since(*generated) < reportMaxAge
}

func (a *AWS) pollCredentialReport(parent context.Context) (*CredentialReport, error) {
	ctx := parent
	if a.ReportPoll.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, a.ReportPoll.Timeout)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		out, err := a.API.IAM.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		if err == nil {
			return parseReportOutput(out)
		}
		if code := errorCode(err); code != "ReportInProgress" && code != "ReportNotPresent" {
			return nil, a.pollError(parent, err)
		}
		if err := sleep(ctx, a.ReportPoll.next(attempt)); err != nil {
			return nil, a.pollError(parent, err)
		}
	}
}

// pollError tells our own timeout apart from the caller's cancellation.
func (a *AWS) pollError(parent context.Context, err error) error {
	if parent.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: KindOther, Permission: permGetCredentialReport, Err: err,
			Message: fmt.Sprintf("the credential report was still being generated after %s; try again in a minute", a.ReportPoll.Timeout)}
	}
	return Wrap(permGetCredentialReport, err)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func parseReportOutput(out *iam.GetCredentialReportOutput) (*CredentialReport, error) {
	r, err := ParseCredentialReport(out.Content)
	if err != nil {
		return nil, &Error{Kind: KindOther, Permission: permGetCredentialReport, Err: err,
			Message: "the credential report could not be read: " + err.Error()}
	}
	r.GeneratedAt = aws.ToTime(out.GeneratedTime)
	return r, nil
}

// errorCode is the AWS error code of err, or "".
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// RootAccountUser is the user column of the root row.
const RootAccountUser = "<root_account>"

// reportColumns are the credential report columns rootguard reads, in the
// order of the indexes in reportLayout.
var reportColumns = [...]string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

const (
	colUser = iota
	colARN
	colCreated
	colPasswordEnabled
	colPasswordLastUsed
	colPasswordLastChanged
	colMFAActive
	colKey1  // five columns per key: active, rotated, used, region, service
	colKey2  = colKey1 + 5
	colCert1 = colKey2 + 5 // two columns per cert: active, rotated
	colCert2 = colCert1 + 2
	numCols  = colCert2 + 2
)

// reportLayout maps each known column to its position in the file (-1 when
// the file lacks it).
type reportLayout [numCols]int

// ParseCredentialReport parses an IAM credential report CSV. Columns are
// found by header name, so missing or reordered columns are tolerated; only
// "user" is required. The <root_account> row goes to Root, every other row
// to Users. GeneratedAt is left zero (it comes from the API, not the CSV).
func ParseCredentialReport(data []byte) (*CredentialReport, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("empty credential report")
	}
	if err != nil {
		return nil, fmt.Errorf("credential report header: %w", err)
	}
	var layout reportLayout
	for i := range layout {
		layout[i] = -1
	}
	for pos, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		for i, want := range reportColumns {
			if name == want {
				layout[i] = pos
			}
		}
	}
	if layout[colUser] < 0 {
		return nil, errors.New("credential report has no \"user\" column")
	}
	report := &CredentialReport{Users: make([]CredentialRow, 0, bytes.Count(data, []byte{'\n'}))}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("credential report: %w", err)
		}
		row := layout.row(rec)
		if row.User == "" {
			continue
		}
		if row.User == RootAccountUser {
			report.Root = &row
			continue
		}
		report.Users = append(report.Users, row)
	}
	return report, nil
}

func (l *reportLayout) row(rec []string) CredentialRow {
	get := func(col int) string {
		if p := l[col]; p >= 0 && p < len(rec) {
			return strings.TrimSpace(rec[p])
		}
		return ""
	}
	row := CredentialRow{
		User:                get(colUser),
		ARN:                 get(colARN),
		CreatedAt:           parseStamp(get(colCreated)).Time,
		PasswordEnabled:     normalizeFlag(get(colPasswordEnabled)),
		PasswordLastUsed:    parseStamp(get(colPasswordLastUsed)),
		PasswordLastChanged: parseStamp(get(colPasswordLastChanged)),
		MFAActive:           parseBool(get(colMFAActive)),
	}
	for k, base := range [2]int{colKey1, colKey2} {
		row.Keys[k] = KeyUsage{
			Active:          parseBool(get(base)),
			LastRotated:     parseStamp(get(base + 1)),
			LastUsed:        parseStamp(get(base + 2)),
			LastUsedRegion:  orEmpty(get(base + 3)),
			LastUsedService: orEmpty(get(base + 4)),
		}
	}
	for c, base := range [2]int{colCert1, colCert2} {
		row.Certs[c] = CertUsage{Active: parseBool(get(base)), LastRotated: parseStamp(get(base + 1))}
	}
	return row
}

// parseStamp keeps the raw text and a time when the text is one.
func parseStamp(s string) Stamp {
	if s == "" || !isDigit(s[0]) {
		return Stamp{Raw: s} // N/A, no_information, not_supported
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Stamp{Time: t, Raw: s}
	}
	if t, err := time.Parse("2006-01-02T15:04:05Z0700", s); err == nil {
		return Stamp{Time: t, Raw: s}
	}
	return Stamp{Raw: s}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func parseBool(s string) bool { return strings.EqualFold(s, "true") }

// normalizeFlag lower-cases TRUE/FALSE and keeps other values (not_supported).
func normalizeFlag(s string) string {
	switch {
	case strings.EqualFold(s, "true"):
		return "true"
	case strings.EqualFold(s, "false"):
		return "false"
	}
	return strings.ToLower(s)
}

// orEmpty maps the report's placeholders to "".
func orEmpty(s string) string {
	switch strings.ToLower(s) {
	case "n/a", "no_information", "not_supported":
		return ""
	}
	return s
}
