package netpath

import (
	"net/netip"
	"sort"
	"strings"
)

// ipv4Any is 0.0.0.0/0: where internet-bound traffic may go.
var ipv4Any = netip.PrefixFrom(netip.IPv4Unspecified(), 0)

// parseCIDR parses an IPv4 CIDR as AWS writes it. Anything else (IPv6, a
// bare address, garbage) is rejected so that a malformed rule is ignored
// rather than misread; host bits are masked off as AWS does.
func parseCIDR(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// parseAddrOrCIDR accepts a CIDR or a bare IPv4 address (as a /32), for
// callers that hold a task's private IP.
func parseAddrOrCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		return parseCIDR(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, 32), true
}

// prefixContains reports whether outer contains every address of inner.
func prefixContains(outer, inner netip.Prefix) bool {
	return outer.IsValid() && inner.IsValid() &&
		outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// CIDRContains reports whether the CIDR outer contains every address of
// inner (a CIDR or an address). Malformed input yields false.
func CIDRContains(outer, inner string) bool {
	o, ok1 := parseCIDR(outer)
	i, ok2 := parseAddrOrCIDR(inner)
	return ok1 && ok2 && prefixContains(o, i)
}

// CIDROverlaps reports whether two CIDRs share an address. Malformed input
// yields false.
func CIDROverlaps(a, b string) bool {
	pa, ok1 := parseAddrOrCIDR(a)
	pb, ok2 := parseAddrOrCIDR(b)
	return ok1 && ok2 && pa.Overlaps(pb)
}

// span is an inclusive IPv4 address interval; intervals make union and
// subtraction arithmetic simple where prefixes would not be closed.
type span struct{ lo, hi uint32 }

func spanOf(p netip.Prefix) span {
	b := p.Addr().As4()
	lo := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	host := ^uint32(0)
	if p.Bits() > 0 {
		host = uint32(1)<<(32-p.Bits()) - 1
	}
	lo &^= host
	return span{lo, lo | host}
}

func (s span) contains(o span) bool { return s.lo <= o.lo && o.hi <= s.hi }
func (s span) overlaps(o span) bool { return s.lo <= o.hi && o.lo <= s.hi }

// coveredBy reports whether the union of pieces covers all of target. Two
// rules for 10.0.0.0/25 and 10.0.0.128/25 together admit a /24 subnet even
// though neither does alone.
func coveredBy(target netip.Prefix, pieces []netip.Prefix) bool {
	t := spanOf(target)
	var ss []span
	for _, p := range pieces {
		if s := spanOf(p); s.overlaps(t) {
			ss = append(ss, s)
		}
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i].lo < ss[j].lo })
	next := uint64(t.lo) // first address not yet covered
	for _, s := range ss {
		if uint64(s.lo) > next {
			return false
		}
		if uint64(s.hi)+1 > next {
			next = uint64(s.hi) + 1
		}
		if next > uint64(t.hi) {
			return true
		}
	}
	return next > uint64(t.hi)
}

// parseCIDRs parses the well-formed IPv4 CIDRs of a list, dropping the rest.
func parseCIDRs(ss []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		if p, ok := parseCIDR(s); ok {
			out = append(out, p)
		}
	}
	return out
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
