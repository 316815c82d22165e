package workflow

import (
	"os"
	"reflect"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// scenario is one world (the healthy default with options applied) and what
// its diagnosis must say.
type scenario struct {
	name string
	opts []opt
	want []wantFinding
	// absent are finding ids that must not be reported.
	absent []string
	// steps are expected statuses of some steps.
	steps map[StepID]Status
	// errors, when non-nil, are exactly the ids of the error findings
	// (sorted or not: compared as a multiset).
	errors []string
	// noErrors: no finding of severity error (exit code 0).
	noErrors bool
}

func runScenarios(t *testing.T, cases []scenario) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Diagnose(newFacts(tc.opts...))
			// ECSDOCTOR_DUMP_DIAGNOSIS=1 go test -v -run NAME prints each diagnosis.
			if os.Getenv("ECSDOCTOR_DUMP_DIAGNOSIS") != "" {
				t.Log("\n" + summary(d))
			}
			checkInvariants(t, d)
			for _, w := range tc.want {
				checkWant(t, d, w)
			}
			for _, id := range tc.absent {
				if fs := matching(d, id, nil); len(fs) > 0 {
					t.Errorf("unexpected finding %s %v; got:\n%s", id, fs[0].Attrs, summary(d))
				}
			}
			for id, st := range tc.steps {
				if s := d.Step(id); s == nil || s.Status != st {
					t.Errorf("step %s status %v, want %s; got:\n%s", id, s.Status, st, summary(d))
				}
			}
			if tc.errors != nil {
				if got, want := errorIDs(d), sortedCopy(tc.errors); !reflect.DeepEqual(got, want) {
					t.Errorf("error findings %v, want %v; got:\n%s", got, want, summary(d))
				}
			}
			if tc.noErrors && d.HasErrors() {
				t.Errorf("want no error finding; got:\n%s", summary(d))
			}
		})
	}
}

var (
	// ECS keeps retrying a service whose tasks fail (until a deployment
	// fails): nothing to fix on the service itself.
	forceDeploy = wantFinding{id: "service.no-running-tasks", sev: SeverityError, fixes: []string{}, detail: []string{"wants 2 task(s)", "runs none"}}
	failedTasks = wantFinding{id: "task.stopped-failures", sev: SeverityError, attrs: map[string]string{"count": "2"}}
	putPolicy   = "put-execution-role-policy:ecsTaskExecutionRole"
	// The error findings of any service whose tasks all fail to start.
	startFailureErrors = []string{"service.no-running-tasks", "task.stopped-failures"}
)

func errs(ids ...string) []string { return append(append([]string{}, startFailureErrors...), ids...) }

func rep(id string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = id
	}
	return out
}

