package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// What the simulator's own rules conclude for each built-in scenario, read
// back through the Readers, compared with what the scenario's hand-written
// History says AWS showed.

// family names what a stop reason is about, finer than its error class.
func family(reason string) string {
	switch r := reason; {
	case strings.Contains(r, "cannot pull registry auth from Amazon ECR"):
		return "registry-auth-network"
	case strings.Contains(r, "retrieve secret from asm: There is a connection issue"):
		return "secrets-network"
	case strings.Contains(r, "retrieve secret from asm") && strings.Contains(r, "AccessDeniedException"):
		return "secrets-denied"
	case strings.Contains(r, "failed to validate logger args") && strings.Contains(r, "connection issue"):
		return "logs-network"
	case strings.Contains(r, "httpReaderSeeker"):
		return "image-layers-network"
	case strings.Contains(r, "Task failed container health checks"):
		return "health-check"
	case strings.Contains(r, "Essential container in task exited"):
		return "essential-exited"
	case strings.Contains(r, "Scaling activity"):
		return "scaling"
	}
	return "other"
}

// class is the error class AWS puts first: "ResourceInitializationError",
// "CannotPullContainerError", or the whole reason when it has none.
func class(reason string) string {
	if i := strings.Index(reason, ":"); i > 0 {
		return reason[:i]
	}
	return reason
}

// historyFailure is the newest failed task of the scenario's History.
func historyFailure(sc *scenario.Scenario) *scenario.Task {
	for _, c := range sc.World.Clusters {
		for _, s := range c.Services {
			if s.History == nil {
				continue
			}
			for i, t := range s.History.Tasks {
				if t.LastStatus == "STOPPED" && family(t.StoppedReason) != "scaling" {
					return &s.History.Tasks[i]
				}
			}
		}
	}
	return nil
}

// disagreements are the places where a scenario's History and the
// simulator's rules part ways, on purpose; each is reported to the
// scenario authors rather than papered over.
var disagreements = map[string]string{}

func TestScenarioOutcomes(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			e := envFor(t, sc)
			hist := historyFailure(sc)
			got := e.failed()
			switch sc.Name {
			case "rds-no-ssl":
				e.expectRunningWithLog(`error: no pg_hba.conf entry for host "`)
				e.expectRunningWithLog(`", user "postgres", database "tasks", no encryption`)
			case "healthy-nat":
				s := e.svc()
				if s.RunningCount != s.DesiredCount || s.DesiredCount != 2 || !steadySince(s, time.Time{}) {
					t.Errorf("healthy-nat: running %d/%d, steady %v", s.RunningCount, s.DesiredCount, steadySince(s, time.Time{}))
				}
				if got != nil {
					t.Errorf("healthy-nat has a failed task: %s", aws.ToString(got.StoppedReason))
				}
				stopped := e.tasks(ecstypes.DesiredStatusStopped)
				if len(stopped) == 0 || family(aws.ToString(stopped[0].StoppedReason)) != "scaling" {
					t.Errorf("healthy-nat: want a task replaced by the deployment, got %d stopped", len(stopped))
				}
			case "healthcheck-curl-alpine":
				e.expectHealthCheckCycle()
			default:
				if got == nil {
					t.Fatalf("no failed task; service %+v", e.svc().Deployments)
				}
				if n := len(e.tasks(ecstypes.DesiredStatusStopped)); n < 3 {
					t.Errorf("only %d stopped tasks after the simulated past; want several", n)
				}
				if s := e.svc(); s.RunningCount != 0 {
					t.Errorf("running %d, want 0", s.RunningCount)
				}
				if sc.Name == "db-sg-blocked" {
					// The app crashes on its database timeout: a crash loop.
					e.expectLogSomewhere("Error: connect ETIMEDOUT " + e.dbIP("billing-db") + ":5432")
				}
			}
			if hist != nil && got == nil {
				if _, known := disagreements[sc.Name]; !known {
					t.Fatalf("the History has a task stopped with %q; the rules stop none", hist.StoppedReason)
				}
				t.Logf("known disagreement: %s", disagreements[sc.Name])
			}
			if hist == nil || got == nil {
				return
			}
			reason := aws.ToString(got.StoppedReason)
			if string(got.StopCode) != hist.StopCode || class(reason) != class(hist.StoppedReason) {
				t.Errorf("stop code %s / %q, History has %s / %q", got.StopCode, class(reason), hist.StopCode, class(hist.StoppedReason))
			}
			if family(reason) != family(hist.StoppedReason) {
				if _, known := disagreements[sc.Name]; !known {
					t.Errorf("the rules say %s (%s), the History %s", family(reason), reason, family(hist.StoppedReason))
				} else {
					t.Logf("known disagreement: %s", disagreements[sc.Name])
				}
			}
		})
	}
}

