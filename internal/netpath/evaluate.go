package netpath

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// eval holds what one evaluation resolved about the task's place in the VPC.
type eval struct {
	n          *facts.Network
	region     string
	t          TaskNet
	vpc        *facts.VPC
	vpcID      string
	subnet     *facts.Subnet
	rt         *facts.RouteTable
	src        source
	taskSGs    []*facts.SecurityGroup
	missingSGs []string
	eph        portRange
	// why collects, for a path that does not exist, what was looked at.
	why []string
	// publicSubnet is set when the default route goes to an internet
	// gateway but the task has no public IP: enabling one is a fix.
	publicSubnet bool
	// pathDesc names the route-level path taken ("NAT gateway nat-1").
	pathDesc string
	// assumed are VPC DNS attributes that could not be read and were taken
	// as on; every problem's Detail says so, since its conclusion rests on it.
	assumed []string
}

func newEval(n *facts.Network, region string, t TaskNet) *eval {
	if n == nil {
		n = &facts.Network{}
	}
	e := &eval{n: n, region: strings.ToLower(strings.TrimSpace(region)), t: t, vpc: n.VPC, subnet: n.Subnet(t.SubnetID), eph: linuxEphemeral}
	if e.vpc != nil {
		e.vpcID = e.vpc.ID
	}
	if e.vpcID == "" && e.subnet != nil {
		e.vpcID = e.subnet.VPCID
	}
	if e.region == "" && e.subnet != nil {
		e.region = regionFromAZ(e.subnet.AZ)
	}
	if strings.Contains(strings.ToUpper(t.OSFamily), "WINDOWS") {
		e.eph = windowsEphemeral
	}
	e.rt = n.RouteTableFor(t.SubnetID)
	e.src = taskSource(n, t)
	e.taskSGs, e.missingSGs = e.groups(t.SecurityGroups)
	return e
}

func (e *eval) vpcName() string {
	if e.vpcID != "" {
		return e.vpcID
	}
	return "the VPC"
}

func (e *eval) rtID() string {
	if e.rt != nil {
		return e.rt.ID
	}
	return ""
}

// vpcCIDRs are the VPC's CIDRs, or 0.0.0.0/0 when unknown: a destination
// somewhere in the VPC that only a rule covering all of them reaches.
func (e *eval) vpcCIDRs() []string {
	if e.vpc != nil && len(parseCIDRs(e.vpc.CIDRs)) > 0 {
		return prefixStrings(parseCIDRs(e.vpc.CIDRs))
	}
	return []string{ipv4Any.String()}
}

// Evaluate decides the path from one task subnet to one service over HTTPS:
// a short service name ("ecr.api", "ecr.dkr", "s3", "logs",
// "secretsmanager", "ssm", "kms", ...) or "internet" for non-AWS hosts.
func Evaluate(n *facts.Network, region string, t TaskNet, service string) Result {
	e := newEval(n, region, t)
	svc := normalizeService(service)
	r := Result{Service: svc, SubnetID: t.SubnetID, Via: ViaNone, RouteTableID: e.rtID()}
	exists := e.evaluate(svc, &r)
	e.stateAssumptions(&r)
	r.finish(exists)
	if !exists && r.Summary == "" {
		r.Summary = "No path from " + t.SubnetID + " to " + serviceTitle(svc) + "."
	}
	return r
}

// evaluate follows DNS first (an endpoint with private DNS takes the name),
// then routing; it reports whether a path exists at the route level.
func (e *eval) evaluate(svc string, r *Result) bool {
	if !e.dnsResolves(svc, r) {
		return false
	}
	var ifaces []*facts.VPCEndpoint
	var offTable *facts.VPCEndpoint
	if svc != serviceInternet {
		// A gateway endpoint's prefix list route is more specific than any
		// default route, and while one exists AWS creates S3 interface
		// endpoints with private DNS for inbound resolvers only
		// (PrivateDnsOnlyForInboundResolverEndpoint): the gateway wins.
		if isGatewayService(svc) {
			for _, gw := range e.endpoints(svc, "Gateway") {
				if e.gatewayApplies(gw) {
					e.viaGateway(svc, gw, r)
					return true
				}
				if offTable == nil {
					offTable = gw
				}
			}
		}
		ifaces = e.endpoints(svc, "Interface")
		var capturing *facts.VPCEndpoint
		var assumed []string
		for _, ep := range ifaces {
			ok, as := e.captures(ep)
			if ok && (capturing == nil || (!available(capturing) && available(ep))) {
				capturing, assumed = ep, as
			}
		}
		if capturing != nil {
			e.viaInterface(svc, capturing, assumed, r)
			return true
		}
	}
	if e.viaDefaultRoute(svc, r) {
		e.advise(svc, ifaces, offTable, r)
		return true
	}
	e.explain(svc, ifaces, offTable, r)
	return false
}

