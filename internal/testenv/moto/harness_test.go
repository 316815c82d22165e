package moto

import (
	"context"
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestHarness drives each patch and the injection API through the real Go
// SDK, in a VPC left with enableDnsHostnames=false and a task definition
// with no container-level memory: the two RunTask 500s of moto.md.
func TestHarness(t *testing.T) {
	srv := Shared(t)
	ctx := context.Background()
	if err := srv.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := srv.Config("us-east-1")
	ec2c, ecsc := ec2.NewFromConfig(cfg), ecs.NewFromConfig(cfg)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%v\nharness stderr:\n%s", err, srv.Stderr())
		}
	}

	if _, err := iam.NewFromConfig(cfg).GetPolicy(ctx, &iam.GetPolicyInput{
		PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
	}); err != nil {
		t.Errorf("AWS managed policies not loaded: %v", err)
	}

	vpc, err := ec2c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(err)
	subnet, err := ec2c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	must(err)
	sg, err := ec2c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: vpc.Vpc.VpcId, GroupName: aws.String("t"), Description: aws.String("t")})
	must(err)
	_, err = ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(err)
	_, err = ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("app"), NetworkMode: ecstypes.NetworkModeAwsvpc, Cpu: aws.String("256"), Memory: aws.String("512"),
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		ContainerDefinitions: []ecstypes.ContainerDefinition{
			{Name: aws.String("app"), Image: aws.String("app:1"), Essential: aws.Bool(true)},
			{Name: aws.String("sidecar"), Image: aws.String("envoy:1"), Essential: aws.Bool(false)},
		},
	})
	must(err)
	net := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
		Subnets: []string{aws.ToString(subnet.Subnet.SubnetId)}, SecurityGroups: []string{aws.ToString(sg.GroupId)},
	}}
	_, err = ecsc.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("s"),
		TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net,
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: true}}})
	must(err)

	run, err := ecsc.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("app"),
		LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net, Group: aws.String("service:s")})
	must(err)
	task := run.Tasks[0]
	arn := aws.ToString(task.TaskArn)
	if id := arn[strings.LastIndexByte(arn, '/')+1:]; !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Errorf("task id %q is not 32 hex digits", id)
	}
	if len(task.Containers) != 2 || aws.ToString(task.Containers[0].TaskArn) != arn ||
		aws.ToString(task.Containers[0].LastStatus) != "RUNNING" || task.Containers[0].ExitCode != nil {
		t.Errorf("containers: %+v", task.Containers)
	}
	if len(task.Containers[0].NetworkInterfaces) != 1 ||
		!netip.MustParsePrefix("10.0.1.0/24").Contains(netip.MustParseAddr(aws.ToString(task.Containers[0].NetworkInterfaces[0].PrivateIpv4Address))) {
		t.Errorf("task address not in its subnet: %+v", task.Containers[0].NetworkInterfaces)
	}

	stop, err := ecsc.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("c"), Task: task.TaskArn, Reason: aws.String("test")})
	must(err)
	if stop.Task.StopCode != ecstypes.TaskStopCodeUserInitiated || stop.Task.StoppedAt == nil {
		t.Errorf("StopTask: stop code %q stoppedAt %v", stop.Task.StopCode, stop.Task.StoppedAt)
	}
	for status, want := range map[ecstypes.DesiredStatus]int{ecstypes.DesiredStatusRunning: 0, ecstypes.DesiredStatusStopped: 1} {
		list, err := ecsc.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("s"), DesiredStatus: status})
		must(err)
		if len(list.TaskArns) != want {
			t.Errorf("ListTasks %s: %v", status, list.TaskArns)
		}
	}

	stoppedAt := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	must(srv.InjectTask(ctx, TaskPatch{Cluster: "c", Task: arn, StopCode: "TaskFailedToStart",
		StoppedReason: "CannotPullContainerError: boom", StoppedAt: At(stoppedAt), StartedAt: At(time.Time{}),
		Containers: []ContainerPatch{{Name: "app", Reason: "CannotPullContainerError: boom", ExitCode: aws.Int32(137)}}}))
	desc, err := ecsc.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
	must(err)
	got := desc.Tasks[0]
	if got.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || got.StartedAt != nil || !got.StoppedAt.Equal(stoppedAt) ||
		aws.ToInt32(got.Containers[0].ExitCode) != 137 || aws.ToString(got.Containers[0].Reason) != "CannotPullContainerError: boom" {
		t.Errorf("injected task: %s startedAt %v stoppedAt %v container %+v", got.StopCode, got.StartedAt, got.StoppedAt, got.Containers[0])
	}

	must(srv.InjectService(ctx, ServicePatch{Cluster: "c", Service: "s", RunningCount: aws.Int32(0), PendingCount: aws.Int32(0),
		Events:     []Event{{Message: "newest"}, {Message: "older", CreatedAt: At(stoppedAt)}},
		Deployment: &DeploymentPatch{RolloutState: "FAILED", RolloutStateReason: "circuit breaker", FailedTasks: aws.Int32(3)}}))
	svcs, err := ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"s"}})
	must(err)
	svc := svcs.Services[0]
	if svc.CreatedAt == nil || svc.DeploymentConfiguration == nil || svc.DeploymentConfiguration.DeploymentCircuitBreaker == nil ||
		!svc.DeploymentConfiguration.DeploymentCircuitBreaker.Enable {
		t.Errorf("service lost createdAt or its circuit breaker: %v %+v", svc.CreatedAt, svc.DeploymentConfiguration)
	}
	if len(svc.Events) != 2 || aws.ToString(svc.Events[0].Message) != "newest" || svc.PendingCount != 0 ||
		svc.Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateFailed || svc.Deployments[0].FailedTasks != 3 {
		t.Errorf("injected service: %+v", svc)
	}

	for name, err := range map[string]error{
		"unknown task":    srv.InjectTask(ctx, TaskPatch{Cluster: "c", Task: "0123"}),
		"unknown service": srv.InjectService(ctx, ServicePatch{Cluster: "c", Service: "nope"}),
		"unknown field":   srv.postJSON(ctx, "/_ecsdoctor/inject/task", map[string]string{"cluster": "c", "task": arn, "stopcode": "x"}),
	} {
		if err == nil {
			t.Errorf("%s: injection did not fail", name)
		}
	}
}

// Without python3 Start reports ErrUnavailable, which Shared turns into a
// skip (or, under CI=true, a failure).
func TestStartWithoutPython(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := Start(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start without python3: %v, want ErrUnavailable", err)
	}
}
