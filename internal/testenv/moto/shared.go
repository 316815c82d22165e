package moto

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
)

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns the test binary's one server, starting it on first use.
// Tests that share it call Reset first. It is never closed explicitly: the
// harness exits when the test binary does (its stdin closes).
//
// Without python3 or moto the test is skipped, except under CI=true, where
// a missing part must fail the run rather than silently skip it.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() {
		shared.srv, shared.err = Start(context.Background())
	})
	switch {
	case shared.err == nil:
		return shared.srv
	case errors.Is(shared.err, ErrUnavailable) && os.Getenv("CI") != "true":
		t.Skip(shared.err)
	default:
		t.Fatal(shared.err)
	}
	return nil
}
