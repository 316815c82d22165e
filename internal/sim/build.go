package sim

import (
	"fmt"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// Building turns a scenario into records of the account, in the order the
// moto builder creates them through the API (network first, then data,
// IAM, task definitions and services), so that every reference resolves to
// something that already exists. Placeholders in documents and task
// definitions resolve as the builder goes.

// addWorld builds one scenario. names renames account-wide names in the
// demo account (nil otherwise); clusterName, when set, replaces the
// scenario's cluster names and the services take the scenario's name.
func (a *Account) addWorld(sc *scenario.Scenario, names *demoNames, clusterName string) error {
	if err := sc.Validate(); err != nil {
		return fmt.Errorf("sim: %s: %w", sc.Name, err)
	}
	w := &world{sc: sc, ids: map[string]string{"prefixlist:s3": a.s3PrefixList().id}, names: names}
	a.worlds = append(a.worlds, w)
	a.byName[sc.Name] = w
	steps := []struct {
		name string
		run  func(*world) error
	}{
		{"VPCs", a.buildVPCs},
		{"subnets", a.buildSubnets},
		{"internet gateways", a.buildInternetGateways},
		{"NAT gateways", a.buildNATGateways},
		{"route tables", a.buildRouteTables},
		{"security groups", a.buildSecurityGroups},
		{"network ACLs", a.buildNetworkACLs},
		{"endpoints", a.buildEndpoints},
		{"KMS keys", a.buildKMSKeys},
		{"secrets", a.buildSecrets},
		{"parameters", a.buildParameters},
		{"log groups", a.buildLogGroups},
		{"repositories", a.buildRepositories},
		{"databases", a.buildDatabases},
		{"policies", a.buildPolicies},
		{"roles", a.buildRoles},
		{"task definitions", a.buildTaskDefinitions},
		{"services", func(w *world) error { return a.buildServices(w, clusterName) }},
	}
	for _, s := range steps {
		if err := s.run(w); err != nil {
			return fmt.Errorf("sim: %s: %s: %w", sc.Name, s.name, err)
		}
	}
	return nil
}

// finish lets every service live through its past, up to the moment the
// account was created, then hands over to the present's pace.
func (a *Account) finish() {
	if a.opts.Replay {
		a.replayHistory()
		return
	}
	a.playPast()
}

// id returns the id of a resource of the world by Name, or an error that
// names what is missing (Validate makes this rare).
func (w *world) id(kind, name string) (string, error) {
	if v, ok := w.ids[kind+":"+name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no %s named %q", kind, name)
}

func (w *world) idList(kind string, names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	for _, n := range names {
		id, err := w.id(kind, n)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// qualify is the account-wide name of a resource of the world.
func (w *world) qualify(kind, name string) string { return w.names.qualify(kind, name) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
