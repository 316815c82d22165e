package sim

import (
	"time"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The simulator's own model of an account. These are plain records; the
// API files render them into SDK types on the way out, so nothing a caller
// holds can change the world behind the simulator's back.

// table keeps records by id in creation order, so that every listing is
// deterministic (AWS's order is unspecified; a stable one keeps tests calm).
type table[T any] struct {
	order []string
	byID  map[string]*T
}

func (t *table[T]) put(id string, v *T) {
	if t.byID == nil {
		t.byID = map[string]*T{}
	}
	if _, ok := t.byID[id]; !ok {
		t.order = append(t.order, id)
	}
	t.byID[id] = v
}

func (t *table[T]) get(id string) *T { return t.byID[id] }

func (t *table[T]) del(id string) {
	if _, ok := t.byID[id]; !ok {
		return
	}
	delete(t.byID, id)
	for i, x := range t.order {
		if x == id {
			t.order = append(t.order[:i:i], t.order[i+1:]...)
			break
		}
	}
}

func (t *table[T]) list() []*T {
	out := make([]*T, 0, len(t.order))
	for _, id := range t.order {
		out = append(out, t.byID[id])
	}
	return out
}

// ---- EC2 ----

type vpc struct {
	id, name, owner, cidr      string
	dnsSupport, dnsHostnames   bool
	mainRTB, defaultACL, defSG string
}

type subnet struct {
	id, name, owner, vpc string
	az, azID, cidr       string
	mapPublicIP          bool
	used                 map[string]bool // private addresses held by network interfaces
}

type internetGateway struct{ id, name, owner, vpc string }

type natGateway struct {
	id, name, owner, vpc, subnet string
	state                        string // available, pending, failed, deleted
	private                      bool
	eni, privateIP, publicIP     string
	alloc, assoc                 string
	created                      time.Time
}

type routeTable struct {
	id, name, owner, vpc string
	main                 bool
	mainAssoc            string
	assocs               []rtAssoc // explicit subnet associations
	routes               []route   // besides the local route and gateway endpoint routes
}

type rtAssoc struct{ id, subnet string }

// route sends dest (a CIDR) to target, an id whose prefix says its kind.
type route struct{ dest, target string }

type securityGroup struct {
	id, name, tagName, owner, vpc, desc string
	ingress, egress                     []sgRule
}

// sgRule is one atomic rule, as EC2's security group rules API shows them:
// one protocol and port range, one peer.
type sgRule struct {
	id, proto  string // proto: "tcp", "udp", "icmp" or "-1" (all)
	from, to   int32  // -1 for all-traffic rules
	cidr       string // one of cidr, group, prefixList is set
	group      string
	prefixList string
	desc       string
}

type networkACL struct {
	id, name, owner, vpc string
	isDefault            bool
	entries              []aclEntry
}

type aclEntry struct {
	rule     int32
	egress   bool
	proto    string // "-1" or a protocol number ("6" tcp, "17" udp)
	action   string // allow or deny
	cidr     string
	from, to int32
}

type vpcEndpoint struct {
	id, name, owner, vpc string
	service              string // short name: ecr.api, s3, ...
	typ                  string // Interface or Gateway
	state                string // pending, available
	subnets, groups      []string
	routeTables          []string
	privateDNS           bool
	enis                 map[string]string // subnet id -> network interface id
	policy               string
	created              time.Time
}

type networkInterface struct {
	id, owner, vpc, subnet, az string
	ip, publicIP, mac          string
	desc, kind                 string // kind is EC2's InterfaceType: interface, vpc_endpoint, nat_gateway
	requester                  string
	attachment                 string // the ECS attachment id, for task interfaces
	groups                     []string
}

type prefixList struct {
	id, name string
	cidrs    []string
}

// ---- IAM ----

type role struct {
	name, arn, id, path, owner string
	trust                      string // the trust policy document, as JSON
	attached                   []string
	inline                     []inlinePolicy
	boundary                   string
	created                    time.Time
}

type inlinePolicy struct{ name, doc string }

type managedPolicy struct {
	arn, name, id, path, desc string
	doc                       string
	awsManaged                bool
	version                   int
	created, updated          time.Time
}

// ---- data services ----

type kmsKey struct {
	id, arn, alias, desc, manager string
	created                       time.Time
}

type secret struct {
	name, arn, kmsKey string // kmsKey: key ARN, empty for aws/secretsmanager
	version           string
	created           time.Time
}

type parameter struct {
	name, arn, typ, keyID string
	modified              time.Time
}

type logGroup struct {
	name    string
	created time.Time
	streams table[logStream]
}

type logStream struct {
	name    string
	created time.Time
	events  []logEvent
}

type logEvent struct {
	at  time.Time
	msg string
}

type repository struct {
	name, arn, uri string
	created        time.Time
	images         []*image
}

type image struct {
	tags         []string
	digest, base string
	platform     string
	tools        []string
	size         int64
	pushed       time.Time
}

type database struct {
	id, arn, owner, engine, version string
	address, ip, eni, resourceID    string
	subnetGroup, vpc, user          string
	port                            int32
	subnets, groups                 []string
	requireSSL                      bool
	created                         time.Time
}

// ---- ECS ----

type taskDef struct {
	arn, family string
	revision    int32
	def         ecstypes.TaskDefinition // exactly as registered
}

type cluster struct {
	name, arn string
	created   time.Time
	services  table[service]
	tasks     table[task] // running and recently stopped
}

// netConfig is a deployment's awsvpc configuration.
type netConfig struct {
	subnets, groups []string
	publicIP        bool
}

type service struct {
	owner       *world
	name, arn   string
	cluster     *cluster
	desired     int32
	launchType  string
	breaker     bool // deployment circuit breaker
	rollback    bool
	deployments []*deployment // the PRIMARY first, then older ones, newest first
	events      []serviceEvent
	created     time.Time
	launchAt    time.Time // when the scheduler next tries to start tasks; zero: not planned
	launchGen   int
	failStreak  int  // consecutive tasks that failed to start
	throttled   bool // "unable to consistently start tasks" was said for this streak
	steady      bool
	launches    int // spreads tasks over subnets round-robin, as ECS spreads over AZs
	healthGrace int32
}

type serviceEvent struct {
	id, msg string
	at      time.Time
}

type deployment struct {
	id, status, taskDef string // status: PRIMARY, ACTIVE
	net                 netConfig
	desired             int32
	failed              int32
	rollout, reason     string
	created, updated    time.Time
}

type task struct {
	id, arn                string
	cluster                *cluster
	svc                    *service
	dep                    *deployment
	td                     *taskDef
	net                    netConfig
	subnet                 *subnet
	eni                    *networkInterface
	attachment             string
	lastStatus, desired    string
	health                 string
	stopCode, stopReason   string
	containers             []*containerState
	created, pullStarted   time.Time
	pullStopped, started   time.Time
	stopping, stopped      time.Time
	execStopped, connected time.Time
	version                int64
	app                    *appState // what the application does once running
}

type containerState struct {
	name, image, digest string
	arn, runtimeID      string
	lastStatus, reason  string
	health              string
	exit                *int32
	hasHealthCheck      bool
}
