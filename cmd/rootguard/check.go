package main

import "context"

func runCheck(ctx context.Context, args []string, ios IOStreams, d deps) error {
	return usageErr("not built yet")
}
