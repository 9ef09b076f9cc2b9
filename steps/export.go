package steps

import (
	"context"
	"errors"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// Export is a file an item can save from the account, e.g. the credential
// report as CSV. The wizard offers it as a key on the item's step and the
// command line as a flag; both write it with progress.WritePrivateFile
// (0600, never through a symbolic link). What it holds never goes into
// saved progress or reports.
type Export struct {
	Label   string // the key's help, e.g. "save as CSV"
	What    string // what is saved, e.g. "the credential report"
	Warning string // what the file holds, said before and after it is written
	// FileName is the default file name for an account on a day.
	FileName func(account string, day time.Time) string
	// Data reads what to save.
	Data func(ctx context.Context, r awsops.Reader) ([]byte, error)
}

// credentialReportExport saves the credential report as AWS returned it.
var credentialReportExport = &Export{
	Label: "save as CSV",
	What:  "the credential report",
	Warning: "The file lists every user of the account with their passwords, MFA and access keys (no passwords or secret keys): " +
		"keep it private and delete it when you are done.",
	FileName: func(account string, day time.Time) string {
		return "credential-report-" + orText(account, "account") + "-" + day.Format("2006-01-02") + ".csv"
	},
	Data: CredentialReportCSV,
}

// CredentialReportCSV is the current credential report (under four hours
// old, generated when needed) as the CSV AWS returned, not re-encoded.
func CredentialReportCSV(ctx context.Context, r awsops.Reader) ([]byte, error) {
	rep, err := r.CredentialReport(ctx)
	if err != nil {
		return nil, err
	}
	if rep == nil || len(rep.Raw) == 0 {
		return nil, errors.New("AWS sent the credential report without its CSV")
	}
	return rep.Raw, nil
}
