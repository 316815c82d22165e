package sim

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The simulator's own small IAM evaluator: enough of IAM's logic to decide
// what an execution role may do, and to answer SimulatePrincipalPolicy.
// An explicit Deny wins, then any Allow, else the request is implicitly
// denied. A permissions boundary must allow the action too. Conditions are
// not evaluated: an Allow with a condition counts as met and a Deny with a
// condition as not met, the lenient reading for execution roles, whose
// conditions are rare and usually guard against misuse.

// Decisions, spelled as IAM's simulator spells them.
const (
	allowed      = "allowed"
	implicitDeny = "implicitDeny"
	explicitDeny = "explicitDeny"
)

type policyDoc struct {
	statements []statement
}

type statement struct {
	sid                     string
	effect                  string
	actions, notActions     []string
	resources, notResources []string
	principals              map[string][]string // "Service" -> [...]; "*" -> ["*"]
	conditional             bool
}

// stringList reads IAM's "a string or a list of strings".
func stringList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("expected a string or a list of strings, got %s", raw)
	}
	return many, nil
}

// parsePolicy reads a policy document (JSON, not URL-encoded).
func parsePolicy(doc string) (*policyDoc, error) {
	var top struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return nil, fmt.Errorf("policy document is not JSON: %w", err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(top.Statement, &raws); err != nil {
		raws = []json.RawMessage{top.Statement}
	}
	p := &policyDoc{}
	for _, raw := range raws {
		var s struct {
			Sid          string
			Effect       string
			Action       json.RawMessage
			NotAction    json.RawMessage
			Resource     json.RawMessage
			NotResource  json.RawMessage
			Principal    json.RawMessage
			NotPrincipal json.RawMessage
			Condition    json.RawMessage
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("statement is not an object: %w", err)
		}
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return nil, fmt.Errorf("statement effect %q is neither Allow nor Deny", s.Effect)
		}
		st := statement{sid: s.Sid, effect: s.Effect, conditional: len(s.Condition) > 0 && string(s.Condition) != "{}"}
		var err error
		if st.actions, err = stringList(s.Action); err != nil {
			return nil, err
		}
		if st.notActions, err = stringList(s.NotAction); err != nil {
			return nil, err
		}
		if st.resources, err = stringList(s.Resource); err != nil {
			return nil, err
		}
		if st.notResources, err = stringList(s.NotResource); err != nil {
			return nil, err
		}
		if st.principals, err = principals(s.Principal); err != nil {
			return nil, err
		}
		p.statements = append(p.statements, st)
	}
	return p, nil
}

func principals(raw json.RawMessage) (map[string][]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var star string
	if err := json.Unmarshal(raw, &star); err == nil {
		return map[string][]string{"*": {star}}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("principal is neither \"*\" nor an object")
	}
	out := map[string][]string{}
	for k, v := range m {
		list, err := stringList(v)
		if err != nil {
			return nil, err
		}
		out[k] = list
	}
	return out, nil
}

// wildcard matches IAM's patterns: * is any run of characters, ? any one.
func wildcard(pattern, s string) bool {
	p, t := 0, 0
	star, mark := -1, 0
	for t < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[t]):
			p++
			t++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, t
			p++
		case star >= 0:
			p = star + 1
			mark++
			t = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func anyMatch(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			if wildcard(strings.ToLower(p), strings.ToLower(s)) {
				return true
			}
		} else if wildcard(p, s) {
			return true
		}
	}
	return false
}

// applies reports whether a statement covers the action on the resource.
// Action names are case-insensitive in IAM; ARNs are not.
func (s statement) applies(action, resource string) bool {
	switch {
	case len(s.actions) > 0:
		if !anyMatch(s.actions, action, true) {
			return false
		}
	case len(s.notActions) > 0:
		if anyMatch(s.notActions, action, true) {
			return false
		}
	default:
		return false
	}
	switch {
	case len(s.resources) > 0:
		return anyMatch(s.resources, resource, false)
	case len(s.notResources) > 0:
		return !anyMatch(s.notResources, resource, false)
	}
	return false
}

// sourcedPolicy is a policy document with where it comes from, for the
// simulator's MatchedStatements.
type sourcedPolicy struct {
	id, kind string // kind: aws-managed, user-managed, role (inline)
	doc      *policyDoc
}

// evaluate decides one request against identity policies (and a boundary,
// when the role has one). It returns the decision and the policies whose
// statements decided it.
func evaluate(identity []sourcedPolicy, boundary *sourcedPolicy, action, resource string) (string, []sourcedPolicy) {
	var allows, denies []sourcedPolicy
	for _, p := range identity {
		for _, st := range p.doc.statements {
			if !st.applies(action, resource) {
				continue
			}
			if st.effect == "Deny" && !st.conditional {
				denies = append(denies, p)
			} else if st.effect == "Allow" {
				allows = append(allows, p)
			}
		}
	}
	if len(denies) > 0 {
		return explicitDeny, denies
	}
	if len(allows) == 0 {
		return implicitDeny, nil
	}
	if boundary != nil {
		d, _ := evaluate([]sourcedPolicy{*boundary}, nil, action, resource)
		if d != allowed {
			return d, nil
		}
	}
	return allowed, allows
}

// trusts reports whether a trust policy lets a service principal (such as
// ecs-tasks.amazonaws.com) assume the role.
func trusts(doc, service string) bool {
	p, err := parsePolicy(doc)
	if err != nil {
		return false
	}
	ok := false
	for _, st := range p.statements {
		if !anyMatch(st.actions, "sts:AssumeRole", true) {
			continue
		}
		named := contains(st.principals["*"], "*") || contains(st.principals["Service"], service) || contains(st.principals["AWS"], "*")
		if !named {
			continue
		}
		if st.effect == "Deny" && !st.conditional {
			return false
		}
		if st.effect == "Allow" {
			ok = true
		}
	}
	return ok
}
