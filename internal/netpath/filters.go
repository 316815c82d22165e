package netpath

import (
	"net/netip"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// This file checks the filters along a path once routing has chosen it:
// the task's security group egress and the network ACLs of every subnet
// boundary the packets and their replies cross.

// groups resolves security group ids; missing ones were not in the facts.
func (e *eval) groups(ids []string) (found []*facts.SecurityGroup, missing []string) {
	for _, id := range ids {
		if sg := e.n.SecurityGroup(id); sg != nil {
			found = append(found, sg)
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing
}

// egressVerdict decides the task's egress to dst. A group that is not in the
// facts might allow it, so a "no" over a partial set is "cannot tell".
func (e *eval) egressVerdict(dst Destination, port int32) (tri, []RuleRef) {
	if len(e.taskSGs) == 0 {
		return triUnknown, nil
	}
	refs := EgressRulesAllowing(e.taskSGs, dst, port)
	switch {
	case refs != nil:
		return triYes, refs
	case len(e.missingSGs) > 0:
		return triUnknown, nil
	}
	return triNo, nil
}

// checkEgress reports sg.task-egress-blocked when the task's groups allow no
// egress on port to the destination the path uses.
func (e *eval) checkEgress(svc string, port int32, dst Destination, dstDesc, suggest string, r *Result, resources []string) {
	v, _ := e.egressVerdict(dst, port)
	switch v {
	case triYes:
		return
	case triUnknown:
		if len(e.t.SecurityGroups) == 0 {
			r.note("The task's security groups are not known; its egress was not checked.")
		} else {
			r.note("The task's egress could not be decided: security groups " + list(e.missingSGs) + " are not in the facts.")
		}
		return
	}
	r.add(problem(IDTaskEgressBlocked, SeverityError, map[string]string{"service": svc, "port": itoa(port)},
		append(append([]string{}, e.t.SecurityGroups...), resources...),
		"The task's security groups allow no outbound TCP "+itoa(port)+" to "+dstDesc+", so its connections to "+serviceTitle(svc)+
			" never leave its network interface. The task uses "+describeGroups(e.taskSGs, e.t.SecurityGroups)+"; "+egressEvidence(e.taskSGs, port)+
			". In "+firstOr(e.t.SecurityGroups, "the task's group")+", add an outbound rule for TCP "+itoa(port)+" to "+suggest+"."))
}

// egressEvidence says what the groups' egress rules for the port reach.
func egressEvidence(sgs []*facts.SecurityGroup, port int32) string {
	var peers []string
	for _, sg := range sgs {
		for _, rule := range sg.Egress {
			if ruleAllowsTCP(rule, port) {
				peers = append(peers, rule.Groups...)
				peers = append(peers, rule.CIDRs...)
				peers = append(peers, rule.PrefixLists...)
			}
		}
	}
	if len(peers) == 0 {
		return "none of them has an outbound rule for TCP " + itoa(port)
	}
	return "their outbound rules for TCP " + itoa(port) + " reach only " + list(peers)
}

// svcDest is where internet-bound or gateway-endpoint traffic for a service
// goes. For S3 and DynamoDB that is the service's managed prefix list; for
// everything else any public address, so 0.0.0.0/0.
type svcDest struct {
	plID  string
	cidrs []netip.Prefix
	// exact is false when cidrs is a stand-in 0.0.0.0/0 for a prefix list
	// whose CIDRs are unknown: only a decision for all addresses then holds.
	exact   bool
	desc    string
	suggest string
}

func (d svcDest) destination() Destination {
	return Destination{CIDRs: prefixStrings(d.cidrs), PrefixList: d.plID}
}

func (e *eval) serviceDest(svc string, gw *facts.VPCEndpoint) svcDest {
	anyDest := svcDest{cidrs: []netip.Prefix{ipv4Any}, exact: true, desc: "0.0.0.0/0 (the service's public addresses)", suggest: "0.0.0.0/0"}
	if svc == serviceInternet {
		anyDest.desc = "0.0.0.0/0"
	}
	if !isGatewayService(svc) {
		return anyDest
	}
	var pl *facts.PrefixList
	for i := range e.n.PrefixLists {
		if e.serviceMatches(e.n.PrefixLists[i].Name, svc) {
			pl = &e.n.PrefixLists[i]
			break
		}
	}
	d := svcDest{}
	switch {
	case pl != nil:
		d.plID = pl.ID
	case e.rt != nil:
		// The gateway endpoint's route names the prefix list by id.
		for _, rt := range e.rt.Routes {
			if rt.DestinationPrefixList != "" && (gw == nil || rt.GatewayID == gw.ID) {
				d.plID = rt.DestinationPrefixList
				break
			}
		}
	}
	if d.plID == "" {
		return anyDest
	}
	if pl != nil {
		d.cidrs = parseCIDRs(pl.CIDRs)
	}
	d.exact = len(d.cidrs) > 0
	if !d.exact {
		d.cidrs = []netip.Prefix{ipv4Any}
	}
	d.desc = "the " + svc + " prefix list " + d.plID
	if d.exact {
		d.desc += " (" + list(prefixStrings(d.cidrs)) + ")"
	}
	d.suggest = "the prefix list " + d.plID + " (or 0.0.0.0/0)"
	return d
}

// aclCheck is one subnet boundary crossing: the subnet's ACL must allow TCP
// on ports to (egress) or from (ingress) peer.
type aclCheck struct {
	subnetID string
	egress   bool
	peer     netip.Prefix
	ports    portRange
	exact    bool   // peer is the real range, not a stand-in 0.0.0.0/0
	what     string // how the traffic reads: "replies from 10.0.10.0/24 (endpoint subnet subnet-e)"
}

// aclBlock is one ACL that blocks part of a path, with every reason.
type aclBlock struct {
	subnetID string
	acl      *facts.NetworkACL
	reasons  []string
}

// evalACLs runs the checks and groups blocks by (subnet, ACL), so that an
// ACL denying both directions is one problem with two reasons.
func (e *eval) evalACLs(checks []aclCheck, r *Result) []aclBlock {
	var blocks []aclBlock
	for _, c := range checks {
		acl := e.n.NetworkACLFor(c.subnetID)
		if acl == nil {
			r.note("No network ACL of subnet " + c.subnetID + " is in the facts; it was not checked.")
			continue
		}
		v := evalNACL(acl, c.egress, spanOf(c.peer), c.ports)
		if v.Allowed {
			continue
		}
		if v.Split && !c.exact {
			r.note("Network ACL " + acl.ID + " of " + c.subnetID + " treats parts of the internet differently, and the prefix list's CIDRs are unknown, so its effect on " + c.what + " could not be decided.")
			continue
		}
		dir := "inbound"
		if c.egress {
			dir = "outbound"
		}
		reason := dir + " TCP " + c.ports.String() + " " + c.what + ": blocked by " + ruleName(v)
		idx := -1
		for i := range blocks {
			if blocks[i].subnetID == c.subnetID && blocks[i].acl.ID == acl.ID {
				idx = i
			}
		}
		if idx < 0 {
			blocks = append(blocks, aclBlock{subnetID: c.subnetID, acl: acl})
			idx = len(blocks) - 1
		}
		blocks[idx].reasons = append(blocks[idx].reasons, reason)
	}
	return blocks
}

// reportACLBlocks turns blocks into problems: nacl.blocks-https, or
// nacl.blocks-port with a port attr for non-HTTPS traffic.
func (e *eval) reportACLBlocks(blocks []aclBlock, traffic, id string, extra map[string]string, r *Result) {
	for _, b := range blocks {
		attrs := map[string]string{"subnet": b.subnetID, "nacl": b.acl.ID}
		for k, v := range extra {
			attrs[k] = v
		}
		r.add(problem(id, SeverityError, attrs, []string{b.acl.ID, b.subnetID},
			"Network ACL "+b.acl.ID+" of subnet "+b.subnetID+" blocks "+traffic+": "+strings.Join(b.reasons, "; ")+
				". Network ACLs are stateless and the first matching rule wins: allow the traffic and its replies with rules numbered below any deny that matches them."))
	}
}

// peerSubnetChecks are the task-side and far-side checks for a connection from the
// task to a peer subnet on port: out and back through both ACLs.
func (e *eval) peerSubnetChecks(peer *facts.Subnet, port int32, role string) []aclCheck {
	if peer == nil || peer.ID == e.t.SubnetID || !e.src.known {
		// Traffic within one subnet crosses no ACL.
		return nil
	}
	p, ok := parseCIDR(peer.CIDR)
	if !ok {
		return nil
	}
	pr := portRange{port, port}
	where := p.String() + " (" + role + " " + peer.ID + ")"
	task := e.src.prefix.String() + " (the task)"
	return []aclCheck{
		{subnetID: e.t.SubnetID, egress: true, peer: p, ports: pr, exact: true, what: "to " + where},
		{subnetID: e.t.SubnetID, egress: false, peer: p, ports: e.eph, exact: true, what: "replies from " + where},
		{subnetID: peer.ID, egress: false, peer: e.src.prefix, ports: pr, exact: true, what: "from " + task},
		{subnetID: peer.ID, egress: true, peer: e.src.prefix, ports: e.eph, exact: true, what: "replies to " + task},
	}
}

func (e *eval) endpointACLChecks(epSubnet *facts.Subnet, port int32) []aclCheck {
	return e.peerSubnetChecks(epSubnet, port, "endpoint subnet")
}

// outboundACLChecks are the crossings of traffic leaving the VPC's private
// address space: the task subnet's ACL (unless the NAT shares the subnet, so
// the packets reach the NAT without crossing it), and the NAT subnet's ACL
// on both of its sides.
func (e *eval) outboundACLChecks(d svcDest, nat *facts.NATGateway) []aclCheck {
	var out []aclCheck
	https := portRange{httpsPort, httpsPort}
	if nat == nil || nat.SubnetID != e.t.SubnetID {
		for _, c := range d.cidrs {
			out = append(out,
				aclCheck{subnetID: e.t.SubnetID, egress: true, peer: c, ports: https, exact: d.exact, what: "to " + c.String()},
				aclCheck{subnetID: e.t.SubnetID, egress: false, peer: c, ports: e.eph, exact: d.exact, what: "replies from " + c.String()})
		}
	}
	if nat == nil {
		return out
	}
	if nat.SubnetID != e.t.SubnetID && e.src.known {
		task := e.src.prefix.String() + " (the task)"
		out = append(out,
			aclCheck{subnetID: nat.SubnetID, egress: false, peer: e.src.prefix, ports: https, exact: true, what: "from " + task + " into NAT gateway " + nat.ID + "'s subnet"},
			aclCheck{subnetID: nat.SubnetID, egress: true, peer: e.src.prefix, ports: e.eph, exact: true, what: "replies to " + task + " that the NAT forwards"})
	}
	for _, c := range d.cidrs {
		out = append(out,
			aclCheck{subnetID: nat.SubnetID, egress: true, peer: c, ports: https, exact: d.exact, what: "from NAT gateway " + nat.ID + " to " + c.String()},
			aclCheck{subnetID: nat.SubnetID, egress: false, peer: c, ports: natEphemeral, exact: d.exact, what: "replies from " + c.String() + " to NAT gateway " + nat.ID})
	}
	return out
}

// describeGroups names groups with their names where known: "sg-1 (web)".
func describeGroups(found []*facts.SecurityGroup, ids []string) string {
	names := map[string]string{}
	for _, sg := range found {
		names[sg.ID] = sg.Name
	}
	var out []string
	for _, id := range ids {
		if n := names[id]; n != "" {
			out = append(out, id+" ("+n+")")
		} else {
			out = append(out, id)
		}
	}
	return list(out)
}

func firstOr(ids []string, fallback string) string {
	if len(ids) > 0 && ids[0] != "" {
		return ids[0]
	}
	return fallback
}

func unknownWhy(missing []string, src source) string {
	if len(missing) > 0 {
		return "security groups " + list(missing) + " are not in the facts"
	}
	if !src.known {
		return "the task's subnet CIDR and address are not known, and only CIDR rules could admit it"
	}
	return "a rule names a prefix list whose entries are not in the facts"
}
