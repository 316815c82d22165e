package workflow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/change"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
)

// newFix renders a plan into a fix: its CLI is the plan's own commands, so
// what the user reads is exactly what would be applied. A plan that creates
// nothing billed by the hour costs nothing a month; the others are left
// unpriced here for their fix to state.
func newFix(c *checkContext, kind, qualifier, title string, actions ...change.Action) Fix {
	p := &change.Plan{Region: c.region, Actions: actions}
	f := Fix{ID: kind + ":" + qualifier, Kind: kind, Title: title, Mutates: true, CLI: p.CLI(), Plan: p, Redeploy: true}
	if !slices.ContainsFunc(actions, billedByTheHour) {
		f.MonthlyCostUSD = free()
	}
	return f
}

// billedByTheHour reports whether an action creates something with a
// recurring charge: an interface endpoint, or public IPv4 addresses.
func billedByTheHour(a change.Action) bool {
	switch x := a.(type) {
	case change.CreateInterfaceEndpoint:
		return true
	case change.UpdateServiceNetwork:
		return x.AssignPublicIP
	}
	return false
}

func (c *checkContext) clusterName() string {
	if c.svc != nil && c.svc.ClusterARN != "" {
		return lastPathSegment(c.svc.ClusterARN)
	}
	return c.f.Target.Cluster
}

func lastPathSegment(s string) string { return s[strings.LastIndex(s, "/")+1:] }

func forceNewDeploymentFix(c *checkContext) Fix {
	name := c.f.Target.Service
	if c.svc != nil {
		name = c.svc.Name
	}
	f := newFix(c, "force-new-deployment", name, "Start a new deployment of "+name+" so it retries with the current setup",
		change.ForceNewDeployment{Cluster: c.clusterName(), Service: name})
	f.Redeploy = false
	f.Risk = "Replaces running tasks one by one (per the deployment configuration); a still-broken setup fails again."
	return f
}

func createLogGroupFix(c *checkContext, name string) Fix {
	f := newFix(c, "create-log-group", name, "Create CloudWatch log group "+name, change.CreateLogGroup{Name: name})
	f.Tradeoff = "Log storage is billed per GB ingested and stored; the group keeps logs forever until you set a retention."
	return f
}

// networkFixes returns the fixes for a network finding, recommended first.
func networkFixes(c *checkContext, f Finding) []Fix {
	a := f.Attrs
	switch f.ID {
	case netpath.IDEndpointMissing:
		return endpointMissingFixes(c, a["service"])
	case netpath.IDEndpointS3RouteTable:
		if ep := c.gatewayEndpoint("s3"); ep != nil {
			return []Fix{newFix(c, "associate-s3-endpoint-route-table", a["routeTable"],
				fmt.Sprintf("Add route table %s to S3 gateway endpoint %s", a["routeTable"], ep.ID),
				change.ModifyEndpoint{EndpointID: ep.ID, AddRouteTables: []string{a["routeTable"]}})}
		}
	case netpath.IDEndpointPrivateDNS:
		return []Fix{newFix(c, "enable-private-dns", a["endpointId"], "Turn on private DNS for endpoint "+a["endpointId"],
			change.ModifyEndpoint{EndpointID: a["endpointId"], EnablePrivateDNS: true})}
	case netpath.IDVPCDNSSupportDisabled:
		return []Fix{newFix(c, "enable-vpc-dns", "enableDnsSupport", "Turn on DNS resolution (enableDnsSupport) in "+a["vpc"],
			change.EnableVPCAttribute{VPCID: a["vpc"], Attribute: "enableDnsSupport"})}
	case netpath.IDVPCDNSHostnamesDisabled:
		return []Fix{newFix(c, "enable-vpc-dns", "enableDnsHostnames", "Turn on DNS hostnames (enableDnsHostnames) in "+a["vpc"],
			change.EnableVPCAttribute{VPCID: a["vpc"], Attribute: "enableDnsHostnames"})}
	case netpath.IDNoInternet:
		if c.subnetsRouteToIGW() && !c.net.AssignPublicIP {
			return []Fix{enablePublicIPFix(c)}
		}
	case netpath.IDTaskEgressBlocked:
		return taskEgressFixes(c, a["service"], a["port"])
	case netpath.IDEndpointIngressMissing:
		return endpointIngressFixes(c, a["endpointId"])
	case netpath.IDDatabaseIngressMissing:
		return databaseIngressFixes(c, a["db"], a["port"])
	}
	return nil
}

