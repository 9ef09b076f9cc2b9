package main

import "context"

func runPolicy(ctx context.Context, args []string, ios IOStreams, d deps) error {
	return usageErr("not built yet")
}
