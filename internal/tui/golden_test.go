package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// Golden files: every screen at 120×35 and 80×24, on the demo scenarios,
// without colour and with ANSI stripped, so a diff reads like the screen.
// Regenerate with: go test ./internal/tui/ -run Golden -update

// screenCase opens a scenario's workflow (or the pickers) and presses keys
// to reach a screen.
type screenCase struct {
	name     string
	scenario string
	pickers  string // "clusters" or "services": open there instead of the workflow
	keys     []string
	want     []string // what a person must read on the screen
}

var screenCases = []screenCase{
	{name: "cluster-picker", pickers: "clusters",
		want: []string{"Clusters", "demo", "ACTIVE"}},
	{name: "service-picker", pickers: "services",
		want: []string{"Services in demo", "healthcheck-curl-alpine", "no-endpoints", "unhealthy", "✗"}},
	{name: "workflow-no-endpoints", scenario: "no-endpoints", keys: []string{"5"},
		want: []string{"Service events", "Stopped tasks", "Stop reason", "Logs", "Endpoints & path", "IAM execution role", "Security groups", "No path to ECR API"}},
	{name: "workflow-policy-not-attached", scenario: "policy-not-attached", keys: []string{"6"},
		want: []string{"TaskManagementSecretsAccess", "nothing allows it"}},
	{name: "workflow-healthcheck-curl-alpine", scenario: "healthcheck-curl-alpine", keys: []string{"3"},
		want: []string{"Task failed container health checks", "curl"}},
	{name: "drill-stopped-task", scenario: "no-endpoints", keys: []string{"2", "tab", "enter"},
		want: []string{"Task ", "TaskFailedToStart", "Containers", "Log streams"}},
	{name: "drill-endpoint", scenario: "endpoint-sg-no-443", keys: []string{"5", "tab", "enter"},
		want: []string{"Path to", "Endpoint vpce-", "inbound 443 from the task"}},
	{name: "drill-policy", scenario: "policy-not-attached", keys: []string{"6", "tab", "down", "down", "enter"},
		want: []string{"Policy TaskManagementSecretsAccess", "▶", "decides secretsmanager:GetSecretValue"}},
	{name: "drill-security-group", scenario: "endpoint-sg-no-443", keys: []string{"7", "tab", "down", "enter"},
		want: []string{"Security group sg-", "Inbound rules", "No inbound rule admits the task"}},
	{name: "drill-event", scenario: "healthcheck-curl-alpine", keys: []string{"1", "tab", "down", "down", "enter"},
		want: []string{"Service event", "What it means"}},
	{name: "log-viewer", scenario: "healthcheck-curl-alpine", keys: []string{"4", "tab", "enter"},
		want: []string{"Logs 3 lines", "listening"}},
	{name: "help", scenario: "no-endpoints", keys: []string{"?"},
		want: []string{"Move", "Workflow", "Fix dialog", "Filter and logs", "General", "ctrl+c"}},
	{name: "fix-dialog", scenario: "no-endpoints", keys: []string{"5", "f"},
		want: []string{"Fix", "create-interface-endpoint:ecr.api", "us-east-1 list prices", "$ aws ec2 create-vpc-endpoint", "y apply", "d dry run", "c copy CLI"}},
}

func (sc screenCase) options() Options {
	switch sc.pickers {
	case "clusters":
		return Options{Region: "us-east-1", Profile: "demo", Demo: true}
	case "services":
		return Options{Cluster: "demo", Region: "us-east-1", Profile: "demo", Demo: true}
	}
	return workflowOptions(sc.scenario)
}

func TestGoldenScreens(t *testing.T) {
	for _, sc := range screenCases {
		for _, sz := range sizes {
			t.Run(sc.name+"/"+sz.name, func(t *testing.T) {
				s := startSession(t, newDemoSource(t), sc.options(), sz.w, sz.h)
				frame := s.settle()
				if len(sc.keys) > 0 {
					frame = s.press(sc.keys...)
				}
				checkFrameSize(t, frame, sz.w, sz.h)
				plain := plainFrame(frame)
				if sz.w >= 120 {
					for _, want := range sc.want {
						if !strings.Contains(plain, want) {
							t.Errorf("screen lacks %q:\n%s", want, plain)
						}
					}
				}
				golden.RequireEqual(t, plain)
			})
		}
	}
}

// checkFrameSize asserts the frame fills the terminal exactly: every line
// as wide as the terminal, as many lines as it is high, so nothing wraps
// and nothing from the previous frame is left behind.
func checkFrameSize(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells wide, want %d: %q", i+1, got, w, ansi.Strip(l))
		}
	}
}

func TestGoldenTooSmall(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 50, 12)
	frame := plainFrame(s.settle())
	if !strings.Contains(frame, "terminal too small (need 60×16)") {
		t.Fatalf("got %q", frame)
	}
	golden.RequireEqual(t, frame)
}
