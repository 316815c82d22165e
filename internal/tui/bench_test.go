package tui

import (
	"fmt"
	"sort"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Frame budget: a keypress must be handled and the frame drawn well within
// one 60 Hz frame (16 ms), measured as Update plus View per key, p99.

// keyLoop measures Update+View for each key in turn, b.N keys in all, and
// reports the percentiles.
func keyLoop(b *testing.B, m *Model, keys []tea.KeyPressMsg) {
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m.Update(keys[i%len(keys)])
		_ = m.View()
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(p float64) float64 {
		return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(d[len(d)-1].Microseconds())/1000, "max-ms")
}

func keys(names ...string) []tea.KeyPressMsg {
	out := make([]tea.KeyPressMsg, len(names))
	for i, n := range names {
		out[i] = keyPress(n)
	}
	return out
}

// benchModel is the workflow screen on a diagnosed demo service, in
// colour, at 120×35, driven by Update directly (no program, no I/O).
func benchModel(b *testing.B, opts Options) *Model {
	src := newDemoSource(b)
	opts.Now = src.clock.Now
	m := New(src, opts)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	return m
}

// BenchmarkKeypressLogViewer10k: scrolling, paging and searching a
// 10,000-line log.
func BenchmarkKeypressLogViewer10k(b *testing.B) {
	m := benchModel(b, workflowOptions("healthcheck-curl-alpine"))
	m.wf.apply(m.src.(*demoSource).diagnosis(b, "healthcheck-curl-alpine"), true)
	events := make([]facts.LogEvent, 10000)
	t0 := demoStart.Add(-time.Hour)
	for i := range events {
		ts := t0.Add(time.Duration(i) * 300 * time.Millisecond)
		msg := fmt.Sprintf("request %d GET /tasks/%d 200 %dms user=%d", i, i%97, i%250, i%13)
		if i%500 == 0 {
			msg = fmt.Sprintf("Error: connect ETIMEDOUT 10.0.%d.%d:5432", i%250, i%200)
		}
		events[i] = facts.LogEvent{Time: &ts, Message: msg}
	}
	lv := newLogViewer(m.c, "/ecs/bench", "ecs/app/0123456789abcdef", events)
	m.push(lv)
	keyLoop(b, m, keys(
		"j", "j", "j", "k", "pgdown", "pgdown", "pgdown", "pgup", "G", "g", "down", "up",
		"/", "e", "r", "r", "o", "r", "enter", "n", "n", "n", "N", "pgdown", "esc",
	))
}

// BenchmarkKeypressServicePicker1000: moving through and filtering a
// cluster of 1,000 services.
func BenchmarkKeypressServicePicker1000(b *testing.B) {
	m := benchModel(b, Options{Cluster: "big"})
	rows := make([]backend.ServiceSummary, 1000)
	for i := range rows {
		at := demoStart.Add(-time.Duration(i) * time.Minute)
		rows[i] = backend.ServiceSummary{
			Name: fmt.Sprintf("svc-%04d-api", i), ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:service/big/svc-%04d-api", i),
			Desired: 2, Running: int32(2 - i%3%2*2), Rollout: "COMPLETED", LastEvent: "(service x) has reached a steady state.", LastEventAt: &at,
		}
		rows[i].Unhealthy = rows[i].Running == 0
	}
	l := newLoad(m.ctx, time.Minute)
	m.services.begin(l)
	m.services.receive(serviceRowsMsg{stream: &serviceStream{load: l}, rows: rows, done: true})
	if len(m.services.rows) != 1000 {
		b.Fatalf("picker has %d rows", len(m.services.rows))
	}
	keyLoop(b, m, keys(
		"j", "j", "j", "j", "pgdown", "pgdown", "k", "G", "g",
		"/", "s", "v", "c", "-", "0", "4", "2", "enter", "esc",
	))
}

// BenchmarkServiceRowsArrive: merging one more batch of 10 into a picker
// that already holds 990 (the cost of each DescribeServices answer).
func BenchmarkServiceRowsArrive(b *testing.B) {
	m := benchModel(b, Options{Cluster: "big"})
	l := newLoad(m.ctx, time.Minute)
	m.services.begin(l)
	batch := func(n int) []backend.ServiceSummary {
		out := make([]backend.ServiceSummary, 10)
		for i := range out {
			out[i] = backend.ServiceSummary{Name: fmt.Sprintf("svc-%04d", n*10+i), ARN: fmt.Sprintf("arn:svc-%04d", n*10+i), Desired: 1, Running: 1}
		}
		return out
	}
	for n := 0; n < 99; n++ {
		m.services.receive(serviceRowsMsg{stream: &serviceStream{load: l}, rows: batch(n)})
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m.services.receive(serviceRowsMsg{stream: &serviceStream{load: l}, rows: batch(99)})
		_ = m.View()
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}

// BenchmarkFirstFrame: from nothing to the first frame, before any AWS
// answer: New, Init (which only returns commands) and View.
func BenchmarkFirstFrame(b *testing.B) {
	src := newDemoSource(b)
	src.block = make(chan struct{}) // no answer ever arrives
	opts := workflowOptions("no-endpoints")
	opts.Now = src.clock.Now
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m := New(src, opts)
		_ = m.Init()
		_ = m.View()
		durations = append(durations, time.Since(start))
		m.cancel()
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}
