package sim

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The EC2 changes fixes make. Each checks what EC2 checks and fails with
// EC2's code; DryRun answers DryRunOperation after the permission check
// and changes nothing.

// endpointPending is how long a new interface endpoint takes to become
// available (and its private DNS to answer). Tasks started before then
// still fail: AWS's advice is to wait a couple of minutes before
// redeploying, and a learner can see why here.
const endpointPending = 30 * time.Second

// endpointServices are the services the region offers endpoints for
// (a subset: the ones tasks talk to, and a few more).
var endpointServices = map[string]bool{
	"ecr.api": true, "ecr.dkr": true, "s3": true, "dynamodb": true, "logs": true, "secretsmanager": true,
	"ssm": true, "ssmmessages": true, "ec2messages": true, "kms": true, "sts": true, "ecs": true,
	"ecs-agent": true, "ecs-telemetry": true, "monitoring": true, "elasticloadbalancing": true,
	"elasticfilesystem": true, "sqs": true, "sns": true, "xray": true, "ec2": true, "rds": true,
}

func tagName(specs []ec2types.TagSpecification) string {
	for _, s := range specs {
		for _, t := range s.Tags {
			if aws.ToString(t.Key) == "Name" {
				return aws.ToString(t.Value)
			}
		}
	}
	return ""
}

func (x *ec2API) CreateSecurityGroup(ctx context.Context, in *ec2.CreateSecurityGroupInput, _ ...func(*ec2.Options)) (*ec2.CreateSecurityGroupOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:CreateSecurityGroup", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if aws.ToBool(in.DryRun) {
		return nil, errDryRun()
	}
	name, desc := aws.ToString(in.GroupName), aws.ToString(in.Description)
	if name == "" || desc == "" {
		return nil, apiError("MissingParameter", "The request must contain the parameter %s", map[bool]string{true: "groupName", false: "groupDescription"}[name == ""])
	}
	if strings.HasPrefix(strings.ToLower(name), "sg-") {
		return nil, apiError("InvalidParameterValue", "Group names may not be in the format sg-*.")
	}
	v := a.vpcs.get(aws.ToString(in.VpcId))
	if v == nil {
		return nil, apiError("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", aws.ToString(in.VpcId))
	}
	for _, g := range a.sgs.list() {
		if g.vpc == v.id && g.name == name {
			return nil, apiError("InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, v.id)
		}
	}
	g := &securityGroup{id: a.ec2ID("sg", v.owner, "created", v.id, name), name: name, tagName: tagName(in.TagSpecifications), owner: v.owner, vpc: v.id, desc: desc}
	g.egress = []sgRule{{id: a.ec2ID("sgr", g.id, "out-all"), proto: "-1", from: -1, to: -1, cidr: "0.0.0.0/0"}}
	a.sgs.put(g.id, g)
	return &ec2.CreateSecurityGroupOutput{
		GroupId: aws.String(g.id), SecurityGroupArn: aws.String(a.arn("ec2", a.region, "security-group/"+g.id)), Tags: nameTags(g.tagName),
	}, nil
}

func (x *ec2API) AuthorizeSecurityGroupIngress(ctx context.Context, in *ec2.AuthorizeSecurityGroupIngressInput, _ ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupIngressOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:AuthorizeSecurityGroupIngress", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if aws.ToBool(in.DryRun) {
		return nil, errDryRun()
	}
	perms := permissionsOf(in.IpPermissions, in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp)
	rules, err := a.authorize(aws.ToString(in.GroupId), false, perms)
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupIngressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

func (x *ec2API) AuthorizeSecurityGroupEgress(ctx context.Context, in *ec2.AuthorizeSecurityGroupEgressInput, _ ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupEgressOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:AuthorizeSecurityGroupEgress", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if aws.ToBool(in.DryRun) {
		return nil, errDryRun()
	}
	perms := permissionsOf(in.IpPermissions, in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp)
	rules, err := a.authorize(aws.ToString(in.GroupId), true, perms)
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupEgressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

