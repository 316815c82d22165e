package workflow

import (
	"fmt"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// checkStoppedTasks is step 2: which tasks stopped recently, and how many
// of them failed.
func checkStoppedTasks(c *checkContext) stepResult {
	var stopped, failed []facts.Task
	running := 0
	for _, t := range c.f.Tasks {
		if t.LastStatus != "STOPPED" {
			running++
			continue
		}
		stopped = append(stopped, t)
		if !facts.RoutineStop(t) {
			failed = append(failed, t)
		}
	}
	if len(stopped) == 0 {
		detail := "ECS keeps stopped tasks for about an hour and none is retained for this service."
		if running > 0 {
			detail += fmt.Sprintf(" %d task(s) are running; the next steps look at the newest one.", running)
		} else {
			detail += " If tasks fail, wait for the next attempt or start a new deployment, then look again."
		}
		return stepResult{findings: []Finding{{ID: "task.none-stopped", Severity: SeverityInfo, Title: "No stopped tasks to inspect", Detail: detail}}}
	}
	if len(failed) == 0 {
		return stepResult{}
	}
	severity := SeverityError
	if c.steady {
		severity = SeverityWarning
	}
	latest := failed[0]
	reason := nonEmpty(latest.StoppedReason, "no reason recorded")
	detail := fmt.Sprintf("%d of the %d stopped tasks ECS still keeps failed. The newest, %s, stopped with code %s and the reason below.",
		len(failed), len(stopped), latest.ID, nonEmpty(latest.StopCode, "(none)"))
	if distinct := distinctReasons(failed); distinct > 1 {
		detail += fmt.Sprintf(" (%d different stop reasons in all; the newest is analysed in the next step).", distinct)
	}
	if c.steady {
		detail += " The service is running as it should now, so these failures may be history."
	}
	var ids []string
	for _, t := range firstTasks(failed, 5) {
		ids = append(ids, t.ARN)
	}
	return stepResult{findings: []Finding{{
		ID: "task.stopped-failures", Severity: severity,
		Title:     fmt.Sprintf("%d task(s) stopped with a failure", len(failed)),
		Detail:    detail,
		Resources: ids,
		Attrs:     map[string]string{"count": fmt.Sprint(len(failed))},
		Evidence:  []string{reason},
	}}}
}

// distinctReasons counts the different causes among the tasks' stop
// reasons, as the knowledge base classifies them: AWS's texts embed task
// ids, request ids and session names, so two tasks stopped for the same
// cause rarely have the same text.
func distinctReasons(ts []facts.Task) int {
	seen := map[string]bool{}
	for _, t := range ts {
		key := t.StopCode
		for _, m := range kb.ClassifyStopReason(t.StoppedReason) {
			key += "|" + m.ID + "|" + attrsKey(m.Attrs)
		}
		seen[key] = true
	}
	return len(seen)
}

func firstTasks(ts []facts.Task, n int) []facts.Task {
	if len(ts) > n {
		return ts[:n]
	}
	return ts
}
