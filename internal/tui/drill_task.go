package tui

import (
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// taskDrill is one task: its definition and placement, times, stop code and
// reason verbatim, containers with exit codes and health, and its own log
// streams (enter opens one in the log viewer).
func taskDrill(ec evidenceContext, t target) (string, []row) {
	st := ec.c.styles
	f := ec.facts()
	var task *facts.Task
	for i := range f.Tasks {
		if f.Tasks[i].ARN == t.id {
			task = &f.Tasks[i]
		}
	}
	if task == nil {
		return "Task " + shortTaskID(t.id), para(ec.width, st.Faint, "This task is no longer in the diagnosis (ECS forgets stopped tasks after about an hour).")
	}
	now := ec.c.now()
	heading := "Task " + task.ID + " · " + task.LastStatus
	var rows []row
	if task.ARN == f.ChosenTaskARN {
		rows = append(rows, textRow(st.Faint.Render("◆ the task steps 3 and 4 look at")))
	}
	rows = append(rows,
		kv(st, "Task def", lastSegment(task.TaskDefinitionARN)),
		kv(st, "Launch", joinNonEmpty(" · ", task.LaunchType, task.PlatformVersion, task.AvailabilityZone)),
		kv(st, "Started by", task.StartedBy),
	)
	rows = append(rows, kvRows(ec, "Times", "created "+age(now, task.CreatedAt)+" ago · started "+age(now, task.StartedAt)+" ago · stopped "+age(now, task.StoppedAt)+" ago")...)
	if task.HealthStatus != "" {
		rows = append(rows, kv(st, "Health", task.HealthStatus))
	}
	if task.StopCode != "" {
		rows = append(rows, kv(st, "Stop code", task.StopCode))
	}
	if task.StoppedReason != "" {
		rows = section(rows, st, "Stopped reason, as ECS wrote it")
		rows = append(rows, quoted(ec.width, st.Marked, task.StoppedReason)...)
	}
	if len(task.Containers) > 0 {
		rows = section(rows, st, "Containers")
		rows = append(rows, containerRows(ec, task.Containers)...)
	}
	if task.ENI != nil {
		rows = section(rows, st, "Network interface")
		rows = append(rows, textRow(joinNonEmpty(" · ", task.ENI.ID, task.ENI.SubnetID, task.ENI.PrivateIPv4)))
	}
	rows = section(rows, st, "Log streams")
	rows = append(rows, taskLogRows(ec, f, task)...)
	return heading, rows
}

// taskLogRows name each awslogs container's stream of this task. ECS names
// it prefix/container/task-id; without a prefix the name cannot be known.
func taskLogRows(ec evidenceContext, f *facts.Facts, task *facts.Task) []row {
	st := ec.c.styles
	td := f.TaskDefinition
	if td == nil {
		return para(ec.width, st.Faint, "The task definition was not read, so the log streams are unknown.")
	}
	var rows []row
	for _, c := range td.Containers {
		if c.Log == nil || c.Log.Driver != "awslogs" {
			continue
		}
		group, prefix := c.Log.Options["awslogs-group"], c.Log.Options["awslogs-stream-prefix"]
		if prefix == "" {
			rows = append(rows, textRow(st.Faint.Render(c.Name+": no awslogs-stream-prefix, so the stream name is not predictable")))
			continue
		}
		stream := prefix + "/" + c.Name + "/" + task.ID
		rows = append(rows, openRow(st.Bold.Render(c.Name)+" "+group+st.Faint.Render(" · "+stream), target{kind: targetLog, id: group, sub: stream}))
	}
	if len(rows) == 0 {
		return para(ec.width, st.Faint, "No container uses the awslogs driver.")
	}
	return rows
}
