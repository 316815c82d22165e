package netpath

import (
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// The seed documents' worlds, with their real ids.

// Seed 000 (learntrac, us-east-2): tasks in private subnets with
// assignPublicIp DISABLED, no NAT and no endpoints: "unable to pull secrets
// or registry auth".
func seed000(opts ...opt) *facts.Network {
	n := &facts.Network{
		VPC: &facts.VPC{ID: "vpc-0learntrac", CIDRs: []string{"10.1.0.0/16"}, DNSSupport: ptr(true), DNSHostnames: ptr(true)},
		Subnets: []facts.Subnet{
			{ID: "subnet-068fcd2e51c94a130", VPCID: "vpc-0learntrac", AZ: "us-east-2a", CIDR: "10.1.10.0/24"},
			{ID: "subnet-03260fcd9c243f7b8", VPCID: "vpc-0learntrac", AZ: "us-east-2b", CIDR: "10.1.11.0/24"},
			{ID: "subnet-03595b890b049b697", VPCID: "vpc-0learntrac", AZ: "us-east-2c", CIDR: "10.1.12.0/24"},
		},
		RouteTables: []facts.RouteTable{{ID: "rtb-0learntracpriv", VPCID: "vpc-0learntrac", Main: true,
			Routes: []facts.Route{{DestinationCIDR: "10.1.0.0/16", GatewayID: "local", State: "active"}}}},
		SecurityGroups: []facts.SecurityGroup{{ID: "sg-099f0e67fcf8b6870", Name: "trac", VPCID: "vpc-0learntrac",
			Egress: []facts.SGRule{{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}}}},
		NetworkACLs: []facts.NetworkACL{openACL("acl-0learntrac", true)},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

func TestSeed000PrivateSubnetsNoPath(t *testing.T) {
	for _, subnet := range []string{"subnet-068fcd2e51c94a130", "subnet-03260fcd9c243f7b8", "subnet-03595b890b049b697"} {
		task := TaskNet{SubnetID: subnet, SecurityGroups: []string{"sg-099f0e67fcf8b6870"}}
		for _, svc := range []string{"ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager"} {
			r := Evaluate(seed000(), "us-east-2", task, svc)
			check(t, r, want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, attrs("service", svc)}}})
		}
	}
}

// The seed's "quick fix" sets assignPublicIp in the same private subnets:
// without an internet gateway route that is no fix at all.
func TestSeed000PublicIPInPrivateSubnet(t *testing.T) {
	task := TaskNet{SubnetID: "subnet-068fcd2e51c94a130", SecurityGroups: []string{"sg-099f0e67fcf8b6870"}, AssignPublicIP: true}
	r := Evaluate(seed000(), "us-east-2", task, "ecr.api")
	check(t, r, want{via: ViaNone, problems: []wantProblem{{IDPublicIPNoIGW, SeverityError, attrs("subnet", "subnet-068fcd2e51c94a130")}}})
}

// The seed's recommended fix: interface endpoints for ECR, logs and Secrets
// Manager with private DNS, and the S3 gateway endpoint.
func TestSeed000EndpointsFix(t *testing.T) {
	epGroup := func(n *facts.Network) {
		n.SecurityGroups = append(n.SecurityGroups, facts.SecurityGroup{ID: "sg-0vpce", Name: "vpc-endpoints", VPCID: "vpc-0learntrac",
			Ingress: []facts.SGRule{tcp(443, 443, []string{"10.1.0.0/16"})}})
		for _, svc := range []string{"ecr.api", "ecr.dkr", "logs", "secretsmanager"} {
			n.Endpoints = append(n.Endpoints, facts.VPCEndpoint{ID: "vpce-" + svc, VPCID: "vpc-0learntrac", ServiceName: "com.amazonaws.us-east-2." + svc,
				Type: "Interface", State: "available", PrivateDNS: true, Groups: []string{"sg-0vpce"},
				Subnets: []string{"subnet-068fcd2e51c94a130", "subnet-03260fcd9c243f7b8", "subnet-03595b890b049b697"}})
		}
		n.Endpoints = append(n.Endpoints, facts.VPCEndpoint{ID: "vpce-s3", VPCID: "vpc-0learntrac", ServiceName: "com.amazonaws.us-east-2.s3",
			Type: "Gateway", State: "available", RouteTables: []string{"rtb-0learntracpriv"}})
	}
	task := TaskNet{SubnetID: "subnet-03260fcd9c243f7b8", SecurityGroups: []string{"sg-099f0e67fcf8b6870"}}
	for _, svc := range []string{"ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager"} {
		r := Evaluate(seed000(epGroup), "us-east-2", task, svc)
		check(t, r, want{reachable: true, noErrors: true})
		if len(r.Problems) != 0 {
			t.Errorf("%s: healthy endpoints should raise nothing:\n%s", svc, dump(r))
		}
	}
}

