package motoworld

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// securityGroups creates every group first, so that rules can name any of
// them, then adds the rules.
func (b *builder) securityGroups(ctx context.Context) error {
	for _, g := range b.sc.World.SecurityGroups {
		vpc, err := b.id("vpc", g.VPC)
		if err != nil {
			return err
		}
		desc := g.Description
		if desc == "" {
			desc = g.Name + " security group"
		}
		out, err := b.c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
			GroupName: aws.String(g.Name), Description: aws.String(desc), VpcId: aws.String(vpc),
			TagSpecifications: nameTag(types.ResourceTypeSecurityGroup, g.Name),
		})
		if err != nil {
			return err
		}
		b.w.IDs["sg:"+g.Name] = aws.ToString(out.GroupId)
	}
	for _, g := range b.sc.World.SecurityGroups {
		if err := b.securityGroupRules(ctx, g); err != nil {
			return fmt.Errorf("security group %s: %w", g.Name, err)
		}
	}
	return nil
}

func (b *builder) securityGroupRules(ctx context.Context, g scenario.SecurityGroup) error {
	id := b.w.IDs["sg:"+g.Name]
	ingress, err := b.permissions(ctx, id, g.Ingress)
	if err != nil {
		return err
	}
	if len(ingress) > 0 {
		if _, err := b.c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
			GroupId: aws.String(id), IpPermissions: ingress,
		}); err != nil {
			return err
		}
	}
	if g.Egress == nil && !g.NoEgress {
		return nil // keep AWS's default: all traffic to 0.0.0.0/0
	}
	if _, err := b.c.ec2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{
		GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{{
			IpProtocol: aws.String("-1"),
			IpRanges:   []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}},
		}},
	}); err != nil {
		return err
	}
	egress, err := b.permissions(ctx, id, g.Egress)
	if err != nil || len(egress) == 0 {
		return err
	}
	_, err = b.c.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{
		GroupId: aws.String(id), IpPermissions: egress,
	})
	return err
}

// permissions turns rules into IpPermissions; self is the group's own id.
func (b *builder) permissions(ctx context.Context, self string, rules []scenario.Rule) ([]types.IpPermission, error) {
	var out []types.IpPermission
	for _, r := range rules {
		p := types.IpPermission{IpProtocol: aws.String(r.Protocol)}
		if r.Protocol == "" {
			p.IpProtocol = aws.String("tcp")
		}
		if aws.ToString(p.IpProtocol) != "-1" {
			from, to := r.FromPort, r.ToPort
			if r.Port != 0 {
				from, to = r.Port, r.Port
			}
			p.FromPort, p.ToPort = aws.Int32(from), aws.Int32(to)
		}
		for _, c := range r.CIDRs {
			p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: aws.String(c)})
		}
		for _, g := range r.Groups {
			id := g
			switch {
			case g == "self":
				id = self
			case b.w.IDs["sg:"+g] != "":
				id = b.w.IDs["sg:"+g]
			}
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, types.UserIdGroupPair{GroupId: aws.String(id)})
		}
		for _, pl := range r.PrefixLists {
			if pl == "s3" {
				var err error
				if pl, err = b.s3PrefixListID(ctx); err != nil {
					return nil, err
				}
			}
			p.PrefixListIds = append(p.PrefixListIds, types.PrefixListId{PrefixListId: aws.String(pl)})
		}
		out = append(out, p)
	}
	return out, nil
}

// s3PrefixListID finds the region's S3 managed prefix list (moto.md: its id
// is random, and describe-prefix-lists has no Cidrs; the managed API does).
func (b *builder) s3PrefixListID(ctx context.Context) (string, error) {
	if b.s3PrefixList != "" {
		return b.s3PrefixList, nil
	}
	name := "com.amazonaws." + b.w.Region + ".s3"
	out, err := b.c.ec2.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{
		Filters: []types.Filter{filter("prefix-list-name", name)},
	})
	if err != nil {
		return "", err
	}
	for _, pl := range out.PrefixLists {
		if aws.ToString(pl.PrefixListName) == name {
			b.s3PrefixList = aws.ToString(pl.PrefixListId)
			return b.s3PrefixList, nil
		}
	}
	return "", fmt.Errorf("no managed prefix list %s", name)
}

func (b *builder) networkACLs(ctx context.Context) error {
	for _, a := range b.sc.World.NetworkACLs {
		id, err := b.networkACL(ctx, a)
		if err != nil {
			return fmt.Errorf("network ACL %s: %w", a.Name, err)
		}
		b.w.IDs["acl:"+a.Name] = id
		for _, e := range a.Entries {
			if err := b.aclEntry(ctx, id, e); err != nil {
				return fmt.Errorf("network ACL %s rule %d: %w", a.Name, e.Rule, err)
			}
		}
		for _, s := range a.Subnets {
			if err := b.associateACL(ctx, id, s); err != nil {
				return fmt.Errorf("network ACL %s: %w", a.Name, err)
			}
		}
	}
	return nil
}

