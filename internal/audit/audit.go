// Package audit appends every change ecsdoctor makes to a JSON-lines log:
// when, by whom, what was called with which parameters, what happened, and
// how to undo it.
package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

// Entry is one applied (or attempted) fix.
type Entry struct {
	Time      time.Time         `json:"time"`
	CallerARN string            `json:"callerArn"`
	Account   string            `json:"account"`
	Region    string            `json:"region"`
	Cluster   string            `json:"cluster,omitempty"`
	Service   string            `json:"service,omitempty"`
	FixID     string            `json:"fixId"`
	Finding   string            `json:"finding,omitempty"`
	DryRun    bool              `json:"dryRun,omitempty"`
	Result    string            `json:"result"` // applied, already in place, dry run, failed
	Error     string            `json:"error,omitempty"`
	Calls     []awsx.CallRecord `json:"calls"`
	Undo      []string          `json:"undo,omitempty"` // in the order to run them
}

// DefaultPath is $XDG_STATE_HOME/ecsdoctor/audit.log, or
// ~/.local/state/ecsdoctor/audit.log when XDG_STATE_HOME is unset.
func DefaultPath() string {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "ecsdoctor", "audit.log")
}

// Append writes one entry as a JSON line. The file is private to the user:
// it names accounts, roles and resources.
func Append(path string, e Entry) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return f.Close()
}

// UndoCommands lists the undo commands of the calls, last call first.
func UndoCommands(calls []awsx.CallRecord) []string {
	var out []string
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Undo != "" {
			out = append(out, calls[i].Undo)
		}
	}
	return out
}
