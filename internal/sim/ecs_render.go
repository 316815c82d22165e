package sim

import (
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Rendering ECS records as the API returns them. Every call builds fresh
// values, so callers never share state with the simulator.

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return aws.Time(t)
}

func newestFirst(tasks []*task) []*task {
	out := append([]*task(nil), tasks...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].created.After(out[j].created) })
	return out
}

func (a *Account) renderCluster(c *cluster) ecstypes.Cluster {
	out := ecstypes.Cluster{
		ClusterArn: aws.String(c.arn), ClusterName: aws.String(c.name), Status: aws.String("ACTIVE"),
		ActiveServicesCount: int32(len(c.services.order)),
		CapacityProviders:   []string{"FARGATE", "FARGATE_SPOT"},
		Settings:            []ecstypes.ClusterSetting{{Name: ecstypes.ClusterSettingNameContainerInsights, Value: aws.String("disabled")}},
	}
	for _, t := range c.tasks.list() {
		switch {
		case t.lastStatus == "RUNNING":
			out.RunningTasksCount++
		case t.lastStatus == "PROVISIONING" || t.lastStatus == "PENDING":
			out.PendingTasksCount++
		}
	}
	return out
}

func (n netConfig) render() *ecstypes.NetworkConfiguration {
	ip := ecstypes.AssignPublicIpDisabled
	if n.publicIP {
		ip = ecstypes.AssignPublicIpEnabled
	}
	return &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets: cloneStrings(n.subnets), SecurityGroups: cloneStrings(n.groups), AssignPublicIp: ip,
	}}
}

// counts are a deployment's running and pending tasks.
func (a *Account) counts(svc *service, dep *deployment) (running, pending int32) {
	for _, t := range a.live(svc, dep) {
		if t.lastStatus == "RUNNING" {
			running++
		} else {
			pending++
		}
	}
	return running, pending
}

func (a *Account) renderService(svc *service) ecstypes.Service {
	out := ecstypes.Service{
		ServiceArn: aws.String(svc.arn), ServiceName: aws.String(svc.name), ClusterArn: aws.String(svc.cluster.arn),
		Status: aws.String("ACTIVE"), DesiredCount: svc.desired, LaunchType: ecstypes.LaunchType(svc.launchType),
		PlatformVersion: aws.String("LATEST"), PlatformFamily: aws.String("Linux"),
		SchedulingStrategy:   ecstypes.SchedulingStrategyReplica,
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeEcs},
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			MaximumPercent: aws.Int32(200), MinimumHealthyPercent: aws.Int32(100),
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: svc.breaker, Rollback: svc.rollback},
		},
		RoleArn:                       aws.String(a.arn("iam", "", "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")),
		CreatedAt:                     timePtr(svc.created),
		CreatedBy:                     aws.String(a.callerARN()),
		PropagateTags:                 ecstypes.PropagateTagsNone,
		HealthCheckGracePeriodSeconds: aws.Int32(svc.healthGrace),
	}
	for i, d := range svc.deployments {
		running, pending := a.counts(svc, d)
		desired := svc.desired
		if i > 0 {
			desired = running + pending // an old deployment winds down
		}
		out.RunningCount += running
		out.PendingCount += pending
		out.Deployments = append(out.Deployments, ecstypes.Deployment{
			Id: aws.String(d.id), Status: aws.String(d.status), TaskDefinition: aws.String(d.taskDef),
			DesiredCount: desired, RunningCount: running, PendingCount: pending, FailedTasks: d.failed,
			CreatedAt: timePtr(d.created), UpdatedAt: timePtr(d.updated), LaunchType: ecstypes.LaunchType(svc.launchType),
			PlatformVersion: aws.String("1.4.0"), PlatformFamily: aws.String("Linux"), NetworkConfiguration: d.net.render(),
			RolloutState: ecstypes.DeploymentRolloutState(d.rollout), RolloutStateReason: aws.String(d.reason),
		})
	}
	if p := svc.primary(); p != nil {
		out.TaskDefinition = aws.String(p.taskDef)
		out.NetworkConfiguration = p.net.render()
	}
	for _, e := range svc.events {
		out.Events = append(out.Events, ecstypes.ServiceEvent{Id: aws.String(e.id), CreatedAt: aws.Time(e.at), Message: aws.String(e.msg)})
	}
	return out
}

