package motoworld

import (
	"context"
	"fmt"

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
			GroupName: aws.String(g.AWSGroupName()), Description: aws.String(desc), VpcId: aws.String(vpc),
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
		}); err != nil && !retriedCreate(err, "InvalidPermission.Duplicate") {
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
	}); err != nil && !retriedCreate(err, "InvalidPermission.NotFound") {
		return err
	}
	egress, err := b.permissions(ctx, id, g.Egress)
	if err != nil || len(egress) == 0 {
		return err
	}
	_, err = b.c.ec2.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{
		GroupId: aws.String(id), IpPermissions: egress,
	})
	if retriedCreate(err, "InvalidPermission.Duplicate") {
		return nil
	}
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
	if id := b.w.IDs["prefixlist:s3"]; id != "" {
		return id, nil
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
			b.w.IDs["prefixlist:s3"] = aws.ToString(pl.PrefixListId)
			return b.w.IDs["prefixlist:s3"], nil
		}
	}
	return "", fmt.Errorf("no managed prefix list %s", name)
}
