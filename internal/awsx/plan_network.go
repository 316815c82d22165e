package awsx

import (
	"context"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// gatherNetwork reads every VPC-wide fact once the VPC is known. Reading the
// whole VPC's subnets and security groups (one call each) is cheaper than
// chasing the endpoint, NAT and database groups and subnets one by one.
func (st *gathering) gatherNetwork(ctx context.Context, part func(func()), vpcID *future[string], chosen *future[*facts.Task]) {
	vpcPart := func(key facts.Key, op string, fetch func(ctx context.Context, vpc string) (func(*facts.Facts), error)) {
		part(func() {
			id, err := vpcID.get(ctx)
			if err != nil {
				st.settle(key, op, err, nil)
				return
			}
			apply, err := fetch(ctx, id)
			st.settle(key, op, err, apply)
		})
	}
	vpcPart(facts.KeyVPC, "ec2:DescribeVpcAttribute", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchVPC(ctx, id)
		return func(f *facts.Facts) { f.Network.VPC = v }, err
	})
	vpcPart(facts.KeySubnets, "ec2:DescribeSubnets", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchSubnetsInVPC(ctx, id)
		return func(f *facts.Facts) { f.Network.Subnets = v }, err
	})
	vpcPart(facts.KeyRouteTables, "ec2:DescribeRouteTables", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchRouteTables(ctx, id)
		return func(f *facts.Facts) { f.Network.RouteTables = v }, err
	})
	vpcPart(facts.KeyNATGateways, "ec2:DescribeNatGateways", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchNATGateways(ctx, id)
		return func(f *facts.Facts) { f.Network.NATGateways = v }, err
	})
	vpcPart(facts.KeyInternetGateways, "ec2:DescribeInternetGateways", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchInternetGateways(ctx, id)
		return func(f *facts.Facts) { f.Network.InternetGateways = v }, err
	})
	vpcPart(facts.KeyEndpoints, "ec2:DescribeVpcEndpoints", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchEndpoints(ctx, id)
		return func(f *facts.Facts) { f.Network.Endpoints = v }, err
	})
	vpcPart(facts.KeySecurityGroups, "ec2:DescribeSecurityGroups", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchSecurityGroups(ctx, id)
		return func(f *facts.Facts) { f.Network.SecurityGroups = v }, err
	})
	vpcPart(facts.KeyNetworkACLs, "ec2:DescribeNetworkAcls", func(ctx context.Context, id string) (func(*facts.Facts), error) {
		v, err := st.fetchNetworkACLs(ctx, id)
		return func(f *facts.Facts) { f.Network.NetworkACLs = v }, err
	})
	part(func() {
		t, err := chosen.get(ctx)
		if err != nil {
			st.settle(facts.KeyNetworkInterfaces, "ec2:DescribeNetworkInterfaces", err, nil)
			return
		}
		if t.LastStatus == "STOPPED" || t.ENI == nil || t.ENI.ID == "" {
			st.skip(facts.KeyNetworkInterfaces) // a stopped task's ENI is gone
			return
		}
		enis, err := st.fetchNetworkInterface(ctx, t.ENI.ID)
		st.settle(facts.KeyNetworkInterfaces, "ec2:DescribeNetworkInterfaces", err, func(f *facts.Facts) { f.Network.NetworkInterfaces = enis })
	})
}
