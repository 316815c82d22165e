package tui

import (
	"fmt"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// logsEvidence is step 4: the log groups, then the chosen task's own
// streams with their latest lines; the lines the knowledge base recognises
// as a failure are marked.
func logsEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	f := ec.facts()
	var rows []row
	if len(f.Logs.Groups) > 0 {
		rows = section(rows, st, "Log groups")
		for _, g := range f.Logs.Groups {
			mark, state := st.Good.Render("✓"), "exists"
			if !g.Found {
				mark, state = st.Bad.Render("✗"), st.Bad.Render("does not exist")
			}
			rows = append(rows, textRow(mark+" "+g.Name+"  "+st.Faint.Render(state)))
		}
	}
	task := f.ChosenTask()
	title := "Streams"
	if task != nil {
		title = "Streams of task " + shortTaskID(task.ID) + " (◆ in step 2)"
	}
	rows = section(rows, st, title)
	if len(f.Logs.Streams) == 0 {
		return append(rows, para(ec.width, st.Faint, "No log stream for this task: its containers never started, so they wrote nothing. The stop reason (step 3) says why.")...)
	}
	const tail = 12 // lines per stream here; the log viewer has them all
	for _, s := range f.Logs.Streams {
		head := fmt.Sprintf("%s · %s", s.Container, s.Name)
		if !s.Found {
			rows = append(rows, textRow(st.Faint.Render(head+" · no such stream")))
			continue
		}
		rows = append(rows, openRow(st.Bold.Render(head)+st.Faint.Render(fmt.Sprintf(" · %s · enter: all lines", plural(len(s.Events), "line", "lines"))),
			target{kind: targetLog, id: s.Group, sub: s.Name}))
		events := s.Events
		if len(events) > tail {
			rows = append(rows, textRow(st.Faint.Render(fmt.Sprintf("  … %d earlier lines", len(events)-tail))))
			events = events[len(events)-tail:]
		}
		for _, e := range events {
			rows = append(rows, logRow(ec, e))
		}
	}
	return rows
}

// logRow is one log line with its time; a recognised failure is marked.
func logRow(ec evidenceContext, e facts.LogEvent) row {
	st := ec.c.styles
	ts := "        "
	if e.Time != nil {
		ts = e.Time.UTC().Format("15:04:05")
	}
	msg := firstLine(e.Message)
	if _, bad := kb.ClassifyLogLine(e.Message); bad {
		return textRow(st.Marked.Render("▶ " + ts + " " + truncate(msg, ec.width-11)))
	}
	return textRow("  " + st.Faint.Render(ts) + " " + truncate(msg, ec.width-11))
}

// logLines is what the workflow already read of a stream, so the log
// viewer shows it at once while it asks for more.
func (wf *workflowView) logLines(group, stream string) []facts.LogEvent {
	if wf.d == nil || wf.d.Facts == nil {
		return nil
	}
	for _, s := range wf.d.Facts.Logs.Streams {
		if s.Group == group && s.Name == stream {
			return s.Events
		}
	}
	return nil
}
