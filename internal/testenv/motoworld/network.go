package motoworld

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// nameTag gives a new resource the Name tag the console would show.
func nameTag(rt types.ResourceType, name string) []types.TagSpecification {
	return []types.TagSpecification{{
		ResourceType: rt,
		Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}},
	}}
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

func (b *builder) vpcs(ctx context.Context) error {
	for _, v := range b.sc.World.VPCs {
		out, err := b.c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{
			CidrBlock:         aws.String(v.CIDR),
			TagSpecifications: nameTag(types.ResourceTypeVpc, v.Name),
		})
		if err != nil {
			return err
		}
		id := aws.ToString(out.Vpc.VpcId)
		b.w.IDs["vpc:"+v.Name] = id
		// moto.md: RunTask fails while enableDnsHostnames=false (create-vpc's
		// default). On while the history runs; vpcDNS sets the scenario's value.
		if err := b.setVPCAttribute(ctx, id, "hostnames", true); err != nil {
			return err
		}
	}
	return nil
}

// vpcDNS sets each VPC's DNS attributes as the scenario says (default on).
func (b *builder) vpcDNS(ctx context.Context) error {
	for _, v := range b.sc.World.VPCs {
		id := b.w.IDs["vpc:"+v.Name]
		if err := b.setVPCAttribute(ctx, id, "support", v.DNSSupport == nil || *v.DNSSupport); err != nil {
			return err
		}
		if err := b.setVPCAttribute(ctx, id, "hostnames", v.DNSHostnames == nil || *v.DNSHostnames); err != nil {
			return err
		}
	}
	return nil
}

// setVPCAttribute changes one DNS attribute: the API takes one per call.
func (b *builder) setVPCAttribute(ctx context.Context, vpc, which string, on bool) error {
	in := &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc)}
	value := &types.AttributeBooleanValue{Value: aws.Bool(on)}
	if which == "support" {
		in.EnableDnsSupport = value
	} else {
		in.EnableDnsHostnames = value
	}
	_, err := b.c.ec2.ModifyVpcAttribute(ctx, in)
	return err
}

func (b *builder) subnets(ctx context.Context) error {
	for _, s := range b.sc.World.Subnets {
		vpc, err := b.id("vpc", s.VPC)
		if err != nil {
			return err
		}
		out, err := b.c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{
			VpcId:             aws.String(vpc),
			CidrBlock:         aws.String(s.CIDR),
			AvailabilityZone:  aws.String(s.AZ),
			TagSpecifications: nameTag(types.ResourceTypeSubnet, s.Name),
		})
		if err != nil {
			return err
		}
		id := aws.ToString(out.Subnet.SubnetId)
		b.w.IDs["subnet:"+s.Name] = id
		if s.MapPublicIPOnLaunch {
			_, err := b.c.ec2.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{
				SubnetId:            aws.String(id),
				MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)},
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) internetGateways(ctx context.Context) error {
	for _, g := range b.sc.World.InternetGateways {
		vpc, err := b.id("vpc", g.VPC)
		if err != nil {
			return err
		}
		out, err := b.c.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{
			TagSpecifications: nameTag(types.ResourceTypeInternetGateway, g.Name),
		})
		if err != nil {
			return err
		}
		id := aws.ToString(out.InternetGateway.InternetGatewayId)
		b.w.IDs["igw:"+g.Name] = id
		if _, err := b.c.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{
			InternetGatewayId: aws.String(id), VpcId: aws.String(vpc),
		}); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) natGateways(ctx context.Context) error {
	for _, n := range b.sc.World.NATGateways {
		if n.State != "" && n.State != "available" {
			return fmt.Errorf("NAT gateway %s: state %q cannot be built (moto's are available at once)", n.Name, n.State)
		}
		subnet, err := b.id("subnet", n.Subnet)
		if err != nil {
			return err
		}
		in := &ec2.CreateNatGatewayInput{
			SubnetId:          aws.String(subnet),
			ConnectivityType:  types.ConnectivityTypePublic,
			TagSpecifications: nameTag(types.ResourceTypeNatgateway, n.Name),
		}
		if n.Private {
			in.ConnectivityType = types.ConnectivityTypePrivate
		} else {
			eip, err := b.c.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
			if err != nil {
				return err
			}
			in.AllocationId = eip.AllocationId
		}
		out, err := b.c.ec2.CreateNatGateway(ctx, in)
		if err != nil {
			return err
		}
		b.w.IDs["nat:"+n.Name] = aws.ToString(out.NatGateway.NatGatewayId)
	}
	return nil
}

