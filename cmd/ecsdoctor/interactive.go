package main

import (
	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
)

// runInteractive opens the troubleshooter on b.
func runInteractive(cmd *cobra.Command, s *streams, g *globalFlags, b *backend.Backend) error {
	if !s.inTTY || !s.outTTY {
		return &exitError{code: exitInput, msg: "the interactive troubleshooter needs a terminal; for scripts and CI use `ecsdoctor diagnose` (add --demo NAME for the demo account)"}
	}
	return &exitError{code: exitInput, msg: "the interactive troubleshooter is not built yet; use `ecsdoctor diagnose --demo NAME`"}
}
