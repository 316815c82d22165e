package change

import (
	"encoding/json"
	"sort"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// PolicyDocument is an IAM policy a fix writes.
type PolicyDocument struct {
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one Allow statement.
type PolicyStatement struct {
	Sid      string   `json:"Sid,omitempty"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource []string `json:"Resource"`
}

// JSON renders the document compactly, as IAM accepts it.
func (d PolicyDocument) JSON() string {
	b, _ := json.Marshal(d)
	return string(b)
}

// LeastPrivilegePolicy groups permissions into one statement per set of
// actions sharing the same resources, so the policy names exactly the
// missing actions on exactly the needed resources and nothing more.
func LeastPrivilegePolicy(perms []facts.Permission) PolicyDocument {
	byAction := map[string][]string{}
	for _, p := range perms {
		byAction[p.Action] = append(byAction[p.Action], p.Resource)
	}
	byResources := map[string][]string{}
	resourcesOf := map[string][]string{}
	for action, res := range byAction {
		res = uniqueSorted(res)
		key, _ := json.Marshal(res)
		byResources[string(key)] = append(byResources[string(key)], action)
		resourcesOf[string(key)] = res
	}
	doc := PolicyDocument{Version: "2012-10-17"}
	keys := make([]string, 0, len(byResources))
	for k := range byResources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		doc.Statement = append(doc.Statement, PolicyStatement{Effect: "Allow", Action: uniqueSorted(byResources[key]), Resource: resourcesOf[key]})
	}
	return doc
}

func uniqueSorted(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
