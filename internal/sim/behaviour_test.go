package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// The scheduler's behaviour over time, and the network rules beyond the
// built-in scenarios.

func TestTaskShape(t *testing.T) {
	e := newEnv(t, "endpoint-other-sg")
	s := e.svc()
	for _, tk := range e.tasks(ecstypes.DesiredStatusStopped) {
		if aws.ToString(tk.Group) != "service:task-service" || aws.ToString(tk.StartedBy) != aws.ToString(s.Deployments[0].Id) {
			t.Errorf("group %q startedBy %q", aws.ToString(tk.Group), aws.ToString(tk.StartedBy))
		}
		d := map[string]string{}
		for _, kv := range tk.Attachments[0].Details {
			d[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		}
		subnet := ""
		for _, name := range []string{"private-a", "private-b"} {
			if e.id("subnet", name) == d["subnetId"] {
				subnet = name
			}
		}
		var cidr string
		for _, sn := range e.sc.World.Subnets {
			if sn.Name == subnet {
				cidr = sn.CIDR
			}
		}
		if subnet == "" || !containsIP(cidr, d["privateIPv4Address"]) || !strings.HasPrefix(d["networkInterfaceId"], "eni-0") {
			t.Errorf("ENI details %v", d)
		}
		if tk.CreatedAt == nil || tk.StoppedAt == nil || tk.StoppingAt == nil || !tk.StoppedAt.After(*tk.CreatedAt) || tk.StartedAt != nil {
			t.Errorf("times of a task that never started: created %v stopping %v stopped %v started %v", tk.CreatedAt, tk.StoppingAt, tk.StoppedAt, tk.StartedAt)
		}
		// A stopped task's interface is gone.
		if _, err := e.r.EC2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{d["networkInterfaceId"]}}); code(err) != "InvalidNetworkInterfaceID.NotFound" {
			t.Errorf("stopped task's ENI: %v", err)
		}
	}
	// Tasks go PROVISIONING -> PENDING -> STOPPED over simulated seconds.
	e.forceDeploy()
	seen := map[string]bool{}
	for i := 0; i < 12; i++ {
		e.clock.Advance(5 * time.Second)
		for _, tk := range append(e.tasks(ecstypes.DesiredStatusRunning), e.tasks(ecstypes.DesiredStatusStopped)[0]) {
			seen[aws.ToString(tk.LastStatus)] = true
		}
	}
	for _, st := range []string{"PROVISIONING", "PENDING", "STOPPED"} {
		if !seen[st] {
			t.Errorf("never saw a task %s (saw %v)", st, seen)
		}
	}
}

// ECS forgets stopped tasks after about an hour; events stay newest first
// and at most 100.
func TestTimePasses(t *testing.T) {
	e := newEnv(t, "no-endpoints")
	first := e.tasks(ecstypes.DesiredStatusStopped)
	e.clock.Advance(3 * time.Hour)
	later := e.tasks(ecstypes.DesiredStatusStopped)
	for _, old := range first {
		for _, now := range later {
			if aws.ToString(old.TaskArn) == aws.ToString(now.TaskArn) {
				t.Errorf("task stopped 3 hours ago is still listed")
			}
		}
	}
	if len(later) < 30 {
		t.Errorf("only %d stopped tasks in the last hour of retries every ~20 s", len(later))
	}
	s := e.svc()
	if len(s.Events) != 100 {
		t.Errorf("%d events, want the newest 100", len(s.Events))
	}
	for i := 1; i < len(s.Events); i++ {
		if s.Events[i].CreatedAt.After(*s.Events[i-1].CreatedAt) {
			t.Fatalf("events not newest first at %d", i)
		}
	}
	throttled := false
	for _, ev := range s.Events {
		throttled = throttled || strings.Contains(aws.ToString(ev.Message), "is unable to consistently start tasks successfully")
	}
	if !throttled {
		t.Errorf("hours of failures, and no 'unable to consistently start tasks' among the last 100 events")
	}
	if f := s.Deployments[0].FailedTasks; f < 100 {
		t.Errorf("failedTasks %d after hours of failures", f)
	}
}

