package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// Minimal base images and the common tools they leave out. Alpine's busybox
// has wget and nc but not curl or bash; Debian slim images have bash but
// neither curl nor wget; distroless and scratch have no shell at all.
var minimalImages = []struct {
	marker  string
	lacks   []string
	has     []string
	explain string
}{
	{"distroless", []string{"curl", "wget", "bash", "sh", "nc"}, nil, "distroless images have no shell and no tools"},
	{"scratch", []string{"curl", "wget", "bash", "sh", "nc"}, nil, "scratch images contain only the application"},
	{"alpine", []string{"curl", "bash"}, []string{"wget", "nc", "sh"}, "Alpine images ship busybox (wget, nc, sh) but not curl or bash"},
	{"busybox", []string{"curl", "bash"}, []string{"wget", "nc", "sh"}, "busybox has wget and nc but not curl or bash"},
	{"slim", []string{"curl", "wget"}, []string{"bash", "sh"}, "Debian slim images leave out curl and wget"},
	{"chainguard", []string{"curl", "wget", "bash"}, nil, "Chainguard images are minimal and usually lack curl, wget and bash"},
	{"minimal", []string{"curl", "wget"}, nil, "minimal images usually lack curl and wget"},
}

var healthTools = []string{"curl", "wget", "bash", "nc", "python3", "python", "jq"}

// healthCheckFindings looks for health checks that call a tool the image
// probably lacks (the seed's curl in node:18-alpine), and for start periods
// too short for the app to come up.
func healthCheckFindings(c *checkContext) []Finding {
	if c.td == nil {
		return nil
	}
	failing := healthChecksFailing(c)
	var out []Finding
	for _, cd := range c.td.Containers {
		if cd.HealthCheck == nil || len(cd.HealthCheck.Command) == 0 {
			continue
		}
		tool := healthCheckTool(cd.HealthCheck.Command)
		if tool == "" {
			continue
		}
		if imageHas(cd.Image, tool) {
			continue // busybox's wget in Alpine: the tool is there, the check fails for another reason
		}
		hint := imageLacks(cd.Image, tool)
		if !failing[cd.Name] && hint == "" {
			continue
		}
		// Failing checks plus a minimal image is the seed's case, an error.
		// Failing checks alone may have another cause (the app answers 500),
		// so the tool is only a suspect: a warning worded "may".
		severity := SeverityWarning
		likely := "likely lacks"
		detail := fmt.Sprintf("The health check of %s runs %q. ", cd.Name, strings.Join(cd.HealthCheck.Command, " "))
		if failing[cd.Name] {
			detail += "It is failing. "
			if hint != "" {
				severity = SeverityError
			} else {
				likely = "may lack"
			}
		}
		if hint != "" {
			detail += fmt.Sprintf("The image %s looks minimal (%s), so %s is probably not installed: the check fails with \"%s: not found\" and ECS marks the container UNHEALTHY however healthy the app is.", cd.Image, hint, tool, tool)
		} else {
			detail += fmt.Sprintf("A command that is missing from the image fails every time. Check that %s exists in %s (docker run --rm --entrypoint sh %s -c 'command -v %s'); minimal bases such as Alpine lack curl.", tool, cd.Image, cd.Image, tool)
		}
		f := Finding{
			ID: "healthcheck.tool-missing", Severity: severity,
			Title:     fmt.Sprintf("Health check of %s calls %s, which the image %s", cd.Name, tool, likely),
			Detail:    detail,
			Resources: []string{c.td.ARN},
			Attrs:     map[string]string{"tool": tool, "container": cd.Name},
			Evidence:  []string{strings.Join(cd.HealthCheck.Command, " ")},
		}
		if fix, ok := updateHealthCheckFix(c, cd, tool); ok {
			f.Fixes = []Fix{fix}
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		out = append(out, startPeriodFindings(c, failing)...)
	}
	return out
}

// healthChecksFailing says, per container, whether anything shows the
// current task definition's health check failing: an UNHEALTHY container
// or a health-check stop of a task running this revision, or health-check
// events while such tasks exist. Failures of an older revision say nothing
// about a check that has since been changed.
func healthChecksFailing(c *checkContext) map[string]bool {
	failing := map[string]bool{}
	if c.td == nil {
		return failing
	}
	anyCheckStop, current := false, false
	for _, t := range c.f.Tasks {
		if t.TaskDefinitionARN != "" && t.TaskDefinitionARN != c.td.ARN {
			continue
		}
		current = true
		for _, ct := range t.Containers {
			if ct.HealthStatus == "UNHEALTHY" {
				failing[ct.Name] = true
			}
		}
		for _, m := range kb.ClassifyStopReason(t.StoppedReason) {
			if m.ID == "stop.health-check" {
				anyCheckStop = true
			}
		}
	}
	if c.svc != nil && current {
		for _, e := range recentEvents(c.svc) {
			if m, ok := kb.ClassifyEvent(e.Message); ok && m.ID == "service.event.health-check" {
				anyCheckStop = true
			}
		}
	}
	if anyCheckStop {
		for _, cd := range c.td.Containers {
			if cd.HealthCheck != nil {
				failing[cd.Name] = true
			}
		}
	}
	return failing
}

var shellWord = regexp.MustCompile(`[A-Za-z0-9_./-]+`)

// healthCheckTool returns the first known tool the health check command
// runs ("CMD-SHELL", "curl -f ..." or "CMD", "curl", ...).
func healthCheckTool(cmd []string) string {
	words := cmd
	if len(words) > 0 && (words[0] == "CMD-SHELL" || words[0] == "CMD") {
		words = words[1:]
	}
	for _, w := range shellWord.FindAllString(strings.Join(words, " "), -1) {
		base := w[strings.LastIndex(w, "/")+1:]
		for _, t := range healthTools {
			if base == t {
				return t
			}
		}
	}
	return ""
}

// imageLacks returns why the image probably lacks tool, or "".
func imageLacks(image, tool string) string {
	ref := strings.ToLower(image)
	for _, m := range minimalImages {
		if strings.Contains(ref, m.marker) && contains(m.lacks, tool) {
			return m.explain
		}
	}
	return ""
}

// imageHas reports whether the image is known to ship tool.
func imageHas(image, tool string) bool {
	ref := strings.ToLower(image)
	for _, m := range minimalImages {
		if strings.Contains(ref, m.marker) {
			return contains(m.has, tool)
		}
	}
	return false
}

// startPeriodFindings warns when checks fail and the start period gives the
// app little or no time to come up before failures count.
func startPeriodFindings(c *checkContext, failing map[string]bool) []Finding {
	var out []Finding
	for _, cd := range c.td.Containers {
		hc := cd.HealthCheck
		if hc == nil || !failing[cd.Name] || hc.StartPeriod >= 30 {
			continue
		}
		out = append(out, Finding{
			ID: "healthcheck.start-period-short", Severity: SeverityWarning,
			Title:     fmt.Sprintf("Health check start period of %s is %ds", cd.Name, hc.StartPeriod),
			Detail:    fmt.Sprintf("Health checks of %s fail and its startPeriod is %d seconds, so failures count from the first check. An app that needs longer to start (connect to its database, warm caches) is killed before it is ready. Give it a startPeriod of 60 seconds or more.", cd.Name, hc.StartPeriod),
			Resources: []string{c.td.ARN},
			Attrs:     map[string]string{"container": cd.Name},
		})
	}
	return out
}
