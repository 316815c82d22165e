package workflow

import (
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// One or more worlds per catalogue id the workflow can emit, step by step.

func TestEventsStep(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "rollout FAILED and its event are one service.deployment-failed",
			opts: []opt{failing("EssentialContainerExited", reasonEssential, "", ptr(int32(1))), rollout("FAILED", "ECS deployment circuit breaker: tasks failed to start."), events(eventDeployFailed)},
			want: []wantFinding{
				forceDeploy,
				{id: "service.deployment-failed", sev: SeverityError, count: 1, fixes: []string{"force-new-deployment:api"},
					detail: []string{"ECS deployment circuit breaker: tasks failed to start.", "api:3"},
					cli:    map[string][]string{"force-new-deployment:api": {"aws ecs update-service --region us-east-1 --cluster prod --service api --force-new-deployment"}}},
			},
			steps: map[StepID]Status{StepEvents: StatusFail},
		},
		{
			name:   "deployment failed event alone",
			opts:   []opt{runningCount(1), events(eventDeployFailed)},
			want:   []wantFinding{{id: "service.deployment-failed", sev: SeverityError, count: 1, evidence: eventDeployFailed}},
			absent: []string{"service.no-running-tasks"},
		},
		{
			name: "ELB health check events, one finding with the target group",
			opts: []opt{runningCount(1), events(eventELBUnhealthy, eventStarted, eventELBUnhealthy)},
			want: []wantFinding{{id: "service.event.elb-health-check", sev: SeverityError, count: 1,
				attrs:  map[string]string{"targetGroup": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/73e2d6bc24d8a067"},
				detail: []string{"2 time(s)"}}},
		},
		{
			name: "placement failure: nothing ever started",
			opts: []opt{runningCount(0), noTasks(), events(eventPlacement)},
			want: []wantFinding{
				forceDeploy,
				{id: "service.event.placement", sev: SeverityError},
				{id: "task.none-stopped", sev: SeverityInfo},
			},
			steps:  map[StepID]Status{StepEvents: StatusFail, StepStoppedTasks: StatusOK, StepStopReason: StatusSkipped},
			errors: []string{"service.no-running-tasks", "service.event.placement"},
		},
		{
			name: "unable to consistently start tasks",
			opts: []opt{taskFailedToStart(reasonRegistryAuth), noNAT(), events(eventStartFail)},
			want: []wantFinding{{id: "service.event.start-failures", sev: SeverityError, fixes: []string{}}},
		},
		{
			name: "ECS cannot assume the execution role: event and trust policy",
			opts: []opt{runningCount(0), noTasks(),
				events("(service api) failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.)."),
				roleMod(func(r *facts.Role) {
					r.TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
				})},
			want: []wantFinding{
				{id: "service.event.launch-failed", sev: SeverityError, attrs: map[string]string{"role": tRoleARN}},
				{id: "iam.execution-role-trust", sev: SeverityError, attrs: map[string]string{"role": tRoleARN}, detail: []string{"ecs-tasks.amazonaws.com"}},
			},
			steps: map[StepID]Status{StepIAM: StatusFail},
		},
		{
			name:  "events of a steady service are warnings",
			opts:  []opt{events(eventELBUnhealthy)},
			want:  []wantFinding{{id: "service.event.elb-health-check", sev: SeverityWarning}},
			steps: map[StepID]Status{StepEvents: StatusWarn}, noErrors: true,
		},
		{
			name: "a new deployment fails while the old one still runs every task",
			opts: []opt{noNAT(), withEndpoints("ecr.api", "ecr.dkr", "s3", "logs"), withSecret(tSecret), stuckRollout(reasonSecretsNet)},
			want: []wantFinding{
				{id: "task.stopped-failures", sev: SeverityError, attrs: map[string]string{"count": "1"}},
				{id: "stop.secrets-network", sev: SeverityError, attrs: map[string]string{"service": "secretsmanager"}},
				{id: "endpoint.missing", sev: SeverityError, attrs: map[string]string{"service": "secretsmanager"}},
			},
			absent: []string{"service.no-running-tasks"},
			steps:  map[StepID]Status{StepStoppedTasks: StatusFail, StepStopReason: StatusFail},
		},
		{
			name: "--task names an older task: that one is diagnosed",
			opts: []opt{oldFailedTask(reasonSubnetNoIPs), func(f *facts.Facts) {
				f.Target.Task = "0dd0dd0dd0dd4dd0dd0dd0dd0dd0dd0d"
			}},
			want: []wantFinding{{id: "stop.subnet-no-ips", attrs: map[string]string{"subnet": tSubnetA}}},
		},
		{
			name: "Fargate through a capacity provider: the network steps apply",
			opts: []opt{noNAT(), taskFailedToStart(reasonRegistryAuth), func(f *facts.Facts) {
				f.Service.LaunchType, f.Service.CapacityProviders = "", []string{"FARGATE_SPOT", "FARGATE"}
				for i := range f.Tasks {
					f.Tasks[i].LaunchType = ""
				}
			}},
			want:  []wantFinding{{id: "endpoint.missing", attrs: map[string]string{"service": "ecr.api"}}},
			steps: map[StepID]Status{StepEndpoints: StatusFail},
		},
		{
			name: "a task run without a service: the events step is skipped",
			opts: []opt{func(f *facts.Facts) {
				f.Service = nil
				f.Fetches[facts.KeyService] = facts.Fetch{State: facts.FetchSkipped}
			}},
			steps: map[StepID]Status{StepEvents: StatusSkipped, StepEndpoints: StatusOK, StepIAM: StatusOK},
		},
	})
}

