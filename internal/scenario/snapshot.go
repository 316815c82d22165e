package scenario

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// FromFacts writes what a diagnosis read as a scenario, so that a case can
// be attached to a bug report and diagnosed again offline. Resources are
// named by their AWS ids; values that look like secrets are redacted. expect
// records what the diagnosis found when the snapshot was taken.
func FromFacts(f *facts.Facts, now time.Time, expect *Expect) *Scenario {
	s := &Scenario{
		Name:    "snapshot-" + f.Target.Cluster + "-" + f.Target.Service,
		Title:   "Snapshot of " + f.Target.Cluster + "/" + f.Target.Service + " taken " + now.UTC().Format(time.RFC3339),
		Account: f.Target.Account,
		Region:  f.Target.Region,
		Expect:  expect,
	}
	w := &s.World
	snapNetwork(w, &f.Network, f.Target.Region)
	snapIAM(w, f)
	for _, sec := range f.Secrets {
		if sec.Found {
			w.Secrets = append(w.Secrets, Secret{Name: sec.Name, ARN: sec.ARN, KMSKey: customKey(f, sec.KMSKeyID)})
		}
	}
	for _, p := range f.Parameters {
		if p.Found {
			w.Parameters = append(w.Parameters, Parameter{Name: p.Name, Type: p.Type, KMSKey: customKey(f, p.KeyID)})
		}
	}
	for _, k := range f.KMSKeys {
		if k.Found && k.Manager == "CUSTOMER" {
			w.KMSKeys = append(w.KMSKeys, KMSKey{Name: k.KeyID})
		}
	}
	for _, g := range f.Logs.Groups {
		if g.Found {
			w.LogGroups = append(w.LogGroups, LogGroup{Name: g.Name})
		}
	}
	snapImages(w, f.Images)
	for _, db := range f.Databases {
		if db.Found {
			w.Databases = append(w.Databases, Database{Name: db.ID, Engine: db.Engine, Port: db.Port, SecurityGroups: db.SecurityGroups})
		}
	}
	if td := f.TaskDefinition; td != nil {
		w.TaskDefinitions = append(w.TaskDefinitions, TaskDefinition{
			Family:        td.Family,
			ExecutionRole: roleRef(f, td.ExecutionRoleARN),
			NetworkMode:   td.NetworkMode,
			CPU:           td.CPU,
			Memory:        td.Memory,
			Containers:    redactContainers(td.Containers),
		})
	}
	if svc := f.Service; svc != nil && f.TaskDefinition != nil {
		w.Clusters = append(w.Clusters, Cluster{Name: f.Target.Cluster, Services: []Service{snapService(f, svc, now)}})
	}
	return s
}

