package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// isolate points every file ecsdoctor and the AWS SDK read at a temporary
// directory, and clears the AWS variables that outrank the config file.
func isolate(t *testing.T) (configDir string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "aws-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "aws-credentials"))
	for _, v := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "NO_COLOR"} {
		t.Setenv(v, "")
	}
	return filepath.Join(dir, "config", "ecsdoctor")
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// execute runs ecsdoctor with args as main does, and returns the exit code,
// stdout and stderr.
func execute(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return executeWith(t, &globalFlags{}, nil, args...)
}

func executeWith(t *testing.T, g *globalFlags, extra *cobra.Command, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	s := &streams{In: strings.NewReader(""), Out: &out, Err: &errOut}
	root := newRootCmdFor(s, g)
	if extra != nil {
		root.AddCommand(extra)
	}
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	code := exitOK
	if err != nil {
		// exitCode prints to os.Stderr, as main's caller sees it.
		r, w, perr := os.Pipe()
		if perr != nil {
			t.Fatal(perr)
		}
		saved := os.Stderr
		os.Stderr = w
		code = exitCode(err)
		os.Stderr = saved
		w.Close()
		b, _ := io.ReadAll(r)
		errOut.Write(b)
	}
	return code, out.String(), errOut.String()
}

// probe is a command that does nothing, so that a test can read the
// settings the flags and the config file produced.
func probe() *cobra.Command {
	return &cobra.Command{Use: "probe", RunE: func(*cobra.Command, []string) error { return nil }}
}

func TestConfigFileFillsDefaults(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "profile: from-file\nregion: eu-west-1\nrefresh: 30\nreadOnly: true\nnoColor: true\ntheme: light\n")
	g := &globalFlags{}
	if code, _, stderr := executeWith(t, g, probe(), "probe"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if g.profile != "from-file" || g.region != "eu-west-1" || g.refresh != 30 || !g.readOnly || !g.noColor || g.theme != "light" {
		t.Errorf("settings from the file: %+v", *g)
	}
}

func TestFlagsOverrideConfigFile(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "profile: from-file\nregion: eu-west-1\nrefresh: 30\nreadOnly: true\nnoColor: true\n")
	g := &globalFlags{}
	code, _, stderr := executeWith(t, g, probe(), "probe", "--profile", "from-flag", "--region", "us-west-2",
		"--refresh", "0", "--read-only=false", "--no-color=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if g.profile != "from-flag" || g.region != "us-west-2" || g.refresh != 0 || g.readOnly || g.noColor {
		t.Errorf("flags must win over the file: %+v", *g)
	}
}

func TestFlagDefaultsWithoutConfigFile(t *testing.T) {
	isolate(t)
	g := &globalFlags{}
	if code, _, stderr := executeWith(t, g, probe(), "probe"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if g.profile != "" || g.region != "" || g.refresh != 5 || g.readOnly || g.noColor || g.theme != "" {
		t.Errorf("built-in defaults: %+v", *g)
	}
}

func TestAWSEnvironmentOutranksConfigFile(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "profile: from-file\nregion: eu-west-1\n")
	t.Setenv("AWS_PROFILE", "from-env")
	t.Setenv("AWS_REGION", "ap-south-1")
	g := &globalFlags{}
	if code, _, stderr := executeWith(t, g, probe(), "probe"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Left empty, the SDK reads AWS_PROFILE and AWS_REGION itself.
	if g.profile != "" || g.region != "" {
		t.Errorf("the environment must outrank the file: profile %q, region %q", g.profile, g.region)
	}
}

func TestConfigReadOnlyStopsFix(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "readOnly: true\n")
	code, _, stderr := execute(t, "fix", "create-log-group:x", "--demo", "no-endpoints", "--yes")
	if code != exitInput || !strings.Contains(stderr, "--read-only") {
		t.Errorf("readOnly in the file: exit %d, stderr %q; want 2 and the --read-only refusal", code, stderr)
	}
}

func TestMalformedConfigIsBadInput(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"unknown key", "profile: dev\nregoin: us-east-1\n", "regoin: unknown key"},
		{"wrong type", "readOnly: sometimes\n", "readOnly: want true or false"},
		{"not YAML", "profile: [dev\n", "not valid YAML"},
		{"unknown region", "region: eu-middle-9\n", `region: unknown AWS region "eu-middle-9"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := isolate(t)
			path := writeConfig(t, dir, tc.body)
			code, stdout, stderr := execute(t, "diagnose", "--demo", "no-endpoints")
			if code != exitInput {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "ecsdoctor: config file "+path) || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q: want one line naming %s and %q", stderr, path, tc.want)
			}
		})
	}
}

func TestVersionVerbose(t *testing.T) {
	dir := isolate(t)
	path := writeConfig(t, dir, "bogus: 1\n") // version must still work, and say so
	code, stdout, stderr := execute(t, "version", "--verbose")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	home := os.Getenv("HOME")
	for _, want := range []string{
		"ecsdoctor dev (commit none, built unknown)",
		"config:          " + path + " (present, NOT USABLE: ",
		"state:           " + filepath.Join(home, "state", "ecsdoctor") + "\n",
		"audit log:       " + filepath.Join(home, "state", "ecsdoctor", "audit.log"),
		"aws config:      " + filepath.Join(home, "aws-config") + " (not present)",
		"go:              go",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("version --verbose lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = execute(t, "version")
	if code != 0 || strings.Count(stdout, "\n") != 1 {
		t.Errorf("plain version: exit %d, %q; want one line", code, stdout)
	}
}
