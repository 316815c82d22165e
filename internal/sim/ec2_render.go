package sim

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Rendering EC2 records as the API returns them.

func (a *Account) renderVPC(v *vpc) ec2types.Vpc {
	return ec2types.Vpc{
		VpcId: aws.String(v.id), CidrBlock: aws.String(v.cidr), State: ec2types.VpcStateAvailable, IsDefault: aws.Bool(false),
		OwnerId: aws.String(a.account), InstanceTenancy: ec2types.TenancyDefault, DhcpOptionsId: aws.String(a.ec2IDOnce("dopt", a.region)),
		CidrBlockAssociationSet: []ec2types.VpcCidrBlockAssociation{{
			AssociationId: aws.String(a.ec2IDOnce("vpc-cidr-assoc", v.id)), CidrBlock: aws.String(v.cidr),
			CidrBlockState: &ec2types.VpcCidrBlockState{State: ec2types.VpcCidrBlockStateCodeAssociated},
		}},
		Tags: nameTags(v.name),
	}
}

// ec2IDOnce is an id derived from the parts without reserving it: for ids
// that must come out the same on every call (DHCP options, associations).
func (a *Account) ec2IDOnce(prefix string, parts ...string) string {
	h := hashOf(append([]string{prefix}, parts...)...)
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 16)
	for i := range out {
		out[i] = hexdigits[h[i]%16]
	}
	return prefix + "-0" + string(out)
}

func (a *Account) renderSubnet(s *subnet) ec2types.Subnet {
	return ec2types.Subnet{
		SubnetId: aws.String(s.id), VpcId: aws.String(s.vpc), CidrBlock: aws.String(s.cidr),
		AvailabilityZone: aws.String(s.az), AvailabilityZoneId: aws.String(s.azID),
		AvailableIpAddressCount: aws.Int32(int32(freeIPs(s))), MapPublicIpOnLaunch: aws.Bool(s.mapPublicIP),
		DefaultForAz: aws.Bool(false), State: ec2types.SubnetStateAvailable, OwnerId: aws.String(a.account),
		SubnetArn: aws.String(a.arn("ec2", a.region, "subnet/"+s.id)), AssignIpv6AddressOnCreation: aws.Bool(false),
		Tags: nameTags(s.name),
	}
}

func (a *Account) renderRouteTable(rt *routeTable) ec2types.RouteTable {
	out := ec2types.RouteTable{RouteTableId: aws.String(rt.id), VpcId: aws.String(rt.vpc), OwnerId: aws.String(a.account), Tags: nameTags(rt.name)}
	associated := &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}
	if rt.main {
		out.Associations = append(out.Associations, ec2types.RouteTableAssociation{
			Main: aws.Bool(true), RouteTableAssociationId: aws.String(rt.mainAssoc), RouteTableId: aws.String(rt.id), AssociationState: associated,
		})
	}
	for _, as := range rt.assocs {
		out.Associations = append(out.Associations, ec2types.RouteTableAssociation{
			Main: aws.Bool(false), RouteTableAssociationId: aws.String(as.id), RouteTableId: aws.String(rt.id),
			SubnetId: aws.String(as.subnet), AssociationState: associated,
		})
	}
	for i, r := range a.effectiveRoutes(rt) {
		or := ec2types.Route{Origin: ec2types.RouteOriginCreateRoute, State: ec2types.RouteStateActive}
		if strings.HasPrefix(r.dest, "pl-") {
			or.DestinationPrefixListId = aws.String(r.dest)
		} else {
			or.DestinationCidrBlock = aws.String(r.dest)
		}
		switch t := r.target; {
		case i == 0 && t == "local":
			or.GatewayId, or.Origin = aws.String("local"), ec2types.RouteOriginCreateRouteTable
		case strings.HasPrefix(t, "nat-"):
			or.NatGatewayId = aws.String(t)
			if n := a.nats.get(t); n == nil || n.state != "available" {
				or.State = ec2types.RouteStateBlackhole
			}
		case strings.HasPrefix(t, "igw-"):
			or.GatewayId = aws.String(t)
			if g := a.igws.get(t); g == nil || g.vpc != rt.vpc {
				or.State = ec2types.RouteStateBlackhole
			}
		case strings.HasPrefix(t, "tgw-"):
			or.TransitGatewayId = aws.String(t)
		case strings.HasPrefix(t, "pcx-"):
			or.VpcPeeringConnectionId = aws.String(t)
		case strings.HasPrefix(t, "eni-"):
			or.NetworkInterfaceId = aws.String(t)
		case strings.HasPrefix(t, "eigw-"):
			or.EgressOnlyInternetGatewayId = aws.String(t)
		default:
			or.GatewayId = aws.String(t)
		}
		out.Routes = append(out.Routes, or)
	}
	return out
}

