package netpath

import (
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// The test world: vpc-1 (10.0.0.0/16) in us-east-1 with
//   subnet-a   us-east-1a 10.0.1.0/24   private (rtb-priv), where tasks run
//   subnet-b   us-east-1b 10.0.2.0/24   private (rtb-priv)
//   subnet-e   us-east-1a 10.0.10.0/24  private (rtb-priv), endpoint ENIs
//   subnet-pub us-east-1a 10.0.100.0/24 public  (rtb-pub -> igw-1)
// sg-task egresses everywhere; sg-ep admits 443 from sg-task; every subnet
// uses acl-default, which allows everything. No NAT, no endpoints.

const region = "us-east-1"

func ptr[T any](v T) *T { return &v }

type opt func(n *facts.Network)

func world(opts ...opt) *facts.Network {
	n := &facts.Network{
		VPC: &facts.VPC{ID: "vpc-1", CIDRs: []string{"10.0.0.0/16"}, DNSSupport: ptr(true), DNSHostnames: ptr(true)},
		Subnets: []facts.Subnet{
			{ID: "subnet-a", VPCID: "vpc-1", AZ: "us-east-1a", CIDR: "10.0.1.0/24"},
			{ID: "subnet-b", VPCID: "vpc-1", AZ: "us-east-1b", CIDR: "10.0.2.0/24"},
			{ID: "subnet-e", VPCID: "vpc-1", AZ: "us-east-1a", CIDR: "10.0.10.0/24"},
			{ID: "subnet-pub", VPCID: "vpc-1", AZ: "us-east-1a", CIDR: "10.0.100.0/24", MapPublicIPOnLaunch: true},
		},
		RouteTables: []facts.RouteTable{
			{ID: "rtb-main", VPCID: "vpc-1", Main: true, Routes: []facts.Route{localRoute()}},
			{ID: "rtb-priv", VPCID: "vpc-1", Subnets: []string{"subnet-a", "subnet-b", "subnet-e"}, Routes: []facts.Route{localRoute()}},
			{ID: "rtb-pub", VPCID: "vpc-1", Subnets: []string{"subnet-pub"}, Routes: []facts.Route{localRoute(),
				{DestinationCIDR: "0.0.0.0/0", GatewayID: "igw-1", State: "active"}}},
		},
		InternetGateways: []facts.InternetGateway{{ID: "igw-1", VPCs: []string{"vpc-1"}}},
		SecurityGroups: []facts.SecurityGroup{
			{ID: "sg-task", Name: "task", VPCID: "vpc-1", Egress: []facts.SGRule{{Protocol: "-1", FromPort: -1, ToPort: -1, CIDRs: []string{"0.0.0.0/0"}}}},
			{ID: "sg-ep", Name: "endpoints", VPCID: "vpc-1", Ingress: []facts.SGRule{tcp(443, 443, nil, "sg-task")},
				Egress: []facts.SGRule{{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}}},
		},
		NetworkACLs: []facts.NetworkACL{openACL("acl-default", true)},
		PrefixLists: []facts.PrefixList{{ID: "pl-63a5400a", Name: "com.amazonaws.us-east-1.s3", CIDRs: []string{"52.216.0.0/15", "3.5.0.0/19", "54.231.0.0/16"}}},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

func localRoute() facts.Route {
	return facts.Route{DestinationCIDR: "10.0.0.0/16", GatewayID: "local", State: "active"}
}

func tcp(from, to int32, cidrs []string, groups ...string) facts.SGRule {
	return facts.SGRule{Protocol: "tcp", FromPort: from, ToPort: to, CIDRs: cidrs, Groups: groups}
}

func entry(num int32, egress bool, proto, action, cidr string, ports ...int32) facts.NACLEntry {
	e := facts.NACLEntry{RuleNumber: num, Egress: egress, Protocol: proto, Action: action, CIDR: cidr}
	if len(ports) == 2 {
		e.FromPort, e.ToPort = ptr(ports[0]), ptr(ports[1])
	}
	return e
}

func openACL(id string, def bool, subnets ...string) facts.NetworkACL {
	return facts.NetworkACL{ID: id, VPCID: "vpc-1", Default: def, Subnets: subnets, Entries: []facts.NACLEntry{
		entry(100, true, "-1", "allow", "0.0.0.0/0"),
		entry(32767, true, "-1", "deny", "0.0.0.0/0"),
		entry(100, false, "-1", "allow", "0.0.0.0/0"),
		entry(32767, false, "-1", "deny", "0.0.0.0/0"),
	}}
}

// aclFor associates an ACL with the given entries (plus AWS's * rules) to subnets.
func aclFor(id string, entries []facts.NACLEntry, subnets ...string) opt {
	return func(n *facts.Network) {
		entries = append(entries, entry(32767, true, "-1", "deny", "0.0.0.0/0"), entry(32767, false, "-1", "deny", "0.0.0.0/0"))
		n.NetworkACLs = append(n.NetworkACLs, facts.NetworkACL{ID: id, VPCID: "vpc-1", Subnets: subnets, Entries: entries})
	}
}

// withNAT adds nat-1 (in subnet-pub) and the private default route to it.
func withNAT(n *facts.Network) {
	n.NATGateways = append(n.NATGateways, facts.NATGateway{ID: "nat-1", VPCID: "vpc-1", SubnetID: "subnet-pub", State: "available", ConnectivityType: "public"})
	setDefault("rtb-priv", facts.Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-1", State: "active"})(n)
}

func setDefault(rtID string, r facts.Route) opt {
	return func(n *facts.Network) {
		for i := range n.RouteTables {
			rt := &n.RouteTables[i]
			if rt.ID != rtID {
				continue
			}
			routes := rt.Routes[:0:0]
			for _, x := range rt.Routes {
				if x.DestinationCIDR != "0.0.0.0/0" {
					routes = append(routes, x)
				}
			}
			rt.Routes = append(routes, r)
		}
	}
}

// withInterface adds an available private-DNS interface endpoint for svc in
// subnet-e and subnet-b carrying sg-ep.
func withInterface(svc string, mods ...func(*facts.VPCEndpoint)) opt {
	return func(n *facts.Network) {
		ep := facts.VPCEndpoint{ID: "vpce-" + strings.ReplaceAll(svc, ".", ""), VPCID: "vpc-1", ServiceName: "com.amazonaws.us-east-1." + svc,
			Type: "Interface", State: "available", PrivateDNS: true, Subnets: []string{"subnet-e", "subnet-b"}, Groups: []string{"sg-ep"}}
		for _, m := range mods {
			m(&ep)
		}
		n.Endpoints = append(n.Endpoints, ep)
	}
}

// withS3Gateway adds the S3 gateway endpoint on the given route tables.
func withS3Gateway(rts ...string) opt {
	return func(n *facts.Network) {
		n.Endpoints = append(n.Endpoints, facts.VPCEndpoint{ID: "vpce-s3gw", VPCID: "vpc-1", ServiceName: "com.amazonaws.us-east-1.s3",
			Type: "Gateway", State: "available", RouteTables: rts})
		for i := range n.RouteTables {
			for _, id := range rts {
				if n.RouteTables[i].ID == id {
					n.RouteTables[i].Routes = append(n.RouteTables[i].Routes, facts.Route{DestinationPrefixList: "pl-63a5400a", GatewayID: "vpce-s3gw", State: "active"})
				}
			}
		}
	}
}

func group(id string, mod func(sg *facts.SecurityGroup)) opt {
	return func(n *facts.Network) {
		for i := range n.SecurityGroups {
			if n.SecurityGroups[i].ID == id {
				mod(&n.SecurityGroups[i])
				return
			}
		}
		sg := facts.SecurityGroup{ID: id, VPCID: "vpc-1"}
		mod(&sg)
		n.SecurityGroups = append(n.SecurityGroups, sg)
	}
}

func privateTask() TaskNet {
	return TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}, PrivateIP: "10.0.1.25"}
}

func publicTask() TaskNet {
	return TaskNet{SubnetID: "subnet-pub", SecurityGroups: []string{"sg-task"}, AssignPublicIP: true, PrivateIP: "10.0.100.7"}
}

// want is what a case expects of a Result.
type want struct {
	reachable bool
	via       Via
	problems  []wantProblem // must be present, with exactly these attrs
	absent    []string      // ids that must not be present
	noErrors  bool
	detail    []string // substrings of the first wanted problem's Detail
}

type wantProblem struct {
	id       string
	severity string
	attrs    map[string]string
}

func check(t *testing.T, r Result, w want) {
	t.Helper()
	if r.Reachable != w.reachable {
		t.Errorf("Reachable = %v, want %v (via %s)\n%s", r.Reachable, w.reachable, r.Via, dump(r))
	}
	if w.via != "" && r.Via != w.via {
		t.Errorf("Via = %q, want %q\n%s", r.Via, w.via, dump(r))
	}
	for _, wp := range w.problems {
		p := findProblem(r, wp.id, wp.attrs)
		if p == nil {
			t.Errorf("missing problem %s %v\n%s", wp.id, wp.attrs, dump(r))
			continue
		}
		if wp.severity != "" && p.Severity != wp.severity {
			t.Errorf("%s severity = %s, want %s", wp.id, p.Severity, wp.severity)
		}
		checkProblemShape(t, *p)
	}
	for _, id := range w.absent {
		if r.Problem(id) != nil {
			t.Errorf("unexpected problem %s\n%s", id, dump(r))
		}
	}
	if w.noErrors && r.HasErrors() {
		t.Errorf("unexpected errors\n%s", dump(r))
	}
	if len(w.detail) > 0 && len(w.problems) > 0 {
		if p := findProblem(r, w.problems[0].id, w.problems[0].attrs); p != nil {
			for _, s := range w.detail {
				if !strings.Contains(p.Detail, s) {
					t.Errorf("%s detail lacks %q:\n%s", p.ID, s, p.Detail)
				}
			}
		}
	}
	for _, p := range r.Problems {
		checkProblemShape(t, p)
	}
}

// catalogueAttrs is the finding catalogue's attrs per id: a Problem must
// carry exactly these.
var catalogueAttrs = map[string][]string{
	IDEndpointMissing:         {"service"},
	IDEndpointS3RouteTable:    {"routeTable"},
	IDEndpointNotAvailable:    {"service", "endpointId"},
	IDEndpointPrivateDNS:      {"service", "endpointId"},
	IDEndpointAZNotCovered:    {"service", "az"},
	IDVPCDNSSupportDisabled:   {"vpc"},
	IDVPCDNSHostnamesDisabled: {"vpc"},
	IDPublicIPNoIGW:           {"subnet"},
	IDNATUnusable:             {"natGateway"},
	IDNoInternet:              {"subnet"},
	IDPathUnverified:          {"service"},
	IDTaskEgressBlocked:       {"service", "port"},
	IDEndpointIngressMissing:  {"service", "endpointId"},
	IDDatabaseIngressMissing:  {"db", "port"},
	IDNACLBlocksHTTPS:         {"subnet", "nacl"},
	IDNACLBlocksPort:          {"subnet", "nacl", "port"},
}

func checkProblemShape(t *testing.T, p Problem) {
	t.Helper()
	keys, ok := catalogueAttrs[p.ID]
	if !ok {
		t.Errorf("problem id %q is not in the catalogue", p.ID)
		return
	}
	if len(p.Attrs) != len(keys) {
		t.Errorf("%s attrs = %v, want exactly %v", p.ID, p.Attrs, keys)
	}
	for _, k := range keys {
		if p.Attrs[k] == "" {
			t.Errorf("%s attr %s empty: %v", p.ID, k, p.Attrs)
		}
	}
	switch p.Severity {
	case SeverityError, SeverityWarning, SeverityInfo:
	default:
		t.Errorf("%s severity %q", p.ID, p.Severity)
	}
	if p.Detail == "" || !strings.HasSuffix(p.Detail, ".") || len(p.Resources) == 0 {
		t.Errorf("%s: detail must be sentences and resources non-empty: %q %v", p.ID, p.Detail, p.Resources)
	}
	for _, r := range p.Resources {
		if r == "" {
			t.Errorf("%s: empty resource id", p.ID)
		}
	}
}

func findProblem(r Result, id string, attrs map[string]string) *Problem {
	for i := range r.Problems {
		p := &r.Problems[i]
		if p.ID == id && (attrs == nil || sameAttrs(p.Attrs, attrs)) {
			return p
		}
	}
	return nil
}

func dump(r Result) string {
	var b strings.Builder
	b.WriteString("  via=" + string(r.Via) + " reachable=" + map[bool]string{true: "yes", false: "no"}[r.Reachable] + " summary=" + r.Summary + "\n")
	for _, p := range r.Problems {
		b.WriteString("  [" + p.Severity + "] " + p.ID + " " + strings.Join(mapPairs(p.Attrs), ",") + " res=" + strings.Join(p.Resources, ",") + "\n    " + p.Detail + "\n")
	}
	for _, n := range r.Notes {
		b.WriteString("  note: " + n + "\n")
	}
	return b.String()
}

func mapPairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

func attrs(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}
