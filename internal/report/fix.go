package report

import (
	"fmt"
	"io"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// WriteChange prints what a fix will do, before anything happens: the
// finding, each change, the equivalent AWS CLI, cost, risk, trade-off and
// the alternatives.
func WriteChange(w io.Writer, finding *workflow.Finding, fix *workflow.Fix) {
	fmt.Fprintf(w, "Finding: %s [%s]\n", finding.Title, finding.ID)
	fmt.Fprintf(w, "Fix:     %s [%s]\n\nChanges:\n", fix.Title, fix.ID)
	for _, a := range fix.Plan.Actions {
		fmt.Fprintf(w, "  - %s\n", a.Describe())
	}
	fmt.Fprintln(w, "\nEquivalent AWS CLI:")
	for _, c := range fix.CLI {
		fmt.Fprintf(w, "  %s\n", c)
	}
	if fix.MonthlyCostUSD != nil {
		fmt.Fprintf(w, "\nCost: about $%.2f/month (%s)\n", *fix.MonthlyCostUSD, workflow.PriceNote)
	}
	if fix.Risk != "" {
		fmt.Fprintf(w, "Risk: %s\n", fix.Risk)
	}
	if fix.Tradeoff != "" {
		fmt.Fprintf(w, "Trade-off: %s\n", fix.Tradeoff)
	}
	for _, alt := range finding.Fixes {
		if alt.ID != fix.ID {
			cost := ""
			if alt.MonthlyCostUSD != nil {
				cost = fmt.Sprintf(" ($%.2f/month)", *alt.MonthlyCostUSD)
			}
			fmt.Fprintf(w, "Alternative: %s: %s%s\n", alt.ID, alt.Title, cost)
		}
	}
}

// WriteCalls prints what each call of an applied (or dry-run) fix did,
// with its undo command.
func WriteCalls(w io.Writer, calls []awsx.CallRecord) {
	for _, c := range calls {
		line := fmt.Sprintf("  %-34s %s", c.Operation, c.Outcome)
		if c.Resource != "" {
			line += " (" + c.Resource + ")"
		}
		fmt.Fprintln(w, line)
		if c.Error != "" {
			fmt.Fprintln(w, "    "+c.Error)
		}
		if c.Undo != "" {
			fmt.Fprintln(w, "    undo: "+c.Undo)
		}
	}
}
