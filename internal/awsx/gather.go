package awsx

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Request names what to diagnose.
type Request struct {
	Cluster string // name or ARN
	Service string // name or ARN; may be empty when Task is set
	Task    string // ARN or id; optional
}

// Gatherer fetches the facts of one diagnosis. It only ever reads.
type Gatherer struct {
	R *Readers
	// Needs returns the permissions the task needs, computed from partial
	// facts (task definition, secrets, keys, images); the gatherer asks the
	// IAM policy simulator about exactly those. Nil skips simulation.
	Needs func(*facts.Facts) []facts.Permission
	// Progress, when set, receives a snapshot each time a part arrives.
	Progress func(facts.Facts)
	// Limits; zero means the default.
	MaxTasks              int // per desired status (default 100)
	MaxUnattachedPolicies int // documents read (default 20)
	LogEvents             int // latest events per stream (default 200)
}

// gathering is the mutable state of one Gather call.
type gathering struct {
	g       *Gatherer
	req     Request
	mu      sync.Mutex
	f       *facts.Facts
	calls   *CallCounter
	cancel  context.CancelCauseFunc
	fatalMu sync.Mutex
	fatal   error
	// changed is closed (and replaced) whenever a part settles, so that
	// parts waiting on other parts wake up.
	changed chan struct{}
}

// Gather reads everything the diagnosis needs. It returns an *InputError for
// an unknown cluster, service or task, an *AccessError when AWS cannot be
// reached or the credentials are unusable, and otherwise the facts, in which
// every part that could not be read is marked failed with its reason.
func (g *Gatherer) Gather(ctx context.Context, req Request) (*facts.Facts, error) {
	st := &gathering{g: g, req: req, calls: NewCallCounter(), f: &facts.Facts{Fetches: map[facts.Key]facts.Fetch{}}, changed: make(chan struct{})}
	st.f.Target = facts.Target{Region: g.R.Region, Profile: g.R.Profile, Cluster: clusterName(req.Cluster), Service: lastSegment(req.Service)}
	ctx = WithCallCounter(ctx, st.calls)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	st.cancel = cancel

	st.run(ctx)

	st.mu.Lock()
	defer st.mu.Unlock()
	st.f.APICalls = st.calls.Total()
	if st.fatal != nil {
		return st.f, st.fatal
	}
	if err := ctx.Err(); err != nil {
		return st.f, context.Cause(ctx)
	}
	return st.f, nil
}

// set applies one part to the facts under the lock and publishes a snapshot.
// Parts are whole values assigned once, never mutated after, so a shallow
// copy of Facts is a consistent snapshot.
func (st *gathering) set(key facts.Key, apply func(f *facts.Facts)) {
	st.mu.Lock()
	if apply != nil {
		apply(st.f)
	}
	st.f.Fetches = cloneFetches(st.f.Fetches)
	st.f.Fetches[key] = facts.Fetch{State: facts.FetchDone}
	snap := st.snapshotLocked()
	st.mu.Unlock()
	st.publish(snap)
}

// skip marks a part as not applying to this task.
func (st *gathering) skip(key facts.Key) {
	st.mu.Lock()
	st.f.Fetches = cloneFetches(st.f.Fetches)
	st.f.Fetches[key] = facts.Fetch{State: facts.FetchSkipped}
	snap := st.snapshotLocked()
	st.mu.Unlock()
	st.publish(snap)
}

// fail marks a part as failed, or stops the whole gathering when the error
// means nothing else can succeed either (credentials, network).
func (st *gathering) fail(key facts.Key, op string, err error) {
	var fe *facts.FetchError
	var up *upstreamError
	if errors.As(err, &up) {
		fe = up.fe
	} else {
		if ae := Classify(op, err, st.g.R.Profile); ae != nil {
			st.stop(ae)
			return
		}
		var refused *RefusedError
		if errors.As(err, &refused) {
			fe = &facts.FetchError{Operation: refused.Operation, Code: "Refused", Message: refused.Error()}
		} else {
			fe = FetchError(op, err)
		}
	}
	st.mu.Lock()
	st.f.Fetches = cloneFetches(st.f.Fetches)
	st.f.Fetches[key] = facts.Fetch{State: facts.FetchFailed, Error: fe}
	snap := st.snapshotLocked()
	st.mu.Unlock()
	st.publish(snap)
}

// stop ends the gathering with err (bad input, or no access at all).
func (st *gathering) stop(err error) {
	st.fatalMu.Lock()
	if st.fatal == nil {
		st.fatal = err
	}
	st.fatalMu.Unlock()
	st.cancel(err)
}

func (st *gathering) snapshotLocked() facts.Facts {
	close(st.changed)
	st.changed = make(chan struct{})
	snap := *st.f
	snap.APICalls = st.calls.Total()
	return snap
}

func (st *gathering) publish(snap facts.Facts) {
	if st.g.Progress != nil {
		st.g.Progress(snap)
	}
}

// waitFor blocks until every listed part has settled (done, failed or
// skipped), or the gathering ends.
func (st *gathering) waitFor(ctx context.Context, keys ...facts.Key) error {
	for {
		st.mu.Lock()
		pending := false
		for _, k := range keys {
			if st.f.State(k) == facts.FetchPending {
				pending = true
			}
		}
		ch := st.changed
		st.mu.Unlock()
		if !pending {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// view returns a snapshot for computations that need several parts.
func (st *gathering) view() facts.Facts {
	st.mu.Lock()
	defer st.mu.Unlock()
	snap := *st.f
	return snap
}

func cloneFetches(m map[facts.Key]facts.Fetch) map[facts.Key]facts.Fetch {
	out := make(map[facts.Key]facts.Fetch, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// upstreamError carries the failure of a part that others depend on, so
// that a step waiting on them says what really failed (for example
// "AccessDenied on ecs:DescribeTaskDefinition") rather than something vague.
type upstreamError struct{ fe *facts.FetchError }

func (e *upstreamError) Error() string { return e.fe.Message }

// errSkipped says a dependency does not apply, so neither does the part.
var errSkipped = errors.New("does not apply")

// settle records the outcome of a part: done, skipped, or failed.
func (st *gathering) settle(key facts.Key, op string, err error, apply func(f *facts.Facts)) {
	switch {
	case err == nil:
		st.set(key, apply)
	case errors.Is(err, errSkipped):
		st.skip(key)
	default:
		st.fail(key, op, err)
	}
}

// upstream converts a dependency's error into one a dependent part can carry.
func (st *gathering) upstream(op string, err error) error {
	if err == nil || errors.Is(err, errSkipped) {
		return err
	}
	var up *upstreamError
	if errors.As(err, &up) {
		return err
	}
	var refused *RefusedError
	if errors.As(err, &refused) {
		return &upstreamError{fe: &facts.FetchError{Operation: refused.Operation, Code: "Refused", Message: refused.Error()}}
	}
	return &upstreamError{fe: FetchError(op, err)}
}

func clusterName(s string) string {
	// arn:aws:ecs:region:account:cluster/NAME
	if strings.HasPrefix(s, "arn:") {
		return lastSegment(s)
	}
	return s
}

func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// record stores a part's state as it is, without classifying its error.
func (st *gathering) record(key facts.Key, fetch facts.Fetch) {
	st.mu.Lock()
	st.f.Fetches = cloneFetches(st.f.Fetches)
	st.f.Fetches[key] = fetch
	snap := st.snapshotLocked()
	st.mu.Unlock()
	st.publish(snap)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
