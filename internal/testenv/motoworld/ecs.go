package motoworld

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (b *builder) taskDefinitions(ctx context.Context) error {
	for _, td := range b.sc.World.TaskDefinitions {
		in := &ecs.RegisterTaskDefinitionInput{
			Family:                  aws.String(td.Family),
			NetworkMode:             types.NetworkMode(orDefault(td.NetworkMode, "awsvpc")),
			Cpu:                     aws.String(orDefault(td.CPU, "256")),
			Memory:                  aws.String(orDefault(td.Memory, "512")),
			RequiresCompatibilities: []types.Compatibility{types.Compatibility(orDefault(td.LaunchType, "FARGATE"))},
		}
		if td.ExecutionRole != "" {
			in.ExecutionRoleArn = aws.String(b.roleARN(td.ExecutionRole))
		}
		if td.TaskRole != "" {
			in.TaskRoleArn = aws.String(b.roleARN(td.TaskRole))
		}
		for _, c := range td.Containers {
			in.ContainerDefinitions = append(in.ContainerDefinitions, b.containerDefinition(c))
		}
		out, err := b.c.ecs.RegisterTaskDefinition(ctx, in)
		if err != nil {
			return fmt.Errorf("task definition %s: %w", td.Family, err)
		}
		b.w.IDs["taskdef:"+td.Family] = aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	}
	return nil
}

func (b *builder) roleARN(r string) string {
	if strings.HasPrefix(r, "arn:") {
		return r
	}
	return b.w.IDs["role:"+r]
}

// containerDefinition converts the facts shape, resolving placeholders in
// the image, environment values, secret references and log options.
func (b *builder) containerDefinition(c facts.ContainerDefinition) types.ContainerDefinition {
	r := b.w.Resolve
	d := types.ContainerDefinition{
		Name:       aws.String(c.Name),
		Image:      aws.String(r(c.Image)),
		Essential:  aws.Bool(c.Essential),
		Cpu:        c.CPU,
		EntryPoint: c.EntryPoint,
		Command:    c.Command,
	}
	if c.Memory != 0 {
		d.Memory = aws.Int32(c.Memory)
	}
	if c.MemoryReservation != 0 {
		d.MemoryReservation = aws.Int32(c.MemoryReservation)
	}
	for _, e := range c.Environment {
		d.Environment = append(d.Environment, types.KeyValuePair{Name: aws.String(e.Name), Value: aws.String(r(e.Value))})
	}
	for _, f := range c.EnvironmentFiles {
		d.EnvironmentFiles = append(d.EnvironmentFiles, types.EnvironmentFile{Type: types.EnvironmentFileTypeS3, Value: aws.String(r(f))})
	}
	for _, s := range c.Secrets {
		d.Secrets = append(d.Secrets, types.Secret{Name: aws.String(s.Name), ValueFrom: aws.String(r(s.ValueFrom))})
	}
	if c.RepositoryCredentials != "" {
		d.RepositoryCredentials = &types.RepositoryCredentials{CredentialsParameter: aws.String(r(c.RepositoryCredentials))}
	}
	if c.Log != nil {
		opts := map[string]string{}
		for k, v := range c.Log.Options {
			opts[k] = r(v)
		}
		d.LogConfiguration = &types.LogConfiguration{LogDriver: types.LogDriver(c.Log.Driver), Options: opts}
	}
	if h := c.HealthCheck; h != nil {
		d.HealthCheck = &types.HealthCheck{Command: h.Command, Interval: nonZero(h.Interval),
			Timeout: nonZero(h.Timeout), Retries: nonZero(h.Retries), StartPeriod: nonZero(h.StartPeriod)}
	}
	for _, p := range c.PortMappings {
		d.PortMappings = append(d.PortMappings, types.PortMapping{ContainerPort: aws.Int32(p.ContainerPort),
			HostPort: nonZero(p.HostPort), Protocol: types.TransportProtocol(p.Protocol)})
	}
	return d
}

func nonZero(v int32) *int32 {
	if v == 0 {
		return nil
	}
	return &v
}

func (b *builder) clusters(ctx context.Context) error {
	for _, c := range b.sc.World.Clusters {
		out, err := b.c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(c.Name)})
		if err != nil {
			return fmt.Errorf("cluster %s: %w", c.Name, err)
		}
		b.w.IDs["cluster:"+c.Name] = aws.ToString(out.Cluster.ClusterArn)
		for _, s := range c.Services {
			if err := b.service(ctx, c.Name, s); err != nil {
				return fmt.Errorf("service %s: %w", s.Name, err)
			}
		}
	}
	return nil
}

func (b *builder) service(ctx context.Context, cluster string, s scenario.Service) error {
	net, err := b.network(s.Network, s.Network.Subnets)
	if err != nil {
		return err
	}
	in := &ecs.CreateServiceInput{
		Cluster:              aws.String(cluster),
		ServiceName:          aws.String(s.Name),
		TaskDefinition:       aws.String(b.w.IDs["taskdef:"+s.TaskDefinition]),
		DesiredCount:         aws.Int32(s.DesiredCount),
		LaunchType:           types.LaunchType(orDefault(s.LaunchType, "FARGATE")),
		NetworkConfiguration: net,
	}
	if s.CircuitBreaker {
		in.DeploymentConfiguration = &types.DeploymentConfiguration{
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		}
	}
	out, err := b.c.ecs.CreateService(ctx, in)
	if err != nil {
		return err
	}
	b.w.IDs["service:"+s.Name] = aws.ToString(out.Service.ServiceArn)
	if len(out.Service.Deployments) > 0 {
		b.w.deployments[s.Name] = aws.ToString(out.Service.Deployments[0].Id)
	}
	return nil
}

// network is the awsvpc configuration of the service's groups in subnets.
func (b *builder) network(n scenario.ServiceNetwork, subnets []string) (*types.NetworkConfiguration, error) {
	subnetIDs, err := b.ids("subnet", subnets)
	if err != nil {
		return nil, err
	}
	groups, err := b.ids("sg", n.SecurityGroups)
	if err != nil {
		return nil, err
	}
	public := types.AssignPublicIpDisabled
	if n.AssignPublicIP {
		public = types.AssignPublicIpEnabled
	}
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
		Subnets: subnetIDs, SecurityGroups: groups, AssignPublicIp: public,
	}}, nil
}
