package tui

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

func selectedStepID(m *Model) workflow.StepID { return m.wf.selectedStep().ID }

// n and p walk the steps in the seed's order; 1-7 jump; the rail's
// up/down move too.
func TestStepNavigation(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	order := []workflow.StepID{workflow.StepEvents, workflow.StepStoppedTasks, workflow.StepStopReason, workflow.StepLogs, workflow.StepEndpoints, workflow.StepIAM, workflow.StepSecurityGroups}
	s.press("1")
	for i, want := range order {
		if got := s.stepNow(); got != want {
			t.Fatalf("after %d×n: step %s, want %s", i, got, want)
		}
		s.press("n")
	}
	if got := s.stepNow(); got != workflow.StepSecurityGroups {
		t.Errorf("n past the last step moved to %s", got)
	}
	for i := len(order) - 1; i >= 0; i-- {
		if got := s.stepNow(); got != order[i] {
			t.Fatalf("walking back with p: step %s, want %s", got, order[i])
		}
		s.press("p")
	}
	for i, want := range order {
		s.press(string(rune('1' + i)))
		if got := s.stepNow(); got != want {
			t.Errorf("key %d: step %s, want %s", i+1, got, want)
		}
	}
	s.press("3", "down", "down", "j", "up", "k")
	if got := s.stepNow(); got != workflow.StepLogs {
		t.Errorf("3, down, down, j, up, k: step %s, want logs", got)
	}
}

// stepNow reads the selected step inside the program.
func (s *session) stepNow() workflow.StepID {
	var id workflow.StepID
	s.waitFor("the selected step", func(m *Model) bool { id = selectedStepID(m); return true })
	return id
}

// On arrival the first failing step is selected: fail, else unknown, else
// warn.
func TestArrivalSelectsFirstFailingStep(t *testing.T) {
	src := newDemoSource(t)
	// A scenario whose first failing step is not the first step, so that
	// the selection visibly moves on arrival.
	var name string
	var want workflow.StepID
	for _, sc := range []string{"rds-no-ssl", "db-sg-blocked", "healthy-nat", "healthcheck-curl-alpine"} {
		d := src.diagnosis(t, sc)
		if i := firstFailing(d.Steps); i > 0 {
			name, want = sc, d.Steps[i].ID
			break
		}
	}
	if name == "" {
		t.Log("every demo scenario fails step 1; only the rule itself is checked")
	} else {
		s := startSession(t, src, workflowOptions(name), 120, 35)
		s.settle()
		if got := s.stepNow(); got != want {
			t.Errorf("%s: arrival selected %s, want %s", name, got, want)
		}
	}

	steps := []workflow.Step{{Status: workflow.StatusOK}, {Status: workflow.StatusWarn}, {Status: workflow.StatusUnknown}, {Status: workflow.StatusFail}}
	if got := firstFailing(steps); got != 3 {
		t.Errorf("fail beats unknown and warn: got %d", got)
	}
	if got := firstFailing(steps[:3]); got != 2 {
		t.Errorf("unknown beats warn: got %d", got)
	}
	if got := firstFailing(steps[:2]); got != 1 {
		t.Errorf("warn: got %d", got)
	}
	if got := firstFailing(steps[:1]); got != 0 {
		t.Errorf("all ok: got %d", got)
	}
}

// enter drills down from the rail to the evidence to a task; esc walks
// back out the same way, then to the service picker.
func TestDrillDownAndBack(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	frame := plainFrame(s.press("2", "enter", "enter"))
	if !strings.Contains(frame, "· STOPPED") || !strings.Contains(frame, "Containers") || !strings.Contains(frame, "Log streams") {
		t.Fatalf("enter on a stopped task did not open it:\n%s", frame)
	}
	frame = plainFrame(s.press("down", "down", "down", "enter"))
	if !strings.Contains(frame, "Logs ") || !strings.Contains(frame, "/ecs/") {
		t.Fatalf("enter on the task's log stream did not open the log viewer:\n%s", frame)
	}
	frame = plainFrame(s.press("esc", "esc"))
	if !strings.Contains(frame, "2 Stopped tasks  ✗ fail") {
		t.Fatalf("esc twice did not return to the workflow:\n%s", frame)
	}
	s.press("esc") // evidence pane -> rail
	frame = plainFrame(s.press("esc"))
	if !strings.Contains(frame, "Services in demo") {
		t.Fatalf("esc from the rail did not go to the service picker:\n%s", frame)
	}
	frame = plainFrame(s.press("esc"))
	if !strings.Contains(frame, "Clusters") {
		t.Fatalf("esc from the service picker did not go to the clusters:\n%s", frame)
	}
}

