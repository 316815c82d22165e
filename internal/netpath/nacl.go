package netpath

import (
	"sort"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// implicitDenyRule is the number AWS shows for the final "*" rule that
// denies whatever no numbered rule matched.
const implicitDenyRule int32 = 32767

// portRange is an inclusive TCP port interval.
type portRange struct{ lo, hi int32 }

func (p portRange) overlaps(o portRange) bool { return p.lo <= o.hi && o.lo <= p.hi }

// Ephemeral (return traffic) port ranges. Network ACLs are stateless, so the
// reply to a connection needs an inbound rule for the port the client chose.
var (
	// Fargate Linux tasks keep the kernel default ip_local_port_range.
	linuxEphemeral = portRange{32768, 60999}
	// Windows Server picks client ports from 49152-65535.
	windowsEphemeral = portRange{49152, 65535}
	// NAT gateways translate to source ports 1024-65535, so replies to the
	// NAT arrive there (AWS documents this range for NAT subnets' ACLs).
	natEphemeral = portRange{1024, 65535}
	allPorts     = portRange{0, 65535}
)

func (p portRange) String() string {
	if p.lo == p.hi {
		return itoa(p.lo)
	}
	return itoa(p.lo) + "-" + itoa(p.hi)
}

// NACLVerdict is a network ACL's decision for TCP traffic to (egress) or
// from (ingress) an address range on a port range.
type NACLVerdict struct {
	// Known is false when there was nothing to judge (no ACL, malformed
	// input); Allowed is then true, since missing facts prove no block.
	Known   bool
	Allowed bool
	// RuleNumber is the deciding entry: when allowed, the allow entry that
	// completed the coverage of the range; when blocked, the first entry
	// that denies part of the range, or 32767 for AWS's final "*" rule.
	RuleNumber int32
	// Implicit is true when the block comes from the final "*" rule: part of
	// the range matches no numbered entry.
	Implicit bool
	// Split is true when an entry covering only part of the address range
	// took part in the decision, so a narrower range could decide otherwise.
	Split bool
}

// EvaluateNACL decides TCP traffic on one port to (egress) or from (ingress)
// cidr (a CIDR or an IPv4 address) with AWS's first-match semantics.
func EvaluateNACL(acl *facts.NetworkACL, egress bool, cidr string, port int32) NACLVerdict {
	return EvaluateNACLRange(acl, egress, cidr, port, port)
}

// EvaluateNACLRange is EvaluateNACL over a port range (e.g. the ephemeral
// ports of return traffic). The range is allowed only if every address and
// port in it is allowed: a deny that overlaps part of it blocks it.
func EvaluateNACLRange(acl *facts.NetworkACL, egress bool, cidr string, fromPort, toPort int32) NACLVerdict {
	p, ok := parseAddrOrCIDR(cidr)
	if acl == nil || !ok || fromPort > toPort || toPort < 0 || fromPort > 65535 {
		return NACLVerdict{Allowed: true}
	}
	return evalNACL(acl, egress, spanOf(p), portRange{max(fromPort, 0), min(toPort, 65535)})
}

type naclRule struct {
	num   int32
	allow bool
	addr  span
	ports portRange
}

// naclRules returns the entries that can match TCP traffic in one direction,
// in evaluation order. Entries AWS would not apply to IPv4 TCP (IPv6, UDP,
// ICMP) and malformed ones (bad CIDR, unknown action, inverted ports) are
// left out: they can never match.
func naclRules(acl *facts.NetworkACL, egress bool) []naclRule {
	var out []naclRule
	for _, e := range acl.Entries {
		if e.Egress != egress {
			continue
		}
		p, ok := parseCIDR(e.CIDR)
		if !ok {
			continue
		}
		r := naclRule{num: e.RuleNumber, addr: spanOf(p), ports: allPorts}
		switch strings.ToLower(strings.TrimSpace(e.Action)) {
		case "allow":
			r.allow = true
		case "deny":
		default:
			continue
		}
		switch strings.ToLower(strings.TrimSpace(e.Protocol)) {
		case "-1", "all":
		case "6", "tcp":
			if e.FromPort != nil {
				r.ports.lo = *e.FromPort
			}
			if e.ToPort != nil {
				r.ports.hi = *e.ToPort
			}
			if r.ports.lo > r.ports.hi {
				continue
			}
		default:
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].num < out[j].num })
	return out
}

// box is a set of (address, port) pairs: the part of the queried traffic
// no entry has decided yet is a union of boxes.
type box struct {
	a span
	p portRange
}

func (b box) overlaps(o box) bool { return b.a.overlaps(o.a) && b.p.overlaps(o.p) }

// minus returns b without o as up to four disjoint boxes.
func (b box) minus(o box) []box {
	if !b.overlaps(o) {
		return []box{b}
	}
	var out []box
	if o.a.lo > b.a.lo {
		out = append(out, box{span{b.a.lo, o.a.lo - 1}, b.p})
	}
	if o.a.hi < b.a.hi {
		out = append(out, box{span{o.a.hi + 1, b.a.hi}, b.p})
	}
	mid := span{max(b.a.lo, o.a.lo), min(b.a.hi, o.a.hi)}
	if o.p.lo > b.p.lo {
		out = append(out, box{mid, portRange{b.p.lo, o.p.lo - 1}})
	}
	if o.p.hi < b.p.hi {
		out = append(out, box{mid, portRange{o.p.hi + 1, b.p.hi}})
	}
	return out
}

// evalNACL walks the entries in order, keeping the undecided part of the
// query. An allow entry removes what it matches; the first deny entry that
// still meets an undecided part blocks the range (those packets reach it).
func evalNACL(acl *facts.NetworkACL, egress bool, addr span, ports portRange) NACLVerdict {
	v := NACLVerdict{Known: true}
	undecided := []box{{addr, ports}}
	for _, r := range naclRules(acl, egress) {
		rb := box{r.addr, r.ports}
		hit := false
		for _, b := range undecided {
			if b.overlaps(rb) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		if !r.addr.contains(addr) {
			v.Split = true
		}
		if !r.allow {
			v.RuleNumber = r.num
			return v
		}
		var next []box
		for _, b := range undecided {
			next = append(next, b.minus(rb)...)
		}
		undecided = next
		if len(undecided) == 0 {
			v.Allowed = true
			v.RuleNumber = r.num
			return v
		}
	}
	v.Implicit = true
	v.RuleNumber = implicitDenyRule
	return v
}

// ruleName is how a verdict's deciding rule reads in a sentence.
func ruleName(v NACLVerdict) string {
	if v.Implicit || v.RuleNumber == implicitDenyRule {
		return "the final * rule (no numbered rule allows all of it)"
	}
	return "rule " + itoa(v.RuleNumber)
}
