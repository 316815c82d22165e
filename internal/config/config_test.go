package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPathFollowsXDG(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if got, want := Path(), filepath.Join(dir, "ecsdoctor", "config.yaml"); got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"", "relative/dir"} {
		t.Setenv("XDG_CONFIG_HOME", v)
		if got, want := Path(), filepath.Join(home, ".config", "ecsdoctor", "config.yaml"); got != want {
			t.Errorf("XDG_CONFIG_HOME=%q: Path() = %q, want %q", v, got, want)
		}
	}
}

func TestLoadMissingFileIsEmpty(t *testing.T) {
	c, exists, err := Load(filepath.Join(t.TempDir(), "nope", "config.yaml"))
	if err != nil || exists {
		t.Fatalf("Load(missing) = exists %v, err %v; want false, nil", exists, err)
	}
	if *c != (Config{}) {
		t.Errorf("Load(missing) = %+v, want an empty config", c)
	}
}

func TestLoadEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	body := `# ecsdoctor defaults
profile: prod
region: eu-west-1
refresh: 12.5
readOnly: true
theme: light
noColor: false
`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, exists, err := Load(path)
	if err != nil || !exists {
		t.Fatalf("Load = exists %v, err %v", exists, err)
	}
	if c.Profile != "prod" || c.Region != "eu-west-1" || c.Theme != ThemeLight {
		t.Errorf("strings: %+v", c)
	}
	if c.Refresh == nil || *c.Refresh != 12.5 {
		t.Errorf("Refresh = %v, want 12.5", c.Refresh)
	}
	if c.ReadOnly == nil || !*c.ReadOnly || c.NoColor == nil || *c.NoColor {
		t.Errorf("ReadOnly = %v, NoColor = %v, want true, false", c.ReadOnly, c.NoColor)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		check      func(*Config) bool
	}{
		{"empty file", "", func(c *Config) bool { return *c == Config{} }},
		{"only comments", "# nothing yet\n", func(c *Config) bool { return *c == Config{} }},
		{"refresh 0 is off, and set", "refresh: 0", func(c *Config) bool { return c.Refresh != nil && *c.Refresh == 0 }},
		{"integer refresh", "refresh: 30", func(c *Config) bool { return c.Refresh != nil && *c.Refresh == 30 }},
		{"flag spellings", "read-only: true\nno-color: true", func(c *Config) bool { return *c.ReadOnly && *c.NoColor }},
		{"unset booleans stay nil", "profile: dev", func(c *Config) bool { return c.ReadOnly == nil && c.NoColor == nil && c.Refresh == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("config.yaml", []byte(tc.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !tc.check(c) {
				t.Errorf("Parse(%q) = %+v", tc.body, c)
			}
		})
	}
}

func TestParseErrorsNameTheFileAndKey(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"unknown key", "profile: dev\nregoin: us-east-1\n", []string{"/etc/x.yaml", "regoin", "unknown key", "region"}},
		{"readOnly not a bool", "readOnly: maybe", []string{"readOnly", "want true or false", `"maybe"`}},
		{"refresh not a number", "refresh: fast", []string{"refresh", "number of seconds"}},
		{"negative refresh", "refresh: -1", []string{"refresh", "0 or more"}},
		{"bad theme", "theme: solarized", []string{"theme", "auto, dark or light"}},
		{"profile a list", "profile: [a, b]", []string{"profile", "want a string, got a list"}},
		{"not a mapping", "- profile\n- region\n", []string{"want a mapping"}},
		{"not YAML", "profile: [unclosed\n", []string{"not valid YAML"}},
		{"both spellings", "readOnly: true\nread-only: false\n", []string{"given twice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("/etc/x.yaml", []byte(tc.body))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse(%q) error = %v, want a *config.Error", tc.body, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "/etc/x.yaml") {
				t.Errorf("message %q does not name the file", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message %q is more than one line", msg)
			}
		})
	}
}

func TestLoadUnreadableIsAnError(t *testing.T) {
	dir := t.TempDir() // a directory where the file should be
	_, exists, err := Load(dir)
	if err == nil || !exists {
		t.Fatalf("Load(directory) = exists %v, err %v; want an error", exists, err)
	}
}
