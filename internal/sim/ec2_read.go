package sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ec2API is the account's EC2 endpoint (awsx.EC2Reader and EC2Writer).
// Without MaxResults EC2 returns everything in one page; with it, pages.
type ec2API struct{ a *Account }

const badToken = "InvalidPaginationToken"

func notFound(code, format string) func(string) error {
	return func(id string) error { return apiError(code, format, id) }
}

func (x *ec2API) DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeVpcs", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.vpcs.list(), func(v *vpc) string { return v.id }, in.VpcIds, in.Filters, func(v *vpc) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "vpc-id":
				return []string{v.id}, true
			case "cidr", "cidr-block-association.cidr-block":
				return []string{v.cidr}, true
			case "state":
				return []string{"available"}, true
			case "is-default", "isDefault":
				return []string{"false"}, true
			}
			return nil, false
		}, a.account, v.name)
	}, notFound("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeVpcs", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcsOutput{NextToken: next}
	for _, v := range items {
		out.Vpcs = append(out.Vpcs, a.renderVPC(v))
	}
	return out, nil
}

func (x *ec2API) DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeVpcAttribute", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	v := a.vpcs.get(aws.ToString(in.VpcId))
	if v == nil {
		return nil, apiError("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", aws.ToString(in.VpcId))
	}
	out := &ec2.DescribeVpcAttributeOutput{VpcId: aws.String(v.id)}
	switch in.Attribute {
	case ec2types.VpcAttributeNameEnableDnsSupport:
		out.EnableDnsSupport = &ec2types.AttributeBooleanValue{Value: aws.Bool(v.dnsSupport)}
	case ec2types.VpcAttributeNameEnableDnsHostnames:
		out.EnableDnsHostnames = &ec2types.AttributeBooleanValue{Value: aws.Bool(v.dnsHostnames)}
	case ec2types.VpcAttributeNameEnableNetworkAddressUsageMetrics:
		out.EnableNetworkAddressUsageMetrics = &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}
	default:
		return nil, apiError("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", in.Attribute)
	}
	return out, nil
}

func (x *ec2API) DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeSubnets", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.subnets.list(), func(s *subnet) string { return s.id }, in.SubnetIds, in.Filters, func(s *subnet) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "subnet-id":
				return []string{s.id}, true
			case "vpc-id":
				return []string{s.vpc}, true
			case "availability-zone", "availabilityZone":
				return []string{s.az}, true
			case "availability-zone-id":
				return []string{s.azID}, true
			case "cidr-block", "cidr", "cidrBlock":
				return []string{s.cidr}, true
			case "default-for-az":
				return []string{"false"}, true
			case "map-public-ip-on-launch":
				return []string{boolString(s.mapPublicIP)}, true
			case "state":
				return []string{"available"}, true
			}
			return nil, false
		}, a.account, s.name)
	}, notFound("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeSubnets", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeSubnetsOutput{NextToken: next}
	for _, s := range items {
		out.Subnets = append(out.Subnets, a.renderSubnet(s))
	}
	return out, nil
}

func (x *ec2API) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeRouteTables", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.rtbs.list(), func(r *routeTable) string { return r.id }, in.RouteTableIds, in.Filters, func(r *routeTable) attrs {
		return withCommon(func(name string) ([]string, bool) {
			var vals []string
			switch name {
			case "route-table-id":
				return []string{r.id}, true
			case "vpc-id":
				return []string{r.vpc}, true
			case "association.main":
				return []string{boolString(r.main)}, true
			case "association.subnet-id":
				for _, as := range r.assocs {
					vals = append(vals, as.subnet)
				}
				return vals, true
			case "association.route-table-association-id":
				for _, as := range r.assocs {
					vals = append(vals, as.id)
				}
				if r.main {
					vals = append(vals, r.mainAssoc)
				}
				return vals, true
			case "route.gateway-id", "route.nat-gateway-id", "route.transit-gateway-id", "route.vpc-peering-connection-id":
				for _, rr := range a.effectiveRoutes(r) {
					vals = append(vals, rr.target)
				}
				return vals, true
			case "route.destination-cidr-block", "route.destination-prefix-list-id":
				for _, rr := range a.effectiveRoutes(r) {
					vals = append(vals, rr.dest)
				}
				return vals, true
			}
			return nil, false
		}, a.account, r.name)
	}, notFound("InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeRouteTables", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeRouteTablesOutput{NextToken: next}
	for _, r := range items {
		out.RouteTables = append(out.RouteTables, a.renderRouteTable(r))
	}
	return out, nil
}