// TestSeedChallenges reproduces each challenge of the seeds in
// /work/shared/seeds and checks ecsdoctor finds its cause and offers the
// fix the seed applied.
func TestSeedChallenges(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "seed 000: private subnets, no endpoints, no NAT",
			opts: []opt{noNAT(), taskFailedToStart(reasonRegistryAuth)},
			want: []wantFinding{
				forceDeploy, failedTasks,
				{id: "stop.registry-auth-network", sev: SeverityError, evidence: "cannot pull registry auth from Amazon ECR"},
				{id: "endpoint.missing", sev: SeverityError, attrs: map[string]string{"service": "ecr.api"}, count: 1,
					fixes: []string{"create-interface-endpoint:ecr.api"},
					cli: map[string][]string{"create-interface-endpoint:ecr.api": {
						// no group admits the task on 443 yet: one is created
						"aws ec2 create-security-group --region us-east-1 --vpc-id vpc-0abc --group-name ecsdoctor-endpoints-vpc-0abc",
						`aws ec2 authorize-security-group-ingress --region us-east-1 --group-id $ENDPOINT_SG`, `"GroupId":"sg-task"`,
						"aws ec2 create-vpc-endpoint --region us-east-1 --vpc-id vpc-0abc --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.ecr.api --subnet-ids subnet-0a subnet-0b --security-group-ids $ENDPOINT_SG --private-dns-enabled",
					}}},
				{id: "endpoint.missing", attrs: map[string]string{"service": "ecr.dkr"}, count: 1, fixes: []string{"create-interface-endpoint:ecr.dkr"}},
				{id: "endpoint.missing", attrs: map[string]string{"service": "logs"}, count: 1, fixes: []string{"create-interface-endpoint:logs"}},
				{id: "endpoint.missing", attrs: map[string]string{"service": "s3"}, count: 1, fixes: []string{"create-s3-gateway-endpoint:vpc-0abc"},
					cli: map[string][]string{"create-s3-gateway-endpoint:vpc-0abc": {"aws ec2 create-vpc-endpoint --region us-east-1 --vpc-id vpc-0abc --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids rtb-private"}}},
			},
			steps: map[StepID]Status{StepEvents: StatusFail, StepStoppedTasks: StatusFail, StepStopReason: StatusFail, StepLogs: StatusOK,
				StepEndpoints: StatusFail, StepIAM: StatusOK, StepSecurityGroups: StatusOK},
			errors: errs("stop.registry-auth-network", "endpoint.missing", "endpoint.missing", "endpoint.missing", "endpoint.missing"),
		},
		{
			name: "seed 000 option 2: public subnets without a public IP offer enable-public-ip",
			opts: []opt{noNAT(), taskFailedToStart(reasonRegistryAuth), publicSubnets(false)},
			want: []wantFinding{
				{id: "endpoint.missing", sev: SeverityError, attrs: map[string]string{"service": "ecr.api"},
					fixes: []string{"enable-public-ip:api", "create-interface-endpoint:ecr.api"},
					cli: map[string][]string{"enable-public-ip:api": {
						`aws ecs update-service --region us-east-1 --cluster prod --service api --network-configuration "awsvpcConfiguration={subnets=[subnet-pub-a,subnet-pub-b],securityGroups=[sg-task],assignPublicIp=ENABLED}"`,
					}}},
			},
		},
		{
			name: "seed 002 challenge 1: Secrets Manager endpoint missing",
			opts: []opt{withSecret(tSecret), privateEndpoints(), dropEndpoint("secretsmanager"), taskFailedToStart(reasonSecretsNet)},
			want: []wantFinding{
				{id: "stop.secrets-network", sev: SeverityError, attrs: map[string]string{"service": "secretsmanager"}},
				{id: "endpoint.missing", sev: SeverityError, attrs: map[string]string{"service": "secretsmanager"}, count: 1,
					fixes: []string{"create-interface-endpoint:secretsmanager"},
					cli: map[string][]string{"create-interface-endpoint:secretsmanager": {
						// sg-endpoints already admits the task: reuse it
						"aws ec2 create-vpc-endpoint --region us-east-1 --vpc-id vpc-0abc --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.secretsmanager --subnet-ids subnet-0a subnet-0b --security-group-ids sg-endpoints --private-dns-enabled",
					}}},
			},
			steps:  map[StepID]Status{StepEndpoints: StatusFail, StepIAM: StatusOK, StepSecurityGroups: StatusOK, StepLogs: StatusOK},
			errors: errs("stop.secrets-network", "endpoint.missing"),
		},
		{
			name: "seed 002 challenge 2: CloudWatch Logs endpoint missing",
			opts: []opt{withSecret(tSecret), privateEndpoints(), dropEndpoint("logs"), taskFailedToStart(reasonLogsInit)},
			want: []wantFinding{
				{id: "stop.logs-init", sev: SeverityError},
				{id: "endpoint.missing", sev: SeverityError, attrs: map[string]string{"service": "logs"}, count: 1,
					fixes: []string{"create-interface-endpoint:logs"},
					cli:   map[string][]string{"create-interface-endpoint:logs": {"--service-name com.amazonaws.us-east-1.logs", "--security-group-ids sg-endpoints"}}},
			},
			errors: errs("stop.logs-init", "endpoint.missing"),
		},
		{
			name: "seed 002 challenge 3: policy created but not attached",
			opts: []opt{withSecret(tSecret), dropInlinePolicies(), unattachedPolicy("TaskManagementSecretsAccess", secretsPolicyDoc),
				privateEndpoints(), taskFailedToStart(reasonSecretsDenied)},
			want: []wantFinding{
				{id: "stop.secrets-access-denied", sev: SeverityError, attrs: map[string]string{"action": "secretsmanager:GetSecretValue"}},
				{id: "iam.policy-not-attached", sev: SeverityError,
					attrs: map[string]string{"policyArn": "arn:aws:iam::123456789012:policy/TaskManagementSecretsAccess"},
					fixes: []string{"attach-role-policy:TaskManagementSecretsAccess"},
					cli: map[string][]string{"attach-role-policy:TaskManagementSecretsAccess": {
						"aws iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn arn:aws:iam::123456789012:policy/TaskManagementSecretsAccess",
					}}},
				{id: "iam.permission-missing", sev: SeverityError, count: 1,
					attrs: map[string]string{"action": "secretsmanager:GetSecretValue", "resource": tSecret},
					fixes: []string{"attach-role-policy:TaskManagementSecretsAccess", putPolicy},
					cli: map[string][]string{putPolicy: {
						"aws iam put-role-policy --role-name ecsTaskExecutionRole --policy-name ecsdoctor-execution-access --policy-document",
						`"Action":["secretsmanager:GetSecretValue"],"Resource":["` + tSecret + `"]`,
					}}},
			},
			steps:  map[StepID]Status{StepIAM: StatusFail, StepEndpoints: StatusOK, StepSecurityGroups: StatusOK},
			errors: errs("stop.secrets-access-denied", "iam.policy-not-attached", "iam.permission-missing"),
		},
		{
			name: "seed 002 challenge 4: endpoints share the task group, which lacks 443 from itself",
			opts: []opt{withSecret(tSecret), privateEndpoints(), endpointsGroups(tTaskSG), taskFailedToStart(reasonSecretsNet)},
			want: []wantFinding{
				{id: "sg.endpoint-ingress-missing", sev: SeverityError,
					attrs: map[string]string{"service": "secretsmanager", "endpointId": "vpce-secretsmanager"},
					fixes: []string{"authorize-endpoint-https-ingress:sg-task"},
					cli: map[string][]string{"authorize-endpoint-https-ingress:sg-task": {
						"aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-task --ip-permissions",
						`"FromPort":443`, `"ToPort":443`, `"GroupId":"sg-task"`,
					}}},
				{id: "sg.endpoint-ingress-missing", attrs: map[string]string{"service": "ecr.api", "endpointId": "vpce-ecrapi"}, count: 1},
				{id: "sg.endpoint-ingress-missing", attrs: map[string]string{"service": "logs", "endpointId": "vpce-logs"}, count: 1},
			},
			steps:  map[StepID]Status{StepEndpoints: StatusOK, StepSecurityGroups: StatusFail, StepIAM: StatusOK},
			errors: append(errs("stop.secrets-network"), rep("sg.endpoint-ingress-missing", 4)...),
		},
		{
			name: "seed 002 challenge 4: endpoint group without an HTTPS rule",
			opts: []opt{withSecret(tSecret), privateEndpoints(), sgMod(tEpSG, func(sg *facts.SecurityGroup) { sg.Ingress = nil }), taskFailedToStart(reasonSecretsNet)},
			want: []wantFinding{
				{id: "sg.endpoint-ingress-missing", sev: SeverityError,
					attrs: map[string]string{"service": "secretsmanager", "endpointId": "vpce-secretsmanager"},
					fixes: []string{"authorize-endpoint-https-ingress:sg-endpoints"},
					cli: map[string][]string{"authorize-endpoint-https-ingress:sg-endpoints": {
						"aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-endpoints", `"GroupId":"sg-task"`,
					}}},
			},
			steps: map[StepID]Status{StepSecurityGroups: StatusFail},
		},
		{
			name: "seed 002 challenge 5: endpoints carry only the other service's group",
			opts: []opt{withSecret(tSecret), privateEndpoints(),
				sgMod("sg-auth", func(sg *facts.SecurityGroup) {
					sg.Name = "task-mgmt-auth-sg"
					sg.Ingress = []facts.SGRule{tcpFrom(443, nil, "sg-auth")}
					sg.Egress = []facts.SGRule{{Protocol: "-1", FromPort: -1, ToPort: -1, CIDRs: []string{"0.0.0.0/0"}}}
				}),
				sgMod(tTaskSG, func(sg *facts.SecurityGroup) { sg.Ingress = append(sg.Ingress, tcpFrom(443, nil, tTaskSG)) }),
				endpointsGroups("sg-auth"), taskFailedToStart(reasonGenericInit)},
			want: []wantFinding{
				{id: "stop.resource-init", sev: SeverityError},
				{id: "sg.endpoint-ingress-missing", sev: SeverityError,
					attrs: map[string]string{"service": "secretsmanager", "endpointId": "vpce-secretsmanager"},
					fixes: []string{"add-endpoint-security-group:vpce-secretsmanager", "authorize-endpoint-https-ingress:sg-auth"},
					cli: map[string][]string{
						"add-endpoint-security-group:vpce-secretsmanager": {"aws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id vpce-secretsmanager --add-security-group-ids sg-task"},
						"authorize-endpoint-https-ingress:sg-auth":        {"--group-id sg-auth", `"GroupId":"sg-task"`},
					}},
				{id: "sg.endpoint-ingress-missing", attrs: map[string]string{"endpointId": "vpce-ecrdkr"},
					fixes: []string{"add-endpoint-security-group:vpce-ecrdkr", "authorize-endpoint-https-ingress:sg-auth"}},
			},
			errors: append(errs("stop.resource-init"), rep("sg.endpoint-ingress-missing", 4)...),
		},
		{
			name: "seed 002 challenge 8: curl health check in an image built from node:18-alpine",
			opts: []opt{image("123456789012.dkr.ecr.us-east-1.amazonaws.com/task-service:v1.0.0"),
				healthCheck(60, "CMD-SHELL", "curl -f http://localhost:3000/tasks/health || exit 1"),
				unhealthyTask(), rollout("FAILED", "ECS deployment circuit breaker: tasks failed to start."),
				events(eventDeployFailed, eventHealthCheck),
				addStopped("ServiceSchedulerInitiated", reasonHealthCheck, "", ptr(int32(143)))},
			want: []wantFinding{
				{id: "service.deployment-failed", sev: SeverityError, count: 1, fixes: []string{"force-new-deployment:api"}},
				{id: "service.event.health-check", sev: SeverityError, evidence: eventHealthCheck},
				{id: "stop.health-check", sev: SeverityError},
				// The ECR image name does not say alpine: curl is a suspect (warning,
				// "may lack"); the failing checks themselves are the errors above.
				{id: "healthcheck.tool-missing", sev: SeverityWarning, attrs: map[string]string{"tool": "curl", "container": "app"},
					fixes: []string{"update-health-check:app"},
					cli: map[string][]string{"update-health-check:app": {
						"aws ecs describe-task-definition --region us-east-1 --task-definition " + tTDARN,
						`select(.name=="app")`,
						"wget -q -O /dev/null http://localhost:3000/tasks/health",
						"aws ecs register-task-definition --region us-east-1 --cli-input-json file://td-new.json",
						"aws ecs update-service --region us-east-1 --cluster prod --service api --task-definition api",
					}}},
			},
			absent: []string{"stop.essential-exited", "healthcheck.start-period-short"},
			steps:  map[StepID]Status{StepEvents: StatusFail, StepStopReason: StatusFail, StepEndpoints: StatusOK, StepIAM: StatusOK},
		},
		{
			name: "seed 002 challenge 8: node:18-alpine named in the image, checks not failing yet",
			opts: []opt{image("node:18-alpine"), healthCheck(60, "CMD-SHELL", "curl -f http://localhost:3000/tasks/health || exit 1")},
			want: []wantFinding{
				{id: "healthcheck.tool-missing", sev: SeverityWarning, attrs: map[string]string{"tool": "curl"},
					detail: []string{"Alpine"}, fixes: []string{"update-health-check:app"},
					cli: map[string][]string{"update-health-check:app": {`node -e`, "http://localhost:3000/tasks/health"}}},
			},
			noErrors: true,
			steps:    map[StepID]Status{StepStopReason: StatusWarn},
		},
		{
			name: "seed 002 challenge 9: RDS refuses an unencrypted connection",
			opts: []opt{logLines("Task Service listening on port 3000",
				`Registration error: error: no pg_hba.conf entry for host "10.0.101.27", user "dbadmin", database "taskmanagement", no encryption`)},
			want: []wantFinding{
				{id: "logs.db-ssl-required", sev: SeverityError, count: 1, evidence: "no encryption"},
			},
			steps:  map[StepID]Status{StepLogs: StatusFail, StepEvents: StatusOK, StepEndpoints: StatusOK, StepIAM: StatusOK},
			errors: []string{"logs.db-ssl-required"},
		},
	})
}

