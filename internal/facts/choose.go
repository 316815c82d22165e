package facts

import "strings"

// ChooseTask picks the task the per-task steps look at: the named one, else
// the newest stopped task that failed (a stop that is not a scale-in, a user
// stop or a replacement by a new deployment), else the newest running task,
// else the newest stopped task of any kind. Tasks must be newest first.
func ChooseTask(tasks []Task, named string) string {
	if named != "" {
		for _, t := range tasks {
			if t.ARN == named || t.ID == named {
				return t.ARN
			}
		}
	}
	for _, t := range tasks {
		if t.LastStatus == "STOPPED" && !RoutineStop(t) {
			return t.ARN
		}
	}
	for _, t := range tasks {
		if t.LastStatus != "STOPPED" {
			return t.ARN
		}
	}
	if len(tasks) > 0 {
		return tasks[0].ARN
	}
	return ""
}

// RoutineStop reports whether a stopped task ended the way healthy services'
// tasks do: stopped by a user, replaced by a deployment, scaled in or
// reclaimed by Spot. Health-check stops are ServiceSchedulerInitiated too,
// and are not routine.
func RoutineStop(t Task) bool {
	reason := strings.ToLower(t.StoppedReason)
	switch t.StopCode {
	case "UserInitiated", "SpotInterruption", "TerminationNotice":
		return true
	case "ServiceSchedulerInitiated":
		return strings.Contains(reason, "scaling activity") || strings.Contains(reason, "deployment") && !strings.Contains(reason, "health")
	}
	return false
}
