package demo

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/rootguard/rootguard/awsops"
)

// reportColumns are the credential report's columns, in AWS's order.
var reportColumns = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
	"password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

// reportCSV writes the report as AWS does, so the demo's saved CSV reads
// like a real one (and parses back to the same rows).
func reportCSV(r *awsops.CredentialReport) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(reportColumns)
	row := func(c awsops.CredentialRow, nextRotation string) {
		rec := []string{c.User, c.ARN, c.CreatedAt.UTC().Format(reportTime), c.PasswordEnabled, c.PasswordLastUsed.Raw,
			c.PasswordLastChanged.Raw, nextRotation, strconv.FormatBool(c.MFAActive)}
		for _, k := range c.Keys {
			rec = append(rec, strconv.FormatBool(k.Active), k.LastRotated.Raw, k.LastUsed.Raw, orNA(k.LastUsedRegion), orNA(k.LastUsedService))
		}
		for _, cert := range c.Certs {
			rec = append(rec, strconv.FormatBool(cert.Active), cert.LastRotated.Raw)
		}
		_ = w.Write(rec)
	}
	if r.Root != nil {
		row(*r.Root, "not_supported")
	}
	for _, u := range r.Users {
		row(u, "N/A")
	}
	w.Flush()
	return b.Bytes()
}

func orNA(s string) string {
	if s == "" {
		return "N/A"
	}
	return s
}
