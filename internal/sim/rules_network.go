package sim

import (
	"sort"
	"strings"
)

// The simulator's own reachability rules: can a task open a connection to
// an address? They model what matters for Fargate tasks and no more.
//
//  1. DNS. With the VPC's DNS resolution off, no name resolves at all.
//  2. An interface endpoint for the service, available, with private DNS,
//     in a VPC with DNS support and hostnames on, takes over the service's
//     name: the task connects to the endpoint's network interface, and that
//     is the only way (a NAT gateway next to it does not help). The
//     endpoint's security groups must admit TCP 443 from the task, and the
//     task's must let it out.
//  3. Otherwise the connection goes wherever the subnet's route table sends
//     the address (the longest prefix wins): an S3 gateway endpoint's
//     prefix-list route, a NAT gateway (available, public, in a subnet that
//     routes to an attached internet gateway), or an internet gateway (only
//     with a public address on the task).
//  4. Security groups are stateful; network ACLs are not: the task subnet's
//     ACL must let 443 out and the reply (an ephemeral port) back in, and
//     so must the ACL of the other end's subnet when it is another one.

// ephemeralPort stands for the port a reply comes back to (Linux picks one
// in 32768-60999).
const ephemeralPort = 50000

// taskNet is a task's place on the network.
type taskNet struct {
	vpc      *vpc
	subnet   *subnet
	ip       string
	publicIP string
	groups   []string
}

// path is the outcome of a connection attempt.
type netPath struct {
	ok    bool
	ip    string // the address dialled (empty when the name did not resolve)
	cause string // the network error the client saw, as Go's net package words it
	via   string // how it went (or where it stopped), for people
}

// serviceIPs are addresses AWS's public endpoints answer on (real ones
// from us-east-1; a name resolves to one address here, to keep texts stable).
var serviceIPs = map[string]string{
	"ecr.api":        "44.213.79.104",
	"ecr.dkr":        "3.227.250.113",
	"s3":             "52.216.8.10",
	"logs":           "3.236.94.102",
	"secretsmanager": "52.46.145.210",
	"ssm":            "52.46.141.144",
	"kms":            "52.46.136.84",
	"sts":            "209.54.177.164",
}

// serviceHost is the DNS name a task uses for an AWS service.
func (a *Account) serviceHost(svc string) string {
	switch svc {
	case "ecr.api":
		return "api.ecr." + a.region + ".amazonaws.com"
	case "ecr.dkr":
		return a.registryHost()
	case "s3":
		return "prod-" + a.region + "-starport-layer-bucket.s3." + a.region + ".amazonaws.com"
	}
	return svc + "." + a.region + ".amazonaws.com"
}

// reachService is rule 1 to 4 for an AWS service of the account's region.
func (a *Account) reachService(tn taskNet, svc string) netPath {
	if !tn.vpc.dnsSupport {
		return netPath{cause: lookupFailure(a.serviceHost(svc)), via: "the VPC's DNS resolution is off"}
	}
	if ep := a.dnsEndpoint(tn.vpc, svc); ep != nil {
		return a.throughEndpoint(tn, ep)
	}
	ip := serviceIPs[svc]
	if ip == "" {
		ip = publicIP("service", svc)
	}
	return a.outbound(tn, ip, 443)
}

// reachInternet is the same for an address on the internet (a registry
// other than ECR).
func (a *Account) reachInternet(tn taskNet, host, ip string) netPath {
	if !tn.vpc.dnsSupport {
		return netPath{cause: lookupFailure(host), via: "the VPC's DNS resolution is off"}
	}
	return a.outbound(tn, ip, 443)
}

// dnsEndpoint is the interface endpoint whose private DNS answers for the
// service in the VPC, if any.
func (a *Account) dnsEndpoint(v *vpc, svc string) *vpcEndpoint {
	if !v.dnsSupport || !v.dnsHostnames {
		return nil
	}
	for _, ep := range a.endpoints.list() {
		if ep.vpc == v.id && ep.service == svc && ep.typ == "Interface" && ep.privateDNS && ep.state == "available" {
			return ep
		}
	}
	return nil
}

