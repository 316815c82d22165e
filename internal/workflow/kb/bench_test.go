package kb

import "testing"

// A typical access-log line: what almost every line a user scrolls past
// looks like. It must stay cheap because the TUI re-classifies on each
// keystroke.
const benignLine = `2024-05-01T12:00:00.000Z INFO [http] GET /api/tasks?page=2 200 12ms user=42 request_id=3f1c9a7e-1b2d-4c5e-8f90-a1b2c3d4e5f6`

func BenchmarkClassifyLogLineNoMatch(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ClassifyLogLine(benignLine); ok {
			b.Fatal("benign line matched")
		}
	}
}

func BenchmarkClassifyLogLineMatch(b *testing.B) {
	line := `Error: connect ECONNREFUSED 10.0.3.4:5432`
	b.ReportAllocs()
	for b.Loop() {
		ClassifyLogLine(line)
	}
}

func BenchmarkClassifyStopReason(b *testing.B) {
	text := seedStopCases[1].text
	b.ReportAllocs()
	for b.Loop() {
		ClassifyStopReason(text)
	}
}

func TestClassifyLogLineNoMatchDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { ClassifyLogLine(benignLine) })
	if allocs != 0 {
		t.Errorf("ClassifyLogLine on a benign line allocates %v times", allocs)
	}
}
