package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// WriteMarkdown writes the diagnosis for an incident ticket: a summary
// table of the steps, then each finding with its evidence and fixes.
func WriteMarkdown(w io.Writer, d *workflow.Diagnosis) error {
	var b strings.Builder
	t := d.Target
	fmt.Fprintf(&b, "## ecsdoctor: %s / %s\n\n", t.Cluster, nonEmpty(t.Service, "(no service)"))
	fmt.Fprintf(&b, "Account `%s`, region `%s`", nonEmpty(t.Account, "?"), t.Region)
	if t.Task != "" {
		fmt.Fprintf(&b, ", task `%s`", t.Task)
	}
	b.WriteString(".\n\n| # | Step | Status | Findings |\n|---|---|---|---|\n")
	for _, s := range d.Steps {
		fmt.Fprintf(&b, "| %d | %s | %s %s | %s |\n", s.N, s.Title, StatusMark(s.Status), s.Status, mdCell(strings.Join(s.Findings, ", ")))
	}
	if len(d.Findings) == 0 {
		b.WriteString("\nNo findings.\n")
	}
	for _, f := range d.Findings {
		fmt.Fprintf(&b, "\n### %s: %s\n\n", strings.ToUpper(string(f.Severity)), f.Title)
		fmt.Fprintf(&b, "`%s` (step %s)%s\n\n%s\n", f.ID, f.Step, mdAttrs(f.Attrs), f.Detail)
		if len(f.Evidence) > 0 {
			b.WriteString("\n```text\n")
			for _, e := range f.Evidence {
				b.WriteString(strings.TrimSpace(e) + "\n")
			}
			b.WriteString("```\n")
		}
		for _, fx := range f.Fixes {
			cost := ""
			if fx.MonthlyCostUSD != nil {
				cost = fmt.Sprintf(", about $%.2f/month (%s)", *fx.MonthlyCostUSD, workflow.PriceNote)
			}
			rec := ""
			if fx.Recommended {
				rec = " (recommended)"
			}
			fmt.Fprintf(&b, "\n**Fix `%s`**%s: %s%s\n\n```sh\n%s\n```\n", fx.ID, rec, fx.Title, cost, strings.Join(fx.CLI, "\n"))
		}
	}
	for _, s := range d.Steps {
		if len(s.Unknown) > 0 {
			fmt.Fprintf(&b, "\n> Step %d could not be checked: %s\n", s.N, s.Detail)
		}
	}
	fmt.Fprintf(&b, "\n_%d AWS API calls._\n", d.APICalls)
	_, err := io.WriteString(w, b.String())
	return err
}

func mdAttrs(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		if k == "reason" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=`%s`", k, m[k]))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
