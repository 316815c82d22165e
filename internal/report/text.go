package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Status marks, the same in the TUI's rail.
var statusMarks = map[workflow.Status]string{
	workflow.StatusOK:      "✓",
	workflow.StatusWarn:    "!",
	workflow.StatusFail:    "✗",
	workflow.StatusUnknown: "?",
	workflow.StatusSkipped: "–",
	workflow.StatusPending: "…",
}

// StatusMark is the one-character mark of a step status.
func StatusMark(s workflow.Status) string { return statusMarks[s] }

type painter struct{ on bool }

func (p painter) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p painter) status(s workflow.Status, text string) string {
	switch s {
	case workflow.StatusOK:
		return p.paint("32", text)
	case workflow.StatusWarn:
		return p.paint("33", text)
	case workflow.StatusFail:
		return p.paint("31;1", text)
	case workflow.StatusUnknown:
		return p.paint("35", text)
	}
	return p.paint("2", text)
}

func (p painter) severity(s workflow.Severity, text string) string {
	switch s {
	case workflow.SeverityError:
		return p.paint("31;1", text)
	case workflow.SeverityWarning:
		return p.paint("33", text)
	}
	return p.paint("36", text)
}

// WriteText writes the seven steps in order with their findings.
func WriteText(w io.Writer, d *workflow.Diagnosis, o Options) error {
	p := painter{on: o.Color}
	width := o.Width
	if width <= 0 {
		width = 100
	}
	var b strings.Builder
	t := d.Target
	fmt.Fprintf(&b, "%s %s › %s", p.paint("1", "ecsdoctor"), t.Cluster, nonEmpty(t.Service, "(no service)"))
	fmt.Fprintf(&b, "   account %s · %s\n", nonEmpty(t.Account, "?"), t.Region)
	if t.Task != "" {
		fmt.Fprintf(&b, "task %s\n", t.Task)
	}
	b.WriteString("\n")
	for _, s := range d.Steps {
		fmt.Fprintf(&b, "%s %d. %-34s %s\n", p.status(s.Status, StatusMark(s.Status)), s.N, s.Title, p.status(s.Status, string(s.Status)))
		if s.Detail != "" {
			writeWrapped(&b, s.Detail, "     ", width)
		}
		for _, f := range d.FindingsOf(s.ID) {
			writeFinding(&b, p, f, width)
		}
	}
	errs, warns := 0, 0
	for _, f := range d.Findings {
		switch f.Severity {
		case workflow.SeverityError:
			errs++
		case workflow.SeverityWarning:
			warns++
		}
	}
	fmt.Fprintf(&b, "\n%d error(s), %d warning(s) · %d AWS API calls", errs, warns, d.APICalls)
	if errs > 0 {
		b.WriteString(" · apply a fix with: ecsdoctor fix FIX-ID --cluster " + t.Cluster)
		if t.Service != "" {
			b.WriteString(" --service " + t.Service)
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, p painter, f workflow.Finding, width int) {
	fmt.Fprintf(b, "     %s %s  %s\n", p.severity(f.Severity, strings.ToUpper(string(f.Severity))), f.Title, p.paint("2", "["+f.ID+attrsText(f.Attrs)+"]"))
	writeWrapped(b, f.Detail, "       ", width)
	for _, e := range f.Evidence {
		writeWrapped(b, oneLine(e, 400), "       │ ", width)
	}
	for _, fx := range f.Fixes {
		cost := ""
		if fx.MonthlyCostUSD != nil {
			cost = fmt.Sprintf(" ($%.2f/month)", *fx.MonthlyCostUSD)
		}
		rec := ""
		if fx.Recommended {
			rec = " (recommended)"
		}
		fmt.Fprintf(b, "       fix %s%s: %s%s\n", p.paint("1", fx.ID), rec, fx.Title, cost)
	}
}

func attrsText(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		if k == "reason" {
			continue // the verbatim text is already shown as evidence
		}
		parts = append(parts, k+"="+m[k])
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, " ")
}

// writeWrapped wraps text at word boundaries with an indent.
func writeWrapped(b *strings.Builder, text, indent string, width int) {
	avail := width - len(indent)
	if avail < 20 {
		avail = 20
	}
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len(line)+1+len(word) > avail {
				b.WriteString(indent + line + "\n")
				line = ""
			}
			if line == "" {
				line = word
			} else {
				line += " " + word
			}
		}
		if line != "" {
			b.WriteString(indent + line + "\n")
		}
	}
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
