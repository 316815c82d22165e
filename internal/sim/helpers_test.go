package sim

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// Test helpers: a clock the test moves by hand, and short ways to read
// the world back through the same Readers the diagnosis uses.

var epoch = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one scenario's account under test.
type env struct {
	t       *testing.T
	a       *Account
	clock   *testClock
	sc      *scenario.Scenario
	cluster string
	service string
	r       *awsx.Readers
	w       *awsx.Writers
}

func newEnv(t *testing.T, name string, opts ...func(*Options)) *env {
	t.Helper()
	sc, err := scenario.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return envFor(t, sc, opts...)
}

func envFor(t *testing.T, sc *scenario.Scenario, opts ...func(*Options)) *env {
	t.Helper()
	c := &testClock{t: epoch}
	o := Options{Now: c.Now}
	for _, f := range opts {
		f(&o)
	}
	a, err := New(o, sc)
	if err != nil {
		t.Fatalf("New(%s): %v", sc.Name, err)
	}
	cl, svc := a.ServiceOf(sc.Name)
	return &env{t: t, a: a, clock: c, sc: sc, cluster: cl, service: svc, r: a.Readers(), w: a.Writers()}
}

func (e *env) id(kind, name string) string {
	e.t.Helper()
	id := e.a.ID(e.sc.Name, kind, name)
	if id == "" {
		e.t.Fatalf("%s: no id for %s:%s", e.sc.Name, kind, name)
	}
	return id
}

// approved is a context that approves the listed operations.
func approved(ops ...string) context.Context {
	return awsx.WithApproval(context.Background(), "test", ops...)
}

func (e *env) svc() ecstypes.Service {
	e.t.Helper()
	out, err := e.r.ECS.DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String(e.cluster), Services: []string{e.service}})
	if err != nil || len(out.Services) != 1 {
		e.t.Fatalf("DescribeServices: %v %v", out, err)
	}
	return out.Services[0]
}

// tasks lists the service's tasks with that desired status, newest first,
// through every page.
func (e *env) tasks(status ecstypes.DesiredStatus) []ecstypes.Task {
	e.t.Helper()
	ctx := context.Background()
	var arns []string
	p := ecs.NewListTasksPaginator(e.r.ECS, &ecs.ListTasksInput{Cluster: aws.String(e.cluster), ServiceName: aws.String(e.service), DesiredStatus: status})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		arns = append(arns, page.TaskArns...)
	}
	var out []ecstypes.Task
	for len(arns) > 0 {
		n := min(100, len(arns))
		dt, err := e.r.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(e.cluster), Tasks: arns[:n]})
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, dt.Tasks...)
		arns = arns[n:]
	}
	return newestTasks(out)
}

func newestTasks(ts []ecstypes.Task) []ecstypes.Task {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].CreatedAt.After(*ts[j-1].CreatedAt); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts
}

// failed is the newest task that stopped for a reason other than a
// deployment or scaling.
func (e *env) failed() *ecstypes.Task {
	for _, t := range e.tasks(ecstypes.DesiredStatusStopped) {
		if t.StopCode != ecstypes.TaskStopCodeServiceSchedulerInitiated || !strings.Contains(aws.ToString(t.StoppedReason), "Scaling activity") {
			return &t
		}
	}
	return nil
}

// logs reads the task's awslogs stream (its first container's).
func (e *env) logs(task ecstypes.Task) []string {
	e.t.Helper()
	ctx := context.Background()
	td, err := e.r.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: task.TaskDefinitionArn})
	if err != nil {
		e.t.Fatal(err)
	}
	c := td.TaskDefinition.ContainerDefinitions[0]
	fc := facts.ContainerDefinition{Name: aws.ToString(c.Name), Log: &facts.LogConfiguration{Driver: string(c.LogConfiguration.LogDriver), Options: c.LogConfiguration.Options}}
	out, err := e.r.Logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String(c.LogConfiguration.Options["awslogs-group"]), LogStreamName: aws.String(facts.LogStreamName(fc, lastPart(*task.TaskArn))),
		StartFromHead: aws.Bool(true),
	})
	if err != nil {
		e.t.Fatalf("GetLogEvents: %v", err)
	}
	var lines []string
	for _, ev := range out.Events {
		lines = append(lines, aws.ToString(ev.Message))
	}
	return lines
}

// settle moves the clock in steps until the service has desiredCount
// healthy tasks, one deployment and a steady-state event newer than since,
// or fails after limit with what the last task said.
func (e *env) settle(since time.Time, limit time.Duration) ecstypes.Service {
	e.t.Helper()
	for waited := time.Duration(0); waited <= limit; waited += 10 * time.Second {
		s := e.svc()
		if s.RunningCount == s.DesiredCount && s.PendingCount == 0 && len(s.Deployments) == 1 && steadySince(s, since) {
			return s
		}
		e.clock.Advance(10 * time.Second)
	}
	s := e.svc()
	reason := ""
	if f := e.failed(); f != nil && f.CreatedAt.After(since) {
		reason = aws.ToString(f.StoppedReason)
	}
	e.t.Fatalf("%s did not settle within %s: running %d/%d, %d deployments; last failure: %s", e.service, limit, s.RunningCount, s.DesiredCount, len(s.Deployments), reason)
	return s
}

func steadySince(s ecstypes.Service, since time.Time) bool {
	for _, ev := range s.Events {
		if ev.CreatedAt.After(since) && strings.HasSuffix(aws.ToString(ev.Message), "has reached a steady state.") {
			return true
		}
	}
	return false
}

// forceDeploy starts a new deployment, as the fixes' last step does.
func (e *env) forceDeploy() {
	e.t.Helper()
	if _, err := e.w.ECS.UpdateService(approved("ecs:UpdateService"), &ecs.UpdateServiceInput{
		Cluster: aws.String(e.cluster), Service: aws.String(e.service), ForceNewDeployment: true,
	}); err != nil {
		e.t.Fatal(err)
	}
}

func code(err error) string { return awsx.ErrorCode(err) }

func isRefused(err error) bool {
	var r *awsx.RefusedError
	return errors.As(err, &r)
}
