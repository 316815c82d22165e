package itest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// diagnoseWithLatency diagnoses the built world through a transport that
// delays and times every request.
func diagnoseWithLatency(tb testing.TB, b *built, lt *latencyTransport) *workflow.Diagnosis {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sess, err := awsx.Load(ctx, awsx.Options{Region: b.sc.Region, EndpointURL: b.srv.URL, HTTPClient: lt})
	if err != nil {
		tb.Fatal(err)
	}
	g := &awsx.Gatherer{R: awsx.NewReaders(sess), Needs: workflow.RequiredPermissions}
	f, err := g.Gather(ctx, b.target())
	if err != nil {
		tb.Fatal(err)
	}
	return workflow.Diagnose(f)
}

func newLatencyTransport(delay time.Duration) *latencyTransport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &latencyTransport{base: t, delay: delay}
}

// BenchmarkDiagnose100ms measures a full diagnosis of one service with
// 100 ms added to every AWS request: time per diagnosis, requests and
// sequential waves. Target: under 0.7 s, at most 5 waves, under 60 requests.
func BenchmarkDiagnose100ms(b *testing.B) {
	for _, name := range []string{"policy-not-attached", "healthy-nat", "rds-no-ssl"} {
		b.Run(name, func(b *testing.B) {
			sc, err := scenario.ByName(name)
			if err != nil {
				b.Fatal(err)
			}
			w := build(b, sc)
			lt := newLatencyTransport(100 * time.Millisecond)
			var calls, waves int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lt.reset()
				d := diagnoseWithLatency(b, w, lt)
				calls, waves = d.APICalls, lt.waves()
			}
			b.ReportMetric(float64(calls), "requests/op")
			b.ReportMetric(float64(waves), "waves/op")
		})
	}
}

// TestDiagnosisCriticalPath checks the structure the speed target rests on:
// however slow AWS is, a diagnosis needs at most five sequential round trips.
// It counts round trips, not seconds, so machine load cannot flake it.
func TestDiagnosisCriticalPath(t *testing.T) {
	for _, name := range []string{"policy-not-attached", "healthy-nat"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenario.ByName(name)
			if err != nil {
				t.Fatal(err)
			}
			w := build(t, sc)
			lt := newLatencyTransport(40 * time.Millisecond)
			d := diagnoseWithLatency(t, w, lt)
			if got := lt.waves(); got > 5 {
				t.Errorf("diagnosis took %d sequential waves of requests, want at most 5", got)
			}
			if d.APICalls >= 60 {
				t.Errorf("diagnosis made %d requests, want under 60", d.APICalls)
			}
		})
	}
}

// BenchmarkRefresh100ms measures the TUI's automatic refresh with 100 ms
// added to every request: after one full diagnosis, each refresh re-reads
// the service, its tasks and logs and reuses the settings it read.
func BenchmarkRefresh100ms(b *testing.B) {
	sc, err := scenario.ByName("policy-not-attached")
	if err != nil {
		b.Fatal(err)
	}
	w := build(b, sc)
	lt := newLatencyTransport(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	sess, err := awsx.Load(ctx, awsx.Options{Region: sc.Region, EndpointURL: w.srv.URL, HTTPClient: lt})
	if err != nil {
		b.Fatal(err)
	}
	g := &awsx.Gatherer{R: awsx.NewReaders(sess), Needs: workflow.RequiredPermissions}
	if _, err := g.Gather(awsx.WithCachedReads(ctx, 0), w.target()); err != nil {
		b.Fatal(err)
	}
	tick := awsx.WithCachedReads(ctx, time.Hour)
	var calls, waves int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lt.reset()
		f, err := g.Gather(tick, w.target())
		if err != nil {
			b.Fatal(err)
		}
		calls, waves = f.APICalls, lt.waves()
	}
	b.ReportMetric(float64(calls), "requests/op")
	b.ReportMetric(float64(waves), "waves/op")
}
