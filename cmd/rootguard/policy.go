package main

import (
	"context"
	"fmt"

	"github.com/rootguard/rootguard/awsops"
)

// runPolicy prints the least-privilege IAM policy rootguard needs: the
// checks' read permissions, plus the fixes' writes with --with-fixes.
func runPolicy(ctx context.Context, args []string, ios IOStreams, d deps) error {
	fs := newFlagSet("policy", "rootguard policy [--with-fixes]", ios)
	withFixes := fs.Bool("with-fixes", false, "also allow the writes rootguard's fixes make")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprintln(ios.Out, awsops.PolicyJSON(*withFixes))
	return err
}
