package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rootguard/rootguard/awsops"
)

func newPolicyCmd(ios IOStreams, d deps) *cobra.Command {
	var withFixes bool
	c := &cobra.Command{
		Use:   "policy",
		Short: "print the least-privilege IAM policy rootguard's checks need",
		Long: `Print the least-privilege IAM policy rootguard's checks need (JSON, to
attach to the identity you run rootguard with); --with-fixes also allows
the writes of every fix rootguard can apply (see rootguard fix --list).`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			var writes []string
			if withFixes {
				writes = fixWrites(d)
			}
			_, err := fmt.Fprintln(ios.Out, awsops.PolicyJSONWith(writes))
			return err
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	c.Flags().BoolVar(&withFixes, "with-fixes", false, "also allow the writes rootguard's fixes make")
	return c
}

// fixWrites lists every IAM action the available fixes may call, from the
// fixes themselves (a planned fix writes nothing yet).
func fixWrites(d deps) []string {
	var out []string
	for _, f := range d.fixList() {
		if f.Available() {
			out = append(out, f.Writes...)
		}
	}
	return out
}
