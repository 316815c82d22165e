package netpath

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// endpoints returns the VPC's endpoints of one type for the service.
func (e *eval) endpoints(svc, typ string) []*facts.VPCEndpoint {
	var out []*facts.VPCEndpoint
	for i := range e.n.Endpoints {
		ep := &e.n.Endpoints[i]
		if !strings.EqualFold(ep.Type, typ) || !e.serviceMatches(ep.ServiceName, svc) {
			continue
		}
		if ep.VPCID != "" && e.vpcID != "" && ep.VPCID != e.vpcID {
			continue
		}
		out = append(out, ep)
	}
	return out
}

func available(ep *facts.VPCEndpoint) bool { return strings.EqualFold(ep.State, "available") }

// captures reports whether an interface endpoint owns the service's default
// DNS name in this VPC: private DNS on, and the VPC resolving names
// (enableDnsSupport) and honouring private hosted zones for the endpoint
// (enableDnsHostnames). assumed names the VPC attributes that could not be
// read and were taken as on.
func (e *eval) captures(ep *facts.VPCEndpoint) (ok bool, assumed []string) {
	if !ep.PrivateDNS {
		return false, nil
	}
	if e.vpc == nil || e.vpc.DNSHostnames == nil {
		assumed = append(assumed, "enableDnsHostnames")
	} else if !*e.vpc.DNSHostnames {
		return false, nil
	}
	if e.vpc == nil || e.vpc.DNSSupport == nil {
		assumed = append(assumed, "enableDnsSupport")
	}
	return true, assumed
}

// dnsHostnamesOff is true only when the VPC is known to have DNS hostnames off.
func (e *eval) dnsHostnamesOff() bool {
	return e.vpc != nil && e.vpc.DNSHostnames != nil && !*e.vpc.DNSHostnames
}

// gatewayApplies reports whether a gateway endpoint serves the task subnet:
// its route table is associated with the endpoint, which shows as a prefix
// list route whose target is the endpoint.
func (e *eval) gatewayApplies(ep *facts.VPCEndpoint) bool {
	if e.rt == nil {
		return false
	}
	for _, id := range ep.RouteTables {
		if id == e.rt.ID {
			return true
		}
	}
	for _, r := range e.rt.Routes {
		if r.DestinationPrefixList != "" && r.GatewayID == ep.ID && !strings.EqualFold(r.State, "blackhole") {
			return true
		}
	}
	return false
}

// viaInterface evaluates the path through a capturing interface endpoint:
// DNS sends every request for the service there, so nothing else counts.
func (e *eval) viaInterface(svc string, ep *facts.VPCEndpoint, assumed []string, r *Result) {
	r.Via = ViaInterfaceEndpoint
	r.EndpointID = ep.ID
	title := serviceTitle(svc)
	for _, a := range assumed {
		e.assume(a)
		r.note(a + " of " + e.vpcName() + " could not be read; assumed on, so interface endpoint " + ep.ID + " is taken to serve " + e.defaultDNSName(svc) + ".")
	}
	if !available(ep) {
		r.add(problem(IDEndpointNotAvailable, SeverityError, map[string]string{"service": svc, "endpointId": ep.ID}, []string{ep.ID, e.vpcID},
			"Interface endpoint "+ep.ID+" for "+title+" is in state "+quoteState(ep.State)+", not available, yet its private DNS already sends the task's requests for "+
				e.defaultDNSName(svc)+" to it, so they fail. Wait until it is available; an endpoint that is rejected or failed must be recreated."))
	}

	// The endpoint's regional name resolves to an address in each of its
	// subnets; the one in the task's AZ is the one to check (AWS recommends
	// it, and it is the only one without cross-AZ charges).
	var epSubnets, inAZ []*facts.Subnet
	for _, id := range ep.Subnets {
		if s := e.n.Subnet(id); s != nil {
			epSubnets = append(epSubnets, s)
			if e.subnet != nil && e.subnet.AZ != "" && s.AZ == e.subnet.AZ {
				inAZ = append(inAZ, s)
			}
		}
	}
	if e.subnet != nil && e.subnet.AZ != "" && len(ep.Subnets) > 0 && len(epSubnets) == len(ep.Subnets) && len(inAZ) == 0 {
		r.add(problem(IDEndpointAZNotCovered, SeverityWarning, map[string]string{"service": svc, "az": e.subnet.AZ},
			[]string{ep.ID, e.t.SubnetID},
			"Interface endpoint "+ep.ID+" for "+title+" has no subnet in "+e.subnet.AZ+", the AZ of the task subnet "+e.t.SubnetID+
				" (it is in "+list(subnetAZs(epSubnets))+"). The task still reaches it across AZs, at cross-AZ data cost and losing it if that AZ fails. Add a subnet in "+e.subnet.AZ+" to the endpoint."))
	}
	candidates := inAZ
	if len(candidates) == 0 {
		candidates = epSubnets
	}

	e.checkEndpointIngress(svc, ep, r)

	// Egress and ACLs depend on which endpoint subnet is used; the first
	// candidate that passes everything is the path, else report the first.
	if len(candidates) == 0 {
		r.note("The subnets of interface endpoint " + ep.ID + " are not in the facts; egress was judged against the VPC's CIDRs and network ACLs between the subnets were not checked.")
		e.checkEgress(svc, httpsPort, Destination{CIDRs: e.vpcCIDRs(), Groups: ep.Groups},
			"interface endpoint "+ep.ID+" (groups "+list(ep.Groups)+")", "the endpoint's group "+list(ep.Groups)+" or the VPC CIDR", r, []string{ep.ID})
		r.Summary = title + " through interface endpoint " + ep.ID + "."
		return
	}
	type attempt struct {
		sub    *facts.Subnet
		egress tri
		blocks []aclBlock
	}
	var tries []attempt
	chosen := -1
	for _, s := range candidates {
		a := attempt{sub: s}
		a.egress, _ = e.egressVerdict(Destination{CIDRs: []string{s.CIDR}, Groups: ep.Groups}, httpsPort)
		a.blocks = e.evalACLs(e.endpointACLChecks(s, httpsPort), r)
		tries = append(tries, a)
		if a.egress != triNo && len(a.blocks) == 0 {
			chosen = len(tries) - 1
			break
		}
	}
	if chosen < 0 {
		chosen = 0
	}
	a := tries[chosen]
	r.EndpointSubnetID = a.sub.ID
	dst := Destination{CIDRs: []string{a.sub.CIDR}, Groups: ep.Groups}
	e.checkEgress(svc, httpsPort, dst,
		"interface endpoint "+ep.ID+" (subnet "+a.sub.ID+" "+a.sub.CIDR+", groups "+list(ep.Groups)+")",
		"the endpoint's group "+list(ep.Groups)+" or "+a.sub.CIDR, r, []string{ep.ID})
	e.reportACLBlocks(a.blocks, "the task's HTTPS traffic to "+title+" through interface endpoint "+ep.ID, IDNACLBlocksHTTPS, nil, r)
	r.Summary = title + " through interface endpoint " + ep.ID + " in " + a.sub.ID + "."
}

