package tui

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/sim"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// The tests run the UI on the demo account (internal/sim) through the
// product's own backend, so they see what `ecsdoctor demo` shows: cluster
// "demo" with one service per scenario.

// demoStart is the clock every test starts at.
var demoStart = time.Date(2026, 11, 22, 9, 10, 0, 0, time.UTC)

// testClock is a clock the test moves by hand; the simulated world and the
// UI's ages both read it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// demoSource is the demo account behind a backend.Backend, with what tests
// need on top: a gate that holds every call until it is closed, call and
// cancellation counters, and a delay after each progress snapshot.
type demoSource struct {
	b     *backend.Backend
	acct  *sim.Account
	clock *testClock

	block         chan struct{}
	progressDelay time.Duration
	// services, when set, answers Services instead of the demo account.
	services func(ctx context.Context, cluster string, onRows func([]backend.ServiceSummary)) error
	// account, when set, is the account Identity answers (another account
	// to switch to).
	account string
	// ssoExpired makes every call fail as the SDK does when the SSO
	// session has expired, until a login clears it.
	ssoExpired atomic.Bool

	diagnoseCalls atomic.Int32
	cancelled     atomic.Int32
	// reuse is how old a settings answer the latest Diagnose accepted.
	reuse atomic.Int64
}

func newDemoSource(tb testing.TB) *demoSource {
	tb.Helper()
	all, err := scenario.All()
	if err != nil {
		tb.Fatal(err)
	}
	clock := &testClock{now: demoStart}
	acct, err := sim.NewDemo(sim.Options{Now: clock.Now}, all...)
	if err != nil {
		tb.Fatal(err)
	}
	return &demoSource{b: &backend.Backend{R: acct.Readers(), W: acct.Writers(), Profile: "demo", Demo: true, AuditPath: tb.TempDir() + "/audit.log"}, acct: acct, clock: clock}
}

// demoService is where a scenario lives in the demo account.
func demoService(scenarioName string) awsx.Request {
	return awsx.Request{Cluster: "demo", Service: scenarioName}
}

func workflowOptions(scenarioName string) Options {
	return Options{Cluster: "demo", Service: scenarioName, Region: "us-east-1", Profile: "demo", Demo: true}
}

// diagnosis is what the workflow screen shows for a scenario, diagnosed
// directly.
func (s *demoSource) diagnosis(tb testing.TB, scenarioName string) *workflow.Diagnosis {
	tb.Helper()
	d, err := s.b.Diagnose(context.Background(), demoService(scenarioName), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// errSSOExpired is what the SDK returns when the cached SSO token has
// expired and cannot be refreshed.
var errSSOExpired = errors.New("operation error ECS: ListClusters, get identity: get credentials: failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token, operation error SSO OIDC: CreateToken, https response error StatusCode: 400, InvalidGrantException")

func (s *demoSource) wait(ctx context.Context) error {
	if s.ssoExpired.Load() {
		return errSSOExpired
	}
	if s.block == nil {
		return nil
	}
	select {
	case <-s.block:
		return nil
	case <-ctx.Done():
		s.cancelled.Add(1)
		return ctx.Err()
	}
}

func (s *demoSource) Identity(ctx context.Context) (facts.Caller, error) {
	if err := s.wait(ctx); err != nil {
		return facts.Caller{}, err
	}
	if s.account != "" {
		return facts.Caller{Account: s.account, ARN: "arn:aws:iam::" + s.account + ":user/tester"}, nil
	}
	return s.b.Identity(ctx)
}

func (s *demoSource) Clusters(ctx context.Context) ([]backend.ClusterSummary, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return s.b.Clusters(ctx)
}

func (s *demoSource) Services(ctx context.Context, cluster string, onRows func([]backend.ServiceSummary)) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	if s.services != nil {
		return s.services(ctx, cluster, onRows)
	}
	return s.b.Services(ctx, cluster, onRows)
}

func (s *demoSource) Diagnose(ctx context.Context, req awsx.Request, progress func(*workflow.Diagnosis)) (*workflow.Diagnosis, error) {
	s.diagnoseCalls.Add(1)
	age, _ := awsx.CachedReadsAge(ctx)
	s.reuse.Store(int64(age))
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	if progress != nil && s.progressDelay > 0 {
		// One snapshot at a time, spaced out, as a slow network would.
		var mu sync.Mutex
		inner := progress
		progress = func(d *workflow.Diagnosis) {
			mu.Lock()
			defer mu.Unlock()
			inner(d)
			time.Sleep(s.progressDelay)
		}
	}
	return s.b.Diagnose(ctx, req, progress)
}

func (s *demoSource) TaskLogs(ctx context.Context, group, stream, token string, limit int32) (backend.LogPage, error) {
	if err := s.wait(ctx); err != nil {
		return backend.LogPage{}, err
	}
	return s.b.TaskLogs(ctx, group, stream, token, limit)
}

func (s *demoSource) Apply(ctx context.Context, req awsx.Request, d *workflow.Diagnosis, fix *workflow.Fix, dryRun bool) (*backend.FixResult, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return s.b.Apply(ctx, req, d, fix, dryRun)
}