func TestHelpOpensAndCloses(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	frame := plainFrame(s.press("?"))
	for _, want := range []string{"Keys", "next step", "jump to step", "dry run", "copy CLI", "follow", "quit, always"} {
		if !strings.Contains(frame, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if frame = plainFrame(s.press("esc")); strings.Contains(frame, "jump to step") {
		t.Errorf("esc did not close help:\n%s", frame)
	}
	s.press("?")
	if frame = plainFrame(s.press("?")); strings.Contains(frame, "jump to step") {
		t.Errorf("? did not close help")
	}
}

// The help is generated from the key map: every enabled binding is on it.
func TestHelpListsEveryBinding(t *testing.T) {
	c := &common{keys: DefaultKeyMap(), styles: NoColorStyles(), now: func() time.Time { return demoStart }}
	h := newHelpView(c)
	h.SetSize(200, 60)
	text := strings.Join(h.lines, "\n")
	for _, g := range c.keys.groups() {
		for _, b := range g.Bindings {
			if !strings.Contains(text, b.Help().Desc) {
				t.Errorf("help lacks %s %q", b.Help().Key, b.Help().Desc)
			}
		}
	}
}

// / filters the service picker as you type; enter keeps the filter and
// the next enter opens the service.
func TestServicePickerFilter(t *testing.T) {
	src := newDemoSource(t)
	s := startSession(t, src, Options{Cluster: "demo"}, 120, 35)
	frame := plainFrame(s.settle())
	if !strings.Contains(frame, "policy-not-attached") || !strings.Contains(frame, "no-endpoints") || !strings.Contains(frame, "11 services") {
		t.Fatalf("picker lacks services:\n%s", frame)
	}
	s.press("/")
	frame = plainFrame(s.typeText("policy"))
	if strings.Contains(frame, "no-endpoints") || !strings.Contains(frame, "policy-not-attached") || !strings.Contains(frame, "1 of 11") {
		t.Fatalf("filter policy:\n%s", frame)
	}
	frame = plainFrame(s.press("enter"))
	if !strings.Contains(frame, "filter: policy") {
		t.Fatalf("enter did not keep the filter:\n%s", frame)
	}
	frame = plainFrame(s.press("enter"))
	if !strings.Contains(frame, "demo › policy-not-attached") || !strings.Contains(frame, "Steps") {
		t.Fatalf("enter did not open the service:\n%s", frame)
	}
}

// While typing a filter, q is a letter, not quit.
func TestFilterTakesLetters(t *testing.T) {
	s := startSession(t, newDemoSource(t), Options{}, 120, 35)
	s.settle()
	s.press("/")
	frame := plainFrame(s.typeText("q?"))
	if !strings.Contains(frame, "/ q?") {
		t.Fatalf("q and ? were not typed into the filter:\n%s", frame)
	}
	frame = plainFrame(s.press("esc"))
	if !strings.Contains(frame, "1 cluster") {
		t.Fatalf("esc did not clear the filter:\n%s", frame)
	}
}

// r re-diagnoses; the steps stay on screen meanwhile and the selection
// is kept.
func TestRefreshRediagnoses(t *testing.T) {
	src := newDemoSource(t)
	s := startSession(t, src, workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	s.press("5")
	before := src.diagnoseCalls.Load()
	frame := plainFrame(s.press("r"))
	if got := src.diagnoseCalls.Load(); got != before+1 {
		t.Fatalf("r made %d Diagnose calls, want 1", got-before)
	}
	if age := time.Duration(src.reuse.Load()); age != 0 {
		t.Errorf("r reused settings up to %s old; a manual refresh reads everything", age)
	}
	if got := s.stepNow(); got != workflow.StepEndpoints {
		t.Errorf("refresh moved the selection to %s", got)
	}
	if !strings.Contains(frame, "refreshed 09:10:00") {
		t.Errorf("header does not say when it refreshed:\n%s", frame)
	}
}

// --refresh re-diagnoses on its own, so a redeployment can be watched.
func TestAutoRefresh(t *testing.T) {
	src := newDemoSource(t)
	opts := workflowOptions("no-endpoints")
	opts.Refresh = 20 * time.Millisecond
	s := startSession(t, src, opts, 120, 35)
	s.settle()
	s.waitFor("three diagnoses", func(*Model) bool { return src.diagnoseCalls.Load() >= 3 })
	if age := time.Duration(src.reuse.Load()); age != settingsMaxAge {
		t.Errorf("an automatic refresh reused settings up to %s old, want %s", age, settingsMaxAge)
	}
	frame := plainFrame(s.settle())
	if !strings.Contains(frame, "every 20ms") {
		t.Errorf("header does not show the refresh interval:\n%s", frame)
	}
}

// A refresh shows the world as it is now: the demo account moves with the
// clock, so ten minutes later the scheduler has tried again.
func TestRefreshShowsChange(t *testing.T) {
	src := newDemoSource(t)
	s := startSession(t, src, workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	before := plainFrame(s.press("2"))
	src.clock.Advance(10 * time.Minute)
	after := plainFrame(s.press("r"))
	if !strings.Contains(after, "refreshed 09:20:00") {
		t.Errorf("header does not show the refresh time:\n%s", after)
	}
	if body(before) == body(after) {
		t.Errorf("ten minutes later the stopped tasks look the same:\n%s", after)
	}
}

// body is a frame without its header.
func body(frame string) string {
	lines := strings.SplitN(frame, "\n", 3)
	return lines[len(lines)-1]
}

func TestQuitCleanly(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			src := newDemoSource(t)
			m := New(src, Options{Now: src.clock.Now, NoColor: true})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
			tm.Send(keyPress(k))
			final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
			if !ok || !final.quitting {
				t.Fatalf("final model %T quitting=%v", final, ok && final.quitting)
			}
			if final.ctx.Err() == nil {
				t.Error("quitting did not cancel the calls' context")
			}
		})
	}
}

// ctrl+c quits from anywhere: while typing a filter, in the fix dialog, in
// help.
func TestCtrlCQuitsFromAnywhere(t *testing.T) {
	cases := map[string]struct {
		opts Options
		keys []string
	}{
		"filter": {Options{}, []string{"/", "a"}},
		"dialog": {workflowOptions("no-endpoints"), []string{"5", "f"}},
		"help":   {workflowOptions("no-endpoints"), []string{"?"}},
		"logs":   {workflowOptions("healthcheck-curl-alpine"), []string{"4", "tab", "enter", "/"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := startSession(t, newDemoSource(t), tc.opts, 80, 24)
			s.settle()
			s.press(tc.keys...)
			s.tm.Send(keyPress("ctrl+c"))
			final := s.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
			if !final.quitting {
				t.Fatal("ctrl+c did not quit")
			}
		})
	}
}

// Quitting cancels the AWS calls still running.
func TestQuitCancelsCalls(t *testing.T) {
	src := newDemoSource(t)
	src.block = make(chan struct{})
	m := New(src, Options{Cluster: "demo", Service: "no-endpoints", Now: src.clock.Now, NoColor: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	tm.Send(keyPress("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	deadline := time.Now().Add(5 * time.Second)
	for src.cancelled.Load() < 2 && time.Now().Before(deadline) { // Identity and Diagnose
		time.Sleep(5 * time.Millisecond)
	}
	if got := src.cancelled.Load(); got < 2 {
		t.Fatalf("%d calls saw the cancellation, want Identity and Diagnose", got)
	}
}

// The first frame is drawn before any Source call returns.
func TestFirstFrameBeforeAnyAnswer(t *testing.T) {
	src := newDemoSource(t)
	src.block = make(chan struct{})
	defer close(src.block)
	start := time.Now()
	s := startSession(t, src, workflowOptions("no-endpoints"), 80, 24)
	teatest.WaitFor(t, s.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Service events")) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(time.Millisecond))
	elapsed := time.Since(start)
	t.Logf("first frame on the terminal %v after the program started", elapsed)
	if elapsed > 500*time.Millisecond {
		t.Errorf("first frame took %v", elapsed)
	}
	frame := plainFrame(s.waitFor("a frame", func(m *Model) bool { return m.width == 80 }))
	for _, want := range []string{"Steps", "1 Service events", "7 Security groups", "Reading the service from AWS", "DEMO"} {
		if !strings.Contains(frame, want) {
			t.Errorf("first frame lacks %q:\n%s", want, frame)
		}
	}
	if n := src.diagnoseCalls.Load(); n != 1 {
		t.Errorf("Diagnose called %d times", n)
	}
}

// Steps fill in as their facts arrive: some are pending while others are
// already decided.
func TestStepsFillInAsFactsArrive(t *testing.T) {
	src := newDemoSource(t)
	src.progressDelay = 10 * time.Millisecond
	s := startSession(t, src, workflowOptions("no-endpoints"), 120, 35)
	s.waitFor("a partial diagnosis", func(m *Model) bool {
		if m.wf.d == nil || m.wf.complete {
			return false
		}
		pending, decided := 0, 0
		for _, st := range m.wf.d.Steps {
			if st.Status == workflow.StatusPending {
				pending++
			} else {
				decided++
			}
		}
		return pending > 0 && decided > 0
	})
	s.settle()
}

// A key that cannot act says why in the footer.
func TestDisabledKeyExplains(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	if frame := plainFrame(s.press("/")); !strings.Contains(frame, "/: / filters the pickers and searches the log viewer") {
		t.Errorf("/ on the workflow did not explain itself:\n%s", frame)
	}
	if frame := plainFrame(s.press("4", "f")); !strings.Contains(frame, "f: no finding in this step") {
		t.Errorf("f without a finding did not explain itself:\n%s", frame)
	}
}

func TestReadOnlyHidesFixAndRefuses(t *testing.T) {
	opts := workflowOptions("no-endpoints")
	opts.ReadOnly = true
	s := startSession(t, newDemoSource(t), opts, 120, 35)
	frame := plainFrame(s.press("5"))
	if strings.Contains(lastLine(frame), "f fix") {
		t.Errorf("read-only footer shows f fix: %q", lastLine(frame))
	}
	if frame = plainFrame(s.press("f")); !strings.Contains(frame, "read-only mode") {
		t.Errorf("f in read-only mode did not explain itself:\n%s", lastLine(frame))
	}
	s.press("?")
	if frame = plainFrame(s.settle()); strings.Contains(frame, "f         fix") {
		t.Errorf("help lists f in read-only mode")
	}
	s.press("esc", "tab", "tab", "enter")
	if frame = plainFrame(s.press("y")); !strings.Contains(frame, msgReadOnlyFixes) {
		t.Errorf("y in read-only mode did not refuse:\n%s", frame)
	}
}

func TestFixDialogKeys(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	frame := plainFrame(s.press("5", "f"))
	for _, want := range []string{"No path to ECR API", "$14.60/month", "us-east-1 list prices", "Trade-off", "aws ec2 create-vpc-endpoint"} {
		if !strings.Contains(frame, want) {
			t.Errorf("dialog lacks %q", want)
		}
	}
	if frame = plainFrame(s.press("c")); !strings.Contains(frame, "copied 3 commands of create-interface-endpoint:ecr.api") {
		t.Errorf("c: %s", frame)
	}
	fx, _ := s.src.diagnosis(t, "no-endpoints").Fix("create-interface-endpoint:ecr.api")
	osc52 := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(strings.Join(fx.CLI, "\n")))
	teatest.WaitFor(t, s.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(osc52)) }, teatest.WithDuration(5*time.Second))
	if frame = plainFrame(s.press("n")); strings.Contains(frame, "us-east-1 list prices") {
		t.Errorf("n did not close the dialog")
	}
	s.press("f")
	if frame = plainFrame(s.press("esc")); strings.Contains(frame, "us-east-1 list prices") {
		t.Errorf("esc did not close the dialog")
	}
}

// The log viewer searches with / and n/N, and F follows the stream.
func TestLogViewerSearchAndFollow(t *testing.T) {
	src := newDemoSource(t)
	s := startSession(t, src, workflowOptions("healthcheck-curl-alpine"), 120, 35)
	s.settle()
	s.press("4", "tab", "enter", "/")
	s.typeText("listening")
	frame := plainFrame(s.press("enter"))
	if !strings.Contains(frame, `"listening": match 1 of`) {
		t.Fatalf("search:\n%s", frame)
	}
	s.press("n", "N")
	frame = plainFrame(s.press("F"))
	if !strings.Contains(frame, "● following") {
		t.Fatalf("F did not follow:\n%s", frame)
	}
	frame = plainFrame(s.press("F"))
	if strings.Contains(frame, "● following") {
		t.Fatalf("F again did not stop following")
	}
}

// The layout survives any resize, and says so when the terminal is too
// small to be useful.
func TestResize(t *testing.T) {
	s := startSession(t, newDemoSource(t), workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	for _, sz := range []struct{ w, h int }{{100, 30}, {60, 16}, {200, 60}, {40, 10}, {80, 24}} {
		s.tm.Send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		frame := s.waitFor("the resize", func(m *Model) bool { return m.width == sz.w && m.height == sz.h })
		if sz.w < minWidth || sz.h < minHeight {
			if !strings.Contains(frame, "terminal too small") {
				t.Errorf("%dx%d: %q", sz.w, sz.h, frame)
			}
			continue
		}
		checkFrameSize(t, frame, sz.w, sz.h)
	}
}

func TestNoTerminal(t *testing.T) {
	r, w, err := osPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if err := CheckTerminal(r, w); err != ErrNoTerminal {
		t.Fatalf("CheckTerminal(pipe) = %v", err)
	}
	if !strings.Contains(ErrNoTerminal.Error(), "ecsdoctor diagnose") {
		t.Errorf("the error does not point at diagnose: %v", ErrNoTerminal)
	}
}

func lastLine(frame string) string {
	lines := strings.Split(strings.TrimRight(frame, "\n"), "\n")
	return lines[len(lines)-1]
}

// A cluster of 1,000 services lists its first rows before the rest have
// been described, and stays usable meanwhile.
func TestServicePickerStreams(t *testing.T) {
	src := newDemoSource(t)
	rest := make(chan struct{})
	src.services = func(ctx context.Context, cluster string, onRows func([]backend.ServiceSummary)) error {
		for page := 0; page < 100; page++ {
			rows := make([]backend.ServiceSummary, 10)
			for i := range rows {
				n := page*10 + i
				rows[i] = backend.ServiceSummary{Name: fmt.Sprintf("svc-%04d", n), ARN: fmt.Sprintf("arn:svc-%04d", n), Desired: 1, Running: 1}
			}
			onRows(rows)
			if page == 0 {
				select { // the rest of the cluster is slow to describe
				case <-rest:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
		return nil
	}
	s := startSession(t, src, Options{Cluster: "big"}, 120, 35)
	frame := plainFrame(s.waitFor("the first page", func(m *Model) bool { return len(m.services.rows) == 10 }))
	if !strings.Contains(frame, "svc-0000") || !strings.Contains(frame, "10 so far") {
		t.Fatalf("the first rows are not shown while the rest load:\n%s", frame)
	}
	s.tm.Send(keyPress("j"))
	s.sent++
	s.waitFor("the key", func(m *Model) bool { return m.keysHandled >= 1 })
	close(rest)
	frame = plainFrame(s.settle())
	if !strings.Contains(frame, "1000 services") || !strings.Contains(frame, "› ✓ svc-0001") {
		t.Fatalf("after all pages, the list or the cursor is wrong:\n%s", frame)
	}
}
