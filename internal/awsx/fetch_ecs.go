package awsx

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// fetchService describes the service; an unknown cluster or service is bad
// input, not a finding, because nothing else can be diagnosed.
func (st *gathering) fetchService(ctx context.Context, cluster, service string) (*facts.Service, error) {
	out, err := st.g.R.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		if ErrorCode(err) == "ClusterNotFoundException" {
			return nil, &InputError{Message: fmt.Sprintf("unknown cluster %q in %s: check the name with `aws ecs list-clusters --region %s`", cluster, st.g.R.Region, st.g.R.Region)}
		}
		return nil, err
	}
	for _, s := range out.Services {
		// An INACTIVE (deleted) service is still described for a while; it
		// is diagnosed, and the events step says what happened to it.
		if aws.ToString(s.ServiceName) == lastSegment(service) || aws.ToString(s.ServiceArn) == service {
			return convertService(s), nil
		}
	}
	return nil, &InputError{Message: fmt.Sprintf("unknown service %q in cluster %q: check the name with `aws ecs list-services --cluster %s`", lastSegment(service), cluster, cluster)}
}

func convertService(s ecstypes.Service) *facts.Service {
	svc := &facts.Service{
		Name:                          aws.ToString(s.ServiceName),
		ARN:                           aws.ToString(s.ServiceArn),
		ClusterARN:                    aws.ToString(s.ClusterArn),
		Status:                        aws.ToString(s.Status),
		DesiredCount:                  s.DesiredCount,
		RunningCount:                  s.RunningCount,
		PendingCount:                  s.PendingCount,
		LaunchType:                    string(s.LaunchType),
		PlatformVersion:               aws.ToString(s.PlatformVersion),
		TaskDefinition:                aws.ToString(s.TaskDefinition),
		Network:                       convertNetworkConfig(s.NetworkConfiguration),
		HealthCheckGracePeriodSeconds: aws.ToInt32(s.HealthCheckGracePeriodSeconds),
		EnableExecuteCommand:          s.EnableExecuteCommand,
		CreatedAt:                     s.CreatedAt,
	}
	for _, cp := range s.CapacityProviderStrategy {
		svc.CapacityProviders = append(svc.CapacityProviders, aws.ToString(cp.CapacityProvider))
	}
	for _, d := range s.Deployments {
		svc.Deployments = append(svc.Deployments, facts.Deployment{
			ID:                 aws.ToString(d.Id),
			Status:             aws.ToString(d.Status),
			RolloutState:       string(d.RolloutState),
			RolloutStateReason: aws.ToString(d.RolloutStateReason),
			TaskDefinition:     aws.ToString(d.TaskDefinition),
			DesiredCount:       d.DesiredCount,
			RunningCount:       d.RunningCount,
			PendingCount:       d.PendingCount,
			FailedTasks:        d.FailedTasks,
			LaunchType:         string(d.LaunchType),
			Network:            convertNetworkConfig(d.NetworkConfiguration),
			CreatedAt:          d.CreatedAt,
			UpdatedAt:          d.UpdatedAt,
		})
	}
	for _, e := range s.Events {
		svc.Events = append(svc.Events, facts.ServiceEvent{ID: aws.ToString(e.Id), CreatedAt: e.CreatedAt, Message: aws.ToString(e.Message)})
	}
	// ECS returns events newest first; keep that order even if a source does not.
	sort.SliceStable(svc.Events, func(i, j int) bool { return after(svc.Events[i].CreatedAt, svc.Events[j].CreatedAt) })
	for _, lb := range s.LoadBalancers {
		svc.LoadBalancers = append(svc.LoadBalancers, facts.LoadBalancer{
			TargetGroupARN: aws.ToString(lb.TargetGroupArn),
			ContainerName:  aws.ToString(lb.ContainerName),
			ContainerPort:  aws.ToInt32(lb.ContainerPort),
		})
	}
	if dc := s.DeploymentConfiguration; dc != nil && dc.DeploymentCircuitBreaker != nil {
		svc.CircuitBreaker = &facts.CircuitBreaker{Enable: dc.DeploymentCircuitBreaker.Enable, Rollback: dc.DeploymentCircuitBreaker.Rollback}
	}
	for _, r := range s.ServiceRegistries {
		svc.ServiceRegistries = append(svc.ServiceRegistries, aws.ToString(r.RegistryArn))
	}
	return svc
}

func convertNetworkConfig(nc *ecstypes.NetworkConfiguration) *facts.AwsVpcConfig {
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return nil
	}
	return &facts.AwsVpcConfig{
		Subnets:        nc.AwsvpcConfiguration.Subnets,
		SecurityGroups: nc.AwsvpcConfiguration.SecurityGroups,
		AssignPublicIP: nc.AwsvpcConfiguration.AssignPublicIp == ecstypes.AssignPublicIpEnabled,
	}
}

