package netpath

import (
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// dbWorld adds sg-db (admitting 5432 from sg-task) and the RDS interface of
// db-1 in subnet-b.
func dbWorld(opts ...opt) *facts.Network {
	base := []opt{
		group("sg-db", func(sg *facts.SecurityGroup) {
			sg.Name = "rds"
			sg.Ingress = []facts.SGRule{tcp(5432, 5432, nil, "sg-task")}
		}),
		func(n *facts.Network) {
			n.NetworkInterfaces = append(n.NetworkInterfaces, facts.NetworkInterface{ID: "eni-rds", SubnetID: "subnet-b", VPCID: "vpc-1",
				PrivateIP: "10.0.2.40", Groups: []string{"sg-db"}, Description: "RDSNetworkInterface"})
		},
	}
	return world(append(base, opts...)...)
}

func TestEvaluateDatabase(t *testing.T) {
	db := facts.Database{ID: "db-1", Engine: "postgres", Port: 5432, SecurityGroups: []string{"sg-db"}, VPCID: "vpc-1", Found: true}
	cases := []struct {
		name string
		net  *facts.Network
		task TaskNet
		db   facts.Database
		want want
	}{
		{name: "healthy", net: dbWorld(), task: privateTask(), db: db, want: want{reachable: true, via: ViaLocal, noErrors: true}},
		{
			name: "database admits another service's group only",
			net:  dbWorld(group("sg-db", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(5432, 5432, nil, "sg-auth")} })),
			task: privateTask(), db: db,
			want: want{via: ViaLocal, problems: []wantProblem{{IDDatabaseIngressMissing, SeverityError, attrs("db", "db-1", "port", "5432")}}, detail: []string{"sg-auth", "sg-task", "TCP 5432"}},
		},
		{
			name: "database admits the VPC CIDR",
			net:  dbWorld(group("sg-db", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(5432, 5432, []string{"10.0.0.0/16"})} })),
			task: privateTask(), db: db, want: want{reachable: true, via: ViaLocal, noErrors: true},
		},
		{
			name: "database admits 3306 only",
			net:  dbWorld(group("sg-db", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(3306, 3306, nil, "sg-task")} })),
			task: privateTask(), db: db,
			want: want{via: ViaLocal, problems: []wantProblem{{IDDatabaseIngressMissing, SeverityError, nil}}},
		},
		{
			name: "task egress 443 only",
			net:  dbWorld(group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(443, 443, []string{"0.0.0.0/0"})} })),
			task: privateTask(), db: db,
			want: want{via: ViaLocal, problems: []wantProblem{{IDTaskEgressBlocked, SeverityError, attrs("service", "database", "port", "5432")}}},
		},
		{
			name: "task egress to the database's group",
			net:  dbWorld(group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(5432, 5432, nil, "sg-db")} })),
			task: privateTask(), db: db, want: want{reachable: true, via: ViaLocal, noErrors: true},
		},
		{
			name: "task egress to the database subnet CIDR",
			net:  dbWorld(group("sg-task", func(sg *facts.SecurityGroup) { sg.Egress = []facts.SGRule{tcp(5432, 5432, []string{"10.0.2.0/24"})} })),
			task: privateTask(), db: db, want: want{reachable: true, via: ViaLocal, noErrors: true},
		},
		{
			name: "database subnet ACL denies 5432 from the task",
			net: dbWorld(aclFor("acl-db", []facts.NACLEntry{
				entry(100, false, "6", "allow", "10.0.0.0/16", 3306, 3306),
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-b")),
			task: privateTask(), db: db,
			want: want{via: ViaLocal, problems: []wantProblem{{IDNACLBlocksPort, SeverityError, attrs("subnet", "subnet-b", "nacl", "acl-db", "port", "5432")}}, absent: []string{IDNACLBlocksHTTPS}},
		},
		{
			name: "task subnet ACL denies the replies from the database",
			net: dbWorld(aclFor("acl-task", []facts.NACLEntry{
				entry(100, true, "-1", "allow", "0.0.0.0/0"),
				entry(100, false, "6", "allow", "0.0.0.0/0", 443, 443),
			}, "subnet-a")),
			task: privateTask(), db: db,
			want: want{via: ViaLocal, problems: []wantProblem{{IDNACLBlocksPort, SeverityError, attrs("subnet", "subnet-a", "nacl", "acl-task", "port", "5432")}}},
		},
		{
			name: "port from the engine when missing",
			net:  dbWorld(group("sg-db", func(sg *facts.SecurityGroup) { sg.Ingress = []facts.SGRule{tcp(3306, 3306, nil, "sg-task")} })),
			task: privateTask(), db: facts.Database{ID: "db-2", Engine: "aurora-mysql", SecurityGroups: []string{"sg-db"}},
			want: want{reachable: true, via: ViaLocal, noErrors: true},
		},
		{
			name: "port unknown: unverified",
			net:  dbWorld(), task: privateTask(), db: facts.Database{ID: "db-3", Engine: "neptune", SecurityGroups: []string{"sg-db"}},
			want: want{reachable: true, via: ViaUnverified, problems: []wantProblem{{IDPathUnverified, SeverityWarning, attrs("service", "database")}}},
		},
		{
			name: "database in another VPC: unverified",
			net:  dbWorld(), task: privateTask(), db: facts.Database{ID: "db-4", Port: 5432, VPCID: "vpc-2", SecurityGroups: []string{"sg-db"}},
			want: want{reachable: true, via: ViaUnverified, noErrors: true, problems: []wantProblem{{IDPathUnverified, SeverityWarning, nil}}},
		},
		{
			name: "database groups not in the facts: cannot tell",
			net:  dbWorld(), task: privateTask(), db: facts.Database{ID: "db-5", Port: 5432, SecurityGroups: []string{"sg-unseen"}},
			want: want{reachable: true, via: ViaLocal, noErrors: true},
		},
		{
			name: "DNS support off: the endpoint name does not resolve",
			net:  dbWorld(func(n *facts.Network) { n.VPC.DNSSupport = ptr(false) }), task: privateTask(), db: db,
			want: want{via: ViaNone, problems: []wantProblem{{IDVPCDNSSupportDisabled, SeverityError, nil}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := EvaluateDatabase(c.net, c.task, c.db)
			if r.Service != "database" {
				t.Errorf("Service = %q", r.Service)
			}
			check(t, r, c.want)
		})
	}
}

func TestDatabaseSubnets(t *testing.T) {
	n := dbWorld(func(n *facts.Network) {
		n.NetworkInterfaces = append(n.NetworkInterfaces,
			facts.NetworkInterface{ID: "eni-standby", SubnetID: "subnet-e", Groups: []string{"sg-db"}, Description: "RDSNetworkInterface"},
			facts.NetworkInterface{ID: "eni-other", SubnetID: "subnet-pub", Groups: []string{"sg-db", "sg-x"}, Description: "RDSNetworkInterface"},
			facts.NetworkInterface{ID: "eni-task", SubnetID: "subnet-a", Groups: []string{"sg-db"}, Description: "arn:aws:ecs:..."})
	})
	got := DatabaseSubnets(n, facts.Database{ID: "db-1", SecurityGroups: []string{"sg-db"}})
	if len(got) != 2 || got[0] != "subnet-b" || got[1] != "subnet-e" {
		t.Errorf("DatabaseSubnets = %v", got)
	}
	if DatabaseSubnets(nil, facts.Database{}) != nil {
		t.Error("nil network")
	}
}
