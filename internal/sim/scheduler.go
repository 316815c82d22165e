package sim

import (
	"container/heap"
	"time"
)

// The clock. Nothing in the simulator runs in the background: things that
// are to happen later (a task reaching RUNNING, a health check failing, the
// scheduler retrying) are events in a queue, and every API call first
// replays the events that are due by Options.Now(), in time order, each
// one seeing the world as the events before it left it. A fix made through
// the Writers therefore affects exactly the events that come after it.

type event struct {
	at  time.Time
	seq uint64 // keeps events at the same instant in the order they were planned
	run func()
}

type eventQueue struct {
	items []*event
	seq   uint64
}

func (q *eventQueue) Len() int { return len(q.items) }
func (q *eventQueue) Less(i, j int) bool {
	if !q.items[i].at.Equal(q.items[j].at) {
		return q.items[i].at.Before(q.items[j].at)
	}
	return q.items[i].seq < q.items[j].seq
}
func (q *eventQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *eventQueue) Push(x any)    { q.items = append(q.items, x.(*event)) }
func (q *eventQueue) Pop() any {
	old := q.items
	x := old[len(old)-1]
	q.items = old[:len(old)-1]
	return x
}

// at plans fn for the instant t (never earlier than the present).
func (a *Account) at(t time.Time, fn func()) {
	if t.Before(a.clock) {
		t = a.clock
	}
	a.queue.seq++
	heap.Push(&a.queue, &event{at: t, seq: a.queue.seq, run: fn})
}

// after plans fn d from now, d being scaled by the account's Speed.
func (a *Account) after(d time.Duration, fn func()) {
	a.at(a.clock.Add(a.scaled(d)), fn)
}

// advance brings the world to the instant to, running every event due by
// then. The clock never goes back, even if Options.Now does.
func (a *Account) advance(to time.Time) {
	to = to.UTC()
	for a.queue.Len() > 0 && !a.queue.items[0].at.After(to) {
		ev := heap.Pop(&a.queue).(*event)
		if ev.at.After(a.clock) {
			a.clock = ev.at
		}
		ev.run()
	}
	if to.After(a.clock) {
		a.clock = to
	}
}