// Seed 002 (task-management, us-east-1): private subnets; auth-service and
// task-service each with their own group; endpoints created step by step.
const (
	sgAuth = "sg-0f19eb8f889b954d1" // task-mgmt-auth-sg, the endpoints' only group
	sgTask = "sg-0c3e2a7d91b4f5e60" // task-mgmt-task-sg
	sgRDS  = "sg-0rds5432"
)

func seed002(opts ...opt) *facts.Network {
	open := []facts.SGRule{{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}}
	n := &facts.Network{
		VPC: &facts.VPC{ID: "vpc-0792f2f110cb731ed", CIDRs: []string{"10.0.0.0/16"}, DNSSupport: ptr(true), DNSHostnames: ptr(true)},
		Subnets: []facts.Subnet{
			{ID: "subnet-01578e4938893297d", VPCID: "vpc-0792f2f110cb731ed", AZ: "us-east-1a", CIDR: "10.0.96.0/20"},
			{ID: "subnet-0bbad45200c46c4e5", VPCID: "vpc-0792f2f110cb731ed", AZ: "us-east-1b", CIDR: "10.0.112.0/20"},
		},
		RouteTables: []facts.RouteTable{{ID: "rtb-0tmpriv", VPCID: "vpc-0792f2f110cb731ed", Main: true,
			Routes: []facts.Route{{DestinationCIDR: "10.0.0.0/16", GatewayID: "local", State: "active"}}}},
		SecurityGroups: []facts.SecurityGroup{
			{ID: sgAuth, Name: "task-mgmt-auth-sg", VPCID: "vpc-0792f2f110cb731ed", Egress: open},
			{ID: sgTask, Name: "task-mgmt-task-sg", VPCID: "vpc-0792f2f110cb731ed", Egress: open},
			{ID: sgRDS, Name: "task-mgmt-rds-sg", VPCID: "vpc-0792f2f110cb731ed", Ingress: []facts.SGRule{tcp(5432, 5432, nil, sgAuth, sgTask)}},
		},
		NetworkACLs: []facts.NetworkACL{openACL("acl-0tm", true)},
		PrefixLists: []facts.PrefixList{{ID: "pl-63a5400a", Name: "com.amazonaws.us-east-1.s3", CIDRs: []string{"52.216.0.0/15", "3.5.0.0/19"}}},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

// endpoints002 creates the seed's endpoints (all carrying only the auth group).
func endpoints002(services ...string) opt {
	return func(n *facts.Network) {
		for _, svc := range services {
			if svc == "s3" {
				n.Endpoints = append(n.Endpoints, facts.VPCEndpoint{ID: "vpce-0s3", VPCID: "vpc-0792f2f110cb731ed", ServiceName: "com.amazonaws.us-east-1.s3",
					Type: "Gateway", State: "available", RouteTables: []string{"rtb-0tmpriv"}})
				continue
			}
			n.Endpoints = append(n.Endpoints, facts.VPCEndpoint{ID: "vpce-0" + svc, VPCID: "vpc-0792f2f110cb731ed", ServiceName: "com.amazonaws.us-east-1." + svc,
				Type: "Interface", State: "available", PrivateDNS: true, Groups: []string{sgAuth},
				Subnets: []string{"subnet-01578e4938893297d", "subnet-0bbad45200c46c4e5"}})
		}
	}
}

// selfHTTPS is the seed's challenge-4 fix: inbound 443 from the group itself.
func selfHTTPS(id string) opt {
	return group(id, func(sg *facts.SecurityGroup) { sg.Ingress = append(sg.Ingress, tcp(443, 443, nil, id)) })
}

func authTask() TaskNet {
	return TaskNet{SubnetID: "subnet-01578e4938893297d", SecurityGroups: []string{sgAuth}, PrivateIP: "10.0.98.90"}
}

func taskServiceTask() TaskNet {
	return TaskNet{SubnetID: "subnet-0bbad45200c46c4e5", SecurityGroups: []string{sgTask}, PrivateIP: "10.0.115.12"}
}

var interfaceServices = []string{"secretsmanager", "ecr.api", "ecr.dkr", "logs"}

func TestSeed002Challenge1SecretsManagerUnreachable(t *testing.T) {
	r := Evaluate(seed002(), region, authTask(), "secretsmanager")
	check(t, r, want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, attrs("service", "secretsmanager")}},
		detail: []string{"subnet-01578e4938893297d", "com.amazonaws.us-east-1.secretsmanager"}})
}

