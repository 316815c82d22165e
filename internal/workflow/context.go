package workflow

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
)

// checkContext is what every check shares: the facts plus what is derived
// from them once (the task's network placement, the services it needs, the
// network paths, whether the service is currently healthy).
type checkContext struct {
	f       *facts.Facts
	region  string
	account string
	svc     *facts.Service
	td      *facts.TaskDefinition
	task    *facts.Task
	net     *TaskNetwork
	needs   []Need
	paths   []netpath.Result // per task subnet and needed service
	dbPaths []dbPath
	steady  bool
	// Filled by the IAM check, for the evidence.
	permissions   []PermissionEvidence
	trustDecision string
}

// TaskNetwork is where the service's tasks get their network interfaces:
// the PRIMARY deployment's awsvpc configuration, refined by the chosen
// task's own interface (its subnet, address, and the groups really on it).
type TaskNetwork struct {
	Subnets        []string
	Groups         []string
	AssignPublicIP bool
	// TaskSubnet and TaskIP are the chosen task's, when it had an interface.
	TaskSubnet, TaskIP string
	OSFamily           string
}

// In is the task as the path evaluator sees it from one of its subnets.
func (n *TaskNetwork) In(subnet string) netpath.TaskNet {
	tn := netpath.TaskNet{SubnetID: subnet, SecurityGroups: n.Groups, AssignPublicIP: n.AssignPublicIP, OSFamily: n.OSFamily}
	if subnet == n.TaskSubnet {
		tn.PrivateIP = n.TaskIP
	}
	return tn
}

type dbPath struct {
	db     facts.Database
	result netpath.Result
}

func newCheckContext(f *facts.Facts) *checkContext {
	c := &checkContext{f: f, region: f.Target.Region, account: accountOf(f), svc: f.Service, td: f.TaskDefinition, task: f.ChosenTask()}
	c.net = deriveTaskNetwork(f, c.svc, c.task)
	c.needs = RequiredServices(c.td, c.region)
	c.steady = isSteady(c.svc) && !runningTaskUnhealthy(f.Tasks)
	if c.net != nil && c.networkKnown() {
		c.evaluatePaths()
	}
	return c
}

// deriveTaskNetwork takes the network of the deployment that starts new
// tasks, and adds the chosen task's own subnet, address and groups.
func deriveTaskNetwork(f *facts.Facts, svc *facts.Service, task *facts.Task) *TaskNetwork {
	var n *TaskNetwork
	ensure := func() {
		if n == nil {
			n = &TaskNetwork{}
		}
	}
	if svc != nil {
		if nc := svc.PrimaryNetwork(); nc != nil {
			n = &TaskNetwork{Subnets: append([]string(nil), nc.Subnets...), Groups: nc.SecurityGroups, AssignPublicIP: nc.AssignPublicIP}
		}
	}
	if task != nil && task.ENI != nil {
		for _, eni := range f.Network.NetworkInterfaces {
			if eni.ID == task.ENI.ID {
				ensure()
				if len(eni.Groups) > 0 {
					n.Groups = eni.Groups
				}
				if eni.PublicIP != "" {
					n.AssignPublicIP = true
				}
			}
		}
		if task.ENI.SubnetID != "" {
			ensure()
			if !contains(n.Subnets, task.ENI.SubnetID) {
				n.Subnets = append(n.Subnets, task.ENI.SubnetID)
			}
			n.TaskSubnet, n.TaskIP = task.ENI.SubnetID, task.ENI.PrivateIPv4
		}
	}
	if n != nil && f.TaskDefinition != nil {
		n.OSFamily = f.TaskDefinition.OSFamily
	}
	return n
}

// isSteady reports whether the service runs what it should with no failed
// rollout: then old failures are history, not the current problem. A new
// deployment whose tasks fail while the previous one still serves every
// task is not steady: the running count hides the failure.
func isSteady(svc *facts.Service) bool {
	if svc == nil {
		return false
	}
	if svc.RunningCount < svc.DesiredCount {
		return false
	}
	if d := svc.Primary(); d != nil {
		if d.RolloutState == "FAILED" {
			return false
		}
		if len(svc.Deployments) > 1 && d.RunningCount < d.DesiredCount && d.FailedTasks > 0 {
			return false
		}
	}
	return true
}

// runningTaskUnhealthy reports whether a running task is UNHEALTHY: ECS is about
// to replace it, so its health-check failures are the current problem even
// while the running count matches the desired count.
func runningTaskUnhealthy(tasks []facts.Task) bool {
	for _, t := range tasks {
		if t.LastStatus == "RUNNING" && t.HealthStatus == "UNHEALTHY" {
			return true
		}
	}
	return false
}

// networkKnown reports whether the VPC-level facts the path evaluator needs
// have arrived (they may be missing while the TUI streams them in).
func (c *checkContext) networkKnown() bool {
	for _, k := range []facts.Key{facts.KeySubnets, facts.KeyRouteTables, facts.KeyEndpoints, facts.KeySecurityGroups, facts.KeyVPC, facts.KeyNATGateways, facts.KeyInternetGateways, facts.KeyNetworkACLs} {
		if c.f.State(k) != facts.FetchDone {
			return false
		}
	}
	return true
}

// evaluatePaths runs the network-path evaluator for every task subnet and
// every needed service, and for every database the task names.
func (c *checkContext) evaluatePaths() {
	if !c.awsvpcFargate() {
		return
	}
	for _, subnet := range c.net.Subnets {
		tn := c.net.In(subnet)
		for _, need := range c.needs {
			c.paths = append(c.paths, netpath.Evaluate(&c.f.Network, c.region, tn, need.Service))
		}
	}
	if len(c.net.Subnets) == 0 {
		return
	}
	// Databases are judged from the service's first subnet, without the
	// public IP (traffic to them stays in the VPC).
	tn := c.net.In(c.net.Subnets[0])
	tn.AssignPublicIP = false
	for _, db := range c.f.Databases {
		if !db.Found || (db.VPCID != "" && c.f.Network.VPC != nil && db.VPCID != c.f.Network.VPC.ID) {
			continue
		}
		c.dbPaths = append(c.dbPaths, dbPath{db: db, result: netpath.EvaluateDatabase(&c.f.Network, tn, db)})
	}
}

// awsvpcFargate reports whether the task's own network interface is what
// reaches AWS services: Fargate tasks (always awsvpc). On EC2 the container
// instance pulls images and secrets over its own network.
func (c *checkContext) awsvpcFargate() bool {
	if c.td != nil && c.td.NetworkMode != "" && c.td.NetworkMode != "awsvpc" {
		return false
	}
	return c.launchType() != "EC2" && c.launchType() != "EXTERNAL"
}

func (c *checkContext) launchType() string {
	if c.task != nil && c.task.LaunchType != "" {
		return c.task.LaunchType
	}
	if c.svc != nil {
		if c.svc.LaunchType != "" {
			return c.svc.LaunchType
		}
		for _, cp := range c.svc.CapacityProviders {
			if strings.HasPrefix(cp, "FARGATE") {
				return "FARGATE"
			}
		}
		if len(c.svc.CapacityProviders) > 0 {
			return "EC2"
		}
	}
	if c.td != nil {
		for _, rc := range c.td.RequiresCompatibilities {
			if rc == "FARGATE" {
				return "FARGATE"
			}
		}
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
