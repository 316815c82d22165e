package itest

import (
	"context"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// liveReads are what an automatic refresh must always read afresh: the
// service, its tasks, their interfaces and logs.
var liveReads = map[string]bool{
	"ecs:DescribeServices":          true,
	"ecs:ListTasks":                 true,
	"ecs:DescribeTasks":             true,
	"ec2:DescribeNetworkInterfaces": true,
	"logs:GetLogEvents":             true,
}

// TestRefreshReusesSettingsUntilAChange: the TUI's automatic refresh reads
// only the live parts again and reaches the same findings; once a fix
// changes the account, the next refresh reads everything again and sees
// the change.
func TestRefreshReusesSettingsUntilAChange(t *testing.T) {
	sc, err := scenario.ByName("no-endpoints")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	sess, err := awsx.Load(context.Background(), awsx.Options{Region: sc.Region, EndpointURL: b.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	be := b.backendOn(t, sess)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	counter := sess.Middleware.Counter
	diagnose := func(ctx context.Context) (*workflow.Diagnosis, map[string]int) {
		t.Helper()
		before := counter.ByOperation()
		d, err := be.Diagnose(ctx, b.target(), nil)
		if err != nil {
			t.Fatal(err)
		}
		delta := map[string]int{}
		for op, n := range counter.ByOperation() {
			if n > before[op] {
				delta[op] = n - before[op]
			}
		}
		return d, delta
	}
	total := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}

	d0, fresh := diagnose(awsx.WithCachedReads(ctx, 0))
	tick := awsx.WithCachedReads(ctx, time.Minute)
	d1, reused := diagnose(tick)
	first, again := summary(d0), summary(d1)
	t.Logf("requests: first diagnosis %d, refresh %d (%v)", total(fresh), total(reused), reused)
	if again != first {
		t.Errorf("a refresh from reused settings reached other findings:\n%s\nwant\n%s", again, first)
	}
	// A failed answer is never kept (moto has no policy simulator): it is
	// asked again.
	failedBefore := map[string]bool{
		"iam:SimulatePrincipalPolicy": d0.Facts.Fetches[facts.KeySimulation].State == facts.FetchFailed,
	}
	for op := range reused {
		if !liveReads[op] && !failedBefore[op] {
			t.Errorf("the refresh read %s again: settings must come from the previous diagnosis", op)
		}
	}
	if total(reused) == 0 || total(reused) >= total(fresh) {
		t.Errorf("refresh made %d requests, first diagnosis %d", total(reused), total(fresh))
	}

	d, err := be.Diagnose(ctx, b.target(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := fixIDs(d)
	if len(ids) == 0 {
		t.Fatalf("no fix offered: %s", summary(d))
	}
	fix, _ := d.Fix(ids[0])
	res, err := be.ApplyFix(awsx.WithApproval(ctx, fix.ID, fix.Plan.Operations()...), b.target(), d, fix.ID, false)
	if err != nil || res.Err != nil {
		t.Fatalf("apply %s: %v %v", fix.ID, err, res)
	}
	d2, reread := diagnose(tick)
	after := summary(d2)
	if reread["ec2:DescribeVpcEndpoints"] == 0 || reread["iam:GetRole"] == 0 {
		t.Errorf("the refresh after a fix reused settings: %v", reread)
	}
	if after == first {
		t.Errorf("the refresh after %s still shows the findings from before it:\n%s", fix.ID, after)
	}
}