// dnsResolves: with enableDnsSupport off the Amazon resolver does not answer,
// so no service name (nor any other) resolves and nothing else matters.
func (e *eval) dnsResolves(svc string, r *Result) bool {
	if e.vpc == nil || e.vpc.DNSSupport == nil {
		r.note("enableDnsSupport of " + e.vpcName() + " could not be read; assumed on.")
		e.assume("enableDnsSupport")
		return true
	}
	if *e.vpc.DNSSupport {
		return true
	}
	r.add(problem(IDVPCDNSSupportDisabled, SeverityError, map[string]string{"vpc": e.vpcID}, []string{e.vpcID},
		"DNS resolution is off in "+e.vpcName()+" (enableDnsSupport is false), so the task cannot resolve "+dnsWhat(e, svc)+
			" and every request fails before it is sent, whatever the routes and endpoints. Turn on enableDnsSupport for "+e.vpcName()+"."))
	r.Summary = "No path: DNS resolution is off in " + e.vpcName() + "."
	return false
}

func (e *eval) assume(attr string) {
	for _, a := range e.assumed {
		if a == attr {
			return
		}
	}
	e.assumed = append(e.assumed, attr)
}

// stateAssumptions appends the DNS assumptions to every problem's Detail.
func (e *eval) stateAssumptions(r *Result) {
	if len(e.assumed) == 0 {
		return
	}
	verb := "was"
	if len(e.assumed) > 1 {
		verb = "were"
	}
	s := " Note: " + list(e.assumed) + " of " + e.vpcName() + " could not be read and " + verb + " assumed on."
	for i := range r.Problems {
		r.Problems[i].Detail += s
	}
}

func dnsWhat(e *eval, svc string) string {
	switch svc {
	case serviceInternet:
		return "any host name"
	case serviceDatabase:
		return "the database endpoint"
	}
	return e.defaultDNSName(svc) + " (nor any other name)"
}

