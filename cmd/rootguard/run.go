package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rootguard/rootguard/awsops"
	"github.com/rootguard/rootguard/awsops/safetext"
	"github.com/rootguard/rootguard/steps"
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
	// fixes lists the fixes `rootguard fix` offers (nil: steps.Fixes).
	fixes func() []steps.Fix
	// checkTimeout bounds each check and a fix's reads (0: steps.CheckTimeout).
	checkTimeout time.Duration
	// askStage reads a fix stage's answers at the terminal (nil: a huh
	// form on stderr).
	askStage stageAsker
}

func (d deps) fixList() []steps.Fix {
	if d.fixes != nil {
		return d.fixes()
	}
	return steps.Fixes()
}

func (d deps) deadline() time.Duration {
	if d.checkTimeout > 0 {
		return d.checkTimeout
	}
	return steps.CheckTimeout
}

func (d deps) clock() func() time.Time {
	if d.now != nil {
		return d.now
	}
	return time.Now
}

// accountFlags select the account; every command takes them alike.
type accountFlags struct {
	Demo bool
	// Scenario is the demo's scenario (demo.Scenarios) when Demo is set.
	Scenario string
	Profile  string
	Region   string
	// Latency (demo only, set by the wizard, not a flag): the demo account
	// answers with realistic per-call delays, so spinners show as on AWS.
	Latency bool
}

// globalFlags are the flags every command takes, before or after its name
// (`rootguard --demo check` and `rootguard check --demo`).
type globalFlags struct {
	account accountFlags
	state   stateFlags
}

func (g *globalFlags) register(fs *pflag.FlagSet) {
	registerDemoFlag(fs, &g.account)
	fs.StringVar(&g.account.Profile, "profile", "", "the AWS shared config profile (default: the standard credential chain)")
	fs.StringVar(&g.account.Region, "region", "", "home region for regional checks (default: from your AWS config, else us-east-1)")
	fs.StringVar(&g.state.Dir, "state-dir", "", "where saved progress is kept (default: your config directory/rootguard)")
	fs.BoolVar(&g.state.NoSave, "no-save", false, "keep nothing from this run (saved progress is still read; with --demo the demo starts fresh)")
	fs.BoolVar(&g.state.ResetDemo, "reset-demo", false, "with --demo: forget the saved demo of that scenario (its account state and progress) and start over")
}

// resetDemoApplies marks the commands --reset-demo means something to.
const resetDemoApplies = "reset-demo"

func run(ctx context.Context, args []string, ios IOStreams, d deps) int {
	if args == nil {
		args = []string{} // cobra reads os.Args for nil
	}
	root := newRootCmd(ios, d)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(flagErrorFunc(args))
	version, commit := buildVersion()
	err := fang.Execute(ctx, root,
		fang.WithVersion(version), fang.WithCommit(commit),
		// Errors are printed by exitCode, as one line on stderr.
		fang.WithErrorHandler(func(io.Writer, fang.Styles, error) {}))
	return exitCode(ctx, ios, err)
}

// buildVersion is the module version and VCS commit the binary was built
// from ("devel" for a build from a source tree without a version).
func buildVersion() (version, commit string) {
	version = "devel"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, ""
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		version = v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			commit = s.Value
		}
	}
	return version, commit
}

const rootLong = `rootguard: secure a new AWS account's root user and settings, one step at a time.

Without a command, rootguard opens the wizard: it checks every item live,
shows the evidence, previews each fix before anything is written, and
remembers your progress per account (in your config directory; --state-dir
DIR, --no-save). Try it without an AWS account: rootguard --demo (it
continues where you left off; --reset-demo starts over), or another demo
story with --demo=SCENARIO (e.g. --demo=org: an organization's management
account).

Global flags (--demo, --profile, --region, --state-dir, --no-save,
--reset-demo) go before or after the command. Exit codes: 0 ok, 1 findings
or a failed write, 2 bad input or credentials, 130 interrupted.`