func (a *Account) renderNAT(n *natGateway) ec2types.NatGateway {
	sn := a.subnets.get(n.subnet)
	addr := ec2types.NatGatewayAddress{
		NetworkInterfaceId: aws.String(n.eni), PrivateIp: aws.String(n.privateIP), IsPrimary: aws.Bool(true),
		Status: ec2types.NatGatewayAddressStatusSucceeded,
	}
	if sn != nil {
		addr.AvailabilityZone, addr.AvailabilityZoneId = aws.String(sn.az), aws.String(sn.azID)
	}
	connectivity := ec2types.ConnectivityTypePublic
	if n.private {
		connectivity = ec2types.ConnectivityTypePrivate
	} else {
		addr.AllocationId, addr.AssociationId, addr.PublicIp = aws.String(n.alloc), aws.String(n.assoc), aws.String(n.publicIP)
	}
	return ec2types.NatGateway{
		NatGatewayId: aws.String(n.id), VpcId: aws.String(n.vpc), SubnetId: aws.String(n.subnet),
		State: ec2types.NatGatewayState(n.state), ConnectivityType: connectivity, CreateTime: timePtr(n.created),
		NatGatewayAddresses: []ec2types.NatGatewayAddress{addr}, Tags: nameTags(n.name),
	}
}

func (a *Account) renderIGW(g *internetGateway) ec2types.InternetGateway {
	out := ec2types.InternetGateway{InternetGatewayId: aws.String(g.id), OwnerId: aws.String(a.account), Tags: nameTags(g.name)}
	if g.vpc != "" {
		// AWS reports an attached internet gateway as "available".
		out.Attachments = []ec2types.InternetGatewayAttachment{{VpcId: aws.String(g.vpc), State: "available"}}
	}
	return out
}

func (a *Account) renderEndpoint(e *vpcEndpoint) ec2types.VpcEndpoint {
	out := ec2types.VpcEndpoint{
		VpcEndpointId: aws.String(e.id), VpcEndpointType: ec2types.VpcEndpointType(e.typ), VpcId: aws.String(e.vpc),
		ServiceName: aws.String("com.amazonaws." + a.region + "." + e.service), State: ec2types.State(e.state),
		PolicyDocument: aws.String(e.policy), RouteTableIds: cloneStrings(e.routeTables), SubnetIds: cloneStrings(e.subnets),
		PrivateDnsEnabled: aws.Bool(e.privateDNS), RequesterManaged: aws.Bool(false), CreationTimestamp: timePtr(e.created),
		OwnerId: aws.String(a.account), Tags: nameTags(e.name),
	}
	if e.typ == "Interface" {
		out.IpAddressType = ec2types.IpAddressTypeIpv4
		out.DnsOptions = &ec2types.DnsOptions{DnsRecordIpType: ec2types.DnsRecordIpTypeIpv4}
		for _, g := range e.groups {
			name := g
			if sg := a.sgs.get(g); sg != nil {
				name = sg.name
			}
			out.Groups = append(out.Groups, ec2types.SecurityGroupIdentifier{GroupId: aws.String(g), GroupName: aws.String(name)})
		}
		for _, s := range e.subnets {
			if id := e.enis[s]; id != "" {
				out.NetworkInterfaceIds = append(out.NetworkInterfaceIds, id)
			}
		}
		host := a.serviceHost(e.service)
		if e.service == "ecr.dkr" {
			host = "dkr.ecr." + a.region + ".amazonaws.com"
		}
		out.DnsEntries = append(out.DnsEntries, ec2types.DnsEntry{
			DnsName: aws.String(e.id + "-" + a.ec2IDOnce("x", e.id)[4:12] + "." + host), HostedZoneId: aws.String("Z7HUB22UULQXV"),
		})
		if e.privateDNS {
			out.DnsEntries = append(out.DnsEntries, ec2types.DnsEntry{DnsName: aws.String(host), HostedZoneId: aws.String("ZONEIDPENDING")})
		}
	}
	return out
}

// renderPermissions groups atomic rules back into IpPermissions, one per
// protocol and port range, as DescribeSecurityGroups shows them.
func (a *Account) renderPermissions(rules []sgRule) []ec2types.IpPermission {
	var out []ec2types.IpPermission
	index := map[string]int{}
	for _, r := range rules {
		key := r.proto + "/" + itoa(r.from) + "/" + itoa(r.to)
		i, ok := index[key]
		if !ok {
			p := ec2types.IpPermission{IpProtocol: aws.String(r.proto)}
			if r.proto != "-1" {
				p.FromPort, p.ToPort = aws.Int32(r.from), aws.Int32(r.to)
			}
			out = append(out, p)
			i = len(out) - 1
			index[key] = i
		}
		p := &out[i]
		desc := aws.String(r.desc)
		if r.desc == "" {
			desc = nil
		}
		switch {
		case r.cidr != "" && strings.Contains(r.cidr, ":"):
			p.Ipv6Ranges = append(p.Ipv6Ranges, ec2types.Ipv6Range{CidrIpv6: aws.String(r.cidr), Description: desc})
		case r.cidr != "":
			p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(r.cidr), Description: desc})
		case r.group != "":
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, ec2types.UserIdGroupPair{GroupId: aws.String(r.group), UserId: aws.String(a.account), Description: desc})
		case r.prefixList != "":
			p.PrefixListIds = append(p.PrefixListIds, ec2types.PrefixListId{PrefixListId: aws.String(r.prefixList), Description: desc})
		}
	}
	return out
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

