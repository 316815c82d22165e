package motoworld

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

func (v *verifier) taskDefinitions(ctx context.Context) {
	for _, x := range v.sc.World.TaskDefinitions {
		out, err := v.c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(v.w.IDs["taskdef:"+x.Family])})
		v.must(err, "DescribeTaskDefinition")
		td := out.TaskDefinition
		if x.ExecutionRole != "" && aws.ToString(td.ExecutionRoleArn) != v.w.IDs["role:"+x.ExecutionRole] {
			v.t.Errorf("task definition %s: execution role %s", x.Family, aws.ToString(td.ExecutionRoleArn))
		}
		if len(td.ContainerDefinitions) != len(x.Containers) {
			v.t.Fatalf("task definition %s: %d containers, want %d", x.Family, len(td.ContainerDefinitions), len(x.Containers))
		}
		for i, c := range td.ContainerDefinitions {
			where := fmt.Sprintf("task definition %s container %s", x.Family, aws.ToString(c.Name))
			if got := v.resolved(where, aws.ToString(c.Image)); got != v.w.Resolve(x.Containers[i].Image) {
				v.t.Errorf("%s: image %s", where, got)
			}
			for _, e := range c.Environment {
				v.resolved(where, aws.ToString(e.Value))
			}
			for _, s := range c.Secrets {
				v.resolved(where, aws.ToString(s.ValueFrom))
			}
			if c.LogConfiguration != nil {
				for _, o := range c.LogConfiguration.Options {
					v.resolved(where, o)
				}
			}
			if h := x.Containers[i].HealthCheck; h != nil && (c.HealthCheck == nil || !slices.Equal(c.HealthCheck.Command, h.Command)) {
				v.t.Errorf("%s: health check %v", where, c.HealthCheck)
			}
		}
	}
}

// eachHistory calls fn for every service that has a history.
func (v *verifier) eachHistory(fn func(cluster string, s scenario.Service)) {
	for _, c := range v.sc.World.Clusters {
		for _, s := range c.Services {
			if s.History != nil {
				fn(c.Name, s)
			}
		}
	}
}

func (v *verifier) services(ctx context.Context) {
	v.eachHistory(func(cluster string, s scenario.Service) {
		out, err := v.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{s.Name}})
		v.must(err, "DescribeServices")
		svc := out.Services[0]
		h := s.History
		if svc.DesiredCount != s.DesiredCount || svc.RunningCount != h.RunningCount || svc.PendingCount != h.PendingCount {
			v.t.Errorf("service %s: desired/running/pending %d/%d/%d", s.Name, svc.DesiredCount, svc.RunningCount, svc.PendingCount)
		}
		if net := svc.NetworkConfiguration; net == nil || !sameSet(net.AwsvpcConfiguration.Subnets, v.ids("subnet", s.Network.Subnets)) ||
			!sameSet(net.AwsvpcConfiguration.SecurityGroups, v.ids("sg", s.Network.SecurityGroups)) {
			v.t.Errorf("service %s: network configuration %+v", s.Name, svc.NetworkConfiguration)
		}
		if cb := svc.DeploymentConfiguration; s.CircuitBreaker != (cb != nil && cb.DeploymentCircuitBreaker != nil && cb.DeploymentCircuitBreaker.Enable) {
			v.t.Errorf("service %s: deployment configuration %+v, circuit breaker wanted %v", s.Name, cb, s.CircuitBreaker)
		}
		if len(svc.Events) != len(h.Events) {
			v.t.Fatalf("service %s: %d events, want %d", s.Name, len(svc.Events), len(h.Events))
		}
		for i, e := range svc.Events {
			want := v.w.resolveIn(s.Name, nil, h.Events[i].Message)
			if got := v.resolved("service "+s.Name+" event", aws.ToString(e.Message)); got != want {
				v.t.Errorf("service %s event %d: %q, want %q", s.Name, i, got, want)
			}
			v.near(fmt.Sprintf("service %s event %d", s.Name, i), e.CreatedAt, h.Events[i].AgoSeconds)
		}
		if n := len(svc.Events); svc.CreatedAt == nil || (n > 0 && svc.CreatedAt.After(aws.ToTime(svc.Events[n-1].CreatedAt))) {
			v.t.Errorf("service %s: createdAt %v is not before its history", s.Name, svc.CreatedAt)
		}
		d := svc.Deployments[0]
		if aws.ToString(d.Id) != v.w.deployments[s.Name] || d.FailedTasks != h.FailedTasks || d.RunningCount != h.RunningCount ||
			(h.Rollout != "" && string(d.RolloutState) != h.Rollout) {
			v.t.Errorf("service %s: deployment %s rollout %s failed %d running %d", s.Name, aws.ToString(d.Id), d.RolloutState, d.FailedTasks, d.RunningCount)
		}
		v.resolved("service "+s.Name+" rollout reason", aws.ToString(d.RolloutStateReason))
	})
}

// near checks that t is about ago seconds before the world's Now.
func (v *verifier) near(where string, t *time.Time, ago int) {
	v.t.Helper()
	want := v.w.Now.Add(-time.Duration(ago) * time.Second)
	if t == nil || t.Sub(want).Abs() > 2*time.Second {
		v.t.Errorf("%s: time %v, want about %v", where, t, want)
	}
}

