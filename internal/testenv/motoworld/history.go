package motoworld

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
)

// history replays what the ECS scheduler did for each service: moto's
// services never launch tasks (moto.md), so the builder runs them itself
// as the scheduler would, then injects what moto cannot set.
func (b *builder) history(ctx context.Context) error {
	for _, c := range b.sc.World.Clusters {
		for _, s := range c.Services {
			if s.History == nil {
				continue
			}
			if err := b.serviceHistory(ctx, c.Name, s); err != nil {
				return fmt.Errorf("service %s: %w", s.Name, err)
			}
		}
	}
	return nil
}

func (b *builder) serviceHistory(ctx context.Context, cluster string, s scenario.Service) error {
	td := b.taskDefinition(s.TaskDefinition)
	// Run every task first so that any task's strings may name any other
	// ({{task:N}}), as a service event names the task it is about.
	for i, t := range s.History.Tasks {
		tk, err := b.runTask(ctx, cluster, s, t)
		if err != nil {
			return fmt.Errorf("task %d: %w", i, err)
		}
		b.w.tasks[s.Name] = append(b.w.tasks[s.Name], tk)
		b.w.IDs[fmt.Sprintf("task:%s/%d", s.Name, i)] = tk.arn
	}
	for i, t := range s.History.Tasks {
		tk := b.w.tasks[s.Name][i]
		times := timeline(b.w.Now, t)
		if err := b.settleTask(ctx, cluster, s.Name, td, t, tk, times); err != nil {
			return fmt.Errorf("task %d: %w", i, err)
		}
		if err := b.writeLogs(ctx, s.Name, td, t, tk, times); err != nil {
			return fmt.Errorf("task %d logs: %w", i, err)
		}
	}
	return b.injectService(ctx, cluster, s)
}

func (b *builder) taskDefinition(family string) *scenario.TaskDefinition {
	for i := range b.sc.World.TaskDefinitions {
		if b.sc.World.TaskDefinitions[i].Family == family {
			return &b.sc.World.TaskDefinitions[i]
		}
	}
	return nil // Validate guarantees it exists
}

// runTask starts a task as the service's scheduler would: its group,
// its deployment as startedBy, its groups in the task's subnet.
func (b *builder) runTask(ctx context.Context, cluster string, s scenario.Service, t scenario.Task) (task, error) {
	subnet := t.Subnet
	if subnet == "" && len(s.Network.Subnets) > 0 {
		subnet = s.Network.Subnets[0]
	}
	net, err := b.network(s.Network, []string{subnet})
	if err != nil {
		return task{}, err
	}
	out, err := b.c.ecs.RunTask(ctx, &ecs.RunTaskInput{
		Cluster:              aws.String(cluster),
		TaskDefinition:       aws.String(b.w.IDs["taskdef:"+s.TaskDefinition]),
		LaunchType:           types.LaunchType(orDefault(s.LaunchType, "FARGATE")),
		NetworkConfiguration: net,
		Group:                aws.String("service:" + s.Name),
		StartedBy:            aws.String(b.w.deployments[s.Name]),
		Count:                aws.Int32(1),
	})
	if err != nil {
		return task{}, err
	}
	if len(out.Tasks) != 1 {
		return task{}, fmt.Errorf("RunTask started %d tasks (failures: %d)", len(out.Tasks), len(out.Failures))
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	tk := task{arn: arn, id: arn[strings.LastIndexByte(arn, '/')+1:]}
	for _, a := range out.Tasks[0].Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				tk.ip = aws.ToString(d.Value)
			}
		}
	}
	return tk, nil
}

// times is a task's life; a zero time is one the task never reached.
type times struct {
	created, started, stopping, stopped time.Time
}

// timeline places a task in time: a running task started AgoSeconds ago
// after a 30 s pull; a stopped task stopped AgoSeconds ago, 90 s after it
// was created, and started 30 s after creation unless it failed to start.
func timeline(now time.Time, t scenario.Task) times {
	at := now.Add(-time.Duration(t.AgoSeconds) * time.Second)
	if t.LastStatus != "STOPPED" {
		return times{created: at.Add(-30 * time.Second), started: at}
	}
	tt := times{created: at.Add(-90 * time.Second), stopping: at.Add(-5 * time.Second), stopped: at}
	if t.StopCode != "TaskFailedToStart" {
		tt.started = tt.created.Add(30 * time.Second)
	}
	return tt
}

