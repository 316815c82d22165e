package itest

import (
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// TestCLIFix holds the fix command's contract: it shows the change, refuses
// without confirmation when there is no terminal, applies with --yes,
// checks again, and is idempotent; --read-only and unknown fixes exit 2.
func TestCLIFix(t *testing.T) {
	sc, err := scenario.ByName("missing-logs-endpoint")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	tg := b.target()
	state := "XDG_STATE_HOME=" + t.TempDir()
	args := func(extra ...string) []string {
		return append([]string{"fix", "--endpoint-url", b.srv.URL, "--region", sc.Region, "--cluster", tg.Cluster, "--service", tg.Service}, extra...)
	}
	const fixID = "create-interface-endpoint:logs"

	r := runCLI(t, []string{state}, args(fixID)...)
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("without a terminal and without --yes: exit %d, stderr %q; want 2 and a hint about --yes", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "aws ec2 create-vpc-endpoint") || !strings.Contains(r.stdout, "/month") {
		t.Errorf("the change must be shown before refusing:\n%s", r.stdout)
	}

	r = runCLI(t, []string{state}, args(fixID, "--read-only", "--yes")...)
	oneLineError(t, r, 2, "read-only")

	r = runCLI(t, []string{state}, args("create-interface-endpoint:nosuchservice", "--yes")...)
	if r.code != 2 || !strings.Contains(r.stderr, "not offered") {
		t.Errorf("unknown fix: exit %d stderr %q", r.code, r.stderr)
	}

	r = runCLI(t, []string{state}, args(fixID, "--yes")...)
	if r.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"ec2:CreateVpcEndpoint", "applied", "undo: aws ec2 delete-vpc-endpoints", "endpoint.missing is gone"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("apply output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = runCLI(t, []string{state}, args(fixID, "--yes")...)
	if r.code != 0 || !strings.Contains(r.stdout, "already in place") {
		t.Errorf("second apply: exit %d, want 0 and 'already in place':\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestCLIFixDryRun: a dry run asks AWS (DryRun where the API has it) and
// changes nothing.
func TestCLIFixDryRun(t *testing.T) {
	sc, err := scenario.ByName("endpoint-sg-no-443")
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, sc)
	tg := b.target()
	before := inventory(t, b)
	fixID := b.w.Resolve("authorize-endpoint-https-ingress:{{sg:task-mgmt-auth-sg}}")
	r := runCLI(t, []string{"XDG_STATE_HOME=" + t.TempDir()}, "fix", fixID, "--dry-run", "--endpoint-url", b.srv.URL, "--region", sc.Region, "--cluster", tg.Cluster, "--service", tg.Service)
	if r.code != 0 || !strings.Contains(r.stdout, "would succeed") {
		t.Fatalf("dry run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if added, removed := diffInventory(before, inventory(t, b)); len(added)+len(removed) > 0 {
		t.Errorf("a dry run changed the account: +%v -%v", added, removed)
	}
}