func (x *ec2API) DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput, _ ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeNatGateways", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.nats.list(), func(n *natGateway) string { return n.id }, in.NatGatewayIds, in.Filter, func(n *natGateway) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "nat-gateway-id":
				return []string{n.id}, true
			case "vpc-id":
				return []string{n.vpc}, true
			case "subnet-id":
				return []string{n.subnet}, true
			case "state":
				return []string{n.state}, true
			}
			return nil, false
		}, a.account, n.name)
	}, notFound("NatGatewayNotFound", "NAT gateway %s was not found"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeNatGateways", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeNatGatewaysOutput{NextToken: next}
	for _, n := range items {
		out.NatGateways = append(out.NatGateways, a.renderNAT(n))
	}
	return out, nil
}

func (x *ec2API) DescribeInternetGateways(ctx context.Context, in *ec2.DescribeInternetGatewaysInput, _ ...func(*ec2.Options)) (*ec2.DescribeInternetGatewaysOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeInternetGateways", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.igws.list(), func(g *internetGateway) string { return g.id }, in.InternetGatewayIds, in.Filters, func(g *internetGateway) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "internet-gateway-id":
				return []string{g.id}, true
			case "attachment.vpc-id":
				return []string{g.vpc}, true
			case "attachment.state":
				return []string{"available"}, true
			}
			return nil, false
		}, a.account, g.name)
	}, notFound("InvalidInternetGatewayID.NotFound", "The internetGateway ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeInternetGateways", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeInternetGatewaysOutput{NextToken: next}
	for _, g := range items {
		out.InternetGateways = append(out.InternetGateways, a.renderIGW(g))
	}
	return out, nil
}

func (x *ec2API) DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeVpcEndpoints", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.endpoints.list(), func(e *vpcEndpoint) string { return e.id }, in.VpcEndpointIds, in.Filters, func(e *vpcEndpoint) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "vpc-endpoint-id":
				return []string{e.id}, true
			case "vpc-id":
				return []string{e.vpc}, true
			case "service-name":
				return []string{"com.amazonaws." + a.region + "." + e.service}, true
			case "vpc-endpoint-type":
				return []string{e.typ}, true
			case "vpc-endpoint-state":
				return []string{e.state}, true
			}
			return nil, false
		}, a.account, e.name)
	}, notFound("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeVpcEndpoints", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcEndpointsOutput{NextToken: next}
	for _, e := range items {
		out.VpcEndpoints = append(out.VpcEndpoints, a.renderEndpoint(e))
	}
	return out, nil
}

func (x *ec2API) DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeSecurityGroups", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	all := a.sgs.list()
	for _, n := range in.GroupNames {
		found := false
		for _, g := range all {
			found = found || g.name == n
		}
		if !found {
			return nil, apiError("InvalidGroup.NotFound", "The security group '%s' does not exist", n)
		}
	}
	list, err := filterList(all, func(g *securityGroup) string { return g.id }, in.GroupIds, in.Filters, func(g *securityGroup) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "group-id":
				return []string{g.id}, true
			case "group-name":
				return []string{g.name}, true
			case "vpc-id":
				return []string{g.vpc}, true
			case "description":
				return []string{g.desc}, true
			}
			return nil, false
		}, a.account, g.tagName)
	}, notFound("InvalidGroup.NotFound", "The security group '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	if len(in.GroupNames) > 0 {
		var named []*securityGroup
		for _, g := range list {
			if contains(in.GroupNames, g.name) {
				named = append(named, g)
			}
		}
		list = named
	}
	items, next, err := page(a, "DescribeSecurityGroups", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeSecurityGroupsOutput{NextToken: next}
	for _, g := range items {
		out.SecurityGroups = append(out.SecurityGroups, a.renderSG(g))
	}
	return out, nil
}

