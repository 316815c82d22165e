package motoworld

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

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