// throughEndpoint connects to the endpoint's interface: the one in the
// task's subnet if it has one, else the first (the endpoint's DNS name
// answers with all of them; clients take the first).
func (a *Account) throughEndpoint(tn taskNet, ep *vpcEndpoint) netPath {
	eniID := ep.enis[tn.subnet.id]
	if eniID == "" && len(ep.subnets) > 0 {
		eniID = ep.enis[ep.subnets[0]]
	}
	eni := a.enis.get(eniID)
	if eni == nil {
		return netPath{cause: "no such host", via: "endpoint " + ep.id + " has no network interface"}
	}
	p := netPath{ip: eni.ip, cause: dialTimeout(eni.ip), via: "interface endpoint " + ep.id}
	switch {
	case !a.egressAllows(tn.groups, eni.ip, 443, ep.groups):
		p.via += ": the task's security groups do not let TCP 443 out to it"
	case !a.ingressAllows(ep.groups, tn.ip, 443, tn.groups):
		p.via += ": none of its security groups admits TCP 443 from the task"
	case !a.naclsAllow(tn, eni.subnet, eni.ip, 443):
		p.via += ": a network ACL drops the traffic"
	default:
		p.ok, p.cause = true, ""
	}
	return p
}

// outbound follows the route table of the task's subnet.
func (a *Account) outbound(tn taskNet, ip string, port int32) netPath {
	p := netPath{ip: ip, cause: dialTimeout(ip)}
	rt := a.routeTableOf(tn.subnet)
	target := a.routeFor(rt, ip)
	switch {
	case target == "":
		p.via = "route table " + rt.id + " has no route to " + ip
		return p
	case strings.HasPrefix(target, "vpce-"):
		p.via = "gateway endpoint " + target
	case strings.HasPrefix(target, "nat-"):
		p.via = "NAT gateway " + target
		if why := a.natBroken(target); why != "" {
			p.via += why
			return p
		}
	case strings.HasPrefix(target, "igw-"):
		p.via = "internet gateway " + target
		if g := a.igws.get(target); g == nil || g.vpc != tn.vpc.id {
			p.via += ", which is not attached to the VPC"
			return p
		}
		if tn.publicIP == "" {
			p.via += ", but the task has no public IP (assignPublicIp is DISABLED)"
			return p
		}
	case target == "local":
		p.via = "the VPC"
	default:
		p.via = "route to " + target + ", which the simulator does not follow"
		return p
	}
	switch {
	case !a.egressAllows(tn.groups, ip, port, nil):
		p.via += ": the task's security groups do not let TCP 443 out"
	case !a.naclsAllow(tn, "", ip, port):
		p.via += ": the subnet's network ACL drops the traffic"
	default:
		p.ok, p.cause = true, ""
	}
	return p
}

// natBroken says why a NAT gateway cannot carry traffic to the internet,
// or "" if it can.
func (a *Account) natBroken(id string) string {
	n := a.nats.get(id)
	switch {
	case n == nil:
		return ", which does not exist (blackhole)"
	case n.state != "available":
		return ", which is " + n.state
	case n.private:
		return ", which is private (no internet)"
	}
	sn := a.subnets.get(n.subnet)
	target := a.routeFor(a.routeTableOf(sn), "0.0.0.0")
	if g := a.igws.get(target); g == nil || g.vpc != n.vpc {
		return ", whose own subnet has no route to an attached internet gateway"
	}
	return ""
}

// routeTableOf is the subnet's route table: its explicit association, or
// the VPC's main table.
func (a *Account) routeTableOf(sn *subnet) *routeTable {
	for _, rt := range a.rtbs.list() {
		for _, as := range rt.assocs {
			if as.subnet == sn.id {
				return rt
			}
		}
	}
	return a.rtbs.get(a.vpcs.get(sn.vpc).mainRTB)
}

// effectiveRoutes lists a table's routes as EC2 shows them: the local
// route, the table's own, and one per gateway endpoint associated with it.
func (a *Account) effectiveRoutes(rt *routeTable) []route {
	v := a.vpcs.get(rt.vpc)
	out := []route{{dest: v.cidr, target: "local"}}
	out = append(out, rt.routes...)
	for _, ep := range a.endpoints.list() {
		if ep.typ == "Gateway" && ep.state == "available" && contains(ep.routeTables, rt.id) {
			if pl := a.prefixListFor(ep.service); pl != nil {
				out = append(out, route{dest: pl.id, target: ep.id})
			}
		}
	}
	return out
}

// prefixListFor is the managed prefix list of a gateway endpoint's service.
func (a *Account) prefixListFor(svc string) *prefixList {
	for _, pl := range a.prefixLists.list() {
		if pl.name == "com.amazonaws."+a.region+"."+svc {
			return pl
		}
	}
	return nil
}