// viaDefaultRoute follows the subnet's 0.0.0.0/0 route. It returns false
// when the route gives no path, leaving the evidence in e.why.
func (e *eval) viaDefaultRoute(svc string, r *Result) bool {
	pub := e.t.AssignPublicIP
	if e.rt == nil {
		r.Via = ViaUnverified
		r.add(problem(IDPathUnverified, SeverityWarning, map[string]string{"service": svc}, []string{e.t.SubnetID},
			"The route table of subnet "+e.t.SubnetID+" is not in the facts, so the path to "+serviceTitle(svc)+
				" could not be followed. Check that ec2:DescribeRouteTables is allowed and that the subnet exists."))
		e.pathDesc = "an unknown route"
		e.checkOutbound(svc, nil, r)
		r.Summary = serviceTitle(svc) + ": path unverified (route table unknown)."
		return true
	}
	where := "route table " + e.rt.ID + " of " + e.t.SubnetID
	active, blackhole := defaultRoute(e.rt)
	if active == nil {
		if blackhole != nil {
			k, id := routeTarget(blackhole)
			e.why = append(e.why, where+" has its 0.0.0.0/0 route to "+describeTarget(k, id)+" in state blackhole (the target was deleted or detached)")
			if k == targetNAT {
				r.NATGatewayID = id
				e.natUnusable(id, "the route to it is a blackhole (the NAT gateway was deleted or has failed)", nil, r)
			}
		} else {
			e.why = append(e.why, where+" has no 0.0.0.0/0 route")
		}
		if pub {
			e.publicIPNoIGW(SeverityError, "has no active 0.0.0.0/0 route", r)
		}
		return false
	}
	k, id := routeTarget(active)
	switch k {
	case targetIGW:
		r.InternetGatewayID = id
		if !e.igwAttached(id) {
			e.why = append(e.why, where+" sends 0.0.0.0/0 to internet gateway "+id+", which is not attached to "+e.vpcName())
			if pub {
				e.publicIPNoIGW(SeverityError, "sends 0.0.0.0/0 to internet gateway "+id+", which is not attached to "+e.vpcName(), r)
			}
			return false
		}
		if !pub {
			e.publicSubnet = true
			e.why = append(e.why, where+" sends 0.0.0.0/0 to internet gateway "+id+" (a public subnet), but the task has no public IP (assignPublicIp DISABLED), which an internet gateway needs")
			return false
		}
		r.Via = ViaInternetGateway
		e.pathDesc = "internet gateway " + id + " (with the task's public IP)"
		e.checkOutbound(svc, nil, r)
		r.Summary = serviceTitle(svc) + " through internet gateway " + id + " with the task's public IP."
		return true
	case targetNAT:
		r.NATGatewayID = id
		c := e.checkNAT(id)
		if !c.known && !c.usable {
			r.Via = ViaUnverified
			r.add(problem(IDPathUnverified, SeverityWarning, map[string]string{"service": svc}, []string{e.rt.ID, id},
				"The 0.0.0.0/0 route of "+e.t.SubnetID+" (route table "+e.rt.ID+") goes to NAT gateway "+id+", but "+c.reason+
					", so the path to "+serviceTitle(svc)+" could not be followed. Check that ec2:DescribeNatGateways and ec2:DescribeRouteTables are allowed."))
			e.pathDesc = "NAT gateway " + id
			if pub {
				e.publicIPNoIGW(SeverityWarning, "sends 0.0.0.0/0 to NAT gateway "+id, r)
			}
			e.checkOutbound(svc, nil, r)
			r.Summary = serviceTitle(svc) + ": path through NAT gateway " + id + " unverified."
			return true
		}
		if !c.usable {
			e.why = append(e.why, where+" sends 0.0.0.0/0 to NAT gateway "+id+", which cannot reach the internet ("+c.reason+")")
			e.natUnusable(id, c.reason, c.nat, r)
			if pub {
				e.publicIPNoIGW(SeverityError, "sends 0.0.0.0/0 to NAT gateway "+id+" (which is unusable)", r)
			}
			return false
		}
		r.Via = ViaNATGateway
		e.pathDesc = "NAT gateway " + id
		if c.onward != "" {
			r.add(problem(IDPathUnverified, SeverityWarning, map[string]string{"service": svc}, []string{id, c.rtID},
				"Traffic to "+serviceTitle(svc)+" leaves through NAT gateway "+id+", but "+c.onward+
					", which ecsdoctor cannot follow; whether it reaches the internet depends on that appliance or network. Check its routing and rules (a firewall may also drop the traffic)."))
		}
		if pub {
			e.publicIPNoIGW(SeverityWarning, "sends 0.0.0.0/0 to NAT gateway "+id, r)
		}
		e.checkOutbound(svc, c.nat, r)
		r.Summary = serviceTitle(svc) + " through NAT gateway " + id + "."
		return true
	}
	r.Via = ViaUnverified
	target := describeTarget(k, id)
	e.pathDesc = target
	r.add(problem(IDPathUnverified, SeverityWarning, map[string]string{"service": svc}, []string{e.rt.ID, id},
		"The 0.0.0.0/0 route of "+e.t.SubnetID+" (route table "+e.rt.ID+") goes to "+target+
			", which ecsdoctor cannot follow; whether "+serviceTitle(svc)+" is reachable depends on the network behind it. Check that it leads to a NAT or the internet"+
			endpointAdvice(svc)+"."))
	if pub {
		e.publicIPNoIGW(SeverityWarning, "sends 0.0.0.0/0 to "+target, r)
	}
	e.checkOutbound(svc, nil, r)
	r.Summary = serviceTitle(svc) + " through " + target + " (unverified)."
	return true
}

func endpointAdvice(svc string) string {
	switch {
	case svc == serviceInternet:
		return ""
	case isGatewayService(svc):
		return ", or create a gateway endpoint for " + svc
	}
	return ", or create an interface endpoint for " + svc
}