func (a *Account) renderTask(t *task) ecstypes.Task {
	def := t.td.def
	out := ecstypes.Task{
		TaskArn: aws.String(t.arn), ClusterArn: aws.String(t.cluster.arn), TaskDefinitionArn: aws.String(t.td.arn),
		Group: aws.String("service:" + t.svc.name), StartedBy: aws.String(t.dep.id),
		LastStatus: aws.String(t.lastStatus), DesiredStatus: aws.String(t.desired), HealthStatus: ecstypes.HealthStatus(t.health),
		LaunchType: ecstypes.LaunchType(t.svc.launchType), PlatformVersion: aws.String("1.4.0"), PlatformFamily: aws.String("Linux"),
		AvailabilityZone: aws.String(t.subnet.az), Cpu: def.Cpu, Memory: def.Memory, Version: t.version,
		CreatedAt: timePtr(t.created), PullStartedAt: timePtr(t.pullStarted), PullStoppedAt: timePtr(t.pullStopped),
		StartedAt: timePtr(t.started), StoppingAt: timePtr(t.stopping), StoppedAt: timePtr(t.stopped),
		ExecutionStoppedAt: timePtr(t.execStopped), ConnectivityAt: timePtr(t.connected),
		EphemeralStorage: &ecstypes.EphemeralStorage{SizeInGiB: 20},
		Attributes:       []ecstypes.Attribute{{Name: aws.String("ecs.cpu-architecture"), Value: aws.String("x86_64")}},
		Overrides:        &ecstypes.TaskOverride{},
	}
	if !t.connected.IsZero() {
		out.Connectivity = ecstypes.ConnectivityConnected
		if t.lastStatus == "STOPPED" {
			out.Connectivity = ecstypes.ConnectivityDisconnected
		}
	}
	if t.stopCode != "" {
		out.StopCode = ecstypes.TaskStopCode(t.stopCode)
		out.StoppedReason = aws.String(t.stopReason)
	}
	att := ecstypes.Attachment{Id: aws.String(t.attachment), Type: aws.String("ElasticNetworkInterface"),
		Details: []ecstypes.KeyValuePair{{Name: aws.String("subnetId"), Value: aws.String(t.subnet.id)}}}
	switch {
	case t.eni == nil:
		att.Status = aws.String("FAILED")
	case t.lastStatus == "STOPPED":
		att.Status = aws.String("DELETED")
	case t.lastStatus == "PROVISIONING":
		att.Status = aws.String("PRECREATED")
	default:
		att.Status = aws.String("ATTACHED")
	}
	if t.eni != nil {
		att.Details = append(att.Details,
			ecstypes.KeyValuePair{Name: aws.String("networkInterfaceId"), Value: aws.String(t.eni.id)},
			ecstypes.KeyValuePair{Name: aws.String("macAddress"), Value: aws.String(t.eni.mac)},
			ecstypes.KeyValuePair{Name: aws.String("privateDnsName"), Value: aws.String(privateDNSName(t.eni.ip, a.region))},
			ecstypes.KeyValuePair{Name: aws.String("privateIPv4Address"), Value: aws.String(t.eni.ip)},
		)
	}
	out.Attachments = []ecstypes.Attachment{att}
	for _, c := range t.containers {
		oc := ecstypes.Container{
			ContainerArn: aws.String(c.arn), TaskArn: aws.String(t.arn), Name: aws.String(c.name), Image: aws.String(c.image),
			LastStatus: aws.String(c.lastStatus), ExitCode: c.exit, Cpu: aws.String("0"),
		}
		if c.digest != "" {
			oc.ImageDigest = aws.String(c.digest)
		}
		if c.runtimeID != "" {
			oc.RuntimeId = aws.String(c.runtimeID)
		}
		if c.reason != "" {
			oc.Reason = aws.String(c.reason)
		}
		if c.health != "" {
			oc.HealthStatus = ecstypes.HealthStatus(c.health)
		}
		if t.eni != nil {
			oc.NetworkInterfaces = []ecstypes.NetworkInterface{{AttachmentId: aws.String(t.attachment), PrivateIpv4Address: aws.String(t.eni.ip)}}
		}
		out.Containers = append(out.Containers, oc)
		out.Overrides.ContainerOverrides = append(out.Overrides.ContainerOverrides, ecstypes.ContainerOverride{Name: aws.String(c.name)})
	}
	return out
}
