package itest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// TestExtraScenarios builds every world of testdata/scenarios in moto and
// holds the diagnosis to the scenario's Expect block, as TestScenarios does
// for the demo's scenarios. These worlds are not part of the demo: each
// isolates one problem an acceptance suite may build.
func TestExtraScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenarios in testdata/scenarios")
	}
	seen := map[string]string{}
	for _, file := range files {
		sc, err := scenario.Load(file)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if want := strings.TrimSuffix(filepath.Base(file), ".yaml"); sc.Name != want {
			t.Errorf("%s: scenario is named %q; name the file after it", file, sc.Name)
		}
		if other, dup := seen[sc.Name]; dup {
			t.Errorf("%s and %s are both named %q", file, other, sc.Name)
		}
		seen[sc.Name] = file
		t.Run(sc.Name, func(t *testing.T) {
			b := build(t, sc)
			d, sess := b.diagnose(t, b.target())
			t.Logf("%s: %d API calls\n%s", sc.Name, d.APICalls, summary(d))
			checkExpect(t, d, sc.Expect, b.w.Resolve)
			checkInvariants(t, d, sess)
			if check := extraChecks[sc.Name]; check != nil {
				check(t, d, b)
			}
		})
	}
}

// extraChecks are assertions the Expect block cannot state (a finding that
// must be absent with particular attrs, a fix offered on every finding).
var extraChecks = map[string]func(t *testing.T, d *workflow.Diagnosis, b *built){
	// The otel sidecar is not essential: ECS SIGKILLed it (137) after the
	// app's exit stopped the task. That is no essential container exiting,
	// and certainly no hint of an out-of-memory kill.
	"sidecar-sigkill": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if f.ID == "stop.essential-exited" && f.Attrs["exitCode"] != "1" {
				t.Errorf("stop.essential-exited %v: the non-essential sidecar's exit code is reported as an essential container's", f.Attrs)
			}
		}
	},
	// Public subnets: every missing path can also be fixed with a public IP.
	"public-subnet-no-public-ip": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if f.ID != "endpoint.missing" {
				continue
			}
			found := false
			for _, fx := range f.Fixes {
				found = found || fx.ID == "enable-public-ip:prototype-api"
			}
			if !found {
				t.Errorf("endpoint.missing %v does not offer enable-public-ip:prototype-api", f.Attrs)
			}
		}
	},
	// The inline policy must grant the streams real tasks create
	// (ecs/inventory-api/<task id>), not the stand-in task id the checks use.
	// Both tasks stopped for the same cause; their texts differ only in the
	// task id and request id AWS embeds.
	"role-no-logs-permission": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if f.ID == "task.stopped-failures" && strings.Contains(f.Detail, "different stop reasons") {
				t.Errorf("task.stopped-failures counts one cause as several: %s", f.Detail)
			}
		}
		fx, _ := d.Fix("put-execution-role-policy:inventoryExecRole")
		if fx == nil {
			return // checkExpect reports it
		}
		cli := strings.Join(fx.CLI, " ")
		if !strings.Contains(cli, "log-stream:ecs/inventory-api/*") || strings.Contains(cli, "0123456789abcdef") {
			t.Errorf("the inline policy does not grant the task's real log streams: %s", cli)
		}
	},
	// The boundary, not the role's policies, withholds the logs actions:
	// an inline policy on the role cannot help, and the detail must say why.
	"iam-permissions-boundary": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		if fx, _ := d.Fix("put-execution-role-policy:intakeExecRole"); fx != nil {
			t.Errorf("offers %s, which cannot lift a permissions boundary", fx.ID)
		}
		for _, f := range d.Findings {
			if f.ID == "iam.permission-missing" && !strings.Contains(f.Detail, "permissions boundary") {
				t.Errorf("iam.permission-missing %v does not name the boundary: %s", f.Attrs, f.Detail)
			}
		}
	},
	// The running task is UNHEALTHY and about to be replaced: although the
	// running count matches the desired count, the failing health check is
	// the current problem, an error.
	"dockerhub-healthcheck-wget-alpine": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if (f.ID == "stop.health-check" || f.ID == "service.event.health-check") && f.Severity != workflow.SeverityError {
				t.Errorf("%s has severity %s while a running task is UNHEALTHY; want error", f.ID, f.Severity)
			}
		}
	},
	// The group is missing in us-west-2, where awslogs-region sends the
	// logs: creating it in the task's region would change nothing, so no
	// one-key fix is offered, and the detail gives the command for us-west-2.
	"log-group-other-region": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if f.ID != "logs.group-missing" {
				continue
			}
			if len(f.Fixes) != 0 {
				t.Errorf("a fix in the task's region would not help: %v", f.Fixes)
			}
			if !strings.Contains(f.Detail, "--region us-west-2") {
				t.Errorf("the detail must say how to create the group in us-west-2: %s", f.Detail)
			}
		}
	},
	// Three tasks, three causes: the newest is analysed, the others counted.
	"task-history-mixed": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if f.ID == "task.stopped-failures" && !strings.Contains(f.Detail, "3 different stop reasons") {
				t.Errorf("task.stopped-failures does not say the three tasks failed differently: %s", f.Detail)
			}
		}
	},
	// A transit gateway path cannot be followed: a warning, never an error.
	"tgw-default-route": func(t *testing.T, d *workflow.Diagnosis, b *built) {
		for _, f := range d.Findings {
			if f.ID == "net.path-unverified" && f.Severity != workflow.SeverityWarning {
				t.Errorf("net.path-unverified %v has severity %s, want warning", f.Attrs, f.Severity)
			}
		}
	},
}

