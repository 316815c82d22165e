package itest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// TestScenarios builds every embedded scenario in moto and checks that the
// diagnosis finds what the scenario says it must, and nothing it must not.
func TestScenarios(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			b := build(t, sc)
			d, sess := b.diagnose(t, b.target())
			t.Logf("%s: %d API calls\n%s", sc.Name, d.APICalls, summary(d))
			checkExpect(t, d, sc.Expect, b.w.Resolve)
			checkInvariants(t, d, sess)
			for _, op := range sess.Middleware.Counter.Operations() {
				used[op] = true
			}
		})
	}
	checkPolicyCovers(t, used)
}

// checkPolicyCovers: the read-only policy the README tells users to attach
// must allow every call the diagnosis made (sts:GetCallerIdentity needs no
// permission).
func checkPolicyCovers(t *testing.T, used map[string]bool) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "iam", "diagnose-policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Action []string
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, st := range doc.Statement {
		for _, a := range st.Action {
			allowed[a] = true
		}
	}
	for op := range used {
		if !allowed[op] && op != "sts:GetCallerIdentity" {
			t.Errorf("the diagnosis calls %s, which docs/iam/diagnose-policy.json does not allow", op)
		}
	}
}

// checkInvariants holds for every diagnosis of a moto world: all seven steps
// in order, every part read (moto answers every call the diagnosis makes,
// except the IAM simulator it lacks), a bounded number of requests, and no
// request that could change anything.
func checkInvariants(t *testing.T, d *workflow.Diagnosis, sess *awsx.Session) {
	t.Helper()
	if len(d.Steps) != 7 {
		t.Fatalf("want 7 steps, got %d", len(d.Steps))
	}
	for i, s := range d.Steps {
		if s.N != i+1 {
			t.Errorf("step %s has n=%d at position %d", s.ID, s.N, i)
		}
		if s.Status == workflow.StatusUnknown || s.Status == workflow.StatusPending {
			t.Errorf("step %s is %s: %s %v", s.ID, s.Status, s.Detail, s.Unknown)
		}
	}
	for k, st := range d.Facts.Fetches {
		if st.State == facts.FetchFailed && k != facts.KeySimulation {
			t.Errorf("part %s failed: %+v", k, st.Error)
		}
	}
	if d.APICalls == 0 || d.APICalls >= 60 {
		t.Errorf("apiCalls = %d, want 1..59", d.APICalls)
	}
	for op, n := range sess.Middleware.Counter.ByOperation() {
		if !awsx.IsReadOnly(op) {
			t.Errorf("the diagnosis called mutating operation %s %d time(s)", op, n)
		}
	}
}
