package itest

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/sim"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// TestSimulatorConformsToMoto builds every demo scenario twice, once in
// moto_server through the real AWS API and once in the demo account's
// simulator, diagnoses both, and requires the same findings. The simulator
// must behave like AWS from the outside; this is what keeps it from
// drifting.
func TestSimulatorConformsToMoto(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			b := build(t, sc)
			fromMoto, _ := b.diagnose(t, b.target())

			acct, err := sim.New(sim.Options{}, sc)
			if err != nil {
				t.Fatal(err)
			}
			be := &backend.Backend{R: acct.Readers(), W: acct.Writers()}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			fromSim, err := be.Diagnose(ctx, b.target(), nil)
			if err != nil {
				t.Fatal(err)
			}

			names := func(idOf func(kind, name string) string) map[string]string {
				m := map[string]string{}
				for key := range b.w.IDs {
					kind, name, ok := strings.Cut(key, ":")
					if !ok || kind == "task" {
						continue
					}
					if id := idOf(kind, name); id != "" {
						m[id] = key
					}
				}
				return m
			}
			motoNames := names(func(kind, name string) string { return b.w.IDs[kind+":"+name] })
			simNames := names(func(kind, name string) string { return acct.ID(sc.Name, kind, name) })
			got, want := normalized(fromSim, simNames), normalized(fromMoto, motoNames)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("the simulator and moto disagree.\nmoto:\n  %s\nsimulator:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
			}
		})
	}
}

// normalized renders findings as "id attrs" with resource ids replaced by
// the scenario's names, and without attrs that carry verbatim history
// (stop reason texts, task counts), which the two worlds word differently.
func normalized(d *workflow.Diagnosis, names map[string]string) []string {
	var out []string
	for _, f := range d.Findings {
		var attrs []string
		for k, v := range f.Attrs {
			if k == "count" || k == "reason" {
				continue
			}
			if n, ok := names[v]; ok {
				v = n
			}
			// Addresses are drawn differently in each world.
			v = ipAddress.ReplaceAllString(v, "<ip>")
			attrs = append(attrs, k+"="+v)
		}
		sort.Strings(attrs)
		out = append(out, string(f.Severity)+" "+f.ID+" "+strings.Join(attrs, " "))
	}
	sort.Strings(out)
	return dedupeSorted(out)
}

func dedupeSorted(xs []string) []string {
	var out []string
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

var ipAddress = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
