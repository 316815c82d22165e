// Package moto runs moto_server (through harness.py) as the AWS backend of
// integration tests: real HTTP, real aws-sdk-go-v2 clients. The harness
// patches moto's infidelities and injects what moto never produces (service
// events, failed rollouts, stop codes, container state); see harness.py and
// /work/shared/notes/moto.md.
package moto

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// ErrUnavailable means python3 or moto is not installed here.
var ErrUnavailable = errors.New("moto: python3 with moto is not available")

// startTimeout bounds the wait for "READY <port>"; moto imports in about 2 s.
const startTimeout = 30 * time.Second

// Server is a running harness.
type Server struct {
	// URL is the base endpoint, e.g. http://127.0.0.1:40123.
	URL string

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *tailBuffer
	done   chan struct{} // closed when the process has exited
	once   sync.Once
}

// Start launches python3 harness.py --port 0 and waits until it serves.
// The server lives until Close or until this process exits (the harness
// exits when its stdin closes), independent of ctx, which bounds only the
// start-up.
func Start(ctx context.Context) (*Server, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	harness := harnessPath()
	// Stat it from Go so that go test's cache notices when it changes.
	if _, err := os.Stat(harness); err != nil {
		return nil, fmt.Errorf("moto: %w", err)
	}
	s := &Server{stderr: &tailBuffer{max: 64 << 10}, done: make(chan struct{})}
	s.cmd = exec.Command(python, harness, "--port", "0")
	s.cmd.Stderr = s.stderr
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("moto: start harness: %w", err)
	}

	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if port, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				ready <- port
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout) // never block the harness on a full pipe
	}()
	go func() { _ = s.cmd.Wait(); close(s.done) }()

	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	select {
	case port := <-ready:
		s.URL = "http://127.0.0.1:" + port
		return s, nil
	case <-s.done:
		if s.cmd.ProcessState.ExitCode() == 3 { // harness: moto not importable
			return nil, fmt.Errorf("%w: %s", ErrUnavailable, s.stderr.String())
		}
		return nil, fmt.Errorf("moto: harness exited before READY: %s", s.stderr.String())
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("moto: harness not READY: %w; stderr: %s", ctx.Err(), s.stderr.String())
	}
}

// harnessPath finds harness.py beside this source file, so that any test
// package (whatever its working directory) can start the server.
func harnessPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "harness.py")
}

// Config returns an aws.Config for this server: dummy static credentials
// (moto's default account 123456789012), BaseEndpoint = URL, and at most two
// attempts with short backoff so that a broken call fails a test quickly.
// It reads nothing from the environment or ~/.aws, so a developer's
// AWS_PROFILE or AWS_ENDPOINT_URL cannot redirect a test.
func (s *Server) Config(region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(s.URL),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 2
				o.MaxBackoff = 100 * time.Millisecond
			})
		},
	}
}

// Reset clears every resource (POST /moto-api/reset) and pins ECS task
// states again. (moto 5.2.1 keeps transitions across a reset, but pinning
// is cheap and keeps tests independent of that detail.)
func (s *Server) Reset(ctx context.Context) error {
	if err := s.post(ctx, "/moto-api/reset", nil); err != nil {
		return err
	}
	return s.post(ctx, "/moto-api/state-manager/set-transition",
		[]byte(`{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}`))
}

// Stderr returns the tail of the harness's stderr (moto's tracebacks).
func (s *Server) Stderr() string { return s.stderr.String() }

// Close stops the harness: closing stdin asks it to exit; it is killed if
// it has not within five seconds.
func (s *Server) Close() {
	s.once.Do(func() {
		_ = s.stdin.Close()
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
}

func (s *Server) post(ctx context.Context, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("moto: POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("moto: POST %s: %s: %s", path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = b.buf[over:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
