package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/tui"
)

// runInteractive opens the troubleshooter on b. Without a terminal it says
// so and points at the headless command.
func runInteractive(cmd *cobra.Command, s *streams, g *globalFlags, b *backend.Backend) error {
	if !s.inTTY || !s.outTTY {
		hint := "ecsdoctor diagnose --cluster C --service S"
		if b.Demo {
			hint = "ecsdoctor diagnose --demo SCENARIO"
		}
		return &exitError{code: exitInput, msg: "the interactive troubleshooter needs a terminal; for scripts and CI use `" + hint + "` (text, json or markdown)"}
	}
	return tui.Run(cmd.Context(), b, tui.Options{
		Cluster: g.cluster, Service: g.service, Task: g.task,
		Refresh:  time.Duration(g.refresh * float64(time.Second)),
		ReadOnly: g.readOnly, NoColor: g.noColor || !s.colorEnabled(g.noColor),
		Profile: b.Profile, Region: b.R.Region, Demo: b.Demo,
	})
}
