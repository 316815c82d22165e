package workflow

import (
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// A test-only builder of realistic facts. newFacts() is a healthy Fargate
// service "api" in cluster "prod" (us-east-1, account 123456789012):
//
//	vpc-0abc 10.0.0.0/16, DNS support and hostnames on
//	subnet-0a (us-east-1a, 10.0.1.0/24), subnet-0b (us-east-1b, 10.0.2.0/24):
//	    private, the service's subnets, on rtb-private (0.0.0.0/0 -> nat-0abc)
//	subnet-pub-a (us-east-1a, 10.0.101.0/24), subnet-pub-b (us-east-1b, 10.0.102.0/24):
//	    public, on rtb-public (0.0.0.0/0 -> igw-0abc); nat-0abc lives in subnet-pub-a
//	sg-task: the tasks' group, egress all; sg-endpoints: admits 443 from sg-task
//	acl-default: the VPC's default network ACL, allow all both ways
//	execution role ecsTaskExecutionRole trusting ecs-tasks.amazonaws.com with
//	    AmazonECSTaskExecutionRolePolicy attached (AWS's document)
//	task definition api:3: container "app", ECR image .../api:v1, awslogs
//	    group /ecs/api (prefix ecs), no secrets
//	two running tasks, the service at steady state
//
// Options change one thing each; the builder marks every fetch key done (or
// skipped where the gatherer would skip it) unless an option says otherwise.

const (
	tRegion   = "us-east-1"
	tAccount  = "123456789012"
	tCluster  = "prod"
	tService  = "api"
	tVPC      = "vpc-0abc"
	tSubnetA  = "subnet-0a"
	tSubnetB  = "subnet-0b"
	tPubA     = "subnet-pub-a"
	tPubB     = "subnet-pub-b"
	tRTPriv   = "rtb-private"
	tRTPub    = "rtb-public"
	tRTMain   = "rtb-main"
	tNAT      = "nat-0abc"
	tIGW      = "igw-0abc"
	tTaskSG   = "sg-task"
	tEpSG     = "sg-endpoints"
	tACL      = "acl-default"
	tS3PL     = "pl-63a5400a"
	tRoleName = "ecsTaskExecutionRole"
	tRoleARN  = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
	tExecPol  = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	tTDARN    = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:3"
	tSvcARN   = "arn:aws:ecs:us-east-1:123456789012:service/prod/api"
	tClARN    = "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
	tImage    = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1"
	tRepoARN  = "arn:aws:ecr:us-east-1:123456789012:repository/api"
	tLogGroup = "/ecs/api"
	tSecret   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-aAhHLW"
	tCMK      = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	tDBHost   = "taskdb.c9akciq32xyz.us-east-1.rds.amazonaws.com"
	tDBSG     = "sg-db"
)

// AWS's managed AmazonECSTaskExecutionRolePolicy.
const execRolePolicyDoc = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": "*"
    }
  ]
}`

// The trust policy of a standard ECS task execution role.
const ecsTrustDoc = `{"Version":"2008-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// secretsPolicyDoc allows reading the seed's database secret.
const secretsPolicyDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-*"}]}`

// Real AWS texts (from the seeds and the ECS troubleshooting guide).
const (
	reasonRegistryAuth = "ResourceInitializationError: unable to pull secrets or registry auth: \nThe task cannot pull registry auth from Amazon ECR"
	reasonSecretsNet   = `ResourceInitializationError: unable to pull secrets or registry auth: 
unable to retrieve secret from asm: There is a connection issue between 
the task and AWS Secrets Manager. Check your task network configuration. 
failed to fetch secret arn:aws:secretsmanager:us-east-1:211125602758:secret:rds-credentials-aAhHLW 
from secrets manager: operation error Secrets Manager: GetSecretValue, 
https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded`
	reasonLogsInit = `ResourceInitializationError: failed to validate logger args: 
The task cannot find the Amazon CloudWatch log group defined in the task definition. 
There is a connection issue between the task and Amazon CloudWatch. 
Check your network configuration. signal: killed`
	reasonSecretsDenied = `api error AccessDeniedException: User: arn:aws:sts::211125602758:assumed-role/ecsTaskExecutionRole/... 
is not authorized to perform: secretsmanager:GetSecretValue 
because no identity-based policy allows the secretsmanager:GetSecretValue action`
	reasonGenericInit  = `ResourceInitializationError: unable to pull secrets or registry auth`
	reasonHealthCheck  = "Task failed container health checks"
	reasonELBHealth    = "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/73e2d6bc24d8a067)"
	reasonEssential    = "Essential container in task exited"
	reasonOOM          = "OutOfMemoryError: Container killed due to memory usage"
	reasonSubnetNoIPs  = "Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-0a': InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request."
	reasonRateLimited  = "CannotPullContainerError: inspect image has been retried 5 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:4c0f: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"
	reasonPullTimeout  = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:1.25: failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.25": dial tcp 34.205.13.154:443: i/o timeout`
	reasonManifest     = "CannotPullContainerError: Error response from daemon: manifest for 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1 not found: manifest unknown: Requested image not found"
	reasonPullDenied   = "CannotPullContainerError: Error response from daemon: pull access denied for 123456789012.dkr.ecr.us-east-1.amazonaws.com/api, repository does not exist or may require 'docker login': denied: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/xyz is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/api because no identity-based policy allows the ecr:BatchGetImage action"
	reasonPlatform     = "CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor matching platform 'linux/amd64'"
	reasonSecretGone   = "ResourceNotFoundException: The task can't retrieve the secret with ARN 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-aAhHLW' from AWS Secrets Manager. Check whether the secret exists in the specified Region."
	reasonUnclassified = "Something AWS added yesterday"
	reasonScaling      = "Scaling activity initiated by (deployment ecs-svc/1234567890123456789)"

	eventSteady       = "(service api) has reached a steady state."
	eventHealthCheck  = "(service api) (task b5067ed30cc5431d89fe74c47fd9981f) failed container health checks."
	eventDeployFailed = "(service api) (deployment ecs-svc/4135006185409410497) deployment failed: tasks failed to start."
	eventELBUnhealthy = "(service api) (task 0123456789abcdef0123456789abcdef) (port 3000) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/73e2d6bc24d8a067) due to (reason Health checks failed with these codes: [404])."
	eventPlacement    = "(service api) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
	eventStartFail    = "(service api) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
	eventStarted      = "(service api) has started 1 tasks: (task 0123456789abcdef)."
)

type opt func(f *facts.Facts)

func ptr[T any](v T) *T { return &v }

var tNow = time.Date(2026, 1, 7, 12, 0, 0, 0, time.UTC)

// newFacts builds the healthy world and applies the options in order.
func newFacts(opts ...opt) *facts.Facts {
	f := baseFacts()
	for _, o := range opts {
		o(f)
	}
	if f.ChosenTaskARN == "" {
		f.ChosenTaskARN = facts.ChooseTask(f.Tasks, f.Target.Task)
	}
	return f
}

func baseFacts() *facts.Facts {
	net := &facts.AwsVpcConfig{Subnets: []string{tSubnetA, tSubnetB}, SecurityGroups: []string{tTaskSG}}
	f := &facts.Facts{
		Target: facts.Target{Account: tAccount, Region: tRegion, Cluster: tCluster, ClusterARN: tClARN, Service: tService},
		Caller: &facts.Caller{ARN: "arn:aws:iam::123456789012:user/ops", Account: tAccount},
		Service: &facts.Service{
			Name: tService, ARN: tSvcARN, ClusterARN: tClARN, Status: "ACTIVE",
			DesiredCount: 2, RunningCount: 2, LaunchType: "FARGATE", PlatformVersion: "1.4.0",
			TaskDefinition: tTDARN,
			Deployments: []facts.Deployment{{
				ID: "ecs-svc/4135006185409410497", Status: "PRIMARY", RolloutState: "COMPLETED",
				TaskDefinition: tTDARN, DesiredCount: 2, RunningCount: 2, LaunchType: "FARGATE", Network: net,
			}},
			Events:         []facts.ServiceEvent{{ID: "e1", CreatedAt: ptr(tNow), Message: eventSteady}},
			Network:        net,
			CircuitBreaker: &facts.CircuitBreaker{Enable: true, Rollback: true},
		},
		TaskDefinition: &facts.TaskDefinition{
			ARN: tTDARN, Family: "api", Revision: 3, ExecutionRoleARN: tRoleARN,
			NetworkMode: "awsvpc", RequiresCompatibilities: []string{"FARGATE"}, CPU: "256", Memory: "512",
			Containers: []facts.ContainerDefinition{{
				Name: "app", Image: tImage, Essential: true,
				PortMappings: []facts.PortMapping{{ContainerPort: 3000, Protocol: "tcp"}},
				Log: &facts.LogConfiguration{Driver: "awslogs", Options: map[string]string{
					"awslogs-group": tLogGroup, "awslogs-region": tRegion, "awslogs-stream-prefix": "ecs",
				}},
			}},
		},
		Tasks: []facts.Task{runningTask("1111aaaa2222bbbb3333cccc4444dddd", tSubnetA, "10.0.1.25"), runningTask("5555eeee6666ffff7777aaaa8888bbbb", tSubnetB, "10.0.2.40")},
		Network: facts.Network{
			VPC: &facts.VPC{ID: tVPC, CIDRs: []string{"10.0.0.0/16"}, DNSSupport: ptr(true), DNSHostnames: ptr(true)},
			Subnets: []facts.Subnet{
				{ID: tSubnetA, VPCID: tVPC, AZ: "us-east-1a", CIDR: "10.0.1.0/24", AvailableIPs: 250},
				{ID: tSubnetB, VPCID: tVPC, AZ: "us-east-1b", CIDR: "10.0.2.0/24", AvailableIPs: 250},
				{ID: tPubA, VPCID: tVPC, AZ: "us-east-1a", CIDR: "10.0.101.0/24", AvailableIPs: 250, MapPublicIPOnLaunch: true},
				{ID: tPubB, VPCID: tVPC, AZ: "us-east-1b", CIDR: "10.0.102.0/24", AvailableIPs: 250, MapPublicIPOnLaunch: true},
			},
			RouteTables: []facts.RouteTable{
				{ID: tRTMain, VPCID: tVPC, Main: true, Routes: []facts.Route{localRoute()}},
				{ID: tRTPriv, VPCID: tVPC, Subnets: []string{tSubnetA, tSubnetB}, Routes: []facts.Route{localRoute(),
					{DestinationCIDR: "0.0.0.0/0", NATGatewayID: tNAT, State: "active"}}},
				{ID: tRTPub, VPCID: tVPC, Subnets: []string{tPubA, tPubB}, Routes: []facts.Route{localRoute(),
					{DestinationCIDR: "0.0.0.0/0", GatewayID: tIGW, State: "active"}}},
			},
			NATGateways:      []facts.NATGateway{{ID: tNAT, VPCID: tVPC, SubnetID: tPubA, State: "available", ConnectivityType: "public"}},
			InternetGateways: []facts.InternetGateway{{ID: tIGW, VPCs: []string{tVPC}}},
			SecurityGroups: []facts.SecurityGroup{
				{ID: tTaskSG, Name: "api-task", VPCID: tVPC,
					Ingress: []facts.SGRule{tcpFrom(3000, nil, "sg-alb")},
					Egress:  []facts.SGRule{{Protocol: "-1", FromPort: -1, ToPort: -1, CIDRs: []string{"0.0.0.0/0"}}}},
				{ID: tEpSG, Name: "vpc-endpoints", VPCID: tVPC,
					Ingress: []facts.SGRule{tcpFrom(443, nil, tTaskSG)},
					Egress:  []facts.SGRule{{Protocol: "-1", FromPort: -1, ToPort: -1, CIDRs: []string{"0.0.0.0/0"}}}},
			},
			NetworkACLs: []facts.NetworkACL{{ID: tACL, VPCID: tVPC, Default: true, Entries: []facts.NACLEntry{
				naclEntry(100, true, "-1", "allow", "0.0.0.0/0"),
				naclEntry(32767, true, "-1", "deny", "0.0.0.0/0"),
				naclEntry(100, false, "-1", "allow", "0.0.0.0/0"),
				naclEntry(32767, false, "-1", "deny", "0.0.0.0/0"),
			}}},
			PrefixLists: []facts.PrefixList{{ID: tS3PL, Name: "com.amazonaws.us-east-1.s3", CIDRs: []string{"52.216.0.0/15", "3.5.0.0/19", "54.231.0.0/16"}}},
			NetworkInterfaces: []facts.NetworkInterface{
				{ID: "eni-1111aaaa", SubnetID: tSubnetA, VPCID: tVPC, PrivateIP: "10.0.1.25", Groups: []string{tTaskSG}, Status: "in-use"},
			},
		},
		IAM: facts.IAM{
			ExecutionRole: &facts.Role{Name: tRoleName, ARN: tRoleARN, TrustPolicy: ecsTrustDoc, AttachedPolicies: []string{tExecPol}},
			Policies:      []facts.ManagedPolicy{{ARN: tExecPol, Name: "AmazonECSTaskExecutionRolePolicy", AttachmentCount: 1, AWSManaged: true, Document: execRolePolicyDoc}},
		},
		Logs: facts.Logs{
			Groups: []facts.LogGroup{{Name: tLogGroup, ARN: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api", Found: true}},
		},
		Images:   []facts.Image{checkedImage(tImage, true, true)},
		APICalls: 37,
	}
	f.Fetches = map[facts.Key]facts.Fetch{}
	for _, k := range allKeys {
		f.Fetches[k] = facts.Fetch{State: facts.FetchDone}
	}
	for _, k := range []facts.Key{facts.KeySecrets, facts.KeyParameters, facts.KeyKMSKeys, facts.KeyDatabases, facts.KeySimulation} {
		f.Fetches[k] = facts.Fetch{State: facts.FetchSkipped}
	}
	f.ChosenTaskARN = ""
	f.Logs.Streams = []facts.LogStream{logStream(f.Tasks[0].ID, "Server listening on port 3000")}
	return f
}

var allKeys = []facts.Key{
	facts.KeyCaller, facts.KeyService, facts.KeyTasks, facts.KeyTaskDefinition, facts.KeyVPC, facts.KeySubnets,
	facts.KeyRouteTables, facts.KeyNATGateways, facts.KeyInternetGateways, facts.KeyEndpoints, facts.KeySecurityGroups,
	facts.KeyNetworkACLs, facts.KeyPrefixLists, facts.KeyNetworkInterfaces, facts.KeyRole, facts.KeyRolePolicies,
	facts.KeyAccountPolicies, facts.KeySimulation, facts.KeySecrets, facts.KeyParameters, facts.KeyKMSKeys,
	facts.KeyLogGroups, facts.KeyLogEvents, facts.KeyImages, facts.KeyDatabases,
}

func localRoute() facts.Route {
	return facts.Route{DestinationCIDR: "10.0.0.0/16", GatewayID: "local", State: "active"}
}

func tcpFrom(port int32, cidrs []string, groups ...string) facts.SGRule {
	return facts.SGRule{Protocol: "tcp", FromPort: port, ToPort: port, CIDRs: cidrs, Groups: groups}
}

func naclEntry(num int32, egress bool, proto, action, cidr string, ports ...int32) facts.NACLEntry {
	e := facts.NACLEntry{RuleNumber: num, Egress: egress, Protocol: proto, Action: action, CIDR: cidr}
	if len(ports) == 2 {
		e.FromPort, e.ToPort = ptr(ports[0]), ptr(ports[1])
	}
	return e
}

func taskARN(id string) string { return "arn:aws:ecs:us-east-1:123456789012:task/prod/" + id }

func runningTask(id, subnet, ip string) facts.Task {
	return facts.Task{
		ARN: taskARN(id), ID: id, ClusterARN: tClARN, TaskDefinitionARN: tTDARN, Group: "service:api",
		StartedBy: "ecs-svc/4135006185409410497", LastStatus: "RUNNING", DesiredStatus: "RUNNING", HealthStatus: "HEALTHY",
		LaunchType: "FARGATE", PlatformVersion: "1.4.0", AvailabilityZone: "us-east-1a",
		CreatedAt: ptr(tNow.Add(-time.Hour)), StartedAt: ptr(tNow.Add(-59 * time.Minute)),
		Containers: []facts.Container{{Name: "app", Image: tImage, LastStatus: "RUNNING", HealthStatus: "HEALTHY"}},
		ENI:        &facts.TaskENI{ID: "eni-" + id[:8], SubnetID: subnet, PrivateIPv4: ip},
	}
}

// stoppedTask is a task that stopped with a stop code and reason; the
// container carries the given reason and exit code (nil: none).
func stoppedTask(id, stopCode, reason, containerReason string, exit *int32) facts.Task {
	t := runningTask(id, tSubnetA, "10.0.1.77")
	t.LastStatus, t.DesiredStatus, t.HealthStatus = "STOPPED", "STOPPED", "UNKNOWN"
	t.StopCode, t.StoppedReason = stopCode, reason
	t.StoppedAt = ptr(tNow.Add(-2 * time.Minute))
	t.Containers = []facts.Container{{Name: "app", Image: tImage, LastStatus: "STOPPED", Reason: containerReason, ExitCode: exit}}
	return t
}

func logStream(taskID string, lines ...string) facts.LogStream {
	s := facts.LogStream{Group: tLogGroup, Name: "ecs/app/" + taskID, Container: "app", Found: true}
	for _, l := range lines {
		s.Events = append(s.Events, facts.LogEvent{Time: ptr(tNow), Message: l})
	}
	return s
}

func checkedImage(ref string, repoFound, found bool) facts.Image {
	img := facts.ParseImage(ref)
	if img.ECR {
		img.Checked, img.RepositoryFound, img.Found = true, repoFound, found
	}
	return img
}

// ---- service and tasks ----

// failing makes the service run nothing: every task it starts stops with
// stopCode and reason (the container gets containerReason and exit).
func failing(stopCode, reason, containerReason string, exit *int32) opt {
	return func(f *facts.Facts) {
		f.Service.RunningCount, f.Service.PendingCount = 0, 1
		d := &f.Service.Deployments[0]
		d.RolloutState, d.RunningCount, d.FailedTasks = "IN_PROGRESS", 0, 3
		f.Service.Events = []facts.ServiceEvent{{ID: "e2", CreatedAt: ptr(tNow), Message: eventStarted}}
		t := stoppedTask("9f2c4e1a7b3d4c5e8f9a0b1c2d3e4f50", stopCode, reason, containerReason, exit)
		t.ENI = &facts.TaskENI{ID: "eni-9f2c4e1a", SubnetID: tSubnetA, PrivateIPv4: "10.0.1.77"}
		f.Tasks = []facts.Task{t, stoppedTask("0a1b2c3d4e5f60718293a4b5c6d7e8f9", stopCode, reason, containerReason, exit)}
		f.Network.NetworkInterfaces = nil
		f.Fetches[facts.KeyNetworkInterfaces] = facts.Fetch{State: facts.FetchSkipped}
		f.Logs.Streams = []facts.LogStream{{Group: tLogGroup, Name: "ecs/app/" + t.ID, Container: "app"}}
	}
}

// taskFailedToStart is the common shape: TaskFailedToStart with reason.
func taskFailedToStart(reason string) opt {
	return failing("TaskFailedToStart", reason, "", nil)
}

func events(msgs ...string) opt {
	return func(f *facts.Facts) {
		var evs []facts.ServiceEvent
		for i, m := range msgs {
			evs = append(evs, facts.ServiceEvent{ID: "ev" + string(rune('a'+i)), CreatedAt: ptr(tNow.Add(-time.Duration(i) * time.Minute)), Message: m})
		}
		f.Service.Events = append(evs, f.Service.Events...)
	}
}

func rollout(state, reason string) opt {
	return func(f *facts.Facts) {
		f.Service.Deployments[0].RolloutState = state
		f.Service.Deployments[0].RolloutStateReason = reason
	}
}

// logLines sets the chosen task's log stream lines.
func logLines(lines ...string) opt {
	return func(f *facts.Facts) {
		id := f.Tasks[0].ID
		f.Logs.Streams = []facts.LogStream{logStream(id, lines...)}
	}
}

// unhealthyTask makes the first running task's container UNHEALTHY.
func unhealthyTask() opt {
	return func(f *facts.Facts) {
		f.Tasks[0].HealthStatus = "UNHEALTHY"
		f.Tasks[0].Containers[0].HealthStatus = "UNHEALTHY"
	}
}

// ec2LaunchType runs the service on EC2 container instances in bridge mode.
func ec2LaunchType() opt {
	return func(f *facts.Facts) {
		f.Service.LaunchType = "EC2"
		f.Service.Deployments[0].LaunchType = "EC2"
		f.Service.Network, f.Service.Deployments[0].Network = nil, nil
		f.TaskDefinition.NetworkMode = "bridge"
		f.TaskDefinition.RequiresCompatibilities = []string{"EC2"}
		for i := range f.Tasks {
			f.Tasks[i].LaunchType = "EC2"
			f.Tasks[i].ENI = nil
		}
	}
}

// ---- network ----

// noNAT removes the NAT gateway: the private subnets reach nothing outside
// the VPC (seed 000, seed 002 before the endpoints).
func noNAT() opt {
	return func(f *facts.Facts) {
		setDefaultRoute(f, tRTPriv, nil)
		f.Network.NATGateways = nil
	}
}

func setDefaultRoute(f *facts.Facts, rtID string, r *facts.Route) {
	for i := range f.Network.RouteTables {
		rt := &f.Network.RouteTables[i]
		if rt.ID != rtID {
			continue
		}
		var routes []facts.Route
		for _, x := range rt.Routes {
			if x.DestinationCIDR != "0.0.0.0/0" {
				routes = append(routes, x)
			}
		}
		if r != nil {
			routes = append(routes, *r)
		}
		rt.Routes = routes
	}
}

func natState(state string) opt {
	return func(f *facts.Facts) { f.Network.NATGateways[0].State = state }
}

func endpointID(svc string) string { return "vpce-" + strings.ReplaceAll(svc, ".", "") }

// withEndpoints adds available endpoints: interface endpoints with private
// DNS in both task subnets carrying sg-endpoints, and the S3 gateway
// endpoint on rtb-private.
func withEndpoints(svcs ...string) opt {
	return func(f *facts.Facts) {
		for _, svc := range svcs {
			if svc == "s3" {
				f.Network.Endpoints = append(f.Network.Endpoints, facts.VPCEndpoint{ID: endpointID("s3"), VPCID: tVPC,
					ServiceName: "com.amazonaws.us-east-1.s3", Type: "Gateway", State: "available", RouteTables: []string{tRTPriv}})
				for i := range f.Network.RouteTables {
					if f.Network.RouteTables[i].ID == tRTPriv {
						f.Network.RouteTables[i].Routes = append(f.Network.RouteTables[i].Routes,
							facts.Route{DestinationPrefixList: tS3PL, GatewayID: endpointID("s3"), State: "active"})
					}
				}
				continue
			}
			f.Network.Endpoints = append(f.Network.Endpoints, facts.VPCEndpoint{ID: endpointID(svc), VPCID: tVPC,
				ServiceName: "com.amazonaws.us-east-1." + svc, Type: "Interface", State: "available", PrivateDNS: true,
				Subnets: []string{tSubnetA, tSubnetB}, Groups: []string{tEpSG}})
		}
	}
}

// privateEndpoints is the seed 002 setup after challenge 2: no NAT, the
// five endpoints.
func privateEndpoints() opt {
	return func(f *facts.Facts) {
		noNAT()(f)
		withEndpoints("ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager")(f)
	}
}

func endpointMod(svc string, mod func(ep *facts.VPCEndpoint)) opt {
	return func(f *facts.Facts) {
		for i := range f.Network.Endpoints {
			if f.Network.Endpoints[i].ID == endpointID(svc) {
				mod(&f.Network.Endpoints[i])
			}
		}
	}
}

func dropEndpoint(svc string) opt {
	return func(f *facts.Facts) {
		var keep []facts.VPCEndpoint
		for _, ep := range f.Network.Endpoints {
			if ep.ID != endpointID(svc) {
				keep = append(keep, ep)
			}
		}
		f.Network.Endpoints = keep
		for i := range f.Network.RouteTables {
			var routes []facts.Route
			for _, r := range f.Network.RouteTables[i].Routes {
				if r.GatewayID != endpointID(svc) {
					routes = append(routes, r)
				}
			}
			f.Network.RouteTables[i].Routes = routes
		}
	}
}

// publicSubnets runs the service in the public subnets.
func publicSubnets(assignPublicIP bool) opt {
	return func(f *facts.Facts) {
		net := &facts.AwsVpcConfig{Subnets: []string{tPubA, tPubB}, SecurityGroups: []string{tTaskSG}, AssignPublicIP: assignPublicIP}
		f.Service.Network, f.Service.Deployments[0].Network = net, net
		for i := range f.Tasks {
			if f.Tasks[i].ENI != nil {
				f.Tasks[i].ENI.SubnetID = tPubA
				f.Tasks[i].ENI.PrivateIPv4 = "10.0.101.25"
			}
		}
		for i := range f.Network.NetworkInterfaces {
			f.Network.NetworkInterfaces[i].SubnetID = tPubA
			f.Network.NetworkInterfaces[i].PrivateIP = "10.0.101.25"
			if assignPublicIP {
				f.Network.NetworkInterfaces[i].PublicIP = "54.12.34.56"
			}
		}
	}
}

// assignPublicIP sets assignPublicIp on the service's current subnets.
func assignPublicIP() opt {
	return func(f *facts.Facts) {
		f.Service.Network.AssignPublicIP = true
		f.Service.Deployments[0].Network.AssignPublicIP = true
	}
}

func sgMod(id string, mod func(sg *facts.SecurityGroup)) opt {
	return func(f *facts.Facts) {
		for i := range f.Network.SecurityGroups {
			if f.Network.SecurityGroups[i].ID == id {
				mod(&f.Network.SecurityGroups[i])
				return
			}
		}
		sg := facts.SecurityGroup{ID: id, VPCID: tVPC}
		mod(&sg)
		f.Network.SecurityGroups = append(f.Network.SecurityGroups, sg)
	}
}

func vpcDNS(support, hostnames bool) opt {
	return func(f *facts.Facts) {
		f.Network.VPC.DNSSupport, f.Network.VPC.DNSHostnames = ptr(support), ptr(hostnames)
	}
}

// withNACL associates a network ACL with the given entries (plus AWS's *
// deny rules) with the subnets.
func withNACL(id string, entries []facts.NACLEntry, subnets ...string) opt {
	return func(f *facts.Facts) {
		entries = append(entries, naclEntry(32767, true, "-1", "deny", "0.0.0.0/0"), naclEntry(32767, false, "-1", "deny", "0.0.0.0/0"))
		f.Network.NetworkACLs = append(f.Network.NetworkACLs, facts.NetworkACL{ID: id, VPCID: tVPC, Subnets: subnets, Entries: entries})
	}
}

// ---- task definition ----

func container(mod func(c *facts.ContainerDefinition)) opt {
	return func(f *facts.Facts) { mod(&f.TaskDefinition.Containers[0]) }
}

func image(ref string) opt {
	return func(f *facts.Facts) {
		f.TaskDefinition.Containers[0].Image = ref
		f.Images = []facts.Image{checkedImage(ref, true, true)}
		for i := range f.Tasks {
			for j := range f.Tasks[i].Containers {
				f.Tasks[i].Containers[j].Image = ref
			}
		}
	}
}

func imageMissing(repoFound bool) opt {
	return func(f *facts.Facts) { f.Images = []facts.Image{checkedImage(tImage, repoFound, false)} }
}

func healthCheck(startPeriod int32, cmd ...string) opt {
	return container(func(c *facts.ContainerDefinition) {
		c.HealthCheck = &facts.HealthCheck{Command: cmd, Interval: 30, Timeout: 5, Retries: 3, StartPeriod: startPeriod}
	})
}

func logOption(key, value string) opt {
	return container(func(c *facts.ContainerDefinition) { c.Log.Options[key] = value })
}

func logGroupMissing() opt {
	return func(f *facts.Facts) {
		f.Logs.Groups[0].Found = false
		f.Logs.Groups[0].ARN = ""
	}
}

func noLogging() opt {
	return func(f *facts.Facts) {
		f.TaskDefinition.Containers[0].Log = nil
		f.Logs = facts.Logs{}
		f.Fetches[facts.KeyLogGroups] = facts.Fetch{State: facts.FetchSkipped}
		f.Fetches[facts.KeyLogEvents] = facts.Fetch{State: facts.FetchSkipped}
	}
}

// withSecret references the seed's database secret (valueFrom as written)
// and the facts DescribeSecret returned; the role gets an inline policy
// allowing it, so the world stays healthy.
func withSecret(valueFrom string) opt {
	return func(f *facts.Facts) {
		c := &f.TaskDefinition.Containers[0]
		c.Secrets = append(c.Secrets, facts.SecretRef{Name: "DB_PASSWORD", ValueFrom: valueFrom})
		f.Secrets = append(f.Secrets, facts.Secret{Ref: valueFrom, ARN: tSecret, Name: "rds-credentials", Found: true})
		f.Fetches[facts.KeySecrets] = facts.Fetch{State: facts.FetchDone}
		f.IAM.ExecutionRole.InlinePolicies = append(f.IAM.ExecutionRole.InlinePolicies, facts.InlinePolicy{Name: "secrets", Document: secretsPolicyDoc})
	}
}

func secretMod(mod func(s *facts.Secret)) opt {
	return func(f *facts.Facts) { mod(&f.Secrets[0]) }
}

// secretKMS encrypts the secret with a KMS key managed by manager (AWS or CUSTOMER).
func secretKMS(keyARN, manager string) opt {
	return func(f *facts.Facts) {
		f.Secrets[0].KMSKeyID = keyARN
		f.KMSKeys = append(f.KMSKeys, facts.KMSKey{Ref: keyARN, ARN: keyARN, KeyID: keyARN[strings.LastIndex(keyARN, "/")+1:], Manager: manager, State: "Enabled", Found: true})
		f.Fetches[facts.KeyKMSKeys] = facts.Fetch{State: facts.FetchDone}
	}
}

func withParameter(valueFrom string, p facts.Parameter) opt {
	return func(f *facts.Facts) {
		c := &f.TaskDefinition.Containers[0]
		c.Secrets = append(c.Secrets, facts.SecretRef{Name: "API_KEY", ValueFrom: valueFrom})
		p.Ref = valueFrom
		f.Parameters = append(f.Parameters, p)
		f.Fetches[facts.KeyParameters] = facts.Fetch{State: facts.FetchDone}
	}
}

// ---- IAM ----

func dropInlinePolicies() opt {
	return func(f *facts.Facts) { f.IAM.ExecutionRole.InlinePolicies = nil }
}

func inlinePolicy(name, doc string) opt {
	return func(f *facts.Facts) {
		f.IAM.ExecutionRole.InlinePolicies = append(f.IAM.ExecutionRole.InlinePolicies, facts.InlinePolicy{Name: name, Document: doc})
	}
}

// unattachedPolicy is the seed's "created but never attached" policy.
func unattachedPolicy(name, doc string) opt {
	return func(f *facts.Facts) {
		f.IAM.UnattachedPolicies = append(f.IAM.UnattachedPolicies, facts.ManagedPolicy{
			ARN: "arn:aws:iam::123456789012:policy/" + name, Name: name, DefaultVersion: "v1", AttachmentCount: 0, Document: doc,
		})
	}
}

func detachExecPolicy() opt {
	return func(f *facts.Facts) { f.IAM.ExecutionRole.AttachedPolicies = nil }
}

func roleMod(mod func(r *facts.Role)) opt {
	return func(f *facts.Facts) { mod(f.IAM.ExecutionRole) }
}

func fetchFailed(k facts.Key, op, code string) opt {
	return func(f *facts.Facts) {
		f.Fetches[k] = facts.Fetch{State: facts.FetchFailed, Error: &facts.FetchError{
			Operation: op, Code: code,
			Message: code + " on " + op + ": allow " + op + " to the caller arn:aws:iam::123456789012:user/ops.",
		}}
	}
}

func fetchPending(k facts.Key) opt {
	return func(f *facts.Facts) { delete(f.Fetches, k) }
}

// endpointsGroups replaces the security groups of every interface endpoint.
func endpointsGroups(groups ...string) opt {
	return func(f *facts.Facts) {
		for i := range f.Network.Endpoints {
			if f.Network.Endpoints[i].Type == "Interface" {
				f.Network.Endpoints[i].Groups = groups
			}
		}
	}
}

// runningCount sets how many of the desired tasks run.
func runningCount(n int32) opt {
	return func(f *facts.Facts) {
		f.Service.RunningCount = n
		f.Service.Deployments[0].RunningCount = n
	}
}

// noTasks: ECS keeps no task of the service (none started, or all expired).
func noTasks() opt {
	return func(f *facts.Facts) {
		f.Tasks = nil
		f.Logs.Streams = nil
		f.Network.NetworkInterfaces = nil
		f.Fetches[facts.KeyNetworkInterfaces] = facts.Fetch{State: facts.FetchSkipped}
		f.Fetches[facts.KeyLogEvents] = facts.Fetch{State: facts.FetchSkipped}
	}
}

// addStopped adds a stopped task (newest first) next to the running ones.
func addStopped(stopCode, reason, containerReason string, exit *int32) opt {
	return func(f *facts.Facts) {
		t := stoppedTask("7e7e7e7e7e7e4e7e8e7e7e7e7e7e7e7e", stopCode, reason, containerReason, exit)
		f.Tasks = append([]facts.Task{t}, f.Tasks...)
	}
}

// oldFailedTask is a task that failed an hour ago, before the service
// recovered: older than the running ones.
func oldFailedTask(reason string, exit ...int32) opt {
	return func(f *facts.Facts) {
		var code *int32
		if len(exit) > 0 {
			code = ptr(exit[0])
		}
		t := stoppedTask("0dd0dd0dd0dd4dd0dd0dd0dd0dd0dd0d", "TaskFailedToStart", reason, "", code)
		t.StoppedAt = ptr(tNow.Add(-70 * time.Minute))
		f.Tasks = append(f.Tasks, t)
	}
}

// withDatabase names an RDS PostgreSQL instance in the environment and
// adds it (guarded by sg-db, which admits 5432 from admitGroups).
func withDatabase(admitGroups ...string) opt {
	return func(f *facts.Facts) {
		c := &f.TaskDefinition.Containers[0]
		c.Environment = append(c.Environment, facts.KeyValue{Name: "DB_HOST", Value: tDBHost})
		f.Databases = append(f.Databases, facts.Database{ID: "taskdb", ARN: "arn:aws:rds:us-east-1:123456789012:db:taskdb", Engine: "postgres",
			Endpoint: tDBHost, Port: 5432, SecurityGroups: []string{tDBSG}, VPCID: tVPC, Status: "available", ReferencedBy: "DB_HOST", Found: true})
		f.Fetches[facts.KeyDatabases] = facts.Fetch{State: facts.FetchDone}
		sgMod(tDBSG, func(sg *facts.SecurityGroup) {
			sg.Name = "taskdb"
			if len(admitGroups) > 0 {
				sg.Ingress = []facts.SGRule{tcpFrom(5432, nil, admitGroups...)}
			}
		})(f)
	}
}

// stuckRollout is a new deployment (revision 4) whose tasks all fail while
// the previous one (revision 3) still runs every desired task: the service
// looks full, but nothing of the new revision starts.
func stuckRollout(reason string) opt {
	return func(f *facts.Facts) {
		const rev4 = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:4"
		old := f.Service.Deployments[0]
		old.Status, old.ID = "ACTIVE", "ecs-svc/1111111111111111111"
		f.Service.Deployments = []facts.Deployment{{
			ID: "ecs-svc/2222222222222222222", Status: "PRIMARY", RolloutState: "IN_PROGRESS", TaskDefinition: rev4,
			DesiredCount: 2, RunningCount: 0, PendingCount: 1, FailedTasks: 4, LaunchType: "FARGATE", Network: old.Network,
		}, old}
		f.Service.TaskDefinition = rev4
		f.TaskDefinition.ARN, f.TaskDefinition.Revision = rev4, 4
		t := stoppedTask("4444aaaa4444bbbb4444cccc4444dddd", "TaskFailedToStart", reason, "", nil)
		t.TaskDefinitionARN = rev4
		f.Tasks = append([]facts.Task{t}, f.Tasks...)
	}
}

// failedLogs gives the chosen stopped task a log stream with these lines.
func failedLogs(lines ...string) opt {
	return func(f *facts.Facts) {
		for _, t := range f.Tasks {
			if t.LastStatus == "STOPPED" {
				f.Logs.Streams = []facts.LogStream{logStream(t.ID, lines...)}
				return
			}
		}
	}
}
