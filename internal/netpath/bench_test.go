package netpath

import (
	"fmt"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// bigWorld is a VPC with 200 more security groups and 50 route tables (most
// serving a subnet pair), a NAT, interface endpoints and the S3 gateway.
func bigWorld() *facts.Network {
	n := world(withNAT, withS3Gateway("rtb-priv"), withInterface("ecr.api"), withInterface("ecr.dkr"), withInterface("logs"))
	for i := 0; i < 200; i++ {
		id := fmt.Sprintf("sg-%04d", i)
		n.SecurityGroups = append(n.SecurityGroups, facts.SecurityGroup{ID: id, VPCID: "vpc-1",
			Ingress: []facts.SGRule{tcp(443, 443, nil, fmt.Sprintf("sg-%04d", (i+1)%200)), tcp(8080, 8080, []string{"10.0.0.0/16"})},
			Egress:  []facts.SGRule{tcp(443, 443, []string{"10.0.0.0/8"}), {Protocol: "-1", Groups: []string{id}}}})
	}
	for i := len(n.RouteTables); i < 50; i++ {
		a, b := fmt.Sprintf("subnet-x%02da", i), fmt.Sprintf("subnet-x%02db", i)
		n.Subnets = append(n.Subnets,
			facts.Subnet{ID: a, VPCID: "vpc-1", AZ: "us-east-1a", CIDR: fmt.Sprintf("10.0.%d.0/25", 120+i)},
			facts.Subnet{ID: b, VPCID: "vpc-1", AZ: "us-east-1b", CIDR: fmt.Sprintf("10.0.%d.128/25", 120+i)})
		n.RouteTables = append(n.RouteTables, facts.RouteTable{ID: fmt.Sprintf("rtb-x%02d", i), VPCID: "vpc-1", Subnets: []string{a, b},
			Routes: []facts.Route{localRoute(), {DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-1", State: "active"}}})
	}
	return n
}

func BenchmarkEvaluate(b *testing.B) {
	n := bigWorld()
	task := TaskNet{SubnetID: "subnet-a", SecurityGroups: []string{"sg-task", "sg-0100", "sg-0199"}, PrivateIP: "10.0.1.25"}
	services := []string{"ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager", "internet"}
	for _, svc := range services {
		if r := Evaluate(n, region, task, svc); !r.Reachable {
			b.Fatalf("%s unreachable in the benchmark world:\n%s", svc, dump(r))
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Evaluate(n, region, task, services[i%len(services)])
	}
}