// routeFor picks the route for an address by longest prefix; a prefix-list
// route counts as long as the list's block that holds the address.
func (a *Account) routeFor(rt *routeTable, ip string) string {
	best, bestBits := "", -1
	for _, r := range a.effectiveRoutes(rt) {
		bits := -1
		if strings.HasPrefix(r.dest, "pl-") {
			if pl := a.prefixLists.get(r.dest); pl != nil {
				for _, c := range pl.cidrs {
					if containsIP(c, ip) && prefixBits(c) > bits {
						bits = prefixBits(c)
					}
				}
			}
		} else if containsIP(r.dest, ip) {
			bits = prefixBits(r.dest)
		}
		if bits > bestBits {
			best, bestBits = r.target, bits
		}
	}
	return best
}

// ---- security groups ----

// ruleCovers reports whether a rule's protocol and ports include TCP port.
func ruleCovers(r sgRule, port int32) bool {
	if r.proto == "-1" {
		return true
	}
	return r.proto == "tcp" && r.from <= port && port <= r.to
}

// peerMatches reports whether a rule's peer is the address or one of the
// groups on the other end.
func (a *Account) peerMatches(r sgRule, ip string, groups []string) bool {
	switch {
	case r.cidr != "":
		return containsIP(r.cidr, ip)
	case r.group != "":
		return contains(groups, r.group)
	case r.prefixList != "":
		if pl := a.prefixLists.get(r.prefixList); pl != nil {
			for _, c := range pl.cidrs {
				if containsIP(c, ip) {
					return true
				}
			}
		}
	}
	return false
}

// egressAllows: may a member of groups open TCP port to ip (whose
// interface carries peerGroups)?
func (a *Account) egressAllows(groups []string, ip string, port int32, peerGroups []string) bool {
	for _, g := range groups {
		if sg := a.sgs.get(g); sg != nil {
			for _, r := range sg.egress {
				if ruleCovers(r, port) && a.peerMatches(r, ip, peerGroups) {
					return true
				}
			}
		}
	}
	return false
}

// ingressAllows: does one of groups admit TCP port from ip (whose
// interface carries peerGroups)?
func (a *Account) ingressAllows(groups []string, ip string, port int32, peerGroups []string) bool {
	for _, g := range groups {
		if sg := a.sgs.get(g); sg != nil {
			for _, r := range sg.ingress {
				if ruleCovers(r, port) && a.peerMatches(r, ip, peerGroups) {
					return true
				}
			}
		}
	}
	return false
}

// ---- network ACLs ----

// aclAllows evaluates a subnet's ACL for one packet: entries in rule-number
// order, the first that matches decides.
func (a *Account) aclAllows(subnetID string, egress bool, ip string, port int32) bool {
	acl := a.acls.get(a.subnetACL[subnetID])
	if acl == nil {
		return true
	}
	entries := append([]aclEntry(nil), acl.entries...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].rule < entries[j].rule })
	for _, e := range entries {
		if e.egress != egress || !containsIP(e.cidr, ip) {
			continue
		}
		if e.proto != "-1" && (e.proto != "6" || port < e.from || port > e.to) {
			continue
		}
		return e.action == "allow"
	}
	return false
}

// naclsAllow checks both ACLs a TCP connection from the task to ip:port
// crosses, when the two ends are in different subnets. peerSubnet is the
// other end's subnet ("" for an address outside the VPC).
func (a *Account) naclsAllow(tn taskNet, peerSubnet, ip string, port int32) bool {
	if peerSubnet == tn.subnet.id {
		return true // inside one subnet no ACL is crossed
	}
	if !a.aclAllows(tn.subnet.id, true, ip, port) || !a.aclAllows(tn.subnet.id, false, ip, ephemeralPort) {
		return false
	}
	if peerSubnet != "" {
		return a.aclAllows(peerSubnet, false, tn.ip, port) && a.aclAllows(peerSubnet, true, tn.ip, ephemeralPort)
	}
	return true
}

// reachDatabase: can the task connect to the database's port? Inside the
// VPC the local route always applies; security groups and ACLs decide.
func (a *Account) reachDatabase(tn taskNet, db *database) bool {
	eni := a.enis.get(db.eni)
	if eni == nil || db.vpc != tn.vpc.id {
		return false
	}
	return a.egressAllows(tn.groups, db.ip, db.port, db.groups) &&
		a.ingressAllows(db.groups, tn.ip, db.port, tn.groups) &&
		a.naclsAllow(tn, eni.subnet, db.ip, db.port)
}
