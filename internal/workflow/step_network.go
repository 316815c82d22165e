package workflow

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
)

// checkEndpoints is step 5: is there a network path from every task subnet
// to every AWS service the task needs (endpoints, NAT, public IP, DNS)?
func checkEndpoints(c *checkContext) stepResult {
	if skip := c.networkSkip(); skip != "" {
		return stepResult{skipped: skip}
	}
	if len(c.needs) == 0 {
		return stepResult{skipped: "The task definition needs no AWS service at start-up (public image, no secrets, no awslogs)."}
	}
	out := c.pathFindings(func(id string) bool { return !isSecurityProblem(id) })
	for i := range out {
		out[i].Fixes = networkFixes(c, out[i])
	}
	return stepResult{findings: out}
}

// checkSecurityGroups is step 7: security group rules and network ACLs on
// the paths in use, and the databases the task connects to.
func checkSecurityGroups(c *checkContext) stepResult {
	if skip := c.networkSkip(); skip != "" {
		return stepResult{skipped: skip}
	}
	out := c.pathFindings(isSecurityProblem)
	for _, p := range c.dbPaths {
		for _, pr := range p.result.Problems {
			out = mergeProblem(out, pr, "")
		}
	}
	for i := range out {
		out[i].Fixes = networkFixes(c, out[i])
	}
	return stepResult{findings: out}
}

func (c *checkContext) networkSkip() string {
	if c.td == nil {
		return ""
	}
	if !c.awsvpcFargate() {
		return "The task runs on EC2 container instances (" + nonEmpty(c.td.NetworkMode, "bridge") + " network mode): images, secrets and logs go over the instance's network, which ecsdoctor does not evaluate yet."
	}
	if c.net == nil || len(c.net.Subnets) == 0 {
		return "The service has no awsvpc network configuration to evaluate."
	}
	return ""
}

// isSecurityProblem tells step 7's findings (rules that block packets) from
// step 5's (paths that do not exist).
func isSecurityProblem(id string) bool {
	return strings.HasPrefix(id, "sg.") || strings.HasPrefix(id, "nacl.")
}

// pathFindings merges the evaluator's problems over every subnet into one
// finding per distinct problem.
func (c *checkContext) pathFindings(keep func(id string) bool) []Finding {
	var out []Finding
	for _, r := range c.paths {
		for _, p := range r.Problems {
			if keep(p.ID) {
				out = mergeProblem(out, p, r.SubnetID)
			}
		}
	}
	return out
}

// mergeProblem adds a problem, or folds it into the finding that already
// reports the same id and attrs (the same missing endpoint seen from two
// subnets is one problem).
func mergeProblem(out []Finding, p netpath.Problem, subnet string) []Finding {
	sev := Severity(p.Severity)
	for i := range out {
		if out[i].ID == p.ID && attrsKey(out[i].Attrs) == attrsKey(p.Attrs) {
			for _, r := range append(p.Resources, subnet) {
				if r != "" && !contains(out[i].Resources, r) {
					out[i].Resources = append(out[i].Resources, r)
				}
			}
			if rankSeverity(sev) < rankSeverity(out[i].Severity) {
				out[i].Severity = sev
				out[i].Detail = p.Detail
			}
			return out
		}
	}
	res := append([]string(nil), p.Resources...)
	if subnet != "" && !contains(res, subnet) {
		res = append(res, subnet)
	}
	return append(out, Finding{ID: p.ID, Severity: sev, Title: problemTitle(p), Detail: p.Detail, Resources: res, Attrs: copyAttrs(p.Attrs)})
}

func rankSeverity(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

func copyAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// problemTitle is the one-line headline of a network problem.
func problemTitle(p netpath.Problem) string {
	svc := ServiceTitle(p.Attrs["service"])
	a := p.Attrs
	switch p.ID {
	case netpath.IDEndpointMissing:
		return "No path to " + svc + " (" + a["service"] + ") from the task's subnets"
	case netpath.IDEndpointS3RouteTable:
		return "S3 gateway endpoint is not on route table " + a["routeTable"]
	case netpath.IDEndpointNotAvailable:
		return "Endpoint " + a["endpointId"] + " for " + svc + " is not available"
	case netpath.IDEndpointPrivateDNS:
		return "Private DNS is off on the " + svc + " endpoint " + a["endpointId"]
	case netpath.IDEndpointAZNotCovered:
		return "The " + svc + " endpoint has no subnet in " + a["az"]
	case netpath.IDVPCDNSSupportDisabled:
		return "DNS resolution is off in " + a["vpc"]
	case netpath.IDVPCDNSHostnamesDisabled:
		return "DNS hostnames are off in " + a["vpc"] + ", so endpoint private DNS does not work"
	case netpath.IDPublicIPNoIGW:
		return "Public IP assigned, but subnet " + a["subnet"] + " has no route to an internet gateway"
	case netpath.IDNATUnusable:
		return "NAT gateway " + a["natGateway"] + " cannot reach the internet"
	case netpath.IDNoInternet:
		return "No path to the internet from subnet " + a["subnet"]
	case netpath.IDPathUnverified:
		return "The path to " + svc + " leaves the VPC through a route ecsdoctor cannot follow"
	case netpath.IDTaskEgressBlocked:
		if a["service"] == "database" {
			return "The task's security groups block outbound port " + a["port"] + " to the database"
		}
		return "The task's security groups block outbound " + a["port"] + " to " + svc
	case netpath.IDEndpointIngressMissing:
		return "The " + svc + " endpoint " + a["endpointId"] + " does not admit the task on 443"
	case netpath.IDDatabaseIngressMissing:
		return "Database " + a["db"] + " does not admit the task on port " + a["port"]
	case netpath.IDNACLBlocksHTTPS:
		return "Network ACL " + a["nacl"] + " blocks HTTPS for subnet " + a["subnet"]
	case netpath.IDNACLBlocksPort:
		return "Network ACL " + a["nacl"] + " blocks port " + a["port"] + " for subnet " + a["subnet"]
	}
	return p.ID
}

// taskSubnetsByAZ picks one task subnet per availability zone, the way an
// interface endpoint must be placed (one network interface per AZ).
func (c *checkContext) taskSubnetsByAZ() []string {
	var out []string
	seenAZ := map[string]bool{}
	for _, id := range c.net.Subnets {
		az := id
		if s := c.f.Network.Subnet(id); s != nil && s.AZ != "" {
			az = s.AZ
		}
		if !seenAZ[az] {
			seenAZ[az] = true
			out = append(out, id)
		}
	}
	return out
}

// taskRouteTables are the distinct route tables of the task subnets.
func (c *checkContext) taskRouteTables() []string {
	var out []string
	for _, id := range c.net.Subnets {
		if rt := c.f.Network.RouteTableFor(id); rt != nil && !contains(out, rt.ID) {
			out = append(out, rt.ID)
		}
	}
	return out
}

// subnetsRouteToIGW reports whether every task subnet's default route goes
// to an internet gateway (then a public IP gives the task a path).
func (c *checkContext) subnetsRouteToIGW() bool {
	if c.net == nil || len(c.net.Subnets) == 0 {
		return false
	}
	for _, id := range c.net.Subnets {
		rt := c.f.Network.RouteTableFor(id)
		if rt == nil || !defaultRouteToIGW(rt) {
			return false
		}
	}
	return true
}

func defaultRouteToIGW(rt *facts.RouteTable) bool {
	for _, r := range rt.Routes {
		if r.DestinationCIDR == "0.0.0.0/0" && strings.HasPrefix(r.GatewayID, "igw-") && r.State != "blackhole" {
			return true
		}
	}
	return false
}