// checkOutbound checks the task's egress and the ACLs on the way out of the
// VPC, through the NAT's subnet when there is one.
func (e *eval) checkOutbound(svc string, nat *facts.NATGateway, r *Result) {
	d := e.serviceDest(svc, nil)
	var res []string
	if nat != nil {
		res = []string{nat.ID}
	}
	e.checkEgress(svc, httpsPort, d.destination(), d.desc, d.suggest, r, res)
	e.reportACLBlocks(e.evalACLs(e.outboundACLChecks(d, nat), r), "the task's HTTPS traffic to "+serviceTitle(svc)+" through "+e.pathDesc, IDNACLBlocksHTTPS, nil, r)
}

func (e *eval) natUnusable(id, reason string, nat *facts.NATGateway, r *Result) {
	res := []string{id, e.rtID(), e.t.SubnetID}
	if nat != nil {
		res = append(res, nat.SubnetID)
	}
	r.add(problem(IDNATUnusable, SeverityError, map[string]string{"natGateway": id}, res,
		"The default route of subnet "+e.t.SubnetID+" (route table "+e.rtID()+") goes to NAT gateway "+id+", which cannot carry traffic to the internet: "+reason+
			". Point 0.0.0.0/0 at an available public NAT gateway in a subnet whose route table sends 0.0.0.0/0 to an internet gateway, or create VPC endpoints for the AWS services the task needs."))
}

func (e *eval) publicIPNoIGW(severity, has string, r *Result) {
	detail := "The task gets a public IP (assignPublicIp ENABLED), but subnet " + e.t.SubnetID + " has no route to an internet gateway: its route table " + e.rtID() + " " + has + ". "
	if severity == SeverityError {
		detail += "A public IP only works through an internet gateway, so it gives the task no way out. Run the task in subnets whose route table sends 0.0.0.0/0 to an internet gateway, or disable the public IP and add a NAT gateway or VPC endpoints."
	} else {
		detail += "The public IP is unused (and billed); traffic leaves through the default route anyway. Disable assignPublicIp, or move the task to a public subnet if that was the intent."
	}
	r.add(problem(IDPublicIPNoIGW, severity, map[string]string{"subnet": e.t.SubnetID}, []string{e.t.SubnetID, e.rtID()}, detail))
}

// advise adds the advisories for a working default-route path: endpoints
// that exist but are bypassed.
func (e *eval) advise(svc string, ifaces []*facts.VPCEndpoint, offTable *facts.VPCEndpoint, r *Result) {
	via := e.pathDesc
	for _, ep := range ifaces {
		if !ep.PrivateDNS {
			r.add(problem(IDEndpointPrivateDNS, SeverityInfo, map[string]string{"service": svc, "endpointId": ep.ID}, []string{ep.ID, e.vpcID},
				"Interface endpoint "+ep.ID+" for "+serviceTitle(svc)+" has private DNS off, so the task does not use it: "+e.defaultDNSName(svc)+
					" resolves to public addresses and the traffic goes through "+via+" instead. Turn on private DNS for "+ep.ID+" if the traffic should stay private, or delete the unused endpoint."))
		}
		if e.dnsHostnamesOff() {
			r.add(problem(IDVPCDNSHostnamesDisabled, SeverityInfo, map[string]string{"vpc": e.vpcID}, []string{e.vpcID, ep.ID},
				"DNS hostnames are off in "+e.vpcName()+" (enableDnsHostnames is false), so the private DNS of interface endpoint "+ep.ID+" for "+serviceTitle(svc)+
					" does not take effect and the traffic goes through "+via+" instead. Turn on enableDnsHostnames for "+e.vpcName()+" if the traffic should use the endpoint."))
		}
	}
	if offTable != nil && svc == serviceS3 {
		r.add(problem(IDEndpointS3RouteTable, SeverityWarning, map[string]string{"routeTable": e.rtID()}, []string{offTable.ID, e.rtID(), e.t.SubnetID},
			"S3 gateway endpoint "+offTable.ID+" exists in "+e.vpcName()+" but is not associated with route table "+e.rtID()+" of subnet "+e.t.SubnetID+
				" (it serves "+list(offTable.RouteTables)+"), so the task's S3 traffic, ECR image layers included, goes through "+via+
				" and pays for it (NAT data processing). Associate "+e.rtID()+" with "+offTable.ID+"."))
	}
}

