package main

import (
	"encoding/json"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

func newSnapshotCmd(s *streams, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "snapshot",
		Short: "Capture everything a diagnosis reads, as a scenario file to attach to a bug report",
		Long: "snapshot runs the diagnosis and writes what it read (the service, tasks, task definition,\n" +
			"network, IAM, logs) to stdout in the scenario format, with environment values that look like\n" +
			"secrets redacted. `ecsdoctor diagnose --from case.json` diagnoses it again, offline.",
		Example: "  ecsdoctor snapshot --cluster shop --service api > case.json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := g.demoArgs(args, 0); err != nil {
				return err
			}
			b, req, closeSource, err := g.open(cmd)
			if err != nil {
				return err
			}
			defer closeSource()
			g2 := &awsx.Gatherer{R: b.R, Needs: workflow.RequiredPermissions}
			f, err := g2.Gather(cmd.Context(), req)
			if err != nil {
				return err
			}
			d := workflow.Diagnose(f)
			expect := &scenario.Expect{}
			for _, fi := range d.Findings {
				expect.Findings = append(expect.Findings, scenario.ExpectedFinding{ID: fi.ID, Attrs: fi.Attrs})
			}
			sc := scenario.FromFacts(f, time.Now(), expect)
			enc := json.NewEncoder(s.Out)
			enc.SetIndent("", "  ")
			return enc.Encode(sc)
		},
	}
}