func (x *ec2API) DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeNetworkAcls", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.acls.list(), func(n *networkACL) string { return n.id }, in.NetworkAclIds, in.Filters, func(n *networkACL) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "network-acl-id", "association.network-acl-id":
				return []string{n.id}, true
			case "vpc-id":
				return []string{n.vpc}, true
			case "default":
				return []string{boolString(n.isDefault)}, true
			case "association.subnet-id":
				var vals []string
				for _, s := range a.subnets.list() {
					if a.subnetACL[s.id] == n.id {
						vals = append(vals, s.id)
					}
				}
				return vals, true
			}
			return nil, false
		}, a.account, n.name)
	}, notFound("InvalidNetworkAclID.NotFound", "The networkAcl ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeNetworkAcls", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeNetworkAclsOutput{NextToken: next}
	for _, n := range items {
		out.NetworkAcls = append(out.NetworkAcls, a.renderACL(n))
	}
	return out, nil
}

func (x *ec2API) DescribeManagedPrefixLists(ctx context.Context, in *ec2.DescribeManagedPrefixListsInput, _ ...func(*ec2.Options)) (*ec2.DescribeManagedPrefixListsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeManagedPrefixLists", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.prefixLists.list(), func(p *prefixList) string { return p.id }, in.PrefixListIds, in.Filters, func(p *prefixList) attrs {
		return func(name string) ([]string, bool) {
			switch name {
			case "prefix-list-id":
				return []string{p.id}, true
			case "prefix-list-name":
				return []string{p.name}, true
			case "owner-id":
				return []string{"AWS"}, true
			}
			return nil, false
		}
	}, notFound("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeManagedPrefixLists", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeManagedPrefixListsOutput{NextToken: next}
	for _, p := range items {
		out.PrefixLists = append(out.PrefixLists, ec2types.ManagedPrefixList{
			PrefixListId: aws.String(p.id), PrefixListName: aws.String(p.name), AddressFamily: aws.String("IPv4"),
			PrefixListArn: aws.String("arn:" + a.partition() + ":ec2:" + a.region + ":aws:prefix-list/" + p.id),
			State:         ec2types.PrefixListStateCreateComplete, OwnerId: aws.String("AWS"), Version: aws.Int64(1),
		})
	}
	return out, nil
}

func (x *ec2API) GetManagedPrefixListEntries(ctx context.Context, in *ec2.GetManagedPrefixListEntriesInput, _ ...func(*ec2.Options)) (*ec2.GetManagedPrefixListEntriesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:GetManagedPrefixListEntries", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	p := a.prefixLists.get(aws.ToString(in.PrefixListId))
	if p == nil {
		return nil, apiError("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", aws.ToString(in.PrefixListId))
	}
	items, next, err := page(a, "GetManagedPrefixListEntries", p.cidrs, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.GetManagedPrefixListEntriesOutput{NextToken: next}
	for _, c := range items {
		out.Entries = append(out.Entries, ec2types.PrefixListEntry{Cidr: aws.String(c)})
	}
	return out, nil
}

func (x *ec2API) DescribeNetworkInterfaces(ctx context.Context, in *ec2.DescribeNetworkInterfacesInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:DescribeNetworkInterfaces", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	list, err := filterList(a.enis.list(), func(e *networkInterface) string { return e.id }, in.NetworkInterfaceIds, in.Filters, func(e *networkInterface) attrs {
		return withCommon(func(name string) ([]string, bool) {
			switch name {
			case "network-interface-id":
				return []string{e.id}, true
			case "vpc-id":
				return []string{e.vpc}, true
			case "subnet-id":
				return []string{e.subnet}, true
			case "availability-zone":
				return []string{e.az}, true
			case "group-id":
				return a.renderENIGroups(e), true
			case "private-ip-address", "addresses.private-ip-address":
				return []string{e.ip}, true
			case "association.public-ip":
				return []string{e.publicIP}, true
			case "description":
				return []string{e.desc}, true
			case "interface-type":
				return []string{e.kind}, true
			case "status":
				return []string{"in-use"}, true
			case "requester-managed":
				return []string{"true"}, true
			}
			return nil, false
		}, a.account, "")
	}, notFound("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(a, "DescribeNetworkInterfaces", list, in.NextToken, aws.ToInt32(in.MaxResults), 0, badToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeNetworkInterfacesOutput{NextToken: next}
	for _, e := range items {
		out.NetworkInterfaces = append(out.NetworkInterfaces, a.renderENI(e))
	}
	return out, nil
}

func (a *Account) renderENIGroups(e *networkInterface) []string {
	var out []string
	for _, g := range a.renderENI(e).Groups {
		out = append(out, aws.ToString(g.GroupId))
	}
	return out
}
