package itest

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/motoworld"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// built is a scenario world in moto, ready to diagnose.
type built struct {
	srv *moto.Server
	sc  *scenario.Scenario
	w   *motoworld.World
}

// build resets the shared moto server and builds the scenario in it.
func build(t testing.TB, sc *scenario.Scenario) *built {
	t.Helper()
	srv := moto.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := srv.Reset(ctx); err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	w, err := motoworld.Build(ctx, srv, sc)
	if err != nil {
		t.Fatalf("build %s: %v", sc.Name, err)
	}
	return &built{srv: srv, sc: sc, w: w}
}

// target is the scenario's first cluster and service.
func (b *built) target() awsx.Request {
	c := b.sc.World.Clusters[0]
	return awsx.Request{Cluster: c.Name, Service: c.Services[0].Name}
}

// diagnose runs the product's own path: config loading with the
// middleware, the gatherer on real SDK clients, the workflow.
func (b *built) diagnose(t *testing.T, req awsx.Request) (*workflow.Diagnosis, *awsx.Session) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sess, err := awsx.Load(ctx, awsx.Options{Region: b.sc.Region, EndpointURL: b.srv.URL})
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	g := &awsx.Gatherer{R: awsx.NewReaders(sess), Needs: workflow.RequiredPermissions}
	f, err := g.Gather(ctx, req)
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	return workflow.Diagnose(f), sess
}

// checkExpect asserts a scenario's Expect block against a diagnosis.
func checkExpect(t *testing.T, d *workflow.Diagnosis, exp *scenario.Expect, resolve func(string) string) {
	t.Helper()
	if exp == nil {
		t.Fatal("scenario has no expect block")
	}
	for _, want := range exp.Findings {
		if !hasFinding(d, want.ID, want.Attrs, resolve) {
			t.Errorf("missing finding %s %v; got:\n%s", want.ID, resolveAttrs(want.Attrs, resolve), summary(d))
		}
	}
	for _, id := range exp.Absent {
		for _, f := range d.Findings {
			if f.ID == id {
				t.Errorf("finding %s must be absent, got %v: %s", id, f.Attrs, f.Detail)
			}
		}
	}
	if exp.NoErrors {
		for _, f := range d.Findings {
			if f.Severity == workflow.SeverityError {
				t.Errorf("no error expected, got %s %v: %s", f.ID, f.Attrs, f.Detail)
			}
		}
	}
	for _, id := range exp.Fixes {
		if fx, _ := d.Fix(resolve(id)); fx == nil {
			t.Errorf("fix %s not offered; offered: %v", resolve(id), fixIDs(d))
		}
	}
}

func hasFinding(d *workflow.Diagnosis, id string, attrs map[string]string, resolve func(string) string) bool {
	for _, f := range d.Findings {
		if f.ID != id {
			continue
		}
		ok := true
		for k, v := range attrs {
			if f.Attrs[k] != resolve(v) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func resolveAttrs(m map[string]string, resolve func(string) string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = resolve(v)
	}
	return out
}

func summary(d *workflow.Diagnosis) string {
	var b strings.Builder
	for _, s := range d.Steps {
		b.WriteString("  " + string(s.ID) + " " + string(s.Status) + " " + s.Detail + "\n")
	}
	for _, f := range d.Findings {
		b.WriteString("  - " + string(f.Severity) + " " + f.ID + " " + attrsString(f.Attrs) + "\n")
	}
	return b.String()
}

func attrsString(m map[string]string) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v := m[k]
		if len(v) > 60 {
			v = v[:60] + "…"
		}
		parts = append(parts, k+"="+v)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func fixIDs(d *workflow.Diagnosis) []string {
	var out []string
	for _, f := range d.Findings {
		for _, fx := range f.Fixes {
			out = append(out, fx.ID)
		}
	}
	return out
}
