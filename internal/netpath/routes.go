package netpath

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// targetKind is what a route sends traffic to.
type targetKind int

const (
	targetOther targetKind = iota
	targetIGW
	targetNAT
	targetTransitGateway
	targetPeering
	targetVPNGateway
	targetInstance
	targetENI
	targetGWLBEndpoint
)

// defaultRoute returns the subnet table's active 0.0.0.0/0 route, and a
// blackhole one for the evidence (its target was deleted or detached, so
// AWS drops the traffic).
func defaultRoute(rt *facts.RouteTable) (active, blackhole *facts.Route) {
	if rt == nil {
		return nil, nil
	}
	for i := range rt.Routes {
		r := &rt.Routes[i]
		p, ok := parseCIDR(r.DestinationCIDR)
		if !ok || p.Bits() != 0 {
			continue
		}
		if strings.EqualFold(r.State, "blackhole") {
			if blackhole == nil {
				blackhole = r
			}
			continue
		}
		// An empty state is an emulator or a partial fact: the route exists.
		if active == nil {
			active = r
		}
	}
	return active, blackhole
}

// routeTarget classifies a route's target. A NAT instance route carries
// both InstanceID and NetworkInterfaceID; either way it is not followable.
func routeTarget(r *facts.Route) (targetKind, string) {
	switch {
	case r.NATGatewayID != "":
		return targetNAT, r.NATGatewayID
	case r.TransitGatewayID != "":
		return targetTransitGateway, r.TransitGatewayID
	case r.VPCPeeringID != "":
		return targetPeering, r.VPCPeeringID
	case r.VPCEndpointID != "":
		return targetGWLBEndpoint, r.VPCEndpointID
	case r.InstanceID != "":
		return targetInstance, r.InstanceID
	case r.NetworkInterfaceID != "":
		return targetENI, r.NetworkInterfaceID
	case strings.HasPrefix(r.GatewayID, "igw-"):
		return targetIGW, r.GatewayID
	case strings.HasPrefix(r.GatewayID, "vgw-"):
		return targetVPNGateway, r.GatewayID
	case r.GatewayID != "":
		return targetOther, r.GatewayID
	}
	return targetOther, r.EgressOnlyGatewayID
}

func describeTarget(k targetKind, id string) string {
	switch k {
	case targetIGW:
		return "internet gateway " + id
	case targetNAT:
		return "NAT gateway " + id
	case targetTransitGateway:
		return "transit gateway " + id
	case targetPeering:
		return "VPC peering connection " + id
	case targetVPNGateway:
		return "virtual private gateway " + id
	case targetInstance:
		return "instance " + id + " (a NAT instance or appliance)"
	case targetENI:
		return "network interface " + id + " (a NAT instance or appliance)"
	case targetGWLBEndpoint:
		return "gateway load balancer endpoint " + id + " (a firewall)"
	}
	if id == "" {
		return "an unknown target"
	}
	return id
}

// igwAttached reports whether the internet gateway is attached to the VPC.
// The gatherer lists the VPC's gateways; with none listed we cannot tell and
// trust the route, which AWS marks blackhole when its gateway is detached.
func (e *eval) igwAttached(id string) bool {
	if len(e.n.InternetGateways) == 0 {
		return true
	}
	if e.vpcID == "" {
		for _, g := range e.n.InternetGateways {
			if g.ID == id {
				return len(g.VPCs) > 0
			}
		}
		return false
	}
	return e.n.InternetGatewayAttached(id, e.vpcID)
}

// natCheck is what we learned about the NAT gateway a default route names.
type natCheck struct {
	nat    *facts.NATGateway
	known  bool   // the NAT and its subnet's routing were in the facts
	usable bool   // available, public, and its subnet routes to an attached IGW
	reason string // why it is unusable, or why it cannot be followed
	// onward is set when the NAT subnet's default route goes to something we
	// cannot follow (a firewall endpoint, a transit gateway): the NAT itself
	// is fine but the rest of the path is unverified.
	onward string
	rtID   string // the NAT subnet's route table
}

func (e *eval) checkNAT(id string) natCheck {
	c := natCheck{nat: e.n.NATGateway(id)}
	if c.nat == nil {
		c.reason = "it is not among the VPC's NAT gateways in the facts"
		return c
	}
	nat := c.nat
	if !strings.EqualFold(nat.State, "available") {
		c.known = true
		c.reason = "it is in state " + quoteState(nat.State)
		return c
	}
	if strings.EqualFold(nat.ConnectivityType, "private") {
		c.known = true
		c.reason = "it is a private NAT gateway, which has no internet access"
		return c
	}
	rt := e.n.RouteTableFor(nat.SubnetID)
	if rt == nil {
		c.reason = "the route table of its subnet " + nat.SubnetID + " is not in the facts"
		return c
	}
	c.known = true
	c.rtID = rt.ID
	active, blackhole := defaultRoute(rt)
	if active == nil {
		c.reason = "route table " + rt.ID + " of its subnet " + nat.SubnetID + " has no active 0.0.0.0/0 route"
		if blackhole != nil {
			k, tid := routeTarget(blackhole)
			c.reason += " (the one to " + describeTarget(k, tid) + " is a blackhole)"
		}
		return c
	}
	k, tid := routeTarget(active)
	switch k {
	case targetIGW:
		if !e.igwAttached(tid) {
			c.reason = "route table " + rt.ID + " of its subnet " + nat.SubnetID + " sends 0.0.0.0/0 to internet gateway " + tid + ", which is not attached to " + e.vpcName()
			return c
		}
	case targetNAT:
		c.reason = "route table " + rt.ID + " of its subnet " + nat.SubnetID + " sends 0.0.0.0/0 to another NAT gateway (" + tid + ") instead of an internet gateway"
		return c
	default:
		c.usable = true
		c.onward = "the NAT's subnet " + nat.SubnetID + " sends 0.0.0.0/0 on to " + describeTarget(k, tid)
		return c
	}
	c.usable = true
	return c
}

func quoteState(s string) string {
	if s == "" {
		return `"" (unknown)`
	}
	return `"` + s + `"`
}
