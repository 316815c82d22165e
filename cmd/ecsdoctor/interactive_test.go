package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/tui"
)

// awsFiles writes the shared config and credentials files isolate points at.
func awsFiles(t *testing.T, config, credentials string) {
	t.Helper()
	for path, body := range map[string]string{os.Getenv("AWS_CONFIG_FILE"): config, os.Getenv("AWS_SHARED_CREDENTIALS_FILE"): credentials} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// The theme reaches the UI; the demo account cannot switch profile.
func TestInteractiveOptions(t *testing.T) {
	isolate(t)
	s := &streams{}
	g := &globalFlags{theme: "light", cluster: "demo"}
	demo := &backend.Backend{R: &awsx.Readers{Region: "us-east-1"}, Profile: "demo", Demo: true}
	opts := interactiveOptions(s, g, demo, &closers{})
	if opts.Theme != tui.ThemeLight || opts.Cluster != "demo" || opts.Switch != nil || opts.Profiles != nil {
		t.Errorf("demo options: theme %q, cluster %q, switch %v, profiles %v", opts.Theme, opts.Cluster, opts.Switch != nil, opts.Profiles != nil)
	}
	aws := &backend.Backend{R: &awsx.Readers{Region: "eu-west-1"}, Profile: "dev"}
	opts = interactiveOptions(s, g, aws, &closers{})
	if opts.Switch == nil || opts.Profiles == nil || opts.Profile != "dev" || opts.Region != "eu-west-1" {
		t.Errorf("AWS options: switch %v, profiles %v, profile %q, region %q", opts.Switch != nil, opts.Profiles != nil, opts.Profile, opts.Region)
	}
}

// P lists the profiles of both shared files.
func TestProfileNames(t *testing.T) {
	isolate(t)
	awsFiles(t, "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n",
		"[prod]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n")
	names, err := profileNames()
	if err != nil || !slices.Equal(names, []string{"default", "dev", "prod"}) {
		t.Fatalf("profileNames() = %q, %v", names, err)
	}
}

// A switch opens the profile and region asked for with every other flag as
// given, and leaves the flags themselves alone; an unknown profile is a
// one-line error.
func TestSwitchAccount(t *testing.T) {
	isolate(t)
	awsFiles(t, "[profile dev]\nregion = eu-west-1\n", "[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n")
	debugLog := filepath.Join(t.TempDir(), "debug.log")
	g := &globalFlags{profile: "default", region: "us-east-1", endpointURL: "http://127.0.0.1:1", readOnly: true, debugLog: debugLog}
	var logs closers
	defer logs.close()
	open := switchAccount(g, &logs)

	src, err := open(context.Background(), "dev", "eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	b := src.(*backend.Backend)
	if b.Profile != "dev" || b.R.Region != "eu-central-1" || !b.ReadOnly || b.Demo {
		t.Errorf("switched backend: profile %q, region %q, read-only %v, demo %v", b.Profile, b.R.Region, b.ReadOnly, b.Demo)
	}
	if g.profile != "default" || g.region != "us-east-1" {
		t.Errorf("the switch changed the flags: %q %q", g.profile, g.region)
	}
	if len(logs.fns) != 1 {
		t.Errorf("the debug log of the switch is not kept for closing (%d closers)", len(logs.fns))
	}

	_, err = open(context.Background(), "nope", "us-east-1")
	if !awsx.IsInputError(err) || !strings.Contains(err.Error(), `unknown AWS profile "nope"`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("unknown profile: %v", err)
	}
}
