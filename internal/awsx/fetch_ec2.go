package awsx

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

func vpcFilter(name, vpcID string) []ec2types.Filter {
	return []ec2types.Filter{{Name: aws.String(name), Values: []string{vpcID}}}
}

// fetchSubnetsByID describes the subnets the service runs in; their VPC is
// the one every other network fact is read from.
func (st *gathering) fetchSubnetsByID(ctx context.Context, ids []string) ([]facts.Subnet, error) {
	var out []facts.Subnet
	p := ec2.NewDescribeSubnetsPaginator(st.g.R.EC2, &ec2.DescribeSubnetsInput{SubnetIds: ids})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if ErrorCode(err) == "InvalidSubnetID.NotFound" {
				return nil, &upstreamError{fe: &facts.FetchError{Operation: "ec2:DescribeSubnets", Code: "InvalidSubnetID.NotFound",
					Message: fmt.Sprintf("the service's network configuration names a subnet that does not exist (%s); update the service with existing subnets", strings.Join(ids, ", "))}}
			}
			return nil, err
		}
		for _, s := range page.Subnets {
			out = append(out, convertSubnet(s))
		}
	}
	return out, nil
}

func (st *gathering) fetchSubnetsInVPC(ctx context.Context, vpcID string) ([]facts.Subnet, error) {
	var out []facts.Subnet
	p := ec2.NewDescribeSubnetsPaginator(st.g.R.EC2, &ec2.DescribeSubnetsInput{Filters: vpcFilter("vpc-id", vpcID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range page.Subnets {
			out = append(out, convertSubnet(s))
		}
	}
	return out, nil
}

func convertSubnet(s ec2types.Subnet) facts.Subnet {
	return facts.Subnet{
		ID:                  aws.ToString(s.SubnetId),
		VPCID:               aws.ToString(s.VpcId),
		AZ:                  aws.ToString(s.AvailabilityZone),
		CIDR:                aws.ToString(s.CidrBlock),
		AvailableIPs:        aws.ToInt32(s.AvailableIpAddressCount),
		MapPublicIPOnLaunch: aws.ToBool(s.MapPublicIpOnLaunch),
	}
}

// fetchVPC reads the VPC and both DNS attributes concurrently; an attribute
// that cannot be read stays nil (unknown) rather than failing the VPC.
func (st *gathering) fetchVPC(ctx context.Context, vpcID string) (*facts.VPC, error) {
	v := &facts.VPC{ID: vpcID}
	var support, hostnames *bool
	eg, gctx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		out, err := st.g.R.EC2.DescribeVpcs(gctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
		if err != nil {
			return err
		}
		for _, x := range out.Vpcs {
			if c := aws.ToString(x.CidrBlock); c != "" {
				v.CIDRs = append(v.CIDRs, c)
			}
			for _, a := range x.CidrBlockAssociationSet {
				if c := aws.ToString(a.CidrBlock); c != "" && c != aws.ToString(x.CidrBlock) {
					v.CIDRs = append(v.CIDRs, c)
				}
			}
		}
		return nil
	})
	attr := func(name ec2types.VpcAttributeName, dst **bool) {
		eg.Go(func() error {
			out, err := st.g.R.EC2.DescribeVpcAttribute(gctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpcID), Attribute: name})
			if err != nil {
				return err
			}
			switch name {
			case ec2types.VpcAttributeNameEnableDnsSupport:
				if out.EnableDnsSupport != nil {
					*dst = out.EnableDnsSupport.Value
				}
			case ec2types.VpcAttributeNameEnableDnsHostnames:
				if out.EnableDnsHostnames != nil {
					*dst = out.EnableDnsHostnames.Value
				}
			}
			return nil
		})
	}
	attr(ec2types.VpcAttributeNameEnableDnsSupport, &support)
	attr(ec2types.VpcAttributeNameEnableDnsHostnames, &hostnames)
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	v.DNSSupport, v.DNSHostnames = support, hostnames
	return v, nil
}

