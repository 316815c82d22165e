package kb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// corpusEntry is one real message of testdata/realworld/corpus.yaml: text
// copied verbatim from a public source, and the finding the evidence in it
// supports. The recognition table test over these entries belongs to the
// classifier; this file only keeps the corpus well-formed.
type corpusEntry struct {
	Text         string            `json:"text"`
	Kind         string            `json:"kind"`
	StopCode     string            `json:"stopCode,omitempty"`
	ExitCode     *int              `json:"exitCode,omitempty"`
	Family       string            `json:"family"`
	Expect       string            `json:"expect"`
	AlsoPossible []string          `json:"alsoPossible,omitempty"`
	Attrs        map[string]string `json:"attrs,omitempty"`
	Source       string            `json:"source"`
	Note         string            `json:"note,omitempty"`
	Rendered     bool              `json:"rendered,omitempty"`
}

// minCorpusEntries is the size issue 11 asks for; a corpus that shrinks below
// it has lost coverage.
const minCorpusEntries = 150

var corpusKinds = map[string]bool{
	"stop-reason": true, "container-reason": true, "event": true, "log": true, "target-health": true,
}

// corpusStopCodes are the stop codes ECS documents (Task.stopCode).
var corpusStopCodes = map[string]bool{
	"TaskFailedToStart": true, "EssentialContainerExited": true, "UserInitiated": true,
	"ServiceSchedulerInitiated": true, "SpotInterruption": true, "TerminationNotice": true,
}

// corpusFindingIDs is written out here, not taken from the knowledge base, so
// that the corpus is checked against the contract (the catalogue, its
// "New finding ids" and the ids the project already added) and not against
// whatever the code happens to emit. "none" marks a negative control.
var corpusFindingIDs = map[string]bool{"none": true}

func init() {
	for _, id := range []string{
		"elb.health-check-port", "elb.health-check-response", "elb.target-unhealthy", "endpoint.az-not-covered",
		"endpoint.missing", "endpoint.not-available", "endpoint.private-dns-disabled",
		"endpoint.s3-route-table-missing", "healthcheck.start-period-short", "healthcheck.tool-missing",
		"iam.execution-role-missing", "iam.execution-role-not-found", "iam.execution-role-trust",
		"iam.permission-conditional", "iam.permission-missing", "iam.policy-not-attached", "iam.task-role-missing",
		"iam.task-role-permission-missing", "image.not-found", "logs.aws-access-denied",
		"logs.aws-credentials-missing", "logs.connection-refused", "logs.db-auth-failed", "logs.db-ssl-required",
		"logs.dns-failure", "logs.exec-format", "logs.group-missing", "logs.out-of-memory", "nacl.blocks-https",
		"nacl.blocks-port", "net.nat-unusable", "net.no-internet", "net.path-unverified", "net.public-ip-no-igw",
		"secret.not-found", "service.deployment-failed", "service.deployment-failing",
		"service.event.elb-health-check", "service.event.health-check", "service.event.launch-failed",
		"service.event.placement", "service.event.start-failures", "service.grace-period-short",
		"service.no-running-tasks", "service.not-found", "service.redeploy", "sg.db-ingress-missing",
		"sg.endpoint-ingress-missing", "sg.lb-ingress-missing", "sg.task-egress-blocked", "stop.benign",
		"stop.container-runtime", "stop.container-start", "stop.disk-full", "stop.efs-mount",
		"stop.elb-health-check", "stop.eni-timeout", "stop.entrypoint-not-found", "stop.env-files",
		"stop.essential-exited", "stop.health-check", "stop.image-invalid-reference", "stop.image-not-found",
		"stop.image-platform", "stop.image-pull-denied", "stop.image-pull-failed", "stop.image-pull-network",
		"stop.logs-init", "stop.oom", "stop.rate-limited", "stop.registry-auth-network", "stop.resource-init",
		"stop.runtime-timeout", "stop.secret-not-found", "stop.secrets-access-denied", "stop.secrets-network",
		"stop.service-discovery-timeout", "stop.spot-interruption", "stop.subnet-no-ips", "stop.task-quota",
		"stop.unclassified", "stop.volume-create-failed", "task.none-stopped", "task.stopped-failures",
		"vpc.dns-hostnames-disabled", "vpc.dns-support-disabled",
	} {
		corpusFindingIDs[id] = true
	}
}

func loadCorpus(t *testing.T) []corpusEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "realworld", "corpus.yaml"))
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	var entries []corpusEntry
	if err := yaml.UnmarshalStrict(raw, &entries); err != nil {
		t.Fatalf("parse corpus: %v", err)
	}
	return entries
}

func TestRealWorldCorpusIsWellFormed(t *testing.T) {
	entries := loadCorpus(t)
	if len(entries) < minCorpusEntries {
		t.Errorf("corpus has %d entries, want at least %d", len(entries), minCorpusEntries)
	}
	seen := map[string]int{}
	for i, e := range entries {
		where := fmt.Sprintf("entry %d (%s)", i+1, abbreviate(e.Text))
		for field, v := range map[string]string{"text": e.Text, "kind": e.Kind, "family": e.Family, "expect": e.Expect, "source": e.Source} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", where, field)
			}
		}
		if first, dup := seen[e.Text]; dup {
			t.Errorf("%s: same text as entry %d", where, first)
		}
		seen[e.Text] = i + 1
		if e.Kind != "" && !corpusKinds[e.Kind] {
			t.Errorf("%s: unknown kind %q", where, e.Kind)
		}
		if e.StopCode != "" && !corpusStopCodes[e.StopCode] {
			t.Errorf("%s: unknown stop code %q", where, e.StopCode)
		}
		if e.Expect != "" && !corpusFindingIDs[e.Expect] {
			t.Errorf("%s: expect %q is not a finding id of the contract", where, e.Expect)
		}
		for _, id := range e.AlsoPossible {
			if !corpusFindingIDs[id] || id == "none" {
				t.Errorf("%s: alsoPossible %q is not a finding id of the contract", where, id)
			}
			if id == e.Expect {
				t.Errorf("%s: alsoPossible repeats expect %q", where, id)
			}
		}
		if e.Expect == "none" && (len(e.AlsoPossible) > 0 || e.Family != "negative") {
			t.Errorf("%s: a negative control (expect none) belongs to family negative and names no alternative", where)
		}
		if e.Family == "negative" && e.Expect != "none" {
			t.Errorf("%s: family negative must expect none, not %q", where, e.Expect)
		}
		if !sourceLooksCitable(e.Source) {
			t.Errorf("%s: source %q is neither a URL nor owner/repo@commit:path", where, e.Source)
		}
	}
}

// sourceLooksCitable accepts a web address or a repository location of the
// form owner/repo@commit:path, the two forms the corpus README allows.
func sourceLooksCitable(s string) bool {
	if strings.HasPrefix(s, "https://") {
		return true
	}
	repo, rest, ok := strings.Cut(s, "@")
	if !ok || strings.Count(repo, "/") != 1 {
		return false
	}
	commit, path, ok := strings.Cut(rest, ":")
	return ok && len(commit) >= 7 && path != ""
}

func abbreviate(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