// permissionsOf is the request's IpPermissions, or the one permission its
// older top-level fields (IpProtocol, FromPort, ToPort, CidrIp) describe.
func permissionsOf(perms []ec2types.IpPermission, proto *string, from, to *int32, cidr *string) []ec2types.IpPermission {
	if len(perms) > 0 || proto == nil {
		return perms
	}
	p := ec2types.IpPermission{IpProtocol: proto, FromPort: from, ToPort: to}
	if cidr != nil {
		p.IpRanges = []ec2types.IpRange{{CidrIp: cidr}}
	}
	return []ec2types.IpPermission{p}
}

// authorize adds permissions to a group: every new atomic rule is checked
// before any is added, so a duplicate changes nothing, as in EC2.
func (a *Account) authorize(groupID string, egress bool, perms []ec2types.IpPermission) ([]ec2types.SecurityGroupRule, error) {
	g := a.sgs.get(groupID)
	if g == nil {
		return nil, apiError("InvalidGroup.NotFound", "The security group '%s' does not exist", groupID)
	}
	existing := g.ingress
	if egress {
		existing = g.egress
	}
	var added []sgRule
	for _, p := range perms {
		proto := normalProto(aws.ToString(p.IpProtocol))
		from, to := aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort)
		if proto == "-1" {
			from, to = -1, -1
		} else if (proto == "tcp" || proto == "udp") && (p.FromPort == nil || p.ToPort == nil || from > to || from < 0 || to > 65535) {
			return nil, apiError("InvalidParameterValue", "Invalid port range: %d-%d", from, to)
		}
		base := sgRule{proto: proto, from: from, to: to}
		var peers []sgRule
		for _, r := range p.IpRanges {
			x := base
			x.cidr, x.desc = aws.ToString(r.CidrIp), aws.ToString(r.Description)
			if prefixBits(x.cidr) < 0 {
				return nil, apiError("InvalidParameterValue", "CIDR block %s is malformed", x.cidr)
			}
			peers = append(peers, x)
		}
		for _, r := range p.Ipv6Ranges {
			x := base
			x.cidr, x.desc = aws.ToString(r.CidrIpv6), aws.ToString(r.Description)
			peers = append(peers, x)
		}
		for _, r := range p.PrefixListIds {
			x := base
			x.prefixList, x.desc = aws.ToString(r.PrefixListId), aws.ToString(r.Description)
			if a.prefixLists.get(x.prefixList) == nil {
				return nil, apiError("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", x.prefixList)
			}
			peers = append(peers, x)
		}
		for _, r := range p.UserIdGroupPairs {
			x := base
			x.group, x.desc = aws.ToString(r.GroupId), aws.ToString(r.Description)
			if x.group == "" {
				for _, other := range a.sgs.list() {
					if other.vpc == g.vpc && other.name == aws.ToString(r.GroupName) {
						x.group = other.id
					}
				}
			}
			if a.sgs.get(x.group) == nil {
				return nil, apiError("InvalidGroup.NotFound", "The security group '%s' does not exist", first(x.group, aws.ToString(r.GroupName)))
			}
			peers = append(peers, x)
		}
		if len(peers) == 0 {
			return nil, apiError("InvalidParameterValue", "The request must contain at least one source or destination (CIDR, prefix list or security group)")
		}
		for _, x := range peers {
			for _, e := range append(existing, added...) {
				if e.proto == x.proto && e.from == x.from && e.to == x.to && e.cidr == x.cidr && e.group == x.group && e.prefixList == x.prefixList {
					return nil, apiError("InvalidPermission.Duplicate", "the specified rule \"peer: %s, %s, from port: %d, to port: %d, ALLOW\" already exists",
						first(x.cidr, x.group, x.prefixList), strings.ToUpper(protoName(x.proto)), x.from, x.to)
				}
			}
			x.id = a.ec2ID("sgr", g.id, strconv.FormatBool(egress), x.proto, itoa(x.from), itoa(x.to), x.cidr, x.group, x.prefixList)
			added = append(added, x)
		}
	}
	if egress {
		g.egress = append(g.egress, added...)
	} else {
		g.ingress = append(g.ingress, added...)
	}
	var out []ec2types.SecurityGroupRule
	for _, r := range added {
		sr := ec2types.SecurityGroupRule{
			SecurityGroupRuleId: aws.String(r.id), GroupId: aws.String(g.id), GroupOwnerId: aws.String(a.account),
			IsEgress: aws.Bool(egress), IpProtocol: aws.String(r.proto), FromPort: aws.Int32(r.from), ToPort: aws.Int32(r.to),
			SecurityGroupRuleArn: aws.String(a.arn("ec2", a.region, "security-group-rule/"+r.id)),
		}
		if r.desc != "" {
			sr.Description = aws.String(r.desc)
		}
		switch {
		case strings.Contains(r.cidr, ":"):
			sr.CidrIpv6 = aws.String(r.cidr)
		case r.cidr != "":
			sr.CidrIpv4 = aws.String(r.cidr)
		case r.group != "":
			sr.ReferencedGroupInfo = &ec2types.ReferencedSecurityGroup{GroupId: aws.String(r.group), UserId: aws.String(a.account)}
		case r.prefixList != "":
			sr.PrefixListId = aws.String(r.prefixList)
		}
		out = append(out, sr)
	}
	return out, nil
}