func snapNetwork(w *World, n *facts.Network, region string) {
	if n.VPC != nil {
		v := VPC{Name: n.VPC.ID, DNSSupport: n.VPC.DNSSupport, DNSHostnames: n.VPC.DNSHostnames}
		if len(n.VPC.CIDRs) > 0 {
			v.CIDR = n.VPC.CIDRs[0]
		}
		w.VPCs = append(w.VPCs, v)
	}
	for _, sn := range n.Subnets {
		w.Subnets = append(w.Subnets, Subnet{Name: sn.ID, VPC: sn.VPCID, AZ: sn.AZ, CIDR: sn.CIDR, MapPublicIPOnLaunch: sn.MapPublicIPOnLaunch})
	}
	for _, g := range n.InternetGateways {
		for _, v := range g.VPCs {
			w.InternetGateways = append(w.InternetGateways, InternetGateway{Name: g.ID, VPC: v})
		}
	}
	for _, ng := range n.NATGateways {
		w.NATGateways = append(w.NATGateways, NATGateway{Name: ng.ID, Subnet: ng.SubnetID, State: ng.State, Private: ng.ConnectivityType == "private"})
	}
	for _, rt := range n.RouteTables {
		out := RouteTable{Name: rt.ID, VPC: rt.VPCID, Main: rt.Main, Subnets: rt.Subnets}
		for _, r := range rt.Routes {
			target := firstNonEmpty(r.NATGatewayID, r.TransitGatewayID, r.VPCPeeringID, r.NetworkInterfaceID, r.InstanceID, r.EgressOnlyGatewayID, r.VPCEndpointID, r.GatewayID)
			// Local routes exist in every table, and gateway endpoint routes
			// come from the endpoint's route tables.
			if r.DestinationCIDR == "" || target == "local" || target == "" || strings.HasPrefix(target, "vpce-") {
				continue
			}
			out.Routes = append(out.Routes, Route{Destination: r.DestinationCIDR, Target: target})
		}
		w.RouteTables = append(w.RouteTables, out)
	}
	s3 := ""
	if pl := n.PrefixListByName("com.amazonaws." + region + ".s3"); pl != nil {
		s3 = pl.ID
	}
	for _, g := range n.SecurityGroups {
		out := SecurityGroup{Name: g.ID, GroupName: g.Name, VPC: g.VPCID, Description: g.Description}
		for _, r := range g.Ingress {
			out.Ingress = append(out.Ingress, snapRule(r, s3))
		}
		for _, r := range g.Egress {
			out.Egress = append(out.Egress, snapRule(r, s3))
		}
		out.NoEgress = len(g.Egress) == 0
		w.SecurityGroups = append(w.SecurityGroups, out)
	}
	for _, a := range n.NetworkACLs {
		out := NetworkACL{Name: a.ID, VPC: a.VPCID, Default: a.Default, Subnets: a.Subnets}
		for _, e := range a.Entries {
			if e.RuleNumber == 32767 || e.CIDR == "" {
				continue // AWS's implicit deny-all, and IPv6 entries
			}
			ne := NACLEntry{Rule: e.RuleNumber, Egress: e.Egress, Protocol: e.Protocol, Action: e.Action, CIDR: e.CIDR}
			if e.FromPort != nil {
				ne.FromPort = *e.FromPort
			}
			if e.ToPort != nil {
				ne.ToPort = *e.ToPort
			}
			out.Entries = append(out.Entries, ne)
		}
		w.NetworkACLs = append(w.NetworkACLs, out)
	}
	prefix := "com.amazonaws." + region + "."
	for _, e := range n.Endpoints {
		dns := e.PrivateDNS
		w.Endpoints = append(w.Endpoints, Endpoint{
			Name: e.ID, VPC: e.VPCID, Service: strings.TrimPrefix(e.ServiceName, prefix), Type: e.Type,
			Subnets: e.Subnets, Groups: e.Groups, RouteTables: e.RouteTables, PrivateDNS: &dns, State: e.State,
		})
	}
}

func snapRule(r facts.SGRule, s3PrefixList string) Rule {
	out := Rule{Protocol: r.Protocol, FromPort: r.FromPort, ToPort: r.ToPort, CIDRs: r.CIDRs, Groups: r.Groups}
	for _, pl := range r.PrefixLists {
		if pl == s3PrefixList {
			pl = "s3"
		}
		out.PrefixLists = append(out.PrefixLists, pl)
	}
	return out
}

func snapIAM(w *World, f *facts.Facts) {
	customer := map[string]facts.ManagedPolicy{}
	for _, p := range append(append([]facts.ManagedPolicy{}, f.IAM.Policies...), f.IAM.UnattachedPolicies...) {
		if !p.AWSManaged && p.Document != "" {
			customer[p.ARN] = p
		}
	}
	for _, p := range customer {
		w.Policies = append(w.Policies, Policy{Name: p.Name, Document: rawJSON(p.Document)})
	}
	r := f.IAM.ExecutionRole
	if r == nil {
		return
	}
	role := Role{Name: r.Name, TrustPolicy: rawJSON(r.TrustPolicy)}
	for _, arn := range r.AttachedPolicies {
		if p, ok := customer[arn]; ok {
			role.ManagedPolicies = append(role.ManagedPolicies, p.Name)
		} else {
			role.ManagedPolicies = append(role.ManagedPolicies, arn)
		}
	}
	if len(r.InlinePolicies) > 0 {
		role.InlinePolicies = map[string]json.RawMessage{}
		for _, ip := range r.InlinePolicies {
			role.InlinePolicies[ip.Name] = rawJSON(ip.Document)
		}
	}
	w.Roles = append(w.Roles, role)
}

