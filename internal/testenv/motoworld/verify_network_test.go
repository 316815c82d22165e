package motoworld

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

func (v *verifier) network(ctx context.Context) {
	for _, x := range v.sc.World.VPCs {
		id := v.w.IDs["vpc:"+x.Name]
		for attr, want := range map[types.VpcAttributeName]bool{
			types.VpcAttributeNameEnableDnsSupport:   x.DNSSupport == nil || *x.DNSSupport,
			types.VpcAttributeNameEnableDnsHostnames: x.DNSHostnames == nil || *x.DNSHostnames,
		} {
			out, err := v.c.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: attr})
			v.must(err, "DescribeVpcAttribute")
			got := out.EnableDnsSupport
			if attr == types.VpcAttributeNameEnableDnsHostnames {
				got = out.EnableDnsHostnames
			}
			if got == nil || aws.ToBool(got.Value) != want {
				v.t.Errorf("vpc %s: %s is not %v", x.Name, attr, want)
			}
		}
	}
	for _, x := range v.sc.World.Subnets {
		out, err := v.c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: v.ids("subnet", []string{x.Name})})
		v.must(err, "DescribeSubnets")
		s := out.Subnets[0]
		if aws.ToString(s.AvailabilityZone) != x.AZ || aws.ToString(s.CidrBlock) != x.CIDR ||
			aws.ToString(s.VpcId) != v.w.IDs["vpc:"+x.VPC] || aws.ToBool(s.MapPublicIpOnLaunch) != x.MapPublicIPOnLaunch {
			v.t.Errorf("subnet %s: got %s %s in %s, public %v", x.Name, aws.ToString(s.AvailabilityZone),
				aws.ToString(s.CidrBlock), aws.ToString(s.VpcId), aws.ToBool(s.MapPublicIpOnLaunch))
		}
	}
	for _, x := range v.sc.World.NATGateways {
		out, err := v.c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: v.ids("nat", []string{x.Name})})
		v.must(err, "DescribeNatGateways")
		n := out.NatGateways[0]
		public := len(n.NatGatewayAddresses) > 0 && n.NatGatewayAddresses[0].PublicIp != nil
		if n.State != types.NatGatewayStateAvailable || aws.ToString(n.SubnetId) != v.w.IDs["subnet:"+x.Subnet] || public == x.Private {
			v.t.Errorf("NAT gateway %s: %s in %s, public IP %v", x.Name, n.State, aws.ToString(n.SubnetId), public)
		}
	}
	for _, x := range v.sc.World.RouteTables {
		v.routeTable(ctx, x)
	}
	for _, x := range v.sc.World.NetworkACLs {
		v.networkACL(ctx, x)
	}
}

func (v *verifier) routeTable(ctx context.Context, x scenario.RouteTable) {
	out, err := v.c.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: v.ids("rtb", []string{x.Name})})
	v.must(err, "DescribeRouteTables")
	rt := out.RouteTables[0]
	var subnets []string
	main := false
	for _, a := range rt.Associations {
		if a.SubnetId != nil {
			subnets = append(subnets, aws.ToString(a.SubnetId))
		}
		main = main || aws.ToBool(a.Main)
	}
	if !sameSet(subnets, v.ids("subnet", x.Subnets)) || main != x.Main {
		v.t.Errorf("route table %s: associated with %v (main %v), want %v (main %v)", x.Name, subnets, main, x.Subnets, x.Main)
	}
	for _, r := range x.Routes {
		want := r.Target
		if id := v.w.IDs["igw:"+r.Target] + v.w.IDs["nat:"+r.Target]; id != "" {
			want = id
		}
		if !slices.ContainsFunc(rt.Routes, func(got types.Route) bool {
			return aws.ToString(got.DestinationCidrBlock) == r.Destination &&
				(aws.ToString(got.GatewayId) == want || aws.ToString(got.NatGatewayId) == want)
		}) {
			v.t.Errorf("route table %s: no route %s -> %s", x.Name, r.Destination, want)
		}
	}
}

func (v *verifier) networkACL(ctx context.Context, x scenario.NetworkACL) {
	out, err := v.c.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: v.ids("acl", []string{x.Name})})
	v.must(err, "DescribeNetworkAcls")
	acl := out.NetworkAcls[0]
	custom := 0
	for _, e := range acl.Entries {
		if aws.ToInt32(e.RuleNumber) < 32767 {
			custom++
		}
	}
	if custom != len(x.Entries) {
		v.t.Errorf("network ACL %s: %d entries, want %d", x.Name, custom, len(x.Entries))
	}
	var subnets []string
	for _, a := range acl.Associations {
		subnets = append(subnets, aws.ToString(a.SubnetId))
	}
	for _, s := range v.ids("subnet", x.Subnets) {
		if !slices.Contains(subnets, s) {
			v.t.Errorf("network ACL %s: subnet %s not associated", x.Name, s)
		}
	}
}

