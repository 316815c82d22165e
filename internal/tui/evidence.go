package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// evidenceContext is what a step's evidence renderer reads.
type evidenceContext struct {
	c       *common
	d       *workflow.Diagnosis
	err     error
	running bool
	width   int // text width of a row
}

func (ec evidenceContext) facts() *facts.Facts {
	if ec.d == nil || ec.d.Facts == nil {
		return &facts.Facts{}
	}
	return ec.d.Facts
}

// stepRenderers draw each step's evidence: what was looked at, including
// what is fine, so the user can check the verdict.
var stepRenderers = map[workflow.StepID]func(evidenceContext) []row{
	workflow.StepEvents:         eventsEvidence,
	workflow.StepStoppedTasks:   stoppedTasksEvidence,
	workflow.StepStopReason:     stopReasonEvidence,
	workflow.StepLogs:           logsEvidence,
	workflow.StepEndpoints:      endpointsEvidence,
	workflow.StepIAM:            iamEvidence,
	workflow.StepSecurityGroups: networkEvidence,
}

// buildEvidence is the evidence pane of one step: why it could not be
// decided (when so), then what the step looked at.
func buildEvidence(ec evidenceContext, step workflow.Step) []row {
	st := ec.c.styles
	var rows []row
	switch {
	case ec.d == nil && ec.err != nil:
		rows = append(rows, para(ec.width, st.Bad, "Could not diagnose: "+ec.err.Error())...)
		rows = append(rows, textRow(""))
		return append(rows, para(ec.width, st.Faint, "Press r to try again, or esc to pick another service.")...)
	case ec.d == nil:
		return para(ec.width, st.Faint, "Reading the service from AWS…")
	}
	switch step.Status {
	case workflow.StatusPending:
		rows = append(rows, para(ec.width, st.Faint, "Waiting for the facts this step reads…")...)
	case workflow.StatusUnknown:
		rows = append(rows, para(ec.width, st.Status(step.Status), step.Detail)...)
		for _, u := range step.Unknown {
			rows = append(rows, para(ec.width, st.Faint, "· "+u.Operation+" ("+u.Code+"): "+u.Message)...)
		}
		rows = append(rows, textRow(""))
	case workflow.StatusSkipped:
		rows = append(rows, para(ec.width, st.Faint, step.Detail)...)
		rows = append(rows, textRow(""))
	}
	if render := stepRenderers[step.ID]; render != nil {
		rows = append(rows, render(ec)...)
	}
	for len(rows) > 0 && ansi.Strip(rows[len(rows)-1].text) == "" {
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 0 {
		rows = para(ec.width, st.Faint, "Nothing to show for this step.")
	}
	return rows
}

// plain is text without style.
var plain = lipgloss.NewStyle()

// para wraps text into rows in one style.
func para(width int, style lipgloss.Style, text string) []row {
	var rows []row
	for _, line := range wrap(text, width) {
		rows = append(rows, textRow(style.Render(line)))
	}
	return rows
}

// indented wraps text under an indent (a finding's detail under its title).
func indented(width int, indent string, style lipgloss.Style, text string) []row {
	var rows []row
	for _, line := range wrap(text, width-len(indent)) {
		rows = append(rows, textRow(indent+style.Render(line)))
	}
	return rows
}

// quoted shows text AWS wrote, verbatim, behind a bar.
func quoted(width int, style lipgloss.Style, text string) []row {
	var rows []row
	for _, line := range wrap(text, width-4) {
		rows = append(rows, textRow("  │ "+style.Render(line)))
	}
	return rows
}

// section starts a titled block, after a blank line unless it is first.
func section(rows []row, st Styles, title string) []row {
	if len(rows) > 0 {
		rows = append(rows, textRow(""))
	}
	return append(rows, textRow(st.Header.Render(title)))
}

// kv is a label and a value, labels aligned.
func kv(st Styles, label, value string) row {
	return textRow(st.Faint.Render(fit(label, 14)) + " " + value)
}

// kvRows is kv with a long value wrapped under itself rather than cut.
func kvRows(ec evidenceContext, label, value string) []row {
	st := ec.c.styles
	lines := wrap(value, ec.width-15)
	rows := []row{kv(st, label, lines[0])}
	for _, l := range lines[1:] {
		rows = append(rows, textRow(strings.Repeat(" ", 15)+l))
	}
	return rows
}

// explainFindings lists findings in full: title, then the explanation.
func explainFindings(rows []row, ec evidenceContext, fs []workflow.Finding) []row {
	st := ec.c.styles
	for _, f := range fs {
		rows = append(rows, textRow(st.Severity(f.Severity).Render(severityMarks[f.Severity]+" "+f.Title)))
		rows = append(rows, indented(ec.width, "  ", plain, f.Detail)...)
	}
	return rows
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
