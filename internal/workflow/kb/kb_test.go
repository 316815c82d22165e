package kb

import (
	"reflect"
	"strings"
	"testing"
)

func checkMatches(t *testing.T, text string, got []Match, want []want) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d matches %v, want %d %v\ntext: %q", len(got), ids(got), len(want), want, text)
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.id {
			t.Errorf("match %d: id %q, want %q (all: %v)", i, g.ID, w.id, ids(got))
		}
		if w.pattern != "" && g.Pattern != w.pattern {
			t.Errorf("match %d: pattern %q, want %q", i, g.Pattern, w.pattern)
		}
		for k, v := range w.attrs {
			if g.Attrs[k] != v {
				t.Errorf("match %d: attr %s = %q, want %q (attrs %v)", i, k, g.Attrs[k], v, g.Attrs)
			}
		}
		checkComplete(t, g)
	}
}

func checkComplete(t *testing.T, m Match) {
	t.Helper()
	if !KnownID(m.ID) || m.Pattern == "" || m.Title == "" || m.Explanation == "" || m.Next == "" || m.Reference == "" {
		t.Errorf("incomplete match: %+v", m)
	}
	if m.Attrs != nil && len(m.Attrs) == 0 {
		t.Errorf("%s: empty non-nil attrs", m.Pattern)
	}
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID+"/"+m.Pattern)
	}
	return out
}

func TestClassifyStopReason(t *testing.T) {
	for _, c := range stopCases {
		t.Run(c.name, func(t *testing.T) {
			checkMatches(t, c.text, ClassifyStopReason(c.text), c.want)
		})
	}
}

func TestClassifyStopReasonEmpty(t *testing.T) {
	if got := ClassifyStopReason(""); got != nil {
		t.Fatalf("empty reason: got %v, want nil", got)
	}
}

func TestClassifyStopReasonUnclassifiedKeepsTextVerbatim(t *testing.T) {
	text := "  Weird\n\treason  "
	got := ClassifyStopReason(text)
	if len(got) != 1 || got[0].ID != IDStopUnclassified || got[0].Attrs["reason"] != text {
		t.Fatalf("got %+v", got)
	}
}

func TestClassifyEvent(t *testing.T) {
	for _, c := range eventCases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := ClassifyEvent(c.text)
			var got []Match
			if ok {
				got = []Match{m}
			}
			checkMatches(t, c.text, got, c.want)
		})
	}
}

func TestClassifyLogLine(t *testing.T) {
	for _, c := range logCases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := ClassifyLogLine(c.text)
			var got []Match
			if ok {
				got = []Match{m}
			}
			checkMatches(t, c.text, got, c.want)
		})
	}
}

func i32(v int32) *int32 { return &v }

