package main

import (
	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/report"
)

func newDiagnoseCmd(s *streams, g *globalFlags) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "diagnose",
		Short: "Run the 7-step diagnosis headless and print it (text, json or markdown)",
		Example: "  ecsdoctor diagnose --cluster shop --service api\n" +
			"  ecsdoctor diagnose --demo no-endpoints            # the built-in demo account\n" +
			"  ecsdoctor diagnose --from case.json                # a snapshot, offline\n" +
			"  ecsdoctor diagnose --cluster shop --service api --output json | jq '.findings[].id'\n" +
			"  ecsdoctor diagnose --task arn:aws:ecs:us-east-1:123456789012:task/shop/0f1e... --output markdown",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := g.demoArgs(args, 0); err != nil {
				return err
			}
			format, err := report.ParseFormat(output)
			if err != nil {
				return &exitError{code: exitInput, msg: err.Error()}
			}
			b, req, closeSource, err := g.open(cmd)
			if err != nil {
				return err
			}
			defer closeSource()
			d, err := b.Diagnose(cmd.Context(), req, nil)
			if err != nil {
				return err
			}
			if err := report.Write(s.Out, d, format, report.Options{Color: s.colorEnabled(g.noColor)}); err != nil {
				return err
			}
			if d.HasErrors() {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text, json or markdown")
	return cmd
}
