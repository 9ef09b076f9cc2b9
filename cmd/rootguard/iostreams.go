package main

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the program's standard streams; tests use buffers.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer // data only (JSON, reports)
	ErrOut io.Writer // progress, warnings, errors
	// OutIsTerminal / InIsTerminal / ErrIsTerminal tell whether a person is there.
	OutIsTerminal bool
	InIsTerminal  bool
	ErrIsTerminal bool
	// Env looks up environment variables (NO_COLOR, CI…).
	Env func(string) string
}

func systemIO() IOStreams {
	return IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutIsTerminal: term.IsTerminal(os.Stdout.Fd()),
		InIsTerminal:  term.IsTerminal(os.Stdin.Fd()),
		ErrIsTerminal: term.IsTerminal(os.Stderr.Fd()),
		Env:           os.Getenv,
	}
}
