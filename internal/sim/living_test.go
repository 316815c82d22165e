package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Living outcomes: apply the fix a learner would apply, through the
// Writers and with an approval, redeploy, let time pass, and watch the
// service recover; or, for a half-done fix, keep failing the way AWS does.

const settleWithin = 10 * time.Minute

func (e *env) createEndpoint(in *ec2.CreateVpcEndpointInput) string {
	e.t.Helper()
	out, err := e.w.EC2.CreateVpcEndpoint(approved("ec2:CreateVpcEndpoint"), in)
	if err != nil {
		e.t.Fatalf("CreateVpcEndpoint %s: %v", aws.ToString(in.ServiceName), err)
	}
	return aws.ToString(out.VpcEndpoint.VpcEndpointId)
}

func (e *env) interfaceEndpoint(svc, group string, subnets ...string) string {
	e.t.Helper()
	var ids []string
	for _, s := range subnets {
		ids = append(ids, e.id("subnet", s))
	}
	return e.createEndpoint(&ec2.CreateVpcEndpointInput{
		VpcId: aws.String(e.id("vpc", e.sc.World.VPCs[0].Name)), ServiceName: aws.String("com.amazonaws.us-east-1." + svc),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: ids, SecurityGroupIds: []string{group}, PrivateDnsEnabled: aws.Bool(true),
	})
}

func (e *env) newGroup(name string) string {
	e.t.Helper()
	out, err := e.w.EC2.CreateSecurityGroup(approved("ec2:CreateSecurityGroup"), &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(e.id("vpc", e.sc.World.VPCs[0].Name)), GroupName: aws.String(name), Description: aws.String("VPC endpoints"),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.GroupId)
}

func (e *env) allow443(group, from string) {
	e.t.Helper()
	if _, err := e.w.EC2.AuthorizeSecurityGroupIngress(approved("ec2:AuthorizeSecurityGroupIngress"), &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(group),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(from), Description: aws.String("HTTPS from the tasks")}}}},
	}); err != nil {
		e.t.Fatal(err)
	}
}

// recover redeploys, lets time pass, and checks the service recovered.
func (e *env) recover() {
	e.t.Helper()
	since := e.clock.Now()
	e.forceDeploy()
	s := e.settle(since, settleWithin)
	if s.Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateCompleted {
		e.t.Errorf("rollout %s after recovery", s.Deployments[0].RolloutState)
	}
	running := e.tasks(ecstypes.DesiredStatusRunning)
	if len(running) != int(s.DesiredCount) {
		e.t.Errorf("%d running tasks, want %d", len(running), s.DesiredCount)
	}
}

func TestFixNoEndpoints(t *testing.T) {
	e := newEnv(t, "no-endpoints")
	taskSG := e.id("sg", "trac-task-sg")
	vpce := e.newGroup("vpce-sg")
	e.allow443(vpce, taskSG)
	for _, svc := range []string{"ecr.api", "ecr.dkr", "logs"} {
		e.interfaceEndpoint(svc, vpce, "private-a", "private-b")
	}
	e.createEndpoint(&ec2.CreateVpcEndpointInput{
		VpcId: aws.String(e.id("vpc", "learntrac-dev")), ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		VpcEndpointType: ec2types.VpcEndpointTypeGateway, RouteTableIds: []string{e.id("rtb", "private")},
	})
	e.recover()
}

func TestFixMissingLogsEndpoint(t *testing.T) {
	e := newEnv(t, "missing-logs-endpoint")
	e.interfaceEndpoint("logs", e.id("sg", "task-mgmt-auth-sg"), "private-a", "private-b")
	e.recover()
}

func TestFixPolicyNotAttached(t *testing.T) {
	e := newEnv(t, "policy-not-attached")
	if _, err := e.w.IAM.AttachRolePolicy(approved("iam:AttachRolePolicy"), &iam.AttachRolePolicyInput{
		RoleName: aws.String("ecsTaskExecutionRole"), PolicyArn: aws.String(e.id("policy", "TaskManagementSecretsAccess")),
	}); err != nil {
		t.Fatal(err)
	}
	e.recover()
}

func TestFixEndpointSGNo443(t *testing.T) {
	e := newEnv(t, "endpoint-sg-no-443")
	sg := e.id("sg", "task-mgmt-auth-sg")
	e.allow443(sg, sg)
	e.recover()
}

func TestFixEndpointOtherSG(t *testing.T) {
	e := newEnv(t, "endpoint-other-sg")
	for _, name := range []string{"ecr-api", "ecr-dkr", "logs", "secretsmanager"} {
		if _, err := e.w.EC2.ModifyVpcEndpoint(approved("ec2:ModifyVpcEndpoint"), &ec2.ModifyVpcEndpointInput{
			VpcEndpointId: aws.String(e.id("endpoint", name)), AddSecurityGroupIds: []string{e.id("sg", "task-mgmt-task-sg")},
		}); err != nil {
			t.Fatal(err)
		}
	}
	e.recover()
}

