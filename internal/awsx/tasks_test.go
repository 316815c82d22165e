package awsx

import (
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

func TestServiceTasksKeepsOnlyTheServicesTasks(t *testing.T) {
	tasks := []facts.Task{
		{ARN: "mine-by-group", Group: "service:api"},
		{ARN: "mine-by-deployment", StartedBy: "ecs-svc/1"},
		{ARN: "other-service", Group: "service:web", StartedBy: "ecs-svc/9"},
		{ARN: "standalone", Group: "family:batch"},
	}
	got := serviceTasks(tasks, "api", []string{"ecs-svc/1"})
	if len(got) != 2 || got[0].ARN != "mine-by-group" || got[1].ARN != "mine-by-deployment" {
		t.Errorf("marked tasks: %+v", got)
	}
	// Nothing marked: the unmarked tasks are all there is to go on, but
	// another service's tasks are never taken.
	got = serviceTasks(tasks[2:], "api", nil)
	if len(got) != 1 || got[0].ARN != "standalone" {
		t.Errorf("fallback: %+v", got)
	}
}
