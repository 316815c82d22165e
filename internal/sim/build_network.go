package sim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// buildVPCs creates each VPC with what AWS creates along with it: a main
// route table (only the local route), a default network ACL that allows
// everything both ways, and a default security group.
func (a *Account) buildVPCs(w *world) error {
	for _, v := range w.sc.World.VPCs {
		if prefixBits(v.CIDR) < 0 {
			return fmt.Errorf("vpc %s: %q is not a CIDR", v.Name, v.CIDR)
		}
		x := &vpc{
			id: a.namedID("vpc", w.sc.Name, v.Name), name: v.Name, owner: w.sc.Name, cidr: v.CIDR,
			dnsSupport: v.DNSSupport == nil || *v.DNSSupport, dnsHostnames: v.DNSHostnames == nil || *v.DNSHostnames,
		}
		a.vpcs.put(x.id, x)
		w.ids["vpc:"+v.Name] = x.id

		rt := &routeTable{id: a.ec2ID("rtb", w.sc.Name, "main", v.Name), owner: w.sc.Name, vpc: x.id, main: true}
		if a.opts.Replay {
			// A snapshot names the main route table and default ACL by id.
			for _, st := range w.sc.World.RouteTables {
				if st.Main && st.VPC == v.Name {
					rt.id = a.namedID("rtb", w.sc.Name, st.Name)
				}
			}
		}
		rt.mainAssoc = a.ec2ID("rtbassoc", rt.id, "main")
		a.rtbs.put(rt.id, rt)
		x.mainRTB = rt.id

		acl := &networkACL{id: a.ec2ID("acl", w.sc.Name, "default", v.Name), owner: w.sc.Name, vpc: x.id, isDefault: true}
		if a.opts.Replay {
			for _, sa := range w.sc.World.NetworkACLs {
				if sa.Default && sa.VPC == v.Name {
					acl.id = a.namedID("acl", w.sc.Name, sa.Name)
				}
			}
		}
		acl.entries = append([]aclEntry{
			{rule: 100, egress: false, proto: "-1", action: "allow", cidr: "0.0.0.0/0"},
			{rule: 100, egress: true, proto: "-1", action: "allow", cidr: "0.0.0.0/0"},
		}, denyAll()...)
		a.acls.put(acl.id, acl)
		x.defaultACL = acl.id

		sg := &securityGroup{id: a.ec2ID("sg", w.sc.Name, "default", v.Name), name: "default", owner: w.sc.Name, vpc: x.id, desc: "default VPC security group"}
		sg.ingress = []sgRule{{id: a.ec2ID("sgr", sg.id, "in-self"), proto: "-1", from: -1, to: -1, group: sg.id}}
		sg.egress = []sgRule{{id: a.ec2ID("sgr", sg.id, "out-all"), proto: "-1", from: -1, to: -1, cidr: "0.0.0.0/0"}}
		a.sgs.put(sg.id, sg)
		x.defSG = sg.id
	}
	return nil
}

// denyAll is the "*" rule every network ACL ends with.
func denyAll() []aclEntry {
	return []aclEntry{
		{rule: 32767, egress: false, proto: "-1", action: "deny", cidr: "0.0.0.0/0"},
		{rule: 32767, egress: true, proto: "-1", action: "deny", cidr: "0.0.0.0/0"},
	}
}

func (a *Account) buildSubnets(w *world) error {
	for _, s := range w.sc.World.Subnets {
		vpcID, err := w.id("vpc", s.VPC)
		if err != nil {
			return err
		}
		v := a.vpcs.get(vpcID)
		if !containsIP(v.cidr, strings.Split(s.CIDR, "/")[0]) || subnetSize(s.CIDR) == 0 {
			return fmt.Errorf("subnet %s: %s is not a usable block of %s", s.Name, s.CIDR, v.cidr)
		}
		x := &subnet{
			id: a.namedID("subnet", w.sc.Name, s.Name), name: s.Name, owner: w.sc.Name, vpc: vpcID,
			az: s.AZ, azID: azID(s.AZ), cidr: s.CIDR, mapPublicIP: s.MapPublicIPOnLaunch, used: map[string]bool{},
		}
		a.subnets.put(x.id, x)
		w.ids["subnet:"+s.Name] = x.id
		// Every subnet starts in the VPC's default network ACL.
		a.subnetACL[x.id] = v.defaultACL
		a.aclAssoc[x.id] = a.ec2ID("aclassoc", x.id, v.defaultACL)
	}
	return nil
}

