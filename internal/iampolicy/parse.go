package iampolicy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Document is a parsed IAM policy document.
type Document struct {
	Version    string // "" when the document has no Version element
	Statements []Statement
}

// Statement is one statement of a policy, kept close to how it was written
// so that a finding can quote it.
type Statement struct {
	Index                   int // position in the document, for pointing at it
	Sid                     string
	Effect                  string // "Allow" or "Deny" as written
	Actions, NotActions     []string
	Resources, NotResources []string
	// Principals maps "AWS"/"Service"/"Federated"/"*" to values; the "*"
	// principal is {"*": {"*"}}.
	Principals    map[string][]string
	NotPrincipals map[string][]string
	HasCondition  bool
	Condition     json.RawMessage // as written, for display
}

// Parse accepts a policy document as IAM returns it: JSON text, possibly
// URL-encoded. Statement may be an object or an array; Action, NotAction,
// Resource and NotResource may be a string or an array; Principal may be "*"
// or an object whose values are a string or an array. Element names are
// case-sensitive, as in IAM; unknown elements (such as Id) are ignored.
func Parse(doc string) (*Document, error) {
	text, err := decodeDocument(doc)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		return nil, fmt.Errorf("iampolicy: policy document is not a JSON object: %w", err)
	}
	if top == nil {
		return nil, errors.New("iampolicy: policy document is not a JSON object: null")
	}
	d := &Document{}
	if raw, ok := top["Version"]; ok {
		if d.Version, err = parseString(raw); err != nil {
			return nil, fmt.Errorf("iampolicy: Version: %w", err)
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, errors.New("iampolicy: policy document has no Statement")
	}
	var list []json.RawMessage
	switch firstByte(raw) {
	case '[':
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("iampolicy: Statement: %w", err)
		}
	case '{':
		list = []json.RawMessage{raw}
	default:
		return nil, errors.New("iampolicy: Statement must be an object or an array of objects")
	}
	for i, r := range list {
		st, err := parseStatement(i, r)
		if err != nil {
			return nil, fmt.Errorf("iampolicy: statement %d: %w", i, err)
		}
		d.Statements = append(d.Statements, st)
	}
	return d, nil
}

// parseStatement checks one statement against the rules IAM enforces when a
// policy is saved, so that a document IAM would refuse is reported rather
// than evaluated with a guessed meaning.
func parseStatement(index int, raw json.RawMessage) (Statement, error) {
	st := Statement{Index: index}
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil || m == nil {
		return st, errors.New("not a JSON object")
	}
	var err error
	if r, ok := m["Sid"]; ok {
		if st.Sid, err = parseString(r); err != nil {
			return st, fmt.Errorf("Sid: %w", err)
		}
	}
	r, ok := m["Effect"]
	if !ok {
		return st, errors.New("no Effect")
	}
	if st.Effect, err = parseString(r); err != nil {
		return st, fmt.Errorf("Effect: %w", err)
	}
	if st.Effect != "Allow" && st.Effect != "Deny" {
		return st, fmt.Errorf("Effect %q is neither \"Allow\" nor \"Deny\"", st.Effect)
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{
		{"Action", &st.Actions},
		{"NotAction", &st.NotActions},
		{"Resource", &st.Resources},
		{"NotResource", &st.NotResources},
	} {
		r, ok := m[f.name]
		if !ok {
			continue
		}
		if *f.dst, err = parseStringOrList(r); err != nil {
			return st, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	_, hasAction := m["Action"]
	_, hasNotAction := m["NotAction"]
	if hasAction == hasNotAction {
		return st, errors.New("a statement needs exactly one of Action and NotAction")
	}
	// Trust policies carry no Resource, so a missing one is accepted here;
	// evaluation decides what a resource-less statement means.
	if _, ok := m["Resource"]; ok {
		if _, ok := m["NotResource"]; ok {
			return st, errors.New("a statement cannot have both Resource and NotResource")
		}
	}
	if r, ok := m["Principal"]; ok {
		if st.Principals, err = parsePrincipal(r); err != nil {
			return st, fmt.Errorf("Principal: %w", err)
		}
	}
	if r, ok := m["NotPrincipal"]; ok {
		if st.NotPrincipals, err = parsePrincipal(r); err != nil {
			return st, fmt.Errorf("NotPrincipal: %w", err)
		}
		if st.Principals != nil {
			return st, errors.New("a statement cannot have both Principal and NotPrincipal")
		}
	}
	if r, ok := m["Condition"]; ok {
		if st.HasCondition, err = parseCondition(r); err != nil {
			return st, fmt.Errorf("Condition: %w", err)
		}
		st.Condition = append(json.RawMessage(nil), r...)
	}
	return st, nil
}

// parseString reads a JSON string, refusing null (which json.Unmarshal
// would silently accept as "leave unchanged").
func parseString(raw json.RawMessage) (string, error) {
	if firstByte(raw) != '"' {
		return "", errors.New("must be a string")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

// parseStringOrList reads the "string or array of strings" form IAM allows
// for Action, Resource and principal values. An empty array is refused:
// IAM refuses it too, and an empty NotAction would otherwise mean "every
// action".
func parseStringOrList(raw json.RawMessage) ([]string, error) {
	switch firstByte(raw) {
	case '"':
		s, err := parseString(raw)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, errors.New("must not be an empty array")
		}
		out := make([]string, 0, len(items))
		for i, it := range items {
			s, err := parseString(it)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, errors.New("must be a string or an array of strings")
	}
}

// parsePrincipal reads "*" or an object such as {"Service": [...]}. The bare
// "*" is kept as {"*": {"*"}} so callers see one shape.
func parsePrincipal(raw json.RawMessage) (map[string][]string, error) {
	switch firstByte(raw) {
	case '"':
		s, err := parseString(raw)
		if err != nil {
			return nil, err
		}
		if s != "*" {
			return nil, fmt.Errorf("a string principal must be \"*\", not %q", s)
		}
		return map[string][]string{"*": {"*"}}, nil
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		out := make(map[string][]string, len(m))
		for k, v := range m {
			vals, err := parseStringOrList(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = vals
		}
		return out, nil
	default:
		return nil, errors.New("must be \"*\" or an object")
	}
}

// parseCondition checks that a Condition is an object and reports whether it
// constrains anything: an empty block ({} or null) imposes no condition, so
// treating it as one would turn a plain Allow into a needless Conditional.
func parseCondition(raw json.RawMessage) (bool, error) {
	switch firstByte(raw) {
	case 'n':
		if !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			return false, errors.New("must be an object")
		}
		return false, nil
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return false, err
		}
		return len(m) > 0, nil
	default:
		return false, errors.New("must be an object")
	}
}

// firstByte is the first non-space byte of a JSON value, which tells its type.
func firstByte(raw json.RawMessage) byte {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