// The stop reasons the rules write, for the scenarios whose History they
// reproduce word for word (ids and addresses aside).
func TestStopReasonTexts(t *testing.T) {
	cases := map[string]string{
		"no-endpoints":          `ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 44.213.79.104:443: i/o timeout`,
		"secrets-no-endpoint":   "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: There is a connection issue between the task and AWS Secrets Manager. Check your task network configuration. failed to fetch secret {{secret:rds-credentials}} from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded",
		"missing-logs-endpoint": "ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. signal: killed",
	}
	for name, want := range cases {
		e := newEnv(t, name)
		want = scenario.Resolve(want, e.a.Resolver(name))
		if got := e.failed(); got == nil || aws.ToString(got.StoppedReason) != want {
			t.Errorf("%s:\n got %v\nwant %s", name, got, want)
		}
	}
	// The access-denied text names the task itself in the assumed role.
	e := newEnv(t, "policy-not-attached")
	got := e.failed()
	id := lastPart(*got.TaskArn)
	for _, part := range []string{
		"unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " + e.id("secret", "rds-credentials"),
		"api error AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/" + id +
			" is not authorized to perform: secretsmanager:GetSecretValue because no identity-based policy allows the secretsmanager:GetSecretValue action",
	} {
		if !strings.Contains(aws.ToString(got.StoppedReason), part) {
			t.Errorf("policy-not-attached: %q lacks %q", aws.ToString(got.StoppedReason), part)
		}
	}
	// The image pull that times out on S3 says so on the container too.
	e = newEnv(t, "s3-route-table-missing")
	got = e.failed()
	if c := got.Containers[0]; aws.ToString(c.Reason) != aws.ToString(got.StoppedReason) || !strings.HasPrefix(aws.ToString(c.Reason), "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: failed to do request: Get \"https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/") {
		t.Errorf("s3-route-table-missing: container reason %q", aws.ToString(c.Reason))
	}
}

// expectRunningWithLog: the service runs and its newest task logged line
// (or a line containing it).
func (e *env) expectRunningWithLog(line string) {
	e.t.Helper()
	running := e.tasks(ecstypes.DesiredStatusRunning)
	if len(running) == 0 || aws.ToString(running[0].LastStatus) != "RUNNING" {
		e.t.Fatalf("no RUNNING task")
	}
	for _, l := range e.logs(running[0]) {
		if strings.Contains(l, line) {
			return
		}
	}
	e.t.Errorf("the running task's logs lack %q: %q", line, e.logs(running[0]))
}

// expectHealthCheckCycle: the newest task runs, turns UNHEALTHY, and is
// stopped by the scheduler for failing its health checks; the deployment
// has failed (circuit breaker) and the events say why.
func (e *env) expectHealthCheckCycle() {
	e.t.Helper()
	running := e.tasks(ecstypes.DesiredStatusRunning)
	if len(running) != 1 || aws.ToString(running[0].LastStatus) != "RUNNING" || running[0].HealthStatus == ecstypes.HealthStatusHealthy {
		e.t.Fatalf("want one RUNNING task that is not healthy, got %d", len(running))
	}
	arn := aws.ToString(running[0].TaskArn)
	if lines := e.logs(running[0]); len(lines) < 3 || lines[2] != "Server listening on port 3000" {
		e.t.Errorf("app start-up lines: %q", lines)
	}
	s := e.svc()
	if s.Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateFailed || aws.ToString(s.Deployments[0].RolloutStateReason) != "ECS deployment circuit breaker: tasks failed to start." {
		e.t.Errorf("rollout %s %q", s.Deployments[0].RolloutState, aws.ToString(s.Deployments[0].RolloutStateReason))
	}
	wantEvents := []string{"deployment failed: tasks failed to start.", "failed container health checks."}
	for _, w := range wantEvents {
		found := false
		for _, ev := range s.Events {
			found = found || strings.HasSuffix(aws.ToString(ev.Message), w)
		}
		if !found {
			e.t.Errorf("no event ending in %q", w)
		}
	}
	var unhealthy, stopped bool
	for i := 0; i < 40 && !stopped; i++ {
		e.clock.Advance(10 * time.Second)
		for _, t := range e.tasks(ecstypes.DesiredStatusStopped) {
			if aws.ToString(t.TaskArn) != arn {
				continue
			}
			unhealthy = unhealthy || t.HealthStatus == ecstypes.HealthStatusUnhealthy
			if aws.ToString(t.LastStatus) == "STOPPED" {
				stopped = true
				if t.StopCode != ecstypes.TaskStopCodeServiceSchedulerInitiated || aws.ToString(t.StoppedReason) != "Task failed container health checks" || aws.ToInt32(t.Containers[0].ExitCode) != 137 {
					e.t.Errorf("stopped with %s %q exit %d", t.StopCode, aws.ToString(t.StoppedReason), aws.ToInt32(t.Containers[0].ExitCode))
				}
			}
		}
	}
	if !unhealthy || !stopped {
		e.t.Errorf("the running task did not turn UNHEALTHY and stop (unhealthy %v, stopped %v)", unhealthy, stopped)
	}
	found := false
	for _, ev := range e.svc().Events {
		found = found || aws.ToString(ev.Message) == evUnhealthy(e.service, lastPart(arn))
	}
	if !found {
		e.t.Errorf("no event says task %s failed its health checks", lastPart(arn))
	}
}

func (e *env) dbIP(name string) string {
	e.a.mu.Lock()
	defer e.a.mu.Unlock()
	for _, db := range e.a.dbs.list() {
		if db.address == e.a.byName[e.sc.Name].ids["db:"+name] {
			return db.ip
		}
	}
	return ""
}

// expectLogSomewhere: the newest stopped task's own log holds the line.
func (e *env) expectLogSomewhere(line string) {
	e.t.Helper()
	stopped := e.tasks(ecstypes.DesiredStatusStopped)
	if len(stopped) == 0 {
		e.t.Fatalf("no stopped task")
	}
	for _, l := range e.logs(stopped[0]) {
		if strings.Contains(l, line) {
			return
		}
	}
	e.t.Errorf("the stopped task's logs lack %q: %q", line, e.logs(stopped[0]))
}
