package facts

// Lookups over the gathered facts. They return nil (or false) when the thing
// is not known, which callers must treat as "cannot tell", not as "absent".

// ChosenTask returns the task the per-task steps look at, or nil.
func (f *Facts) ChosenTask() *Task {
	for i := range f.Tasks {
		if f.Tasks[i].ARN == f.ChosenTaskARN {
			return &f.Tasks[i]
		}
	}
	return nil
}

// Subnet returns the subnet with that id.
func (n *Network) Subnet(id string) *Subnet {
	for i := range n.Subnets {
		if n.Subnets[i].ID == id {
			return &n.Subnets[i]
		}
	}
	return nil
}

// SecurityGroup returns the security group with that id.
func (n *Network) SecurityGroup(id string) *SecurityGroup {
	for i := range n.SecurityGroups {
		if n.SecurityGroups[i].ID == id {
			return &n.SecurityGroups[i]
		}
	}
	return nil
}

// RouteTableFor returns the route table a subnet uses: its explicit
// association, else the VPC's main route table.
func (n *Network) RouteTableFor(subnetID string) *RouteTable {
	var main *RouteTable
	vpc := ""
	if s := n.Subnet(subnetID); s != nil {
		vpc = s.VPCID
	}
	for i := range n.RouteTables {
		rt := &n.RouteTables[i]
		for _, s := range rt.Subnets {
			if s == subnetID {
				return rt
			}
		}
		if rt.Main && (vpc == "" || rt.VPCID == vpc) {
			main = rt
		}
	}
	return main
}

// NetworkACLFor returns the network ACL associated with a subnet, else the
// VPC's default network ACL.
func (n *Network) NetworkACLFor(subnetID string) *NetworkACL {
	var def *NetworkACL
	vpc := ""
	if s := n.Subnet(subnetID); s != nil {
		vpc = s.VPCID
	}
	for i := range n.NetworkACLs {
		acl := &n.NetworkACLs[i]
		for _, s := range acl.Subnets {
			if s == subnetID {
				return acl
			}
		}
		if acl.Default && (vpc == "" || acl.VPCID == vpc) {
			def = acl
		}
	}
	return def
}

// NATGateway returns the NAT gateway with that id.
func (n *Network) NATGateway(id string) *NATGateway {
	for i := range n.NATGateways {
		if n.NATGateways[i].ID == id {
			return &n.NATGateways[i]
		}
	}
	return nil
}

// InternetGatewayAttached reports whether the internet gateway is attached to the VPC.
func (n *Network) InternetGatewayAttached(igwID, vpcID string) bool {
	for _, g := range n.InternetGateways {
		if g.ID != igwID {
			continue
		}
		for _, v := range g.VPCs {
			if v == vpcID {
				return true
			}
		}
	}
	return false
}

// PrefixListByName returns the managed prefix list with that name.
func (n *Network) PrefixListByName(name string) *PrefixList {
	for i := range n.PrefixLists {
		if n.PrefixLists[i].Name == name {
			return &n.PrefixLists[i]
		}
	}
	return nil
}

// Container returns the container definition with that name.
func (td *TaskDefinition) Container(name string) *ContainerDefinition {
	for i := range td.Containers {
		if td.Containers[i].Name == name {
			return &td.Containers[i]
		}
	}
	return nil
}

// Secret returns the secret fact for a valueFrom reference.
func (f *Facts) Secret(ref string) *Secret {
	for i := range f.Secrets {
		if f.Secrets[i].Ref == ref {
			return &f.Secrets[i]
		}
	}
	return nil
}

// Parameter returns the parameter fact for a valueFrom reference.
func (f *Facts) Parameter(ref string) *Parameter {
	for i := range f.Parameters {
		if f.Parameters[i].Ref == ref {
			return &f.Parameters[i]
		}
	}
	return nil
}

// KMSKey returns the key fact for a key reference (id, ARN or alias).
func (f *Facts) KMSKey(ref string) *KMSKey {
	for i := range f.KMSKeys {
		k := &f.KMSKeys[i]
		if k.Ref == ref || k.ARN == ref || k.KeyID == ref {
			return k
		}
	}
	return nil
}

// LogGroup returns the log group fact with that name.
func (l *Logs) LogGroup(name string) *LogGroup {
	for i := range l.Groups {
		if l.Groups[i].Name == name {
			return &l.Groups[i]
		}
	}
	return nil
}

// Primary returns the service's PRIMARY deployment: the one that starts
// new tasks.
func (s *Service) Primary() *Deployment {
	for i := range s.Deployments {
		if s.Deployments[i].Status == "PRIMARY" {
			return &s.Deployments[i]
		}
	}
	return nil
}

// PrimaryNetwork is the network configuration new tasks get: the PRIMARY
// deployment's, else the service's.
func (s *Service) PrimaryNetwork() *AwsVpcConfig {
	if d := s.Primary(); d != nil && d.Network != nil {
		return d.Network
	}
	return s.Network
}
