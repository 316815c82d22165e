package netpath

import (
	"sort"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// EvaluateDatabase decides whether the task can open TCP to an RDS database
// in its VPC: the database's groups must admit the task (by group or by a
// CIDR covering the task's address), the task's egress must allow the port,
// and the network ACLs between the task subnet and the database's subnets
// (when known) must pass the connection and its replies.
func EvaluateDatabase(n *facts.Network, t TaskNet, db facts.Database) Result {
	e := newEval(n, "", t)
	r := Result{Service: serviceDatabase, SubnetID: t.SubnetID, Via: ViaLocal, RouteTableID: e.rtID()}
	exists := e.database(db, &r)
	e.stateAssumptions(&r)
	r.finish(exists)
	return r
}

// database evaluates the connection; it reports whether a path exists.
func (e *eval) database(db facts.Database, r *Result) bool {
	t := e.t
	name := "database " + db.ID
	if !e.dnsResolves(serviceDatabase, r) {
		return false
	}
	port := databasePort(db)
	if port <= 0 {
		r.Via = ViaUnverified
		r.add(problem(IDPathUnverified, SeverityWarning, map[string]string{"service": serviceDatabase}, []string{db.ID},
			"The port of "+name+" is not known (engine "+quoteState(db.Engine)+"), so whether the task may connect to it could not be checked. Check the database's endpoint port and its security groups."))
		return true
	}
	if db.VPCID != "" && e.vpcID != "" && db.VPCID != e.vpcID {
		r.Via = ViaUnverified
		r.add(problem(IDPathUnverified, SeverityWarning, map[string]string{"service": serviceDatabase}, []string{db.ID, db.VPCID, e.vpcID},
			name+" is in "+db.VPCID+", not in the task's "+e.vpcID+"; the connection needs peering or a transit gateway, which ecsdoctor cannot follow, and security group references do not cross VPCs without peering. Check the routes between the VPCs and that the database's groups admit the task's CIDR."))
		return true
	}
	portStr := itoa(port)

	dbSGs, missing := e.groups(db.SecurityGroups)
	if len(db.SecurityGroups) == 0 {
		r.note("The security groups of " + name + " are not known; its inbound rules were not checked.")
	} else {
		_, v := ingressAdmitting(dbSGs, e.src, e.n, port)
		if v == triNo && len(missing) > 0 {
			v = triUnknown
		}
		switch v {
		case triUnknown:
			r.note("Whether the groups of " + name + " admit the task could not be decided (" + unknownWhy(missing, e.src) + ").")
		case triNo:
			from := taskFrom(e)
			r.add(problem(IDDatabaseIngressMissing, SeverityError, map[string]string{"db": db.ID, "port": portStr},
				append(append([]string{db.ID}, db.SecurityGroups...), t.SecurityGroups...),
				"None of the security groups of "+name+" allows inbound TCP "+portStr+" from the task, so its connections time out. The database carries "+
					describeGroups(dbSGs, db.SecurityGroups)+"; "+ingressEvidence(dbSGs, port)+"; the task uses "+from+
					". Add an inbound rule for TCP "+portStr+" from "+firstOr(t.SecurityGroups, "the task's group")+" to "+firstOr(db.SecurityGroups, "the database's group")+"."))
		}
	}

	var subnets []*facts.Subnet
	var cidrs []string
	for _, id := range DatabaseSubnets(e.n, db) {
		if s := e.n.Subnet(id); s != nil {
			subnets = append(subnets, s)
			cidrs = append(cidrs, s.CIDR)
		}
	}
	if len(cidrs) == 0 {
		// Somewhere in the VPC: only a rule covering the VPC proves egress.
		cidrs = e.vpcCIDRs()
	}
	e.checkEgress(serviceDatabase, port, Destination{CIDRs: cidrs, Groups: db.SecurityGroups},
		name+" (groups "+list(db.SecurityGroups)+", "+list(cidrs)+")", firstOr(db.SecurityGroups, "the database's group")+" or "+list(cidrs), r, []string{db.ID})

	var checks []aclCheck
	for _, s := range subnets {
		checks = append(checks, e.peerSubnetChecks(s, port, "database subnet")...)
	}
	if len(subnets) == 0 {
		r.note("The subnets of " + name + " are not known; network ACLs between it and the task were not checked.")
	}
	e.reportACLBlocks(e.evalACLs(checks, r), "the task's TCP "+portStr+" traffic to "+name, IDNACLBlocksPort, map[string]string{"port": portStr}, r)
	r.Summary = name + " on TCP " + portStr + " within " + e.vpcName() + "."
	return true
}

// databasePort is the database's port, or its engine's default when the
// facts carry none.
func databasePort(db facts.Database) int32 {
	if db.Port > 0 {
		return db.Port
	}
	e := strings.ToLower(db.Engine)
	switch {
	case strings.Contains(e, "postgres"):
		return 5432
	case strings.Contains(e, "mysql"), strings.Contains(e, "mariadb"):
		return 3306
	case strings.HasPrefix(e, "sqlserver"):
		return 1433
	case strings.HasPrefix(e, "oracle"):
		return 1521
	}
	return 0
}

// DatabaseSubnets returns the subnets of the database's network interfaces
// as far as the facts show them: interfaces RDS created ("RDSNetworkInterface")
// carrying exactly the database's security groups. Another database with the
// same groups makes this an over-approximation, which only adds ACL checks.
func DatabaseSubnets(n *facts.Network, db facts.Database) []string {
	if n == nil || len(db.SecurityGroups) == 0 {
		return nil
	}
	want := sortedCopy(db.SecurityGroups)
	var out []string
	for _, ni := range n.NetworkInterfaces {
		if ni.Description != "RDSNetworkInterface" || ni.SubnetID == "" {
			continue
		}
		if db.VPCID != "" && ni.VPCID != "" && ni.VPCID != db.VPCID {
			continue
		}
		if strings.Join(sortedCopy(ni.Groups), ",") == strings.Join(want, ",") {
			out = append(out, ni.SubnetID)
		}
	}
	return compact(out)
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}
