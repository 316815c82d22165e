package netpath

import (
	"net/netip"
	"testing"
)

func TestParseCIDR(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" = rejected
	}{
		{"10.0.0.0/16", "10.0.0.0/16"},
		{" 10.0.1.7/24 ", "10.0.1.0/24"}, // host bits masked, as AWS does
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"10.0.0.1/32", "10.0.0.1/32"},
		{"10.0.0.0/33", ""},
		{"10.0.0.300/24", ""},
		{"10.0.0.0", ""}, // a bare address is not a CIDR
		{"::/0", ""},     // IPv6 is ignored for now
		{"::ffff:10.0.0.0/104", ""},
		{"", ""},
		{"garbage", ""},
	}
	for _, c := range cases {
		p, ok := parseCIDR(c.in)
		got := ""
		if ok {
			got = p.String()
		}
		if got != c.want {
			t.Errorf("parseCIDR(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCIDRContainsOverlaps(t *testing.T) {
	cases := []struct {
		a, b              string
		contains, overlap bool
	}{
		{"10.0.0.0/16", "10.0.1.0/24", true, true},
		{"10.0.1.0/24", "10.0.0.0/16", false, true},
		{"10.0.1.0/24", "10.0.1.0/24", true, true},
		{"10.0.1.0/24", "10.0.2.0/24", false, false},
		{"0.0.0.0/0", "52.216.0.0/15", true, true},
		{"10.0.1.0/24", "10.0.1.9", true, true},
		{"10.0.1.0/25", "10.0.1.200", false, false},
		{"bad", "10.0.0.0/8", false, false},
		{"10.0.0.0/8", "bad", false, false},
	}
	for _, c := range cases {
		if got := CIDRContains(c.a, c.b); got != c.contains {
			t.Errorf("CIDRContains(%s, %s) = %v", c.a, c.b, got)
		}
		if got := CIDROverlaps(c.a, c.b); got != c.overlap {
			t.Errorf("CIDROverlaps(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestCoveredBy(t *testing.T) {
	p := netip.MustParsePrefix
	cases := []struct {
		target string
		pieces []string
		want   bool
	}{
		{"10.0.1.0/24", []string{"10.0.0.0/16"}, true},
		{"10.0.1.0/24", []string{"10.0.1.0/25", "10.0.1.128/25"}, true},
		{"10.0.1.0/24", []string{"10.0.1.128/25", "10.0.1.0/25"}, true},
		{"10.0.1.0/24", []string{"10.0.1.0/25", "10.0.1.192/26"}, false},
		{"10.0.1.0/24", []string{"10.0.1.0/25", "10.0.1.64/26", "10.0.1.128/26", "10.0.1.192/26"}, true},
		{"10.0.1.0/24", nil, false},
		{"0.0.0.0/0", []string{"0.0.0.0/1", "128.0.0.0/1"}, true},
		{"0.0.0.0/0", []string{"0.0.0.0/1"}, false},
		{"255.255.255.0/24", []string{"255.255.255.0/25", "255.255.255.128/25"}, true},
	}
	for _, c := range cases {
		var ps []netip.Prefix
		for _, s := range c.pieces {
			ps = append(ps, p(s))
		}
		if got := coveredBy(p(c.target), ps); got != c.want {
			t.Errorf("coveredBy(%s, %v) = %v", c.target, c.pieces, got)
		}
	}
}

func TestSpanOf(t *testing.T) {
	for _, c := range []struct {
		in     string
		lo, hi uint32
	}{
		{"0.0.0.0/0", 0, 0xFFFFFFFF},
		{"10.0.0.0/8", 0x0A000000, 0x0AFFFFFF},
		{"10.0.0.5/32", 0x0A000005, 0x0A000005},
		{"255.255.255.255/32", 0xFFFFFFFF, 0xFFFFFFFF},
	} {
		s := spanOf(netip.MustParsePrefix(c.in))
		if s.lo != c.lo || s.hi != c.hi {
			t.Errorf("spanOf(%s) = %x-%x", c.in, s.lo, s.hi)
		}
	}
}
