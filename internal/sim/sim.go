package sim

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// The account answers the same interfaces as the SDK's clients.
var (
	_ awsx.ECSReader     = (*ecsAPI)(nil)
	_ awsx.ECSWriter     = (*ecsAPI)(nil)
	_ awsx.EC2Reader     = (*ec2API)(nil)
	_ awsx.EC2Writer     = (*ec2API)(nil)
	_ awsx.IAMReader     = (*iamAPI)(nil)
	_ awsx.IAMWriter     = (*iamAPI)(nil)
	_ awsx.LogsReader    = (*logsAPI)(nil)
	_ awsx.LogsWriter    = (*logsAPI)(nil)
	_ awsx.SecretsReader = (*secretsAPI)(nil)
	_ awsx.SSMReader     = (*ssmAPI)(nil)
	_ awsx.KMSReader     = (*kmsAPI)(nil)
	_ awsx.ECRReader     = (*ecrAPI)(nil)
	_ awsx.STSReader     = (*stsAPI)(nil)
	_ awsx.RDSReader     = (*rdsAPI)(nil)
)

// Options tune an Account.
type Options struct {
	// Now is the simulated clock; default time.Now. Tests pass a clock they
	// move by hand, and the world moves with it.
	Now func() time.Time
	// PageSize, when positive, is the largest page any List/Describe call
	// returns; 0 keeps each API's own default.
	PageSize int
	// Speed multiplies every simulated duration from now on (task start-up,
	// health checks, scheduler retries, endpoint provisioning): 0.1 makes
	// the world ten times quicker, 1 (the default) is AWS's pace. The past
	// the account is born with always runs at AWS's pace.
	Speed float64
	// Replay shows a captured scenario (a snapshot) as it was: resources
	// named by AWS ids keep those ids, each service's History is shown as
	// written instead of a simulated past, and the scheduler starts no task
	// (a snapshot is a still picture, diagnosed offline).
	Replay bool
}

// Account is one simulated AWS account in one region.
type Account struct {
	mu      sync.Mutex
	opts    Options
	account string
	region  string

	clock time.Time // the simulated present, as far as the world has been advanced
	built time.Time // when the account was created: before it lies the simulated past
	queue eventQueue
	used  map[string]bool // every id handed out

	worlds []*world
	byName map[string]*world

	vpcs        table[vpc]
	subnets     table[subnet]
	igws        table[internetGateway]
	nats        table[natGateway]
	rtbs        table[routeTable]
	sgs         table[securityGroup]
	acls        table[networkACL]
	subnetACL   map[string]string // subnet id -> network ACL id (every subnet has one)
	aclAssoc    map[string]string // subnet id -> its ACL association id
	endpoints   table[vpcEndpoint]
	enis        table[networkInterface]
	prefixLists table[prefixList]

	roles    table[role]          // by name
	policies table[managedPolicy] // by ARN
	keys     table[kmsKey]        // by key id
	secrets  table[secret]        // by ARN
	params   table[parameter]     // by name
	groups   table[logGroup]      // by name
	repos    table[repository]    // by name
	dbs      table[database]      // by identifier
	taskDefs table[taskDef]       // by ARN
	clusters table[cluster]       // by name
}

// world is one scenario's place in the account: the ids its resources got
// and the names they carry in the account.
type world struct {
	sc       *scenario.Scenario
	ids      map[string]string // "kind:name" -> id, ARN or address
	names    *demoNames        // nil in a single-scenario account
	services []*service
	past     []plannedPast
}

// New builds the account of one scenario, with the scenario's own cluster
// and service names, and lets its services run for a while (see past.go)
// so that it looks like AWS after the scheduler tried.
func New(opts Options, sc *scenario.Scenario) (*Account, error) {
	if sc == nil {
		return nil, fmt.Errorf("sim: no scenario")
	}
	a := newAccount(opts, sc.Account, sc.Region)
	if err := a.addWorld(sc, nil, ""); err != nil {
		return nil, err
	}
	a.finish()
	return a, nil
}

// NewDemo builds one account holding every scenario: one ECS cluster named
// "demo" with one service per scenario, named after the scenario. Each
// scenario keeps its own VPC and everything in it; account-wide names that
// two scenarios share (an "ecsTaskExecutionRole", a "/ecs/auth-service" log
// group) are prefixed with the scenario's name so that they stay apart.
func NewDemo(opts Options, scs ...*scenario.Scenario) (*Account, error) {
	if len(scs) == 0 {
		return nil, fmt.Errorf("sim: no scenarios")
	}
	first := scs[0]
	seen := map[string]bool{}
	for _, sc := range scs {
		if sc.Region != first.Region || sc.Account != first.Account {
			return nil, fmt.Errorf("sim: scenario %s is in %s/%s, the demo account is %s/%s", sc.Name, sc.Account, sc.Region, first.Account, first.Region)
		}
		if seen[sc.Name] {
			return nil, fmt.Errorf("sim: two scenarios are named %q", sc.Name)
		}
		seen[sc.Name] = true
	}
	a := newAccount(opts, first.Account, first.Region)
	shared := sharedNames(scs)
	for _, sc := range scs {
		if err := a.addWorld(sc, &demoNames{scenario: sc.Name, shared: shared}, "demo"); err != nil {
			return nil, err
		}
	}
	a.finish()
	return a, nil
}

