package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// eventsEvidence is step 1: the service's counts, its deployments with
// their rollout state, and its event log with ages.
func eventsEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	svc := ec.facts().Service
	if svc == nil {
		return nil
	}
	now := ec.c.now()
	launch := svc.LaunchType
	if launch == "" && len(svc.CapacityProviders) > 0 {
		launch = strings.Join(svc.CapacityProviders, ",")
	}
	counts := fmt.Sprintf("%d running of %d desired · %d pending", svc.RunningCount, svc.DesiredCount, svc.PendingCount)
	if svc.RunningCount < svc.DesiredCount {
		counts = st.Bad.Render(counts)
	}
	rows := []row{
		kv(st, "Service", joinNonEmpty(" · ", svc.Name, svc.Status, launch)),
		kv(st, "Tasks", counts),
		kv(st, "Task def", lastSegment(svc.TaskDefinition)),
	}
	if len(svc.Deployments) > 0 {
		rows = section(rows, st, "Deployments")
		for _, d := range svc.Deployments {
			rows = append(rows, deploymentRows(ec, d)...)
		}
	}
	rows = section(rows, st, "Events, newest first")
	if len(svc.Events) == 0 {
		return append(rows, textRow(st.Faint.Render("No events.")))
	}
	prefix := "(service " + svc.Name + ") "
	for i, e := range svc.Events {
		msg := strings.TrimPrefix(e.Message, prefix)
		line := st.Faint.Render(fit(age(now, e.CreatedAt), 5)) + " " + msg
		id := e.ID
		if id == "" {
			id = strconv.Itoa(i)
		}
		rows = append(rows, openRow(line, target{kind: targetEvent, id: id, sub: e.Message}))
	}
	return rows
}

func deploymentRows(ec evidenceContext, d facts.Deployment) []row {
	st := ec.c.styles
	rollout := d.RolloutState
	switch rollout {
	case "FAILED":
		rollout = st.Bad.Render(rollout)
	case "COMPLETED":
		rollout = st.Good.Render(rollout)
	}
	counts := fmt.Sprintf("%d/%d running", d.RunningCount, d.DesiredCount)
	if d.FailedTasks > 0 {
		counts += st.Bad.Render(fmt.Sprintf(" · %d failed", d.FailedTasks))
	}
	line := joinNonEmpty("  ", fit(d.Status, 8), lastSegment(d.TaskDefinition), rollout, counts, st.Faint.Render("updated "+age(ec.c.now(), d.UpdatedAt)))
	rows := []row{textRow(line)}
	if d.RolloutStateReason != "" {
		rows = append(rows, indented(ec.width, "  ", st.Faint, d.RolloutStateReason)...)
	}
	return rows
}

// taskInMessage finds the task an event or message names.
var taskInMessage = regexp.MustCompile(`\(task ([0-9a-f]{16,})\)`)

func taskNamedIn(f *facts.Facts, msg string) *facts.Task {
	m := taskInMessage.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	for i := range f.Tasks {
		if f.Tasks[i].ID == m[1] {
			return &f.Tasks[i]
		}
	}
	return nil
}