// TestHealthyServices: no error finding when nothing is wrong, whichever
// way the tasks reach AWS.
func TestHealthyServices(t *testing.T) {
	allOK := map[StepID]Status{StepEvents: StatusOK, StepStoppedTasks: StatusOK, StepStopReason: StatusOK, StepLogs: StatusOK,
		StepEndpoints: StatusOK, StepIAM: StatusOK, StepSecurityGroups: StatusOK}
	runScenarios(t, []scenario{
		{name: "private subnets through a NAT gateway", opts: nil, noErrors: true, steps: allOK,
			want: []wantFinding{{id: "task.none-stopped", sev: SeverityInfo, fixes: []string{}}}},
		{name: "private subnets with all five endpoints and a secret", opts: []opt{privateEndpoints(), withSecret(tSecret)}, noErrors: true, steps: allOK,
			absent: []string{"endpoint.az-not-covered", "iam.permission-missing"}},
		{name: "public subnets with a public IP", opts: []opt{publicSubnets(true)}, noErrors: true, steps: allOK},
		{name: "public subnets with a public IP and no NAT anywhere", opts: []opt{publicSubnets(true), noNAT()}, noErrors: true, steps: allOK},
		{name: "NAT for the internet, gateway endpoint for S3", opts: []opt{withEndpoints("s3")}, noErrors: true, steps: allOK},
		{
			name: "steady now, with a failed task from before it recovered",
			opts: []opt{oldFailedTask(reasonRegistryAuth), events(eventSteady)},
			want: []wantFinding{
				{id: "task.stopped-failures", sev: SeverityWarning, attrs: map[string]string{"count": "1"}, detail: []string{"may be history"}},
				{id: "stop.registry-auth-network", sev: SeverityWarning, detail: []string{"may be history"}},
			},
			noErrors: true,
			steps:    map[StepID]Status{StepEvents: StatusOK, StepStoppedTasks: StatusWarn, StepStopReason: StatusWarn, StepEndpoints: StatusOK},
		},
		{
			name: "steady now, the old failed task's logs say why it failed",
			opts: []opt{oldFailedTask(reasonEssential, 1), failedLogs("Error: connect ECONNREFUSED 10.0.3.4:5432")},
			want: []wantFinding{
				{id: "task.stopped-failures", sev: SeverityWarning},
				{id: "logs.connection-refused", sev: SeverityWarning, attrs: map[string]string{"host": "10.0.3.4:5432"}},
			},
			noErrors: true,
			steps:    map[StepID]Status{StepLogs: StatusWarn},
		},
		{
			name:   "old failure events before the last steady state are history",
			opts:   []opt{events(eventSteady, eventDeployFailed, eventHealthCheck)},
			absent: []string{"service.deployment-failed", "service.event.health-check"}, noErrors: true,
			steps: map[StepID]Status{StepEvents: StatusOK},
		},
		{
			name:   "routine stops (scaling, deployment) are not failures",
			opts:   []opt{addStopped("ServiceSchedulerInitiated", reasonScaling, "", ptr(int32(143)))},
			absent: []string{"task.stopped-failures", "stop.essential-exited", "stop.unclassified"}, noErrors: true,
			steps: allOK,
		},
		{
			name:     "EC2 launch type: the network steps do not apply",
			opts:     []opt{ec2LaunchType(), noNAT()},
			noErrors: true,
			steps:    map[StepID]Status{StepEndpoints: StatusSkipped, StepSecurityGroups: StatusSkipped, StepIAM: StatusOK, StepEvents: StatusOK},
		},
		{
			name:     "no awslogs: the logs step is skipped",
			opts:     []opt{noLogging()},
			noErrors: true,
			steps:    map[StepID]Status{StepLogs: StatusSkipped, StepIAM: StatusOK, StepEndpoints: StatusOK},
		},
		{
			name:     "Docker Hub image without logs or secrets needs no execution role",
			opts:     []opt{image("nginx:1.25"), noLogging(), func(f *facts.Facts) { f.TaskDefinition.ExecutionRoleARN = ""; f.IAM = facts.IAM{} }},
			noErrors: true,
			steps:    map[StepID]Status{StepIAM: StatusSkipped, StepEndpoints: StatusOK},
		},
	})
}