// checkEndpointIngress: the endpoint's groups must admit TCP 443 from the
// task, by one of the task's groups or by a CIDR covering its address.
func (e *eval) checkEndpointIngress(svc string, ep *facts.VPCEndpoint, r *Result) {
	sgs, missing := e.groups(ep.Groups)
	if len(ep.Groups) == 0 {
		r.note("Interface endpoint " + ep.ID + " lists no security groups in the facts; its inbound rules were not checked.")
		return
	}
	_, verdict := ingressAdmitting(sgs, e.src, e.n, httpsPort)
	if verdict == triNo && len(missing) > 0 {
		verdict = triUnknown
	}
	switch verdict {
	case triYes:
		return
	case triUnknown:
		r.note("Whether interface endpoint " + ep.ID + "'s groups admit the task could not be decided (" + unknownWhy(missing, e.src) + ").")
		return
	}
	from := taskFrom(e)
	r.add(problem(IDEndpointIngressMissing, SeverityError, map[string]string{"service": svc, "endpointId": ep.ID},
		append(append([]string{ep.ID}, ep.Groups...), e.t.SecurityGroups...),
		"None of the security groups of interface endpoint "+ep.ID+" for "+serviceTitle(svc)+" allows inbound TCP 443 from the task, so its connections to "+
			e.defaultDNSName(svc)+" time out. The endpoint carries "+describeGroups(sgs, ep.Groups)+"; "+ingressEvidence(sgs, httpsPort)+
			"; the task uses "+from+". Add an inbound rule for TCP 443 from "+firstOr(e.t.SecurityGroups, "the task's group")+" to "+firstOr(ep.Groups, "the endpoint's group")+
			", or attach to the endpoint a group that already allows it."))
}

// ingressEvidence says what the groups' rules for the port do admit.
func ingressEvidence(sgs []*facts.SecurityGroup, port int32) string {
	var peers []string
	for _, sg := range sgs {
		for _, rule := range sg.Ingress {
			if !ruleAllowsTCP(rule, port) {
				continue
			}
			for _, g := range rule.Groups {
				if g == sg.ID {
					peers = append(peers, g+" (itself)")
				} else {
					peers = append(peers, g)
				}
			}
			peers = append(peers, rule.CIDRs...)
			peers = append(peers, rule.PrefixLists...)
		}
	}
	if len(peers) == 0 {
		return "none of them has an inbound rule for TCP " + itoa(port)
	}
	return "their inbound rules for TCP " + itoa(port) + " admit only " + list(peers)
}

func subnetAZs(ss []*facts.Subnet) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.AZ)
	}
	return out
}

// viaGateway evaluates the path through a gateway endpoint on the subnet's
// route table: a prefix list route, no DNS or endpoint security group.
func (e *eval) viaGateway(svc string, ep *facts.VPCEndpoint, r *Result) {
	r.Via = ViaGatewayEndpoint
	r.EndpointID = ep.ID
	title := serviceTitle(svc)
	if !available(ep) {
		r.add(problem(IDEndpointNotAvailable, SeverityError, map[string]string{"service": svc, "endpointId": ep.ID}, []string{ep.ID, e.rtID()},
			"Gateway endpoint "+ep.ID+" for "+title+" on route table "+e.rtID()+" is in state "+quoteState(ep.State)+", not available, so the task's "+svc+
				" traffic that its route attracts is not delivered. Wait until it is available, or recreate it."))
	}
	d := e.serviceDest(svc, ep)
	e.checkEgress(svc, httpsPort, d.destination(), d.desc, d.suggest, r, []string{ep.ID})
	e.reportACLBlocks(e.evalACLs(e.outboundACLChecks(d, nil), r), "the task's HTTPS traffic to "+title+" through gateway endpoint "+ep.ID, IDNACLBlocksHTTPS, nil, r)
	r.Summary = title + " through gateway endpoint " + ep.ID + " on route table " + e.rtID() + "."
}

// taskFrom describes the task as ingress rules see it: "sg-1 (web) from 10.0.1.0/24".
func taskFrom(e *eval) string {
	from := describeGroups(e.taskSGs, e.t.SecurityGroups)
	if len(e.t.SecurityGroups) == 0 {
		from = "no known security group"
	}
	if e.src.known {
		from += " from " + e.src.prefix.String()
	}
	return from
}
