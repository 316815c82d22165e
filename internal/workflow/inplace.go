package workflow

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// FixInPlace answers, for a fix id the diagnosis no longer offers, whether
// its change is already in place: applying a fix twice must say "already in
// place" the second time, not "unknown fix". It reads only the facts.
func FixInPlace(d *Diagnosis, fixID string) (bool, string) {
	kind, qual, ok := strings.Cut(fixID, ":")
	if !ok || d.Facts == nil {
		return false, ""
	}
	f := d.Facts
	c := newCheckContext(f)
	n := &f.Network
	switch kind {
	case "create-interface-endpoint":
		for _, e := range n.Endpoints {
			if strings.EqualFold(e.Type, "Interface") && strings.EqualFold(e.ServiceName, endpointServiceName(c.region, qual)) {
				return true, "interface endpoint " + e.ID + " for " + qual + " exists"
			}
		}
	case "create-s3-gateway-endpoint", "associate-s3-endpoint-route-table":
		if ep := c.gatewayEndpoint("s3"); ep != nil {
			want := []string{qual}
			if kind == "create-s3-gateway-endpoint" && c.net != nil {
				want = c.taskRouteTables()
			}
			for _, rt := range want {
				if !contains(ep.RouteTables, rt) {
					return false, ""
				}
			}
			return true, "S3 gateway endpoint " + ep.ID + " is on the task's route tables"
		}
	case "authorize-endpoint-https-ingress":
		if sg := n.SecurityGroup(qual); sg != nil && c.net != nil && admitsFromGroups(sg.Ingress, 443, c.net.Groups) {
			return true, qual + " admits TCP 443 from the task's security group"
		}
	case "authorize-db-ingress":
		group, port, _ := strings.Cut(qual, ":")
		if sg := n.SecurityGroup(group); sg != nil && c.net != nil && admitsFromGroups(sg.Ingress, atoi32(port), c.net.Groups) {
			return true, group + " admits port " + port + " from the task's security group"
		}
	case "add-endpoint-security-group":
		if ep := c.endpoint(qual); ep != nil && c.net != nil {
			for _, g := range c.net.Groups {
				if contains(ep.Groups, g) {
					return true, "endpoint " + qual + " carries the task's security group " + g
				}
			}
		}
	case "authorize-task-https-egress":
		group, dest, _ := strings.Cut(qual, ":")
		if sg := n.SecurityGroup(group); sg != nil {
			for _, r := range sg.Egress {
				if ruleCoversPort(r, 443) && (contains(r.CIDRs, dest) || contains(r.PrefixLists, dest) || contains(r.Groups, dest)) {
					return true, group + " allows outbound 443 to " + dest
				}
			}
		}
	case "attach-role-policy":
		if r := f.IAM.ExecutionRole; r != nil {
			for _, arn := range r.AttachedPolicies {
				if strings.HasSuffix(arn, "/"+qual) {
					return true, qual + " is attached to " + r.Name
				}
			}
		}
	case "put-execution-role-policy":
		if r := f.IAM.ExecutionRole; r != nil {
			for _, p := range r.InlinePolicies {
				if strings.HasPrefix(p.Name, "ecsdoctor-execution-access") {
					return true, r.Name + " has the inline policy " + p.Name
				}
			}
		}
	case "create-log-group":
		if g := f.Logs.LogGroup(qual); g != nil && g.Found {
			return true, "log group " + qual + " exists"
		}
	case "enable-vpc-dns":
		if v := n.VPC; v != nil {
			on := v.DNSSupport
			if qual == "enableDnsHostnames" {
				on = v.DNSHostnames
			}
			if on != nil && *on {
				return true, qual + " is on in " + v.ID
			}
		}
	case "enable-private-dns":
		if ep := c.endpoint(qual); ep != nil && ep.PrivateDNS {
			return true, "private DNS is on for " + qual
		}
	case "enable-public-ip":
		if c.net != nil && c.net.AssignPublicIP {
			return true, "the service assigns public IPs"
		}
	case "update-health-check":
		if f.TaskDefinition != nil && !hasFindingAttr(d.Findings, "healthcheck.tool-missing", "container", qual) {
			return true, "the health check of " + qual + " no longer calls a missing tool"
		}
	case "force-new-deployment":
		if c.svc != nil {
			if dep := c.svc.Primary(); dep != nil && dep.RolloutState == "IN_PROGRESS" {
				return true, "deployment " + dep.ID + " is already rolling out"
			}
		}
	}
	return false, ""
}

func admitsFromGroups(rules []facts.SGRule, port int32, groups []string) bool {
	for _, r := range rules {
		if !ruleCoversPort(r, port) {
			continue
		}
		for _, g := range groups {
			if contains(r.Groups, g) {
				return true
			}
		}
	}
	return false
}

func ruleCoversPort(r facts.SGRule, port int32) bool {
	return r.Protocol == "-1" || ((r.Protocol == "tcp" || r.Protocol == "6") && r.FromPort <= port && port <= r.ToPort)
}

func atoi32(s string) int32 {
	var n int32
	for _, d := range s {
		if d < '0' || d > '9' {
			return 0
		}
		n = n*10 + int32(d-'0')
	}
	return n
}

// RedeployFix is the fix that starts a new deployment of the diagnosed
// service, offered after a fix whose change reaches only new tasks.
func RedeployFix(d *Diagnosis) *Fix {
	if d.Facts == nil || d.Facts.Service == nil {
		return nil
	}
	fx := forceNewDeploymentFix(newCheckContext(d.Facts))
	fx.Recommended = true
	return &fx
}