func TestClassifyContainer(t *testing.T) {
	cases := []struct {
		name   string
		reason string
		exit   *int32
		want   []want
	}{
		{"oom with 137", "OutOfMemoryError: Container killed due to memory usage", i32(137), []want{
			{IDStopOOM, "oom-container-killed", nil},
			{IDStopEssentialExited, "container-exit-code", map[string]string{"exitCode": "137", "meaning": "killed (SIGKILL), usually out of memory"}},
		}},
		{"app error", "", i32(1), []want{{IDStopEssentialExited, "container-exit-code", map[string]string{"exitCode": "1"}}}},
		{"segfault", "", i32(139), []want{{IDStopEssentialExited, "", map[string]string{"exitCode": "139", "meaning": ExitCodeMeaning(139)}}}},
		{"entrypoint not found", "", i32(127), []want{{IDStopEssentialExited, "", map[string]string{"exitCode": "127"}}}},
		{"exit 0 says nothing", "", i32(0), nil},
		{"nothing at all", "", nil, nil},
		{"pull timeout, no exit code",
			"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1: failed to do request: Head \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/app/manifests/v1\": dial tcp 52.1.2.3:443: i/o timeout",
			nil, []want{{IDStopImagePullNetwork, "pull-network-timeout", nil}}},
		{"essential reason merges exit code", "Essential container in task exited", i32(139), []want{
			{IDStopEssentialExited, "essential-container-exited", map[string]string{"exitCode": "139"}},
		}},
		{"unknown reason alone", "CannotInspectContainerError: something", nil, []want{
			{IDStopUnclassified, "unclassified", map[string]string{"reason": "CannotInspectContainerError: something"}},
		}},
		{"unknown reason with exit code", "Something odd", i32(2), []want{{IDStopEssentialExited, "", map[string]string{"exitCode": "2"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkMatches(t, c.reason, ClassifyContainer(c.reason, c.exit), c.want)
		})
	}
}

func TestIsSteadyState(t *testing.T) {
	yes := []string{"(service my-svc) has reached a steady state.", "(service x) has reached a\n steady   state."}
	no := []string{"", "(service my-svc) has started 1 tasks: (task 1).", "steady"}
	for _, s := range yes {
		if !IsSteadyState(s) {
			t.Errorf("IsSteadyState(%q) = false", s)
		}
	}
	for _, s := range no {
		if IsSteadyState(s) {
			t.Errorf("IsSteadyState(%q) = true", s)
		}
	}
}

func TestExitCodeMeaning(t *testing.T) {
	cases := map[int32]string{
		0:   "exited normally",
		1:   "application error",
		126: "not executable",
		127: "not found",
		137: "killed (SIGKILL), usually out of memory",
		139: "segmentation fault",
		143: "SIGTERM",
		131: "signal 3",
		42:  "code 42",
		-1:  "code -1",
	}
	for code, sub := range cases {
		if got := ExitCodeMeaning(code); !strings.Contains(got, sub) {
			t.Errorf("ExitCodeMeaning(%d) = %q, want it to contain %q", code, got, sub)
		}
	}
}

func TestBenignStopCode(t *testing.T) {
	cases := []struct {
		code, reason string
		want         bool
	}{
		{"UserInitiated", "Task stopped by user", true},
		{"UserInitiated", "", true},
		{"SpotInterruption", "Your Spot Task was interrupted.", true},
		{"TerminationNotice", "", true},
		{"ServiceSchedulerInitiated", "Scaling activity initiated by (deployment ecs-svc/1234567890123456789)", true},
		{"ServiceSchedulerInitiated", "Task replaced by (deployment ecs-svc/1234567890123456789)", true},
		{"ServiceSchedulerInitiated", "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1)", false},
		{"ServiceSchedulerInitiated", "Task failed container health checks", false},
		{"TaskFailedToStart", "Scaling activity initiated by (deployment ecs-svc/1)", false},
		{"EssentialContainerExited", "Essential container in task exited", false},
		{"", "ECS is performing maintenance on the underlying infrastructure hosting the task", true},
		{"", "", false},
		{"", "Something odd", false},
	}
	for _, c := range cases {
		if got := BenignStopCode(c.code, c.reason); got != c.want {
			t.Errorf("BenignStopCode(%q, %q) = %v, want %v", c.code, c.reason, got, c.want)
		}
	}
}

// TestPatternTables guards the tables themselves: names are unique, ids are
// known, texts are complete, keywords are lowercase (they are compared with
// a lowercased text) and every pattern has at least one case.
func TestPatternTables(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range append(stopCases, seedStopCases...) {
		for _, m := range ClassifyStopReason(c.text) {
			covered[m.Pattern] = true
		}
	}
	for _, c := range eventCases {
		if m, ok := ClassifyEvent(c.text); ok {
			covered[m.Pattern] = true
		}
	}
	for _, c := range logCases {
		if m, ok := ClassifyLogLine(c.text); ok {
			covered[m.Pattern] = true
		}
	}
	total := 0
	seen := map[string]bool{}
	for kind, ps := range map[string][]pattern{"stop": stopPatterns, "event": eventPatterns, "log": logPatterns} {
		for _, p := range ps {
			total++
			key := kind + "/" + p.name
			if seen[key] {
				t.Errorf("duplicate pattern name %s", key)
			}
			seen[key] = true
			if !KnownID(p.id) {
				t.Errorf("%s: unknown id %q", key, p.id)
			}
			if p.title == "" || p.explanation == "" || p.next == "" || p.ref == "" || len(p.any) == 0 {
				t.Errorf("%s: missing title, explanation, next, reference or keywords", key)
			}
			for _, k := range p.any {
				if k != strings.ToLower(k) || strings.TrimSpace(k) == "" {
					t.Errorf("%s: keyword %q must be lowercase and non-blank", key, k)
				}
			}
			for _, id := range p.overrides {
				if !KnownID(id) {
					t.Errorf("%s: overrides unknown id %q", key, id)
				}
			}
			if !covered[p.name] {
				t.Errorf("%s: no test case produces this pattern", key)
			}
		}
	}
	if total < 40 {
		t.Errorf("only %d patterns, want at least 40", total)
	}
}

func TestFoldAndCollapse(t *testing.T) {
	if got := string(fold(nil, "  A\n\tB  c \r\n")); got != "a b c" {
		t.Errorf("fold = %q", got)
	}
	for in, want := range map[string]string{
		"a b":         "a b",
		" a":          "a",
		"a\nb":        "a b",
		"a  b\t\tc  ": "a b c",
		"":            "",
	} {
		if got := collapse(in); got != want {
			t.Errorf("collapse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchesAreIndependentCopies(t *testing.T) {
	// Attrs maps must not be shared between calls, or one caller's edit
	// would leak into another's results.
	a := ClassifyStopReason(stopCases[0].text)
	a[0].Attrs = map[string]string{"x": "y"}
	b := ClassifyStopReason("ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull secrets from AWS Systems Manager Parameter Store. Check your network connection.")
	b[0].Attrs["service"] = "changed"
	c := ClassifyStopReason("ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull secrets from AWS Systems Manager Parameter Store. Check your network connection.")
	if !reflect.DeepEqual(c[0].Attrs, map[string]string{"service": "ssm"}) {
		t.Fatalf("attrs leaked between calls: %v", c[0].Attrs)
	}
}
