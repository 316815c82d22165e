package itest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// inventory describes the account's resources as lines, one fact per line,
// so that two inventories can be diffed: a fix must only add what it says.
func inventory(t *testing.T, b *built) map[string]bool {
	t.Helper()
	ctx := context.Background()
	cfg := b.srv.Config(b.sc.Region)
	e := ec2.NewFromConfig(cfg)
	lines := map[string]bool{}
	add := func(format string, a ...any) { lines[fmt.Sprintf(format, a...)] = true }

	eps, err := e.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range eps.VpcEndpoints {
		var groups []string
		for _, g := range ep.Groups {
			groups = append(groups, aws.ToString(g.GroupId))
		}
		id := aws.ToString(ep.VpcEndpointId)
		add("endpoint %s %s %s", id, aws.ToString(ep.ServiceName), ep.VpcEndpointType)
		if strings.EqualFold(string(ep.VpcEndpointType), "Interface") {
			add("endpoint %s privatedns=%v", id, aws.ToBool(ep.PrivateDnsEnabled))
		}
		for _, g := range groups {
			add("endpoint %s group %s", id, g)
		}
		for _, rt := range ep.RouteTableIds {
			add("endpoint %s routetable %s", id, rt)
		}
	}
	sgs, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range sgs.SecurityGroups {
		add("sg %s %s", aws.ToString(g.GroupId), aws.ToString(g.GroupName))
		for dir, perms := range map[string][]string{"in": permsOf(g.IpPermissions), "out": permsOf(g.IpPermissionsEgress)} {
			for _, p := range perms {
				add("sg %s %s %s", aws.ToString(g.GroupId), dir, p)
			}
		}
	}
	for _, name := range []string{"enableDnsSupport", "enableDnsHostnames"} {
		vpcs, _ := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		for _, v := range vpcs.Vpcs {
			out, err := e.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: v.VpcId, Attribute: ec2types.VpcAttributeName(name)})
			if err == nil {
				val := out.EnableDnsSupport
				if name == "enableDnsHostnames" {
					val = out.EnableDnsHostnames
				}
				if val != nil {
					add("vpc %s %s=%v", aws.ToString(v.VpcId), name, aws.ToBool(val.Value))
				}
			}
		}
	}
	im := iam.NewFromConfig(cfg)
	roles, err := im.ListRoles(ctx, &iam.ListRolesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles.Roles {
		att, _ := im.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: r.RoleName})
		for _, p := range att.AttachedPolicies {
			add("role %s attached %s", aws.ToString(r.RoleName), aws.ToString(p.PolicyArn))
		}
		inl, _ := im.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: r.RoleName})
		for _, p := range inl.PolicyNames {
			add("role %s inline %s", aws.ToString(r.RoleName), p)
		}
	}
	lg, err := cloudwatchlogs.NewFromConfig(cfg).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range lg.LogGroups {
		add("loggroup %s", aws.ToString(g.LogGroupName))
	}
	ec := ecs.NewFromConfig(cfg)
	for _, c := range b.sc.World.Clusters {
		for _, s := range c.Services {
			out, err := ec.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(c.Name), Services: []string{s.Name}})
			if err != nil {
				t.Fatal(err)
			}
			for _, svc := range out.Services {
				add("service %s td=%s", aws.ToString(svc.ServiceName), aws.ToString(svc.TaskDefinition))
				if nc := svc.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
					add("service %s publicip=%s", aws.ToString(svc.ServiceName), nc.AwsvpcConfiguration.AssignPublicIp)
				}
			}
		}
	}
	return lines
}

func permsOf(perms []ec2types.IpPermission) []string {
	var out []string
	for _, p := range perms {
		base := fmt.Sprintf("%s %d-%d", aws.ToString(p.IpProtocol), aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort))
		for _, r := range p.IpRanges {
			out = append(out, base+" cidr "+aws.ToString(r.CidrIp))
		}
		for _, g := range p.UserIdGroupPairs {
			out = append(out, base+" group "+aws.ToString(g.GroupId))
		}
		for _, pl := range p.PrefixListIds {
			out = append(out, base+" pl "+aws.ToString(pl.PrefixListId))
		}
	}
	return out
}

// diffInventory returns what was added and removed between two inventories.
func diffInventory(before, after map[string]bool) (added, removed []string) {
	for l := range after {
		if !before[l] {
			added = append(added, l)
		}
	}
	for l := range before {
		if !after[l] {
			removed = append(removed, l)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return added, removed
}

func anyContains(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}