// A new deployment replaces the old one's tasks; a new desired count only
// resizes; extra tasks stop with "Scaling activity".
func TestDeploymentsAndScaling(t *testing.T) {
	e := newEnv(t, "healthy-nat")
	old := e.tasks(ecstypes.DesiredStatusRunning)
	since := e.clock.Now()
	e.forceDeploy()
	s := e.svc()
	if len(s.Deployments) != 2 || aws.ToString(s.Deployments[0].Status) != "PRIMARY" || aws.ToString(s.Deployments[1].Status) != "ACTIVE" ||
		s.Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateInProgress {
		t.Fatalf("deployments right after a forced deployment: %+v", s.Deployments)
	}
	e.clock.Advance(time.Second)
	if s := e.svc(); s.PendingCount != 2 || s.RunningCount != 2 {
		t.Errorf("while replacing: running %d pending %d", s.RunningCount, s.PendingCount)
	}
	s = e.settle(since, 5*time.Minute)
	for _, o := range old {
		for _, tk := range e.tasks(ecstypes.DesiredStatusStopped) {
			if aws.ToString(tk.TaskArn) == aws.ToString(o.TaskArn) && aws.ToString(tk.StoppedReason) != msgScaling(aws.ToString(s.Deployments[0].Id)) {
				t.Errorf("old task stopped with %q", aws.ToString(tk.StoppedReason))
			}
		}
	}
	resize := func(n int32) {
		if _, err := e.w.ECS.UpdateService(approved("ecs:UpdateService"), &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String(e.service), DesiredCount: aws.Int32(n)}); err != nil {
			t.Fatal(err)
		}
	}
	dep := aws.ToString(s.Deployments[0].Id)
	resize(3)
	s = e.settle(e.clock.Now(), 5*time.Minute)
	if len(s.Deployments) != 1 || aws.ToString(s.Deployments[0].Id) != dep || s.RunningCount != 3 {
		t.Errorf("scaling out: %d deployments, running %d", len(s.Deployments), s.RunningCount)
	}
	resize(1)
	e.clock.Advance(time.Minute)
	if s = e.svc(); s.RunningCount != 1 {
		t.Errorf("scaling in: running %d", s.RunningCount)
	}
}

// healthyWorld is healthy-nat, changed by the test.
func healthyWorld(t *testing.T, change func(*scenario.Scenario)) *env {
	sc, err := scenario.ByName("healthy-nat")
	if err != nil {
		t.Fatal(err)
	}
	change(sc)
	return envFor(t, sc)
}

// Without VPC DNS no name resolves; turning it on fixes the next attempt.
func TestDNSOff(t *testing.T) {
	off := false
	e := healthyWorld(t, func(sc *scenario.Scenario) { sc.World.VPCs[0].DNSSupport = &off })
	f := e.failed()
	// The first thing the task fetches (its secret) cannot be reached.
	if f == nil || family(aws.ToString(f.StoppedReason)) != "secrets-network" {
		t.Fatalf("with DNS off: %v", reasonOf(f))
	}
	if _, err := e.w.EC2.ModifyVpcAttribute(approved("ec2:ModifyVpcAttribute"), &ec2.ModifyVpcAttributeInput{
		VpcId: aws.String(e.id("vpc", "shop-vpc")), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)},
	}); err != nil {
		t.Fatal(err)
	}
	e.settle(e.clock.Now(), 5*time.Minute)
}