func protoName(p string) string {
	if p == "-1" {
		return "all"
	}
	return p
}

func first(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

func (x *ec2API) CreateVpcEndpoint(ctx context.Context, in *ec2.CreateVpcEndpointInput, _ ...func(*ec2.Options)) (*ec2.CreateVpcEndpointOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:CreateVpcEndpoint", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if aws.ToBool(in.DryRun) {
		return nil, errDryRun()
	}
	v := a.vpcs.get(aws.ToString(in.VpcId))
	if v == nil {
		return nil, apiError("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", aws.ToString(in.VpcId))
	}
	name := aws.ToString(in.ServiceName)
	svc := strings.TrimPrefix(name, "com.amazonaws."+a.region+".")
	if svc == name || !endpointServices[svc] {
		return nil, apiError("InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist", name)
	}
	typ := string(in.VpcEndpointType)
	if typ == "" {
		typ = "Gateway" // the API's default
	}
	if typ == "Gateway" && svc != "s3" && svc != "dynamodb" {
		return nil, apiError("InvalidParameter", "The Vpc Endpoint Service '%s' does not support the endpoint type Gateway.", name)
	}
	e := &vpcEndpoint{
		id: a.ec2ID("vpce", v.owner, "created", v.id, svc, typ), name: tagName(in.TagSpecifications), owner: v.owner, vpc: v.id,
		service: svc, typ: typ, created: a.clock, policy: aws.ToString(in.PolicyDocument),
	}
	if e.policy == "" {
		e.policy = fullAccessPolicy
	}
	if typ == "Gateway" {
		if err := a.checkGatewayRoutes(v, e, in.RouteTableIds); err != nil {
			return nil, err
		}
		e.routeTables, e.state = cloneStrings(in.RouteTableIds), "available"
		a.endpoints.put(e.id, e)
		out := a.renderEndpoint(e)
		return &ec2.CreateVpcEndpointOutput{VpcEndpoint: &out, ClientToken: in.ClientToken}, nil
	}
	if err := a.checkEndpointSubnets(v, nil, in.SubnetIds); err != nil {
		return nil, err
	}
	groups := in.SecurityGroupIds
	if len(groups) == 0 {
		groups = []string{v.defSG}
	}
	if err := a.checkGroups(v, groups); err != nil {
		return nil, err
	}
	e.privateDNS = in.PrivateDnsEnabled == nil || *in.PrivateDnsEnabled
	if e.privateDNS {
		if err := a.checkPrivateDNS(v, e); err != nil {
			return nil, err
		}
	}
	e.subnets, e.groups, e.state = cloneStrings(in.SubnetIds), cloneStrings(groups), "pending"
	if err := a.endpointInterfaces(e); err != nil {
		return nil, apiError("InsufficientFreeAddressesInSubnet", "%s", err.Error())
	}
	a.endpoints.put(e.id, e)
	a.after(endpointPending, func() {
		if e.state == "pending" {
			e.state = "available"
		}
	})
	out := a.renderEndpoint(e)
	return &ec2.CreateVpcEndpointOutput{VpcEndpoint: &out, ClientToken: in.ClientToken}, nil
}

