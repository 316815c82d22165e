package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	isolate(t)
	for shell, marker := range map[string]string{"bash": "__start_ecsdoctor", "zsh": "#compdef ecsdoctor", "fish": "complete -c ecsdoctor"} {
		code, stdout, stderr := execute(t, "completion", shell)
		if code != 0 || !strings.Contains(stdout, marker) {
			t.Errorf("completion %s: exit %d, stderr %q, script lacks %q", shell, code, stderr, marker)
		}
	}
}

// complete asks for completions the way the shell scripts do.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	code, stdout, stderr := execute(t, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d: %s", args, code, stderr)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !strings.HasPrefix(line, ":") { // the last line is the directive
			out = append(out, strings.SplitN(line, "\t", 2)[0])
		}
	}
	return out
}

func TestDynamicCompletion(t *testing.T) {
	isolate(t)
	if err := os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[default]\nregion = us-east-1\n[profile prod]\nsso_session = corp\n[sso-session corp]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte("[ci]\naws_access_key_id = x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(complete(t, "diagnose", "--profile", ""), " "); got != "ci default prod" {
		t.Errorf("--profile completes to %q, want the profiles of both files", got)
	}
	regions := complete(t, "--region", "")
	if len(regions) < 30 || !contains(regions, "eu-west-1") {
		t.Errorf("--region completes to %v", regions)
	}
	if got := strings.Join(complete(t, "diagnose", "--output", ""), " "); got != "text json markdown" {
		t.Errorf("--output completes to %q", got)
	}
	// --demo's value is optional, so it completes in the --demo=NAME form.
	if demos := complete(t, "diagnose", "--demo="); !contains(demos, "no-endpoints") {
		t.Errorf("--demo= completes to %v, want the demo scenarios", demos)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestManPages(t *testing.T) {
	isolate(t)
	dir := filepath.Join(t.TempDir(), "man")
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
	code, _, stderr := execute(t, "man", dir)
	if code != 0 {
		t.Fatalf("man: exit %d: %s", code, stderr)
	}
	for _, page := range []string{"ecsdoctor.1", "ecsdoctor-diagnose.1", "ecsdoctor-fix.1", "ecsdoctor-demo.1", "ecsdoctor-version.1", "ecsdoctor-completion-bash.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Errorf("%s: %v", page, err)
			continue
		}
		if !strings.HasPrefix(string(b), ".nh\n.TH ") || !strings.Contains(string(b), "Jan 2026") {
			t.Errorf("%s does not look like a dated man page:\n%.200s", page, b)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ecsdoctor-man.1")); err == nil {
		t.Errorf("the hidden man command got a man page")
	}
	root, _ := os.ReadFile(filepath.Join(dir, "ecsdoctor.1"))
	if !strings.Contains(string(root), "AWS_ENDPOINT_URL_<SERVICE>") {
		t.Errorf("flag help lost its underscores or <SERVICE> in the man page")
	}
	if !strings.Contains(stderr, "wrote ") {
		t.Errorf("stderr %q: want a note of what was written", stderr)
	}
}
