package netpath

import (
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

func TestEvaluateNACL(t *testing.T) {
	acl := func(es ...facts.NACLEntry) *facts.NetworkACL { return &facts.NetworkACL{ID: "acl-1", Entries: es} }
	const out, in = true, false
	cases := []struct {
		name       string
		acl        *facts.NetworkACL
		egress     bool
		cidr       string
		from, to   int32
		allowed    bool
		rule       int32
		implicit   bool
		split      bool
		unknownACL bool
	}{
		{name: "AWS default ACL allows", acl: &facts.NetworkACL{Entries: openACL("x", true).Entries}, egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, allowed: true, rule: 100},
		{name: "empty ACL denies (the * rule)", acl: acl(), egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, rule: 32767, implicit: true},
		{name: "explicit 32767 deny", acl: acl(entry(32767, out, "-1", "deny", "0.0.0.0/0")), egress: out, cidr: "10.0.0.0/24", from: 443, to: 443, rule: 32767},
		{name: "first match: deny before allow", acl: acl(entry(200, out, "-1", "allow", "0.0.0.0/0"), entry(100, out, "6", "deny", "0.0.0.0/0", 443, 443)),
			egress: out, cidr: "10.0.2.0/24", from: 443, to: 443, rule: 100},
		{name: "first match: allow before deny", acl: acl(entry(100, out, "-1", "allow", "0.0.0.0/0"), entry(200, out, "6", "deny", "0.0.0.0/0", 443, 443)),
			egress: out, cidr: "10.0.2.0/24", from: 443, to: 443, allowed: true, rule: 100},
		{name: "entries out of order are sorted", acl: acl(entry(300, out, "-1", "allow", "0.0.0.0/0"), entry(20, out, "-1", "deny", "10.0.2.0/24")),
			egress: out, cidr: "10.0.2.5", from: 443, to: 443, rule: 20},
		{name: "ingress entries do not decide egress", acl: acl(entry(100, in, "-1", "allow", "0.0.0.0/0")), egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, rule: 32767, implicit: true},
		{name: "udp entries do not match tcp", acl: acl(entry(100, out, "17", "allow", "0.0.0.0/0", 0, 65535)), egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, rule: 32767, implicit: true},
		{name: "tcp by name", acl: acl(entry(100, out, "tcp", "allow", "0.0.0.0/0", 443, 443)), egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, allowed: true, rule: 100},
		{name: "tcp without ports = all ports", acl: acl(entry(100, out, "6", "allow", "0.0.0.0/0")), egress: out, cidr: "1.2.3.4", from: 1, to: 65535, allowed: true, rule: 100},
		{name: "port outside the rule", acl: acl(entry(100, out, "6", "allow", "0.0.0.0/0", 80, 80)), egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, rule: 32767, implicit: true},
		{name: "malformed CIDR entry ignored", acl: acl(entry(10, out, "-1", "deny", "10.0.0.0/99"), entry(100, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "10.0.0.0/24", from: 443, to: 443, allowed: true, rule: 100},
		{name: "IPv6 entry ignored", acl: acl(facts.NACLEntry{RuleNumber: 10, Egress: out, Protocol: "-1", Action: "deny", IPv6CIDR: "::/0"}, entry(100, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "10.0.0.0/24", from: 443, to: 443, allowed: true, rule: 100},
		{name: "unknown action ignored", acl: acl(entry(10, out, "-1", "maybe", "0.0.0.0/0"), entry(100, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "10.0.0.0/24", from: 443, to: 443, allowed: true, rule: 100},
		{name: "inverted ports ignored", acl: acl(entry(10, out, "6", "deny", "0.0.0.0/0", 500, 400), entry(100, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "10.0.0.0/24", from: 443, to: 443, allowed: true, rule: 100},
		// Range awareness: addresses.
		{name: "deny on part of the range blocks it", acl: acl(entry(90, out, "6", "deny", "52.216.0.0/16", 443, 443), entry(100, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "52.216.0.0/15", from: 443, to: 443, rule: 90, split: true},
		{name: "deny elsewhere does not matter", acl: acl(entry(90, out, "6", "deny", "52.218.0.0/16", 443, 443), entry(100, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "52.216.0.0/15", from: 443, to: 443, allowed: true, rule: 100},
		{name: "allow on part of the range: the rest hits the * rule", acl: acl(entry(100, out, "6", "allow", "10.0.1.0/25", 443, 443)),
			egress: out, cidr: "10.0.1.0/24", from: 443, to: 443, rule: 32767, implicit: true, split: true},
		{name: "two allows cover the range together", acl: acl(entry(100, out, "6", "allow", "10.0.1.0/25", 443, 443), entry(110, out, "6", "allow", "10.0.1.128/25", 443, 443)),
			egress: out, cidr: "10.0.1.0/24", from: 443, to: 443, allowed: true, rule: 110, split: true},
		{name: "partial allow then deny of the rest", acl: acl(entry(100, out, "-1", "allow", "10.0.1.0/25"), entry(110, out, "-1", "deny", "0.0.0.0/0"), entry(120, out, "-1", "allow", "0.0.0.0/0")),
			egress: out, cidr: "10.0.1.0/24", from: 443, to: 443, rule: 110, split: true},
		{name: "deny shadowed by an earlier allow", acl: acl(entry(100, out, "-1", "allow", "10.0.1.0/24"), entry(110, out, "-1", "deny", "10.0.0.0/16")),
			egress: out, cidr: "10.0.1.0/24", from: 443, to: 443, allowed: true, rule: 100},
		// Range awareness: ephemeral ports.
		{name: "1024-65535 covers Linux ephemeral", acl: acl(entry(100, in, "6", "allow", "0.0.0.0/0", 1024, 65535)),
			egress: in, cidr: "0.0.0.0/0", from: 32768, to: 60999, allowed: true, rule: 100},
		{name: "32768-65535 covers Linux ephemeral", acl: acl(entry(100, in, "6", "allow", "0.0.0.0/0", 32768, 65535)),
			egress: in, cidr: "0.0.0.0/0", from: 32768, to: 60999, allowed: true, rule: 100},
		{name: "49152-65535 does not cover Linux ephemeral", acl: acl(entry(100, in, "6", "allow", "0.0.0.0/0", 49152, 65535)),
			egress: in, cidr: "0.0.0.0/0", from: 32768, to: 60999, rule: 32767, implicit: true},
		{name: "deny of a port inside the range", acl: acl(entry(50, in, "6", "deny", "0.0.0.0/0", 40000, 40000), entry(100, in, "6", "allow", "0.0.0.0/0", 1024, 65535)),
			egress: in, cidr: "0.0.0.0/0", from: 32768, to: 60999, rule: 50},
		{name: "ports in pieces", acl: acl(entry(100, in, "6", "allow", "0.0.0.0/0", 32768, 40000), entry(101, in, "6", "allow", "0.0.0.0/0", 40001, 65535)),
			egress: in, cidr: "0.0.0.0/0", from: 32768, to: 60999, allowed: true, rule: 101},
		// Nothing to judge.
		{name: "nil ACL", acl: nil, egress: out, cidr: "0.0.0.0/0", from: 443, to: 443, allowed: true, unknownACL: true},
		{name: "malformed query", acl: acl(), egress: out, cidr: "nope", from: 443, to: 443, allowed: true, unknownACL: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := EvaluateNACLRange(c.acl, c.egress, c.cidr, c.from, c.to)
			if v.Known == c.unknownACL {
				t.Fatalf("Known = %v", v.Known)
			}
			if v.Allowed != c.allowed || (v.Known && v.RuleNumber != c.rule) || v.Implicit != c.implicit || v.Split != c.split {
				t.Errorf("got %+v; want allowed=%v rule=%d implicit=%v split=%v", v, c.allowed, c.rule, c.implicit, c.split)
			}
			if c.from == c.to {
				if w := EvaluateNACL(c.acl, c.egress, c.cidr, c.from); w != v {
					t.Errorf("EvaluateNACL = %+v, range form = %+v", w, v)
				}
			}
		})
	}
}
