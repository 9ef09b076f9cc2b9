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
	ctx, stop := interruptContext()
	code := run(ctx, os.Args[1:], systemIO(), defaultDeps())
	stop()
	os.Exit(code)
}

// interruptContext is canceled by the first ctrl+c (or SIGTERM), which
// lets the command stop cleanly (exit 130). From then on the signals are no
// longer caught: a second ctrl+c ends the process at once, whatever is
// still running.
func interruptContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
