package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/steps"
)

// Shell completion (rootguard completion bash|zsh|fish|powershell): the
// commands and flags come from cobra; item IDs, fix IDs and the values of
// the choice flags are completed from the checklist and the fixes.

// shells are the shells `rootguard completion` writes a script for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func newCompletionCmd(ios IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "completion SHELL",
		Short: "write the shell completion script for bash, zsh, fish or powershell",
		Long: `Write the script that completes rootguard's commands, flags, item IDs and
fix IDs in your shell, to standard output. For example:

  bash:        source <(rootguard completion bash)
               (or save it in /etc/bash_completion.d/rootguard)
  zsh:         rootguard completion zsh > "${fpath[1]}/_rootguard"
  fish:        rootguard completion fish > ~/.config/fish/completions/rootguard.fish
  powershell:  rootguard completion powershell | Out-String | Invoke-Expression`,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usageErr("name the shell: " + orList(shells))
			case len(args) > 1:
				return usageErr(fmt.Sprintf("unexpected argument %q", args[1]))
			}
			for _, sh := range shells {
				if sh == args[0] {
					return nil
				}
			}
			if hint := didYouMean(args[0], shells); hint != "" {
				return usageErr(fmt.Sprintf("unknown shell %q%s", args[0], hint))
			}
			return usageErr(fmt.Sprintf("unknown shell %q: use %s", args[0], orList(shells)))
		},
		ValidArgs: shells,
		RunE: func(c *cobra.Command, args []string) error {
			return writeCompletion(c.Root(), args[0], ios.Out)
		},
	}
}

// writeCompletion writes the completion script for shell, with the
// completions' descriptions.
func writeCompletion(root *cobra.Command, shell string, w io.Writer) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	}
	return root.GenPowerShellCompletionWithDesc(w)
}

func registerGlobalCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("state-dir", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	for _, name := range []string{"profile", "region"} {
		_ = root.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
}

// completeWords completes a flag with fixed words.
func completeWords(c *cobra.Command, flag string, words ...string) {
	_ = c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
}

// itemCompletions lists the checklist items (those keep accepts) with
// their titles.
func itemCompletions(keep func(steps.Item) bool) []cobra.Completion {
	var out []cobra.Completion
	for _, it := range steps.All() {
		if keep == nil || keep(it) {
			out = append(out, cobra.CompletionWithDesc(it.ID, it.Title))
		}
	}
	return out
}

// completeItems completes a flag with one item ID.
func completeItems(c *cobra.Command, flag string, keep func(steps.Item) bool) {
	_ = c.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return itemCompletions(keep), cobra.ShellCompDirectiveNoFileComp
	})
}

// completeItemList completes a comma-separated list of item IDs: the IDs
// not in the list yet, after what was typed up to the last comma.
func completeItemList(c *cobra.Command, flag string) {
	_ = c.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return listCompletions(toComplete, steps.IDs()), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}

// listCompletions completes the last entry of a comma-separated list.
func listCompletions(toComplete string, words []string) []cobra.Completion {
	head, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		head, last = toComplete[:i+1], toComplete[i+1:]
	}
	done := map[string]bool{}
	for _, w := range steps.SplitList(head) {
		done[w] = true
	}
	var out []cobra.Completion
	for _, w := range words {
		if !done[w] && strings.HasPrefix(w, last) {
			out = append(out, head+w)
		}
	}
	return out
}
