package kb

import "testing"

// The error texts from the seed documents in /work/shared/seeds, verbatim
// (line breaks and trailing spaces included): the knowledge base must
// classify what real users pasted.

var seedStopCases = []textCase{
	{"seed 000",
		"ResourceInitializationError: unable to pull secrets or registry auth: \nThe task cannot pull registry auth from Amazon ECR",
		[]want{{IDStopRegistryAuthNetwork, "ecr-registry-auth-connection", nil}}},
	{"seed 002 challenge 1",
		`ResourceInitializationError: unable to pull secrets or registry auth: 
unable to retrieve secret from asm: There is a connection issue between 
the task and AWS Secrets Manager. Check your task network configuration. 
failed to fetch secret arn:aws:secretsmanager:us-east-1:211125602758:secret:rds-credentials-aAhHLW 
from secrets manager: operation error Secrets Manager: GetSecretValue, 
https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded`,
		[]want{{IDStopSecretsNetwork, "asm-connection-issue", map[string]string{"service": "secretsmanager"}}}},
	{"seed 002 challenge 2",
		`ResourceInitializationError: failed to validate logger args: 
The task cannot find the Amazon CloudWatch log group defined in the task definition. 
There is a connection issue between the task and Amazon CloudWatch. 
Check your network configuration. signal: killed`,
		[]want{{IDStopLogsInit, "logger-args-invalid", nil}}},
	{"seed 002 challenge 3",
		`api error AccessDeniedException: User: arn:aws:sts::211125602758:assumed-role/ecsTaskExecutionRole/... 
is not authorized to perform: secretsmanager:GetSecretValue 
because no identity-based policy allows the secretsmanager:GetSecretValue action`,
		[]want{{IDStopSecretsAccessDenied, "secrets-not-authorized", map[string]string{"action": "secretsmanager:GetSecretValue"}}}},
	{"seed 002 challenge 5",
		`ResourceInitializationError: unable to pull secrets or registry auth`,
		[]want{{IDStopResourceInit, "secrets-or-registry-auth", nil}}},
}

var seedEventCases = []textCase{
	{"seed 002 challenge 8 health check",
		`(service task-service) (task b5067ed30cc5431d89fe74c47fd9981f) failed container health checks.`,
		[]want{{IDServiceEventHealthCheck, "event-container-health-check", nil}}},
	{"seed 002 challenge 8 deployment",
		`(service task-service) (deployment ecs-svc/4135006185409410497) deployment failed: tasks failed to start.`,
		[]want{{IDServiceDeploymentFailed, "event-deployment-failed", nil}}},
}

var seedLogCases = []textCase{
	{"seed 002 challenge 9",
		`Registration error: error: no pg_hba.conf entry for host "10.0.101.27", 
user "dbadmin", database "taskmanagement", no encryption`,
		[]want{{IDLogsDBSSLRequired, "pg-hba-no-encryption", nil}}},
	{"seed 002 challenge 9 startup line is benign",
		`Task Service listening on port 3000`, nil},
	{"seed 002 challenge 10",
		`curl: (6) Could not resolve host: auth-service.task-management.local`,
		[]want{{IDLogsDNSFailure, "resolver-generic", map[string]string{"host": "auth-service.task-management.local"}}}},
}

func TestSeeds(t *testing.T) {
	for _, c := range seedStopCases {
		t.Run(c.name, func(t *testing.T) {
			checkMatches(t, c.text, ClassifyStopReason(c.text), c.want)
		})
	}
	for _, c := range seedEventCases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := ClassifyEvent(c.text)
			if !ok {
				t.Fatalf("no match for %q", c.text)
			}
			checkMatches(t, c.text, []Match{m}, c.want)
		})
	}
	for _, c := range seedLogCases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := ClassifyLogLine(c.text)
			var got []Match
			if ok {
				got = []Match{m}
			}
			checkMatches(t, c.text, got, c.want)
		})
	}
}

// The seed 002 challenge 8 task stopped with its container health check
// failing; the stop reason and the event must agree.
func TestSeedHealthCheckStopReason(t *testing.T) {
	checkMatches(t, "", ClassifyStopReason("Task failed container health checks"),
		[]want{{IDStopHealthCheck, "container-health-check-failed", nil}})
}
