package netpath

import (
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

func TestEvaluate(t *testing.T) {
	allowOnly := func(ports ...int32) func(sg *facts.SecurityGroup) {
		return func(sg *facts.SecurityGroup) {
			sg.Egress = []facts.SGRule{tcp(ports[0], ports[1], []string{"0.0.0.0/0"})}
		}
	}
	cases := []struct {
		name    string
		net     *facts.Network
		task    TaskNet
		service string
		want    want
	}{
		// --- no path at all -------------------------------------------
		{
			name: "private subnet, nothing: logs endpoint.missing", net: world(), task: privateTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, attrs("service", "logs")}},
				detail: []string{"rtb-priv", "no 0.0.0.0/0 route", "com.amazonaws.us-east-1.logs", "no public IP", "Create an interface endpoint"}},
		},
		{
			name: "private subnet, nothing: s3 suggests the free gateway endpoint", net: world(), task: privateTask(), service: "s3",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, attrs("service", "s3")}},
				detail: []string{"no gateway or interface endpoint", "S3 gateway endpoint on route table rtb-priv"}},
		},
		{
			name: "private subnet, nothing: internet is net.no-internet", net: world(), task: privateTask(), service: "internet",
			want: want{via: ViaNone, problems: []wantProblem{{IDNoInternet, SeverityError, attrs("subnet", "subnet-a")}}, absent: []string{IDEndpointMissing}},
		},
		{
			name: "public subnet without public IP: endpoint.missing says so", net: world(),
			task: TaskNet{SubnetID: "subnet-pub", SecurityGroups: []string{"sg-task"}}, service: "ecr.api",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, attrs("service", "ecr.api")}},
				absent: []string{IDPublicIPNoIGW}, detail: []string{"internet gateway igw-1", "no public IP", "assignPublicIp ENABLED"}},
		},
		{
			name: "public IP in a private subnet with no default route", net: world(),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}, AssignPublicIP: true}, service: "secretsmanager",
			want: want{via: ViaNone, problems: []wantProblem{
				{IDPublicIPNoIGW, SeverityError, attrs("subnet", "subnet-a")},
				{IDEndpointMissing, SeverityError, attrs("service", "secretsmanager")}}},
		},
		{
			name: "internet gateway not attached to the VPC", net: world(func(n *facts.Network) { n.InternetGateways[0].VPCs = nil }),
			task: publicTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDPublicIPNoIGW, SeverityError, attrs("subnet", "subnet-pub")}, {IDEndpointMissing, SeverityError, nil}}},
		},
		// --- NAT ------------------------------------------------------
		{
			name: "healthy NAT: every service reachable, no errors", net: world(withNAT), task: privateTask(), service: "ecr.dkr",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true},
		},
		{
			name: "healthy NAT: internet reachable", net: world(withNAT), task: privateTask(), service: "internet",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true},
		},
		{
			name: "failed NAT", net: world(withNAT, func(n *facts.Network) { n.NATGateways[0].State = "failed" }), task: privateTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDNATUnusable, SeverityError, attrs("natGateway", "nat-1")}, {IDEndpointMissing, SeverityError, nil}},
				detail: []string{"nat-1", `"failed"`}},
		},
		{
			name: "private NAT gateway has no internet", net: world(withNAT, func(n *facts.Network) { n.NATGateways[0].ConnectivityType = "private" }),
			task: privateTask(), service: "internet",
			want: want{via: ViaNone, problems: []wantProblem{{IDNATUnusable, SeverityError, attrs("natGateway", "nat-1")}, {IDNoInternet, SeverityError, nil}}},
		},
		{
			name: "NAT in a subnet without an internet route",
			net:  world(withNAT, func(n *facts.Network) { n.NATGateways[0].SubnetID = "subnet-b" }), task: privateTask(), service: "ssm",
			want: want{via: ViaNone, problems: []wantProblem{{IDNATUnusable, SeverityError, attrs("natGateway", "nat-1")}}, detail: []string{"rtb-priv", "subnet-b"}},
		},
		{
			name: "blackhole route to a deleted NAT",
			net:  world(setDefault("rtb-priv", facts.Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-gone", State: "blackhole"})),
			task: privateTask(), service: "ecr.api",
			want: want{via: ViaNone, problems: []wantProblem{{IDNATUnusable, SeverityError, attrs("natGateway", "nat-gone")}, {IDEndpointMissing, SeverityError, nil}}},
		},
		{
			name: "public IP on a NAT subnet: warning only", net: world(withNAT),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}, AssignPublicIP: true}, service: "logs",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true, problems: []wantProblem{{IDPublicIPNoIGW, SeverityWarning, attrs("subnet", "subnet-a")}}},
		},
		{
			name: "NAT subnet routed through a firewall endpoint: NAT path, unverified onward",
			net:  world(withNAT, setDefault("rtb-pub", facts.Route{DestinationCIDR: "0.0.0.0/0", VPCEndpointID: "vpce-fw", State: "active"})),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true, problems: []wantProblem{{IDPathUnverified, SeverityWarning, attrs("service", "logs")}}},
		},
		{
			name: "NAT missing from the facts: unverified, not an error",
			net:  world(setDefault("rtb-priv", facts.Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-x", State: "active"})),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaUnverified, noErrors: true, problems: []wantProblem{{IDPathUnverified, SeverityWarning, nil}}},
		},
		// --- other default routes ---------------------------------------
		{
			name: "transit gateway default route: unverified",
			net:  world(setDefault("rtb-priv", facts.Route{DestinationCIDR: "0.0.0.0/0", TransitGatewayID: "tgw-1", State: "active"})),
			task: privateTask(), service: "secretsmanager",
			want: want{reachable: true, via: ViaUnverified, noErrors: true, problems: []wantProblem{{IDPathUnverified, SeverityWarning, attrs("service", "secretsmanager")}},
				detail: []string{"transit gateway tgw-1"}},
		},
		{
			name: "route table unknown: unverified",
			net: world(func(n *facts.Network) {
				n.RouteTables = nil
			}),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaUnverified, noErrors: true, problems: []wantProblem{{IDPathUnverified, SeverityWarning, nil}}},
		},
		// --- public subnet ----------------------------------------------
		{
			name: "public subnet with public IP: healthy", net: world(), task: publicTask(), service: "ecr.api",
			want: want{reachable: true, via: ViaInternetGateway, noErrors: true},
		},
		{
			name: "public subnet with public IP: internet healthy", net: world(), task: publicTask(), service: "internet",
			want: want{reachable: true, via: ViaInternetGateway, noErrors: true},
		},
		// --- interface endpoints ----------------------------------------
		{
			name: "healthy logs endpoint", net: world(withInterface("logs")), task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true, absent: []string{IDEndpointAZNotCovered}},
		},
		{
			name: "capturing endpoint wins over a NAT, and its blocked group blocks the service",
			net:  world(withNAT, withInterface("logs", func(ep *facts.VPCEndpoint) { ep.Groups = []string{"sg-bare"} }), group("sg-bare", func(*facts.SecurityGroup) {})),
			task: privateTask(), service: "logs",
			want: want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDEndpointIngressMissing, SeverityError, attrs("service", "logs", "endpointId", "vpce-logs")}},
				absent: []string{IDEndpointMissing}, detail: []string{"sg-bare", "sg-task", "none of them has an inbound rule for TCP 443"}},
		},
		{
			name: "endpoint not available",
			net:  world(withInterface("ecr.api", func(ep *facts.VPCEndpoint) { ep.State = "pending" })), task: privateTask(), service: "ecr.api",
			want: want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDEndpointNotAvailable, SeverityError, attrs("service", "ecr.api", "endpointId", "vpce-ecrapi")}}},
		},
		{
			name: "private DNS off and no other path: private-dns-disabled, not endpoint.missing",
			net:  world(withInterface("secretsmanager", func(ep *facts.VPCEndpoint) { ep.PrivateDNS = false })), task: privateTask(), service: "secretsmanager",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointPrivateDNS, SeverityError, attrs("service", "secretsmanager", "endpointId", "vpce-secretsmanager")}},
				absent: []string{IDEndpointMissing}, detail: []string{"secretsmanager.us-east-1.amazonaws.com", "Turn on private DNS"}},
		},
		{
			name: "private DNS off with a NAT: traffic uses the NAT, info only",
			net:  world(withNAT, withInterface("secretsmanager", func(ep *facts.VPCEndpoint) { ep.PrivateDNS = false })), task: privateTask(), service: "secretsmanager",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true, problems: []wantProblem{{IDEndpointPrivateDNS, SeverityInfo, nil}}},
		},
		{
			name: "DNS hostnames off, private-DNS endpoint, no NAT",
			net:  world(withInterface("logs"), func(n *facts.Network) { n.VPC.DNSHostnames = ptr(false) }), task: privateTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDVPCDNSHostnamesDisabled, SeverityError, attrs("vpc", "vpc-1")}},
				absent: []string{IDEndpointMissing, IDEndpointPrivateDNS}},
		},
		{
			name: "DNS hostnames off and private DNS off: both reported",
			net:  world(withInterface("logs", func(ep *facts.VPCEndpoint) { ep.PrivateDNS = false }), func(n *facts.Network) { n.VPC.DNSHostnames = ptr(false) }),
			task: privateTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointPrivateDNS, SeverityError, nil}, {IDVPCDNSHostnamesDisabled, SeverityError, nil}}, absent: []string{IDEndpointMissing}},
		},
		{
			name: "DNS support off: nothing resolves, even with an endpoint and a NAT",
			net:  world(withNAT, withInterface("logs"), func(n *facts.Network) { n.VPC.DNSSupport = ptr(false) }), task: privateTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDVPCDNSSupportDisabled, SeverityError, attrs("vpc", "vpc-1")}}, absent: []string{IDEndpointMissing}},
		},
		{
			name: "DNS support off: internet too",
			net:  world(func(n *facts.Network) { n.VPC.DNSSupport = ptr(false) }), task: publicTask(), service: "internet",
			want: want{via: ViaNone, problems: []wantProblem{{IDVPCDNSSupportDisabled, SeverityError, nil}}},
		},
		{
			name: "DNS attributes unknown: endpoint assumed to capture",
			net:  world(withInterface("logs"), func(n *facts.Network) { n.VPC.DNSHostnames, n.VPC.DNSSupport = nil, nil }), task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "endpoint only in another AZ: warning, still reachable",
			net:  world(withInterface("kms", func(ep *facts.VPCEndpoint) { ep.Subnets = []string{"subnet-b"} })), task: privateTask(), service: "kms",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true, problems: []wantProblem{{IDEndpointAZNotCovered, SeverityWarning, attrs("service", "kms", "az", "us-east-1a")}}},
		},
		{
			name: "endpoint admits the task subnet by CIDR",
			net:  world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(443, 443, []string{"10.0.0.0/16"})} })),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "endpoint CIDR covers only part of the subnet (IP unknown): missing",
			net:  world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(443, 443, []string{"10.0.1.0/25"})} })),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}}, service: "logs",
			want: want{problems: []wantProblem{{IDEndpointIngressMissing, SeverityError, nil}}, detail: []string{"10.0.1.0/25", "10.0.1.0/24"}},
		},
		{
			name: "endpoint CIDR covers the task's own IP",
			net:  world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(443, 443, []string{"10.0.1.0/25"})} })),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "emulator IP outside the subnet falls back to the subnet CIDR",
			net:  world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(443, 443, []string{"10.0.1.0/24"})} })),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}, PrivateIP: "172.31.9.9"}, service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "two half-subnet CIDR rules together admit the subnet",
			net: world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) {
				sg.Ingress = []facts.SGRule{tcp(443, 443, []string{"10.0.1.0/25"}), tcp(0, 65535, []string{"10.0.1.128/25"})}
			})),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}}, service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "endpoint group allows 80 only",
			net:  world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(80, 80, nil, "sg-task")} })),
			task: privateTask(), service: "logs",
			want: want{problems: []wantProblem{{IDEndpointIngressMissing, SeverityError, nil}}},
		},
		{
			name: "endpoint group not in the facts: cannot tell, no error",
			net:  world(withInterface("logs", func(ep *facts.VPCEndpoint) { ep.Groups = []string{"sg-unseen"} })), task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "task egress only port 80: blocked to the endpoint",
			net:  world(withInterface("logs"), group("sg-task", allowOnly(80, 80))), task: privateTask(), service: "logs",
			want: want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDTaskEgressBlocked, SeverityError, attrs("service", "logs", "port", "443")}}},
		},
		{
			name: "task egress only port 80: blocked through the NAT",
			net:  world(withNAT, group("sg-task", allowOnly(80, 80))), task: privateTask(), service: "internet",
			want: want{via: ViaNATGateway, problems: []wantProblem{{IDTaskEgressBlocked, SeverityError, attrs("service", "internet", "port", "443")}}, detail: []string{"0.0.0.0/0"}},
		},
		{
			name: "task egress to the VPC CIDR reaches the endpoint but not the NAT",
			net:  world(withNAT, withInterface("logs"), group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(443, 443, []string{"10.0.0.0/16"})} })),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "task egress by reference to the endpoint's group",
			net:  world(withInterface("logs"), group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(443, 443, nil, "sg-ep")} })),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "task egress via a second group",
			net: world(withInterface("logs"), group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = nil }),
				group("sg-extra", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(443, 443, []string{"0.0.0.0/0"})} })),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task", "sg-extra"}}, service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "endpoint service name and state in other cases",
			net: world(withInterface("logs", func(ep *facts.VPCEndpoint) {
				ep.ServiceName, ep.State, ep.Type = "COM.AMAZONAWS.US-EAST-1.LOGS", "Available", "interface"
			})),
			task: privateTask(), service: "LOGS",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "endpoint for another region does not count", net: world(withInterface("logs", func(ep *facts.VPCEndpoint) { ep.ServiceName = "com.amazonaws.eu-west-1.logs" })),
			task: privateTask(), service: "logs",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, nil}}},
		},
		// --- S3 -----------------------------------------------------------
		{
			name: "S3 gateway endpoint on the task route table", net: world(withS3Gateway("rtb-priv")), task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaGatewayEndpoint, noErrors: true},
		},
		{
			name: "S3 gateway endpoint known only by its route",
			net: world(withS3Gateway("rtb-priv"), func(n *facts.Network) {
				n.Endpoints[0].RouteTables = nil
			}),
			task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaGatewayEndpoint, noErrors: true},
		},
		{
			name: "S3 gateway endpoint on another route table, no other path",
			net:  world(withS3Gateway("rtb-pub")), task: privateTask(), service: "s3",
			want: want{via: ViaNone, problems: []wantProblem{{IDEndpointS3RouteTable, SeverityError, attrs("routeTable", "rtb-priv")}}, absent: []string{IDEndpointMissing},
				detail: []string{"vpce-s3gw", "rtb-pub", "Associate rtb-priv"}},
		},
		{
			name: "S3 gateway endpoint on another route table, NAT carries it: warning",
			net:  world(withNAT, withS3Gateway("rtb-pub")), task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true, problems: []wantProblem{{IDEndpointS3RouteTable, SeverityWarning, attrs("routeTable", "rtb-priv")}}},
		},
		{
			name: "S3 gateway: egress to the prefix list only is enough",
			net: world(withS3Gateway("rtb-priv"), group("sg-task", func(sg *facts.SecurityGroup) {
				sg.Egress = []facts.SGRule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-63a5400a"}}}
			})),
			task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaGatewayEndpoint, noErrors: true},
		},
		{
			name: "S3 gateway: egress to CIDRs covering the prefix list",
			net: world(withS3Gateway("rtb-priv"), group("sg-task", func(sg *facts.SecurityGroup) {
				sg.Egress = []facts.SGRule{tcp(443, 443, []string{"52.0.0.0/8", "54.0.0.0/8"}), tcp(443, 443, []string{"3.0.0.0/8"})}
			})),
			task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaGatewayEndpoint, noErrors: true},
		},
		{
			name: "S3 gateway: egress only to the VPC is blocked",
			net:  world(withS3Gateway("rtb-priv"), group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(443, 443, []string{"10.0.0.0/16"})} })),
			task: privateTask(), service: "s3",
			want: want{via: ViaGatewayEndpoint, problems: []wantProblem{{IDTaskEgressBlocked, SeverityError, attrs("service", "s3", "port", "443")}}, detail: []string{"pl-63a5400a"}},
		},
		{
			name: "S3 over the NAT: egress to the prefix list only is enough",
			net: world(withNAT, group("sg-task", func(sg *facts.SecurityGroup) {
				sg.Egress = []facts.SGRule{{Protocol: "6", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-63a5400a"}}}
			})),
			task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true},
		},
		{
			name: "S3 capturing interface endpoint without a gateway", net: world(withInterface("s3")), task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "S3 gateway endpoint not available",
			net:  world(withS3Gateway("rtb-priv"), func(n *facts.Network) { n.Endpoints[0].State = "pending" }), task: privateTask(), service: "s3",
			want: want{via: ViaGatewayEndpoint, problems: []wantProblem{{IDEndpointNotAvailable, SeverityError, attrs("service", "s3", "endpointId", "vpce-s3gw")}}},
		},
		// --- network ACLs -------------------------------------------------
		{
			name: "task subnet ACL denies outbound 443 to the endpoint subnet",
			net: world(withInterface("secretsmanager"), aclFor("acl-task", []facts.NACLEntry{
				entry(90, true, "6", "deny", "10.0.10.0/24", 443, 443),
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-a")),
			task: privateTask(), service: "secretsmanager",
			want: want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, attrs("subnet", "subnet-a", "nacl", "acl-task")}}, detail: []string{"rule 90", "outbound TCP 443"}},
		},
		{
			name: "task subnet ACL denies the ephemeral return traffic",
			net: world(withNAT, aclFor("acl-task", []facts.NACLEntry{
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "6", "allow", "10.0.0.0/16", 0, 65535),
				entry(110, false, "6", "allow", "0.0.0.0/0", 443, 443),
			}, "subnet-a")),
			task: privateTask(), service: "ecr.api",
			want: want{via: ViaNATGateway, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, attrs("subnet", "subnet-a", "nacl", "acl-task")}}, detail: []string{"inbound TCP 32768-60999 replies from 0.0.0.0/0", "final * rule"}},
		},
		{
			name: "return traffic allowed on 32768-65535 suffices for Linux",
			net: world(withNAT, aclFor("acl-task", []facts.NACLEntry{
				entry(100, true, "6", "allow", "0.0.0.0/0", 443, 443),
				entry(100, false, "6", "allow", "0.0.0.0/0", 32768, 65535),
			}, "subnet-a")),
			task: privateTask(), service: "ecr.api",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true},
		},
		{
			name: "return traffic allowed on 49152-65535 blocks Linux",
			net: world(withNAT, aclFor("acl-task", []facts.NACLEntry{
				entry(100, true, "6", "allow", "0.0.0.0/0", 443, 443),
				entry(100, false, "6", "allow", "0.0.0.0/0", 49152, 65535),
			}, "subnet-a")),
			task: privateTask(), service: "ecr.api",
			want: want{via: ViaNATGateway, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, nil}}},
		},
		{
			name: "return traffic allowed on 49152-65535 is fine for Windows",
			net: world(withNAT, aclFor("acl-task", []facts.NACLEntry{
				entry(100, true, "6", "allow", "0.0.0.0/0", 443, 443),
				entry(100, false, "6", "allow", "0.0.0.0/0", 49152, 65535),
			}, "subnet-a")),
			task: TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task"}, OSFamily: "WINDOWS_SERVER_2022_CORE"}, service: "ecr.api",
			want: want{reachable: true, via: ViaNATGateway, noErrors: true},
		},
		{
			name: "NAT subnet ACL without 1024-65535 inbound blocks the NAT's replies",
			net: world(withNAT, aclFor("acl-pub", []facts.NACLEntry{
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "6", "allow", "10.0.0.0/16", 443, 443),
				entry(110, false, "6", "allow", "0.0.0.0/0", 32768, 65535),
			}, "subnet-pub")),
			task: privateTask(), service: "logs",
			want: want{via: ViaNATGateway, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, attrs("subnet", "subnet-pub", "nacl", "acl-pub")}}, detail: []string{"1024-65535", "nat-1"}},
		},
		{
			name: "endpoint subnet ACL denies inbound 443 from the task",
			net: world(withInterface("logs"), aclFor("acl-ep", []facts.NACLEntry{
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(50, false, "6", "deny", "10.0.1.0/24", 443, 443),
				entry(100, false, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-e")),
			task: privateTask(), service: "logs",
			want: want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, attrs("subnet", "subnet-e", "nacl", "acl-ep")}}},
		},
		{
			name: "endpoint in the task's own subnet crosses no ACL",
			net: world(withInterface("logs", func(ep *facts.VPCEndpoint) { ep.Subnets = []string{"subnet-a"} }),
				aclFor("acl-closed", nil, "subnet-a")),
			task: privateTask(), service: "logs",
			want: want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true},
		},
		{
			name: "S3 gateway ACL deny on part of the prefix list",
			net: world(withS3Gateway("rtb-priv"), aclFor("acl-task", []facts.NACLEntry{
				entry(90, true, "6", "deny", "52.216.0.0/16", 443, 443),
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-a")),
			task: privateTask(), service: "s3",
			want: want{via: ViaGatewayEndpoint, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, attrs("subnet", "subnet-a", "nacl", "acl-task")}}, detail: []string{"52.216.0.0/15", "rule 90"}},
		},
		{
			name: "S3 prefix list CIDRs unknown: partial ACL rules cannot be judged",
			net: world(withS3Gateway("rtb-priv"), func(n *facts.Network) { n.PrefixLists[0].CIDRs = nil }, aclFor("acl-task", []facts.NACLEntry{
				entry(90, true, "6", "deny", "52.216.0.0/16", 443, 443),
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-a")),
			task: privateTask(), service: "s3",
			want: want{reachable: true, via: ViaGatewayEndpoint, noErrors: true},
		},
		{
			name: "S3 prefix list CIDRs unknown: a 0.0.0.0/0 deny is judged",
			net: world(withS3Gateway("rtb-priv"), func(n *facts.Network) { n.PrefixLists = nil }, aclFor("acl-task", []facts.NACLEntry{
				entry(100, true, "6", "deny", "0.0.0.0/0", 443, 443),
				entry(110, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-a")),
			task: privateTask(), service: "s3",
			want: want{via: ViaGatewayEndpoint, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, nil}}},
		},
		{
			name: "ACL that blocks everything on a public subnet",
			net:  world(aclFor("acl-pub", []facts.NACLEntry{entry(100, true, "6", "allow", "0.0.0.0/0", 443, 443)}, "subnet-pub")),
			task: publicTask(), service: "internet",
			want: want{via: ViaInternetGateway, problems: []wantProblem{{IDNACLBlocksHTTPS, SeverityError, attrs("subnet", "subnet-pub", "nacl", "acl-pub")}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Evaluate(c.net, region, c.task, c.service)
			check(t, r, c.want)
		})
	}
}

// The no-path Detail lists what was looked at and the resources are the
// VPC, subnet and route table, as the catalogue example shows.
func TestEndpointMissingShape(t *testing.T) {
	r := Evaluate(world(), region, privateTask(), "logs")
	p := r.Problem(IDEndpointMissing)
	if p == nil {
		t.Fatalf("no endpoint.missing\n%s", dump(r))
	}
	if got := strings.Join(p.Resources, ","); got != "vpc-1,subnet-a,rtb-priv" {
		t.Errorf("resources = %s", got)
	}
	if r.RouteTableID != "rtb-priv" || r.SubnetID != "subnet-a" || r.Service != "logs" {
		t.Errorf("result ids: %+v", r)
	}
}

func TestEvaluateFillsPathIDs(t *testing.T) {
	r := Evaluate(world(withNAT), region, privateTask(), "logs")
	if r.NATGatewayID != "nat-1" || r.RouteTableID != "rtb-priv" || r.EndpointID != "" {
		t.Errorf("NAT path ids: %+v", r)
	}
	r = Evaluate(world(withInterface("logs")), region, privateTask(), "logs")
	if r.EndpointID != "vpce-logs" || r.EndpointSubnetID != "subnet-e" {
		t.Errorf("endpoint path ids: %+v", r)
	}
	r = Evaluate(world(), region, publicTask(), "logs")
	if r.InternetGatewayID != "igw-1" {
		t.Errorf("IGW path ids: %+v", r)
	}
}

func TestEvaluateNotesAssumptions(t *testing.T) {
	n := world(withInterface("logs"), func(n *facts.Network) { n.VPC.DNSHostnames = nil })
	r := Evaluate(n, region, privateTask(), "logs")
	if len(r.Notes) == 0 || !strings.Contains(strings.Join(r.Notes, " "), "enableDnsHostnames") {
		t.Errorf("notes = %v", r.Notes)
	}
}

// A conclusion that rests on an assumed DNS attribute says so in its Detail.
func TestEvaluateAssumptionInDetail(t *testing.T) {
	n := world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) { sg.Ingress = nil }),
		func(n *facts.Network) { n.VPC.DNSHostnames = nil })
	r := Evaluate(n, region, privateTask(), "logs")
	check(t, r, want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDEndpointIngressMissing, SeverityError, nil}},
		detail: []string{"Note: enableDnsHostnames of vpc-1 could not be read and was assumed on."}})
}

