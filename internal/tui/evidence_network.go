package tui

import (
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// viaLabels name the paths as a user knows them.
var viaLabels = map[string]string{
	"interface-endpoint": "interface endpoint",
	"gateway-endpoint":   "gateway endpoint",
	"nat-gateway":        "NAT gateway",
	"internet-gateway":   "internet gateway",
	"unverified":         "unverified route",
	"local":              "inside the VPC",
	"none":               "none",
}

// servicePath is one needed service with the path evaluations of every
// task subnet.
type servicePath struct {
	need  workflow.Need
	paths []workflow.PathEvidence
}

// worst is the path to show: the first blocked one, else the first.
func (sp servicePath) worst() workflow.PathEvidence {
	for _, p := range sp.paths {
		if !p.Reachable {
			return p
		}
	}
	if len(sp.paths) > 0 {
		return sp.paths[0]
	}
	return workflow.PathEvidence{Service: sp.need.Service, Why: sp.need.Why}
}

func (sp servicePath) blocked() int {
	n := 0
	for _, p := range sp.paths {
		if !p.Reachable {
			n++
		}
	}
	return n
}

func servicePaths(ev workflow.Evidence) []servicePath {
	out := make([]servicePath, 0, len(ev.Needs))
	for _, need := range ev.Needs {
		sp := servicePath{need: need}
		for _, p := range ev.Paths {
			if p.Service == need.Service {
				sp.paths = append(sp.paths, p)
			}
		}
		out = append(out, sp)
	}
	return out
}

// endpointsEvidence is step 5: each service the task must reach before it
// starts, why, by which path, and whether that path works.
func endpointsEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	tn := ec.taskNetwork()
	var rows []row
	if len(tn.Subnets) > 0 {
		pub := "no"
		if tn.AssignPublicIP {
			pub = "yes"
		}
		rows = append(rows, kv(st, "Task subnets", strings.Join(tn.Subnets, ", ")))
		rows = append(rows, kv(st, "Public IP", pub))
	}
	sps := servicePaths(ec.d.Evidence)
	if len(sps) == 0 {
		return rows
	}
	rows = section(rows, st, "Services the task must reach")
	cols := []column{{"SERVICE", 15}, {"PATH", 18}, {"STATUS", 0}}
	head, _ := tableLines(cols, nil, ec.width, func(s string) string { return st.Header.Render(s) })
	rows = append(rows, textRow(head))
	for _, sp := range sps {
		p := sp.worst()
		status := st.Good.Render("✓ reachable")
		if p.EndpointID != "" {
			status = st.Good.Render("✓ " + p.EndpointID)
		}
		switch {
		case len(sp.paths) == 0:
			status = st.Faint.Render("? not evaluated")
		case sp.blocked() > 0 && len(sp.paths) > 1 && sp.blocked() < len(sp.paths):
			status = st.Bad.Render(fmt.Sprintf("✗ blocked from %d of %d subnets", sp.blocked(), len(sp.paths)))
		case sp.blocked() > 0 && len(p.Problems) > 0:
			status = st.Bad.Render("✗ " + strings.Join(p.Problems, ", "))
		case sp.blocked() > 0:
			status = st.Bad.Render("✗ no path")
		}
		_, lines := tableLines(cols, [][]string{{sp.need.Service, viaLabels[p.Via], status}}, ec.width, nil)
		rows = append(rows, openRow(lines[0], target{kind: targetPath, id: sp.need.Service, sub: p.SubnetID}))
		rows = append(rows, textRow(st.Faint.Render("  "+truncate(sp.need.Why, ec.width-2))))
	}
	rows = append(rows, textRow(""), textRow(st.Faint.Render("enter opens a path: route table, endpoint, security groups")))
	return rows
}

