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
