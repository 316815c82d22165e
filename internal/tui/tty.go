package tui

import (
	"errors"
	"os"

	"github.com/charmbracelet/x/term"
)

// ErrNoTerminal says the interactive UI cannot run: stdin or stdout is not a
// terminal (a pipe, a file, CI). The message points at the headless command.
var ErrNoTerminal = errors.New("ecsdoctor's interactive mode needs a terminal (stdin and stdout must be a TTY); " +
	"in scripts and CI use `ecsdoctor diagnose --cluster NAME --service NAME` (add --output json for machines)")

// CheckTerminal returns ErrNoTerminal unless both in and out are terminals.
func CheckTerminal(in, out *os.File) error {
	if in == nil || out == nil || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return ErrNoTerminal
	}
	return nil
}

// noColorEnv honours https://no-color.org: any non-empty NO_COLOR.
func noColorEnv() bool { return os.Getenv("NO_COLOR") != "" }