func (a *Account) renderSG(g *securityGroup) ec2types.SecurityGroup {
	return ec2types.SecurityGroup{
		GroupId: aws.String(g.id), GroupName: aws.String(g.name), Description: aws.String(g.desc), VpcId: aws.String(g.vpc),
		OwnerId: aws.String(a.account), SecurityGroupArn: aws.String(a.arn("ec2", a.region, "security-group/"+g.id)),
		IpPermissions: a.renderPermissions(g.ingress), IpPermissionsEgress: a.renderPermissions(g.egress), Tags: nameTags(g.tagName),
	}
}

func (a *Account) renderACL(n *networkACL) ec2types.NetworkAcl {
	out := ec2types.NetworkAcl{NetworkAclId: aws.String(n.id), VpcId: aws.String(n.vpc), IsDefault: aws.Bool(n.isDefault), OwnerId: aws.String(a.account), Tags: nameTags(n.name)}
	for _, e := range n.entries {
		oe := ec2types.NetworkAclEntry{
			RuleNumber: aws.Int32(e.rule), Egress: aws.Bool(e.egress), Protocol: aws.String(e.proto),
			RuleAction: ec2types.RuleAction(e.action), CidrBlock: aws.String(e.cidr),
		}
		if e.proto == "6" || e.proto == "17" {
			oe.PortRange = &ec2types.PortRange{From: aws.Int32(e.from), To: aws.Int32(e.to)}
		}
		out.Entries = append(out.Entries, oe)
	}
	for _, s := range a.subnets.list() {
		if a.subnetACL[s.id] == n.id {
			out.Associations = append(out.Associations, ec2types.NetworkAclAssociation{
				NetworkAclAssociationId: aws.String(a.aclAssoc[s.id]), NetworkAclId: aws.String(n.id), SubnetId: aws.String(s.id),
			})
		}
	}
	return out
}

func (a *Account) renderENI(e *networkInterface) ec2types.NetworkInterface {
	sn := a.subnets.get(e.subnet)
	out := ec2types.NetworkInterface{
		NetworkInterfaceId: aws.String(e.id), SubnetId: aws.String(e.subnet), VpcId: aws.String(e.vpc),
		AvailabilityZone: aws.String(e.az), PrivateIpAddress: aws.String(e.ip), MacAddress: aws.String(e.mac),
		PrivateDnsName: aws.String(privateDNSName(e.ip, a.region)), Description: aws.String(e.desc),
		InterfaceType: ec2types.NetworkInterfaceType(e.kind), RequesterId: aws.String(e.requester), RequesterManaged: aws.Bool(true),
		Status: ec2types.NetworkInterfaceStatusInUse, OwnerId: aws.String(a.account), SourceDestCheck: aws.Bool(true),
	}
	if sn != nil {
		out.AvailabilityZoneId = aws.String(sn.azID)
	}
	groups := e.groups
	for _, ep := range a.endpoints.list() {
		if ep.enis[e.subnet] == e.id {
			groups = ep.groups // an endpoint's interfaces follow its groups
		}
	}
	for _, g := range groups {
		name := g
		if sg := a.sgs.get(g); sg != nil {
			name = sg.name
		}
		out.Groups = append(out.Groups, ec2types.GroupIdentifier{GroupId: aws.String(g), GroupName: aws.String(name)})
	}
	pip := ec2types.NetworkInterfacePrivateIpAddress{Primary: aws.Bool(true), PrivateIpAddress: aws.String(e.ip), PrivateDnsName: out.PrivateDnsName}
	if e.publicIP != "" {
		assoc := &ec2types.NetworkInterfaceAssociation{
			PublicIp: aws.String(e.publicIP), IpOwnerId: aws.String("amazon"),
			PublicDnsName: aws.String("ec2-" + strings.ReplaceAll(e.publicIP, ".", "-") + ".compute-1.amazonaws.com"),
		}
		out.Association, pip.Association = assoc, assoc
	}
	out.PrivateIpAddresses = []ec2types.NetworkInterfacePrivateIpAddress{pip}
	if e.attachment != "" {
		out.Attachment = &ec2types.NetworkInterfaceAttachment{
			AttachmentId: aws.String("ela-attach-" + a.ec2IDOnce("x", e.id)[4:12]), DeviceIndex: aws.Int32(1),
			Status: ec2types.AttachmentStatusAttached, DeleteOnTermination: aws.Bool(false), NetworkCardIndex: aws.Int32(0),
		}
	}
	return out
}