func newRootCmd(ios IOStreams, d deps) *cobra.Command {
	g := &globalFlags{}
	var dryRun bool
	root := &cobra.Command{
		Use:   "rootguard",
		Short: "secure a new AWS account's root user and settings, one step at a time",
		Long:  rootLong,
		Example: `# the wizard on the built-in demo account
rootguard --demo
# the checklist for scripts and CI
rootguard check --format json
rootguard fix password-policy --preset recommended --yes`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				if err := scenarioWord(c, args[0]); err != nil {
					return err
				}
				return unknownCommand(c, args[0])
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error {
			return runWizard(c.Context(), wizardOptions{account: g.account, state: g.state, dryRun: dryRun}, ios, d)
		},
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			if g.state.ResetDemo && c.Annotations[resetDemoApplies] == "" {
				return usageErr(fmt.Sprintf("--reset-demo does not apply to `%s`", c.CommandPath()))
			}
			return nil
		},
		Annotations:       map[string]string{resetDemoApplies: "yes"},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	root.Flags().SortFlags = false
	root.PersistentFlags().SortFlags = false
	root.Flags().BoolVar(&dryRun, "dry-run", false, "show every fix's preview and never write to the account")
	g.register(root.PersistentFlags())
	registerGlobalCompletions(root)
	completeScenarios(root)

	root.AddCommand(
		newCheckCmd(g, ios, d),
		newFixCmd(g, ios, d),
		newAttestCmd(g, ios, d),
		newHistoryCmd(g, ios, d),
		newReportCmd(g, ios, d),
		newPolicyCmd(ios, d),
		newVersionCmd(ios),
		newCompletionCmd(ios),
	)
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultHelpCmd()
	// Every command's help flag now, so help looks the same however it is
	// asked for (--help, -h, rootguard help X).
	var prepare func(c *cobra.Command)
	prepare = func(c *cobra.Command) {
		c.Flags().SortFlags = false
		c.InitDefaultHelpFlag()
		for _, sub := range c.Commands() {
			prepare(sub)
		}
	}
	prepare(root)
	return root
}

// newVersionCmd prints what --version prints.
func newVersionCmd(ios IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print rootguard's version and the commit it was built from",
		Long:  "Print rootguard's version and the commit it was built from, as --version does.",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(ios.Out, "rootguard version %s\n", c.Root().Version)
			return err
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
}

// newHelpCmd is `rootguard help [command]`; a mistyped command gets one
// line with a suggestion, as everywhere.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "help about any command",
		Long:  "Show a command's help, as rootguard COMMAND --help does.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil {
				return usageErr(err.Error())
			}
			if len(rest) > 0 {
				if cmd.Args != nil {
					if err := cmd.Args(cmd, rest); err != nil {
						return err
					}
				}
				return usageErr(fmt.Sprintf("no help topic %q; run `rootguard --help` to see the commands", strings.Join(args, " ")))
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// noArgs refuses positional arguments.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		if err := scenarioWord(c, args[0]); err != nil {
			return err
		}
		return usageErr(fmt.Sprintf("unexpected argument %q", args[0]))
	}
	return nil
}

// exitCode maps an error to an exit code and prints its one sentence.
func exitCode(ctx context.Context, ios IOStreams, err error) int {
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, errInterrupted) {
		fmt.Fprintln(ios.ErrOut, "rootguard: interrupted")
		return exitInterrupted
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(ios.ErrOut, "rootguard: "+errorText(ee.msg))
		}
		return ee.code
	}
	fmt.Fprintln(ios.ErrOut, "rootguard: "+errorText(err.Error()))
	return exitUsage
}

var errInterrupted = errors.New("interrupted")

// errorText is an error message as printed: errors carry AWS's messages and
// file contents, so every unsafe character is made visible; the line
// breaks rootguard puts in a message (a list of bad fields) are kept.
func errorText(msg string) string { return safetext.Text(msg) }
