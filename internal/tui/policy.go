package tui

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/iampolicy"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// policyTrust is the target id of the execution role's trust policy.
const policyTrust = "trust"

// policyRef is one policy the IAM step shows.
type policyRef struct {
	ID       string // policy ARN, inline:NAME, or policyTrust
	Name     string
	Kind     string // how it relates to the role
	Document string
}

// rolePolicies are the execution role's trust policy, attached managed
// policies, inline policies and boundary, then the unattached policies a
// finding names as the missing grant.
func rolePolicies(d *workflow.Diagnosis) []policyRef {
	f := d.Facts
	role := f.IAM.ExecutionRole
	if role == nil {
		return nil
	}
	managed := map[string]facts.ManagedPolicy{}
	for _, p := range f.IAM.Policies {
		managed[p.ARN] = p
	}
	out := []policyRef{{ID: policyTrust, Name: "trust policy", Kind: "who may assume the role", Document: role.TrustPolicy}}
	for _, arn := range role.AttachedPolicies {
		kind := "attached, customer managed"
		if strings.Contains(arn, ":aws:policy/") {
			kind = "attached, AWS managed"
		}
		out = append(out, policyRef{ID: arn, Name: lastSegment(arn), Kind: kind, Document: managed[arn].Document})
	}
	for _, p := range role.InlinePolicies {
		out = append(out, policyRef{ID: "inline:" + p.Name, Name: p.Name, Kind: "inline", Document: p.Document})
	}
	if b := role.PermissionsBoundary; b != "" {
		out = append(out, policyRef{ID: b, Name: lastSegment(b), Kind: "permissions boundary", Document: managed[b].Document})
	}
	for _, fi := range d.Findings {
		arn := fi.Attrs["policyArn"]
		if arn == "" || fi.ID != "iam.policy-not-attached" || hasPolicy(out, arn) {
			continue
		}
		for _, p := range f.IAM.UnattachedPolicies {
			if p.ARN == arn {
				out = append(out, policyRef{ID: arn, Name: p.Name, Kind: "NOT attached: would grant what is missing", Document: p.Document})
			}
		}
	}
	return out
}

func hasPolicy(ps []policyRef, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

// decidingStatements are the statement indexes of one policy that decide a
// verdict the IAM step reached: for attached policies the evidence says;
// for the trust policy and an unattached candidate they are evaluated here.
func decidingStatements(d *workflow.Diagnosis, p policyRef) map[int][]string {
	out := map[int][]string{}
	add := func(i int, why string) {
		if !containsString(out[i], why) {
			out[i] = append(out[i], why)
		}
	}
	doc, err := iampolicy.Parse(p.Document)
	switch {
	case p.ID == policyTrust:
		if err == nil {
			for _, r := range iampolicy.TrustsService(doc, "ecs-tasks.amazonaws.com").Deciding {
				add(r.Index, "ecs-tasks.amazonaws.com")
			}
		}
	case strings.HasPrefix(p.Kind, "NOT attached"):
		if err == nil {
			for _, pe := range d.Evidence.Permissions {
				if pe.Decision == "allowed" {
					continue
				}
				v := iampolicy.Evaluate([]iampolicy.Source{{Name: p.ID, Doc: doc}}, nil, pe.Action, pe.Resource)
				for _, r := range v.Deciding {
					add(r.Index, pe.Action)
				}
			}
		}
	default:
		for _, pe := range d.Evidence.Permissions {
			for _, r := range pe.Deciding {
				if r.Policy == p.ID {
					add(r.Index, pe.Action)
				}
			}
		}
	}
	return out
}

// prettyStatements pretty-prints a policy document keeping each statement's
// lines together, so statements can be marked. It returns the lines before
// the statements, each statement's lines, and the closing lines; a document
// that does not parse comes back as raw lines.
func prettyStatements(doc string) (head []string, stmts [][]string, tail []string) {
	text := doc
	if strings.HasPrefix(strings.TrimSpace(doc), "%7B") {
		if dec, err := url.QueryUnescape(doc); err == nil {
			text = dec
		}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		return strings.Split(text, "\n"), nil, nil
	}
	head = append(head, "{")
	for _, k := range []string{"Version", "Id"} {
		if v, ok := top[k]; ok {
			head = append(head, "  "+quoteKey(k)+": "+string(v)+",")
		}
	}
	raw := top["Statement"]
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		list = []json.RawMessage{raw}
	}
	head = append(head, `  "Statement": [`)
	for i, s := range list {
		var buf bytes.Buffer
		if err := json.Indent(&buf, s, "    ", "  "); err != nil {
			buf.Reset()
			buf.Write(s)
		}
		lines := strings.Split("    "+buf.String(), "\n")
		if i < len(list)-1 {
			lines[len(lines)-1] += ","
		}
		stmts = append(stmts, lines)
	}
	tail = []string{"  ]", "}"}
	return head, stmts, tail
}

func quoteKey(k string) string { b, _ := json.Marshal(k); return string(b) }

// wouldGrant reports whether a policy on its own allows a permission (how
// an unattached policy is recognised as the missing grant).
func wouldGrant(p policyRef, pe workflow.PermissionEvidence) bool {
	doc, err := iampolicy.Parse(p.Document)
	if err != nil {
		return false
	}
	return len(iampolicy.Grants(doc, []iampolicy.Pair{{Action: pe.Action, Resource: pe.Resource}})) > 0
}
