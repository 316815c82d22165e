package itest

import (
	"net/http"
	"sort"
	"sync"
	"time"
)

// latencyTransport adds a fixed delay to every request, as a distant AWS
// region would, and records when each request ran, so that the number of
// sequential round trips (waves) of a diagnosis can be measured.
type latencyTransport struct {
	base  http.RoundTripper
	delay time.Duration

	mu    sync.Mutex
	spans []span
}

type span struct{ start, end time.Time }

func (l *latencyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	time.Sleep(l.delay)
	resp, err := l.base.RoundTrip(r)
	l.mu.Lock()
	l.spans = append(l.spans, span{start, time.Now()})
	l.mu.Unlock()
	return resp, err
}

func (l *latencyTransport) Do(r *http.Request) (*http.Response, error) { return l.RoundTrip(r) }

// waves is the length of the longest chain of requests each of which
// started after the previous one ended: the diagnosis's critical path in
// round trips, whatever the concurrency around it.
func (l *latencyTransport) waves() int {
	l.mu.Lock()
	spans := append([]span(nil), l.spans...)
	l.mu.Unlock()
	sort.Slice(spans, func(i, j int) bool { return spans[i].start.Before(spans[j].start) })
	depth := make([]int, len(spans))
	best := 0
	for i, s := range spans {
		depth[i] = 1
		for j := 0; j < i; j++ {
			if !spans[j].end.After(s.start) && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		if depth[i] > best {
			best = depth[i]
		}
	}
	return best
}

func (l *latencyTransport) reset() {
	l.mu.Lock()
	l.spans = nil
	l.mu.Unlock()
}
