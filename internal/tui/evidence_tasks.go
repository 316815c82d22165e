package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// wideTable is the pane width from which a table keeps a long column on
// the same line; narrower panes put it on a line of its own.
const wideTable = 96

// stoppedTasksEvidence is step 2: the service's tasks, stopped ones first
// as ECS keeps them, with stop codes, ages and reasons.
func stoppedTasksEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	f := ec.facts()
	if len(f.Tasks) == 0 {
		return para(ec.width, st.Faint, "ECS keeps no task of this service: none stopped in the last hour and none runs.")
	}
	now := ec.c.now()
	var stopped, live []facts.Task
	for _, t := range f.Tasks {
		if t.LastStatus == "STOPPED" {
			stopped = append(stopped, t)
		} else {
			live = append(live, t)
		}
	}
	var rows []row
	wide := ec.width >= wideTable
	cols := []column{{"", 1}, {"TASK", 8}, {"STATUS", 7}, {"STOP CODE", 25}, {"AGE", 4}}
	if wide {
		cols = append(cols, column{"REASON", 0})
	}
	header := func(s string) string { return st.Header.Render(s) }
	if len(stopped) > 0 {
		rows = section(rows, st, fmt.Sprintf("Stopped tasks (%d), newest first", len(stopped)))
		head, _ := tableLines(cols, nil, ec.width, header)
		rows = append(rows, textRow(head))
		for _, t := range stopped {
			cells := []string{chosenMark(f, t), shortTaskID(t.ID), t.LastStatus, t.StopCode, age(now, t.StoppedAt)}
			if facts.RoutineStop(t) {
				cells[3] = st.Faint.Render(t.StopCode)
			} else {
				cells[2] = st.Bad.Render(t.LastStatus)
			}
			rows = append(rows, taskRows(ec, cols, cells, t.StoppedReason, t, wide)...)
		}
	}
	if len(live) > 0 {
		rows = section(rows, st, fmt.Sprintf("Running and pending tasks (%d)", len(live)))
		head, _ := tableLines([]column{{"", 1}, {"TASK", 8}, {"STATUS", 7}, {"HEALTH", 25}, {"AGE", 4}}, nil, ec.width, header)
		rows = append(rows, textRow(head))
		for _, t := range live {
			health := t.HealthStatus
			if health == "UNHEALTHY" {
				health = st.Bad.Render(health)
			}
			cells := []string{chosenMark(f, t), shortTaskID(t.ID), t.LastStatus, health, age(now, firstTime(t.StartedAt, t.CreatedAt))}
			rows = append(rows, taskRows(ec, cols, cells, "", t, wide)...)
		}
	}
	rows = append(rows, textRow(""), textRow(st.Faint.Render("◆ the task steps 3 and 4 look at · enter opens a task")))
	return rows
}

func taskRows(ec evidenceContext, cols []column, cells []string, reason string, t facts.Task, wide bool) []row {
	if wide {
		cells = append(cells, firstLine(reason))
	}
	_, lines := tableLines(cols, [][]string{cells}, ec.width, nil)
	rows := []row{openRow(lines[0], target{kind: targetTask, id: t.ARN})}
	if !wide && reason != "" {
		rows = append(rows, textRow(ec.c.styles.Faint.Render("  "+truncate(firstLine(reason), ec.width-2))))
	}
	return rows
}

func chosenMark(f *facts.Facts, t facts.Task) string {
	if t.ARN == f.ChosenTaskARN {
		return "◆"
	}
	return ""
}

// firstTime is the first time that is set.
func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

// stopReasonEvidence is step 3: the chosen task's stop reason verbatim, its
// containers' reasons and exit codes, and what the knowledge base makes of
// them.
func stopReasonEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	f := ec.facts()
	t := f.ChosenTask()
	if t == nil {
		return para(ec.width, st.Faint, "There is no task to look at.")
	}
	now := ec.c.now()
	var rows []row
	when := "stopped " + age(now, t.StoppedAt) + " ago"
	if t.LastStatus != "STOPPED" {
		when = strings.ToLower(t.LastStatus) + ", started " + age(now, firstTime(t.StartedAt, t.CreatedAt)) + " ago"
	}
	rows = append(rows, openRow(st.Bold.Render("Task "+t.ID)+" "+st.Faint.Render(when), target{kind: targetTask, id: t.ARN}))
	if t.StopCode != "" {
		rows = append(rows, kv(st, "Stop code", t.StopCode))
	}
	if t.StoppedReason != "" {
		rows = section(rows, st, "Stopped reason, as ECS wrote it")
		rows = append(rows, quoted(ec.width, st.Marked, t.StoppedReason)...)
	} else if t.LastStatus != "STOPPED" {
		rows = append(rows, para(ec.width, st.Faint, "This task has not stopped, so there is no stop reason; its health and logs are in steps 2 and 4.")...)
	}
	if len(t.Containers) > 0 {
		rows = section(rows, st, "Containers")
		rows = append(rows, containerRows(ec, t.Containers)...)
	}
	if fs := ec.d.FindingsOf(workflow.StepStopReason); len(fs) > 0 {
		rows = section(rows, st, "What it means")
		rows = explainFindings(rows, ec, fs)
	}
	return rows
}

// containerRows show each container's state, exit code with its meaning,
// health and reason.
func containerRows(ec evidenceContext, cs []facts.Container) []row {
	st := ec.c.styles
	var rows []row
	for _, c := range cs {
		parts := []string{st.Bold.Render(c.Name), c.LastStatus}
		if c.ExitCode != nil {
			exit := fmt.Sprintf("exit %d", *c.ExitCode)
			if *c.ExitCode != 0 {
				exit = st.Bad.Render(exit)
			}
			parts = append(parts, exit)
		}
		if c.HealthStatus != "" && c.HealthStatus != "UNKNOWN" {
			h := "health " + c.HealthStatus
			if c.HealthStatus == "UNHEALTHY" {
				h = st.Bad.Render(h)
			}
			parts = append(parts, h)
		}
		rows = append(rows, textRow(joinNonEmpty("  ", parts...)))
		if c.ExitCode != nil && *c.ExitCode != 0 {
			rows = append(rows, indented(ec.width, "  ", st.Faint, fmt.Sprintf("exit %d: %s", *c.ExitCode, kb.ExitCodeMeaning(*c.ExitCode)))...)
		}
		if c.Reason != "" {
			rows = append(rows, quoted(ec.width, st.Marked, c.Reason)...)
		}
	}
	return rows
}