// endpointMissingFixes: VPC endpoints first (private, what the seed
// recommends for production), a public IP where the subnets are public.
func endpointMissingFixes(c *checkContext, service string) []Fix {
	var fixes []Fix
	vpc := c.vpcID()
	if service == "s3" {
		rts := c.taskRouteTables()
		f := newFix(c, "create-s3-gateway-endpoint", vpc, "Create the S3 gateway endpoint on route tables "+strings.Join(rts, ", "),
			change.CreateGatewayEndpoint{VPCID: vpc, ServiceName: endpointServiceName(c.region, "s3"), RouteTables: rts})
		f.Tradeoff = "Gateway endpoints are free and keep S3 traffic (ECR image layers) off NAT gateways."
		fixes = append(fixes, f)
	} else if service != "" && service != "internet" {
		fixes = append(fixes, createInterfaceEndpointFix(c, service))
	}
	// In public subnets (default route to an internet gateway), the task
	// lacks only a public IP: one change gives it every service at once,
	// as the subnet was designed; endpoints remain the private alternative.
	if c.subnetsRouteToIGW() && !c.net.AssignPublicIP {
		fixes = append([]Fix{enablePublicIPFix(c)}, fixes...)
	}
	return fixes
}

// createInterfaceEndpointFix places an endpoint in one task subnet per AZ,
// with a security group that admits the task on 443: an existing group that
// already does, or a new ecsdoctor-endpoints-<vpc> group.
func createInterfaceEndpointFix(c *checkContext, service string) Fix {
	vpc := c.vpcID()
	subnets := c.taskSubnetsByAZ()
	var actions []change.Action
	group := c.groupAdmittingTask()
	if group == "" {
		group = change.NewGroupRef
		actions = append(actions, change.CreateSecurityGroup{VPCID: vpc, Name: "ecsdoctor-endpoints-" + vpc, Description: "HTTPS from ECS tasks to VPC interface endpoints (created by ecsdoctor)"})
		for _, g := range c.net.Groups {
			actions = append(actions, change.AuthorizeIngress{GroupID: change.NewGroupRef, Port: 443, SourceGroup: g, Description: "HTTPS from ECS task group " + g})
		}
	}
	actions = append(actions, change.CreateInterfaceEndpoint{VPCID: vpc, ServiceName: endpointServiceName(c.region, service), Subnets: subnets, Groups: []string{group}})
	f := newFix(c, "create-interface-endpoint", service,
		fmt.Sprintf("Create an interface endpoint for %s in %s with private DNS", service, strings.Join(subnets, ", ")), actions...)
	f.MonthlyCostUSD = monthly(InterfaceEndpointHourlyUSD, len(subnets))
	f.Tradeoff = fmt.Sprintf("$%.2f/month (%d AZ × $0.01/h, %s) plus $0.01/GB. Traffic stays private. Alternatives: a NAT gateway ($%.2f/month plus $0.045/GB, gives internet access too) or public IPs in public subnets.",
		*f.MonthlyCostUSD, len(subnets), PriceNote, *monthly(NATGatewayHourlyUSD, 1))
	return f
}

func enablePublicIPFix(c *checkContext) Fix {
	name := c.f.Target.Service
	desired := 1
	if c.svc != nil {
		name = c.svc.Name
		if c.svc.DesiredCount > 1 {
			desired = int(c.svc.DesiredCount)
		}
	}
	f := newFix(c, "enable-public-ip", name, "Assign public IPs to "+name+"'s tasks (their subnets route to an internet gateway)",
		change.UpdateServiceNetwork{Cluster: c.clusterName(), Service: name, Subnets: c.net.Subnets, Groups: c.net.Groups, AssignPublicIP: true})
	f.MonthlyCostUSD = monthly(PublicIPv4HourlyUSD, desired)
	f.Risk = "Tasks get internet-routable addresses; only their security groups stand between them and the internet."
	f.Tradeoff = fmt.Sprintf("Quick fix for development: $0.005/h per task (%s). For production prefer VPC endpoints.", PriceNote)
	return f
}

// taskEgressFixes opens outbound 443 on the task's first group, to exactly
// the destination the path needs.
func taskEgressFixes(c *checkContext, service, port string) []Fix {
	if len(c.net.Groups) == 0 {
		return nil
	}
	sg := c.net.Groups[0]
	var p int32 = 443
	fmt.Sscan(port, &p)
	rule := change.AuthorizeEgress{GroupID: sg, Port: p, CIDR: "0.0.0.0/0", Description: "HTTPS to AWS services (ecsdoctor)"}
	via := c.pathVia(service)
	switch {
	case service == "database":
		return nil
	case via == netpath.ViaGatewayEndpoint:
		if pl := c.f.Network.PrefixListByName(endpointServiceName(c.region, "s3")); pl != nil {
			rule.CIDR, rule.PrefixList = "", pl.ID
			rule.Description = "HTTPS to S3 through the gateway endpoint (ecsdoctor)"
		}
	case via == netpath.ViaInterfaceEndpoint:
		if v := c.f.Network.VPC; v != nil && len(v.CIDRs) > 0 {
			rule.CIDR = v.CIDRs[0]
			rule.Description = "HTTPS to VPC interface endpoints (ecsdoctor)"
		}
	}
	// The qualifier names the destination too: the same group may need 443
	// to the internet, to the VPC's interface endpoints and to the S3 prefix
	// list, three different rules that must not share one fix id.
	dest := change.First(rule.PrefixList, rule.CIDR)
	return []Fix{newFix(c, "authorize-task-https-egress", sg+":"+dest, fmt.Sprintf("Allow outbound TCP %d from %s to %s", p, sg, dest), rule)}
}

