package netpath

import (
	"net/netip"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// RuleRef names one rule of one security group.
type RuleRef struct {
	GroupID string
	Index   int // into the group's Ingress or Egress
}

// Destination is where the task's traffic goes, as security group egress
// rules see it. A rule allows the traffic when it references one of Groups
// (the groups on the destination's network interfaces) or PrefixList, or
// when the rules' CIDRs together cover every one of CIDRs.
type Destination struct {
	CIDRs      []string
	Groups     []string
	PrefixList string
}

// tri is a yes/no answer that may also be "cannot tell" for lack of facts.
type tri int8

const (
	triNo tri = iota
	triYes
	triUnknown
)

// ruleAllowsTCP reports whether a rule's protocol and port range include the
// TCP port. "-1" means every protocol and port whatever the ports say.
func ruleAllowsTCP(r facts.SGRule, port int32) bool {
	switch strings.ToLower(strings.TrimSpace(r.Protocol)) {
	case "-1", "all":
		return true
	case "tcp", "6":
		return r.FromPort <= port && port <= r.ToPort
	}
	return false
}

// source is who sends the traffic, as ingress rules see it: the task's
// groups and its address range (the /32 when the private IP is known to lie
// in the subnet, else the subnet CIDR, since any address there may be used).
type source struct {
	groups []string
	prefix netip.Prefix
	known  bool // prefix is set
}

func taskSource(n *facts.Network, t TaskNet) source {
	src := source{groups: t.SecurityGroups}
	var subnet netip.Prefix
	subnetOK := false
	if s := n.Subnet(t.SubnetID); s != nil {
		subnet, subnetOK = parseCIDR(s.CIDR)
	}
	ip, ipOK := parseAddrOrCIDR(t.PrivateIP)
	ipOK = ipOK && ip.Bits() == 32
	switch {
	case ipOK && subnetOK && subnet.Contains(ip.Addr()):
		src.prefix, src.known = ip, true
	case subnetOK:
		src.prefix, src.known = subnet, true
	case ipOK:
		src.prefix, src.known = ip, true
	}
	return src
}

// prefixListCIDRs returns the CIDRs of a prefix list; known is false when
// the list (or its entries) is not in the facts.
func prefixListCIDRs(n *facts.Network, id string) (cidrs []netip.Prefix, known bool) {
	if n == nil {
		return nil, false
	}
	for _, pl := range n.PrefixLists {
		if pl.ID == id {
			cidrs = parseCIDRs(pl.CIDRs)
			return cidrs, len(cidrs) > 0
		}
	}
	return nil, false
}

func hasAny(have []string, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h != "" && h == w {
				return true
			}
		}
	}
	return false
}

// IngressRulesAdmitting returns the indexes (into sg.Ingress) of the rules
// that admit TCP port from the task: by a reference to one of the task's
// groups, or by CIDRs or prefix lists that cover the task's address range.
// When no rule covers it alone but several together do, those are returned.
func IngressRulesAdmitting(sg *facts.SecurityGroup, from TaskNet, n *facts.Network, port int32) []int {
	if sg == nil {
		return nil
	}
	if n == nil {
		n = &facts.Network{}
	}
	refs, _ := ingressAdmitting([]*facts.SecurityGroup{sg}, taskSource(n, from), n, port)
	out := make([]int, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.Index)
	}
	return out
}

// ingressAdmitting decides over the union of the groups' ingress rules,
// because an interface carrying several groups is admitted by any of them.
// It answers triUnknown when the source address is unknown and only CIDR
// rules could admit it, or when a rule names a prefix list whose entries are
// not in the facts (a customer list might well hold the task's subnet).
func ingressAdmitting(sgs []*facts.SecurityGroup, src source, n *facts.Network, port int32) ([]RuleRef, tri) {
	var direct, partial []RuleRef
	var pieces []netip.Prefix
	maybe := false
	for _, sg := range sgs {
		if sg == nil {
			continue
		}
		for i, rule := range sg.Ingress {
			if !ruleAllowsTCP(rule, port) {
				continue
			}
			ref := RuleRef{GroupID: sg.ID, Index: i}
			if hasAny(rule.Groups, src.groups) {
				direct = append(direct, ref)
				continue
			}
			peers := parseCIDRs(rule.CIDRs)
			for _, pl := range rule.PrefixLists {
				cidrs, known := prefixListCIDRs(n, pl)
				if !known {
					maybe = true
				}
				peers = append(peers, cidrs...)
			}
			if len(peers) == 0 {
				continue
			}
			if !src.known {
				maybe = true
				continue
			}
			overlapping := false
			for _, p := range peers {
				if prefixContains(p, src.prefix) {
					direct = append(direct, ref)
					overlapping = false
					break
				}
				if p.Overlaps(src.prefix) {
					overlapping = true
					pieces = append(pieces, p)
				}
			}
			if overlapping {
				partial = append(partial, ref)
			}
		}
	}
	switch {
	case len(direct) > 0:
		return direct, triYes
	case src.known && len(pieces) > 0 && coveredBy(src.prefix, pieces):
		return partial, triYes
	case maybe:
		return nil, triUnknown
	}
	return nil, triNo
}

// EgressRulesAllowing returns the egress rules of the groups (a task's
// groups act as one union) that allow TCP port to the destination, or nil
// when the traffic is not allowed. Rules that each allow it alone are
// preferred; otherwise the CIDR rules that together cover it are returned.
func EgressRulesAllowing(sgs []*facts.SecurityGroup, to Destination, port int32) []RuleRef {
	var direct, partial []RuleRef
	var pieces []netip.Prefix
	dst := parseCIDRs(to.CIDRs)
	for _, sg := range sgs {
		if sg == nil {
			continue
		}
		for i, rule := range sg.Egress {
			if !ruleAllowsTCP(rule, port) {
				continue
			}
			ref := RuleRef{GroupID: sg.ID, Index: i}
			if hasAny(rule.Groups, to.Groups) || hasAny(rule.PrefixLists, []string{to.PrefixList}) {
				direct = append(direct, ref)
				continue
			}
			peers := parseCIDRs(rule.CIDRs)
			if len(peers) == 0 || len(dst) == 0 {
				continue
			}
			alone, overlapping := true, false
			for _, d := range dst {
				if !coveredBy(d, peers) {
					alone = false
				}
				for _, p := range peers {
					if p.Overlaps(d) {
						overlapping = true
					}
				}
			}
			switch {
			case alone:
				direct = append(direct, ref)
			case overlapping:
				partial = append(partial, ref)
				pieces = append(pieces, peers...)
			}
		}
	}
	if len(direct) > 0 {
		return direct
	}
	if len(dst) == 0 || len(pieces) == 0 {
		return nil
	}
	for _, d := range dst {
		if !coveredBy(d, pieces) {
			return nil
		}
	}
	return partial
}
