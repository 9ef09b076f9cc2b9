package main

// Exit codes, in one place (documented in docs/exit-codes.md; a test keeps
// the two in step). Every error reaches exitCode (run.go), which prints its
// one line on stderr: fang's own error output is switched off.
const (
	exitOK          = 0   // everything passed (or n/a, attested)
	exitFindings    = 1   // something failed or warned (see --fail-on)
	exitUsage       = 2   // bad flags or input, or credentials that do not work
	exitInterrupted = 130 // ctrl+c
)

// exitError carries an exit code and a one-sentence message for stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(msg string) error { return &exitError{code: exitUsage, msg: msg} }
