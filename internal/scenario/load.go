package scenario

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// DefaultAccount and DefaultRegion apply when a scenario names neither.
const (
	DefaultAccount = "123456789012"
	DefaultRegion  = "us-east-1"
)

// Parse reads a scenario from YAML or JSON, fills defaults and validates
// every reference.
func Parse(data []byte) (*Scenario, error) {
	var s Scenario
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if s.Account == "" {
		s.Account = DefaultAccount
	}
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Load reads a scenario file.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