func snapImages(w *World, images []facts.Image) {
	repos := map[string]*Repository{}
	var order []string
	for _, img := range images {
		if !img.ECR || !img.RepositoryFound {
			continue
		}
		repo, ok := repos[img.Repository]
		if !ok {
			repo = &Repository{Name: img.Repository}
			repos[img.Repository] = repo
			order = append(order, img.Repository)
		}
		if img.Found && img.Tag != "" {
			repo.Images = append(repo.Images, ImageTag{Tag: img.Tag})
		}
	}
	for _, name := range order {
		w.Repositories = append(w.Repositories, *repos[name])
	}
}

func snapService(f *facts.Facts, svc *facts.Service, now time.Time) Service {
	out := Service{Name: svc.Name, TaskDefinition: f.TaskDefinition.Family, DesiredCount: svc.DesiredCount, LaunchType: svc.LaunchType}
	if svc.Network != nil {
		out.Network = ServiceNetwork{Subnets: svc.Network.Subnets, SecurityGroups: svc.Network.SecurityGroups, AssignPublicIP: svc.Network.AssignPublicIP}
	}
	if svc.CircuitBreaker != nil {
		out.CircuitBreaker = svc.CircuitBreaker.Enable
	}
	h := &History{RunningCount: svc.RunningCount, PendingCount: svc.PendingCount}
	if d := svc.Primary(); d != nil {
		h.Rollout, h.RolloutReason, h.FailedTasks = d.RolloutState, d.RolloutStateReason, d.FailedTasks
	}
	for _, e := range svc.Events {
		h.Events = append(h.Events, Event{Message: e.Message, AgoSeconds: ago(now, e.CreatedAt)})
	}
	for _, t := range f.Tasks {
		ht := Task{LastStatus: t.LastStatus, StopCode: t.StopCode, StoppedReason: t.StoppedReason, HealthStatus: t.HealthStatus, AgoSeconds: ago(now, firstTime(t.StoppedAt, t.StartedAt, t.CreatedAt))}
		if t.ENI != nil {
			ht.Subnet = t.ENI.SubnetID
		}
		for _, c := range t.Containers {
			ht.Containers = append(ht.Containers, TaskContainer{Name: c.Name, LastStatus: c.LastStatus, Reason: c.Reason, ExitCode: c.ExitCode, HealthStatus: c.HealthStatus})
		}
		if t.ARN == f.ChosenTaskARN {
			for _, st := range f.Logs.Streams {
				for _, e := range st.Events {
					ht.Logs = append(ht.Logs, redactLine(e.Message))
				}
			}
		}
		h.Tasks = append(h.Tasks, ht)
	}
	out.History = h
	return out
}

// roleRef names the execution role by its name when the snapshot holds the
// role, else keeps the ARN.
func roleRef(f *facts.Facts, arn string) string {
	if r := f.IAM.ExecutionRole; r != nil && r.ARN == arn {
		return r.Name
	}
	return arn
}

func customKey(f *facts.Facts, ref string) string {
	if ref == "" {
		return ""
	}
	if k := f.KMSKey(ref); k != nil && k.Found && k.Manager == "CUSTOMER" {
		return k.KeyID
	}
	return ""
}

func rawJSON(doc string) json.RawMessage {
	if json.Valid([]byte(doc)) {
		return json.RawMessage(doc)
	}
	b, _ := json.Marshal(doc)
	return b
}

func ago(now time.Time, t *time.Time) int {
	if t == nil {
		return 0
	}
	return int(now.Sub(*t).Seconds())
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