func TestStopReasonStep(t *testing.T) {
	exit := func(n int32) *int32 { return &n }
	runScenarios(t, []scenario{
		{
			name: "Docker Hub pull timeout from a private subnet without NAT",
			opts: []opt{image("nginx:1.25"), noNAT(), taskFailedToStart(reasonPullTimeout)},
			want: []wantFinding{
				{id: "stop.image-pull-network", sev: SeverityError},
				{id: "net.no-internet", sev: SeverityError, attrs: map[string]string{"subnet": tSubnetA}, count: 1, fixes: []string{}},
				{id: "net.no-internet", attrs: map[string]string{"subnet": tSubnetB}, count: 1},
				{id: "endpoint.missing", attrs: map[string]string{"service": "logs"}},
			},
			absent: []string{"iam.permission-missing"},
		},
		{
			name: "manifest unknown, and ECR confirms the tag is missing",
			opts: []opt{imageMissing(true), taskFailedToStart(reasonManifest)},
			want: []wantFinding{
				{id: "stop.image-not-found", sev: SeverityError, attrs: map[string]string{"image": tImage}},
				{id: "image.not-found", sev: SeverityError, attrs: map[string]string{"image": tImage}, detail: []string{"no image with tag v1"}},
			},
			steps: map[StepID]Status{StepStopReason: StatusFail, StepEndpoints: StatusOK, StepIAM: StatusOK},
		},
		{
			name: "ECR repository does not exist",
			opts: []opt{imageMissing(false)},
			want: []wantFinding{{id: "image.not-found", sev: SeverityError, attrs: map[string]string{"image": tImage},
				detail: []string{"ECR has no repository api in account 123456789012 (us-east-1)"}}},
		},
		{
			name: "pull denied: the execution role lacks the ECR actions",
			opts: []opt{detachExecPolicy(), inlinePolicy("logs", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:*"}]}`),
				taskFailedToStart(reasonPullDenied)},
			want: []wantFinding{
				{id: "stop.image-pull-denied", sev: SeverityError, attrs: map[string]string{"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api", "action": "ecr:BatchGetImage"}},
				{id: "iam.permission-missing", sev: SeverityError, count: 1, attrs: map[string]string{"action": "ecr:GetAuthorizationToken", "resource": "*"},
					fixes: []string{putPolicy},
					cli: map[string][]string{putPolicy: {
						`{"Effect":"Allow","Action":["ecr:GetAuthorizationToken"],"Resource":["*"]}`,
						`{"Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":["` + tRepoARN + `"]}`,
					}}},
				{id: "iam.permission-missing", count: 1, attrs: map[string]string{"action": "ecr:BatchGetImage", "resource": tRepoARN}},
				{id: "iam.permission-missing", count: 1, attrs: map[string]string{"action": "ecr:GetDownloadUrlForLayer", "resource": tRepoARN}},
				{id: "iam.permission-missing", count: 1, attrs: map[string]string{"action": "ecr:BatchCheckLayerAvailability", "resource": tRepoARN}},
			},
			absent: []string{"iam.policy-not-attached"},
		},
		{
			name: "image platform mismatch",
			opts: []opt{taskFailedToStart(reasonPlatform)},
			want: []wantFinding{{id: "stop.image-platform", sev: SeverityError, attrs: map[string]string{"image": tImage}}},
		},
		{
			name: "secret does not exist",
			opts: []opt{withSecret(tSecret), secretMod(func(s *facts.Secret) { s.Found, s.Name = false, "" }), taskFailedToStart(reasonSecretGone)},
			want: []wantFinding{
				{id: "stop.secret-not-found", sev: SeverityError},
				{id: "secret.not-found", sev: SeverityError, attrs: map[string]string{"secret": tSecret}, count: 1},
			},
			steps: map[StepID]Status{StepIAM: StatusFail},
		},
		{
			name:   "container health check stop: ECS's SIGTERM exit code is not the app's failure",
			opts:   []opt{healthCheck(60, "CMD", "/app/healthcheck"), failing("ServiceSchedulerInitiated", reasonHealthCheck, "", exit(143))},
			want:   []wantFinding{{id: "stop.health-check", sev: SeverityError}},
			absent: []string{"stop.essential-exited", "healthcheck.tool-missing", "healthcheck.start-period-short"},
		},
		{
			name: "ELB health check stop",
			opts: []opt{failing("ServiceSchedulerInitiated", reasonELBHealth, "", exit(137))},
			want: []wantFinding{{id: "stop.elb-health-check", sev: SeverityError,
				attrs: map[string]string{"targetGroup": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/73e2d6bc24d8a067"}}},
			absent: []string{"stop.essential-exited"},
		},
		{
			name: "essential container exited with code 1: one finding with the code",
			opts: []opt{failing("EssentialContainerExited", reasonEssential, "", exit(1))},
			want: []wantFinding{
				{id: "stop.essential-exited", sev: SeverityError, count: 1},
				{id: "stop.essential-exited", attrs: map[string]string{"exitCode": "1"}, evidence: reasonEssential},
			},
			steps: map[StepID]Status{StepStopReason: StatusFail},
		},
		{
			name: "two essential containers exit with different codes: two findings",
			opts: []opt{failing("EssentialContainerExited", reasonEssential, "", ptr(int32(1))), func(f *facts.Facts) {
				f.TaskDefinition.Containers = append(f.TaskDefinition.Containers, facts.ContainerDefinition{Name: "worker", Image: tImage, Essential: true})
				f.Tasks[0].Containers = append(f.Tasks[0].Containers, facts.Container{Name: "worker", Image: tImage, LastStatus: "STOPPED", ExitCode: ptr(int32(139))})
			}},
			want: []wantFinding{
				{id: "stop.essential-exited", count: 1, attrs: map[string]string{"exitCode": "1"}},
				{id: "stop.essential-exited", count: 1, attrs: map[string]string{"exitCode": "139"}},
			},
		},
		{
			name: "out of memory: container reason OutOfMemoryError, exit 137",
			opts: []opt{failing("EssentialContainerExited", reasonEssential, reasonOOM, exit(137))},
			want: []wantFinding{{id: "stop.oom", sev: SeverityError, count: 1}},
		},
		{
			name: "subnet out of addresses",
			opts: []opt{taskFailedToStart(reasonSubnetNoIPs)},
			want: []wantFinding{{id: "stop.subnet-no-ips", sev: SeverityError, attrs: map[string]string{"subnet": tSubnetA}}},
		},
		{
			name: "Docker Hub rate limit",
			opts: []opt{image("nginx:1.25"), taskFailedToStart(reasonRateLimited)},
			want: []wantFinding{{id: "stop.rate-limited", sev: SeverityError}},
		},
		{
			name: "unknown stop reason is shown verbatim",
			opts: []opt{taskFailedToStart(reasonUnclassified)},
			want: []wantFinding{{id: "stop.unclassified", sev: SeverityError, count: 1, evidence: reasonUnclassified, detail: []string{"AWS said: " + reasonUnclassified}}},
		},
		{
			name: "running task whose container is UNHEALTHY",
			opts: []opt{unhealthyTask(), healthCheck(90, "CMD-SHELL", "/app/bin/check")},
			want: []wantFinding{{id: "stop.health-check", sev: SeverityError, detail: []string{"UNHEALTHY"}}},
		},
		{
			name: "failing health check with a short start period",
			opts: []opt{healthCheck(0, "CMD", "/app/healthcheck"), unhealthyTask(), events(eventHealthCheck)},
			want: []wantFinding{{id: "healthcheck.start-period-short", sev: SeverityWarning, attrs: map[string]string{"container": "app"}, detail: []string{"startPeriod is 0 seconds"}}},
		},
		{
			name:   "a 60s start period is not short",
			opts:   []opt{healthCheck(60, "CMD", "/app/healthcheck"), unhealthyTask(), events(eventHealthCheck)},
			absent: []string{"healthcheck.start-period-short"},
		},
		{
			name: "wget health check on a slim image",
			opts: []opt{image("python:3.12-slim"), healthCheck(60, "CMD-SHELL", "wget -qO- http://localhost:8000/health || exit 1")},
			want: []wantFinding{{id: "healthcheck.tool-missing", sev: SeverityWarning, attrs: map[string]string{"tool": "wget"},
				fixes: []string{"update-health-check:app"}, cli: map[string][]string{"update-health-check:app": {"python3 -c"}}}},
		},
		{
			name:   "failing wget health check on Alpine: busybox has wget, so the tool is not the problem",
			opts:   []opt{image("nginx:1.25-alpine"), healthCheck(10, "CMD-SHELL", "wget -q --spider http://localhost/health || exit 1"), unhealthyTask()},
			want:   []wantFinding{{id: "healthcheck.start-period-short", sev: SeverityWarning}, {id: "stop.health-check", sev: SeverityError}},
			absent: []string{"healthcheck.tool-missing"},
		},
		{
			name:   "curl health check on an image that has curl, checks passing",
			opts:   []opt{healthCheck(60, "CMD-SHELL", "curl -f http://localhost:3000/health || exit 1")},
			absent: []string{"healthcheck.tool-missing"}, noErrors: true,
		},
	})
}

func TestLogsStep(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "log group missing",
			opts: []opt{logGroupMissing()},
			want: []wantFinding{{id: "logs.group-missing", sev: SeverityError, attrs: map[string]string{"logGroup": tLogGroup}, count: 1,
				fixes: []string{"create-log-group:/ecs/api"},
				cli:   map[string][]string{"create-log-group:/ecs/api": {"aws logs create-log-group --region us-east-1 --log-group-name /ecs/api"}}}},
			steps: map[StepID]Status{StepLogs: StatusFail},
		},
		{
			// The group does not exist and will not be created: both the
			// missing group and the missing permission are reported.
			name: "log group missing, awslogs-create-group=true but logs:CreateLogGroup not allowed",
			opts: []opt{logGroupMissing(), logOption("awslogs-create-group", "true")},
			want: []wantFinding{
				{id: "iam.permission-missing", sev: SeverityError,
					attrs: map[string]string{"action": "logs:CreateLogGroup", "resource": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api"}},
				{id: "logs.group-missing", sev: SeverityError, attrs: map[string]string{"logGroup": tLogGroup}, detail: []string{"cannot create the group"}},
			},
			steps: map[StepID]Status{StepLogs: StatusFail, StepIAM: StatusFail},
		},
		{
			name:   "awslogs-create-group=true with the permission granted",
			opts:   []opt{logGroupMissing(), logOption("awslogs-create-group", "true"), inlinePolicy("create-group", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`)},
			absent: []string{"logs.group-missing"}, noErrors: true,
		},
		{name: "db auth failed", opts: []opt{logLines(`error: password authentication failed for user "dbadmin"`)},
			want: []wantFinding{{id: "logs.db-auth-failed", sev: SeverityError}}},
		{name: "dns failure", opts: []opt{logLines("Error: getaddrinfo ENOTFOUND db.internal", "Error: getaddrinfo ENOTFOUND db.internal")},
			want: []wantFinding{{id: "logs.dns-failure", sev: SeverityError, count: 1, attrs: map[string]string{"host": "db.internal"}, detail: []string{"2 matching line(s)"}}}},
		{name: "connection refused", opts: []opt{logLines("Error: connect ECONNREFUSED 10.0.3.4:5432")},
			want: []wantFinding{{id: "logs.connection-refused", sev: SeverityError, attrs: map[string]string{"host": "10.0.3.4:5432"}}}},
		{name: "out of memory", opts: []opt{logLines("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory")},
			want: []wantFinding{{id: "logs.out-of-memory", sev: SeverityError}}},
		{name: "exec format error", opts: []opt{logLines("exec /usr/local/bin/docker-entrypoint.sh: exec format error")},
			want: []wantFinding{{id: "logs.exec-format", sev: SeverityError}}},
		{name: "benign lines", opts: []opt{logLines("Server listening on port 3000", "Connected to database taskmanagement at db.internal:5432")},
			noErrors: true, steps: map[StepID]Status{StepLogs: StatusOK}},
	})
}

func TestEndpointsStep(t *testing.T) {
	s3OnOtherTable := func(f *facts.Facts) {
		dropEndpoint("s3")(f)
		f.Network.Endpoints = append(f.Network.Endpoints, facts.VPCEndpoint{ID: "vpce-s3", VPCID: tVPC, ServiceName: "com.amazonaws.us-east-1.s3",
			Type: "Gateway", State: "available", RouteTables: []string{tRTPub}})
	}
	runScenarios(t, []scenario{
		{
			name: "S3 gateway endpoint not on the task subnets' route table",
			opts: []opt{privateEndpoints(), s3OnOtherTable, taskFailedToStart(reasonPullTimeout)},
			want: []wantFinding{{id: "endpoint.s3-route-table-missing", sev: SeverityError, count: 1, attrs: map[string]string{"routeTable": tRTPriv},
				fixes: []string{"associate-s3-endpoint-route-table:rtb-private"},
				cli: map[string][]string{"associate-s3-endpoint-route-table:rtb-private": {
					"aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id vpce-s3 --add-route-table-ids rtb-private"}}}},
			absent: []string{"endpoint.missing"},
		},
		{
			name:     "S3 gateway endpoint not on the route table, NAT carries S3: a warning",
			opts:     []opt{s3OnOtherTable},
			want:     []wantFinding{{id: "endpoint.s3-route-table-missing", sev: SeverityWarning, attrs: map[string]string{"routeTable": tRTPriv}}},
			noErrors: true, steps: map[StepID]Status{StepEndpoints: StatusWarn},
		},
		{
			name: "endpoint not available",
			opts: []opt{privateEndpoints(), endpointMod("logs", func(ep *facts.VPCEndpoint) { ep.State = "pending" })},
			want: []wantFinding{{id: "endpoint.not-available", sev: SeverityError, count: 1, attrs: map[string]string{"service": "logs", "endpointId": "vpce-logs"}}},
		},
		{
			name: "interface endpoint with private DNS off",
			opts: []opt{privateEndpoints(), endpointMod("ecr.api", func(ep *facts.VPCEndpoint) { ep.PrivateDNS = false })},
			want: []wantFinding{{id: "endpoint.private-dns-disabled", sev: SeverityError, count: 1, attrs: map[string]string{"service": "ecr.api", "endpointId": "vpce-ecrapi"},
				fixes: []string{"enable-private-dns:vpce-ecrapi"},
				cli:   map[string][]string{"enable-private-dns:vpce-ecrapi": {"aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id vpce-ecrapi --private-dns-enabled"}}}},
			absent: []string{"endpoint.missing"},
		},
		{
			name:     "interface endpoint missing one task AZ",
			opts:     []opt{privateEndpoints(), endpointMod("logs", func(ep *facts.VPCEndpoint) { ep.Subnets = []string{tSubnetA} })},
			want:     []wantFinding{{id: "endpoint.az-not-covered", sev: SeverityWarning, count: 1, attrs: map[string]string{"service": "logs", "az": "us-east-1b"}}},
			noErrors: true, steps: map[StepID]Status{StepEndpoints: StatusWarn},
		},
		{
			name: "VPC DNS support off: one finding for every service",
			opts: []opt{vpcDNS(false, true)},
			want: []wantFinding{{id: "vpc.dns-support-disabled", sev: SeverityError, count: 1, attrs: map[string]string{"vpc": tVPC},
				fixes: []string{"enable-vpc-dns:enableDnsSupport"},
				cli:   map[string][]string{"enable-vpc-dns:enableDnsSupport": {`aws ec2 modify-vpc-attribute --region us-east-1 --vpc-id vpc-0abc --enable-dns-support "{\"Value\":true}"`}}}},
			errors: []string{"vpc.dns-support-disabled"},
		},
		{
			name: "VPC DNS hostnames off with interface endpoints",
			opts: []opt{privateEndpoints(), vpcDNS(true, false)},
			want: []wantFinding{{id: "vpc.dns-hostnames-disabled", sev: SeverityError, count: 1, attrs: map[string]string{"vpc": tVPC},
				fixes: []string{"enable-vpc-dns:enableDnsHostnames"},
				cli:   map[string][]string{"enable-vpc-dns:enableDnsHostnames": {"--vpc-id vpc-0abc --enable-dns-hostnames"}}}},
			errors: []string{"vpc.dns-hostnames-disabled"},
		},
		{
			name: "public IP in private subnets without NAT",
			opts: []opt{noNAT(), assignPublicIP()},
			want: []wantFinding{
				{id: "net.public-ip-no-igw", sev: SeverityError, count: 1, attrs: map[string]string{"subnet": tSubnetA}},
				{id: "net.public-ip-no-igw", sev: SeverityError, count: 1, attrs: map[string]string{"subnet": tSubnetB}},
				{id: "endpoint.missing", attrs: map[string]string{"service": "ecr.api"}, fixes: []string{"create-interface-endpoint:ecr.api"}},
			},
		},
		{
			name:     "public IP in private subnets behind a NAT: unused, a warning",
			opts:     []opt{assignPublicIP()},
			want:     []wantFinding{{id: "net.public-ip-no-igw", sev: SeverityWarning, attrs: map[string]string{"subnet": tSubnetA}}},
			noErrors: true,
		},
		{
			name: "NAT gateway failed",
			opts: []opt{natState("failed"), taskFailedToStart(reasonRegistryAuth)},
			want: []wantFinding{
				{id: "net.nat-unusable", sev: SeverityError, count: 1, attrs: map[string]string{"natGateway": tNAT}},
				{id: "endpoint.missing", attrs: map[string]string{"service": "ecr.api"}, count: 1},
			},
		},
		{
			name: "default route to a transit gateway cannot be followed",
			opts: []opt{func(f *facts.Facts) {
				setDefaultRoute(f, tRTPriv, &facts.Route{DestinationCIDR: "0.0.0.0/0", TransitGatewayID: "tgw-0abc", State: "active"})
			}},
			want:     []wantFinding{{id: "net.path-unverified", sev: SeverityWarning, count: 1, attrs: map[string]string{"service": "ecr.api"}}},
			noErrors: true, steps: map[StepID]Status{StepEndpoints: StatusWarn},
		},
	})
}

func TestIAMStep(t *testing.T) {
	ssmParam := facts.Parameter{Name: "/app/api-key", ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/app/api-key", Type: "SecureString", KeyID: "alias/aws/ssm", Found: true}
	runScenarios(t, []scenario{
		{
			name: "no execution role, ECR image and awslogs need one",
			opts: []opt{func(f *facts.Facts) {
				f.TaskDefinition.ExecutionRoleARN = ""
				f.IAM = facts.IAM{}
				f.Fetches[facts.KeyRole] = facts.Fetch{State: facts.FetchSkipped}
				f.Fetches[facts.KeyRolePolicies] = facts.Fetch{State: facts.FetchSkipped}
			}},
			want:   []wantFinding{{id: "iam.execution-role-missing", sev: SeverityError, detail: []string{"pull the ECR image", "send logs to CloudWatch"}}},
			errors: []string{"iam.execution-role-missing"},
		},
		{
			name: "execution role does not exist",
			opts: []opt{func(f *facts.Facts) {
				f.IAM = facts.IAM{ExecutionRoleNotFound: true}
				f.Fetches[facts.KeyRolePolicies] = facts.Fetch{State: facts.FetchSkipped}
			}},
			want:   []wantFinding{{id: "iam.execution-role-not-found", sev: SeverityError, attrs: map[string]string{"role": tRoleARN}}},
			errors: []string{"iam.execution-role-not-found"},
		},
		{
			name: "logs actions missing",
			opts: []opt{detachExecPolicy(), inlinePolicy("ecr", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":"*"}]}`)},
			want: []wantFinding{
				{id: "iam.permission-missing", sev: SeverityError, attrs: map[string]string{"action": "logs:CreateLogStream",
					"resource": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:log-stream:ecs/app/1111aaaa2222bbbb3333cccc4444dddd"}},
				{id: "iam.permission-missing", sev: SeverityError, attrs: map[string]string{"action": "logs:PutLogEvents"}},
			},
			errors: []string{"iam.permission-missing", "iam.permission-missing"},
		},
		{
			name: "secret encrypted with a customer managed key: kms:Decrypt",
			opts: []opt{withSecret(tSecret), secretKMS(tCMK, "CUSTOMER")},
			want: []wantFinding{{id: "iam.permission-missing", sev: SeverityError, count: 1, attrs: map[string]string{"action": "kms:Decrypt", "resource": tCMK},
				fixes: []string{putPolicy}, cli: map[string][]string{putPolicy: {`"Action":["kms:Decrypt"],"Resource":["` + tCMK + `"]`}}}},
			errors: []string{"iam.permission-missing"},
		},
		{
			name:     "secret encrypted with the AWS managed key: no kms:Decrypt needed",
			opts:     []opt{withSecret(tSecret), secretKMS("arn:aws:kms:us-east-1:123456789012:key/aws-managed-0000", "AWS")},
			noErrors: true, steps: map[StepID]Status{StepIAM: StatusOK},
		},
		{
			name: "SSM parameter without ssm:GetParameters",
			opts: []opt{withParameter("/app/api-key", ssmParam)},
			want: []wantFinding{{id: "iam.permission-missing", sev: SeverityError, count: 1,
				attrs: map[string]string{"action": "ssm:GetParameters", "resource": "arn:aws:ssm:us-east-1:123456789012:parameter/app/api-key"}}},
			errors: []string{"iam.permission-missing"},
		},
		{
			name: "SSM parameter that does not exist",
			opts: []opt{withParameter("/app/missing", facts.Parameter{Name: "/app/missing"}),
				inlinePolicy("ssm", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/app/*"}]}`)},
			want:   []wantFinding{{id: "secret.not-found", sev: SeverityError, count: 1, attrs: map[string]string{"secret": "/app/missing"}}},
			errors: []string{"secret.not-found"},
		},
		{
			name: "secret scheduled for deletion",
			opts: []opt{withSecret(tSecret), secretMod(func(s *facts.Secret) { s.Deleted = ptr(tNow.Add(72 * 60 * 60 * 1e9)) })},
			want: []wantFinding{{id: "secret.not-found", sev: SeverityError, attrs: map[string]string{"secret": tSecret}, detail: []string{"restore-secret"}}},
		},
		{
			name: "permission allowed only under a condition",
			opts: []opt{withSecret(tSecret), dropInlinePolicies(),
				inlinePolicy("secrets", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123"}}}]}`)},
			want:     []wantFinding{{id: "iam.permission-conditional", sev: SeverityWarning, attrs: map[string]string{"action": "secretsmanager:GetSecretValue", "resource": tSecret}}},
			noErrors: true, steps: map[StepID]Status{StepIAM: StatusWarn},
		},
		{
			name: "explicit deny: no inline-policy fix can help",
			opts: []opt{withSecret(tSecret),
				inlinePolicy("deny", `{"Version":"2012-10-17","Statement":[{"Sid":"NoSecrets","Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}]}`)},
			want: []wantFinding{{id: "iam.permission-missing", sev: SeverityError, attrs: map[string]string{"action": "secretsmanager:GetSecretValue"},
				fixes: []string{}, detail: []string{"explicitly denies", "NoSecrets"}}},
		},
		{
			name: "the IAM simulator overrules the policy evaluator (an SCP denies)",
			opts: []opt{withSecret(tSecret), func(f *facts.Facts) {
				f.IAM.Simulation = &facts.Simulation{Results: []facts.SimulationResult{{Action: "secretsmanager:GetSecretValue", Resource: tSecret, Decision: "implicitDeny"}}}
				f.Fetches[facts.KeySimulation] = facts.Fetch{State: facts.FetchDone}
			}},
			want: []wantFinding{{id: "iam.permission-missing", sev: SeverityError, count: 1, attrs: map[string]string{"action": "secretsmanager:GetSecretValue", "resource": tSecret}}},
		},
	})
}

func TestSecurityGroupsStep(t *testing.T) {
	egress80 := sgMod(tTaskSG, func(sg *facts.SecurityGroup) {
		sg.Egress = []facts.SGRule{{Protocol: "tcp", FromPort: 80, ToPort: 80, CIDRs: []string{"0.0.0.0/0"}}}
	})
	runScenarios(t, []scenario{
		{
			name: "task egress allows only port 80, through a NAT",
			opts: []opt{egress80},
			want: []wantFinding{
				{id: "sg.task-egress-blocked", sev: SeverityError, count: 1, attrs: map[string]string{"service": "ecr.api", "port": "443"},
					fixes: []string{"authorize-task-https-egress:sg-task:0.0.0.0/0"},
					cli: map[string][]string{"authorize-task-https-egress:sg-task:0.0.0.0/0": {
						"aws ec2 authorize-security-group-egress --region us-east-1 --group-id sg-task", `"FromPort":443`, `"CidrIp":"0.0.0.0/0"`}}},
				{id: "sg.task-egress-blocked", count: 1, attrs: map[string]string{"service": "logs", "port": "443"}},
			},
			steps: map[StepID]Status{StepSecurityGroups: StatusFail, StepEndpoints: StatusOK},
		},
		{
			name: "task egress closed, through endpoints: each fix opens exactly the path it needs",
			opts: []opt{privateEndpoints(), sgMod(tTaskSG, func(sg *facts.SecurityGroup) { sg.Egress = nil })},
			want: []wantFinding{
				{id: "sg.task-egress-blocked", sev: SeverityError, attrs: map[string]string{"service": "ecr.api", "port": "443"},
					fixes: []string{"authorize-task-https-egress:sg-task:10.0.0.0/16"},
					cli:   map[string][]string{"authorize-task-https-egress:sg-task:10.0.0.0/16": {"--group-id sg-task", `"CidrIp":"10.0.0.0/16"`}}},
				{id: "sg.task-egress-blocked", sev: SeverityError, attrs: map[string]string{"service": "s3", "port": "443"},
					fixes: []string{"authorize-task-https-egress:sg-task:pl-63a5400a"},
					cli:   map[string][]string{"authorize-task-https-egress:sg-task:pl-63a5400a": {"--group-id sg-task", `"PrefixListId":"pl-63a5400a"`}}},
			}},
		{
			name: "network ACL denies outbound 443 from the task subnets",
			opts: []opt{withNACL("acl-private", []facts.NACLEntry{
				naclEntry(90, true, "6", "deny", "0.0.0.0/0", 443, 443),
				naclEntry(100, true, "-1", "allow", "0.0.0.0/0"),
				naclEntry(100, false, "-1", "allow", "0.0.0.0/0"),
			}, tSubnetA, tSubnetB)},
			want: []wantFinding{
				{id: "nacl.blocks-https", sev: SeverityError, count: 1, attrs: map[string]string{"subnet": tSubnetA, "nacl": "acl-private"}, fixes: []string{}},
				{id: "nacl.blocks-https", sev: SeverityError, count: 1, attrs: map[string]string{"subnet": tSubnetB, "nacl": "acl-private"}},
			},
			steps: map[StepID]Status{StepSecurityGroups: StatusFail, StepEndpoints: StatusOK},
		},
		{
			name: "network ACL denies the return traffic (ephemeral ports)",
			opts: []opt{withNACL("acl-private", []facts.NACLEntry{
				naclEntry(100, true, "-1", "allow", "0.0.0.0/0"),
				naclEntry(100, false, "6", "allow", "10.0.0.0/16", 0, 65535),
			}, tSubnetA, tSubnetB)},
			want: []wantFinding{{id: "nacl.blocks-https", sev: SeverityError, attrs: map[string]string{"subnet": tSubnetA, "nacl": "acl-private"}, detail: []string{"replies"}}},
		},
		{
			name: "database does not admit the task",
			opts: []opt{withDatabase("sg-bastion")},
			want: []wantFinding{{id: "sg.db-ingress-missing", sev: SeverityError, count: 1, attrs: map[string]string{"db": "taskdb", "port": "5432"},
				fixes: []string{"authorize-db-ingress:sg-db:5432"},
				cli: map[string][]string{"authorize-db-ingress:sg-db:5432": {
					"aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-db", `"FromPort":5432`, `"GroupId":"sg-task"`}}}},
			steps: map[StepID]Status{StepSecurityGroups: StatusFail},
		},
		{
			name: "network ACL of the database subnet blocks 5432",
			opts: []opt{withDatabase(tTaskSG), func(f *facts.Facts) {
				f.Network.Subnets = append(f.Network.Subnets, facts.Subnet{ID: "subnet-db", VPCID: tVPC, AZ: "us-east-1a", CIDR: "10.0.50.0/24", AvailableIPs: 250})
				f.Network.NetworkInterfaces = append(f.Network.NetworkInterfaces, facts.NetworkInterface{ID: "eni-rds", SubnetID: "subnet-db", VPCID: tVPC,
					PrivateIP: "10.0.50.10", Groups: []string{tDBSG}, Description: "RDSNetworkInterface"})
			}, withNACL("acl-db", []facts.NACLEntry{
				naclEntry(100, false, "6", "allow", "10.0.0.0/16", 443, 443),
				naclEntry(100, true, "-1", "allow", "0.0.0.0/0"),
			}, "subnet-db")},
			want:  []wantFinding{{id: "nacl.blocks-port", sev: SeverityError, count: 1, attrs: map[string]string{"subnet": "subnet-db", "nacl": "acl-db", "port": "5432"}}},
			steps: map[StepID]Status{StepSecurityGroups: StatusFail},
		},
		{
			name:     "database admits the task group",
			opts:     []opt{withDatabase(tTaskSG)},
			absent:   []string{"sg.db-ingress-missing"},
			noErrors: true, steps: map[StepID]Status{StepSecurityGroups: StatusOK},
		},
	})
}

// The knowledge base's additions to the catalogue reach the diagnosis as
// stop-reason findings (their texts are AWS's, from kb/cases_test.go).
func TestKnowledgeBaseAdditions(t *testing.T) {
	cases := []struct{ id, reason string }{
		{"stop.image-pull-failed", "CannotPullContainerError: failed to unpack image on snapshotter overlayfs: unexpected media type text/html"},
		{"stop.efs-mount", "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting fs-0123abcd.efs.us-east-1.amazonaws.com:/grafana failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32"},
		{"stop.env-files", "ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): AccessDenied: Access Denied status code: 403"},
		{"stop.disk-full", "CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob123456789: no space left on device"},
		{"stop.container-start", `CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "node": executable file not found in $PATH: unknown`},
		{"stop.container-runtime", "ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m"},
		{"stop.eni-timeout", "Timeout waiting for network interface provisioning to complete."},
		{"stop.task-quota", "You've reached the limit on the number of tasks you can run concurrently"},
	}
	var scenarios []scenario
	for _, c := range cases {
		scenarios = append(scenarios, scenario{
			name:  c.id,
			opts:  []opt{taskFailedToStart(c.reason)},
			want:  []wantFinding{{id: c.id, sev: SeverityError, count: 1, evidence: c.reason}},
			steps: map[StepID]Status{StepStopReason: StatusFail},
		})
	}
	runScenarios(t, scenarios)
}
