package awsx

import "context"

// future is a value being fetched by its own goroutine. The gatherer wires
// fetches together by waiting on the futures they depend on, so every call
// starts the moment its inputs exist and the diagnosis needs only as many
// sequential round trips as the longest dependency chain.
type future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func spawn[T any](fn func() (T, error)) *future[T] {
	f := &future[T]{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.val, f.err = fn()
	}()
	return f
}

func (f *future[T]) get(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}
