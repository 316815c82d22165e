package sim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// UpdateService changes what a service runs. A new task definition, a new
// network configuration or ForceNewDeployment starts a new PRIMARY
// deployment, which the scheduler begins to launch at once; a new desired
// count alone only resizes the current one.
func (x *ecsAPI) UpdateService(ctx context.Context, in *ecs.UpdateServiceInput, _ ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:UpdateService", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	svc := a.serviceIn(c, aws.ToString(in.Service))
	if svc == nil {
		return nil, apiError("ServiceNotFoundException", "Service not found.")
	}
	dep := svc.primary()
	td, net := dep.taskDef, dep.net
	if in.TaskDefinition != nil {
		x := a.findTaskDef(aws.ToString(in.TaskDefinition))
		if x == nil || x.def.Status != ecstypes.TaskDefinitionStatusActive {
			return nil, apiError("InvalidParameterException", "TaskDefinition not found.")
		}
		td = x.arn
	}
	if nc := in.NetworkConfiguration; nc != nil {
		if net, err = a.checkNetwork(nc); err != nil {
			return nil, err
		}
	}
	if in.DesiredCount != nil {
		if *in.DesiredCount < 0 {
			return nil, apiError("InvalidParameterException", "Desired count must be non-negative.")
		}
		svc.desired = *in.DesiredCount
		dep.desired = svc.desired
	}
	if dc := in.DeploymentConfiguration; dc != nil && dc.DeploymentCircuitBreaker != nil {
		svc.breaker, svc.rollback = dc.DeploymentCircuitBreaker.Enable, dc.DeploymentCircuitBreaker.Rollback
	}
	if in.HealthCheckGracePeriodSeconds != nil {
		svc.healthGrace = *in.HealthCheckGracePeriodSeconds
	}
	if in.ForceNewDeployment || td != dep.taskDef || !sameNetwork(net, dep.net) {
		a.startDeployment(svc, td, net)
	} else {
		a.reconcile(svc)
	}
	out := a.renderService(svc)
	return &ecs.UpdateServiceOutput{Service: &out}, nil
}

func sameNetwork(x, y netConfig) bool {
	return x.publicIP == y.publicIP && slices.Equal(x.subnets, y.subnets) && slices.Equal(x.groups, y.groups)
}

// checkNetwork validates an awsvpc configuration as ECS does: subnets and
// groups must exist, in one VPC.
func (a *Account) checkNetwork(nc *ecstypes.NetworkConfiguration) (netConfig, error) {
	vc := nc.AwsvpcConfiguration
	if vc == nil || len(vc.Subnets) == 0 {
		return netConfig{}, apiError("InvalidParameterException", "subnets can not be empty.")
	}
	vpcID := ""
	for _, s := range vc.Subnets {
		sn := a.subnets.get(s)
		if sn == nil {
			return netConfig{}, apiError("InvalidParameterException", "Error retrieving subnet information for [%s]: The subnet ID '%s' does not exist (ErrorCode: InvalidSubnetID.NotFound)", s, s)
		}
		if vpcID != "" && sn.vpc != vpcID {
			return netConfig{}, apiError("InvalidParameterException", "Subnets must all be in the same VPC.")
		}
		vpcID = sn.vpc
	}
	groups := vc.SecurityGroups
	if len(groups) == 0 {
		groups = []string{a.vpcs.get(vpcID).defSG}
	}
	for _, g := range groups {
		sg := a.sgs.get(g)
		if sg == nil {
			return netConfig{}, apiError("InvalidParameterException", "Error retrieving security group information for [%s]: The security group '%s' does not exist (ErrorCode: InvalidGroup.NotFound)", g, g)
		}
		if sg.vpc != vpcID {
			return netConfig{}, apiError("InvalidParameterException", "Security group %s is not in the VPC of the subnets (%s).", g, vpcID)
		}
	}
	return netConfig{subnets: cloneStrings(vc.Subnets), groups: cloneStrings(groups), publicIP: vc.AssignPublicIp == ecstypes.AssignPublicIpEnabled}, nil
}

// RegisterTaskDefinition registers the next revision of a family with
// exactly the definition given, after the checks ECS makes for Fargate.
func (x *ecsAPI) RegisterTaskDefinition(ctx context.Context, in *ecs.RegisterTaskDefinitionInput, _ ...func(*ecs.Options)) (*ecs.RegisterTaskDefinitionOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:RegisterTaskDefinition", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	def := ecstypes.TaskDefinition{
		Family: in.Family, ContainerDefinitions: in.ContainerDefinitions, Cpu: in.Cpu, Memory: in.Memory,
		ExecutionRoleArn: in.ExecutionRoleArn, TaskRoleArn: in.TaskRoleArn, NetworkMode: in.NetworkMode,
		RequiresCompatibilities: in.RequiresCompatibilities, RuntimePlatform: in.RuntimePlatform, Volumes: in.Volumes,
		PlacementConstraints: in.PlacementConstraints, ProxyConfiguration: in.ProxyConfiguration, EphemeralStorage: in.EphemeralStorage,
		IpcMode: in.IpcMode, PidMode: in.PidMode, EnableFaultInjection: in.EnableFaultInjection,
	}
	if err := checkTaskDefinition(def); err != nil {
		return nil, err
	}
	td := a.register(def)
	out := deepCopy(td.def)
	return &ecs.RegisterTaskDefinitionOutput{TaskDefinition: &out, Tags: in.Tags}, nil
}

// checkTaskDefinition is what ECS refuses at registration.
func checkTaskDefinition(def ecstypes.TaskDefinition) error {
	if aws.ToString(def.Family) == "" {
		return apiError("ClientException", "Family must not be null or empty.")
	}
	if len(def.ContainerDefinitions) == 0 {
		return apiError("ClientException", "Container list cannot be empty.")
	}
	fargate := slices.Contains(def.RequiresCompatibilities, ecstypes.CompatibilityFargate)
	if fargate && def.NetworkMode != ecstypes.NetworkModeAwsvpc {
		return apiError("ClientException", "Fargate only supports network mode ‘awsvpc’.")
	}
	if fargate && (def.Cpu == nil || def.Memory == nil) {
		return apiError("ClientException", "Fargate requires that 'cpu' be defined at the task level.")
	}
	names := map[string]bool{}
	for _, c := range def.ContainerDefinitions {
		name := aws.ToString(c.Name)
		if name == "" || aws.ToString(c.Image) == "" {
			return apiError("ClientException", "Container.name and Container.image should not be null or empty.")
		}
		if names[name] {
			return apiError("ClientException", "Duplicate container names are not allowed.")
		}
		names[name] = true
		if def.ExecutionRoleArn == nil {
			if lc := c.LogConfiguration; fargate && lc != nil && lc.LogDriver == ecstypes.LogDriverAwslogs {
				return apiError("ClientException", "Fargate requires task definition to have execution role ARN to support log driver awslogs.")
			}
			if len(c.Secrets) > 0 {
				return apiError("ClientException", "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. (container %s)", name)
			}
		}
	}
	return nil
}
