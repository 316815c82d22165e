package facts

// Network is the VPC the task runs in, with everything that decides whether a
// packet from the task reaches an AWS service.
type Network struct {
	VPC               *VPC               `json:"vpc,omitempty"`
	Subnets           []Subnet           `json:"subnets,omitempty"` // every subnet of the VPC
	RouteTables       []RouteTable       `json:"routeTables,omitempty"`
	NATGateways       []NATGateway       `json:"natGateways,omitempty"`
	InternetGateways  []InternetGateway  `json:"internetGateways,omitempty"`
	Endpoints         []VPCEndpoint      `json:"endpoints,omitempty"`
	SecurityGroups    []SecurityGroup    `json:"securityGroups,omitempty"` // every group of the VPC
	NetworkACLs       []NetworkACL       `json:"networkAcls,omitempty"`
	PrefixLists       []PrefixList       `json:"prefixLists,omitempty"`
	NetworkInterfaces []NetworkInterface `json:"networkInterfaces,omitempty"`
}

// VPC with its DNS attributes. A nil attribute means it could not be read.
type VPC struct {
	ID           string   `json:"id"`
	CIDRs        []string `json:"cidrs,omitempty"`
	DNSSupport   *bool    `json:"dnsSupport,omitempty"`
	DNSHostnames *bool    `json:"dnsHostnames,omitempty"`
}

// Subnet of the VPC.
type Subnet struct {
	ID                  string `json:"id"`
	VPCID               string `json:"vpcId"`
	AZ                  string `json:"az"`
	CIDR                string `json:"cidr"`
	AvailableIPs        int32  `json:"availableIps"`
	MapPublicIPOnLaunch bool   `json:"mapPublicIpOnLaunch,omitempty"`
}

// RouteTable with its explicit subnet associations. A subnet with no explicit
// association uses the VPC's main route table.
type RouteTable struct {
	ID      string   `json:"id"`
	VPCID   string   `json:"vpcId"`
	Main    bool     `json:"main,omitempty"`
	Subnets []string `json:"subnets,omitempty"`
	Routes  []Route  `json:"routes,omitempty"`
}

// Route is one route; exactly one destination and one target are set.
type Route struct {
	DestinationCIDR       string `json:"destinationCidr,omitempty"`
	DestinationIPv6CIDR   string `json:"destinationIpv6Cidr,omitempty"`
	DestinationPrefixList string `json:"destinationPrefixList,omitempty"`
	// GatewayID is an internet gateway (igw-), a virtual private gateway
	// (vgw-), a gateway endpoint (vpce-) or "local".
	GatewayID           string `json:"gatewayId,omitempty"`
	NATGatewayID        string `json:"natGatewayId,omitempty"`
	TransitGatewayID    string `json:"transitGatewayId,omitempty"`
	VPCPeeringID        string `json:"vpcPeeringId,omitempty"`
	NetworkInterfaceID  string `json:"networkInterfaceId,omitempty"`
	InstanceID          string `json:"instanceId,omitempty"`
	EgressOnlyGatewayID string `json:"egressOnlyGatewayId,omitempty"`
	VPCEndpointID       string `json:"vpcEndpointId,omitempty"` // gateway load balancer endpoint
	State               string `json:"state,omitempty"`         // active or blackhole
}

// NATGateway as DescribeNatGateways returns it.
type NATGateway struct {
	ID               string `json:"id"`
	VPCID            string `json:"vpcId,omitempty"`
	SubnetID         string `json:"subnetId"`
	State            string `json:"state"`                      // pending, available, failed, deleting, deleted
	ConnectivityType string `json:"connectivityType,omitempty"` // public or private
}

// InternetGateway with the VPCs it is attached to.
type InternetGateway struct {
	ID   string   `json:"id"`
	VPCs []string `json:"vpcs,omitempty"`
}

// VPCEndpoint is an interface, gateway or gateway load balancer endpoint.
type VPCEndpoint struct {
	ID          string   `json:"id"`
	VPCID       string   `json:"vpcId"`
	ServiceName string   `json:"serviceName"` // com.amazonaws.<region>.<service>
	Type        string   `json:"type"`        // Interface, Gateway, GatewayLoadBalancer
	State       string   `json:"state"`       // as AWS spells it: available, pendingAcceptance, pending, ...
	PrivateDNS  bool     `json:"privateDns"`
	Subnets     []string `json:"subnets,omitempty"`
	Groups      []string `json:"groups,omitempty"`
	RouteTables []string `json:"routeTables,omitempty"`
	Policy      string   `json:"policy,omitempty"`
}

// SecurityGroup with its rules, one SGRule per AWS IpPermission.
type SecurityGroup struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	VPCID       string   `json:"vpcId"`
	Description string   `json:"description,omitempty"`
	Ingress     []SGRule `json:"ingress,omitempty"`
	Egress      []SGRule `json:"egress,omitempty"`
}

// SGRule is one IpPermission: a protocol and port range, and the peers it
// admits (CIDRs, IPv6 CIDRs, prefix lists, security groups).
type SGRule struct {
	// Protocol is "-1" (all), "tcp", "udp", "icmp", or a protocol number.
	Protocol string `json:"protocol"`
	// FromPort/ToPort are -1 (or 0/65535) when the protocol has no ports.
	FromPort    int32    `json:"fromPort"`
	ToPort      int32    `json:"toPort"`
	CIDRs       []string `json:"cidrs,omitempty"`
	IPv6CIDRs   []string `json:"ipv6Cidrs,omitempty"`
	PrefixLists []string `json:"prefixLists,omitempty"`
	Groups      []string `json:"groups,omitempty"`
}

// NetworkACL with its entries; AWS evaluates entries in RuleNumber order and
// the first match decides.
type NetworkACL struct {
	ID      string      `json:"id"`
	VPCID   string      `json:"vpcId"`
	Default bool        `json:"default,omitempty"`
	Subnets []string    `json:"subnets,omitempty"`
	Entries []NACLEntry `json:"entries,omitempty"`
}

// NACLEntry is one network ACL rule. Rule 32767 is AWS's implicit deny-all.
type NACLEntry struct {
	RuleNumber int32  `json:"ruleNumber"`
	Egress     bool   `json:"egress"`
	Protocol   string `json:"protocol"` // "-1", "6" (tcp), "17" (udp), ...
	Action     string `json:"action"`   // allow or deny
	CIDR       string `json:"cidr,omitempty"`
	IPv6CIDR   string `json:"ipv6Cidr,omitempty"`
	// FromPort/ToPort are set for tcp/udp rules.
	FromPort *int32 `json:"fromPort,omitempty"`
	ToPort   *int32 `json:"toPort,omitempty"`
}

// PrefixList is an AWS-managed prefix list (the S3 one) with its CIDRs.
type PrefixList struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	CIDRs []string `json:"cidrs,omitempty"`
}

// NetworkInterface is an ENI (the running task's own, when it still exists).
type NetworkInterface struct {
	ID          string   `json:"id"`
	SubnetID    string   `json:"subnetId"`
	VPCID       string   `json:"vpcId,omitempty"`
	PrivateIP   string   `json:"privateIp,omitempty"`
	PublicIP    string   `json:"publicIp,omitempty"`
	Groups      []string `json:"groups,omitempty"`
	Status      string   `json:"status,omitempty"`
	Description string   `json:"description,omitempty"`
}