// azID is the zone id of a zone name: us-east-1a -> use1-az1. (AWS maps
// names to ids per account; a fixed mapping is as good as any.)
func azID(az string) string {
	if len(az) < 2 {
		return ""
	}
	region, letter := az[:len(az)-1], az[len(az)-1]
	parts := strings.Split(region, "-")
	short := ""
	for i, p := range parts {
		if i == 1 && p != "" {
			short += p[:1]
		} else {
			short += p
		}
	}
	return short + "-az" + strconv.Itoa(int(letter-'a')+1)
}

func (a *Account) buildInternetGateways(w *world) error {
	for _, g := range w.sc.World.InternetGateways {
		vpcID, err := w.id("vpc", g.VPC)
		if err != nil {
			return err
		}
		x := &internetGateway{id: a.namedID("igw", w.sc.Name, g.Name), name: g.Name, owner: w.sc.Name, vpc: vpcID}
		a.igws.put(x.id, x)
		w.ids["igw:"+g.Name] = x.id
	}
	return nil
}

func (a *Account) buildNATGateways(w *world) error {
	for _, n := range w.sc.World.NATGateways {
		subnetID, err := w.id("subnet", n.Subnet)
		if err != nil {
			return err
		}
		sn := a.subnets.get(subnetID)
		x := &natGateway{
			id: a.namedID("nat", w.sc.Name, n.Name), name: n.Name, owner: w.sc.Name, vpc: sn.vpc, subnet: subnetID,
			state: orDefault(n.State, "available"), private: n.Private, created: a.clock,
		}
		ip, err := allocIP(sn, x.id)
		if err != nil {
			return fmt.Errorf("NAT gateway %s: %w", n.Name, err)
		}
		x.privateIP = ip
		if !n.Private {
			x.publicIP = publicIP("nat", x.id)
			x.alloc = a.ec2ID("eipalloc", x.id)
			x.assoc = a.ec2ID("eipassoc", x.id)
		}
		eni := &networkInterface{
			id: a.ec2ID("eni", x.id), owner: w.sc.Name, vpc: sn.vpc, subnet: sn.id, az: sn.az, ip: ip, publicIP: x.publicIP,
			kind: "nat_gateway", desc: "Interface for NAT Gateway " + x.id, requester: "amazon-nat-gateway",
		}
		eni.mac = macOf(eni.id)
		a.enis.put(eni.id, eni)
		x.eni = eni.id
		a.nats.put(x.id, x)
		w.ids["nat:"+n.Name] = x.id
	}
	return nil
}

func (a *Account) buildRouteTables(w *world) error {
	for _, rt := range w.sc.World.RouteTables {
		vpcID, err := w.id("vpc", rt.VPC)
		if err != nil {
			return err
		}
		var x *routeTable
		if rt.Main {
			x = a.rtbs.get(a.vpcs.get(vpcID).mainRTB)
		} else {
			x = &routeTable{id: a.namedID("rtb", w.sc.Name, rt.Name), owner: w.sc.Name, vpc: vpcID}
			a.rtbs.put(x.id, x)
		}
		x.name = rt.Name
		w.ids["rtb:"+rt.Name] = x.id
		for _, s := range rt.Subnets {
			subnetID, err := w.id("subnet", s)
			if err != nil {
				return err
			}
			a.associateRouteTable(x, subnetID)
		}
		for _, r := range rt.Routes {
			target := r.Target
			if id, ok := w.ids["igw:"+target]; ok {
				target = id
			} else if id, ok := w.ids["nat:"+target]; ok {
				target = id
			}
			x.routes = append(x.routes, route{dest: r.Destination, target: target})
		}
	}
	return nil
}

