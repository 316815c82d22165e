package awsx

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsdoctor/ecsdoctor/internal/change"
)

func (a *Applier) createSecurityGroup(ctx context.Context, st *applyState, x change.CreateSecurityGroup, rec *CallRecord) error {
	out, err := a.R.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{x.VPCID}}, {Name: aws.String("group-name"), Values: []string{x.Name}},
	}})
	if err != nil {
		return err
	}
	if len(out.SecurityGroups) > 0 {
		st.newGroupID = aws.ToString(out.SecurityGroups[0].GroupId)
		rec.Outcome, rec.Resource = OutcomeInPlace, st.newGroupID
		return nil
	}
	in := &ec2.CreateSecurityGroupInput{VpcId: aws.String(x.VPCID), GroupName: aws.String(x.Name), Description: aws.String(x.Description), DryRun: aws.Bool(st.dryRun)}
	var created *ec2.CreateSecurityGroupOutput
	applied, err := st.send(rec, in, hasDryRun, func() (err error) {
		created, err = a.W.EC2.CreateSecurityGroup(ctx, in)
		return err
	})
	if !applied {
		return err
	}
	st.newGroupID = aws.ToString(created.GroupId)
	rec.Resource = st.newGroupID
	rec.Undo = fmt.Sprintf("aws ec2 delete-security-group --region %s --group-id %s", a.Region, st.newGroupID)
	return nil
}

// ruleFor is the IpPermission a one-port fix adds.
func ruleFor(port int32, group, cidr, prefixList, desc string) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
	switch {
	case group != "":
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(group), Description: aws.String(desc)}}
	case prefixList != "":
		p.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: aws.String(prefixList), Description: aws.String(desc)}}
	default:
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(cidr), Description: aws.String(desc)}}
	}
	return p
}

// hasRule reports whether perms already admit TCP port from (or to) exactly
// that peer, by this or a broader rule on the same peer.
func hasRule(perms []ec2types.IpPermission, port int32, group, cidr, prefixList string) bool {
	for _, p := range perms {
		proto := aws.ToString(p.IpProtocol)
		covers := proto == "-1" || ((proto == "tcp" || proto == "6") && aws.ToInt32(p.FromPort) <= port && port <= aws.ToInt32(p.ToPort))
		if !covers {
			continue
		}
		for _, g := range p.UserIdGroupPairs {
			if group != "" && aws.ToString(g.GroupId) == group {
				return true
			}
		}
		for _, r := range p.IpRanges {
			if cidr != "" && aws.ToString(r.CidrIp) == cidr {
				return true
			}
		}
		for _, pl := range p.PrefixListIds {
			if prefixList != "" && aws.ToString(pl.PrefixListId) == prefixList {
				return true
			}
		}
	}
	return false
}

func (a *Applier) describeGroup(ctx context.Context, id string) (*ec2types.SecurityGroup, error) {
	if id == change.NewGroupRef {
		return nil, nil // created by this plan's dry run: nothing to describe yet
	}
	out, err := a.R.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	if err != nil {
		return nil, err
	}
	if len(out.SecurityGroups) == 0 {
		return nil, fmt.Errorf("security group %s not found", id)
	}
	return &out.SecurityGroups[0], nil
}

func (a *Applier) authorizeIngress(ctx context.Context, st *applyState, x change.AuthorizeIngress, rec *CallRecord) error {
	return a.authorize(ctx, st, rec, "ingress", x.GroupID, x.Port, x.SourceGroup, x.CIDR, "", x.Description,
		func(g *ec2types.SecurityGroup) []ec2types.IpPermission { return g.IpPermissions },
		func(perm ec2types.IpPermission) (any, func() ([]ec2types.SecurityGroupRule, error)) {
			in := &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(x.GroupID), IpPermissions: []ec2types.IpPermission{perm}, DryRun: aws.Bool(st.dryRun)}
			return in, func() ([]ec2types.SecurityGroupRule, error) {
				out, err := a.W.EC2.AuthorizeSecurityGroupIngress(ctx, in)
				if err != nil {
					return nil, err
				}
				return out.SecurityGroupRules, nil
			}
		})
}

func (a *Applier) authorizeEgress(ctx context.Context, st *applyState, x change.AuthorizeEgress, rec *CallRecord) error {
	return a.authorize(ctx, st, rec, "egress", x.GroupID, x.Port, x.DestGroup, x.CIDR, x.PrefixList, x.Description,
		func(g *ec2types.SecurityGroup) []ec2types.IpPermission { return g.IpPermissionsEgress },
		func(perm ec2types.IpPermission) (any, func() ([]ec2types.SecurityGroupRule, error)) {
			in := &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(x.GroupID), IpPermissions: []ec2types.IpPermission{perm}, DryRun: aws.Bool(st.dryRun)}
			return in, func() ([]ec2types.SecurityGroupRule, error) {
				out, err := a.W.EC2.AuthorizeSecurityGroupEgress(ctx, in)
				if err != nil {
					return nil, err
				}
				return out.SecurityGroupRules, nil
			}
		})
}

