package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdoctor/ecsdoctor/internal/report"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// railTitles are the steps' names short enough for the rail; the evidence
// pane shows the full title.
var railTitles = map[workflow.StepID]string{
	workflow.StepEvents:         "Service events",
	workflow.StepStoppedTasks:   "Stopped tasks",
	workflow.StepStopReason:     "Stop reason",
	workflow.StepLogs:           "Logs",
	workflow.StepEndpoints:      "Endpoints & path",
	workflow.StepIAM:            "IAM execution role",
	workflow.StepSecurityGroups: "Security groups",
}

// statusMark is a step's mark: the spinner while its facts are on the way,
// else the mark the text report uses too.
func statusMark(c *common, s workflow.Status, running bool) string {
	if s == workflow.StatusPending && running && c.spin != "" {
		return c.styles.Status(s).Render(c.spin)
	}
	return c.styles.Status(s).Render(report.StatusMark(s))
}

// renderRail draws the seven steps with their marks and finding counts,
// then the diagnosis totals, in exactly height lines of railWidth cells.
func renderRail(c *common, steps []workflow.Step, selected int, focused, running bool, d *workflow.Diagnosis, height int) string {
	st := c.styles
	lines := make([]string, 0, height)
	title := " Steps"
	if focused {
		title = st.Accent.Render("▌") + "Steps"
	}
	lines = append(lines, st.Title.Render(title))
	for i, s := range steps {
		name := railTitles[s.ID]
		if name == "" {
			name = s.Title
		}
		count := ""
		if n := len(s.Findings); n > 0 {
			count = strconv.Itoa(n)
		}
		label := fit(fmt.Sprintf("%d %s", s.N, name), railWidth-7-len(count)) + " " + count
		if i == selected {
			line := fit("› "+report.StatusMark(s.Status)+" "+label, railWidth-1)
			if s.Status == workflow.StatusPending && running && c.spin != "" {
				line = fit("› "+ansi.Strip(c.spin)+" "+label, railWidth-1)
			}
			if focused {
				line = st.Selected.Render(line)
			} else {
				line = st.Bold.Render(line)
			}
			lines = append(lines, line)
			continue
		}
		lines = append(lines, "  "+statusMark(c, s.Status, running)+" "+label)
	}
	lines = append(lines, "")
	lines = append(lines, railSummary(c, d, running)...)
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

func railSummary(c *common, d *workflow.Diagnosis, running bool) []string {
	st := c.styles
	var out []string
	if d != nil {
		errs, warns := severityCounts(d.Findings)
		// A count of none is faint: a red ✗ beside "0 errors" reads as a failure.
		counted := func(n int, sev workflow.Severity, text string) string {
			if n == 0 {
				return st.Faint.Render(text)
			}
			return st.Severity(sev).Render(text)
		}
		out = append(out,
			" "+counted(errs, workflow.SeverityError, report.StatusMark(workflow.StatusFail)+" "+plural(errs, "error", "errors"))+
				"  "+counted(warns, workflow.SeverityWarning, report.StatusMark(workflow.StatusWarn)+" "+strconv.Itoa(warns)+" warn"),
			st.Faint.Render(" "+plural(d.APICalls, "AWS API call", "AWS API calls")))
	}
	if running {
		out = append(out, " "+c.spin+st.Faint.Render(" reading AWS…"))
	}
	return out
}

func severityCounts(fs []workflow.Finding) (errs, warns int) {
	for _, f := range fs {
		switch f.Severity {
		case workflow.SeverityError:
			errs++
		case workflow.SeverityWarning:
			warns++
		}
	}
	return errs, warns
}
