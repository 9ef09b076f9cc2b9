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
	"github.com/rootguard/rootguard/awsops/safetext"
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
	r.Raw = out.Content
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
//
// The parse is strict, because every verdict drawn from the report rests on
// it: a row whose field count differs from the header's, a user (root
// included) that appears twice, a column named twice, or a value outside
// the documented set (booleans, timestamps, N/A, no_information,
// not_supported) makes the whole report unreadable, with an error naming
// the row and column. Names and ARNs are sanitized (safetext.Text).
func ParseCredentialReport(data []byte) (*CredentialReport, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1 // checked below, with a clearer message
	header, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("empty credential report")
	}
	if err != nil {
		return nil, fmt.Errorf("credential report header: %w", err)
	}
	fields := len(header)
	var layout reportLayout
	for i := range layout {
		layout[i] = -1
	}
	for pos, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		for i, want := range reportColumns {
			if name != want {
				continue
			}
			if layout[i] >= 0 {
				return nil, fmt.Errorf("credential report names column %q twice", want)
			}
			layout[i] = pos
		}
	}
	if layout[colUser] < 0 {
		return nil, errors.New("credential report has no \"user\" column")
	}
	report := &CredentialReport{Users: make([]CredentialRow, 0, bytes.Count(data, []byte{'\n'}))}
	seen := make(map[string]struct{}, cap(report.Users))
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("credential report: %w", err)
		}
		if len(rec) != fields {
			return nil, fmt.Errorf("credential report row %d has %d fields, the header %d", line, len(rec), fields)
		}
		row, err := layout.row(rec)
		if err != nil {
			return nil, fmt.Errorf("credential report row %d: %w", line, err)
		}
		if _, dup := seen[row.User]; dup {
			return nil, fmt.Errorf(`credential report row %d: user "%s" appears twice`, line, safetext.Line(row.User))
		}
		seen[row.User] = struct{}{}
		if row.User == RootAccountUser {
			report.Root = &row
			continue
		}
		report.Users = append(report.Users, row)
	}
	return report, nil
}

// rowParser reads one record's columns, keeping the first bad value.
type rowParser struct {
	l   *reportLayout
	rec []string
	err error
}

func (p *rowParser) get(col int) string {
	if i := p.l[col]; i >= 0 {
		return strings.TrimSpace(p.rec[i])
	}
	return ""
}

func (p *rowParser) fail(col int, v string) {
	if p.err == nil {
		p.err = fmt.Errorf(`column %s has "%s", not a documented value`, reportColumns[col], safetext.Line(v))
	}
}

// flag reads a boolean column (true/false in any case; also not_supported
// where allowed). A missing column reads as false.
func (p *rowParser) flag(col int, notSupported bool) string {
	v := p.get(col)
	switch {
	case p.l[col] < 0:
		return ""
	case strings.EqualFold(v, "true"):
		return "true"
	case strings.EqualFold(v, "false"):
		return "false"
	case notSupported && strings.EqualFold(v, "not_supported"):
		return "not_supported"
	}
	p.fail(col, v)
	return ""
}

func (p *rowParser) stamp(col int) Stamp {
	v := p.get(col)
	if p.l[col] < 0 {
		return Stamp{}
	}
	st, ok := parseStamp(v)
	if !ok {
		p.fail(col, v)
	}
	return st
}

// name reads a region or service column: N/A (or another placeholder) or an
// identifier such as us-east-1 or s3.
func (p *rowParser) name(col int) string {
	v := p.get(col)
	if p.l[col] < 0 || isPlaceholder(v) {
		return ""
	}
	if !isIdentifier(v) {
		p.fail(col, v)
		return ""
	}
	return v
}

func (l *reportLayout) row(rec []string) (CredentialRow, error) {
	p := &rowParser{l: l, rec: rec}
	row := CredentialRow{
		User:                safetext.Text(p.get(colUser)),
		ARN:                 safetext.Text(p.get(colARN)),
		CreatedAt:           p.stamp(colCreated).Time,
		PasswordEnabled:     p.flag(colPasswordEnabled, true),
		PasswordLastUsed:    p.stamp(colPasswordLastUsed),
		PasswordLastChanged: p.stamp(colPasswordLastChanged),
		MFAActive:           p.flag(colMFAActive, false) == "true",
	}
	switch {
	case row.User == "":
		return row, errors.New("no user name")
	case l[colARN] >= 0 && !strings.HasPrefix(row.ARN, "arn:"):
		return row, fmt.Errorf(`column arn has "%s", not an ARN`, safetext.Line(row.ARN))
	}
	for k, base := range [2]int{colKey1, colKey2} {
		row.Keys[k] = KeyUsage{
			Active:          p.flag(base, false) == "true",
			LastRotated:     p.stamp(base + 1),
			LastUsed:        p.stamp(base + 2),
			LastUsedRegion:  p.name(base + 3),
			LastUsedService: p.name(base + 4),
		}
	}
	for c, base := range [2]int{colCert1, colCert2} {
		row.Certs[c] = CertUsage{Active: p.flag(base, false) == "true", LastRotated: p.stamp(base + 1)}
	}
	return row, p.err
}

// parseStamp reads a timestamp column: an ISO 8601 time, or N/A,
// no_information or not_supported (kept as Raw, with a zero time). ok is
// false for anything else, an empty value included.
func parseStamp(s string) (st Stamp, ok bool) {
	if isPlaceholder(s) {
		return Stamp{Raw: s}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Stamp{Time: t, Raw: s}, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05Z0700", s); err == nil {
		return Stamp{Time: t, Raw: s}, true
	}
	return Stamp{}, false
}

// isPlaceholder: the report's words for "no value".
func isPlaceholder(s string) bool {
	return strings.EqualFold(s, "N/A") || strings.EqualFold(s, "no_information") || strings.EqualFold(s, "not_supported")
}

// isIdentifier: letters, digits, dots, dashes and underscores.
func isIdentifier(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}
