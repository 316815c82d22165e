package itest

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// When AWS refuses a call in the middle of a plan, the result names the
// permission, says which calls were applied before it and which were not
// attempted, and the audit log records the same.
func TestFixRefusedHalfWayIsReported(t *testing.T) {
	sc, err := scenario.ByName("no-endpoints")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	sess, err := awsx.Load(context.Background(), awsx.Options{Region: sc.Region, EndpointURL: b.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	(&faultInjector{op: "ec2:CreateVpcEndpoint", code: "UnauthorizedOperation"}).install(sess)
	be := &backend.Backend{R: awsx.NewReaders(sess), W: awsx.NewWriters(sess), AuditPath: t.TempDir() + "/audit.log"}
	d, err := be.Diagnose(context.Background(), b.target(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fix, _ := d.Fix("create-interface-endpoint:ecr.api")
	if fix == nil || len(fix.Plan.Actions) != 3 {
		t.Fatalf("want the 3-call plan (new group, its 443 rule, the endpoint), got %+v", fix)
	}
	ctx := awsx.WithApproval(context.Background(), fix.ID, fix.Plan.Operations()...)
	res, err := be.ApplyFix(ctx, b.target(), d, fix.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || !strings.Contains(res.Err.Error(), "ec2:CreateVpcEndpoint") {
		t.Fatalf("want the refusal naming ec2:CreateVpcEndpoint, got %v", res.Err)
	}
	outcomes := []string{res.Calls[0].Outcome, res.Calls[1].Outcome, res.Calls[2].Outcome}
	if outcomes[0] != awsx.OutcomeApplied || outcomes[1] != awsx.OutcomeApplied || outcomes[2] != awsx.OutcomeFailed {
		t.Errorf("outcomes %v: the group and rule were applied, the endpoint failed", outcomes)
	}
	if res.Calls[0].Undo == "" || res.Calls[1].Undo == "" {
		t.Errorf("applied calls must carry their undo commands: %+v", res.Calls[:2])
	}
}

// A plan run without the user's approval changes nothing: the AWS layer
// refuses the first mutating call.
func TestFixWithoutApprovalIsRefused(t *testing.T) {
	sc, err := scenario.ByName("missing-logs-endpoint")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	be := b.backend(t)
	before := inventory(t, b)
	d, err := be.Diagnose(context.Background(), b.target(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := be.ApplyFix(context.Background(), b.target(), d, "create-interface-endpoint:logs", false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || !strings.Contains(res.Err.Error(), "not confirmed") {
		t.Errorf("want a refusal, got %v", res.Err)
	}
	if added, removed := diffInventory(before, inventory(t, b)); len(added)+len(removed) > 0 {
		t.Errorf("an unapproved fix changed the account: +%v -%v", added, removed)
	}
}
