package tui

import (
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// eventDrill is one service event in full, with what the knowledge base
// knows of it and the task it names.
func eventDrill(ec evidenceContext, t target) (string, []row) {
	st := ec.c.styles
	f := ec.facts()
	var rows []row
	if svc := f.Service; svc != nil {
		for _, e := range svc.Events {
			if e.ID == t.id {
				rows = append(rows, kv(st, "When", age(ec.c.now(), e.CreatedAt)+" ago"))
			}
		}
	}
	rows = section(rows, st, "Event, as ECS wrote it")
	rows = append(rows, quoted(ec.width, st.Marked, t.sub)...)
	if m, ok := kb.ClassifyEvent(t.sub); ok {
		rows = section(rows, st, "What it means")
		rows = append(rows, textRow(st.Bold.Render(m.Title)))
		rows = append(rows, para(ec.width, plain, m.Explanation)...)
		if m.Next != "" {
			rows = append(rows, para(ec.width, st.Faint, "Next: "+m.Next)...)
		}
	} else if kb.IsSteadyState(t.sub) {
		rows = append(rows, para(ec.width, st.Good, "The service was healthy at this point.")...)
	}
	if task := taskNamedIn(f, t.sub); task != nil {
		rows = section(rows, st, "The task it names")
		rows = append(rows, openRow(task.ID+"  "+task.LastStatus+st.Faint.Render(" · enter opens it"), target{kind: targetTask, id: task.ARN}))
	}
	return "Service event", rows
}
