package itest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

var binary struct {
	once sync.Once
	path string
	err  error
}

// ecsdoctorBinary builds the real binary once per test run: these tests
// hold the contract as scripts see it (flags, exit codes, stdout, stderr).
func ecsdoctorBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		dir, err := os.MkdirTemp("", "ecsdoctor-bin")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "ecsdoctor")
		cmd := exec.Command("go", "build", "-o", binary.path, "./cmd/ecsdoctor")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = &buildError{out: string(out), err: err}
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ecsdoctorBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// oneLineError asserts the contract for failures: one line on stderr, no
// stack trace, nothing on stdout.
func oneLineError(t *testing.T, r result, wantCode int, mention string) {
	t.Helper()
	if r.code != wantCode {
		t.Errorf("exit code %d, want %d (stderr %q)", r.code, wantCode, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || lines[0] == "" {
		t.Errorf("want one line on stderr, got %q", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
		t.Errorf("stack trace on stderr: %s", r.stderr)
	}
	if !strings.Contains(r.stderr, mention) {
		t.Errorf("stderr %q should mention %q", r.stderr, mention)
	}
	if r.stdout != "" {
		t.Errorf("stdout must be empty on error, got %q", r.stdout)
	}
}

func TestCLIBadInput(t *testing.T) {
	sc, err := scenario.ByName("missing-logs-endpoint")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	tg := b.target()
	ep := "--endpoint-url=" + b.srv.URL
	reg := "--region=" + sc.Region
	cases := []struct {
		name    string
		env     []string
		args    []string
		code    int
		mention string
	}{
		{"unknown cluster", nil, []string{"diagnose", ep, reg, "--cluster", "nope", "--service", tg.Service}, 2, "nope"},
		{"unknown service", nil, []string{"diagnose", ep, reg, "--cluster", tg.Cluster, "--service", "nope"}, 2, "nope"},
		{"unknown task", nil, []string{"diagnose", ep, reg, "--cluster", tg.Cluster, "--task", "0123456789abcdef0123456789abcdef"}, 2, "0123456789abcdef"},
		{"unknown region", nil, []string{"diagnose", ep, "--region", "mars-east-1", "--cluster", tg.Cluster, "--service", tg.Service}, 2, "mars-east-1"},
		{"unknown profile", nil, []string{"diagnose", ep, reg, "--profile", "no-such-profile", "--cluster", tg.Cluster, "--service", tg.Service}, 2, "no-such-profile"},
		{"bad flag", nil, []string{"diagnose", "--frobnicate"}, 2, "frobnicate"},
		{"bad output", nil, []string{"diagnose", ep, reg, "--cluster", tg.Cluster, "--service", tg.Service, "--output", "yaml"}, 2, "yaml"},
		{"missing cluster", nil, []string{"diagnose", ep, reg, "--service", tg.Service}, 2, "--cluster"},
		{"unreachable", nil, []string{"diagnose", "--endpoint-url", "http://127.0.0.1:1", reg, "--cluster", tg.Cluster, "--service", tg.Service}, 3, "reach"},
		{"no credentials", []string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_EC2_METADATA_DISABLED=true"},
			[]string{"diagnose", ep, reg, "--cluster", tg.Cluster, "--service", tg.Service}, 3, "credentials"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			oneLineError(t, runCLI(t, c.env, c.args...), c.code, c.mention)
		})
	}
}

// TestCLIJSONContract checks diagnose --output json as scripts read it.
func TestCLIJSONContract(t *testing.T) {
	for _, c := range []struct {
		scenario string
		code     int
	}{{"policy-not-attached", 1}, {"healthy-nat", 0}} {
		t.Run(c.scenario, func(t *testing.T) {
			sc, err := scenario.ByName(c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			b := build(t, sc)
			tg := b.target()
			r := runCLI(t, nil, "diagnose", "--endpoint-url", b.srv.URL, "--region", sc.Region, "--cluster", tg.Cluster, "--service", tg.Service, "--output", "json")
			if r.code != c.code {
				t.Fatalf("exit %d, want %d; stderr %s", r.code, c.code, r.stderr)
			}
			var doc struct {
				SchemaVersion int `json:"schemaVersion"`
				Target        struct {
					Account, Region, Cluster, Service, Task string
				} `json:"target"`
				Steps []struct {
					ID       string   `json:"id"`
					N        int      `json:"n"`
					Title    string   `json:"title"`
					Status   string   `json:"status"`
					Findings []string `json:"findings"`
				} `json:"steps"`
				Findings []map[string]any `json:"findings"`
				APICalls int              `json:"apiCalls"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
			}
			if doc.SchemaVersion != 1 || doc.Target.Account != "123456789012" || doc.Target.Region != sc.Region || doc.Target.Cluster != tg.Cluster || doc.Target.Service != tg.Service {
				t.Errorf("bad header: %+v", doc)
			}
			wantSteps := []string{"events", "stopped-tasks", "stop-reason", "logs", "endpoints", "iam", "security-groups"}
			if len(doc.Steps) != 7 {
				t.Fatalf("steps: %d", len(doc.Steps))
			}
			for i, s := range doc.Steps {
				if s.ID != wantSteps[i] || s.N != i+1 || s.Title == "" || s.Findings == nil {
					t.Errorf("step %d: %+v", i, s)
				}
				switch s.Status {
				case "ok", "warn", "fail", "unknown", "skipped":
				default:
					t.Errorf("step %s status %q", s.ID, s.Status)
				}
			}
			for _, f := range doc.Findings {
				for _, k := range []string{"id", "severity", "step", "title", "detail", "resources", "attrs", "fixes"} {
					if _, ok := f[k]; !ok {
						t.Errorf("finding %v lacks %q", f["id"], k)
					}
				}
				for i, fx := range f["fixes"].([]any) {
					m := fx.(map[string]any)
					for _, k := range []string{"id", "kind", "title", "recommended", "mutates", "cli"} {
						if _, ok := m[k]; !ok {
							t.Errorf("fix %v lacks %q", m["id"], k)
						}
					}
					if m["recommended"] != (i == 0) {
						t.Errorf("fix %v: recommended=%v at position %d", m["id"], m["recommended"], i)
					}
					if !strings.HasPrefix(m["id"].(string), m["kind"].(string)+":") {
						t.Errorf("fix id %v is not kind:qualifier", m["id"])
					}
				}
			}
			if doc.APICalls <= 0 {
				t.Errorf("apiCalls %d", doc.APICalls)
			}
		})
	}
}

// TestCLITextAndMarkdown: the human formats name every step and finding.
func TestCLITextAndMarkdown(t *testing.T) {
	sc, err := scenario.ByName("no-endpoints")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	tg := b.target()
	for _, format := range []string{"text", "markdown"} {
		r := runCLI(t, nil, "diagnose", "--endpoint-url", b.srv.URL, "--region", sc.Region, "--cluster", tg.Cluster, "--service", tg.Service, "--output", format)
		if r.code != 1 {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
		for _, want := range []string{"Service events", "Stopped tasks", "Stop reason", "Logs", "VPC endpoints", "IAM", "Security groups", "endpoint.missing", "create-interface-endpoint:ecr.api"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "\x1b[") {
			t.Errorf("%s output has colour codes though stdout is not a terminal", format)
		}
	}
}
