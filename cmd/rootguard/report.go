package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/steps/render"
)

const reportLong = `Check the account and write a shareable report, Markdown or a self-contained
HTML page, with the progress over time from the saved runs. Reads only; the
run is saved like check's. --redact masks the account ID, the alias, emails
and phone numbers for sharing outside the team.

--handout writes a printable HTML page instead (A4 or Letter): for every
open item, its numbered console steps, its link and a QR code of the link,
to hand out at a workshop or to work through next to the console.

--credential-report FILE saves the current IAM credential report instead,
as the CSV AWS returns, readable by you alone (mode 0600). It lists every
user of the account: keep it private. It is never put in saved progress
or in reports.`

// reportOptions are the flags of `rootguard report`.
type reportOptions struct {
	account accountFlags
	state   stateFlags
	format  string
	out     string
	redact  bool
	handout bool
	// credentialReport is where to save the credential report's CSV.
	credentialReport string
}

func newReportCmd(g *globalFlags, ios IOStreams, d deps) *cobra.Command {
	var o reportOptions
	c := &cobra.Command{
		Use:   "report",
		Short: "write a shareable Markdown or HTML report with progress over time",
		Long:  reportLong,
		Example: `rootguard --demo report --out report.html
rootguard report --format markdown --redact
rootguard --demo report --handout --out handout.html
rootguard report --credential-report credential-report.csv`,
		Args:        noArgs,
		Annotations: map[string]string{resetDemoApplies: "yes"},
		RunE: func(c *cobra.Command, _ []string) error {
			o.account, o.state = g.account, g.state
			return runReport(c.Context(), o, ios, d)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	c.Flags().StringVar(&o.format, "format", "", "markdown or html (default: from --out's extension, else markdown)")
	c.Flags().StringVar(&o.out, "out", "", "write the report to FILE instead of standard output")
	c.Flags().BoolVar(&o.redact, "redact", false, "mask the account ID (1111****3333), hide the alias, mask emails and phone numbers")
	c.Flags().BoolVar(&o.handout, "handout", false, "write a printable HTML handout of the open items (console steps, links, QR codes)")
	c.Flags().StringVar(&o.credentialReport, "credential-report", "", "save the current IAM credential report as CSV to FILE (mode 0600) instead of a report")
	completeWords(c, "format", "markdown", "html")
	return c
}

// runReport checks the account and writes a shareable report (Markdown or
// a self-contained HTML page) with the progress over time.
func runReport(ctx context.Context, o reportOptions, ios IOStreams, d deps) error {
	if o.credentialReport != "" {
		if o.out != "" || o.format != "" || o.redact || o.handout {
			return usageErr("--credential-report saves the CSV only: use it without --out, --format, --redact and --handout")
		}
		return saveExport(ctx, "credential-report", o.credentialReport, o.account, o.state, ios, d)
	}
	af, sf, format, out, redact := o.account, o.state, o.format, o.out, o.redact
	if format == "" && o.handout {
		format = "html"
	}
	if format == "" {
		format = "markdown"
		if ext := strings.ToLower(filepath.Ext(out)); ext == ".html" || ext == ".htm" {
			format = "html"
		}
	}
	var write func(*bytes.Buffer, render.Report, render.Options) error
	switch strings.ToLower(format) {
	case "markdown", "md":
		write = func(b *bytes.Buffer, r render.Report, o render.Options) error { return render.Markdown(b, r, o) }
	case "html":
		write = func(b *bytes.Buffer, r render.Report, o render.Options) error { return render.HTML(b, r, o) }
	default:
		return usageErr(fmt.Sprintf("--format %q: use markdown or html", format))
	}
	if o.handout {
		if strings.ToLower(format) != "html" {
			return usageErr("--handout is an HTML page: use it with --format html (or without --format)")
		}
		write = func(b *bytes.Buffer, r render.Report, o render.Options) error { return render.Handout(b, r, o) }
	}
	toFile := out != "" && out != "-"
	if toFile {
		// Before any AWS call: a path that cannot be written fails now,
		// not after the whole check.
		if err := checkWritable(out); err != nil {
			return err
		}
	}
	sess, err := openSession(ctx, af, sf, ios, d)
	if err != nil {
		return err
	}
	acct, id, st := sess.acct, sess.id, sess.store
	opts := steps.FactsOptions{Identity: &id, Now: d.now, Attestations: sess.attestations()}
	items := steps.All()
	prog := newProgress(ios, len(items)) // on a terminal only
	outs := steps.Run(ctx, steps.NewFacts(acct, opts), withTimeout(items, d.deadline()), prog.done)
	prog.finish()
	if ctx.Err() != nil {
		return errInterrupted
	}

	at := d.clock()()
	cur := progress.NewRun(at, id.ARN, "report", outs)
	rep := render.Report{Identity: id, Demo: af.Demo, GeneratedAt: at, Outcomes: outs, History: []progress.Run{cur}}
	var since string
	if st != nil {
		if prev, ok := st.Previous(); ok {
			since = progress.Diff(prev, cur).String() + " since the last run"
		}
		if err := st.RecordRun(cur); err != nil {
			warnf(ios, "%v", err)
		}
		rep.History, rep.Fixes = st.Runs(), st.Fixes()
	}

	var b bytes.Buffer
	if err := write(&b, rep, render.Options{Redact: redact, Location: at.Location()}); err != nil {
		return err
	}
	if !toFile {
		_, err := ios.Out.Write(b.Bytes())
		return err
	}
	// 0600: a report names the account's users, keys and contacts.
	if err := progress.WritePrivateFile(out, b.Bytes()); err != nil {
		return reportPathErr(out, err)
	}
	what := "Report"
	if o.handout {
		what = "Handout"
	}
	msg := fmt.Sprintf("%s written to %s (score %s", what, out, cur.Score())
	if since != "" {
		msg += "; " + since
	}
	fmt.Fprintln(ios.ErrOut, msg+").")
	return nil
}

// checkWritable makes sure the report can be written to path, leaving an
// existing file as it is and creating nothing. The report replaces path
// (progress.WritePrivateFile: a new file renamed over it), so what counts
// is that its directory takes a new file: a temporary file is made there,
// then removed. Nothing at path is opened or followed: a symbolic link
// there is replaced, never written through, and a directory, a named pipe
// or a device is refused.
func checkWritable(path string) error {
	if info, err := os.Lstat(path); err == nil {
		switch m := info.Mode(); {
		case m.IsDir():
			return usageErr(fmt.Sprintf("cannot write the report to %s: it is a directory", path))
		case !m.IsRegular() && m&fs.ModeSymlink == 0:
			return usageErr(fmt.Sprintf("cannot write the report to %s: it is not a regular file", path))
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".rootguard-report-*")
	if err != nil {
		return reportPathErr(path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// reportPathErr is exit 2 saying why the report cannot be written.
func reportPathErr(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return usageErr(fmt.Sprintf("cannot write the report to %s: %v", path, pe.Err))
	}
	return usageErr(fmt.Sprintf("cannot write the report to %s: %v", path, err))
}

// saveExport saves an item's export (steps.Export) to path, readable by the
// user alone and never through a symbolic link, with its warning on
// stderr. Nothing is recorded in saved progress.
func saveExport(ctx context.Context, itemID, path string, af accountFlags, sf stateFlags, ios IOStreams, d deps) error {
	it, ok := steps.Lookup(itemID)
	if !ok || it.Export == nil {
		return usageErr(itemID + " has nothing to save")
	}
	e := it.Export
	if err := checkExportPath(path); err != nil {
		return err
	}
	sess, err := openSession(ctx, af, sf, ios, d)
	if err != nil {
		return err
	}
	readCtx, cancel := context.WithTimeout(ctx, d.deadline())
	data, err := e.Data(readCtx, sess.acct)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		r := steps.Unknown(e.What, err)
		return &exitError{code: exitFindings, msg: r.Summary + "; nothing was saved. " + r.Todo}
	}
	warnf(ios, "%s", e.Warning)
	if err := progress.WritePrivateFile(path, data); err != nil {
		return &exitError{code: exitFindings, msg: fmt.Sprintf("could not save %s to %s: %v", e.What, path, err)}
	}
	fmt.Fprintf(ios.ErrOut, "Saved %s to %s (%d bytes, readable by you only).\n", e.What, path, len(data))
	return nil
}

// checkExportPath refuses, before any AWS call, a path that cannot take
// the file: stdout, a directory, a device or pipe, a missing directory.
func checkExportPath(path string) error {
	if path == "-" {
		return usageErr("--credential-report needs a file name (it is never written to standard output)")
	}
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() && info.Mode()&os.ModeSymlink == 0 {
		what := "not a regular file"
		if info.IsDir() {
			what = "a directory"
		}
		return usageErr(fmt.Sprintf("cannot save to %s: it is %s", path, what))
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".rootguard-export-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return usageErr(fmt.Sprintf("cannot save to %s: %v", path, err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
