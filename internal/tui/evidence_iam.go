package tui

import (
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// decisionLabels say a permission verdict in words.
var decisionLabels = map[string]string{
	"allowed":      "✓ allowed",
	"implicitDeny": "✗ nothing allows it",
	"explicitDeny": "✗ denied",
	"conditional":  "? conditional",
}

// iamEvidence is step 6: the execution role, its trust, its policies and
// each permission the task needs with its verdict and deciding policy.
func iamEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	f := ec.facts()
	var rows []row
	if td := f.TaskDefinition; td != nil && td.ExecutionRoleARN == "" {
		return para(ec.width, st.Faint, "The task definition names no execution role.")
	}
	role := f.IAM.ExecutionRole
	if role == nil {
		if f.IAM.ExecutionRoleNotFound {
			return para(ec.width, st.Bad, "The execution role the task definition names does not exist.")
		}
		return nil
	}
	rows = append(rows, kvRows(ec, "Execution role", role.Name)...)
	trust := st.Good.Render("✓ ecs-tasks.amazonaws.com may assume it")
	if td := ec.d.Evidence.TrustDecision; td != "" && td != "allowed" {
		trust = st.Bad.Render("✗ ecs-tasks.amazonaws.com may not assume it (" + td + ")")
	}
	rows = append(rows, kv(st, "Trust", trust))

	rows = section(rows, st, "Policies")
	for _, p := range rolePolicies(ec.d) {
		kind := st.Faint.Render(p.Kind)
		if strings.HasPrefix(p.Kind, "NOT") {
			kind = st.Bad.Render(p.Kind)
		}
		rows = append(rows, openRow(fit(p.Name, 34)+" "+kind, target{kind: targetPolicy, id: p.ID}))
	}

	perms := ec.d.Evidence.Permissions
	if len(perms) == 0 {
		return rows
	}
	rows = section(rows, st, "Permissions the task needs")
	cols := []column{{"VERDICT", 20}, {"ACTION", 0}}
	head, _ := tableLines(cols, nil, ec.width, func(s string) string { return st.Header.Render(s) })
	rows = append(rows, textRow(head))
	for _, pe := range perms {
		verdict := decisionLabels[pe.Decision]
		if verdict == "" {
			verdict = pe.Decision
		}
		if pe.Decision == "allowed" {
			verdict = st.Good.Render(verdict)
		} else {
			verdict = st.Bad.Render(verdict)
		}
		_, lines := tableLines(cols, [][]string{{verdict, pe.Action}}, ec.width, nil)
		by, t := decidedBy(ec.d, pe)
		if t != nil {
			rows = append(rows, openRow(lines[0], *t))
		} else {
			rows = append(rows, textRow(lines[0]))
		}
		rows = append(rows, textRow(st.Faint.Render("  "+truncate(joinNonEmpty(" · ", "on "+pe.Resource, by), ec.width-2))))
	}
	return rows
}

// decidedBy names the policy and statement behind a verdict, and where
// enter goes: that policy, or the unattached one that would grant it.
func decidedBy(d *workflow.Diagnosis, pe workflow.PermissionEvidence) (string, *target) {
	if len(pe.Deciding) > 0 {
		r := pe.Deciding[0]
		stmt := fmt.Sprintf("statement %d", r.Index)
		if r.Sid != "" {
			stmt = r.Sid
		}
		src := ""
		if pe.FromSimulator {
			src = " (IAM simulator)"
		}
		return "by " + lastSegment(r.Policy) + " " + stmt + src, &target{kind: targetPolicy, id: r.Policy}
	}
	for _, p := range rolePolicies(d) {
		if pe.Decision != "allowed" && strings.HasPrefix(p.Kind, "NOT") && wouldGrant(p, pe) {
			return "would be allowed by " + p.Name + " (not attached)", &target{kind: targetPolicy, id: p.ID}
		}
	}
	if pe.Decision == "allowed" && pe.FromSimulator {
		return "by the IAM simulator", nil
	}
	return "", nil
}