// endpointIngressFixes: when one of the task's groups already admits 443 from
// itself, attaching that group to the endpoint is the smallest change (the
// seed's fix); otherwise the endpoint's group gets an inbound 443 rule from
// the task's group.
func endpointIngressFixes(c *checkContext, endpointID string) []Fix {
	ep := c.endpoint(endpointID)
	if ep == nil || len(c.net.Groups) == 0 {
		return nil
	}
	var fixes []Fix
	for _, g := range c.net.Groups {
		sg := c.f.Network.SecurityGroup(g)
		if sg != nil && !contains(ep.Groups, g) && len(netpath.IngressRulesAdmitting(sg, netpath.TaskNet{SubnetID: c.net.Subnets[0], SecurityGroups: []string{g}}, &c.f.Network, 443)) > 0 {
			fixes = append(fixes, newFix(c, "add-endpoint-security-group", endpointID,
				fmt.Sprintf("Attach the task's security group %s (which admits 443 from itself) to endpoint %s", g, endpointID),
				change.ModifyEndpoint{EndpointID: endpointID, AddGroups: []string{g}}))
			break
		}
	}
	if len(ep.Groups) > 0 {
		target := ep.Groups[0]
		fixes = append(fixes, newFix(c, "authorize-endpoint-https-ingress", target,
			fmt.Sprintf("Allow inbound TCP 443 to %s from the task's security group %s", target, c.net.Groups[0]),
			change.AuthorizeIngress{GroupID: target, Port: 443, SourceGroup: c.net.Groups[0], Description: "HTTPS from ECS tasks (ecsdoctor)"}))
	}
	return fixes
}

func databaseIngressFixes(c *checkContext, dbID, port string) []Fix {
	if len(c.net.Groups) == 0 {
		return nil
	}
	for _, db := range c.f.Databases {
		if db.ID != dbID || len(db.SecurityGroups) == 0 {
			continue
		}
		var p int32
		fmt.Sscan(port, &p)
		target := db.SecurityGroups[0]
		return []Fix{newFix(c, "authorize-db-ingress", target+":"+port,
			fmt.Sprintf("Allow inbound TCP %d to %s (database %s) from the task's security group %s", p, target, dbID, c.net.Groups[0]),
			change.AuthorizeIngress{GroupID: target, Port: p, SourceGroup: c.net.Groups[0], Description: "Database access from ECS tasks (ecsdoctor)"})}
	}
	return nil
}

func attachPolicyFix(c *checkContext, role *facts.Role, p facts.ManagedPolicy) Fix {
	f := newFix(c, "attach-role-policy", p.Name, fmt.Sprintf("Attach existing policy %s to role %s", p.Name, role.Name),
		change.AttachRolePolicy{RoleName: role.Name, PolicyARN: p.ARN})
	f.Risk = "Grants everything the policy allows, which may be more than the task needs; read it first."
	return f
}

// grantResource is the resource a policy must name to grant access to r:
// log streams are named after a task that does not exist yet, so the
// representative stream the checks use (streamPattern) becomes a wildcard
// over the stream prefix.
func grantResource(r string) string {
	group, stream, ok := strings.Cut(r, ":log-stream:")
	if !ok {
		return r
	}
	if stream == noPrefixStream {
		return group + ":log-stream:*"
	}
	// prefix/container/task-id: every task of the service writes its own
	// stream under prefix/container/, so grant that, not one task's stream.
	if i := strings.LastIndexByte(stream, '/'); i > 0 {
		return group + ":log-stream:" + stream[:i] + "/*"
	}
	return r
}

// inlinePolicyFix grants exactly the missing actions on exactly the needed
// resources, in one inline policy named after ecsdoctor.
func inlinePolicyFix(c *checkContext, role *facts.Role, missing []verdictFor) Fix {
	var perms []facts.Permission
	for _, m := range missing {
		if m.verdict.Decision != "explicitDeny" && !m.boundary {
			perms = append(perms, facts.Permission{Action: m.perm.Action, Resource: grantResource(m.perm.Resource)})
		}
	}
	doc := change.LeastPrivilegePolicy(perms)
	f := newFix(c, "put-execution-role-policy", role.Name, fmt.Sprintf("Add a least-privilege inline policy to %s with the %d missing permission(s)", role.Name, len(perms)),
		change.PutRolePolicy{RoleName: role.Name, PolicyName: "ecsdoctor-execution-access", Document: doc})
	return f
}