// settleTask stops a STOPPED task through the API, then injects the state
// AWS would show and moto cannot produce.
func (b *builder) settleTask(ctx context.Context, cluster, service string, td *scenario.TaskDefinition, t scenario.Task, tk task, tt times) error {
	resolve := func(s string) string { return b.w.resolveIn(service, &tk, s) }
	desired := "RUNNING"
	if t.LastStatus == "STOPPED" {
		desired = "STOPPED"
		if _, err := b.c.ecs.StopTask(ctx, &ecs.StopTaskInput{
			Cluster: aws.String(cluster), Task: aws.String(tk.arn), Reason: aws.String(resolve(t.StoppedReason)),
		}); err != nil {
			return err
		}
	}
	p := moto.TaskPatch{
		Cluster: cluster, Task: tk.arn,
		LastStatus: t.LastStatus, DesiredStatus: desired,
		StopCode: t.StopCode, StoppedReason: resolve(t.StoppedReason), HealthStatus: t.HealthStatus,
		CreatedAt: moto.At(tt.created), StartedAt: moto.At(tt.started),
	}
	if t.LastStatus == "STOPPED" {
		p.StoppingAt, p.StoppedAt = moto.At(tt.stopping), moto.At(tt.stopped)
	}
	// Every container follows the task; those with a health check report
	// the task's health. The scenario's container entries then override.
	byName := map[string]int{}
	for _, c := range td.Containers {
		cp := moto.ContainerPatch{Name: c.Name, LastStatus: t.LastStatus}
		if c.HealthCheck != nil {
			cp.HealthStatus = t.HealthStatus
		}
		byName[c.Name] = len(p.Containers)
		p.Containers = append(p.Containers, cp)
	}
	for _, o := range t.Containers {
		i, ok := byName[o.Name]
		if !ok {
			return fmt.Errorf("task definition %s has no container %q", td.Family, o.Name)
		}
		cp := &p.Containers[i]
		cp.LastStatus = orDefault(o.LastStatus, cp.LastStatus)
		cp.HealthStatus = orDefault(o.HealthStatus, cp.HealthStatus)
		cp.Reason = resolve(o.Reason)
		cp.ExitCode = o.ExitCode
	}
	return b.srv.InjectTask(ctx, p)
}

// injectService sets counts, rollout and events, which moto never changes.
func (b *builder) injectService(ctx context.Context, cluster string, s scenario.Service) error {
	h := s.History
	resolve := func(str string) string { return b.w.resolveIn(s.Name, nil, str) }
	oldest := 0
	p := moto.ServicePatch{Cluster: cluster, Service: s.Name, RunningCount: &h.RunningCount, PendingCount: &h.PendingCount}
	for _, e := range h.Events {
		p.Events = append(p.Events, moto.Event{
			CreatedAt: moto.At(b.w.Now.Add(-time.Duration(e.AgoSeconds) * time.Second)),
			Message:   resolve(e.Message),
		})
		oldest = max(oldest, e.AgoSeconds)
	}
	for _, t := range h.Tasks {
		oldest = max(oldest, t.AgoSeconds+90) // a stopped task was created 90 s before it stopped
	}
	// The service and its deployment began before anything in the history.
	began := moto.At(b.w.Now.Add(-time.Duration(oldest+60) * time.Second))
	p.CreatedAt = began
	dep := &moto.DeploymentPatch{
		RolloutState:       h.Rollout,
		RolloutStateReason: resolve(h.RolloutReason),
		FailedTasks:        &h.FailedTasks,
		CreatedAt:          began,
	}
	if dep.RolloutStateReason == "" {
		dep.RolloutStateReason = defaultRolloutReason(h.Rollout, b.w.deployments[s.Name])
	}
	p.Deployment = dep
	return b.srv.InjectService(ctx, p)
}

// defaultRolloutReason is what ECS writes for a rollout state when the
// scenario does not say.
func defaultRolloutReason(state, deployment string) string {
	switch state {
	case "COMPLETED":
		return "ECS deployment " + deployment + " completed."
	case "IN_PROGRESS":
		return "ECS deployment " + deployment + " in progress."
	case "FAILED":
		return "ECS deployment circuit breaker: tasks failed to start."
	}
	return ""
}
