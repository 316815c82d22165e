package main

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// streams are the program's standard streams, swappable in tests.
type streams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	inTTY  bool
	outTTY bool
}

func newStreams() *streams {
	return &streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		inTTY:  term.IsTerminal(os.Stdin.Fd()),
		outTTY: term.IsTerminal(os.Stdout.Fd()),
	}
}

// colorEnabled: colour only on a terminal, and never when NO_COLOR is set
// (https://no-color.org) or --no-color is given.
func (s *streams) colorEnabled(noColor bool) bool {
	if noColor || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return s.outTTY
}