// authorize adds one single-port rule to a group in one direction, unless
// a rule already admits that peer: the ingress and egress calls differ only
// in their SDK types, passed in as rulesOf and callFor.
func (a *Applier) authorize(ctx context.Context, st *applyState, rec *CallRecord, direction, groupID string, port int32, group, cidr, prefixList, desc string,
	rulesOf func(*ec2types.SecurityGroup) []ec2types.IpPermission,
	callFor func(ec2types.IpPermission) (any, func() ([]ec2types.SecurityGroupRule, error))) error {
	g, err := a.describeGroup(ctx, groupID)
	if err != nil {
		return err
	}
	if g == nil {
		rec.Outcome = OutcomeAfterNewGroup
		return nil
	}
	if hasRule(rulesOf(g), port, group, cidr, prefixList) {
		rec.Outcome = OutcomeInPlace
		return nil
	}
	in, call := callFor(ruleFor(port, group, cidr, prefixList, desc))
	rec.Resource = groupID
	var rules []ec2types.SecurityGroupRule
	applied, err := st.send(rec, in, hasDryRun, func() (err error) {
		rules, err = call()
		return err
	})
	if ErrorCode(err) == "InvalidPermission.Duplicate" {
		rec.Outcome = OutcomeInPlace
		return nil
	}
	if !applied {
		return err
	}
	rec.Undo = revokeCommand(a.Region, direction, groupID, rules)
	return nil
}

// revokeCommand revokes by rule id: a rule created with a description
// cannot always be revoked by its peer (moto), and ids are exact anyway.
func revokeCommand(region, direction, group string, rules []ec2types.SecurityGroupRule) string {
	var ids []string
	for _, r := range rules {
		if id := aws.ToString(r.SecurityGroupRuleId); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return fmt.Sprintf("aws ec2 describe-security-group-rules --region %s --filters Name=group-id,Values=%s  # then revoke-security-group-%s --security-group-rule-ids <id>", region, group, direction)
	}
	return fmt.Sprintf("aws ec2 revoke-security-group-%s --region %s --group-id %s --security-group-rule-ids %s", direction, region, group, strings.Join(ids, " "))
}

// endpointsFor lists the VPC's endpoints for one service.
func (a *Applier) endpointsFor(ctx context.Context, vpc, service string) ([]ec2types.VpcEndpoint, error) {
	p := ec2.NewDescribeVpcEndpointsPaginator(a.R.EC2, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("service-name"), Values: []string{service}},
	}})
	var live []ec2types.VpcEndpoint
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range page.VpcEndpoints {
			switch strings.ToLower(string(e.State)) {
			case "deleted", "deleting", "failed", "rejected":
				continue
			}
			live = append(live, e)
		}
	}
	return live, nil
}

func (a *Applier) createInterfaceEndpoint(ctx context.Context, st *applyState, x change.CreateInterfaceEndpoint, rec *CallRecord) error {
	existing, err := a.endpointsFor(ctx, x.VPCID, x.ServiceName)
	if err != nil {
		return err
	}
	for _, e := range existing {
		if strings.EqualFold(string(e.VpcEndpointType), "Interface") {
			rec.Outcome, rec.Resource = OutcomeInPlace, aws.ToString(e.VpcEndpointId)
			return nil
		}
	}
	in := &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(x.VPCID), ServiceName: aws.String(x.ServiceName), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		SubnetIds: x.Subnets, SecurityGroupIds: x.Groups, PrivateDnsEnabled: aws.Bool(true), DryRun: aws.Bool(st.dryRun),
	}
	if st.dryRun && contains(x.Groups, change.NewGroupRef) {
		rec.Params, rec.Outcome = in, OutcomeAfterNewGroup
		return nil
	}
	return a.createEndpoint(ctx, st, in, rec)
}

func (a *Applier) createGatewayEndpoint(ctx context.Context, st *applyState, x change.CreateGatewayEndpoint, rec *CallRecord) error {
	existing, err := a.endpointsFor(ctx, x.VPCID, x.ServiceName)
	if err != nil {
		return err
	}
	for _, e := range existing {
		if strings.EqualFold(string(e.VpcEndpointType), "Gateway") {
			// One gateway endpoint per service and VPC: extend it instead.
			return a.modifyEndpoint(ctx, st, change.ModifyEndpoint{EndpointID: aws.ToString(e.VpcEndpointId), AddRouteTables: x.RouteTables}, rec)
		}
	}
	in := &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(x.VPCID), ServiceName: aws.String(x.ServiceName), VpcEndpointType: ec2types.VpcEndpointTypeGateway,
		RouteTableIds: x.RouteTables, DryRun: aws.Bool(st.dryRun),
	}
	return a.createEndpoint(ctx, st, in, rec)
}

