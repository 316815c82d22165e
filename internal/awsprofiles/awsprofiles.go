// Package awsprofiles lists the AWS profiles a user has, the way the AWS CLI
// and SDKs find them: the shared config file (AWS_CONFIG_FILE, default
// ~/.aws/config) and the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials). It reads only
// section names and a few settings, never a credential, and is used for
// shell completion of --profile and for the interactive profile picker.
package awsprofiles

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Profile is one named profile.
type Profile struct {
	Name string
	// Region is the profile's region setting, "" when it has none (the
	// config file's value wins over the credentials file's).
	Region string
	// SSO is true when the profile signs in with IAM Identity Center
	// (sso_session or sso_start_url): an expired token is renewed with
	// `aws sso login --profile NAME`.
	SSO bool
	// Files are the files that define the profile.
	Files []string
}

// ConfigFile is the shared config file in use.
func ConfigFile() string {
	return fromEnv("AWS_CONFIG_FILE", filepath.Join(".aws", "config"))
}

// CredentialsFile is the shared credentials file in use.
func CredentialsFile() string {
	return fromEnv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(".aws", "credentials"))
}

func fromEnv(name, underHome string) string {
	if p := os.Getenv(name); p != "" {
		return expandHome(p)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return underHome
	}
	return filepath.Join(home, underHome)
}

// expandHome expands a leading ~ the way the SDKs do for these variables.
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") && !strings.HasPrefix(p, `~\`) {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, p[1:])
}

// Load returns the profiles of both files, sorted by name. A file that does
// not exist contributes nothing; a file that exists but cannot be read is an
// error (with the profiles of the other file still returned).
func Load() ([]Profile, error) {
	byName := map[string]*Profile{}
	var errs []error
	for _, src := range []struct {
		path   string
		config bool
	}{{ConfigFile(), true}, {CredentialsFile(), false}} {
		sections, err := readFile(src.path, src.config)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, s := range sections {
			p := byName[s.name]
			if p == nil {
				p = &Profile{Name: s.name}
				byName[s.name] = p
			}
			if p.Region == "" {
				p.Region = s.settings["region"]
			}
			if s.settings["sso_session"] != "" || s.settings["sso_start_url"] != "" {
				p.SSO = true
			}
			if len(p.Files) == 0 || p.Files[len(p.Files)-1] != src.path {
				p.Files = append(p.Files, src.path)
			}
		}
	}
	out := make([]Profile, 0, len(byName))
	for _, p := range byName {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, errors.Join(errs...)
}

// Names returns the profile names of both files, sorted, ignoring files
// that cannot be read: what shell completion wants.
func Names() []string {
	ps, _ := Load()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// Find returns the named profile.
func Find(name string) (Profile, bool) {
	ps, _ := Load()
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

type section struct {
	name     string
	settings map[string]string
}

func readFile(path string, config bool) ([]section, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parse(f, config)
}

// parse reads an INI file as the AWS CLI does. In the config file a profile
// is [default] or [profile NAME]; other sections ([sso-session X],
// [services X], [plugins], and a bare [NAME]) are not profiles. In the
// credentials file every section is a profile. Indented lines continue a
// nested setting (s3 =\n  max_concurrent_requests = 20) and are skipped.
func parse(r io.Reader, config bool) ([]section, error) {
	var out []section
	var cur *section
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			cur = nil
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			name := strings.TrimSpace(line[1:end])
			if config {
				switch {
				case name == "default":
				case strings.HasPrefix(name, "profile ") || strings.HasPrefix(name, "profile\t"):
					name = strings.TrimSpace(name[len("profile"):])
				default:
					continue
				}
			}
			if name == "" {
				continue
			}
			out = append(out, section{name: name, settings: map[string]string{}})
			cur = &out[len(out)-1]
			continue
		}
		if cur == nil || raw[0] == ' ' || raw[0] == '\t' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		cur.settings[strings.ToLower(strings.TrimSpace(k))] = stripComment(strings.TrimSpace(v))
	}
	return out, sc.Err()
}

// stripComment removes an inline comment ("us-east-1 # prod").
func stripComment(v string) string {
	for _, marker := range []string{" #", "\t#", " ;", "\t;"} {
		if i := strings.Index(v, marker); i >= 0 {
			v = v[:i]
		}
	}
	return strings.TrimSpace(v)
}
