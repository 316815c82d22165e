package workflow

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// maxEventsRead bounds how far back the event log is read: ECS keeps the
// latest 100 events, and anything before the last steady state is history.
const maxEventsRead = 50

// checkEvents is step 1: the service's state, its rollout, and what its
// recent events say.
func checkEvents(c *checkContext) stepResult {
	if c.f.State(facts.KeyService) == facts.FetchSkipped || c.svc == nil {
		return stepResult{skipped: "The task was not started by a service, so there are no service events."}
	}
	svc := c.svc
	if svc.Status == "INACTIVE" || svc.Status == "DRAINING" {
		return stepResult{findings: []Finding{{
			ID: "service.not-found", Severity: SeverityError,
			Title:     fmt.Sprintf("Service %s is %s: it has been deleted", svc.Name, svc.Status),
			Detail:    fmt.Sprintf("ECS reports service %s as %s: it was deleted and runs no tasks any more (ECS keeps a deleted service visible for a while). Nothing will start until the service is created again; if you redeployed under another name, diagnose that one.", svc.Name, svc.Status),
			Resources: []string{svc.ARN},
		}}}
	}
	var out []Finding
	if svc.DesiredCount > 0 && svc.RunningCount == 0 {
		out = append(out, Finding{
			ID: "service.no-running-tasks", Severity: SeverityError,
			Title:     fmt.Sprintf("Service %s has no running tasks (desired %d)", svc.Name, svc.DesiredCount),
			Detail:    fmt.Sprintf("The service wants %d task(s) and runs none (pending %d). Every task it starts stops before it is running; the next steps show why.", svc.DesiredCount, svc.PendingCount),
			Resources: []string{svc.ARN},
		})
	}
	if d := svc.Primary(); d != nil && d.RolloutState == "FAILED" {
		out = append(out, Finding{
			ID: "service.deployment-failed", Severity: SeverityError,
			Title:     "The latest deployment failed",
			Detail:    fmt.Sprintf("Deployment %s (%s) has rollout state FAILED: %s. ECS stopped trying to start new tasks for it; fix the cause, then start a new deployment.", d.ID, shortTaskDef(d.TaskDefinition), nonEmpty(d.RolloutStateReason, "no reason given")),
			Resources: []string{svc.ARN, d.ID},
			Fixes:     []Fix{forceNewDeploymentFix(c)},
		})
	}
	if d := svc.Primary(); d != nil && d.RolloutState != "FAILED" && len(svc.Deployments) > 1 && d.FailedTasks > 0 && d.RunningCount < d.DesiredCount {
		// The old deployment still serves every task, so the service looks
		// healthy from its counts while the new one cannot start a task.
		out = append(out, Finding{
			ID: "service.deployment-failing", Severity: SeverityError,
			Title:     fmt.Sprintf("The new deployment runs %d of %d tasks; %d of its tasks failed", d.RunningCount, d.DesiredCount, d.FailedTasks),
			Detail:    fmt.Sprintf("Deployment %s (%s) is rolling out but %d of its tasks have failed and it runs %d of %d; the previous deployment still serves traffic, so the service's own counts look fine. The stopped tasks of the new deployment say why.", d.ID, shortTaskDef(d.TaskDefinition), d.FailedTasks, d.RunningCount, d.DesiredCount),
			Resources: []string{svc.ARN, d.ID},
			Attrs:     map[string]string{"deployment": d.ID},
		})
	}
	for _, ef := range eventFindings(c, recentEvents(svc)) {
		// The rollout state already reported a failed deployment.
		if ef.ID == "service.deployment-failed" && hasFinding(out, ef.ID) {
			continue
		}
		out = append(out, ef)
	}
	return stepResult{findings: out}
}

// recentEvents are the events since the service last reached a steady
// state, and since its current (PRIMARY) deployment began: what happened
// before it was healthy again, or to a previous rollout, no longer says
// anything about what runs now.
func recentEvents(svc *facts.Service) []facts.ServiceEvent {
	var since *time.Time
	if d := svc.Primary(); d != nil {
		since = d.CreatedAt
	}
	var out []facts.ServiceEvent
	for i, e := range svc.Events {
		if i >= maxEventsRead || kb.IsSteadyState(e.Message) {
			break
		}
		if since != nil && e.CreatedAt != nil && e.CreatedAt.Before(*since) {
			break // events are newest first: everything after this is older
		}
		out = append(out, e)
	}
	return out
}

// eventFindings classifies events, one finding per kind of event (and per
// target group for ELB health checks), with the messages as evidence.
func eventFindings(c *checkContext, events []facts.ServiceEvent) []Finding {
	type group struct {
		m        kb.Match
		messages []string
	}
	groups := map[string]*group{}
	var order []string
	for _, e := range events {
		m, ok := kb.ClassifyEvent(e.Message)
		if !ok {
			continue
		}
		key := m.ID + "|" + attrsKey(m.Attrs)
		g, seen := groups[key]
		if !seen {
			g = &group{m: m}
			groups[key] = g
			order = append(order, key)
		}
		g.messages = append(g.messages, e.Message)
	}
	severity := SeverityError
	if c.steady {
		severity = SeverityWarning
	}
	var out []Finding
	for _, key := range order {
		g := groups[key]
		f := Finding{
			ID: g.m.ID, Severity: severity, Title: g.m.Title,
			Detail:    fmt.Sprintf("%s %s Seen %d time(s) in the recent events.", g.m.Explanation, g.m.Next, len(g.messages)),
			Resources: []string{c.svc.ARN},
			Attrs:     g.m.Attrs,
			Evidence:  firstN(g.messages, 3),
		}
		// Once a deployment has failed ECS stops trying: after fixing the
		// cause, only a new deployment starts tasks again.
		if g.m.ID == "service.deployment-failed" {
			f.Fixes = []Fix{forceNewDeploymentFix(c)}
		}
		out = append(out, f)
	}
	return out
}

func hasFinding(fs []Finding, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

func attrsKey(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + m[k] + ";")
	}
	return b.String()
}

func firstN(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

func nonEmpty(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// shortTaskDef turns a task definition ARN into family:revision.
func shortTaskDef(arn string) string {
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