// createEndpoint sends CreateVpcEndpoint and records the endpoint made and
// how to delete it.
func (a *Applier) createEndpoint(ctx context.Context, st *applyState, in *ec2.CreateVpcEndpointInput, rec *CallRecord) error {
	var out *ec2.CreateVpcEndpointOutput
	applied, err := st.send(rec, in, hasDryRun, func() (err error) {
		out, err = a.W.EC2.CreateVpcEndpoint(ctx, in)
		return err
	})
	if !applied || out.VpcEndpoint == nil {
		return err
	}
	rec.Resource = aws.ToString(out.VpcEndpoint.VpcEndpointId)
	rec.Undo = fmt.Sprintf("aws ec2 delete-vpc-endpoints --region %s --vpc-endpoint-ids %s", a.Region, rec.Resource)
	return nil
}

// modifyEndpoint adds only what the endpoint lacks.
func (a *Applier) modifyEndpoint(ctx context.Context, st *applyState, x change.ModifyEndpoint, rec *CallRecord) error {
	out, err := a.R.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{x.EndpointID}})
	if err != nil {
		return err
	}
	if len(out.VpcEndpoints) == 0 {
		return fmt.Errorf("endpoint %s not found", x.EndpointID)
	}
	e := out.VpcEndpoints[0]
	var groups []string
	for _, g := range e.Groups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	in := &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(x.EndpointID), DryRun: aws.Bool(st.dryRun)}
	var undo []string
	for _, rt := range x.AddRouteTables {
		if !contains(e.RouteTableIds, rt) {
			in.AddRouteTableIds = append(in.AddRouteTableIds, rt)
		}
	}
	for _, g := range x.AddGroups {
		if !contains(groups, g) {
			in.AddSecurityGroupIds = append(in.AddSecurityGroupIds, g)
		}
	}
	if x.EnablePrivateDNS && !aws.ToBool(e.PrivateDnsEnabled) {
		in.PrivateDnsEnabled = aws.Bool(true)
		undo = append(undo, "--no-private-dns-enabled")
	}
	if len(in.AddRouteTableIds) == 0 && len(in.AddSecurityGroupIds) == 0 && in.PrivateDnsEnabled == nil {
		rec.Outcome, rec.Resource = OutcomeInPlace, x.EndpointID
		return nil
	}
	rec.Resource = x.EndpointID
	applied, err := st.send(rec, in, hasDryRun, func() error {
		_, err := a.W.EC2.ModifyVpcEndpoint(ctx, in)
		return err
	})
	if !applied {
		return err
	}
	if len(in.AddRouteTableIds) > 0 {
		undo = append(undo, "--remove-route-table-ids "+strings.Join(in.AddRouteTableIds, " "))
	}
	if len(in.AddSecurityGroupIds) > 0 {
		undo = append(undo, "--remove-security-group-ids "+strings.Join(in.AddSecurityGroupIds, " "))
	}
	rec.Undo = fmt.Sprintf("aws ec2 modify-vpc-endpoint --region %s --vpc-endpoint-id %s %s", a.Region, x.EndpointID, strings.Join(undo, " "))
	return nil
}

func (a *Applier) enableVPCAttribute(ctx context.Context, st *applyState, x change.EnableVPCAttribute, rec *CallRecord) error {
	name := ec2types.VpcAttributeNameEnableDnsSupport
	if x.Attribute == "enableDnsHostnames" {
		name = ec2types.VpcAttributeNameEnableDnsHostnames
	}
	cur, err := a.R.EC2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(x.VPCID), Attribute: name})
	if err != nil {
		return err
	}
	on := (cur.EnableDnsSupport != nil && aws.ToBool(cur.EnableDnsSupport.Value) && name == ec2types.VpcAttributeNameEnableDnsSupport) ||
		(cur.EnableDnsHostnames != nil && aws.ToBool(cur.EnableDnsHostnames.Value) && name == ec2types.VpcAttributeNameEnableDnsHostnames)
	rec.Resource = x.VPCID
	if on {
		rec.Outcome = OutcomeInPlace
		return nil
	}
	in := &ec2.ModifyVpcAttributeInput{VpcId: aws.String(x.VPCID)}
	flag := "--no-enable-dns-support"
	if name == ec2types.VpcAttributeNameEnableDnsSupport {
		in.EnableDnsSupport = &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}
	} else {
		in.EnableDnsHostnames = &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}
		flag = "--no-enable-dns-hostnames"
	}
	applied, err := st.send(rec, in, noDryRun, func() error {
		_, err := a.W.EC2.ModifyVpcAttribute(ctx, in)
		return err
	})
	if !applied {
		return err
	}
	rec.Undo = fmt.Sprintf("aws ec2 modify-vpc-attribute --region %s --vpc-id %s %s", a.Region, x.VPCID, flag)
	return nil
}
