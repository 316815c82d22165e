package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// severityMarks match the step marks: an error fails its step, a warning
// warns.
var severityMarks = map[workflow.Severity]string{
	workflow.SeverityError:   "✗",
	workflow.SeverityWarning: "!",
	workflow.SeverityInfo:    "i",
}

// recommendedFix is the fix the workflow recommends (the first).
func recommendedFix(f workflow.Finding) *workflow.Fix {
	for i := range f.Fixes {
		if f.Fixes[i].Recommended {
			return &f.Fixes[i]
		}
	}
	if len(f.Fixes) > 0 {
		return &f.Fixes[0]
	}
	return nil
}

// findingRows renders the findings strip: one line per finding, coloured
// by severity, with the recommended fix and its cost at the end.
func findingRows(c *common, fs []workflow.Finding, width int) []row {
	st := c.styles
	if len(fs) == 0 {
		return []row{textRow(st.Faint.Render("No findings in this step."))}
	}
	rows := make([]row, 0, len(fs))
	for i, f := range fs {
		head := st.Severity(f.Severity).Render(severityMarks[f.Severity]) + " "
		fix := ""
		if fx := recommendedFix(f); fx != nil {
			fix = "fix " + fx.ID
			if cost := money(fx.MonthlyCostUSD); cost != "" {
				fix += " · " + cost
			}
			if n := len(f.Fixes); n > 1 {
				fix += " (+" + strconv.Itoa(n-1) + ")"
			}
		}
		room := width - 2 - ansi.StringWidth(fix) - 2
		if room < 24 {
			fix, room = "", width-2
		}
		title := fit(f.Title, room)
		if fix == "" {
			title = truncate(f.Title, room)
		}
		line := head + st.Severity(f.Severity).Render(title)
		if fix != "" {
			line += "  " + st.Faint.Render(fix)
		}
		rows = append(rows, openRow(line, target{kind: targetFinding, id: strconv.Itoa(i)}))
	}
	return rows
}

// findingCounts says how many errors and warnings a step has, in words.
func findingCounts(fs []workflow.Finding) string {
	if len(fs) == 0 {
		return "none"
	}
	errs, warns := severityCounts(fs)
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "error", "errors"))
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "warning", "warnings"))
	}
	if info := len(fs) - errs - warns; info > 0 {
		parts = append(parts, strconv.Itoa(info)+" info")
	}
	return strings.Join(parts, " · ")
}