func (v *verifier) tasks(ctx context.Context) {
	v.eachHistory(func(cluster string, s scenario.Service) {
		built := v.w.tasks[s.Name]
		var running, stopped, all []string
		for i, t := range s.History.Tasks {
			all = append(all, built[i].arn)
			if t.LastStatus == "STOPPED" {
				stopped = append(stopped, built[i].arn)
			} else {
				running = append(running, built[i].arn)
			}
		}
		for status, want := range map[types.DesiredStatus][]string{types.DesiredStatusStopped: stopped, types.DesiredStatusRunning: running} {
			out, err := v.c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(cluster), ServiceName: aws.String(s.Name), DesiredStatus: status})
			v.must(err, "ListTasks")
			if !sameSet(out.TaskArns, want) {
				v.t.Errorf("service %s: ListTasks %s = %v, want %v", s.Name, status, out.TaskArns, want)
			}
		}
		if len(all) == 0 {
			return
		}
		out, err := v.c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: all})
		v.must(err, "DescribeTasks")
		if len(out.Tasks) != len(all) {
			v.t.Fatalf("service %s: DescribeTasks returned %d of %d tasks", s.Name, len(out.Tasks), len(all))
		}
		for i, t := range s.History.Tasks {
			idx := slices.IndexFunc(out.Tasks, func(x types.Task) bool { return aws.ToString(x.TaskArn) == built[i].arn })
			v.task(fmt.Sprintf("service %s task %d", s.Name, i), s, t, &built[i], out.Tasks[idx])
		}
	})
}

func (v *verifier) task(where string, s scenario.Service, want scenario.Task, built *task, got types.Task) {
	v.t.Helper()
	if aws.ToString(got.LastStatus) != want.LastStatus || string(got.StopCode) != want.StopCode ||
		aws.ToString(got.StoppedReason) != v.w.resolveIn(s.Name, built, want.StoppedReason) ||
		(want.HealthStatus != "" && string(got.HealthStatus) != want.HealthStatus) {
		v.t.Errorf("%s: %s %s %q health %s", where, aws.ToString(got.LastStatus), got.StopCode, aws.ToString(got.StoppedReason), got.HealthStatus)
	}
	v.resolved(where, aws.ToString(got.StoppedReason))
	if aws.ToString(got.Group) != "service:"+s.Name || aws.ToString(got.StartedBy) != v.w.deployments[s.Name] {
		v.t.Errorf("%s: group %s startedBy %s", where, aws.ToString(got.Group), aws.ToString(got.StartedBy))
	}
	if want.LastStatus == "STOPPED" {
		v.near(where+" stoppedAt", got.StoppedAt, want.AgoSeconds)
		if (got.StartedAt == nil) != (want.StopCode == "TaskFailedToStart") {
			v.t.Errorf("%s: startedAt %v for stop code %s", where, got.StartedAt, want.StopCode)
		}
	} else {
		v.near(where+" startedAt", got.StartedAt, want.AgoSeconds)
	}
	for _, wc := range want.Containers {
		i := slices.IndexFunc(got.Containers, func(c types.Container) bool { return aws.ToString(c.Name) == wc.Name })
		if i < 0 {
			v.t.Errorf("%s: no container %s", where, wc.Name)
			continue
		}
		c := got.Containers[i]
		if aws.ToString(c.Reason) != v.w.resolveIn(s.Name, built, wc.Reason) || !slices.Equal(ptrs(c.ExitCode), ptrs(wc.ExitCode)) {
			v.t.Errorf("%s container %s: reason %q exit %v", where, wc.Name, aws.ToString(c.Reason), c.ExitCode)
		}
	}
	subnet := want.Subnet
	if subnet == "" {
		subnet = s.Network.Subnets[0]
	}
	v.taskENI(where, subnet, built.ip, got)
}

// taskENI checks the awsvpc attachment: the task's subnet, and an address
// inside that subnet (the harness's fix of moto's random addresses).
func (v *verifier) taskENI(where, subnet, ip string, got types.Task) {
	var cidr string
	for _, x := range v.sc.World.Subnets {
		if x.Name == subnet {
			cidr = x.CIDR
		}
	}
	details := map[string]string{}
	for _, a := range got.Attachments {
		for _, d := range a.Details {
			details[aws.ToString(d.Name)] = aws.ToString(d.Value)
		}
	}
	addr, err := netip.ParseAddr(details["privateIPv4Address"])
	if details["subnetId"] != v.w.IDs["subnet:"+subnet] || err != nil || addr.String() != ip ||
		!netip.MustParsePrefix(cidr).Contains(addr) {
		v.t.Errorf("%s: ENI %v, want subnet %s (%s)", where, details, subnet, cidr)
	}
}

func ptrs(p *int32) []int32 {
	if p == nil {
		return nil
	}
	return []int32{*p}
}

func (v *verifier) logs(ctx context.Context) {
	v.eachHistory(func(cluster string, s scenario.Service) {
		var td scenario.TaskDefinition
		for _, x := range v.sc.World.TaskDefinitions {
			if x.Family == s.TaskDefinition {
				td = x
			}
		}
		for i, t := range s.History.Tasks {
			if len(t.Logs) == 0 {
				continue
			}
			c := td.Containers[slices.IndexFunc(td.Containers, func(c facts.ContainerDefinition) bool { return c.Log != nil })]
			built := &v.w.tasks[s.Name][i]
			out, err := v.c.logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
				LogGroupName:  aws.String(v.w.Resolve(c.Log.Options["awslogs-group"])),
				LogStreamName: aws.String(v.w.Resolve(c.Log.Options["awslogs-stream-prefix"]) + "/" + c.Name + "/" + built.id),
				StartFromHead: aws.Bool(true),
			})
			v.must(err, "GetLogEvents")
			var got []string
			for _, e := range out.Events {
				got = append(got, v.resolved("log line", aws.ToString(e.Message)))
			}
			var want []string
			for _, line := range t.Logs {
				want = append(want, v.w.resolveIn(s.Name, built, line))
			}
			if !slices.Equal(got, want) {
				v.t.Errorf("service %s task %d logs:\n got %q\nwant %q", s.Name, i, got, want)
			}
		}
	})
}