func TestSeed002Challenge2LogsEndpointForgotten(t *testing.T) {
	n := seed002(endpoints002("secretsmanager", "ecr.api", "ecr.dkr", "s3"), selfHTTPS(sgAuth))
	for _, svc := range []string{"secretsmanager", "ecr.api", "ecr.dkr", "s3"} {
		check(t, Evaluate(n, region, authTask(), svc), want{reachable: true, noErrors: true})
	}
	check(t, Evaluate(n, region, authTask(), "logs"), want{via: ViaNone, problems: []wantProblem{{IDEndpointMissing, SeverityError, attrs("service", "logs")}}})
}

func TestSeed002Challenge4EndpointGroupLacks443(t *testing.T) {
	n := seed002(endpoints002("secretsmanager", "ecr.api", "ecr.dkr", "logs", "s3"))
	for _, svc := range interfaceServices {
		r := Evaluate(n, region, authTask(), svc)
		check(t, r, want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDEndpointIngressMissing, SeverityError, attrs("service", svc, "endpointId", "vpce-0"+svc)}},
			absent: []string{IDEndpointMissing}, detail: []string{sgAuth, "task-mgmt-auth-sg", "none of them has an inbound rule for TCP 443"}})
	}
	// S3 through the gateway needs no endpoint group.
	check(t, Evaluate(n, region, authTask(), "s3"), want{reachable: true, via: ViaGatewayEndpoint, noErrors: true})
	// The seed's fix: 443 from itself.
	fixed := seed002(endpoints002("secretsmanager", "ecr.api", "ecr.dkr", "logs", "s3"), selfHTTPS(sgAuth))
	for _, svc := range interfaceServices {
		check(t, Evaluate(fixed, region, authTask(), svc), want{reachable: true, via: ViaInterfaceEndpoint, noErrors: true})
	}
}

func TestSeed002Challenge5EndpointsCarryAnotherServicesGroup(t *testing.T) {
	n := seed002(endpoints002("secretsmanager", "ecr.api", "ecr.dkr", "logs", "s3"), selfHTTPS(sgAuth), selfHTTPS(sgTask))
	for _, svc := range interfaceServices {
		// auth-service is fine...
		check(t, Evaluate(n, region, authTask(), svc), want{reachable: true, noErrors: true})
		// ...task-service is not: the endpoints carry only the auth group,
		// which admits 443 from itself, and the task's own 443 rule is on a
		// group the endpoints do not carry.
		r := Evaluate(n, region, taskServiceTask(), svc)
		check(t, r, want{via: ViaInterfaceEndpoint, problems: []wantProblem{{IDEndpointIngressMissing, SeverityError, attrs("service", svc, "endpointId", "vpce-0"+svc)}},
			detail: []string{sgAuth + " (itself)", sgTask}})
	}
	// The seed's fix: attach the task group to every interface endpoint.
	attach := func(n *facts.Network) {
		for i := range n.Endpoints {
			if n.Endpoints[i].Type == "Interface" {
				n.Endpoints[i].Groups = append(n.Endpoints[i].Groups, sgTask)
			}
		}
	}
	fixed := seed002(endpoints002("secretsmanager", "ecr.api", "ecr.dkr", "logs", "s3"), selfHTTPS(sgAuth), selfHTTPS(sgTask), attach)
	for _, svc := range append(interfaceServices, "s3") {
		check(t, Evaluate(fixed, region, taskServiceTask(), svc), want{reachable: true, noErrors: true})
	}
}

func TestSeed002Database(t *testing.T) {
	db := facts.Database{ID: "task-mgmt-db", Engine: "postgres", Port: 5432, SecurityGroups: []string{sgRDS}, VPCID: "vpc-0792f2f110cb731ed"}
	for _, task := range []TaskNet{authTask(), taskServiceTask()} {
		check(t, EvaluateDatabase(seed002(), task, db), want{reachable: true, via: ViaLocal, noErrors: true})
	}
	onlyAuth := seed002(group(sgRDS, func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(5432, 5432, nil, sgAuth)} }))
	check(t, EvaluateDatabase(onlyAuth, taskServiceTask(), db),
		want{via: ViaLocal, problems: []wantProblem{{IDDatabaseIngressMissing, SeverityError, attrs("db", "task-mgmt-db", "port", "5432")}}})
}