// associateRouteTable moves a subnet to a route table: a subnet has at most
// one explicit association.
func (a *Account) associateRouteTable(rt *routeTable, subnetID string) {
	for _, other := range a.rtbs.list() {
		for i, as := range other.assocs {
			if as.subnet == subnetID {
				other.assocs = append(other.assocs[:i:i], other.assocs[i+1:]...)
				break
			}
		}
	}
	rt.assocs = append(rt.assocs, rtAssoc{id: a.ec2ID("rtbassoc", rt.id, subnetID), subnet: subnetID})
}

// buildSecurityGroups creates every group first, so that rules can name
// any of them, then adds the rules.
func (a *Account) buildSecurityGroups(w *world) error {
	for _, g := range w.sc.World.SecurityGroups {
		vpcID, err := w.id("vpc", g.VPC)
		if err != nil {
			return err
		}
		x := &securityGroup{
			id: a.namedID("sg", w.sc.Name, g.Name), name: g.AWSGroupName(), tagName: g.Name, owner: w.sc.Name, vpc: vpcID,
			desc: orDefault(g.Description, g.Name+" security group"),
		}
		a.sgs.put(x.id, x)
		w.ids["sg:"+g.Name] = x.id
	}
	for _, g := range w.sc.World.SecurityGroups {
		x := a.sgs.get(w.ids["sg:"+g.Name])
		in, err := a.scenarioRules(w, x.id, "in", g.Ingress)
		if err != nil {
			return fmt.Errorf("security group %s: %w", g.Name, err)
		}
		x.ingress = in
		switch {
		case g.Egress != nil:
			if x.egress, err = a.scenarioRules(w, x.id, "out", g.Egress); err != nil {
				return fmt.Errorf("security group %s: %w", g.Name, err)
			}
		case !g.NoEgress:
			// AWS's default for a new group: all traffic anywhere.
			x.egress = []sgRule{{id: a.ec2ID("sgr", x.id, "out-all"), proto: "-1", from: -1, to: -1, cidr: "0.0.0.0/0"}}
		}
	}
	return nil
}

// scenarioRules turns a scenario's rules into atomic rules, one per peer.
func (a *Account) scenarioRules(w *world, self, dir string, rules []scenario.Rule) ([]sgRule, error) {
	var out []sgRule
	for i, r := range rules {
		proto := normalProto(orDefault(r.Protocol, "tcp"))
		from, to := r.FromPort, r.ToPort
		if r.Port != 0 {
			from, to = r.Port, r.Port
		}
		if proto == "-1" {
			from, to = -1, -1
		}
		base := sgRule{proto: proto, from: from, to: to}
		mk := func(peer string, set func(*sgRule)) {
			x := base
			set(&x)
			x.id = a.ec2ID("sgr", self, dir, strconv.Itoa(i), peer)
			out = append(out, x)
		}
		for _, c := range r.CIDRs {
			mk(c, func(x *sgRule) { x.cidr = c })
		}
		for _, g := range r.Groups {
			id := g
			if g == "self" {
				id = self
			} else if v, ok := w.ids["sg:"+g]; ok {
				id = v
			}
			mk(id, func(x *sgRule) { x.group = id })
		}
		for _, pl := range r.PrefixLists {
			id := pl
			if pl == "s3" {
				id = a.s3PrefixList().id
			}
			mk(id, func(x *sgRule) { x.prefixList = id })
		}
	}
	return out, nil
}

// normalProto writes a protocol as EC2 returns it: tcp, udp, icmp or -1.
func normalProto(p string) string {
	switch strings.ToLower(p) {
	case "6", "tcp":
		return "tcp"
	case "17", "udp":
		return "udp"
	case "1", "icmp":
		return "icmp"
	case "-1", "all", "":
		return "-1"
	}
	return strings.ToLower(p)
}

// aclProto writes a protocol as network ACL entries store it: a number.
func aclProto(p string) (string, error) {
	switch strings.ToLower(p) {
	case "", "-1", "all":
		return "-1", nil
	case "tcp":
		return "6", nil
	case "udp":
		return "17", nil
	case "icmp":
		return "1", nil
	}
	if _, err := strconv.Atoi(p); err != nil {
		return "", fmt.Errorf("protocol %q is neither a name nor a number", p)
	}
	return p, nil
}

