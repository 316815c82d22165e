package netpath

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// fuzzACL decodes bytes into a network ACL whose entries land on, around and
// across a /28 in 10.0.0.0/24 (plus disjoint, IPv6 and malformed ones), a
// /28 query range and a small port range around 443.
func fuzzACL(data []byte) (acl *facts.NetworkACL, egress bool, query string, lo, hi int32) {
	at := func(i int) byte {
		if i < len(data) {
			return data[i]
		}
		return 0
	}
	egress = at(0)&1 == 1
	query = fmt.Sprintf("10.0.0.%d/28", at(1)&0xF0)
	lo = 436 + int32(at(2)%16)
	hi = lo + int32(at(3)%8)
	acl = &facts.NetworkACL{ID: "acl-fuzz"}
	for i := 4; i+6 <= len(data) && len(acl.Entries) < 16; i += 6 {
		b := data[i : i+6]
		e := facts.NACLEntry{RuleNumber: int32(b[0]) + 1, Egress: b[1]&1 == 1, Action: "deny"}
		if b[1]&2 != 0 {
			e.Action = "allow"
		}
		e.Protocol = []string{"-1", "6", "17", "tcp"}[(b[1]>>2)&3]
		switch s := b[3] % 16; s {
		case 0:
			e.CIDR = "0.0.0.0/0"
		case 1:
			e.CIDR = "10.0.0.0/8"
		case 2:
			e.CIDR = "11.0.0.0/8"
		case 3:
			e.CIDR = fmt.Sprintf("10.0.0.%d/40", b[2])
		case 4:
			e.IPv6CIDR = "::/0"
		default:
			e.CIDR = fmt.Sprintf("10.0.0.%d/%d", b[2], 24+int(s%9))
		}
		if b[4]&0x80 == 0 {
			from := 436 + int32(b[4]%16)
			to := from + int32(b[5]%16)
			if b[5]&0x80 != 0 {
				to = from - 1 - int32(b[5]%4) // inverted: AWS would refuse it; we ignore it
			}
			e.FromPort, e.ToPort = &from, &to
		}
		acl.Entries = append(acl.Entries, e)
	}
	return acl, egress, query, lo, hi
}

// referenceDecision decides one packet the plain way: sort, first match.
func referenceDecision(acl *facts.NetworkACL, egress bool, addr netip.Addr, port int32) (allow bool, rule int32) {
	es := append([]facts.NACLEntry(nil), acl.Entries...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].RuleNumber < es[j].RuleNumber })
	for _, e := range es {
		if e.Egress != egress {
			continue
		}
		p, err := netip.ParsePrefix(e.CIDR)
		if err != nil || !p.Addr().Is4() || !p.Masked().Contains(addr) {
			continue
		}
		switch e.Protocol {
		case "-1":
		case "6", "tcp":
			from, to := int32(0), int32(65535)
			if e.FromPort != nil {
				from = *e.FromPort
			}
			if e.ToPort != nil {
				to = *e.ToPort
			}
			if port < from || port > to {
				continue
			}
		default:
			continue
		}
		switch strings.ToLower(e.Action) {
		case "allow":
			return true, e.RuleNumber
		case "deny":
			return false, e.RuleNumber
		}
	}
	return false, implicitDenyRule
}

func FuzzEvaluateNACL(f *testing.F) {
	f.Add([]byte{1, 0x10, 7, 0, 100, 3, 5, 5, 0x80, 0})
	f.Add([]byte{0, 0x20, 3, 7, 10, 2, 0, 0, 0x80, 0, 20, 0, 0, 0, 0x80, 0, 30, 6, 33, 9, 7, 4})
	f.Add([]byte{1, 0xF0, 0, 3, 5, 3, 16, 13, 0x80, 0, 9, 1, 0, 0, 0x80, 0, 200, 7, 24, 5, 7, 0x81})
	f.Add([]byte("network acl entries decide the first match of every packet"))
	f.Fuzz(func(t *testing.T, data []byte) {
		acl, egress, query, lo, hi := fuzzACL(data)
		v := EvaluateNACLRange(acl, egress, query, lo, hi)
		if !v.Known {
			t.Fatalf("query %s %d-%d not judged", query, lo, hi)
		}
		base := netip.MustParsePrefix(query)
		allAllowed, maxAllow, minBlock := true, int32(0), int32(1<<30)
		implicitOnly := true
		perAddr := map[bool]bool{}
		for a, i := base.Addr(), 0; i < 16; a, i = a.Next(), i+1 {
			addrAllowed := true
			for p := lo; p <= hi; p++ {
				ok, rule := referenceDecision(acl, egress, a, p)
				if ok {
					maxAllow = max(maxAllow, rule)
					continue
				}
				addrAllowed, allAllowed = false, false
				minBlock = min(minBlock, rule)
				if rule != implicitDenyRule {
					implicitOnly = false
				}
			}
			perAddr[addrAllowed] = true
		}
		if v.Allowed != allAllowed {
			t.Fatalf("%s %d-%d egress=%v: Allowed=%v, reference %v\n%+v", query, lo, hi, egress, v.Allowed, allAllowed, acl.Entries)
		}
		want := maxAllow
		if !allAllowed {
			want = minBlock
		}
		if v.RuleNumber != want {
			t.Fatalf("%s %d-%d: rule %d, reference %d (verdict %+v)\n%+v", query, lo, hi, v.RuleNumber, want, v, acl.Entries)
		}
		if !allAllowed && v.Implicit != implicitOnly {
			t.Fatalf("Implicit=%v, reference %v", v.Implicit, implicitOnly)
		}
		// Without a split, no entry told addresses apart: every address of
		// the range must get the same answer.
		if !v.Split && len(perAddr) > 1 {
			t.Fatalf("Split=false but addresses differ (%+v)\n%+v", v, acl.Entries)
		}
	})
}
