package workflow

import (
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/iampolicy"
)

// checkIAM is step 6: the execution role exists, trusts ECS tasks, and
// allows every action the task definition needs on its exact resources;
// the secrets and parameters it names exist.
func checkIAM(c *checkContext) stepResult {
	if c.td == nil {
		return stepResult{}
	}
	out := referenceFindings(c)
	needs := RequiredPermissions(c.f)
	if len(needs) == 0 {
		if len(out) == 0 {
			return stepResult{skipped: "The task definition needs no execution role: a public image, no awslogs, no secrets."}
		}
		return stepResult{findings: out}
	}
	if c.td.ExecutionRoleARN == "" {
		out = append(out, Finding{
			ID: "iam.execution-role-missing", Severity: SeverityError,
			Title:     "The task definition has no execution role",
			Detail:    fmt.Sprintf("%s needs an execution role for ECS to %s, and names none. Create a role that trusts ecs-tasks.amazonaws.com, attach AmazonECSTaskExecutionRolePolicy (plus access to any secrets), and set executionRoleArn in a new task definition revision.", shortTaskDef(c.td.ARN), needsSummary(needs)),
			Resources: []string{c.td.ARN},
		})
		return stepResult{findings: out}
	}
	if c.f.IAM.ExecutionRoleNotFound {
		out = append(out, Finding{
			ID: "iam.execution-role-not-found", Severity: SeverityError,
			Title:     "Execution role " + roleName(c.td.ExecutionRoleARN) + " does not exist",
			Detail:    fmt.Sprintf("The task definition's executionRoleArn is %s, but IAM has no such role (deleted, renamed, or in another account). Tasks fail with an error assuming the role. Recreate it or point a new task definition revision at an existing role.", c.td.ExecutionRoleARN),
			Resources: []string{c.td.ExecutionRoleARN},
			Attrs:     map[string]string{"role": c.td.ExecutionRoleARN},
		})
		return stepResult{findings: out}
	}
	role := c.f.IAM.ExecutionRole
	if role == nil {
		return stepResult{findings: out}
	}
	out = append(out, trustFindings(c, role)...)
	missing, conditional, unknown := evaluatePermissions(c, role, needs)
	out = append(out, permissionFindings(c, role, missing, conditional)...)
	return stepResult{findings: out, unknown: unknown}
}

// referenceFindings reports secrets and parameters that do not exist.
func referenceFindings(c *checkContext) []Finding {
	var out []Finding
	add := func(ref, what, detail string, resources ...string) {
		out = append(out, Finding{
			ID: "secret.not-found", Severity: SeverityError,
			Title:     what + " " + shortRef(ref) + " does not exist",
			Detail:    detail,
			Resources: resources,
			Attrs:     map[string]string{"secret": ref},
		})
	}
	for _, s := range c.f.Secrets {
		switch {
		case !s.Found:
			add(s.Ref, "Secret", fmt.Sprintf("The task definition references Secrets Manager secret %s, which does not exist in %s (deleted, misspelt, or in another region or account). The task fails with ResourceNotFoundException. Create the secret or fix the ARN in a new task definition revision.", s.Ref, c.region), s.Ref)
		case s.Deleted != nil:
			add(s.Ref, "Secret", fmt.Sprintf("Secret %s is scheduled for deletion (on %s), so it cannot be read. Restore it with aws secretsmanager restore-secret --secret-id %s.", s.Name, s.Deleted.Format("2006-01-02"), s.ARN), s.ARN)
		}
	}
	for _, p := range c.f.Parameters {
		if !p.Found {
			add(p.Ref, "Parameter", fmt.Sprintf("The task definition references SSM parameter %s, which does not exist in %s. Create it (aws ssm put-parameter) or fix the name in a new task definition revision.", p.Name, c.region), p.Ref)
		}
	}
	return out
}

// trustFindings checks that ECS tasks may assume the role.
func trustFindings(c *checkContext, role *facts.Role) []Finding {
	doc, err := iampolicy.Parse(role.TrustPolicy)
	detail := ""
	switch {
	case err != nil:
		detail = "The role's trust policy cannot be read (" + err.Error() + ")."
	default:
		v := iampolicy.TrustsService(doc, "ecs-tasks.amazonaws.com")
		c.trustDecision = string(v.Decision)
		if v.Decision == iampolicy.Allowed || v.Decision == iampolicy.Conditional {
			return nil
		}
		detail = "The role's trust policy does not let ecs-tasks.amazonaws.com assume it"
		if v.Decision == iampolicy.ExplicitDeny {
			detail = "The role's trust policy explicitly denies ecs-tasks.amazonaws.com"
		}
		detail += ", so ECS cannot use it to pull images, read secrets or send logs."
	}
	return []Finding{{
		ID: "iam.execution-role-trust", Severity: SeverityError,
		Title:     "Execution role " + role.Name + " does not trust ECS tasks",
		Detail:    detail + " Add a statement allowing sts:AssumeRole for the service principal ecs-tasks.amazonaws.com (aws iam update-assume-role-policy).",
		Resources: []string{role.ARN},
		Attrs:     map[string]string{"role": role.ARN},
	}}
}