func (st *gathering) fetchRouteTables(ctx context.Context, vpcID string) ([]facts.RouteTable, error) {
	var out []facts.RouteTable
	p := ec2.NewDescribeRouteTablesPaginator(st.g.R.EC2, &ec2.DescribeRouteTablesInput{Filters: vpcFilter("vpc-id", vpcID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, rt := range page.RouteTables {
			out = append(out, convertRouteTable(rt))
		}
	}
	return out, nil
}

func convertRouteTable(rt ec2types.RouteTable) facts.RouteTable {
	frt := facts.RouteTable{ID: aws.ToString(rt.RouteTableId), VPCID: aws.ToString(rt.VpcId)}
	for _, a := range rt.Associations {
		if a.AssociationState != nil && a.AssociationState.State != "" && a.AssociationState.State != ec2types.RouteTableAssociationStateCodeAssociated {
			continue
		}
		if aws.ToBool(a.Main) {
			frt.Main = true
		}
		if s := aws.ToString(a.SubnetId); s != "" {
			frt.Subnets = append(frt.Subnets, s)
		}
	}
	for _, r := range rt.Routes {
		frt.Routes = append(frt.Routes, facts.Route{
			DestinationCIDR:       aws.ToString(r.DestinationCidrBlock),
			DestinationIPv6CIDR:   aws.ToString(r.DestinationIpv6CidrBlock),
			DestinationPrefixList: aws.ToString(r.DestinationPrefixListId),
			GatewayID:             aws.ToString(r.GatewayId),
			NATGatewayID:          aws.ToString(r.NatGatewayId),
			TransitGatewayID:      aws.ToString(r.TransitGatewayId),
			VPCPeeringID:          aws.ToString(r.VpcPeeringConnectionId),
			NetworkInterfaceID:    aws.ToString(r.NetworkInterfaceId),
			InstanceID:            aws.ToString(r.InstanceId),
			EgressOnlyGatewayID:   aws.ToString(r.EgressOnlyInternetGatewayId),
			State:                 string(r.State),
		})
	}
	return frt
}

func (st *gathering) fetchNATGateways(ctx context.Context, vpcID string) ([]facts.NATGateway, error) {
	var out []facts.NATGateway
	p := ec2.NewDescribeNatGatewaysPaginator(st.g.R.EC2, &ec2.DescribeNatGatewaysInput{Filter: vpcFilter("vpc-id", vpcID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, n := range page.NatGateways {
			out = append(out, facts.NATGateway{
				ID:               aws.ToString(n.NatGatewayId),
				VPCID:            aws.ToString(n.VpcId),
				SubnetID:         aws.ToString(n.SubnetId),
				State:            string(n.State),
				ConnectivityType: string(n.ConnectivityType),
			})
		}
	}
	return out, nil
}

func (st *gathering) fetchInternetGateways(ctx context.Context, vpcID string) ([]facts.InternetGateway, error) {
	var out []facts.InternetGateway
	p := ec2.NewDescribeInternetGatewaysPaginator(st.g.R.EC2, &ec2.DescribeInternetGatewaysInput{Filters: vpcFilter("attachment.vpc-id", vpcID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range page.InternetGateways {
			fg := facts.InternetGateway{ID: aws.ToString(g.InternetGatewayId)}
			for _, a := range g.Attachments {
				// "available" is what AWS reports for an attached gateway.
				if a.State == ec2types.AttachmentStatusAttached || string(a.State) == "available" || a.State == "" {
					fg.VPCs = append(fg.VPCs, aws.ToString(a.VpcId))
				}
			}
			out = append(out, fg)
		}
	}
	return out, nil
}

func (st *gathering) fetchEndpoints(ctx context.Context, vpcID string) ([]facts.VPCEndpoint, error) {
	var out []facts.VPCEndpoint
	p := ec2.NewDescribeVpcEndpointsPaginator(st.g.R.EC2, &ec2.DescribeVpcEndpointsInput{Filters: vpcFilter("vpc-id", vpcID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range page.VpcEndpoints {
			fe := facts.VPCEndpoint{
				ID:          aws.ToString(e.VpcEndpointId),
				VPCID:       aws.ToString(e.VpcId),
				ServiceName: aws.ToString(e.ServiceName),
				Type:        string(e.VpcEndpointType),
				State:       string(e.State),
				PrivateDNS:  aws.ToBool(e.PrivateDnsEnabled),
				Subnets:     e.SubnetIds,
				RouteTables: e.RouteTableIds,
				Policy:      aws.ToString(e.PolicyDocument),
			}
			// Gateway endpoints have no DNS of their own, whatever a source says.
			if strings.EqualFold(fe.Type, "Gateway") {
				fe.PrivateDNS = false
			}
			for _, g := range e.Groups {
				fe.Groups = append(fe.Groups, aws.ToString(g.GroupId))
			}
			out = append(out, fe)
		}
	}
	return out, nil
}

func (st *gathering) fetchSecurityGroups(ctx context.Context, vpcID string) ([]facts.SecurityGroup, error) {
	var out []facts.SecurityGroup
	p := ec2.NewDescribeSecurityGroupsPaginator(st.g.R.EC2, &ec2.DescribeSecurityGroupsInput{Filters: vpcFilter("vpc-id", vpcID), MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range page.SecurityGroups {
			out = append(out, convertSecurityGroup(g))
		}
	}
	return out, nil
}

func convertSecurityGroup(g ec2types.SecurityGroup) facts.SecurityGroup {
	fg := facts.SecurityGroup{
		ID:          aws.ToString(g.GroupId),
		Name:        aws.ToString(g.GroupName),
		VPCID:       aws.ToString(g.VpcId),
		Description: aws.ToString(g.Description),
	}
	for _, p := range g.IpPermissions {
		fg.Ingress = append(fg.Ingress, convertPermission(p))
	}
	for _, p := range g.IpPermissionsEgress {
		fg.Egress = append(fg.Egress, convertPermission(p))
	}
	return fg
}

func convertPermission(p ec2types.IpPermission) facts.SGRule {
	r := facts.SGRule{Protocol: aws.ToString(p.IpProtocol), FromPort: -1, ToPort: -1}
	if p.FromPort != nil {
		r.FromPort = *p.FromPort
	}
	if p.ToPort != nil {
		r.ToPort = *p.ToPort
	}
	for _, x := range p.IpRanges {
		r.CIDRs = append(r.CIDRs, aws.ToString(x.CidrIp))
	}
	for _, x := range p.Ipv6Ranges {
		r.IPv6CIDRs = append(r.IPv6CIDRs, aws.ToString(x.CidrIpv6))
	}
	for _, x := range p.PrefixListIds {
		r.PrefixLists = append(r.PrefixLists, aws.ToString(x.PrefixListId))
	}
	for _, x := range p.UserIdGroupPairs {
		r.Groups = append(r.Groups, aws.ToString(x.GroupId))
	}
	return r
}

func (st *gathering) fetchNetworkACLs(ctx context.Context, vpcID string) ([]facts.NetworkACL, error) {
	var out []facts.NetworkACL
	p := ec2.NewDescribeNetworkAclsPaginator(st.g.R.EC2, &ec2.DescribeNetworkAclsInput{Filters: vpcFilter("vpc-id", vpcID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.NetworkAcls {
			fa := facts.NetworkACL{ID: aws.ToString(a.NetworkAclId), VPCID: aws.ToString(a.VpcId), Default: aws.ToBool(a.IsDefault)}
			for _, as := range a.Associations {
				if s := aws.ToString(as.SubnetId); s != "" {
					fa.Subnets = append(fa.Subnets, s)
				}
			}
			for _, e := range a.Entries {
				fe := facts.NACLEntry{
					RuleNumber: aws.ToInt32(e.RuleNumber),
					Egress:     aws.ToBool(e.Egress),
					Protocol:   aws.ToString(e.Protocol),
					Action:     string(e.RuleAction),
					CIDR:       aws.ToString(e.CidrBlock),
					IPv6CIDR:   aws.ToString(e.Ipv6CidrBlock),
				}
				if e.PortRange != nil {
					fe.FromPort, fe.ToPort = e.PortRange.From, e.PortRange.To
				}
				fa.Entries = append(fa.Entries, fe)
			}
			out = append(out, fa)
		}
	}
	return out, nil
}

// fetchS3PrefixList reads the region's S3 prefix list and its CIDRs; security
// group rules and gateway endpoint routes refer to S3 by this list's id.
func (st *gathering) fetchS3PrefixList(ctx context.Context) ([]facts.PrefixList, error) {
	name := "com.amazonaws." + st.g.R.Region + ".s3"
	out, err := st.g.R.EC2.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{
		Filters: []ec2types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{name}}},
	})
	if err != nil {
		return nil, err
	}
	var lists []facts.PrefixList
	for _, pl := range out.PrefixLists {
		if aws.ToString(pl.PrefixListName) != name {
			continue
		}
		fl := facts.PrefixList{ID: aws.ToString(pl.PrefixListId), Name: name}
		p := ec2.NewGetManagedPrefixListEntriesPaginator(st.g.R.EC2, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: pl.PrefixListId})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, e := range page.Entries {
				fl.CIDRs = append(fl.CIDRs, aws.ToString(e.Cidr))
			}
		}
		lists = append(lists, fl)
	}
	return lists, nil
}

// fetchNetworkInterface reads a running task's ENI: its public IP, if any,
// and the security groups really attached.
func (st *gathering) fetchNetworkInterface(ctx context.Context, id string) ([]facts.NetworkInterface, error) {
	out, err := st.g.R.EC2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{id}})
	if err != nil {
		if ErrorCode(err) == "InvalidNetworkInterfaceID.NotFound" {
			return nil, nil // the task stopped and its ENI went with it
		}
		return nil, err
	}
	var enis []facts.NetworkInterface
	for _, n := range out.NetworkInterfaces {
		fn := facts.NetworkInterface{
			ID:          aws.ToString(n.NetworkInterfaceId),
			SubnetID:    aws.ToString(n.SubnetId),
			VPCID:       aws.ToString(n.VpcId),
			PrivateIP:   aws.ToString(n.PrivateIpAddress),
			Status:      string(n.Status),
			Description: aws.ToString(n.Description),
		}
		if n.Association != nil {
			fn.PublicIP = aws.ToString(n.Association.PublicIp)
		}
		for _, g := range n.Groups {
			fn.Groups = append(fn.Groups, aws.ToString(g.GroupId))
		}
		enis = append(enis, fn)
	}
	return enis, nil
}