// Network ACLs are stateless: allowing 443 out is not enough without the
// replies coming back in on ephemeral ports.
func TestStatelessACL(t *testing.T) {
	e := healthyWorld(t, func(sc *scenario.Scenario) {
		sc.World.NetworkACLs = append(sc.World.NetworkACLs, scenario.NetworkACL{
			Name: "strict", VPC: "shop-vpc", Subnets: []string{"private-a", "private-b"},
			Entries: []scenario.NACLEntry{
				{Rule: 100, Egress: true, Protocol: "tcp", Action: "allow", CIDR: "0.0.0.0/0", FromPort: 443, ToPort: 443},
				{Rule: 100, Protocol: "tcp", Action: "allow", CIDR: "10.0.0.0/16", FromPort: 0, ToPort: 65535},
			},
		})
	})
	if f := e.failed(); f == nil || (family(aws.ToString(f.StoppedReason)) != "secrets-network" && family(aws.ToString(f.StoppedReason)) != "registry-auth-network") {
		t.Fatalf("with replies dropped: %v", f)
	}
	if s := e.svc(); s.RunningCount != 0 {
		t.Errorf("running %d behind a one-way ACL", s.RunningCount)
	}
}

// An execution role ECS cannot assume stops the scheduler before any task
// exists, with ECS's event.
func TestRoleNotTrusted(t *testing.T) {
	e := healthyWorld(t, func(sc *scenario.Scenario) { sc.World.Roles[0].TrustService = "ec2.amazonaws.com" })
	if n := len(e.tasks(ecstypes.DesiredStatusStopped)) + len(e.tasks(ecstypes.DesiredStatusRunning)); n != 0 {
		t.Errorf("%d tasks with an untrusted role", n)
	}
	want := evCannotAssume("orders-api", e.id("role", "ordersTaskExecutionRole"))
	if ev := e.svc().Events; len(ev) == 0 || aws.ToString(ev[0].Message) != want {
		t.Errorf("newest event %v, want %q", ev, want)
	}
}

// A missing image tag and a missing log group give their own texts.
func TestMissingThings(t *testing.T) {
	e := healthyWorld(t, func(sc *scenario.Scenario) { sc.World.Repositories[0].Images[0].Tag = "3.1.9" })
	if f := e.failed(); f == nil || aws.ToString(f.StoppedReason) != msgPullNotFound("123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:3.2.0") {
		t.Errorf("missing tag: %v", f)
	}
	e = healthyWorld(t, func(sc *scenario.Scenario) { sc.World.LogGroups = nil })
	if f := e.failed(); f == nil || aws.ToString(f.StoppedReason) != msgLogGroupMissing() {
		t.Errorf("missing log group: %v", f)
	}
	if _, err := e.w.Logs.CreateLogGroup(approved("logs:CreateLogGroup"), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/orders-api")}); err != nil {
		t.Fatal(err)
	}
	e.settle(e.clock.Now(), 5*time.Minute)
}

// A subnet runs out of addresses: the task that gets none stops at once.
func TestSubnetFull(t *testing.T) {
	e := healthyWorld(t, func(sc *scenario.Scenario) {
		sc.World.Subnets[1].CIDR = "10.0.10.0/28" // 16 addresses, 11 usable
		s := &sc.World.Clusters[0].Services[0]
		s.DesiredCount, s.Network.Subnets, s.History = 12, []string{"private-a"}, nil
	})
	if s := e.svc(); s.RunningCount != 11 {
		t.Errorf("running %d in a subnet of 11 addresses", s.RunningCount)
	}
	f := e.failed()
	if f == nil || aws.ToString(f.StoppedReason) != msgNoAddresses(e.id("subnet", "private-a"), false) || f.StopCode != ecstypes.TaskStopCodeTaskFailedToStart {
		t.Errorf("no addresses: %v", f)
	}
	out, err := e.r.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{e.id("subnet", "private-a")}})
	if err != nil || aws.ToInt32(out.Subnets[0].AvailableIpAddressCount) != 0 {
		t.Errorf("AvailableIpAddressCount: %v %v", out, err)
	}
}

func reasonOf(t *ecstypes.Task) string {
	if t == nil {
		return "(no failed task)"
	}
	return aws.ToString(t.StoppedReason)
}
