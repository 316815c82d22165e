package netpath

import (
	"sort"
	"strconv"
	"strings"
)

// TaskNet is where the task's network interface lives.
type TaskNet struct {
	SubnetID       string
	SecurityGroups []string
	AssignPublicIP bool
	// PrivateIP may be empty or (in test emulators) outside the subnet; then
	// the subnet CIDR stands for the task's address.
	PrivateIP string
	// OSFamily is the task definition's runtimePlatform.operatingSystemFamily.
	// It only selects the ephemeral port range the return traffic uses:
	// Windows uses 49152-65535, everything else Linux's 32768-60999.
	OSFamily string
}

// Via names the path a task's traffic takes.
type Via string

// The paths Evaluate and EvaluateDatabase can report.
const (
	ViaInterfaceEndpoint Via = "interface-endpoint"
	ViaGatewayEndpoint   Via = "gateway-endpoint"
	ViaNATGateway        Via = "nat-gateway"
	ViaInternetGateway   Via = "internet-gateway"
	// ViaUnverified is a default route we cannot follow (transit gateway,
	// peering, NAT instance, firewall endpoint, or facts that are missing).
	ViaUnverified Via = "unverified"
	// ViaLocal is traffic that stays inside the VPC (databases).
	ViaLocal Via = "local"
	ViaNone  Via = "none"
)

// Severities, as the finding catalogue spells them.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Catalogue ids this package can emit. The last three are additions to the
// catalogue (allowed by the contract): net.no-internet, net.path-unverified
// and nacl.blocks-port.
const (
	IDEndpointMissing         = "endpoint.missing"
	IDEndpointS3RouteTable    = "endpoint.s3-route-table-missing"
	IDEndpointNotAvailable    = "endpoint.not-available"
	IDEndpointPrivateDNS      = "endpoint.private-dns-disabled"
	IDEndpointAZNotCovered    = "endpoint.az-not-covered"
	IDVPCDNSSupportDisabled   = "vpc.dns-support-disabled"
	IDVPCDNSHostnamesDisabled = "vpc.dns-hostnames-disabled"
	IDPublicIPNoIGW           = "net.public-ip-no-igw"
	IDNATUnusable             = "net.nat-unusable"
	IDNoInternet              = "net.no-internet"
	IDPathUnverified          = "net.path-unverified"
	IDTaskEgressBlocked       = "sg.task-egress-blocked"
	IDEndpointIngressMissing  = "sg.endpoint-ingress-missing"
	IDDatabaseIngressMissing  = "sg.db-ingress-missing"
	IDNACLBlocksHTTPS         = "nacl.blocks-https"
	IDNACLBlocksPort          = "nacl.blocks-port"
)

const (
	serviceInternet       = "internet"
	serviceDatabase       = "database"
	serviceS3             = "s3"
	serviceDynamoDB       = "dynamodb"
	httpsPort       int32 = 443
)

// Problem is one catalogue finding this evaluation supports.
type Problem struct {
	ID        string            // catalogue id, e.g. "endpoint.missing"
	Severity  string            // "error", "warning", "info"
	Attrs     map[string]string // exactly the attrs the catalogue names for the id
	Resources []string          // ids involved (vpc, subnet, route table, endpoint, groups, NACL ...)
	Detail    string            // what is wrong, the evidence, what to do
}

// Result is the path from one task subnet to one service.
type Result struct {
	// Service is the short name ("ecr.api", "s3", "logs", ...), "internet"
	// for non-AWS hosts, or "database" for EvaluateDatabase.
	Service  string
	SubnetID string
	// Reachable is true when a path exists and nothing on it is known to
	// block the traffic (no problem of severity error).
	Reachable bool
	Via       Via
	// The resources the path goes through, where they apply.
	EndpointID, RouteTableID, NATGatewayID, InternetGatewayID string
	// EndpointSubnetID is the interface endpoint's subnet the evaluation
	// followed (the one in the task's AZ when there is one).
	EndpointSubnetID string
	// Summary is one sentence describing the path, for the UI.
	Summary string
	// Problems are blocking (error) and advisory (warning, info) problems on
	// this path, errors first.
	Problems []Problem
	// Notes are the assumptions made where facts were missing.
	Notes []string
}

// HasErrors reports whether any problem has severity error.
func (r Result) HasErrors() bool {
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Problem returns the first problem with that id, or nil.
func (r *Result) Problem(id string) *Problem {
	for i := range r.Problems {
		if r.Problems[i].ID == id {
			return &r.Problems[i]
		}
	}
	return nil
}

// add appends a problem unless the same id with the same attrs is already
// there: one finding per distinct problem.
func (r *Result) add(p Problem) {
	for _, q := range r.Problems {
		if q.ID == p.ID && sameAttrs(q.Attrs, p.Attrs) {
			return
		}
	}
	p.Resources = compact(p.Resources)
	r.Problems = append(r.Problems, p)
}

func (r *Result) note(s string) {
	for _, n := range r.Notes {
		if n == s {
			return
		}
	}
	r.Notes = append(r.Notes, s)
}

// finish orders the problems (errors, then warnings, then info; otherwise in
// the order found, which follows the packet) and settles Reachable.
func (r *Result) finish(pathExists bool) {
	rank := map[string]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	sort.SliceStable(r.Problems, func(i, j int) bool {
		return rank[r.Problems[i].Severity] < rank[r.Problems[j].Severity]
	})
	r.Reachable = pathExists && !r.HasErrors()
	if !pathExists && r.Via != ViaNone {
		r.Via = ViaNone
	}
}

func problem(id, severity string, attrs map[string]string, resources []string, detail string) Problem {
	return Problem{ID: id, Severity: severity, Attrs: attrs, Resources: resources, Detail: detail}
}

func sameAttrs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// compact drops empty and repeated ids, keeping the first occurrence.
func compact(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// list joins ids for a sentence: "a", "a and b", "a, b and c".
func list(items []string) string {
	items = compact(items)
	switch len(items) {
	case 0:
		return "(none)"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }
