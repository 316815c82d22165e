package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/audit"
	"github.com/ecsdoctor/ecsdoctor/internal/awsprofiles"
	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/config"
)

// applyConfig fills the settings the user did not give as flags from the
// configuration file. Precedence, strongest first: a flag given on the
// command line; the AWS environment variables (AWS_PROFILE,
// AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION), which belong to the
// shell session and so are more specific than a file; the configuration
// file; the built-in defaults. A file that cannot be used is bad input.
func (g *globalFlags) applyConfig(cmd *cobra.Command) error {
	path := config.Path()
	c, _, err := config.Load(path)
	if err != nil {
		return &exitError{code: exitInput, msg: err.Error()}
	}
	given := cmd.Flags().Changed
	if c.Profile != "" && !given("profile") && !envSet("AWS_PROFILE", "AWS_DEFAULT_PROFILE") {
		g.profile = c.Profile
	}
	if c.Region != "" && !given("region") && !envSet("AWS_REGION", "AWS_DEFAULT_REGION") {
		if !awsx.KnownRegion(c.Region) {
			return &exitError{code: exitInput, msg: (&config.Error{Path: path, Key: "region", Msg: fmt.Sprintf("unknown AWS region %q: use a region name such as us-east-1 or eu-west-1", c.Region)}).Error()}
		}
		g.region = c.Region
	}
	if c.Refresh != nil && !given("refresh") {
		g.refresh = *c.Refresh
	}
	if c.ReadOnly != nil && !given("read-only") {
		g.readOnly = *c.ReadOnly
	}
	if c.NoColor != nil && !given("no-color") {
		g.noColor = *c.NoColor
	}
	if c.Theme != "" {
		g.theme = c.Theme
	}
	return nil
}

func envSet(names ...string) bool {
	for _, n := range names {
		if os.Getenv(n) != "" {
			return true
		}
	}
	return false
}

// skipsConfig: commands that must work whatever the configuration file
// holds (version --verbose reports on it; completion and man pages do not
// use it).
func skipsConfig(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "version", "completion", "man", "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return true
		}
	}
	return false
}

// writePaths prints what `version --verbose` adds: the Go version and the
// files ecsdoctor reads and writes, with whether each is there.
func writePaths(w io.Writer) error {
	cfgPath := config.Path()
	cfgState := "not present: built-in defaults"
	if _, exists, err := config.Load(cfgPath); err != nil {
		cfgState = "present, NOT USABLE: " + err.Error()
	} else if exists {
		cfgState = "present"
	}
	auditPath := audit.DefaultPath()
	auditState := "not present: written by the first fix"
	if _, err := os.Stat(auditPath); err == nil {
		auditState = "present"
	}
	lines := [][2]string{
		{"go", fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)},
		{"config", cfgPath + " (" + cfgState + ")"},
		{"state", filepath.Dir(auditPath)},
		{"audit log", auditPath + " (" + auditState + ")"},
		{"aws config", awsprofiles.ConfigFile() + existence(awsprofiles.ConfigFile())},
		{"aws credentials", awsprofiles.CredentialsFile() + existence(awsprofiles.CredentialsFile())},
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%-16s %s\n", l[0]+":", l[1]); err != nil {
			return err
		}
	}
	return nil
}

func existence(path string) string {
	if _, err := os.Stat(path); err != nil {
		return " (not present)"
	}
	return ""
}
