// Command rootguard walks the owner of an AWS account through hardening the
// root user and the account settings.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], systemIO(), defaultDeps())
	stop()
	os.Exit(code)
}
