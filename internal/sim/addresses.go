package sim

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
)

// Addresses: every network interface takes a private address of its
// subnet, as AWS hands them out, and a subnet runs out when they are gone
// (AWS keeps the first four and the last address of every subnet).

// subnetSize is the number of addresses AWS lets interfaces use.
func subnetSize(cidr string) int {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return 0
	}
	n := 1 << (32 - p.Bits())
	if n <= 5 {
		return 0
	}
	return n - 5
}

// freeIPs is what DescribeSubnets reports as AvailableIpAddressCount.
func freeIPs(sn *subnet) int {
	n := subnetSize(sn.cidr) - len(sn.used)
	if n < 0 {
		return 0
	}
	return n
}

// allocIP takes a free address in the subnet. The first one tried depends
// on the parts (the owner of the interface), so addresses are stable from
// run to run and look scattered, as AWS's do.
func allocIP(sn *subnet, parts ...string) (string, error) {
	size := subnetSize(sn.cidr)
	if size == 0 || len(sn.used) >= size {
		return "", fmt.Errorf("no free address in %s", sn.id)
	}
	p := netip.MustParsePrefix(sn.cidr).Masked()
	base := binary.BigEndian.Uint32(p.Addr().AsSlice())
	h := hashOf(append([]string{sn.id}, parts...)...)
	start := int(binary.BigEndian.Uint32(h[:4]) % uint32(size))
	for i := 0; i < size; i++ {
		off := uint32(4 + (start+i)%size)
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], base+off)
		ip := netip.AddrFrom4(b).String()
		if !sn.used[ip] {
			if sn.used == nil {
				sn.used = map[string]bool{}
			}
			sn.used[ip] = true
			return ip, nil
		}
	}
	return "", fmt.Errorf("no free address in %s", sn.id)
}

func releaseIP(sn *subnet, ip string) {
	if sn != nil {
		delete(sn.used, ip)
	}
}

// publicBlocks are address blocks AWS really uses in us-east-1; public
// addresses of NAT gateways and tasks come from them.
var publicBlocks = []string{"3.208", "3.216", "18.204", "34.192", "44.195", "52.0", "54.144", "54.208"}

// publicIP is a stable public address for the parts.
func publicIP(parts ...string) string {
	h := hashOf(parts...)
	block := publicBlocks[int(h[0])%len(publicBlocks)]
	return fmt.Sprintf("%s.%d.%d", block, h[1], 1+int(h[2])%253)
}

// containsIP reports whether the CIDR holds the address.
func containsIP(cidr, ip string) bool {
	p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	return p.Contains(a)
}

// prefixBits is the length of a CIDR's prefix, -1 if it is not one.
func prefixBits(cidr string) int {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return -1
	}
	return p.Bits()
}

// macOf is a stable MAC address for an interface, as EC2 shows them.
func macOf(id string) string {
	h := hashOf("mac", id)
	return fmt.Sprintf("0e:%02x:%02x:%02x:%02x:%02x", h[0], h[1], h[2], h[3], h[4])
}

// privateDNSName is EC2's DNS name for a private address.
func privateDNSName(ip, region string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}
