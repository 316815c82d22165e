package sim

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// In the demo account every scenario lives side by side. VPC resources are
// apart by nature (each scenario has its own VPC), but IAM roles, policies,
// secrets, parameters, KMS aliases, log groups, repositories, databases and
// task definition families have account-wide names, and several scenarios
// call their role "ecsTaskExecutionRole" with different policies. A name
// that two or more scenarios use is therefore prefixed with the scenario's
// name in all of them; a name only one scenario uses stays as written, so
// that most of what a learner reads matches the scenario file.

// demoNames renames one scenario's account-wide names.
type demoNames struct {
	scenario string
	shared   map[string]bool // "kind:name" used by more than one scenario
}

// qualify returns the name a resource of this kind has in the account.
func (d *demoNames) qualify(kind, name string) string {
	if d == nil || name == "" || !d.shared[kind+":"+name] {
		return name
	}
	switch kind {
	case "secret", "repo":
		return d.scenario + "/" + name
	case "param", "loggroup":
		if strings.HasPrefix(name, "/") {
			return "/" + d.scenario + name
		}
		return d.scenario + "/" + name
	case "db":
		q := d.scenario + "-" + name
		if len(q) > 63 {
			q = q[:63]
		}
		return strings.TrimRight(q, "-")
	}
	return d.scenario + "-" + name // role, policy, kms, family
}

// sharedNames finds the account-wide names more than one scenario uses,
// counting names a scenario only refers to (a log group it lacks on
// purpose must not turn up because another scenario has one).
func sharedNames(scs []*scenario.Scenario) map[string]bool {
	count := map[string]int{}
	for _, sc := range scs {
		for key := range usedNames(sc) {
			count[key]++
		}
	}
	shared := map[string]bool{}
	for k, n := range count {
		if n > 1 {
			shared[k] = true
		}
	}
	return shared
}

func usedNames(sc *scenario.Scenario) map[string]bool {
	used := map[string]bool{}
	add := func(kind, name string) {
		if name != "" && !strings.HasPrefix(name, "arn:") && !strings.Contains(name, "{{") {
			used[kind+":"+name] = true
		}
	}
	w := &sc.World
	for _, x := range w.Roles {
		add("role", x.Name)
	}
	for _, x := range w.Policies {
		add("policy", x.Name)
	}
	for _, x := range w.Secrets {
		add("secret", x.Name)
	}
	for _, x := range w.Parameters {
		add("param", x.Name)
	}
	for _, x := range w.KMSKeys {
		add("kms", x.Name)
	}
	for _, x := range w.LogGroups {
		add("loggroup", x.Name)
	}
	for _, x := range w.Repositories {
		add("repo", x.Name)
	}
	for _, x := range w.Databases {
		add("db", x.Name)
	}
	for _, td := range w.TaskDefinitions {
		add("family", td.Family)
		add("role", td.ExecutionRole)
		add("role", td.TaskRole)
		for _, c := range td.Containers {
			if c.Log != nil && c.Log.Driver == "awslogs" {
				add("loggroup", c.Log.Options["awslogs-group"])
			}
			if img := strings.TrimPrefix(c.Image, "{{ecr}}/"); img != c.Image {
				add("repo", facts.ParseImage(img).Repository)
			}
			for _, s := range c.Secrets {
				if !strings.HasPrefix(s.ValueFrom, "arn:") {
					add("param", s.ValueFrom)
				}
			}
		}
	}
	return used
}
