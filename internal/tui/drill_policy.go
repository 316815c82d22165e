package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// policyDrill is one policy document, pretty-printed, with the statements
// that decide the IAM step's verdicts marked and what they decide named.
func policyDrill(ec evidenceContext, t target) (string, []row) {
	st := ec.c.styles
	var p *policyRef
	for _, ref := range rolePolicies(ec.d) {
		if ref.ID == t.id {
			p = &ref
			break
		}
	}
	if p == nil {
		return "Policy " + policyCrumb(t.id), para(ec.width, st.Faint, "This policy's document was not read.")
	}
	heading := "Policy " + p.Name + " · " + p.Kind
	var rows []row
	if p.ID != policyTrust && strings.HasPrefix(p.ID, "arn:") {
		rows = append(rows, kvRows(ec, "ARN", p.ID)...)
	}
	if p.Document == "" {
		return heading, append(rows, para(ec.width, st.Faint, "The document was not read.")...)
	}
	marks := decidingStatements(ec.d, *p)
	if len(marks) > 0 {
		rows = append(rows, textRow(st.Marked.Render("▶")+st.Faint.Render(" marks the statements that decide a permission the task needs")))
	} else {
		rows = append(rows, textRow(st.Faint.Render("No statement of this policy decides a permission the task needs.")))
	}
	rows = append(rows, textRow(""))
	head, stmts, tail := prettyStatements(p.Document)
	for _, l := range head {
		rows = append(rows, textRow("  "+l))
	}
	for i, lines := range stmts {
		why, marked := marks[i]
		for _, l := range foldLines(lines, ec.width-2) {
			if marked {
				rows = append(rows, textRow(st.Marked.Render("▶ "+l)))
			} else {
				rows = append(rows, textRow("  "+l))
			}
		}
		if marked {
			sort.Strings(why)
			rows = append(rows, textRow(st.Faint.Render("      ↑ decides "+strings.Join(why, ", "))))
		}
	}
	for _, l := range tail {
		rows = append(rows, textRow("  "+l))
	}
	return heading, rows
}

// foldLines breaks document lines wider than width, continuing under their
// own indentation, so a long ARN is read whole rather than cut.
func foldLines(lines []string, width int) []string {
	var out []string
	for _, l := range lines {
		indent := len(l) - len(strings.TrimLeft(l, " ")) + 2
		for ansi.StringWidth(l) > width && width > indent+8 {
			out = append(out, ansi.Cut(l, 0, width))
			l = strings.Repeat(" ", indent) + ansi.Cut(l, width, ansi.StringWidth(l))
		}
		out = append(out, l)
	}
	return out
}
