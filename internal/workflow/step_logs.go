package workflow

import (
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/iampolicy"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// checkLogs is step 4: the awslogs groups exist (or will be created), and
// what the chosen task's own log lines say.
func checkLogs(c *checkContext) stepResult {
	if c.td == nil {
		return stepResult{}
	}
	var awslogs []facts.ContainerDefinition
	for _, cd := range c.td.Containers {
		if cd.Log != nil && cd.Log.Driver == "awslogs" {
			awslogs = append(awslogs, cd)
		}
	}
	if len(awslogs) == 0 {
		return stepResult{skipped: "No container uses the awslogs log driver, so there are no CloudWatch logs to read."}
	}
	var out []Finding
	for _, cd := range awslogs {
		name := cd.Log.Options["awslogs-group"]
		g := c.f.Logs.LogGroup(name)
		if g == nil || g.Found || hasFindingAttr(out, "logs.group-missing", "logGroup", name) {
			continue
		}
		detail := fmt.Sprintf("Container %s sends its logs to CloudWatch Logs group %s, which does not exist, and awslogs-create-group is not set. The task fails to start with \"failed to validate logger args\". Create the group, or set awslogs-create-group to true and allow logs:CreateLogGroup.", cd.Name, name)
		if strings.EqualFold(cd.Log.Options["awslogs-create-group"], "true") {
			why := cannotCreateLogGroup(c, cd)
			if why == "" {
				continue // ECS creates it with the execution role's logs:CreateLogGroup
			}
			detail = fmt.Sprintf("Container %s sends its logs to CloudWatch Logs group %s, which does not exist. awslogs-create-group is true, but ECS cannot create the group: %s. The task fails to start with \"failed to validate logger args\". Create the group, or allow logs:CreateLogGroup on it.", cd.Name, name, why)
		}
		f := Finding{
			ID: "logs.group-missing", Severity: SeverityError,
			Title:     "Log group " + name + " does not exist",
			Detail:    detail,
			Resources: []string{name},
			Attrs:     map[string]string{"logGroup": name},
		}
		// ecsdoctor's clients work in the task's region; a group in another
		// region is named in the detail, not offered as a one-key fix.
		if r := cd.Log.Options["awslogs-region"]; r == "" || r == c.region {
			f.Fixes = []Fix{createLogGroupFix(c, name)}
		} else {
			f.Detail += fmt.Sprintf(" The group belongs in %s (awslogs-region): aws logs create-log-group --region %s --log-group-name %s", r, r, name)
		}
		out = append(out, f)
	}
	out = append(out, logLineFindings(c)...)
	return stepResult{findings: out}
}

// cannotCreateLogGroup says why ECS cannot create a missing awslogs group
// for awslogs-create-group (no usable execution role, or one whose policies
// deny logs:CreateLogGroup on the group), or "" when it can or when the
// role's policies could not all be read.
func cannotCreateLogGroup(c *checkContext, cd facts.ContainerDefinition) string {
	switch {
	case c.td.ExecutionRoleARN == "":
		return "the task definition has no execution role"
	case c.f.IAM.ExecutionRoleNotFound:
		return "its execution role " + roleName(c.td.ExecutionRoleARN) + " does not exist"
	}
	role := c.f.IAM.ExecutionRole
	if role == nil {
		return ""
	}
	arn := logGroupARN(c.f, cd)
	if s := c.f.IAM.Simulation; s != nil {
		for _, r := range s.Results {
			if r.Action == "logs:CreateLogGroup" && r.Resource == arn {
				if r.Decision == "allowed" {
					return ""
				}
				return "execution role " + role.Name + " may not logs:CreateLogGroup on " + arn
			}
		}
	}
	identity, boundary, unreadable := policySources(c, role)
	if len(unreadable) > 0 {
		return ""
	}
	switch iampolicy.Evaluate(identity, boundary, "logs:CreateLogGroup", arn).Decision {
	case iampolicy.ImplicitDeny, iampolicy.ExplicitDeny:
		return "execution role " + role.Name + " may not logs:CreateLogGroup on " + arn
	}
	return ""
}

// logLineFindings classifies the chosen task's log lines: one finding per
// kind of failure (and per host), with the first few lines as evidence.
func logLineFindings(c *checkContext) []Finding {
	type group struct {
		m     kb.Match
		lines []string
		count int
	}
	groups := map[string]*group{}
	var order []string
	for _, s := range c.f.Logs.Streams {
		for _, e := range s.Events {
			m, ok := kb.ClassifyLogLine(e.Message)
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
			g.count++
			if len(g.lines) < 3 {
				g.lines = append(g.lines, strings.TrimSpace(e.Message))
			}
		}
	}
	// Lines from a task that has stopped, in a service that runs fine now,
	// describe a past failure.
	severity := SeverityError
	if c.steady && c.task != nil && c.task.LastStatus == "STOPPED" {
		severity = SeverityWarning
	}
	var out []Finding
	for _, key := range order {
		g := groups[key]
		out = append(out, Finding{
			ID: g.m.ID, Severity: severity, Title: g.m.Title,
			Detail:    fmt.Sprintf("%s %s (%d matching line(s) in the task's log.)", g.m.Explanation, g.m.Next, g.count),
			Resources: streamNames(c.f.Logs.Streams),
			Attrs:     g.m.Attrs,
			Evidence:  g.lines,
		})
	}
	return out
}

func streamNames(streams []facts.LogStream) []string {
	var out []string
	for _, s := range streams {
		if s.Found {
			out = append(out, s.Group+":"+s.Name)
		}
	}
	return out
}

func hasFindingAttr(fs []Finding, id, attr, value string) bool {
	for _, f := range fs {
		if f.ID == id && f.Attrs[attr] == value {
			return true
		}
	}
	return false
}
