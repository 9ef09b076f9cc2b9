package main

import "context"

// runWizard opens the interactive wizard. (Owned by the TUI work.)
func runWizard(ctx context.Context, args []string, ios IOStreams, d deps) error {
	return usageErr("the wizard is not built yet; use `rootguard check`")
}