// TestExtraNewDeploymentFailing: a new deployment whose tasks fail while the
// old deployment still runs every task. The running count equals the
// desired count, yet the service is not steady: the failures are the
// current problem, so they are errors, not warnings. moto keeps a single
// deployment per service, so the old (ACTIVE) one is added to the gathered
// facts before the workflow runs.
func TestExtraNewDeploymentFailing(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("testdata", "deployments", "new-deployment-failing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sess, err := awsx.Load(ctx, awsx.Options{Region: sc.Region, EndpointURL: b.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	g := &awsx.Gatherer{R: awsx.NewReaders(sess), Needs: workflow.RequiredPermissions}
	f, err := g.Gather(ctx, b.target())
	if err != nil {
		t.Fatal(err)
	}
	svc := f.Service
	if svc == nil || len(svc.Deployments) != 1 {
		t.Fatalf("want the service with one deployment from moto, got %+v", svc)
	}
	primary := &svc.Deployments[0]
	if primary.Status != "PRIMARY" {
		t.Fatalf("moto's deployment has status %q, want PRIMARY", primary.Status)
	}
	primary.DesiredCount, primary.RunningCount, primary.FailedTasks = 2, 0, 2
	primary.RolloutState = "IN_PROGRESS"
	oldTD := strings.TrimSuffix(primary.TaskDefinition, ":1") + ":0"
	svc.Deployments = append(svc.Deployments, facts.Deployment{
		ID: "ecs-svc/4410394834937302915", Status: "ACTIVE", RolloutState: "COMPLETED",
		TaskDefinition: oldTD, DesiredCount: 2, RunningCount: 2, Network: primary.Network,
	})
	svc.DesiredCount, svc.RunningCount = 2, 2
	for i := range f.Tasks {
		if f.Tasks[i].LastStatus == "RUNNING" {
			f.Tasks[i].TaskDefinitionARN = oldTD
		}
	}
	d := workflow.Diagnose(f)
	t.Logf("%s\n%s", sc.Name, summary(d))
	checkExpect(t, d, sc.Expect, b.w.Resolve)
	for _, id := range []string{"stop.secret-not-found", "task.stopped-failures", "secret.not-found"} {
		for _, fi := range d.Findings {
			if fi.ID == id && fi.Severity != workflow.SeverityError {
				t.Errorf("%s has severity %s; the new deployment is failing now, so it must be an error", id, fi.Severity)
			}
		}
	}
	if !d.HasErrors() {
		t.Error("the diagnosis has no error although the new deployment cannot start a task")
	}
	if want := b.w.IDs["task:cart-api/0"]; d.Target.Task != want {
		t.Errorf("target.task = %q, want the new deployment's newest failed task %q", d.Target.Task, want)
	}
}

// loadExtra reads one scenario of testdata/scenarios by name.
func loadExtra(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(filepath.Join("testdata", "scenarios", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestExtraNamedTask: --task diagnoses the task it names, not the service's
// newest stopped one. The world's service stopped three tasks for three
// different reasons; each is diagnosed by name, through the gatherer and
// through the binary, and must be the target with its own stop reason
// classified (and not the newest task's).
func TestExtraNamedTask(t *testing.T) {
	sc := loadExtra(t, "task-history-mixed")
	b := build(t, sc)
	tg := b.target()
	cases := []struct {
		index   int
		want    string // finding id its stop reason yields
		notWant string // the finding id of the newest task's reason
	}{
		{0, "stop.oom", ""},
		{1, "stop.secret-not-found", "stop.oom"},
		{2, "stop.image-not-found", "stop.oom"},
	}
	for _, c := range cases {
		arn := b.w.IDs["task:"+tg.Service+"/"+itoa(c.index)]
		if arn == "" {
			t.Fatalf("task %d of %s was not built", c.index, tg.Service)
		}
		id := arn[strings.LastIndexByte(arn, '/')+1:]
		t.Run("gatherer/"+c.want, func(t *testing.T) {
			req := tg
			req.Task = id
			d, _ := b.diagnose(t, req)
			if d.Target.Task != arn {
				t.Errorf("target.task = %q, want %q", d.Target.Task, arn)
			}
			if !hasFinding(d, c.want, nil, b.w.Resolve) {
				t.Errorf("diagnosing task %s: missing %s; got:\n%s", id, c.want, summary(d))
			}
			if c.notWant != "" && hasFinding(d, c.notWant, nil, b.w.Resolve) {
				t.Errorf("diagnosing task %s reports %s, the newest task's stop reason:\n%s", id, c.notWant, summary(d))
			}
			for _, f := range d.FindingsOf(workflow.StepStopReason) {
				for _, r := range f.Resources {
					if strings.HasPrefix(r, "arn:aws:ecs:") && strings.Contains(r, ":task/") && r != arn {
						t.Errorf("finding %s is about task %s, not the named %s", f.ID, r, arn)
					}
				}
			}
		})
		t.Run("binary/"+c.want, func(t *testing.T) {
			r := runCLI(t, nil, "diagnose", "--endpoint-url", b.srv.URL, "--region", sc.Region,
				"--cluster", tg.Cluster, "--service", tg.Service, "--task", id, "--output", "json")
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
			}
			var doc struct {
				Target struct {
					Task string `json:"task"`
				} `json:"target"`
				Findings []struct {
					ID       string            `json:"id"`
					Attrs    map[string]string `json:"attrs"`
					Evidence []string          `json:"evidence"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
			}
			if doc.Target.Task != arn {
				t.Errorf("target.task = %q, want %q", doc.Target.Task, arn)
			}
			found := false
			for _, f := range doc.Findings {
				if f.ID == c.want {
					found = true
				}
				if c.notWant != "" && f.ID == c.notWant {
					t.Errorf("--task %s reports %s, the newest task's stop reason", id, f.ID)
				}
			}
			if !found {
				t.Errorf("--task %s: no %s finding in %s", id, c.want, r.stdout)
			}
		})
	}
	// Without --task the newest failed task is the one diagnosed.
	t.Run("default", func(t *testing.T) {
		d, _ := b.diagnose(t, tg)
		if want := b.w.IDs["task:"+tg.Service+"/0"]; d.Target.Task != want {
			t.Errorf("target.task = %q, want the newest stopped task %q", d.Target.Task, want)
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
