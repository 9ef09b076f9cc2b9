package main

import "os"

// signalHelper is the process TestSecondInterruptEndsTheProcess signals
// (TestMain runs it when ROOTGUARD_SIGNAL_HELPER=1): interruptContext, then
// a command that never ends.
func signalHelper() {
	ctx, _ := interruptContext()
	os.Stdout.WriteString("ready\n")
	<-ctx.Done()
	os.Stdout.WriteString("canceled\n")
	select {} // stuck, as a read on a dead endpoint would be
}
