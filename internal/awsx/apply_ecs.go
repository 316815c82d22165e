package awsx

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/change"
)

func (a *Applier) describeService(ctx context.Context, cluster, service string) (*ecstypes.Service, error) {
	out, err := a.R.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		return nil, err
	}
	if len(out.Services) == 0 {
		return nil, fmt.Errorf("service %s not found in cluster %s", service, cluster)
	}
	return &out.Services[0], nil
}

// updateService sends UpdateService (which has no DryRun) through send.
func (a *Applier) updateService(ctx context.Context, st *applyState, in *ecs.UpdateServiceInput, rec *CallRecord) (bool, error) {
	return st.send(rec, in, noDryRun, func() error {
		_, err := a.W.ECS.UpdateService(ctx, in)
		return err
	})
}

func (a *Applier) updateServiceNetwork(ctx context.Context, st *applyState, x change.UpdateServiceNetwork, rec *CallRecord) error {
	svc, err := a.describeService(ctx, x.Cluster, x.Service)
	if err != nil {
		return err
	}
	rec.Resource = aws.ToString(svc.ServiceArn)
	want := ecstypes.AssignPublicIpDisabled
	if x.AssignPublicIP {
		want = ecstypes.AssignPublicIpEnabled
	}
	prev := "DISABLED"
	if nc := svc.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
		cur := nc.AwsvpcConfiguration
		prev = string(cur.AssignPublicIp)
		if cur.AssignPublicIp == want && slices.Equal(cur.Subnets, x.Subnets) && slices.Equal(cur.SecurityGroups, x.Groups) {
			rec.Outcome = OutcomeInPlace
			return nil
		}
	}
	in := &ecs.UpdateServiceInput{Cluster: aws.String(x.Cluster), Service: aws.String(x.Service), NetworkConfiguration: &ecstypes.NetworkConfiguration{
		AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: x.Subnets, SecurityGroups: x.Groups, AssignPublicIp: want},
	}}
	if applied, err := a.updateService(ctx, st, in, rec); !applied {
		return err
	}
	if prev == "" {
		prev = "DISABLED"
	}
	undo := x
	undo.AssignPublicIP = prev == "ENABLED"
	rec.Undo = undo.CLI(a.Region)
	return nil
}

// registerHealthCheckRevision registers a copy of the task definition with
// only the container's health check command replaced.
func (a *Applier) registerHealthCheckRevision(ctx context.Context, st *applyState, x change.RegisterHealthCheckRevision, rec *CallRecord) error {
	out, err := a.R.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(x.TaskDefinitionARN), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
	if err != nil {
		return err
	}
	td := out.TaskDefinition
	if td == nil {
		return fmt.Errorf("task definition %s not found", x.TaskDefinitionARN)
	}
	containers := slices.Clone(td.ContainerDefinitions)
	found := false
	for i := range containers {
		if aws.ToString(containers[i].Name) != x.Container {
			continue
		}
		found = true
		hc := ecstypes.HealthCheck{}
		if containers[i].HealthCheck != nil {
			hc = *containers[i].HealthCheck
		}
		if slices.Equal(hc.Command, x.Command) {
			st.newTaskDef = aws.ToString(td.TaskDefinitionArn)
			rec.Outcome, rec.Resource = OutcomeInPlace, st.newTaskDef
			return nil
		}
		hc.Command = x.Command
		containers[i].HealthCheck = &hc
	}
	if !found {
		return fmt.Errorf("task definition %s has no container %s", x.TaskDefinitionARN, x.Container)
	}
	in := &ecs.RegisterTaskDefinitionInput{
		Family: td.Family, ContainerDefinitions: containers, Cpu: td.Cpu, Memory: td.Memory,
		ExecutionRoleArn: td.ExecutionRoleArn, TaskRoleArn: td.TaskRoleArn, NetworkMode: td.NetworkMode,
		RequiresCompatibilities: td.RequiresCompatibilities, Volumes: td.Volumes, PlacementConstraints: td.PlacementConstraints,
		RuntimePlatform: td.RuntimePlatform, EphemeralStorage: td.EphemeralStorage, ProxyConfiguration: td.ProxyConfiguration,
		IpcMode: td.IpcMode, PidMode: td.PidMode, EnableFaultInjection: td.EnableFaultInjection,
		Tags: out.Tags,
	}
	var reg *ecs.RegisterTaskDefinitionOutput
	applied, err := st.send(rec, in, noDryRun, func() (err error) {
		reg, err = a.W.ECS.RegisterTaskDefinition(ctx, in)
		return err
	})
	if !applied {
		return err
	}
	if reg.TaskDefinition != nil {
		st.newTaskDef = aws.ToString(reg.TaskDefinition.TaskDefinitionArn)
		rec.Resource = st.newTaskDef
		rec.Undo = fmt.Sprintf("aws ecs deregister-task-definition --region %s --task-definition %s", a.Region, st.newTaskDef)
	}
	return nil
}

func (a *Applier) updateServiceTaskDefinition(ctx context.Context, st *applyState, x change.UpdateServiceTaskDefinition, rec *CallRecord) error {
	svc, err := a.describeService(ctx, x.Cluster, x.Service)
	if err != nil {
		return err
	}
	target := st.newTaskDef
	if target == "" {
		target = x.Family
	}
	rec.Resource = aws.ToString(svc.ServiceArn)
	if aws.ToString(svc.TaskDefinition) == target {
		rec.Outcome = OutcomeInPlace
		return nil
	}
	in := &ecs.UpdateServiceInput{Cluster: aws.String(x.Cluster), Service: aws.String(x.Service), TaskDefinition: aws.String(target)}
	if applied, err := a.updateService(ctx, st, in, rec); !applied {
		return err
	}
	rec.Undo = fmt.Sprintf("aws ecs update-service --region %s --cluster %s --service %s --task-definition %s", a.Region, x.Cluster, x.Service, aws.ToString(svc.TaskDefinition))
	return nil
}

// recentDeployment is how young a rolling-out deployment must be for a
// second "start a new deployment" to count as already done.
const recentDeployment = 5 * time.Minute

func (a *Applier) forceNewDeployment(ctx context.Context, st *applyState, x change.ForceNewDeployment, rec *CallRecord) error {
	svc, err := a.describeService(ctx, x.Cluster, x.Service)
	if err != nil {
		return err
	}
	rec.Resource = aws.ToString(svc.ServiceArn)
	// Starting a deployment is not idempotent in itself; one that began
	// minutes ago and is still rolling out is what was asked for.
	for _, d := range svc.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" && d.RolloutState == ecstypes.DeploymentRolloutStateInProgress &&
			d.CreatedAt != nil && time.Since(*d.CreatedAt) < recentDeployment {
			rec.Outcome = OutcomeInPlace
			return nil
		}
	}
	in := &ecs.UpdateServiceInput{Cluster: aws.String(x.Cluster), Service: aws.String(x.Service), ForceNewDeployment: true}
	_, err = a.updateService(ctx, st, in, rec)
	return err
}