// listTaskARNs lists up to max task ARNs of the service with that desired status.
func (st *gathering) listTaskARNs(ctx context.Context, cluster, service string, status ecstypes.DesiredStatus) ([]string, error) {
	max := st.g.MaxTasks
	if max <= 0 {
		max = 100
	}
	p := ecs.NewListTasksPaginator(st.g.R.ECS, &ecs.ListTasksInput{
		Cluster: aws.String(cluster), ServiceName: aws.String(service), DesiredStatus: status, MaxResults: aws.Int32(100),
	})
	var arns []string
	for p.HasMorePages() && len(arns) < max {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		arns = append(arns, page.TaskArns...)
	}
	if len(arns) > max {
		arns = arns[:max]
	}
	return arns, nil
}

// describeTasks describes tasks in batches of 100 (the API's limit),
// concurrently, and returns them newest first.
func (st *gathering) describeTasks(ctx context.Context, cluster string, arns []string) ([]facts.Task, []string, error) {
	batches := chunk(dedupe(arns), 100)
	results := make([][]facts.Task, len(batches))
	missing := make([][]string, len(batches))
	eg, ctx := errgroup.WithContext(ctx)
	for i, b := range batches {
		eg.Go(func() error {
			out, err := st.g.R.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: b})
			if err != nil {
				return err
			}
			for _, t := range out.Tasks {
				results[i] = append(results[i], convertTask(t))
			}
			for _, f := range out.Failures {
				missing[i] = append(missing[i], aws.ToString(f.Arn))
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, nil, err
	}
	var tasks []facts.Task
	var notFound []string
	for i := range batches {
		tasks = append(tasks, results[i]...)
		notFound = append(notFound, missing[i]...)
	}
	sort.SliceStable(tasks, func(i, j int) bool { return after(taskTime(tasks[i]), taskTime(tasks[j])) })
	return tasks, notFound, nil
}

func convertTask(t ecstypes.Task) facts.Task {
	ft := facts.Task{
		ARN:               aws.ToString(t.TaskArn),
		ClusterARN:        aws.ToString(t.ClusterArn),
		TaskDefinitionARN: aws.ToString(t.TaskDefinitionArn),
		Group:             aws.ToString(t.Group),
		StartedBy:         aws.ToString(t.StartedBy),
		LastStatus:        aws.ToString(t.LastStatus),
		DesiredStatus:     aws.ToString(t.DesiredStatus),
		HealthStatus:      string(t.HealthStatus),
		StopCode:          string(t.StopCode),
		StoppedReason:     aws.ToString(t.StoppedReason),
		LaunchType:        string(t.LaunchType),
		PlatformVersion:   aws.ToString(t.PlatformVersion),
		AvailabilityZone:  aws.ToString(t.AvailabilityZone),
		CreatedAt:         t.CreatedAt,
		StartedAt:         t.StartedAt,
		StoppedAt:         t.StoppedAt,
	}
	ft.ID = lastSegment(ft.ARN)
	for _, c := range t.Containers {
		ft.Containers = append(ft.Containers, facts.Container{
			Name:         aws.ToString(c.Name),
			Image:        aws.ToString(c.Image),
			ImageDigest:  aws.ToString(c.ImageDigest),
			LastStatus:   aws.ToString(c.LastStatus),
			ExitCode:     c.ExitCode,
			Reason:       aws.ToString(c.Reason),
			HealthStatus: string(c.HealthStatus),
		})
	}
	for _, a := range t.Attachments {
		if aws.ToString(a.Type) != "ElasticNetworkInterface" {
			continue
		}
		eni := &facts.TaskENI{}
		for _, d := range a.Details {
			switch aws.ToString(d.Name) {
			case "networkInterfaceId":
				eni.ID = aws.ToString(d.Value)
			case "subnetId":
				eni.SubnetID = aws.ToString(d.Value)
			case "privateIPv4Address":
				eni.PrivateIPv4 = aws.ToString(d.Value)
			}
		}
		ft.ENI = eni
	}
	return ft
}

func (st *gathering) fetchTaskDefinition(ctx context.Context, arn string) (*facts.TaskDefinition, error) {
	out, err := st.g.R.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	if out.TaskDefinition == nil {
		return nil, fmt.Errorf("ecs:DescribeTaskDefinition returned no task definition for %s", arn)
	}
	return convertTaskDefinition(out.TaskDefinition), nil
}

func convertTaskDefinition(t *ecstypes.TaskDefinition) *facts.TaskDefinition {
	td := &facts.TaskDefinition{
		ARN:              aws.ToString(t.TaskDefinitionArn),
		Family:           aws.ToString(t.Family),
		Revision:         t.Revision,
		ExecutionRoleARN: aws.ToString(t.ExecutionRoleArn),
		TaskRoleARN:      aws.ToString(t.TaskRoleArn),
		NetworkMode:      string(t.NetworkMode),
		CPU:              aws.ToString(t.Cpu),
		Memory:           aws.ToString(t.Memory),
	}
	for _, c := range t.RequiresCompatibilities {
		td.RequiresCompatibilities = append(td.RequiresCompatibilities, string(c))
	}
	if rp := t.RuntimePlatform; rp != nil {
		td.CPUArchitecture = string(rp.CpuArchitecture)
		td.OSFamily = string(rp.OperatingSystemFamily)
	}
	for _, c := range t.ContainerDefinitions {
		td.Containers = append(td.Containers, convertContainerDefinition(c))
	}
	for _, v := range t.Volumes {
		fv := facts.Volume{Name: aws.ToString(v.Name)}
		if v.EfsVolumeConfiguration != nil {
			fv.EFSFileSystemID = aws.ToString(v.EfsVolumeConfiguration.FileSystemId)
		}
		td.Volumes = append(td.Volumes, fv)
	}
	return td
}

func convertContainerDefinition(c ecstypes.ContainerDefinition) facts.ContainerDefinition {
	fc := facts.ContainerDefinition{
		Name:              aws.ToString(c.Name),
		Image:             aws.ToString(c.Image),
		Essential:         c.Essential == nil || *c.Essential, // ECS's default is essential
		CPU:               c.Cpu,
		Memory:            aws.ToInt32(c.Memory),
		MemoryReservation: aws.ToInt32(c.MemoryReservation),
		EntryPoint:        c.EntryPoint,
		Command:           c.Command,
	}
	for _, kv := range c.Environment {
		fc.Environment = append(fc.Environment, facts.KeyValue{Name: aws.ToString(kv.Name), Value: aws.ToString(kv.Value)})
	}
	for _, ef := range c.EnvironmentFiles {
		fc.EnvironmentFiles = append(fc.EnvironmentFiles, aws.ToString(ef.Value))
	}
	for _, s := range c.Secrets {
		fc.Secrets = append(fc.Secrets, facts.SecretRef{Name: aws.ToString(s.Name), ValueFrom: aws.ToString(s.ValueFrom)})
	}
	if c.RepositoryCredentials != nil {
		fc.RepositoryCredentials = aws.ToString(c.RepositoryCredentials.CredentialsParameter)
	}
	if lc := c.LogConfiguration; lc != nil {
		fc.Log = &facts.LogConfiguration{Driver: string(lc.LogDriver), Options: lc.Options}
	}
	if hc := c.HealthCheck; hc != nil {
		fc.HealthCheck = &facts.HealthCheck{
			Command:     hc.Command,
			Interval:    aws.ToInt32(hc.Interval),
			Timeout:     aws.ToInt32(hc.Timeout),
			Retries:     aws.ToInt32(hc.Retries),
			StartPeriod: aws.ToInt32(hc.StartPeriod),
		}
	}
	for _, pm := range c.PortMappings {
		fc.PortMappings = append(fc.PortMappings, facts.PortMapping{
			ContainerPort: aws.ToInt32(pm.ContainerPort),
			HostPort:      aws.ToInt32(pm.HostPort),
			Protocol:      string(pm.Protocol),
		})
	}
	return fc
}

func taskTime(t facts.Task) *time.Time {
	for _, tm := range []*time.Time{t.StoppedAt, t.StartedAt, t.CreatedAt} {
		if tm != nil {
			return tm
		}
	}
	return nil
}

// after orders times newest first, unknown times last.
func after(a, b *time.Time) bool {
	switch {
	case a == nil:
		return false
	case b == nil:
		return true
	}
	return a.After(*b)
}

func chunk[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// serviceTasks keeps the tasks the service started. ListTasks' serviceName
// filter should already guarantee it, but not every API implementation
// honours it, and another service's task would mislead. ECS marks a
// service's tasks twice: group "service:NAME" and startedBy the deployment
// id. Tasks that carry neither mark (started by hand, or by a tool that
// sets neither) are kept only when no task is marked at all: then the list
// is all there is to go on.
func serviceTasks(all []facts.Task, service string, deployments []string) []facts.Task {
	var marked, unmarked []facts.Task
	for _, t := range all {
		switch {
		case t.Group == "service:"+service || (t.StartedBy != "" && contains(deployments, t.StartedBy)):
			marked = append(marked, t)
		case !strings.HasPrefix(t.Group, "service:") && !strings.HasPrefix(t.StartedBy, "ecs-svc/"):
			unmarked = append(unmarked, t)
		}
	}
	if len(marked) > 0 {
		return marked
	}
	return unmarked
}
