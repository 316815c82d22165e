package scenario

import (
	"errors"
	"fmt"
	"strings"
)

// Validate checks that names are unique per kind and that every reference
// names something that exists, so that builders can trust the world.
func (s *Scenario) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if s.Name == "" {
		bad("scenario has no name")
	}
	w := &s.World
	names := func(kind string, list []string) map[string]bool {
		m := map[string]bool{}
		for _, n := range list {
			if n == "" {
				bad("a %s has no name", kind)
			}
			if m[n] {
				bad("two %ss are named %q", kind, n)
			}
			m[n] = true
		}
		return m
	}
	vpcs := names("vpc", collect(w.VPCs, func(v VPC) string { return v.Name }))
	subnets := names("subnet", collect(w.Subnets, func(v Subnet) string { return v.Name }))
	igws := names("internet gateway", collect(w.InternetGateways, func(v InternetGateway) string { return v.Name }))
	nats := names("NAT gateway", collect(w.NATGateways, func(v NATGateway) string { return v.Name }))
	rtbs := names("route table", collect(w.RouteTables, func(v RouteTable) string { return v.Name }))
	sgs := names("security group", collect(w.SecurityGroups, func(v SecurityGroup) string { return v.Name }))
	names("network ACL", collect(w.NetworkACLs, func(v NetworkACL) string { return v.Name }))
	names("endpoint", collect(w.Endpoints, func(v Endpoint) string { return v.Name }))
	policies := names("policy", collect(w.Policies, func(v Policy) string { return v.Name }))
	roles := names("role", collect(w.Roles, func(v Role) string { return v.Name }))
	keys := names("KMS key", collect(w.KMSKeys, func(v KMSKey) string { return v.Name }))
	names("secret", collect(w.Secrets, func(v Secret) string { return v.Name }))
	names("parameter", collect(w.Parameters, func(v Parameter) string { return v.Name }))
	names("database", collect(w.Databases, func(v Database) string { return v.Name }))
	families := names("task definition", collect(w.TaskDefinitions, func(v TaskDefinition) string { return v.Family }))
	names("cluster", collect(w.Clusters, func(v Cluster) string { return v.Name }))

	ref := func(where string, set map[string]bool, kind, name string) {
		if !set[name] {
			bad("%s: no %s named %q", where, kind, name)
		}
	}
	for _, x := range w.Subnets {
		ref("subnet "+x.Name, vpcs, "vpc", x.VPC)
	}
	for _, x := range w.InternetGateways {
		ref("internet gateway "+x.Name, vpcs, "vpc", x.VPC)
	}
	for _, x := range w.NATGateways {
		ref("NAT gateway "+x.Name, subnets, "subnet", x.Subnet)
	}
	for _, x := range w.RouteTables {
		ref("route table "+x.Name, vpcs, "vpc", x.VPC)
		for _, sn := range x.Subnets {
			ref("route table "+x.Name, subnets, "subnet", sn)
		}
		for _, r := range x.Routes {
			if !igws[r.Target] && !nats[r.Target] && !looksLikeID(r.Target) {
				bad("route table %s: route target %q is neither a gateway here nor an id", x.Name, r.Target)
			}
		}
	}
	for _, x := range w.SecurityGroups {
		ref("security group "+x.Name, vpcs, "vpc", x.VPC)
		for _, r := range append(append([]Rule{}, x.Ingress...), x.Egress...) {
			for _, g := range r.Groups {
				if g != "self" && !looksLikeID(g) {
					ref("security group "+x.Name, sgs, "security group", g)
				}
			}
		}
	}
	for _, x := range w.NetworkACLs {
		ref("network ACL "+x.Name, vpcs, "vpc", x.VPC)
		for _, sn := range x.Subnets {
			ref("network ACL "+x.Name, subnets, "subnet", sn)
		}
	}
	for _, x := range w.Endpoints {
		ref("endpoint "+x.Name, vpcs, "vpc", x.VPC)
		for _, sn := range x.Subnets {
			ref("endpoint "+x.Name, subnets, "subnet", sn)
		}
		for _, g := range x.Groups {
			ref("endpoint "+x.Name, sgs, "security group", g)
		}
		for _, rt := range x.RouteTables {
			ref("endpoint "+x.Name, rtbs, "route table", rt)
		}
	}
	for _, x := range w.Roles {
		for _, p := range x.ManagedPolicies {
			if !strings.HasPrefix(p, "arn:") {
				ref("role "+x.Name, policies, "policy", p)
			}
		}
	}
	for _, x := range w.Secrets {
		if x.KMSKey != "" {
			ref("secret "+x.Name, keys, "KMS key", x.KMSKey)
		}
	}
	for _, x := range w.Parameters {
		if x.KMSKey != "" {
			ref("parameter "+x.Name, keys, "KMS key", x.KMSKey)
		}
	}
	for _, x := range w.Databases {
		for _, sn := range x.Subnets {
			ref("database "+x.Name, subnets, "subnet", sn)
		}
		for _, g := range x.SecurityGroups {
			ref("database "+x.Name, sgs, "security group", g)
		}
	}
	for _, x := range w.TaskDefinitions {
		if x.ExecutionRole != "" && !strings.HasPrefix(x.ExecutionRole, "arn:") {
			ref("task definition "+x.Family, roles, "role", x.ExecutionRole)
		}
		if len(x.Containers) == 0 {
			bad("task definition %s has no containers", x.Family)
		}
	}
	for _, c := range w.Clusters {
		for _, svc := range c.Services {
			where := "service " + svc.Name
			ref(where, families, "task definition", svc.TaskDefinition)
			for _, sn := range svc.Network.Subnets {
				ref(where, subnets, "subnet", sn)
			}
			for _, g := range svc.Network.SecurityGroups {
				ref(where, sgs, "security group", g)
			}
			if svc.History != nil {
				for _, t := range svc.History.Tasks {
					if t.Subnet != "" {
						ref(where, subnets, "subnet", t.Subnet)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

func collect[T any](list []T, name func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = name(x)
	}
	return out
}

// looksLikeID reports whether s is a literal AWS resource id such as
// tgw-0abc or sg-0123, which scenarios may use for things outside the world.
func looksLikeID(s string) bool {
	i := strings.IndexByte(s, '-')
	return i > 0 && i < len(s)-1 && !strings.ContainsAny(s, " /")
}
