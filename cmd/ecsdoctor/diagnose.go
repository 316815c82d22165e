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
			"  ecsdoctor diagnose --cluster shop --service api --output json | jq '.findings[].id'\n" +
			"  ecsdoctor diagnose --task arn:aws:ecs:us-east-1:123456789012:task/shop/0f1e... --output markdown",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := report.ParseFormat(output)
			if err != nil {
				return &exitError{code: exitInput, msg: err.Error()}
			}
			req, err := g.target()
			if err != nil {
				return err
			}
			b, closeLog, err := g.backend(cmd)
			if err != nil {
				return err
			}
			defer closeLog()
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