// checkGatewayRoutes: the route tables exist in the VPC, and none already
// routes the service's prefix list to another gateway endpoint.
func (a *Account) checkGatewayRoutes(v *vpc, e *vpcEndpoint, add []string) error {
	for _, rt := range add {
		if r := a.rtbs.get(rt); r == nil || r.vpc != v.id {
			return apiError("InvalidRouteTableId.NotFound", "The routeTable ID '%s' does not exist", rt)
		}
		for _, o := range a.endpoints.list() {
			if o != e && o.typ == "Gateway" && o.service == e.service && contains(o.routeTables, rt) {
				pl := ""
				if p := a.prefixListFor(e.service); p != nil {
					pl = p.id
				}
				return apiError("RouteAlreadyExists", "route table %s already has a route with destination-prefix-list-id %s", rt, pl)
			}
		}
	}
	return nil
}

// checkEndpointSubnets: the subnets exist, are in the VPC, and an endpoint
// has at most one subnet per zone.
func (a *Account) checkEndpointSubnets(v *vpc, have, add []string) error {
	zones := map[string]string{}
	for _, s := range have {
		zones[a.subnets.get(s).az] = s
	}
	for _, s := range add {
		sn := a.subnets.get(s)
		if sn == nil || sn.vpc != v.id {
			return apiError("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", s)
		}
		if other, ok := zones[sn.az]; ok && other != s {
			return apiError("DuplicateSubnetsInSameZone", "Found another VPC endpoint subnet in the availability zone of %s. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", s)
		}
		zones[sn.az] = s
	}
	return nil
}

func (a *Account) checkGroups(v *vpc, groups []string) error {
	for _, g := range groups {
		sg := a.sgs.get(g)
		if sg == nil || sg.vpc != v.id {
			return apiError("InvalidSecurityGroupId.NotFound", "The security group ID '%s' does not exist", g)
		}
	}
	return nil
}

// checkPrivateDNS: private DNS needs both DNS attributes, and one endpoint
// per service name in a VPC.
func (a *Account) checkPrivateDNS(v *vpc, e *vpcEndpoint) error {
	if !v.dnsSupport || !v.dnsHostnames {
		return apiError("InvalidParameter", "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for %s", v.id)
	}
	for _, o := range a.endpoints.list() {
		if o != e && o.vpc == v.id && o.service == e.service && o.typ == "Interface" && o.privateDNS {
			return apiError("InvalidParameter", "private-dns-enabled cannot be set because there is already a conflicting DNS domain for %s in the VPC %s", a.serviceHost(e.service), v.id)
		}
	}
	return nil
}

