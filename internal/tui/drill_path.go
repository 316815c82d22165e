package tui

import (
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// pathDrill is one needed service's network path from one task subnet: the
// route table, the endpoint with its security groups and the 443 rules that
// matter, and the task's own egress toward it.
func pathDrill(ec evidenceContext, t target) (string, []row) {
	st := ec.c.styles
	f := ec.facts()
	p, ok := pathFor(ec.d.Evidence, t.id, t.sub)
	heading := "Path to " + workflow.ServiceTitle(t.id) + " (" + t.id + ")"
	if !ok {
		return heading, para(ec.width, st.Faint, "This path was not evaluated (the network facts are missing).")
	}
	var rows []row
	rows = append(rows, kvRows(ec, "Needed to", p.Why)...)
	if sn := f.Network.Subnet(p.SubnetID); sn != nil {
		rows = append(rows, kv(st, "From subnet", fmt.Sprintf("%s · %s · %s", sn.ID, sn.AZ, sn.CIDR)))
	} else {
		rows = append(rows, kv(st, "From subnet", p.SubnetID))
	}
	verdict := st.Good.Render("✓ reachable via " + viaLabels[p.Via])
	if !p.Reachable {
		verdict = st.Bad.Render("✗ blocked (" + viaLabels[p.Via] + ")")
	}
	rows = append(rows, kv(st, "Verdict", verdict))
	rows = append(rows, indented(ec.width, "  ", plain, p.Summary)...)
	for _, id := range p.Problems {
		rows = append(rows, indented(ec.width, "  ", st.Bad, "✗ "+findingTitle(ec.d, id, t.id))...)
	}
	for _, n := range p.Notes {
		rows = append(rows, indented(ec.width, "  ", st.Faint, "note: "+n)...)
	}
	if rt := f.Network.RouteTableFor(p.SubnetID); rt != nil {
		rows = section(rows, st, "Route table "+rt.ID)
		for _, r := range rt.Routes {
			rows = append(rows, textRow("  "+routeText(r)))
		}
		if !hasDefaultRoute(rt) {
			rows = append(rows, textRow(st.Faint.Render("  no 0.0.0.0/0 route: nothing leaves the VPC except through endpoints")))
		}
	}
	tn := ec.taskNetwork()
	if ep := endpointByID(f, p.EndpointID); ep != nil {
		dns := "private DNS on"
		if !ep.PrivateDNS {
			dns = st.Bad.Render("private DNS off")
		}
		rows = section(rows, st, "Endpoint "+ep.ID)
		rows = append(rows, kv(st, "Service", ep.ServiceName))
		rows = append(rows, kv(st, "Type", joinNonEmpty(" · ", ep.Type, ep.State, dns)))
		if len(ep.Subnets) > 0 {
			rows = append(rows, kv(st, "Subnets", strings.Join(ep.Subnets, ", ")))
		}
		if ep.Type == "Interface" {
			rows = section(rows, st, "Its security groups: inbound 443 from the task")
			for _, g := range ep.Groups {
				rows = append(rows, groupVerdictRow(ec, f, g, sgRoleEndpoint, ingressVerdict(ec, f, tn, g, 443)))
			}
		}
	}
	if dests := destinations(f, []workflow.PathEvidence{p}, f.Target.Region); len(dests) > 0 {
		rows = section(rows, st, "Task security groups: outbound 443")
		for _, g := range tn.Groups {
			rows = append(rows, groupVerdictRow(ec, f, g, sgRoleTask, egressVerdict(ec, f, g, dests)))
		}
	}
	return heading, rows
}

func pathFor(ev workflow.Evidence, service, subnet string) (workflow.PathEvidence, bool) {
	var first *workflow.PathEvidence
	for i := range ev.Paths {
		p := &ev.Paths[i]
		if p.Service != service {
			continue
		}
		if p.SubnetID == subnet {
			return *p, true
		}
		if first == nil {
			first = p
		}
	}
	if first != nil {
		return *first, true
	}
	return workflow.PathEvidence{}, false
}

// findingTitle is the title of the finding a path problem became.
func findingTitle(d *workflow.Diagnosis, id, service string) string {
	for _, f := range d.Findings {
		if f.ID == id && (f.Attrs["service"] == "" || f.Attrs["service"] == service) {
			return f.Title
		}
	}
	return id
}

func routeText(r facts.Route) string {
	dst := joinNonEmpty("", r.DestinationCIDR, r.DestinationIPv6CIDR, r.DestinationPrefixList)
	tgt := joinNonEmpty("", r.GatewayID, r.NATGatewayID, r.TransitGatewayID, r.VPCPeeringID, r.NetworkInterfaceID, r.InstanceID, r.EgressOnlyGatewayID, r.VPCEndpointID)
	s := fmt.Sprintf("%-22s → %s", dst, tgt)
	if r.State == "blackhole" {
		s += " (blackhole)"
	}
	return s
}

func hasDefaultRoute(rt *facts.RouteTable) bool {
	for _, r := range rt.Routes {
		if r.DestinationCIDR == "0.0.0.0/0" {
			return true
		}
	}
	return false
}

// ingressVerdict says whether a group admits the task on a port.
func ingressVerdict(ec evidenceContext, f *facts.Facts, tn taskNetwork, id string, port int32) string {
	st := ec.c.styles
	sg := f.Network.SecurityGroup(id)
	if sg == nil {
		return st.Faint.Render("? not readable")
	}
	if idx := netpath.IngressRulesAdmitting(sg, tn.In(tn.primarySubnet()), &f.Network, port); len(idx) > 0 {
		return st.Good.Render("✓ admits the task: " + ruleSummary(sg.Ingress[idx[0]], true))
	}
	return st.Bad.Render(fmt.Sprintf("✗ no rule admits the task on %d", port))
}

// egressVerdict says whether one of the task's groups lets 443 out to the
// path's destinations.
func egressVerdict(ec evidenceContext, f *facts.Facts, id string, dests map[string]netpath.Destination) string {
	st := ec.c.styles
	sg := f.Network.SecurityGroup(id)
	if sg == nil {
		return st.Faint.Render("? not readable")
	}
	for _, name := range sortedKeys(dests) {
		if refs := netpath.EgressRulesAllowing([]*facts.SecurityGroup{sg}, dests[name], 443); len(refs) > 0 {
			return st.Good.Render("✓ allows 443 out: " + ruleSummary(sg.Egress[refs[0].Index], false))
		}
	}
	return st.Bad.Render("✗ no rule lets 443 out to " + strings.Join(sortedKeys(dests), ", "))
}

func groupVerdictRow(ec evidenceContext, f *facts.Facts, id, role, verdict string) row {
	name := ""
	if sg := f.Network.SecurityGroup(id); sg != nil {
		name = sg.Name
	}
	return openRow(id+" "+ec.c.styles.Faint.Render(name)+"  "+verdict, target{kind: targetSG, id: id, sub: role})
}
