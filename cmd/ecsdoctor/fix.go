package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/report"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

func newFixCmd(s *streams, g *globalFlags) *cobra.Command {
	var dryRun, yes bool
	cmd := &cobra.Command{
		Use:   "fix FIX-ID",
		Short: "Apply one fix a diagnosis offers, after showing exactly what it changes",
		Long: "fix re-runs the diagnosis, shows the change FIX-ID makes (resources, AWS CLI commands, cost)\n" +
			"and applies it only after you confirm (or with --yes). --dry-run asks AWS with DryRun where the\n" +
			"API has it and otherwise prints the calls. Every change is written to the audit log.",
		Example: "  ecsdoctor fix create-interface-endpoint:logs --cluster shop --service api\n" +
			"  ecsdoctor fix attach-role-policy:TaskManagementSecretsAccess --cluster shop --service api --yes",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := g.demoArgs(args, 1)
			if err != nil {
				return err
			}
			if g.readOnly && !dryRun {
				return &exitError{code: exitInput, msg: "--read-only: no fix can be applied (use --dry-run to see what it would do)"}
			}
			b, req, closeSource, err := g.open(cmd)
			if err != nil {
				return err
			}
			defer closeSource()
			return runFix(cmd.Context(), s, b, req, args[0], dryRun, yes, g.targetFlags())
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "ask AWS with DryRun where the API has it; otherwise print the calls")
	cmd.Flags().BoolVar(&yes, "yes", false, "apply without asking")
	return cmd
}

func runFix(ctx context.Context, s *streams, b *backend.Backend, req awsx.Request, fixID string, dryRun, yes bool, targetFlags string) error {
	d, err := b.Diagnose(ctx, req, nil)
	if err != nil {
		return err
	}
	fix, finding := d.Fix(fixID)
	if fix == nil {
		if ok, why := workflow.FixInPlace(d, fixID); ok {
			fmt.Fprintf(s.Out, "%s: already in place (%s). Nothing to do.\n", fixID, why)
			return nil
		}
		return &exitError{code: exitInput, msg: fmt.Sprintf("fix %s is not offered for %s/%s right now%s", fixID, d.Target.Cluster, d.Target.Service, offered(d))}
	}
	report.WriteChange(s.Out, finding, fix)
	if dryRun {
		ctx = awsx.WithDryRunApproval(ctx, fix.ID, fix.Plan.Operations()...)
		res, err := b.ApplyFix(ctx, req, d, fix.ID, true)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.Out, "\nDry run:")
		report.WriteCalls(s.Out, res.Calls)
		if res.Err != nil {
			return &exitError{code: exitFindings, msg: res.Err.Error()}
		}
		return nil
	}
	if !yes {
		if !s.inTTY {
			return &exitError{code: exitInput, msg: "refusing to change AWS without confirmation: there is no terminal to ask on; pass --yes to apply " + fix.ID}
		}
		if !confirm(s, "\nApply this change? [y/N] ") {
			fmt.Fprintln(s.Out, "Cancelled: nothing was changed.")
			return nil
		}
	}
	ctx = awsx.WithApproval(ctx, fix.ID, fix.Plan.Operations()...)
	res, err := b.ApplyFix(ctx, req, d, fix.ID, false)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.Out)
	report.WriteCalls(s.Out, res.Calls)
	if res.AuditError != nil {
		fmt.Fprintf(s.Err, "ecsdoctor: warning: %v\n", res.AuditError)
	}
	if res.Err != nil {
		return &exitError{code: exitFindings, msg: res.Err.Error()}
	}
	switch {
	case res.InPlace():
		fmt.Fprintln(s.Out, "\nAlready in place: nothing was changed.")
	case res.Resolved:
		fmt.Fprintf(s.Out, "\nChecked again: %s is gone.\n", finding.ID)
	default:
		fmt.Fprintf(s.Out, "\nChecked again: %s is still reported; run ecsdoctor diagnose to see what remains.\n", finding.ID)
	}
	if res.Redeploy != nil {
		fmt.Fprintf(s.Out, "The change reaches only new tasks. Start a new deployment with:\n  ecsdoctor fix %s %s\n", res.Redeploy.ID, targetFlags)
	}
	return nil
}

func offered(d *workflow.Diagnosis) string {
	var ids []string
	for _, f := range d.Findings {
		for _, fx := range f.Fixes {
			ids = append(ids, fx.ID)
		}
	}
	if len(ids) == 0 {
		return " (the diagnosis offers no fix)"
	}
	return "; offered: " + strings.Join(ids, ", ")
}

func confirm(s *streams, prompt string) bool {
	fmt.Fprint(s.Out, prompt)
	line, _ := bufio.NewReader(s.In).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}
