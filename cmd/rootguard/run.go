package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rootguard/rootguard/awsops"
)

// deps are what commands need from the outside world; tests replace them.
// Everything is lazy, so --help never touches AWS.
type deps struct {
	// connect opens the account the flags name: the demo or AWS.
	connect func(ctx context.Context, opts accountFlags) (awsops.Account, error)
	now     func() time.Time
	// stateDir is the default directory for saved progress (--state-dir
	// overrides it); nil means progress.DefaultDir.
	stateDir func() (string, error)
}

// accountFlags select the account; every subcommand takes them alike.
type accountFlags struct {
	Demo    bool
	Profile string
	Region  string
	// Latency (demo only, set by the wizard, not a flag): the demo account
	// answers with realistic per-call delays, so spinners show as on AWS.
	Latency bool
}

func (a *accountFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&a.Demo, "demo", false, "use the built-in demo account (no AWS credentials, no network)")
	fs.StringVar(&a.Profile, "profile", "", "AWS shared config profile (default: the standard credential chain)")
	fs.StringVar(&a.Region, "region", "", "home region for regional checks (default: from your AWS config, else us-east-1)")
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, ios IOStreams, d deps) error
}

// commands lists the subcommands in help order. The wizard is the default.
func commands() []command {
	return []command{
		{"check", "verify the checklist non-interactively (text, JSON or Markdown; exit codes for CI)", runCheck},
		{"policy", "print the least-privilege IAM policy rootguard's checks need", runPolicy},
		{"history", "list past runs with their scores, or one item over time (--item ID)", runHistory},
		{"report", "write a shareable Markdown or HTML report with progress over time", runReport},
		{"fix", "apply one fix non-interactively: plan, --yes to apply, re-check (fix --list)", runFix},
	}
}

func run(ctx context.Context, args []string, ios IOStreams, d deps) int {
	err := dispatch(ctx, args, ios, d)
	return exitCode(ctx, ios, err)
}

func dispatch(ctx context.Context, args []string, ios IOStreams, d deps) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name := args[0]
		for _, c := range commands() {
			if c.name == name {
				return c.run(ctx, args[1:], ios, d)
			}
		}
		if name == "help" {
			printUsage(ios.Out)
			return nil
		}
		return usageErr(fmt.Sprintf("unknown command %q; run `rootguard --help` to see the commands", name))
	}
	if isHelpRequest(args) {
		ios.ErrOut = ios.Out // asked-for help is output, not an error
	}
	return runWizard(ctx, args, ios, d)
}

// mentionsHelp reports whether a help flag appears among the flags.
func mentionsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}

// isHelpRequest reports whether args only ask for help (-h, --help).
func isHelpRequest(args []string) bool {
	return len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help")
}

// exitCode maps an error to an exit code and prints its one sentence.
func exitCode(ctx context.Context, ios IOStreams, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, errInterrupted) {
		fmt.Fprintln(ios.ErrOut, "rootguard: interrupted")
		return exitInterrupted
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(ios.ErrOut, "rootguard: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(ios.ErrOut, "rootguard: "+err.Error())
	return exitUsage
}

var errInterrupted = errors.New("interrupted")

// newFlagSet makes a subcommand's flag set that reports errors, not exits.
// What it prints while parsing (usage, flag errors) goes to stdout for an
// explicit -h/--help and to stderr otherwise; a Usage func should write to
// fs.Output().
func newFlagSet(name, usage string, ios IOStreams) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(&flagOutput{ios: ios})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// flagOutput routes what the flag package prints during Parse: when the
// arguments ask for help it is held until parseFlags knows whether help was
// given (stdout) or an error came first (stderr); otherwise, and after
// parsing, it goes straight to stderr, in order with other error output.
type flagOutput struct {
	ios    IOStreams
	hold   bool
	buf    bytes.Buffer
	parsed bool
}

func (o *flagOutput) Write(p []byte) (int, error) {
	if o.parsed || !o.hold {
		return o.ios.ErrOut.Write(p)
	}
	return o.buf.Write(p)
}

// flush sends what was held to stdout (help) or stderr.
func (o *flagOutput) flush(help bool) {
	w := o.ios.ErrOut
	if help {
		w = o.ios.Out
	}
	_, _ = o.buf.WriteTo(w)
	o.parsed = true
}

// parseFlags parses args and turns a flag error into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, _ := fs.Output().(*flagOutput)
	if out != nil {
		out.hold = mentionsHelp(args)
	}
	err := fs.Parse(args)
	if out != nil {
		out.flush(errors.Is(err, flag.ErrHelp))
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: exitUsage} // the flag package already printed why
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, `rootguard: secure a new AWS account's root user and settings, one step at a time.

Usage:
  rootguard [--demo] [--profile NAME] [--region REGION]   open the wizard
  rootguard <command> [flags]

Commands:`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Try it without an AWS account:  rootguard --demo   (it continues where you left off; --reset-demo starts over)
Progress is saved per account in your config directory: --state-dir DIR, --no-save.
Run 'rootguard <command> --help' for a command's flags.`)
}
