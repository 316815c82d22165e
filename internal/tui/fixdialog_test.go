package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
)

// logsEndpoints counts the demo account's interface endpoints for logs.
func logsEndpoints(t *testing.T, src *demoSource) int {
	t.Helper()
	out, err := src.acct.Readers().EC2.DescribeVpcEndpoints(context.Background(), &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{{Name: aws.String("service-name"), Values: []string{"com.amazonaws.us-east-1.logs"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.VpcEndpoints)
}

func (s *session) waitForFixResult() string {
	s.t.Helper()
	return plainFrame(s.waitFor("the fix result", func(m *Model) bool {
		return m.dialog != nil && m.dialog.result != nil && !m.dialog.busy
	}))
}

// y applies the fix, shows each call with its undo, re-checks in place,
// and offers the new deployment the change needs; y again starts it.
func TestFixDialogApplies(t *testing.T) {
	src := newDemoSource(t)
	before := logsEndpoints(t, src)
	s := startSession(t, src, workflowOptions("missing-logs-endpoint"), 120, 35)
	s.settle()
	s.press("5", "f", "y")
	frame := s.waitForFixResult()
	for _, want := range []string{"checked again, endpoint.missing is gone", "ec2:CreateVpcEndpoint applied", "undo: aws ec2 delete-vpc-endpoints", "y starts a new deployment", "✓ resolved: "} {
		if !strings.Contains(frame, want) {
			t.Errorf("after y the dialog lacks %q:\n%s", want, frame)
		}
	}
	// The whole status is on screen, wrapped, down to what y does next.
	status := s.m.dialog.statusLines()
	if !strings.Contains(strings.Join(status, " "), "press y to start a new deployment") {
		t.Errorf("status %q does not say what y does next", status)
	}
	for _, l := range status {
		if !strings.Contains(frame, strings.TrimSpace(l)) {
			t.Errorf("status line %q is not on screen:\n%s", l, frame)
		}
	}
	if got := logsEndpoints(t, src); got != before+1 {
		t.Errorf("logs endpoints %d → %d, want one more", before, got)
	}
	s.m.dialog.result = nil
	s.press("y")
	if frame = s.waitForFixResult(); !strings.Contains(frame, "applied force-new-deployment:missing-logs-endpoint") {
		t.Errorf("the second y should start the new deployment:\n%s", frame)
	}
	s.press("esc")
	// The workflow behind the dialog was re-diagnosed in place. (The new
	// endpoint may still be pending, as a fresh one is in AWS.)
	for _, f := range s.m.wf.d.Findings {
		if f.ID == "endpoint.missing" {
			t.Errorf("the workflow still shows %s %v after the fix", f.ID, f.Attrs)
		}
	}
}

// d asks for a dry run: the calls are shown, nothing changes.
func TestFixDialogDryRunChangesNothing(t *testing.T) {
	src := newDemoSource(t)
	before := logsEndpoints(t, src)
	s := startSession(t, src, workflowOptions("missing-logs-endpoint"), 120, 35)
	s.settle()
	s.press("5", "f", "d")
	frame := s.waitForFixResult()
	if !strings.Contains(frame, "dry run done: nothing was changed") || !strings.Contains(frame, "AWS says it would succeed") {
		t.Errorf("dry run:\n%s", frame)
	}
	if got := logsEndpoints(t, src); got != before {
		t.Errorf("a dry run changed the account: %d → %d endpoints", before, got)
	}
}

// esc (or n) closes the dialog without changing anything.
func TestFixDialogCancelChangesNothing(t *testing.T) {
	src := newDemoSource(t)
	before := logsEndpoints(t, src)
	s := startSession(t, src, workflowOptions("missing-logs-endpoint"), 120, 35)
	s.settle()
	s.press("5", "f", "n")
	if s.m.dialog != nil {
		t.Fatal("n did not close the dialog")
	}
	if got := logsEndpoints(t, src); got != before {
		t.Errorf("cancel changed the account")
	}
}

// refusingEC2 is an EC2 whose CreateVpcEndpoint AWS refuses.
type refusingEC2 struct{ awsx.EC2Writer }

func (refusingEC2) CreateVpcEndpoint(context.Context, *ec2.CreateVpcEndpointInput, ...func(*ec2.Options)) (*ec2.CreateVpcEndpointOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}
}

// AWS refusing the change is said in a sentence naming the permission.
func TestFixDialogReportsAWSRefusal(t *testing.T) {
	src := newDemoSource(t)
	src.b.W.EC2 = refusingEC2{src.b.W.EC2}
	s := startSession(t, src, workflowOptions("missing-logs-endpoint"), 120, 35)
	s.settle()
	s.press("5", "f", "y")
	frame := s.waitForFixResult()
	for _, want := range []string{"AWS refused", "ec2:CreateVpcEndpoint", "needs the permission"} {
		if !strings.Contains(frame, want) {
			t.Errorf("refusal lacks %q:\n%s", want, frame)
		}
	}
}

// A fix result for another service (the user moved on while the change
// was made) does not replace the diagnosis on screen.
func TestFixResultForAnotherServiceIsNotShownHere(t *testing.T) {
	src := newDemoSource(t)
	s := startSession(t, src, workflowOptions("missing-logs-endpoint"), 120, 35)
	s.settle()
	s.press("5", "f")
	shown := s.m.wf.d
	other := src.diagnosis(t, "no-endpoints")
	res := &backend.FixResult{After: other, Resolved: true}
	s.tm.Send(fixResultMsg{dialog: s.m.dialog, target: awsx.Request{Cluster: "demo", Service: "no-endpoints"}, res: res})
	s.settle()
	if s.m.wf.d != shown {
		t.Errorf("a result for no-endpoints replaced missing-logs-endpoint's diagnosis")
	}
}
