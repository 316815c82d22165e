package itest

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// faultInjector fails chosen operations with an AWS error, the given number
// of times (0 = always), from inside the SDK's retry loop, exactly where a
// real AWS error would surface.
type faultInjector struct {
	op    string
	code  string
	times int32
	seen  atomic.Int32
}

func (fi *faultInjector) install(sess *awsx.Session) {
	sess.Config.APIOptions = append(sess.Config.APIOptions, func(s *middleware.Stack) error {
		return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("faultInjector",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if awsx.OperationName(ctx) == fi.op {
					n := fi.seen.Add(1)
					if fi.times == 0 || n <= fi.times {
						return middleware.FinalizeOutput{}, middleware.Metadata{}, &smithy.GenericAPIError{Code: fi.code, Message: "injected by test"}
					}
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}

func diagnoseWithFault(t *testing.T, b *built, fi *faultInjector) *workflow.Diagnosis {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sess, err := awsx.Load(ctx, awsx.Options{Region: b.sc.Region, EndpointURL: b.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	fi.install(sess)
	g := &awsx.Gatherer{R: awsx.NewReaders(sess), Needs: workflow.RequiredPermissions}
	f, err := g.Gather(ctx, b.target())
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	return workflow.Diagnose(f)
}

// AccessDenied on one check marks that step unknown, names the call and the
// permission, and every other step still reports.
func TestAccessDeniedMarksOneStepUnknown(t *testing.T) {
	sc, err := scenario.ByName("no-endpoints")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	d := diagnoseWithFault(t, b, &faultInjector{op: "ec2:DescribeVpcEndpoints", code: "UnauthorizedOperation"})
	ep := d.Step(workflow.StepEndpoints)
	if ep.Status != workflow.StatusUnknown {
		t.Fatalf("endpoints step = %s, want unknown\n%s", ep.Status, summary(d))
	}
	if !strings.Contains(ep.Detail, "ec2:DescribeVpcEndpoints") || len(ep.Unknown) == 0 || ep.Unknown[0].Operation != "ec2:DescribeVpcEndpoints" {
		t.Errorf("endpoints step must name the denied call: detail %q unknown %+v", ep.Detail, ep.Unknown)
	}
	for _, id := range []workflow.StepID{workflow.StepEvents, workflow.StepStopReason, workflow.StepIAM} {
		if s := d.Step(id); s.Status == workflow.StatusUnknown || s.Status == workflow.StatusPending {
			t.Errorf("step %s = %s; a denied EC2 call must not stop it", id, s.Status)
		}
	}
	if !hasFinding(d, "stop.registry-auth-network", nil, func(s string) string { return s }) {
		t.Errorf("the stop reason must still be diagnosed:\n%s", summary(d))
	}
}

// A throttled call is retried with backoff and the diagnosis completes as if
// nothing happened.
func TestThrottlingIsRetried(t *testing.T) {
	sc, err := scenario.ByName("missing-logs-endpoint")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	fi := &faultInjector{op: "ecs:DescribeServices", code: "ThrottlingException", times: 2}
	d := diagnoseWithFault(t, b, fi)
	if fi.seen.Load() != 3 {
		t.Errorf("DescribeServices attempts = %d, want 3 (2 throttled + 1 success)", fi.seen.Load())
	}
	if !hasFinding(d, "endpoint.missing", map[string]string{"service": "logs"}, func(s string) string { return s }) {
		t.Errorf("diagnosis incomplete after throttling:\n%s", summary(d))
	}
}

// A permanently throttled call ends as a sentence, not a hang.
func TestPersistentThrottlingMarksUnknown(t *testing.T) {
	sc, err := scenario.ByName("policy-not-attached")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	d := diagnoseWithFault(t, b, &faultInjector{op: "iam:GetRole", code: "Throttling"})
	s := d.Step(workflow.StepIAM)
	if s.Status != workflow.StatusUnknown && s.Status != workflow.StatusFail {
		t.Fatalf("iam step = %s, want unknown (or fail from other evidence)", s.Status)
	}
	if !strings.Contains(s.Detail+joinUnknown(s), "throttled") {
		t.Errorf("iam step should say the call was throttled: %q %+v", s.Detail, s.Unknown)
	}
}

func joinUnknown(s *workflow.Step) string {
	var b strings.Builder
	for _, u := range s.Unknown {
		b.WriteString(u.Message)
	}
	return b.String()
}