func (v *verifier) securityGroups(ctx context.Context) {
	for _, x := range v.sc.World.SecurityGroups {
		id := v.w.IDs["sg:"+x.Name]
		out, err := v.c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
		v.must(err, "DescribeSecurityGroups")
		g := out.SecurityGroups[0]
		if got, want := sources(g.IpPermissions), v.ruleSources(id, x.Ingress); !sameSet(got, want) {
			v.t.Errorf("security group %s: ingress %v, want %v", x.Name, got, want)
		}
		egress := x.Egress
		if x.Egress == nil && !x.NoEgress {
			egress = []scenario.Rule{{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}} // AWS's default
		}
		if got, want := sources(g.IpPermissionsEgress), v.ruleSources(id, egress); !sameSet(got, want) {
			v.t.Errorf("security group %s: egress %v, want %v", x.Name, got, want)
		}
	}
}

// sources flattens permissions to "proto from-to source" strings: AWS
// merges rules with the same protocol and ports into one permission.
func sources(perms []types.IpPermission) []string {
	var out []string
	for _, p := range perms {
		ports := fmt.Sprintf("%s %d-%d ", aws.ToString(p.IpProtocol), aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort))
		if aws.ToString(p.IpProtocol) == "-1" {
			ports = "-1 "
		}
		for _, c := range p.IpRanges {
			out = append(out, ports+aws.ToString(c.CidrIp))
		}
		for _, g := range p.UserIdGroupPairs {
			out = append(out, ports+aws.ToString(g.GroupId))
		}
		for _, pl := range p.PrefixListIds {
			out = append(out, ports+aws.ToString(pl.PrefixListId))
		}
	}
	return out
}

// ruleSources is what sources should return for the scenario's rules,
// with group names resolved to ids ("self" to the group's own).
func (v *verifier) ruleSources(self string, rules []scenario.Rule) []string {
	var out []string
	for _, r := range rules {
		proto := r.Protocol
		if proto == "" {
			proto = "tcp"
		}
		from, to := r.FromPort, r.ToPort
		if r.Port != 0 {
			from, to = r.Port, r.Port
		}
		ports := fmt.Sprintf("%s %d-%d ", proto, from, to)
		if proto == "-1" {
			ports = "-1 "
		}
		for _, c := range r.CIDRs {
			out = append(out, ports+c)
		}
		for _, g := range r.Groups {
			id := v.w.IDs["sg:"+g]
			if g == "self" {
				id = self
			}
			out = append(out, ports+id)
		}
		for _, pl := range r.PrefixLists {
			if id := v.w.IDs["prefixlist:"+pl]; id != "" {
				pl = id
			}
			out = append(out, ports+pl)
		}
	}
	return out
}

func (v *verifier) endpoints(ctx context.Context) {
	for _, x := range v.sc.World.Endpoints {
		out, err := v.c.ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: v.ids("endpoint", []string{x.Name})})
		v.must(err, "DescribeVpcEndpoints")
		e := out.VpcEndpoints[0]
		var groups []string
		for _, g := range e.Groups {
			groups = append(groups, aws.ToString(g.GroupId))
		}
		where := fmt.Sprintf("endpoint %s (%s)", x.Name, aws.ToString(e.VpcEndpointId))
		if got, want := aws.ToString(e.ServiceName), "com.amazonaws."+v.w.Region+"."+x.Service; got != want {
			v.t.Errorf("%s: service %s, want %s", where, got, want)
		}
		kind := types.VpcEndpointType(x.Type)
		if kind == "" {
			kind = types.VpcEndpointTypeInterface
			if x.Service == "s3" || x.Service == "dynamodb" {
				kind = types.VpcEndpointTypeGateway
			}
		}
		if e.VpcEndpointType != kind {
			v.t.Errorf("%s: type %s, want %s", where, e.VpcEndpointType, kind)
		}
		// AWS (and moto) send "available" although the SDK's enum says "Available".
		if !strings.EqualFold(string(e.State), string(types.StateAvailable)) {
			v.t.Errorf("%s: state %s", where, e.State)
		}
		if !sameSet(groups, v.ids("sg", x.Groups)) || !sameSet(e.SubnetIds, v.ids("subnet", x.Subnets)) ||
			!sameSet(e.RouteTableIds, v.ids("rtb", x.RouteTables)) {
			v.t.Errorf("%s: groups %v subnets %v route tables %v, want %v %v %v", where,
				groups, e.SubnetIds, e.RouteTableIds, x.Groups, x.Subnets, x.RouteTables)
		}
		if e.VpcEndpointType == types.VpcEndpointTypeInterface && !aws.ToBool(e.PrivateDnsEnabled) {
			v.t.Errorf("%s: private DNS off", where)
		}
	}
}