// explain reports why no path exists, in the most specific terms: an
// endpoint that exists but is not used, else the missing path itself.
func (e *eval) explain(svc string, ifaces []*facts.VPCEndpoint, offTable *facts.VPCEndpoint, r *Result) {
	why := strings.Join(e.why, "; ")
	if svc == serviceInternet {
		r.add(problem(IDNoInternet, SeverityError, map[string]string{"subnet": e.t.SubnetID}, []string{e.vpcID, e.t.SubnetID, e.rtID()},
			"The task in "+e.t.SubnetID+" cannot reach the internet (public registries such as Docker Hub, other public hosts): "+why+
				". Route 0.0.0.0/0 to a NAT gateway, or run the task in a public subnet with assignPublicIp ENABLED; VPC endpoints serve AWS services only."))
		return
	}
	title := serviceTitle(svc)
	explained := false
	for _, ep := range ifaces {
		if !ep.PrivateDNS {
			explained = true
			r.add(problem(IDEndpointPrivateDNS, SeverityError, map[string]string{"service": svc, "endpointId": ep.ID}, []string{ep.ID, e.vpcID},
				"Interface endpoint "+ep.ID+" for "+title+" has private DNS off, so "+e.defaultDNSName(svc)+" still resolves to public addresses, which the task cannot reach: "+why+
					". Turn on private DNS for "+ep.ID+"."))
		}
		if e.dnsHostnamesOff() {
			explained = true
			r.add(problem(IDVPCDNSHostnamesDisabled, SeverityError, map[string]string{"vpc": e.vpcID}, []string{e.vpcID, ep.ID},
				"DNS hostnames are off in "+e.vpcName()+" (enableDnsHostnames is false), so the private DNS of interface endpoint "+ep.ID+" for "+title+
					" does not take effect: "+e.defaultDNSName(svc)+" resolves to public addresses, which the task cannot reach: "+why+
					". Turn on enableDnsHostnames for "+e.vpcName()+"."))
		}
	}
	if offTable != nil && svc == serviceS3 {
		explained = true
		r.add(problem(IDEndpointS3RouteTable, SeverityError, map[string]string{"routeTable": e.rtID()}, []string{offTable.ID, e.rtID(), e.t.SubnetID},
			"S3 gateway endpoint "+offTable.ID+" exists in "+e.vpcName()+" but is not associated with route table "+e.rtID()+" of subnet "+e.t.SubnetID+
				" (it serves "+list(offTable.RouteTables)+"), so the task's S3 requests (ECR image layers included) have no route: "+why+
				". Associate "+e.rtID()+" with "+offTable.ID+"."))
	}
	if explained {
		return
	}
	looked := []string{why}
	switch {
	case offTable != nil:
		looked = append(looked, "gateway endpoint "+offTable.ID+" for "+svc+" is not associated with "+e.rtID())
	case isGatewayService(svc):
		looked = append(looked, e.vpcName()+" has no gateway or interface endpoint for "+e.endpointServiceName(svc))
	default:
		looked = append(looked, e.vpcName()+" has no interface endpoint for "+e.endpointServiceName(svc))
	}
	if !e.t.AssignPublicIP && !e.publicSubnet {
		looked = append(looked, "the task has no public IP")
	}
	todo := "Create an interface endpoint for " + e.endpointServiceName(svc) + " with private DNS in the task's subnets (its security group must allow TCP 443 from the task), or route 0.0.0.0/0 to a NAT gateway"
	if svc == serviceS3 {
		todo = "Create an S3 gateway endpoint on route table " + e.rtID() + " (it is free), or route 0.0.0.0/0 to a NAT gateway"
	}
	if e.publicSubnet {
		todo += "; in this public subnet, assigning the task a public IP (assignPublicIp ENABLED) also works"
	}
	r.add(problem(IDEndpointMissing, SeverityError, map[string]string{"service": svc}, []string{e.vpcID, e.t.SubnetID, e.rtID()},
		"The task in "+e.t.SubnetID+" has no network path to "+title+": "+joinClauses(looked)+". "+todo+"."))
}

// joinClauses joins clauses as "a; b; and c": they contain commas.
func joinClauses(cs []string) string {
	var out []string
	for _, c := range cs {
		if c != "" {
			out = append(out, c)
		}
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], "; ") + "; and " + out[len(out)-1]
}