func newAccount(opts Options, account, region string) *Account {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	if account == "" {
		account = scenario.DefaultAccount
	}
	if region == "" {
		region = scenario.DefaultRegion
	}
	a := &Account{
		opts: opts, account: account, region: region,
		used: map[string]bool{}, byName: map[string]*world{},
		subnetACL: map[string]string{}, aclAssoc: map[string]string{},
	}
	a.built = opts.Now().UTC()
	// The infrastructure predates everything the scheduler did.
	a.clock = a.built.Add(-72 * time.Hour)
	a.addManagedPolicies()
	a.addPrefixLists()
	return a
}

// Readers returns the read clients of the account, as awsx.NewReaders
// returns the SDK's.
func (a *Account) Readers() *awsx.Readers {
	return &awsx.Readers{
		Region: a.region, Profile: "demo",
		ECS: &ecsAPI{a}, EC2: &ec2API{a}, IAM: &iamAPI{a}, Logs: &logsAPI{a},
		Secrets: &secretsAPI{a}, SSM: &ssmAPI{a}, KMS: &kmsAPI{a}, ECR: &ecrAPI{a},
		STS: &stsAPI{a}, RDS: &rdsAPI{a},
	}
}

// Writers returns the write clients fixes use. Each call needs an approval
// in its context (awsx.WithApproval), exactly as with the real clients.
func (a *Account) Writers() *awsx.Writers {
	return &awsx.Writers{ECS: &ecsAPI{a}, EC2: &ec2API{a}, IAM: &iamAPI{a}, Logs: &logsAPI{a}}
}

// Region is the account's region.
func (a *Account) Region() string { return a.region }

// AccountID is the account's 12-digit id.
func (a *Account) AccountID() string { return a.account }

// ID returns the id (or ARN, or address) the simulator gave a resource of
// a scenario: kind is one of vpc, subnet, igw, nat, rtb, sg, acl, endpoint,
// policy, role, secret, param, kms, db, cluster, service, taskdef (and
// "prefixlist" with name "s3"), name the resource's Name in the scenario.
// Empty when there is none.
func (a *Account) ID(scenarioName, kind, name string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if w := a.byName[scenarioName]; w != nil {
		return w.ids[kind+":"+name]
	}
	return ""
}

// ServiceOf returns the cluster and service names a scenario's (first)
// service has in the account: its own names in a single-scenario account,
// "demo" and the scenario's name in the demo account.
func (a *Account) ServiceOf(scenarioName string) (cluster, service string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if w := a.byName[scenarioName]; w != nil && len(w.services) > 0 {
		return w.services[0].cluster.name, w.services[0].name
	}
	return "", ""
}

// Resolver resolves a scenario's placeholders against the account, as the
// moto builder's world does: every "kind:name" of ID, {{account}},
// {{region}}, {{ecr}}, {{cluster}}, {{service}}, {{deployment}} (the
// PRIMARY deployment), {{task:N}} (the Nth newest task of the service),
// and {{task}} and {{ip}} (the newest task and its address).
func (a *Account) Resolver(scenarioName string) scenario.Resolver {
	return func(kind, name string) (string, bool) {
		a.mu.Lock()
		defer a.mu.Unlock()
		w := a.byName[scenarioName]
		if w == nil {
			return "", false
		}
		return a.lookup(w, kind, name)
	}
}

// lookup answers a placeholder for a world (the lock is held).
func (a *Account) lookup(w *world, kind, name string) (string, bool) {
	var svc *service
	if len(w.services) > 0 {
		svc = w.services[0]
	}
	switch {
	case kind == "account" && name == "":
		return a.account, true
	case kind == "region" && name == "":
		return a.region, true
	case kind == "ecr" && name == "":
		return a.registryHost(), true
	case kind == "cluster" && name == "" && svc != nil:
		return svc.cluster.name, true
	case kind == "service" && name == "" && svc != nil:
		return svc.name, true
	case kind == "deployment" && name == "" && svc != nil && len(svc.deployments) > 0:
		return svc.deployments[0].id, true
	case (kind == "task" || kind == "ip") && svc != nil:
		i := 0
		if name != "" {
			n, err := strconv.Atoi(name)
			if err != nil || kind == "ip" {
				break
			}
			i = n
		}
		tasks := a.serviceTasks(svc)
		if i >= len(tasks) {
			return "", false
		}
		if kind == "ip" {
			return tasks[i].ip(), tasks[i].ip() != ""
		}
		return tasks[i].id, true
	}
	v, ok := w.ids[kind+":"+name]
	return v, ok
}

// resolve replaces the placeholders of s with the world's ids.
func (a *Account) resolve(w *world, s string) string {
	return scenario.Resolve(s, func(kind, name string) (string, bool) { return a.lookup(w, kind, name) })
}

// registryHost is the account's private ECR registry.
func (a *Account) registryHost() string {
	return a.account + ".dkr.ecr." + a.region + ".amazonaws.com"
}

func (a *Account) partition() string {
	switch {
	case strings.HasPrefix(a.region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(a.region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// arn builds an ARN of this account and region ("" region for IAM).
func (a *Account) arn(service, region, resource string) string {
	return "arn:" + a.partition() + ":" + service + ":" + region + ":" + a.account + ":" + resource
}

// scaled scales a duration of the present by Options.Speed; the past
// runs at AWS's pace.
func (a *Account) scaled(d time.Duration) time.Duration {
	if a.clock.Before(a.built) {
		return d
	}
	return time.Duration(float64(d) * a.opts.Speed)
}
