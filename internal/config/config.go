// Package config reads ecsdoctor's own configuration file: the defaults a
// user wants without typing them as flags every time. Flags the user gives
// override the file; the file overrides the built-in defaults.
//
// The file is YAML at $XDG_CONFIG_HOME/ecsdoctor/config.yaml
// (~/.config/ecsdoctor/config.yaml when XDG_CONFIG_HOME is unset):
//
//	profile: prod          # AWS shared config profile
//	region: eu-west-1      # AWS region
//	refresh: 10            # interactive: re-diagnose every 10 seconds (0: off)
//	readOnly: true         # never apply fixes; hide fix keys
//	theme: dark            # auto, dark or light
//	noColor: false         # no colour at all
//
// A missing file is no error. An unknown key, or a value of the wrong kind,
// is: a typo in a safety setting such as readOnly must not pass silently.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Config holds the settings the file sets; a nil pointer or an empty string
// is a setting the file leaves alone.
type Config struct {
	Profile  string
	Region   string
	Refresh  *float64 // seconds; 0 turns automatic refresh off
	ReadOnly *bool
	Theme    string // "", ThemeAuto, ThemeDark or ThemeLight
	NoColor  *bool
}

// The themes a config file may name.
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// Keys are the keys the file may hold, in the order the documentation
// lists them.
var Keys = []string{"profile", "region", "refresh", "readOnly", "theme", "noColor"}

// aliases are the flag spellings of the camelCase keys: someone who knows
// --read-only writes read-only.
var aliases = map[string]string{"read-only": "readOnly", "no-color": "noColor"}

// Path is where ecsdoctor looks for its configuration file. Per the XDG base
// directory specification a relative XDG_CONFIG_HOME is ignored.
func Path() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "ecsdoctor", "config.yaml")
}

// Error is a configuration file that cannot be used; its message names the
// file and, where there is one, the key.
type Error struct {
	Path string
	Key  string
	Msg  string
}

func (e *Error) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("config file %s: %s: %s", e.Path, e.Key, e.Msg)
	}
	return fmt.Sprintf("config file %s: %s", e.Path, e.Msg)
}

// Load reads the file at path. A file that does not exist gives an empty
// Config and exists=false; anything else wrong with it is an *Error.
func Load(path string) (c *Config, exists bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, false, nil
	}
	if err != nil {
		return nil, true, &Error{Path: path, Msg: oneLine(err.Error())}
	}
	c, err = Parse(path, data)
	return c, true, err
}

// Parse decodes a configuration file's contents; path is only for messages.
func Parse(path string, data []byte) (*Config, error) {
	var raw any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, &Error{Path: path, Msg: "not valid YAML: " + oneLine(strings.TrimPrefix(err.Error(), "error converting YAML to JSON: "))}
	}
	c := &Config{}
	if raw == nil { // empty, or only comments
		return c, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, &Error{Path: path, Msg: "want a mapping of keys to values (" + strings.Join(Keys, ", ") + ")"}
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	seen := map[string]string{}
	for _, k := range names {
		key := k
		if a, ok := aliases[k]; ok {
			key = a
		}
		if prev, dup := seen[key]; dup {
			return nil, &Error{Path: path, Key: k, Msg: "given twice (also as " + prev + ")"}
		}
		seen[key] = k
		if err := c.set(key, m[k]); err != nil {
			return nil, &Error{Path: path, Key: k, Msg: err.Error()}
		}
	}
	return c, nil
}

func (c *Config) set(key string, v any) error {
	switch key {
	case "profile":
		s, err := str(v)
		c.Profile = s
		return err
	case "region":
		s, err := str(v)
		c.Region = s
		return err
	case "refresh":
		n, ok := v.(float64) // the YAML goes through JSON: every number is a float64
		if !ok {
			return fmt.Errorf("want a number of seconds (0 turns refresh off), got %s", describe(v))
		}
		if n < 0 {
			return fmt.Errorf("want 0 or more seconds, got %v", n)
		}
		c.Refresh = &n
	case "readOnly", "noColor":
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("want true or false, got %s", describe(v))
		}
		if key == "readOnly" {
			c.ReadOnly = &b
		} else {
			c.NoColor = &b
		}
	case "theme":
		s, err := str(v)
		if err != nil {
			return err
		}
		switch s {
		case ThemeAuto, ThemeDark, ThemeLight:
			c.Theme = s
		default:
			return fmt.Errorf("want auto, dark or light, got %q", s)
		}
	default:
		return fmt.Errorf("unknown key (the file may set %s)", strings.Join(Keys, ", "))
	}
	return nil
}

func str(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %s", describe(v))
	}
	return strings.TrimSpace(s), nil
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("%q", x)
	case bool, float64:
		return fmt.Sprint(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%v", v)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