// verdictFor is the decision on one needed permission, with its source.
type verdictFor struct {
	perm    facts.Permission
	verdict iampolicy.Verdict
	// boundary: the role's own policies allow it and only its permissions
	// boundary does not, so granting more in the role cannot help.
	boundary bool
}

// evaluatePermissions decides every needed permission with the policy
// evaluator, and lets the IAM simulator overrule it where the simulator ran
// (it also sees SCPs and knows condition keys the evaluator cannot).
func evaluatePermissions(c *checkContext, role *facts.Role, needs []facts.Permission) (missing, conditional []verdictFor, unknown []facts.Key) {
	identity, boundary, unreadable := policySources(c, role)
	if len(unreadable) > 0 {
		unknown = append(unknown, facts.KeyRolePolicies)
	}
	sim := map[facts.Permission]string{}
	if s := c.f.IAM.Simulation; s != nil {
		for _, r := range s.Results {
			sim[facts.Permission{Action: r.Action, Resource: r.Resource}] = r.Decision
		}
	}
	for _, p := range needs {
		v := iampolicy.Evaluate(identity, boundary, p.Action, p.Resource)
		d, simulated := sim[p]
		if !simulated && v.Decision == iampolicy.ImplicitDeny && len(unreadable) > 0 {
			// A policy that could not be read may be the one that allows
			// it: not evidence of a missing permission (the step says what
			// could not be read).
			continue
		}
		if simulated {
			switch d {
			case "allowed":
				v.Decision = iampolicy.Allowed
			case "explicitDeny":
				v.Decision = iampolicy.ExplicitDeny
			case "implicitDeny":
				if v.Decision == iampolicy.Allowed || v.Decision == iampolicy.Conditional {
					v.Decision = iampolicy.ImplicitDeny
				}
			}
		}
		c.permissions = append(c.permissions, PermissionEvidence{Action: p.Action, Resource: p.Resource, Decision: string(v.Decision), Deciding: statementRefs(v.Deciding), FromSimulator: simulated})
		switch v.Decision {
		case iampolicy.ImplicitDeny, iampolicy.ExplicitDeny:
			capped := !simulated && v.Decision == iampolicy.ImplicitDeny && boundary != nil &&
				iampolicy.Evaluate(identity, nil, p.Action, p.Resource).Decision == iampolicy.Allowed
			missing = append(missing, verdictFor{p, v, capped})
		case iampolicy.Conditional:
			conditional = append(conditional, verdictFor{perm: p, verdict: v})
		}
	}
	return missing, conditional, unknown
}

// policySources parses the role's policies into evaluator sources.
func policySources(c *checkContext, role *facts.Role) (identity, boundary []iampolicy.Source, unreadable []string) {
	docs := map[string]string{}
	for _, p := range c.f.IAM.Policies {
		docs[p.ARN] = p.Document
	}
	for _, arn := range role.AttachedPolicies {
		doc, err := iampolicy.Parse(docs[arn])
		if err != nil {
			unreadable = append(unreadable, arn)
			continue
		}
		identity = append(identity, iampolicy.Source{Name: arn, Doc: doc})
	}
	for _, ip := range role.InlinePolicies {
		doc, err := iampolicy.Parse(ip.Document)
		if err != nil {
			unreadable = append(unreadable, "inline:"+ip.Name)
			continue
		}
		identity = append(identity, iampolicy.Source{Name: "inline:" + ip.Name, Doc: doc})
	}
	if role.PermissionsBoundary != "" {
		boundary = []iampolicy.Source{}
		if doc, err := iampolicy.Parse(docs[role.PermissionsBoundary]); err == nil {
			boundary = append(boundary, iampolicy.Source{Name: role.PermissionsBoundary, Doc: doc})
		} else {
			unreadable = append(unreadable, role.PermissionsBoundary)
		}
	}
	return identity, boundary, unreadable
}

