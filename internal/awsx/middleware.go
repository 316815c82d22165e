package awsx

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// CallCounter counts AWS requests (every attempt, retries included) by
// operation. It is safe for concurrent use.
type CallCounter struct {
	mu   sync.Mutex
	byOp map[string]int
}

// NewCallCounter returns an empty counter.
func NewCallCounter() *CallCounter { return &CallCounter{byOp: map[string]int{}} }

func (c *CallCounter) add(op string) {
	c.mu.Lock()
	c.byOp[op]++
	c.mu.Unlock()
}

// Total is the number of requests counted.
func (c *CallCounter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.byOp {
		n += v
	}
	return n
}

// ByOperation returns a copy of the counts per operation.
func (c *CallCounter) ByOperation() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.byOp))
	for k, v := range c.byOp {
		out[k] = v
	}
	return out
}

// Operations lists the operations counted, sorted.
func (c *CallCounter) Operations() []string {
	m := c.ByOperation()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type counterKey struct{}

// WithCallCounter makes every request under ctx count in c as well, so one
// diagnosis can report its own apiCalls while others run beside it.
func WithCallCounter(ctx context.Context, c *CallCounter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// Middleware holds the cross-cutting behaviour every client gets.
type Middleware struct {
	// Counter counts every request of every client.
	Counter *CallCounter
	// CallTimeout bounds each operation, retries included.
	CallTimeout time.Duration
	// DebugLog, when set, receives one line per request.
	DebugLog io.Writer
	logMu    sync.Mutex
	// cache keeps settings reads for contexts made WithCachedReads.
	cache readCache
}

// APIOptions returns the stack mutators to install on every client.
func (m *Middleware) APIOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{m.addGuard, m.addReadCache, m.addTimeout, m.addCounter}
}

// addGuard refuses, before anything is built or sent, any operation that
// could change AWS unless the context approves that exact operation, and
// any operation that reads secret values, always. Enforcing it here, in the
// stack of every client, makes a mutating diagnosis impossible by
// construction rather than by the UI's good behaviour.
func (m *Middleware) addGuard(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ecsdoctorGuard",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := Admit(ctx, OperationName(ctx), in.Parameters); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

func (m *Middleware) addTimeout(stack *middleware.Stack) error {
	if m.CallTimeout <= 0 {
		return nil
	}
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("ecsdoctorTimeout",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			ctx, cancel := context.WithTimeout(ctx, m.CallTimeout)
			defer cancel()
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// addCounter sits at the end of the finalize step, after the retry loop, so
// it sees every attempt that goes on the wire.
func (m *Middleware) addCounter(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("ecsdoctorCounter",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			op := OperationName(ctx)
			if m.Counter != nil {
				m.Counter.add(op)
			}
			if c, ok := ctx.Value(counterKey{}).(*CallCounter); ok && c != m.Counter {
				c.add(op)
			}
			start := time.Now()
			out, md, err := next.HandleFinalize(ctx, in)
			if m.DebugLog != nil {
				m.logMu.Lock()
				status := "ok"
				if err != nil {
					status = "error: " + rootCause(err)
				}
				fmt.Fprintf(m.DebugLog, "%s %s %s %s\n", start.UTC().Format(time.RFC3339Nano), op, time.Since(start).Round(time.Millisecond), status)
				m.logMu.Unlock()
			}
			return out, md, err
		}), middleware.After)
}