func (a *Account) buildNetworkACLs(w *world) error {
	for _, n := range w.sc.World.NetworkACLs {
		vpcID, err := w.id("vpc", n.VPC)
		if err != nil {
			return err
		}
		var x *networkACL
		if n.Default {
			x = a.acls.get(a.vpcs.get(vpcID).defaultACL)
		} else {
			x = &networkACL{id: a.namedID("acl", w.sc.Name, n.Name), owner: w.sc.Name, vpc: vpcID}
			a.acls.put(x.id, x)
		}
		x.name = n.Name
		w.ids["acl:"+n.Name] = x.id
		// The scenario's entries replace everything but the final "*" rules.
		x.entries = nil
		for _, e := range n.Entries {
			proto, err := aclProto(e.Protocol)
			if err != nil {
				return fmt.Errorf("network ACL %s rule %d: %w", n.Name, e.Rule, err)
			}
			x.entries = append(x.entries, aclEntry{
				rule: e.Rule, egress: e.Egress, proto: proto, action: strings.ToLower(e.Action), cidr: e.CIDR, from: e.FromPort, to: e.ToPort,
			})
		}
		x.entries = append(x.entries, denyAll()...)
		for _, s := range n.Subnets {
			subnetID, err := w.id("subnet", s)
			if err != nil {
				return err
			}
			a.subnetACL[subnetID] = x.id
			a.aclAssoc[subnetID] = a.ec2ID("aclassoc", subnetID, x.id)
		}
	}
	return nil
}

func (a *Account) buildEndpoints(w *world) error {
	for _, e := range w.sc.World.Endpoints {
		vpcID, err := w.id("vpc", e.VPC)
		if err != nil {
			return err
		}
		subnets, err := w.idList("subnet", e.Subnets)
		if err != nil {
			return err
		}
		groups, err := w.idList("sg", e.Groups)
		if err != nil {
			return err
		}
		rtbs, err := w.idList("rtb", e.RouteTables)
		if err != nil {
			return err
		}
		typ := e.Type
		if typ == "" {
			typ = "Interface"
			if e.Service == "s3" || e.Service == "dynamodb" {
				typ = "Gateway"
			}
		}
		x := &vpcEndpoint{
			id: a.namedID("vpce", w.sc.Name, e.Name), name: e.Name, owner: w.sc.Name, vpc: vpcID, service: e.Service,
			typ: typ, state: orDefault(e.State, "available"), subnets: subnets, routeTables: rtbs,
			privateDNS: typ == "Interface" && (e.PrivateDNS == nil || *e.PrivateDNS), policy: fullAccessPolicy, created: a.clock,
		}
		if typ == "Interface" {
			if len(groups) == 0 {
				groups = []string{a.vpcs.get(vpcID).defSG}
			}
			x.groups = groups
			if err := a.endpointInterfaces(x); err != nil {
				return fmt.Errorf("endpoint %s: %w", e.Name, err)
			}
		}
		a.endpoints.put(x.id, x)
		w.ids["endpoint:"+e.Name] = x.id
	}
	return nil
}

// fullAccessPolicy is the policy AWS gives an endpoint unless told otherwise.
const fullAccessPolicy = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

// endpointInterfaces gives an interface endpoint one network interface per
// subnet, carrying the endpoint's security groups.
func (a *Account) endpointInterfaces(x *vpcEndpoint) error {
	if x.enis == nil {
		x.enis = map[string]string{}
	}
	for _, s := range x.subnets {
		if _, ok := x.enis[s]; ok {
			continue
		}
		sn := a.subnets.get(s)
		ip, err := allocIP(sn, x.id)
		if err != nil {
			return err
		}
		eni := &networkInterface{
			id: a.ec2ID("eni", x.id, s), owner: x.owner, vpc: x.vpc, subnet: s, az: sn.az, ip: ip,
			kind: "vpc_endpoint", desc: "VPC Endpoint Interface " + x.id, requester: "727180483921", groups: x.groups,
		}
		eni.mac = macOf(eni.id)
		a.enis.put(eni.id, eni)
		x.enis[s] = eni.id
	}
	return nil
}