// permissionFindings reports each missing permission, and each unattached
// customer managed policy that would grant missing ones (the seed's "created
// but never attached").
func permissionFindings(c *checkContext, role *facts.Role, missing, conditional []verdictFor) []Finding {
	var out []Finding
	var pairs []iampolicy.Pair
	for _, m := range missing {
		if !m.boundary { // attaching a policy cannot lift a boundary
			pairs = append(pairs, iampolicy.Pair{Action: m.perm.Action, Resource: m.perm.Resource})
		}
	}
	grantedBy := map[facts.Permission]facts.ManagedPolicy{}
	var unattachedFixes []Finding
	for _, p := range c.f.IAM.UnattachedPolicies {
		doc, err := iampolicy.Parse(p.Document)
		if err != nil || len(pairs) == 0 {
			continue
		}
		granted := iampolicy.Grants(doc, pairs)
		if len(granted) == 0 {
			continue
		}
		var actions []string
		for _, g := range granted {
			perm := facts.Permission{Action: g.Action, Resource: g.Resource}
			if _, done := grantedBy[perm]; !done {
				grantedBy[perm] = p
			}
			actions = appendUnique(actions, g.Action)
		}
		unattachedFixes = append(unattachedFixes, Finding{
			ID: "iam.policy-not-attached", Severity: SeverityError,
			Title:     fmt.Sprintf("Policy %s would grant the missing %s but is attached to nothing", p.Name, strings.Join(actions, ", ")),
			Detail:    fmt.Sprintf("Customer managed policy %s allows %s, which execution role %s lacks, but it is not attached to any role, user or group (AttachmentCount 0). Creating a policy does not grant anything until it is attached: attach it to %s.", p.ARN, strings.Join(actions, ", "), role.Name, role.Name),
			Resources: []string{p.ARN, role.ARN},
			Attrs:     map[string]string{"policyArn": p.ARN},
			Fixes:     []Fix{attachPolicyFix(c, role, p)},
		})
	}
	for _, m := range missing {
		why := "no policy of the role allows it"
		switch {
		case m.verdict.Decision == iampolicy.ExplicitDeny:
			why = "a statement explicitly denies it (" + refsText(m.verdict.Deciding) + ")"
		case m.boundary:
			why = "the role's policies allow it, but its permissions boundary " + role.PermissionsBoundary + " does not; add it to the boundary (granting it in the role changes nothing)"
		}
		f := Finding{
			ID: "iam.permission-missing", Severity: SeverityError,
			Title:     fmt.Sprintf("Execution role %s may not %s", role.Name, m.perm.Action),
			Detail:    fmt.Sprintf("ECS needs %s on %s with role %s to start the task, and %s. %s", m.perm.Action, m.perm.Resource, role.Name, why, permissionPurpose(m.perm.Action)),
			Resources: []string{role.ARN, m.perm.Resource},
			Attrs:     map[string]string{"action": m.perm.Action, "resource": m.perm.Resource},
		}
		if p, ok := grantedBy[m.perm]; ok {
			f.Fixes = append(f.Fixes, attachPolicyFix(c, role, p))
		}
		if m.verdict.Decision != iampolicy.ExplicitDeny && !m.boundary {
			f.Fixes = append(f.Fixes, inlinePolicyFix(c, role, missing))
		}
		out = append(out, f)
	}
	for _, m := range conditional {
		out = append(out, Finding{
			ID: "iam.permission-conditional", Severity: SeverityWarning,
			Title:     fmt.Sprintf("%s is allowed only under a condition", m.perm.Action),
			Detail:    fmt.Sprintf("Role %s allows %s on %s only under a Condition (%s) that ecsdoctor cannot evaluate; if the condition does not hold when ECS starts the task, the call is denied.", role.Name, m.perm.Action, m.perm.Resource, refsText(m.verdict.Deciding)),
			Resources: []string{role.ARN, m.perm.Resource},
			Attrs:     map[string]string{"action": m.perm.Action, "resource": m.perm.Resource},
		})
	}
	return append(unattachedFixes, out...)
}

func permissionPurpose(action string) string {
	switch {
	case strings.HasPrefix(action, "ecr:"):
		return "Without it the task cannot pull its image from ECR."
	case strings.HasPrefix(action, "logs:"):
		return "Without it the awslogs driver cannot write the container's logs and the task fails to start."
	case strings.HasPrefix(action, "secretsmanager:"), strings.HasPrefix(action, "ssm:"):
		return "Without it ECS cannot inject the secret and the task fails with AccessDeniedException."
	case action == "kms:Decrypt":
		return "The secret is encrypted with a customer managed key, so ECS must also be allowed to decrypt with it."
	case strings.HasPrefix(action, "s3:"):
		return "Without it ECS cannot download the environment files."
	}
	return ""
}

func refsText(refs []iampolicy.StatementRef) string {
	var parts []string
	for _, r := range refs {
		s := r.Source
		if r.Sid != "" {
			s += " statement " + r.Sid
		} else {
			s += fmt.Sprintf(" statement #%d", r.Index+1)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func needsSummary(needs []facts.Permission) string {
	var what []string
	for _, p := range needs {
		switch {
		case strings.HasPrefix(p.Action, "ecr:"):
			what = appendUnique(what, "pull the ECR image")
		case strings.HasPrefix(p.Action, "logs:"):
			what = appendUnique(what, "send logs to CloudWatch")
		case strings.HasPrefix(p.Action, "secretsmanager:"), strings.HasPrefix(p.Action, "ssm:"):
			what = appendUnique(what, "read secrets")
		}
	}
	return strings.Join(what, ", ")
}

func roleName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

func shortRef(ref string) string {
	if i := strings.LastIndex(ref, ":"); i >= 0 && strings.HasPrefix(ref, "arn:") {
		// secret:NAME-abc123 -> NAME-abc123; parameter/x -> parameter/x
		parts := strings.Split(ref, ":")
		if len(parts) >= 7 {
			return parts[6]
		}
		return ref[i+1:]
	}
	return ref
}

func appendUnique(xs []string, x string) []string {
	if contains(xs, x) {
		return xs
	}
	return append(xs, x)
}