// updateHealthCheckFix rewrites the health check to use what the image has:
// node for Node images, python for Python images, otherwise wget (busybox
// in Alpine) falling back to curl.
func updateHealthCheckFix(c *checkContext, cd facts.ContainerDefinition, tool string) (Fix, bool) {
	if c.svc == nil || c.td == nil {
		return Fix{}, false
	}
	url := healthURL(strings.Join(cd.HealthCheck.Command, " "))
	if url == "" {
		return Fix{}, false
	}
	img := strings.ToLower(cd.Image)
	// CMD-SHELL needs /bin/sh: distroless and scratch images have none, and
	// no rewritten command can work there.
	if imageLacks(cd.Image, "sh") != "" {
		return Fix{}, false
	}
	lacks := func(t string) bool { return imageLacks(cd.Image, t) != "" }
	var shell string
	switch {
	case strings.Contains(img, "node"):
		shell = fmt.Sprintf(`node -e "require('http').get('%s', r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))"`, url)
	case strings.Contains(img, "python"):
		shell = fmt.Sprintf(`python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('%s', timeout=4).status < 400 else 1)"`, url)
	case tool == "wget":
		if lacks("curl") { // e.g. Alpine: it has wget, so wget is not the problem
			return Fix{}, false
		}
		shell = fmt.Sprintf("curl -fs %s > /dev/null || exit 1", url)
	default:
		if lacks("wget") && lacks("curl") { // e.g. Debian slim: neither tool to switch to
			return Fix{}, false
		}
		shell = fmt.Sprintf("wget -q -O /dev/null %s || curl -fs %s > /dev/null || exit 1", url, url)
	}
	cmd := []string{"CMD-SHELL", shell}
	f := newFix(c, "update-health-check", cd.Name, fmt.Sprintf("Register a new revision of %s whose %s health check does not need %s, and deploy it", c.td.Family, cd.Name, tool),
		change.RegisterHealthCheckRevision{TaskDefinitionARN: c.td.ARN, Family: c.td.Family, Container: cd.Name, Command: cmd},
		change.UpdateServiceTaskDefinition{Cluster: c.clusterName(), Service: c.svc.Name, Family: c.td.Family})
	f.Redeploy = false // updating the service starts a deployment
	f.Tradeoff = "Alternatively install " + tool + " in the image (apk add --no-cache " + tool + ") and keep the check."
	return f, true
}

func healthURL(cmd string) string {
	for _, w := range strings.Fields(cmd) {
		w = strings.Trim(w, `"'`)
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
			return w
		}
	}
	return ""
}

func endpointServiceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}

func (c *checkContext) vpcID() string {
	if c.f.Network.VPC != nil {
		return c.f.Network.VPC.ID
	}
	if len(c.net.Subnets) > 0 {
		if s := c.f.Network.Subnet(c.net.Subnets[0]); s != nil {
			return s.VPCID
		}
	}
	return ""
}

func (c *checkContext) endpoint(id string) *facts.VPCEndpoint {
	for i := range c.f.Network.Endpoints {
		if c.f.Network.Endpoints[i].ID == id {
			return &c.f.Network.Endpoints[i]
		}
	}
	return nil
}

func (c *checkContext) gatewayEndpoint(service string) *facts.VPCEndpoint {
	name := endpointServiceName(c.region, service)
	for i := range c.f.Network.Endpoints {
		e := &c.f.Network.Endpoints[i]
		if strings.EqualFold(e.Type, "Gateway") && strings.EqualFold(e.ServiceName, name) {
			return e
		}
	}
	return nil
}

// groupAdmittingTask finds a security group that already admits every task
// group on 443, preferring groups other endpoints use.
func (c *checkContext) groupAdmittingTask() string {
	var candidates []string
	for _, e := range c.f.Network.Endpoints {
		candidates = append(candidates, e.Groups...)
	}
	candidates = append(candidates, c.net.Groups...)
	for _, g := range candidates {
		sg := c.f.Network.SecurityGroup(g)
		if sg == nil {
			continue
		}
		ok := true
		for _, tg := range c.net.Groups {
			if len(netpath.IngressRulesAdmitting(sg, netpath.TaskNet{SubnetID: c.net.Subnets[0], SecurityGroups: []string{tg}}, &c.f.Network, 443)) == 0 {
				ok = false
			}
		}
		if ok && len(c.net.Groups) > 0 {
			return g
		}
	}
	return ""
}

// pathVia is how the first subnet reaches a service.
func (c *checkContext) pathVia(service string) netpath.Via {
	for _, r := range c.paths {
		if r.Service == service {
			return r.Via
		}
	}
	return netpath.ViaNone
}