// A rule naming a prefix list the facts do not hold cannot be judged.
func TestEvaluateUnknownPrefixListIngress(t *testing.T) {
	n := world(withInterface("logs"), group("sg-ep", func(sg *facts.SecurityGroup) {
		sg.Ingress = []facts.SGRule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-corp-private"}}}
	}))
	r := Evaluate(n, region, privateTask(), "logs")
	check(t, r, want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true})
	if !strings.Contains(strings.Join(r.Notes, " "), "vpce-logs") {
		t.Errorf("no note about the undecided ingress: %v", r.Notes)
	}
}

func TestEvaluateRegionFromAZ(t *testing.T) {
	r := Evaluate(world(withInterface("logs")), "", privateTask(), "logs")
	if r.Via != ViaInterfaceEndpoint || !r.Reachable {
		t.Errorf("no region: %s", dump(r))
	}
	r = Evaluate(world(withInterface("logs")), region, privateTask(), "com.amazonaws.us-east-1.logs")
	if r.Service != "logs" || r.Via != ViaInterfaceEndpoint {
		t.Errorf("full service name: %s", dump(r))
	}
}

// Missing facts never panic and never produce errors they cannot prove.
func TestEvaluateSparseFacts(t *testing.T) {
	for _, n := range []*facts.Network{nil, {}, {VPC: &facts.VPC{ID: "vpc-1"}}} {
		for _, svc := range []string{"logs", "s3", "internet"} {
			r := Evaluate(n, region, TaskNet{SubnetID: "subnet-x"}, svc)
			if r.HasErrors() {
				t.Errorf("sparse facts %v %s: %s", n, svc, dump(r))
			}
		}
	}
}