// networkEvidence is step 7: the task's egress, each endpoint group's 443
// ingress from the task, the subnets' network ACLs, and the databases.
func networkEvidence(ec evidenceContext) []row {
	st := ec.c.styles
	f := ec.facts()
	tn := ec.taskNetwork()
	ev := ec.d.Evidence
	var rows []row

	rows = section(rows, st, "Task security groups: outbound 443")
	allowedBy := map[string][]int{} // group -> egress rule indexes used
	var blockedTo []string
	taskSGs := tn.securityGroups(f)
	dests := destinations(f, ev.Paths, f.Target.Region)
	for _, name := range sortedKeys(dests) {
		refs := netpath.EgressRulesAllowing(taskSGs, dests[name], 443)
		if refs == nil {
			blockedTo = append(blockedTo, name)
		}
		for _, r := range refs {
			allowedBy[r.GroupID] = appendUnique(allowedBy[r.GroupID], r.Index)
		}
	}
	for _, id := range tn.Groups {
		sg := f.Network.SecurityGroup(id)
		name := ""
		if sg != nil {
			name = sg.Name
		}
		verdict := st.Faint.Render("no path to check (step 5 found none)")
		if idx := allowedBy[id]; len(idx) > 0 && sg != nil {
			verdict = st.Good.Render("✓ allows 443 out: " + ruleSummary(sg.Egress[idx[0]], false))
		}
		rows = append(rows, openRow(fmt.Sprintf("%s %s  %s", id, st.Faint.Render(name), verdict), target{kind: targetSG, id: id, sub: sgRoleTask}))
	}
	if len(blockedTo) > 0 {
		rows = append(rows, textRow(st.Bad.Render("✗ no egress rule allows 443 to "+strings.Join(blockedTo, ", "))))
	}

	ids, services := endpointGroups(f, ev.Paths)
	if len(ids) > 0 {
		rows = section(rows, st, "Endpoint security groups: inbound 443 from the task")
		for _, id := range ids {
			sg := f.Network.SecurityGroup(id)
			verdict := st.Faint.Render("? group not readable")
			name := ""
			if sg != nil {
				name = sg.Name
				if admits := netpath.IngressRulesAdmitting(sg, tn.In(tn.primarySubnet()), &f.Network, 443); len(admits) > 0 {
					verdict = st.Good.Render("✓ admits the task")
				} else {
					verdict = st.Bad.Render("✗ no rule admits the task on 443")
				}
			}
			line := fmt.Sprintf("%s %s  %s  %s", id, st.Faint.Render(name), st.Faint.Render("("+strings.Join(services[id], ", ")+")"), verdict)
			rows = append(rows, openRow(line, target{kind: targetSG, id: id, sub: sgRoleEndpoint}))
		}
	}

	rows = naclRows(rows, ec, f, tn)
	return databaseRows(rows, ec, f, ev)
}

// naclRows give each task subnet's network ACL verdict on the task's 443
// traffic out and the replies back in.
func naclRows(rows []row, ec evidenceContext, f *facts.Facts, tn taskNetwork) []row {
	st := ec.c.styles
	seen := map[string]bool{}
	titled := false
	lo, hi := ephemeralPorts(tn.OSFamily)
	for _, subnet := range tn.Subnets {
		acl := f.Network.NetworkACLFor(subnet)
		if acl == nil || seen[acl.ID] {
			continue
		}
		seen[acl.ID] = true
		if !titled {
			rows, titled = section(rows, st, "Network ACLs of the task subnets"), true
		}
		out := netpath.EvaluateNACL(acl, true, "0.0.0.0/0", 443)
		in := netpath.EvaluateNACLRange(acl, false, "0.0.0.0/0", lo, hi)
		rows = append(rows, textRow(acl.ID+"  "+naclVerdict(st, "out 443", out)+"  "+naclVerdict(st, fmt.Sprintf("in %d-%d", lo, hi), in)))
	}
	return rows
}

func naclVerdict(st Styles, what string, v netpath.NACLVerdict) string {
	switch {
	case !v.Known:
		return st.Faint.Render(what + " ?")
	case v.Allowed:
		return st.Good.Render(fmt.Sprintf("✓ %s (rule %d)", what, v.RuleNumber))
	case v.Implicit:
		return st.Bad.Render(fmt.Sprintf("✗ %s (no rule: *)", what))
	}
	return st.Bad.Render(fmt.Sprintf("✗ %s (rule %d denies)", what, v.RuleNumber))
}

// databaseRows show each database the task names, whether the task reaches
// it, and its security groups.
func databaseRows(rows []row, ec evidenceContext, f *facts.Facts, ev workflow.Evidence) []row {
	st := ec.c.styles
	if len(ev.Databases) == 0 {
		return rows
	}
	rows = section(rows, st, "Databases the task names")
	for _, p := range ev.Databases {
		id, _, _ := strings.Cut(p.Why, " (")
		db := databaseByID(f, id)
		mark := st.Good.Render("✓")
		if !p.Reachable {
			mark = st.Bad.Render("✗")
		}
		rows = append(rows, textRow(mark+" "+st.Bold.Render(p.Why)))
		rows = append(rows, indented(ec.width, "  ", st.Faint, p.Summary)...)
		if db == nil {
			continue
		}
		for _, g := range db.SecurityGroups {
			name := ""
			if sg := f.Network.SecurityGroup(g); sg != nil {
				name = sg.Name
			}
			rows = append(rows, openRow(fmt.Sprintf("  %s %s  inbound %d", g, st.Faint.Render(name), db.Port), target{kind: targetSG, id: g, sub: fmt.Sprintf("%s%d", sgRoleDatabase, db.Port)}))
		}
	}
	return rows
}

func databaseByID(f *facts.Facts, id string) *facts.Database {
	for i := range f.Databases {
		if f.Databases[i].ID == id {
			return &f.Databases[i]
		}
	}
	return nil
}

func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// What a security group is to the task, which decides the rules that
// matter in its drill-down.
const (
	sgRoleTask     = "task"     // the task's own: egress 443
	sgRoleEndpoint = "endpoint" // an interface endpoint's: ingress 443 from the task
	sgRoleDatabase = "db:"      // a database's: ingress on its port, e.g. "db:5432"
)
