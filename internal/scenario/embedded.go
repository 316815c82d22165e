package scenario

import (
	"embed"
	"fmt"
	"path"
	"sort"
)

// The built-in scenarios: the demo's worlds and the moto tests' fixtures.
//
//go:embed scenarios/*.yaml
var embedded embed.FS

// All parses every embedded scenario, sorted by name.
func All() ([]*Scenario, error) {
	files, err := embedded.ReadDir("scenarios")
	if err != nil {
		return nil, err
	}
	out := make([]*Scenario, 0, len(files))
	for _, f := range files {
		s, err := parseEmbedded(f.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ByName returns the embedded scenario with that name.
func ByName(name string) (*Scenario, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("scenario: no built-in scenario named %q", name)
}

func parseEmbedded(file string) (*Scenario, error) {
	data, err := embedded.ReadFile(path.Join("scenarios", file))
	if err != nil {
		return nil, err
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("scenarios/%s: %w", file, err)
	}
	return s, nil
}