func (b *builder) routeTables(ctx context.Context) error {
	for _, rt := range b.sc.World.RouteTables {
		id, err := b.routeTable(ctx, rt.Name, rt.VPC, rt.Main)
		if err != nil {
			return err
		}
		b.w.IDs["rtb:"+rt.Name] = id
		for _, s := range rt.Subnets {
			subnet, err := b.id("subnet", s)
			if err != nil {
				return err
			}
			if _, err := b.c.ec2.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{
				RouteTableId: aws.String(id), SubnetId: aws.String(subnet),
			}); err != nil {
				return err
			}
		}
		for _, r := range rt.Routes {
			in := &ec2.CreateRouteInput{RouteTableId: aws.String(id), DestinationCidrBlock: aws.String(r.Destination)}
			if err := b.routeTarget(in, r.Target); err != nil {
				return fmt.Errorf("route table %s: %w", rt.Name, err)
			}
			if _, err := b.c.ec2.CreateRoute(ctx, in); err != nil && !retriedCreate(err, "RouteAlreadyExists") {
				return err
			}
		}
	}
	return nil
}

// routeTable creates a table, or for Main returns the one AWS made with the VPC.
func (b *builder) routeTable(ctx context.Context, name, vpcName string, main bool) (string, error) {
	vpc, err := b.id("vpc", vpcName)
	if err != nil {
		return "", err
	}
	if !main {
		out, err := b.c.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{
			VpcId: aws.String(vpc), TagSpecifications: nameTag(types.ResourceTypeRouteTable, name),
		})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.RouteTable.RouteTableId), nil
	}
	out, err := b.c.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{
		Filters: []types.Filter{filter("vpc-id", vpc), filter("association.main", "true")},
	})
	if err != nil {
		return "", err
	}
	if len(out.RouteTables) != 1 {
		return "", fmt.Errorf("VPC %s has %d main route tables", vpc, len(out.RouteTables))
	}
	id := aws.ToString(out.RouteTables[0].RouteTableId)
	_, err = b.c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{
		Resources: []string{id},
		Tags:      []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}},
	})
	return id, err
}

// routeTarget sets the route's target: a gateway of this world by Name, or
// a literal id whose prefix says which kind it is.
func (b *builder) routeTarget(in *ec2.CreateRouteInput, target string) error {
	if id, ok := b.w.IDs["igw:"+target]; ok {
		in.GatewayId = aws.String(id)
		return nil
	}
	if id, ok := b.w.IDs["nat:"+target]; ok {
		in.NatGatewayId = aws.String(id)
		return nil
	}
	prefix, _, _ := strings.Cut(target, "-")
	switch prefix {
	case "igw", "vgw":
		in.GatewayId = aws.String(target)
	case "nat":
		in.NatGatewayId = aws.String(target)
	case "tgw":
		in.TransitGatewayId = aws.String(target)
	case "pcx":
		in.VpcPeeringConnectionId = aws.String(target)
	case "eni":
		in.NetworkInterfaceId = aws.String(target)
	case "vpce":
		in.VpcEndpointId = aws.String(target)
	default:
		return fmt.Errorf("route target %q is not a gateway here nor a known kind of id", target)
	}
	return nil
}