func TestFixS3RouteTable(t *testing.T) {
	e := newEnv(t, "s3-route-table-missing")
	if _, err := e.w.EC2.ModifyVpcEndpoint(approved("ec2:ModifyVpcEndpoint"), &ec2.ModifyVpcEndpointInput{
		VpcEndpointId: aws.String(e.id("endpoint", "s3")), AddRouteTableIds: []string{e.id("rtb", "private-b")},
	}); err != nil {
		t.Fatal(err)
	}
	// The endpoint's route now shows in the subnet's route table.
	out, err := e.r.EC2.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{e.id("rtb", "private-b")}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range out.RouteTables[0].Routes {
		found = found || (aws.ToString(r.DestinationPrefixListId) == "pl-63a5400a" && aws.ToString(r.GatewayId) == e.id("endpoint", "s3"))
	}
	if !found {
		t.Errorf("no S3 prefix-list route to the endpoint in %+v", out.RouteTables[0].Routes)
	}
	e.recover()
}

// registerHealthCheck registers a revision whose health check runs cmd,
// the way the fix does it: describe, change one field, register.
func (e *env) registerHealthCheck(cmd string) string {
	e.t.Helper()
	ctx := context.Background()
	cur, err := e.r.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: e.svc().TaskDefinition})
	if err != nil {
		e.t.Fatal(err)
	}
	td := cur.TaskDefinition
	td.ContainerDefinitions[0].HealthCheck.Command = []string{"CMD-SHELL", cmd}
	out, err := e.w.ECS.RegisterTaskDefinition(approved("ecs:RegisterTaskDefinition"), &ecs.RegisterTaskDefinitionInput{
		Family: td.Family, ContainerDefinitions: td.ContainerDefinitions, Cpu: td.Cpu, Memory: td.Memory,
		ExecutionRoleArn: td.ExecutionRoleArn, NetworkMode: td.NetworkMode, RequiresCompatibilities: td.RequiresCompatibilities,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

func TestFixHealthCheck(t *testing.T) {
	e := newEnv(t, "healthcheck-curl-alpine")
	before := e.svc().TaskDefinition
	// wget is not in this image either (node:18-alpine has sh, node, nc):
	// the learner who swaps curl for wget learns it the same way.
	wget := e.registerHealthCheck("wget -q --spider http://localhost:3000/tasks/health || exit 1")
	if !strings.HasSuffix(wget, ":2") {
		t.Errorf("new revision %s, want :2", wget)
	}
	// Describing the revision must not have changed the one registered.
	old, _ := e.r.ECS.DescribeTaskDefinition(context.Background(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: before})
	if got := old.TaskDefinition.ContainerDefinitions[0].HealthCheck.Command[1]; !strings.HasPrefix(got, "curl") {
		t.Errorf("revision 1 changed: %q", got)
	}
	node := e.registerHealthCheck(`node -e "require('http').get('http://localhost:3000/tasks/health', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"`)
	since := e.clock.Now()
	if _, err := e.w.ECS.UpdateService(approved("ecs:UpdateService"), &ecs.UpdateServiceInput{
		Cluster: aws.String(e.cluster), Service: aws.String(e.service), TaskDefinition: aws.String(e.sc.World.TaskDefinitions[0].Family),
	}); err != nil {
		t.Fatal(err)
	}
	s := e.settle(since, settleWithin)
	if aws.ToString(s.TaskDefinition) != node {
		t.Errorf("service runs %s, want the latest revision %s", aws.ToString(s.TaskDefinition), node)
	}
	if r := e.tasks(ecstypes.DesiredStatusRunning); len(r) != 1 || r[0].HealthStatus != ecstypes.HealthStatusHealthy {
		t.Errorf("want one HEALTHY task, got %d", len(r))
	}
}

// A half-done fix: the logs endpoint exists, but its security group admits
// nothing, so the next task still stops with the logs connection error;
// opening 443 on the group completes the fix.
func TestHalfDoneFix(t *testing.T) {
	e := newEnv(t, "missing-logs-endpoint")
	shut := e.newGroup("logs-endpoint-sg")
	e.interfaceEndpoint("logs", shut, "private-a", "private-b")
	since := e.clock.Now()
	e.forceDeploy()
	e.clock.Advance(3 * time.Minute) // past the endpoint's provisioning, and a retry or two
	f := e.failed()
	if f == nil || !f.CreatedAt.After(since) || family(aws.ToString(f.StoppedReason)) != "logs-network" {
		t.Fatalf("after the half-done fix: %v", f)
	}
	if s := e.svc(); s.RunningCount != 0 {
		t.Fatalf("running %d with a shut endpoint", s.RunningCount)
	}
	e.allow443(shut, e.id("sg", "task-mgmt-auth-sg"))
	// No redeploy: the scheduler's next retry sees the fixed world.
	e.settle(since, settleWithin)
}

// A private subnet with a public IP is still no path to the internet; a
// public subnet with one is.
func TestAssignPublicIP(t *testing.T) {
	e := newEnv(t, "no-endpoints")
	update := func(subnet string) {
		net := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{e.id("subnet", subnet)}, SecurityGroups: []string{e.id("sg", "trac-task-sg")}, AssignPublicIp: ecstypes.AssignPublicIpEnabled,
		}}
		if _, err := e.w.ECS.UpdateService(approved("ecs:UpdateService"), &ecs.UpdateServiceInput{
			Cluster: aws.String(e.cluster), Service: aws.String(e.service), NetworkConfiguration: net,
		}); err != nil {
			t.Fatal(err)
		}
	}
	since := e.clock.Now()
	update("private-a")
	e.clock.Advance(2 * time.Minute)
	if f := e.failed(); f == nil || !f.CreatedAt.After(since) || family(aws.ToString(f.StoppedReason)) != "registry-auth-network" {
		t.Fatalf("public IP in a private subnet: %v", f)
	}
	since = e.clock.Now()
	update("public-a")
	e.settle(since, settleWithin)
	// The running task's interface carries its group and a public address.
	task := e.tasks(ecstypes.DesiredStatusRunning)[0]
	var eni string
	for _, d := range task.Attachments[0].Details {
		if aws.ToString(d.Name) == "networkInterfaceId" {
			eni = aws.ToString(d.Value)
		}
	}
	out, err := e.r.EC2.DescribeNetworkInterfaces(context.Background(), &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
	if err != nil {
		t.Fatal(err)
	}
	n := out.NetworkInterfaces[0]
	if n.Association == nil || aws.ToString(n.Association.PublicIp) == "" || aws.ToString(n.Groups[0].GroupId) != e.id("sg", "trac-task-sg") {
		t.Errorf("task interface: %+v", n)
	}
}

// Fixing the database's security group helps the running app at its next
// attempt, without a redeploy; asking for TLS fixes the other one.
func TestFixDatabaseAccess(t *testing.T) {
	e := newEnv(t, "db-sg-blocked")
	if _, err := e.w.EC2.AuthorizeSecurityGroupIngress(approved("ec2:AuthorizeSecurityGroupIngress"), &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(e.id("sg", "billing-db-sg")),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(e.id("sg", "billing-task-sg"))}}}},
	}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	e.expectRunningWithLog("Connected to PostgreSQL at " + e.id("db", "billing-db") + ":5432")

	e = newEnv(t, "rds-no-ssl")
	cur, _ := e.r.ECS.DescribeTaskDefinition(context.Background(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: e.svc().TaskDefinition})
	td := cur.TaskDefinition
	td.ContainerDefinitions[0].Environment = append(td.ContainerDefinitions[0].Environment, ecstypes.KeyValuePair{Name: aws.String("PGSSLMODE"), Value: aws.String("require")})
	reg, err := e.w.ECS.RegisterTaskDefinition(approved("ecs:RegisterTaskDefinition"), &ecs.RegisterTaskDefinitionInput{
		Family: td.Family, ContainerDefinitions: td.ContainerDefinitions, Cpu: td.Cpu, Memory: td.Memory,
		ExecutionRoleArn: td.ExecutionRoleArn, NetworkMode: td.NetworkMode, RequiresCompatibilities: td.RequiresCompatibilities,
	})
	if err != nil {
		t.Fatal(err)
	}
	since := e.clock.Now()
	if _, err := e.w.ECS.UpdateService(approved("ecs:UpdateService"), &ecs.UpdateServiceInput{
		Cluster: aws.String(e.cluster), Service: aws.String(e.service), TaskDefinition: reg.TaskDefinition.TaskDefinitionArn,
	}); err != nil {
		t.Fatal(err)
	}
	e.settle(since, settleWithin)
	e.expectRunningWithLog("Connected to PostgreSQL at ")
}

// Speed scales the present: at 0.1 a recovery takes a tenth of the time.
func TestSpeed(t *testing.T) {
	e := newEnv(t, "missing-logs-endpoint", func(o *Options) { o.Speed = 0.1 })
	e.interfaceEndpoint("logs", e.id("sg", "task-mgmt-auth-sg"), "private-a", "private-b")
	since := e.clock.Now()
	e.forceDeploy()
	e.settle(since, 20*time.Second)
}
