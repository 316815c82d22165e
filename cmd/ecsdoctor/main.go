// Command ecsdoctor takes an engineer from "my ECS task won't start" to the
// root cause and a confirmed fix. This package only wires flags to the
// packages that do the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

// Exit codes (contract.md).
const (
	exitOK       = 0
	exitFindings = 1
	exitInput    = 2
	exitAccess   = 3
)

// exitError ends the program with a code; an empty message prints nothing.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	root := newRootCmd(newStreams())
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	return exitCode(err)
}

// exitCode prints an error as one line and returns its exit code.
func exitCode(err error) int {
	var ee *exitError
	code, msg := exitInput, err.Error()
	switch {
	case errors.As(err, &ee):
		code, msg = ee.code, ee.msg
	case awsx.IsInputError(err):
		code = exitInput
	case awsx.IsAccessError(err):
		code = exitAccess
	case errors.Is(err, context.Canceled):
		code, msg = 130, "interrupted"
	}
	if msg != "" {
		fmt.Fprintln(os.Stderr, "ecsdoctor: "+msg)
	}
	return code
}
