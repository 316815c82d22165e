package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// taskNetwork is the task's network as the diagnosis derived it (the
// PRIMARY deployment's configuration refined by the chosen task's
// interface), so the views judge rules against the same network the
// checks did.
type taskNetwork struct{ workflow.TaskNetwork }

func (ec evidenceContext) taskNetwork() taskNetwork {
	if ec.d == nil || ec.d.Evidence.Network == nil {
		return taskNetwork{}
	}
	return taskNetwork{*ec.d.Evidence.Network}
}

// primarySubnet is the subnet to judge ingress rules from: the chosen
// task's, else the first.
func (n taskNetwork) primarySubnet() string {
	if n.TaskSubnet != "" {
		return n.TaskSubnet
	}
	if len(n.Subnets) > 0 {
		return n.Subnets[0]
	}
	return ""
}

func (n taskNetwork) securityGroups(f *facts.Facts) []*facts.SecurityGroup {
	var out []*facts.SecurityGroup
	for _, id := range n.Groups {
		if sg := f.Network.SecurityGroup(id); sg != nil {
			out = append(out, sg)
		}
	}
	return out
}

// endpointGroups maps each security group of an interface endpoint on a
// task's path to the services that use it.
func endpointGroups(f *facts.Facts, paths []workflow.PathEvidence) (ids []string, services map[string][]string) {
	services = map[string][]string{}
	for _, p := range paths {
		if p.Via != string(netpath.ViaInterfaceEndpoint) || p.EndpointID == "" {
			continue
		}
		ep := endpointByID(f, p.EndpointID)
		if ep == nil {
			continue
		}
		for _, g := range ep.Groups {
			if _, seen := services[g]; !seen {
				ids = append(ids, g)
			}
			if !containsString(services[g], p.Service) {
				services[g] = append(services[g], p.Service)
			}
		}
	}
	return ids, services
}

func endpointByID(f *facts.Facts, id string) *facts.VPCEndpoint {
	for i := range f.Network.Endpoints {
		if f.Network.Endpoints[i].ID == id {
			return &f.Network.Endpoints[i]
		}
	}
	return nil
}

// destinations are where the task's 443 traffic goes on its paths, as its
// egress rules see them: interface endpoints' groups and subnets, gateway
// endpoints' prefix lists, the internet for NAT and internet gateways.
func destinations(f *facts.Facts, paths []workflow.PathEvidence, region string) map[string]netpath.Destination {
	out := map[string]netpath.Destination{}
	for _, p := range paths {
		switch netpath.Via(p.Via) {
		case netpath.ViaInterfaceEndpoint:
			if ep := endpointByID(f, p.EndpointID); ep != nil {
				d := netpath.Destination{Groups: ep.Groups}
				for _, s := range ep.Subnets {
					if sn := f.Network.Subnet(s); sn != nil {
						d.CIDRs = append(d.CIDRs, sn.CIDR)
					}
				}
				out["endpoint "+ep.ID] = d
			}
		case netpath.ViaGatewayEndpoint:
			if pl := f.Network.PrefixListByName("com.amazonaws." + region + "." + p.Service); pl != nil {
				out["prefix list "+pl.ID] = netpath.Destination{PrefixList: pl.ID, CIDRs: pl.CIDRs}
			}
		case netpath.ViaNATGateway, netpath.ViaInternetGateway:
			out["0.0.0.0/0"] = netpath.Destination{CIDRs: []string{"0.0.0.0/0"}}
		}
	}
	return out
}

// sortedKeys returns a map's keys in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ruleParts are a rule's protocol, ports and peers in words.
func ruleParts(r facts.SGRule) (proto, ports, peers string) {
	proto = strings.ToLower(r.Protocol)
	switch proto {
	case "-1", "all":
		proto, ports = "all", "all"
	default:
		switch {
		case r.FromPort == r.ToPort:
			ports = fmt.Sprint(r.FromPort)
		case r.FromPort <= 0 && (r.ToPort == 65535 || r.ToPort < 0):
			ports = "all"
		default:
			ports = fmt.Sprintf("%d-%d", r.FromPort, r.ToPort)
		}
	}
	var all []string
	all = append(all, r.CIDRs...)
	all = append(all, r.IPv6CIDRs...)
	all = append(all, r.PrefixLists...)
	all = append(all, r.Groups...)
	return proto, ports, strings.Join(all, ", ")
}

// ruleText is a rule in aligned columns, for rule lists.
func ruleText(r facts.SGRule) string {
	proto, ports, peers := ruleParts(r)
	return fmt.Sprintf("%-4s %-11s %s", proto, ports, peers)
}

// ruleSummary is a rule in a phrase: "tcp 443 from sg-1", "all traffic to
// 0.0.0.0/0".
func ruleSummary(r facts.SGRule, ingress bool) string {
	proto, ports, peers := ruleParts(r)
	dir := "to"
	if ingress {
		dir = "from"
	}
	if proto == "all" {
		return "all traffic " + dir + " " + peers
	}
	return proto + " " + ports + " " + dir + " " + peers
}

// ephemeralPorts is where replies to the task arrive (Linux's range unless
// the task runs Windows), which a network ACL must let back in.
func ephemeralPorts(osFamily string) (int32, int32) {
	if strings.HasPrefix(strings.ToUpper(osFamily), "WINDOWS") {
		return 49152, 65535
	}
	return 32768, 60999
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
