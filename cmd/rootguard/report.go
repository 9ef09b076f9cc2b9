package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rootguard/rootguard/steps"
	"github.com/rootguard/rootguard/steps/progress"
	"github.com/rootguard/rootguard/steps/render"
)

// runReport checks the account and writes a shareable report (Markdown or
// a self-contained HTML page) with the progress over time.
func runReport(ctx context.Context, args []string, ios IOStreams, d deps) error {
	var (
		af     accountFlags
		sf     stateFlags
		format string
		out    string
		redact bool
	)
	fs := newFlagSet("report", "rootguard report [--format markdown|html] [--out FILE] [--redact] [--state-dir DIR] [--no-save] [--demo [--reset-demo] | --profile NAME] [--region REGION]", ios)
	af.register(fs)
	sf.register(fs)
	fs.StringVar(&format, "format", "", "markdown or html (default: from --out's extension, else markdown)")
	fs.StringVar(&out, "out", "", "write the report to FILE instead of standard output")
	fs.BoolVar(&redact, "redact", false, "mask the account ID (1111****3333), hide the alias, mask emails and phone numbers")
	if err := parseFlags(fs, args); err != nil {
		return err
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
	sess, err := openSession(ctx, af, sf, ios, d)
	if err != nil {
		return err
	}
	acct, id, st := sess.acct, sess.id, sess.store
	opts := steps.FactsOptions{Identity: &id, Now: d.now, Attestations: sess.attestations()}
	fmt.Fprintln(ios.ErrOut, "Checking the account…")
	outs := steps.Run(ctx, steps.NewFacts(acct, opts), steps.All(), nil)
	if ctx.Err() != nil {
		return errInterrupted
	}

	at := d.now()
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
	if out == "" || out == "-" {
		_, err := ios.Out.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return usageErr(fmt.Sprintf("cannot write the report to %s: %v", out, pe.Err))
		}
		return usageErr(fmt.Sprintf("cannot write the report: %v", err))
	}
	msg := fmt.Sprintf("Report written to %s (score %s", out, cur.Score())
	if since != "" {
		msg += "; " + since
	}
	fmt.Fprintln(ios.ErrOut, msg+").")
	return nil
}
