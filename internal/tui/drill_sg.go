package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
)

// securityGroupDrill is one security group's rules, with the ones that
// admit (or would have to admit) the task's traffic highlighted. What
// matters depends on the group's role: the task's own group must let 443
// out, an endpoint's group must let the task in on 443, a database's group
// must let the task in on the database port.
func securityGroupDrill(ec evidenceContext, t target) (string, []row) {
	st := ec.c.styles
	f := ec.facts()
	sg := f.Network.SecurityGroup(t.id)
	if sg == nil {
		return "Security group " + t.id, para(ec.width, st.Faint, "This security group was not read.")
	}
	heading := "Security group " + sg.ID + " · " + sg.Name
	tn := ec.taskNetwork()
	var rows []row
	if sg.Description != "" {
		rows = append(rows, kvRows(ec, "Description", sg.Description)...)
	}
	rows = append(rows, kv(st, "VPC", sg.VPCID))

	var ingressPort int32
	var admitting, allowing []int
	var why string
	switch {
	case t.sub == sgRoleEndpoint:
		ingressPort, why = 443, "an interface endpoint's group: it must admit the task on 443"
	case strings.HasPrefix(t.sub, sgRoleDatabase):
		p, _ := strconv.Atoi(strings.TrimPrefix(t.sub, sgRoleDatabase))
		ingressPort, why = int32(p), fmt.Sprintf("a database's group: it must admit the task on %d", p)
	default:
		why = "the task's own group: it must let the task's 443 traffic out"
		for _, d := range destinations(f, ec.d.Evidence.Paths, f.Target.Region) {
			for _, r := range netpath.EgressRulesAllowing([]*facts.SecurityGroup{sg}, d, 443) {
				allowing = appendUnique(allowing, r.Index)
			}
		}
	}
	if ingressPort > 0 {
		admitting = netpath.IngressRulesAdmitting(sg, tn.In(tn.primarySubnet()), &f.Network, ingressPort)
	}
	rows = append(rows, kvRows(ec, "Role", why)...)

	rows = section(rows, st, "Inbound rules")
	rows = append(rows, ruleRows(ec, sg.Ingress, admitting, fmt.Sprintf("admits the task on %d", ingressPort))...)
	if ingressPort > 0 && len(admitting) == 0 {
		rows = append(rows, indented(ec.width, "", st.Bad, fmt.Sprintf("✗ No inbound rule admits the task (groups %s, subnet %s) on %d: this blocks it.", strings.Join(tn.Groups, ", "), tn.primarySubnet(), ingressPort))...)
	}
	rows = section(rows, st, "Outbound rules")
	rows = append(rows, ruleRows(ec, sg.Egress, allowing, "lets the task's 443 traffic out")...)
	if t.sub == sgRoleTask && len(allowing) == 0 {
		rows = append(rows, indented(ec.width, "", st.Bad, "✗ No outbound rule lets the task reach its endpoints or the internet on 443.")...)
	}
	return heading, rows
}

// ruleRows list rules, marking the ones in hits with why.
func ruleRows(ec evidenceContext, rules []facts.SGRule, hits []int, why string) []row {
	st := ec.c.styles
	if len(rules) == 0 {
		return []row{textRow(st.Faint.Render("  none"))}
	}
	rows := make([]row, 0, len(rules))
	for i, r := range rules {
		text := ruleText(r)
		if containsInt(hits, i) {
			rows = append(rows, textRow(st.Good.Render("✓ "+text+"  ← "+why)))
			continue
		}
		rows = append(rows, textRow("  "+text))
	}
	return rows
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
