package motoworld

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
)

// TestBuildEveryScenario builds each embedded scenario into a freshly reset
// moto and reads the world back through ordinary Describe/List/Get calls,
// as the product's gatherer will: what the scenario says must be what AWS
// (moto plus the harness) answers.
func TestBuildEveryScenario(t *testing.T) {
	srv := moto.Shared(t)
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			ctx := context.Background()
			if err := srv.Reset(ctx); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			w, err := Build(ctx, srv, sc)
			if err != nil {
				t.Fatalf("%v\nharness stderr:\n%s", err, srv.Stderr())
			}
			t.Logf("built in %v", time.Since(start).Round(time.Millisecond))
			v := &verifier{t: t, w: w, sc: sc, c: newClients(srv.Config(sc.Region))}
			v.network(ctx)
			v.securityGroups(ctx)
			v.endpoints(ctx)
			v.iam(ctx)
			v.data(ctx)
			v.taskDefinitions(ctx)
			v.services(ctx)
			v.tasks(ctx)
			v.logs(ctx)
		})
	}
}

// verifier reads a built world back and reports every difference.
type verifier struct {
	t  *testing.T
	w  *World
	sc *scenario.Scenario
	c  clients
}

// must fails the test at once: nothing after a failed read can be checked.
func (v *verifier) must(err error, what string) {
	v.t.Helper()
	if err != nil {
		v.t.Fatalf("%s: %v", what, err)
	}
}

// resolved checks that s has no placeholder left and returns it.
func (v *verifier) resolved(where, s string) string {
	v.t.Helper()
	if strings.Contains(s, "{{") {
		v.t.Errorf("%s: unresolved placeholder in %q", where, s)
	}
	return s
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// ids maps names of a kind to the ids Build recorded.
func (v *verifier) ids(kind string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = v.w.IDs[kind+":"+n]
	}
	return out
}

func TestResolve(t *testing.T) {
	sc := &scenario.Scenario{World: scenario.World{Clusters: []scenario.Cluster{{
		Name: "c", Services: []scenario.Service{{Name: "s"}},
	}}}}
	w := &World{Account: "123456789012", Region: "us-east-1", sc: sc,
		IDs:         map[string]string{"secret:db": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"},
		deployments: map[string]string{"s": "ecs-svc/42"},
		tasks:       map[string][]task{"s": {{arn: "arn:t0", id: "0abc", ip: "10.0.1.7"}}},
	}
	tk := &w.tasks["s"][0]
	for in, want := range map[string]string{
		"{{ecr}}/app:1":                     "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
		"{{ secret:db }}":                   "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
		"(service {{service}}) {{cluster}}": "(service s) c",
		"(deployment {{deployment}})":       "(deployment ecs-svc/42)",
		"(task {{task:0}})":                 "(task 0abc)",
		"host {{ip}} task {{task}}":         "host 10.0.1.7 task 0abc",
		"{{secret:missing}} {{task:7}}":     "{{secret:missing}} {{task:7}}",
	} {
		if got := w.resolveIn("s", tk, in); got != want {
			t.Errorf("resolveIn(%q) = %q, want %q", in, got, want)
		}
	}
	if got := w.Resolve("{{ip}}"); got != "{{ip}}" {
		t.Errorf("Resolve without a task resolved {{ip}} to %q", got)
	}
}
