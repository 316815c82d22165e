package workflow

import (
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// checkStopReason is step 3: what the chosen task's stop code, stopped
// reason and container reasons and exit codes mean; whether its images
// exist; whether its health check can work in its image.
func checkStopReason(c *checkContext) stepResult {
	var out []Finding
	if c.task == nil {
		out = append(out, imageFindings(c)...)
		out = append(out, healthCheckFindings(c)...)
		if len(out) == 0 {
			return stepResult{skipped: "There is no task to inspect: none is running and none stopped recently."}
		}
		return stepResult{findings: out}
	}
	out = append(out, taskReasonFindings(c, *c.task)...)
	out = append(out, imageFindings(c)...)
	out = append(out, healthCheckFindings(c)...)
	return stepResult{findings: out}
}

// taskReasonFindings classifies what AWS said about one task, once per
// distinct problem, keeping AWS's text verbatim as evidence.
func taskReasonFindings(c *checkContext, t facts.Task) []Finding {
	type hit struct {
		m         kb.Match
		evidence  []string
		container string // the container whose reason or exit code matched; "" for the task's
	}
	var hits []*hit
	addAll := func(ms []kb.Match, evidence, container string) {
		for _, m := range ms {
			if m.ID == "stop.benign" {
				continue
			}
			found := false
			for _, h := range hits {
				// The same problem said twice is one finding; a mention without
				// qualifiers ("Essential container in task exited") is the same
				// problem as one with them (the container's exit code 1).
				same := h.m.ID == m.ID && (attrsKey(h.m.Attrs) == attrsKey(m.Attrs) || !hasQualifiers(h.m.Attrs) || !hasQualifiers(m.Attrs))
				if !same {
					continue
				}
				if !hasQualifiers(h.m.Attrs) && hasQualifiers(m.Attrs) {
					h.m.Attrs = m.Attrs
					h.container = container
				}
				if !contains(h.evidence, evidence) {
					h.evidence = append(h.evidence, evidence)
				}
				found = true
				break
			}
			if !found {
				hits = append(hits, &hit{m: m, evidence: []string{evidence}, container: container})
			}
		}
	}
	if t.LastStatus == "STOPPED" {
		var reasons []kb.Match
		if !facts.RoutineStop(t) {
			reasons = kb.ClassifyStopReason(t.StoppedReason)
			addAll(reasons, t.StoppedReason, "")
		}
		stoppedByECS := killedByScheduler(reasons)
		essentialExitedFirst := essentialExited(c.td, t)
		for _, ct := range t.Containers {
			if !essential(c.td, ct.Name) && (ct.ExitCode == nil || *ct.ExitCode == 0) {
				continue
			}
			if facts.RoutineStop(t) && ct.Reason == "" {
				continue
			}
			text := ct.Reason
			if ct.ExitCode != nil {
				text = strings.TrimSpace(fmt.Sprintf("%s (container %s exit code %d)", ct.Reason, ct.Name, *ct.ExitCode))
			}
			matches := kb.ClassifyContainer(ct.Reason, ct.ExitCode)
			if stoppedByECS {
				// ECS stopped the task for failing health checks: SIGTERM, then
				// SIGKILL (137/143) was ECS's doing, not the app crashing.
				matches = dropID(matches, "stop.essential-exited")
			}
			if essentialExitedFirst && !essential(c.td, ct.Name) {
				// An essential container's exit stopped the task; ECS then
				// stopped the non-essential ones (SIGTERM, SIGKILL after the
				// stop timeout: 143, 137), so their exit codes are not the cause.
				matches = dropID(matches, "stop.essential-exited")
			}
			addAll(matches, text, ct.Name)
		}
	} else {
		for _, ct := range t.Containers {
			if ct.HealthStatus == "UNHEALTHY" {
				addAll([]kb.Match{unhealthyRunning(ct.Name)}, fmt.Sprintf("task %s is %s but container %s is UNHEALTHY", t.ID, t.LastStatus, ct.Name), ct.Name)
			}
		}
	}
	severity := SeverityError
	if c.steady && t.LastStatus == "STOPPED" {
		severity = SeverityWarning
	}
	var out []Finding
	for _, h := range hits {
		if h.m.ID == "stop.essential-exited" && !hasQualifiers(h.m.Attrs) {
			// The catalogue names exitCode and meaning; say that ECS
			// recorded none rather than leaving them out.
			h.m.Attrs = map[string]string{"exitCode": "unknown", "meaning": "ECS recorded no exit code for the container"}
		}
		// Image problems name the image (the catalogue's attr); when AWS's
		// text does not, the task says which image it was pulling.
		if imageProblem[h.m.ID] && h.m.Attrs["image"] == "" {
			if img := taskImage(c.td, t, h.container); img != "" {
				attrs := copyAttrs(h.m.Attrs) // never write into the knowledge base's maps
				attrs["image"] = img
				h.m.Attrs = attrs
			}
		}
		f := Finding{
			ID: h.m.ID, Severity: severity, Title: h.m.Title,
			Detail:    strings.TrimSpace(h.m.Explanation + " " + h.m.Next),
			Resources: []string{t.ARN},
			Attrs:     h.m.Attrs,
			Evidence:  h.evidence,
		}
		if h.m.ID == "stop.unclassified" {
			f.Title = "Stop reason not in the knowledge base"
			f.Detail = "AWS said: " + h.evidence[0] + ". " + f.Detail
		}
		if c.steady && t.LastStatus == "STOPPED" {
			f.Detail += " The service is running as it should now; this stop may be history."
		}
		out = append(out, f)
	}
	return out
}

func unhealthyRunning(container string) kb.Match {
	return kb.Match{
		ID:          "stop.health-check",
		Title:       "Container health check failing",
		Explanation: "The task is running, but ECS marks container " + container + " UNHEALTHY: its health check command keeps failing, so ECS will stop and replace the task.",
		Next:        "Run the health check command by hand in the image (docker run ... <command>) and check it exists there.",
	}
}

// essential reports whether the task definition marks the container
// essential (unknown containers count as essential: better a finding too
// many than a missed cause).
func essential(td *facts.TaskDefinition, name string) bool {
	if td == nil {
		return true
	}
	if cd := td.Container(name); cd != nil {
		return cd.Essential
	}
	return true
}

// imageFindings reports ECR images or tags that do not exist.
func imageFindings(c *checkContext) []Finding {
	var out []Finding
	for _, img := range c.f.Images {
		if !img.Checked || img.Found {
			continue
		}
		what := "tag " + img.Tag
		if img.Digest != "" {
			what = "digest " + img.Digest
		}
		detail := fmt.Sprintf("ECR repository %s has no image with %s, so no task can pull %s.", img.Repository, what, img.Ref)
		if !img.RepositoryFound {
			detail = fmt.Sprintf("ECR has no repository %s in account %s (%s), so no task can pull %s.", img.Repository, img.RegistryID, img.Region, img.Ref)
		}
		detail += " Push the image (docker push " + img.Ref + ") or point the task definition at a tag that exists (aws ecr describe-images --repository-name " + img.Repository + ")."
		out = append(out, Finding{
			ID: "image.not-found", Severity: SeverityError,
			Title:     "Image " + img.Ref + " does not exist",
			Detail:    detail,
			Resources: []string{img.ECRRepositoryARN()},
			Attrs:     map[string]string{"image": img.Ref},
		})
	}
	return out
}

// essentialExited reports whether an essential container of the task exited
// (ECS recorded its exit code): that exit is what stopped the task.
func essentialExited(td *facts.TaskDefinition, t facts.Task) bool {
	for _, ct := range t.Containers {
		if ct.ExitCode != nil && essential(td, ct.Name) {
			return true
		}
	}
	return false
}

// killedByScheduler reports whether the stop reason says ECS itself stopped
// the task (health checks), so that exit codes 137/143 mean nothing more.
func killedByScheduler(reasons []kb.Match) bool {
	for _, m := range reasons {
		if m.ID == "stop.health-check" || m.ID == "stop.elb-health-check" {
			return true
		}
	}
	return false
}

func dropID(ms []kb.Match, id string) []kb.Match {
	var out []kb.Match
	for _, m := range ms {
		if m.ID != id {
			out = append(out, m)
		}
	}
	return out
}

// imageProblem are the stop findings whose catalogue attr is the image.
var imageProblem = map[string]bool{"stop.image-not-found": true, "stop.image-pull-denied": true, "stop.image-platform": true}

// taskImage is the image of the named container of the task, or, for a
// task-level reason, of the task's only container; "" when it is ambiguous.
func taskImage(td *facts.TaskDefinition, t facts.Task, container string) string {
	if container == "" {
		switch {
		case len(t.Containers) == 1:
			container = t.Containers[0].Name
		case len(t.Containers) == 0 && td != nil && len(td.Containers) == 1:
			container = td.Containers[0].Name
		default:
			return ""
		}
	}
	for _, ct := range t.Containers {
		if ct.Name == container && ct.Image != "" {
			return ct.Image
		}
	}
	if td != nil {
		if cd := td.Container(container); cd != nil {
			return cd.Image
		}
	}
	return ""
}

// hasQualifiers reports whether any attr has a value.
func hasQualifiers(attrs map[string]string) bool {
	for _, v := range attrs {
		if v != "" {
			return true
		}
	}
	return false
}
