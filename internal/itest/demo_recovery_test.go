package itest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/sim"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// manualClock is a simulated clock the test moves.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *manualClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// notFixableInAWS are scenarios whose cause lives in the application, not
// in AWS: no AWS change makes them healthy, so none is offered.
var notFixableInAWS = map[string]string{
	"rds-no-ssl": "the app must connect with TLS (sslmode=require): a code change",
}

// TestDemoScenariosRecover is the demo account's promise to a learner: fix
// a scenario with the fixes ecsdoctor offers (through the same path as the
// TUI's fix dialog), start a new deployment, and the service recovers.
func TestDemoScenariosRecover(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			clock := &manualClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			acct, err := sim.NewDemo(sim.Options{Now: clock.Now}, sc)
			if err != nil {
				t.Fatal(err)
			}
			be := &backend.Backend{R: acct.Readers(), W: acct.Writers(), AuditPath: t.TempDir() + "/audit.log"}
			cluster, service := acct.ServiceOf(sc.Name)
			req := awsx.Request{Cluster: cluster, Service: service}
			ctx := context.Background()
			diagnose := func() *workflow.Diagnosis {
				d, err := be.Diagnose(ctx, req, nil)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			var applied []string
			for round := 0; round < 12; round++ {
				fix := firstFixableError(diagnose())
				if fix == nil {
					break
				}
				d := diagnose()
				res, err := be.ApplyFix(awsx.WithApproval(ctx, fix.ID, fix.Plan.Operations()...), req, d, fix.ID, false)
				if err != nil || res.Err != nil {
					t.Fatalf("applying %s: %v %v", fix.ID, err, res.Err)
				}
				applied = append(applied, fix.ID)
				clock.Add(time.Minute) // endpoints become available, ECS retries
			}
			if why, ok := notFixableInAWS[sc.Name]; ok {
				t.Logf("no AWS fix expected (%s); applied %v", why, applied)
				return
			}
			// A new deployment, then time for tasks to start and become healthy.
			if fx := workflow.RedeployFix(diagnose()); fx != nil {
				if _, err := be.ApplyFix(awsx.WithApproval(ctx, fx.ID, fx.Plan.Operations()...), req, withFix(diagnose(), fx), fx.ID, false); err != nil {
					t.Fatal(err)
				}
			}
			clock.Add(10 * time.Minute)
			d := diagnose()
			svc := d.Facts.Service
			if svc == nil || svc.RunningCount < svc.DesiredCount || svc.DesiredCount == 0 {
				t.Fatalf("after %v the service still runs %d of %d\n%s", applied, svc.RunningCount, svc.DesiredCount, summary(d))
			}
			if d.HasErrors() {
				t.Errorf("after %v the diagnosis still reports errors:\n%s", applied, summary(d))
			}
			t.Logf("recovered with %v", applied)
		})
	}
}

// firstFixableError is the recommended fix of the first error finding that
// offers one, else of the first warning (a suspected cause, such as a
// health check tool the image may lack); a redeploy comes last, not here.
func firstFixableError(d *workflow.Diagnosis) *workflow.Fix {
	for _, sev := range []workflow.Severity{workflow.SeverityError, workflow.SeverityWarning} {
		for _, f := range d.Findings {
			if f.Severity != sev {
				continue
			}
			for i := range f.Fixes {
				if f.Fixes[i].Kind != "force-new-deployment" {
					return &f.Fixes[i]
				}
			}
		}
	}
	return nil
}

// withFix makes sure the diagnosis offers fx (a redeploy is offered only on
// failed deployments), so it can go through ApplyFix like any other fix.
func withFix(d *workflow.Diagnosis, fx *workflow.Fix) *workflow.Diagnosis {
	if f, _ := d.Fix(fx.ID); f != nil {
		return d
	}
	d.Findings = append(d.Findings, workflow.Finding{ID: "service.redeploy", Fixes: []workflow.Fix{*fx}})
	return d
}