// networkACL creates an ACL, or for Default empties the VPC's default one
// (all but the fixed * rules, numbered 32767) so that Entries replace it.
func (b *builder) networkACL(ctx context.Context, a scenario.NetworkACL) (string, error) {
	vpc, err := b.id("vpc", a.VPC)
	if err != nil {
		return "", err
	}
	if !a.Default {
		out, err := b.c.ec2.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{
			VpcId: aws.String(vpc), TagSpecifications: nameTag(types.ResourceTypeNetworkAcl, a.Name),
		})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.NetworkAcl.NetworkAclId), nil
	}
	out, err := b.c.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{
		Filters: []types.Filter{filter("vpc-id", vpc), filter("default", "true")},
	})
	if err != nil {
		return "", err
	}
	if len(out.NetworkAcls) != 1 {
		return "", fmt.Errorf("VPC %s has %d default network ACLs", vpc, len(out.NetworkAcls))
	}
	acl := out.NetworkAcls[0]
	for _, e := range acl.Entries {
		if aws.ToInt32(e.RuleNumber) >= 32767 {
			continue
		}
		if _, err := b.c.ec2.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{
			NetworkAclId: acl.NetworkAclId, RuleNumber: e.RuleNumber, Egress: e.Egress,
		}); err != nil {
			return "", err
		}
	}
	return aws.ToString(acl.NetworkAclId), nil
}

var aclProtocols = map[string]string{"": "-1", "all": "-1", "tcp": "6", "udp": "17", "icmp": "1"}

func (b *builder) aclEntry(ctx context.Context, acl string, e scenario.NACLEntry) error {
	proto, ok := aclProtocols[e.Protocol]
	if !ok {
		if _, err := strconv.Atoi(e.Protocol); err != nil {
			return fmt.Errorf("protocol %q is neither a name nor a number", e.Protocol)
		}
		proto = e.Protocol
	}
	in := &ec2.CreateNetworkAclEntryInput{
		NetworkAclId: aws.String(acl),
		RuleNumber:   aws.Int32(e.Rule),
		Egress:       aws.Bool(e.Egress),
		Protocol:     aws.String(proto),
		RuleAction:   types.RuleAction(e.Action),
		CidrBlock:    aws.String(e.CIDR),
	}
	if proto == "6" || proto == "17" {
		in.PortRange = &types.PortRange{From: aws.Int32(e.FromPort), To: aws.Int32(e.ToPort)}
	}
	_, err := b.c.ec2.CreateNetworkAclEntry(ctx, in)
	return err
}

// associateACL moves a subnet to acl: every subnet always has exactly one
// ACL association, so it is replaced, never created.
func (b *builder) associateACL(ctx context.Context, acl, subnetName string) error {
	subnet, err := b.id("subnet", subnetName)
	if err != nil {
		return err
	}
	out, err := b.c.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{
		Filters: []types.Filter{filter("association.subnet-id", subnet)},
	})
	if err != nil {
		return err
	}
	for _, a := range out.NetworkAcls {
		for _, as := range a.Associations {
			if aws.ToString(as.SubnetId) != subnet {
				continue
			}
			_, err := b.c.ec2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{
				AssociationId: as.NetworkAclAssociationId, NetworkAclId: aws.String(acl),
			})
			return err
		}
	}
	return fmt.Errorf("subnet %s has no network ACL association", subnetName)
}

func (b *builder) endpoints(ctx context.Context) error {
	for _, e := range b.sc.World.Endpoints {
		if e.State != "" && e.State != "available" {
			return fmt.Errorf("endpoint %s: state %q cannot be built (moto's are available at once)", e.Name, e.State)
		}
		in, err := b.endpointInput(e)
		if err != nil {
			return fmt.Errorf("endpoint %s: %w", e.Name, err)
		}
		out, err := b.c.ec2.CreateVpcEndpoint(ctx, in)
		if err != nil {
			return fmt.Errorf("endpoint %s: %w", e.Name, err)
		}
		b.w.IDs["endpoint:"+e.Name] = aws.ToString(out.VpcEndpoint.VpcEndpointId)
	}
	return nil
}

func (b *builder) endpointInput(e scenario.Endpoint) (*ec2.CreateVpcEndpointInput, error) {
	vpc, err := b.id("vpc", e.VPC)
	if err != nil {
		return nil, err
	}
	kind := types.VpcEndpointType(e.Type)
	if kind == "" {
		kind = types.VpcEndpointTypeInterface
		if e.Service == "s3" || e.Service == "dynamodb" {
			kind = types.VpcEndpointTypeGateway
		}
	}
	in := &ec2.CreateVpcEndpointInput{
		VpcId:             aws.String(vpc),
		ServiceName:       aws.String("com.amazonaws." + b.w.Region + "." + e.Service),
		VpcEndpointType:   kind,
		TagSpecifications: nameTag(types.ResourceTypeVpcEndpoint, e.Name),
	}
	if in.SubnetIds, err = b.ids("subnet", e.Subnets); err != nil {
		return nil, err
	}
	if in.SecurityGroupIds, err = b.ids("sg", e.Groups); err != nil {
		return nil, err
	}
	if in.RouteTableIds, err = b.ids("rtb", e.RouteTables); err != nil {
		return nil, err
	}
	if kind == types.VpcEndpointTypeInterface {
		in.PrivateDnsEnabled = aws.Bool(e.PrivateDNS == nil || *e.PrivateDNS)
	}
	return in, nil
}