func (x *ec2API) ModifyVpcEndpoint(ctx context.Context, in *ec2.ModifyVpcEndpointInput, _ ...func(*ec2.Options)) (*ec2.ModifyVpcEndpointOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:ModifyVpcEndpoint", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if aws.ToBool(in.DryRun) {
		return nil, errDryRun()
	}
	e := a.endpoints.get(aws.ToString(in.VpcEndpointId))
	if e == nil {
		return nil, apiError("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '%s' does not exist", aws.ToString(in.VpcEndpointId))
	}
	v := a.vpcs.get(e.vpc)
	gateway := e.typ == "Gateway"
	// Check everything first, so that a bad request changes nothing.
	if gateway && (len(in.AddSecurityGroupIds) > 0 || len(in.AddSubnetIds) > 0 || in.PrivateDnsEnabled != nil) {
		return nil, apiError("InvalidParameter", "Gateway endpoints do not support security groups, subnets or private DNS.")
	}
	if !gateway && (len(in.AddRouteTableIds) > 0 || len(in.RemoveRouteTableIds) > 0) {
		return nil, apiError("InvalidParameter", "Route tables can only be modified for Gateway endpoints.")
	}
	if err := a.checkGatewayRoutes(v, e, in.AddRouteTableIds); err != nil {
		return nil, err
	}
	if err := a.checkGroups(v, in.AddSecurityGroupIds); err != nil {
		return nil, err
	}
	if err := a.checkEndpointSubnets(v, without(e.subnets, in.RemoveSubnetIds), in.AddSubnetIds); err != nil {
		return nil, err
	}
	if aws.ToBool(in.PrivateDnsEnabled) && !e.privateDNS {
		if err := a.checkPrivateDNS(v, e); err != nil {
			return nil, err
		}
	}
	e.routeTables = union(without(e.routeTables, in.RemoveRouteTableIds), in.AddRouteTableIds)
	e.groups = union(without(e.groups, in.RemoveSecurityGroupIds), in.AddSecurityGroupIds)
	if !gateway && len(e.groups) == 0 {
		return nil, apiError("InvalidParameter", "An interface endpoint must have at least one security group.")
	}
	for _, s := range in.RemoveSubnetIds {
		if id := e.enis[s]; id != "" {
			if eni := a.enis.get(id); eni != nil {
				releaseIP(a.subnets.get(s), eni.ip)
			}
			a.enis.del(id)
			delete(e.enis, s)
		}
	}
	e.subnets = union(without(e.subnets, in.RemoveSubnetIds), in.AddSubnetIds)
	if !gateway {
		if err := a.endpointInterfaces(e); err != nil {
			return nil, apiError("InsufficientFreeAddressesInSubnet", "%s", err.Error())
		}
		for _, id := range e.enis {
			if eni := a.enis.get(id); eni != nil {
				eni.groups = cloneStrings(e.groups)
			}
		}
	}
	if in.PrivateDnsEnabled != nil && !gateway {
		e.privateDNS = *in.PrivateDnsEnabled
	}
	if in.PolicyDocument != nil {
		e.policy = *in.PolicyDocument
	}
	if aws.ToBool(in.ResetPolicy) {
		e.policy = fullAccessPolicy
	}
	return &ec2.ModifyVpcEndpointOutput{Return: aws.Bool(true)}, nil
}

func without(list, drop []string) []string {
	var out []string
	for _, x := range list {
		if !contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

func union(list, add []string) []string {
	out := cloneStrings(list)
	for _, x := range add {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ModifyVpcAttribute changes one DNS attribute per call, as EC2 insists.
func (x *ec2API) ModifyVpcAttribute(ctx context.Context, in *ec2.ModifyVpcAttributeInput, _ ...func(*ec2.Options)) (*ec2.ModifyVpcAttributeOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ec2:ModifyVpcAttribute", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	v := a.vpcs.get(aws.ToString(in.VpcId))
	if v == nil {
		return nil, apiError("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", aws.ToString(in.VpcId))
	}
	n := 0
	for _, set := range []*ec2types.AttributeBooleanValue{in.EnableDnsSupport, in.EnableDnsHostnames, in.EnableNetworkAddressUsageMetrics} {
		if set != nil {
			n++
		}
	}
	if n != 1 {
		return nil, apiError("InvalidParameterCombination", "Fields for multiple attribute types specified: %s", fmt.Sprint(n))
	}
	switch {
	case in.EnableDnsSupport != nil:
		v.dnsSupport = aws.ToBool(in.EnableDnsSupport.Value)
	case in.EnableDnsHostnames != nil:
		v.dnsHostnames = aws.ToBool(in.EnableDnsHostnames.Value)
	}
	return &ec2.ModifyVpcAttributeOutput{}, nil
}
