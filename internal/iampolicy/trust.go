package iampolicy

import "strings"

// trustSource names the trust policy in StatementRefs.
const trustSource = "trust"

// assumeRole is the action a service calls to take on a role.
const assumeRole = "sts:AssumeRole"

// TrustsService reports whether a role trust policy lets the service
// principal (e.g. "ecs-tasks.amazonaws.com") call sts:AssumeRole. A matching
// Allow with a Condition (such as the aws:SourceAccount guard AWS recommends
// against the confused deputy) gives Conditional when no unconditional
// Allow matches. Resource elements are ignored: the resource is the role.
func TrustsService(trust *Document, service string) Verdict {
	var r setResult
	if trust == nil {
		return Verdict{Decision: ImplicitDeny}
	}
	for i := range trust.Statements {
		st := &trust.Statements[i]
		if !actionMatches(st, assumeRole) || !principalApplies(st, service) {
			continue
		}
		ref := StatementRef{Source: trustSource, Index: st.Index, Sid: st.Sid, Effect: st.Effect}
		switch {
		case st.Effect == "Deny" && !st.HasCondition:
			r.sureDeny = append(r.sureDeny, ref)
		case st.Effect == "Deny":
			r.maybeDeny = append(r.maybeDeny, ref)
		case st.Effect == "Allow" && !st.HasCondition:
			r.sureAllow = append(r.sureAllow, ref)
		case st.Effect == "Allow":
			r.maybeAllow = append(r.maybeAllow, ref)
		}
	}
	return decide([]setResult{r})
}

// principalApplies reports whether the statement's Principal (or
// NotPrincipal) covers the service. A statement naming neither is invalid
// in a trust policy; as elsewhere it counts for a Deny and not for an Allow.
func principalApplies(st *Statement, service string) bool {
	switch {
	case st.Principals != nil:
		return principalNames(st.Principals, service)
	case st.NotPrincipals != nil:
		return !principalNames(st.NotPrincipals, service)
	}
	return st.Effect == "Deny"
}

// principalNames reports whether a principal map names the service, either
// directly under "Service" or through the "*" principal ("*" or
// {"AWS": "*"}, which IAM treats alike: everyone, services included).
// Service names are compared case-insensitively, as DNS-style names are;
// principal keys too, since nothing else could be meant by "service".
func principalNames(m map[string][]string, service string) bool {
	for k, vals := range m {
		for _, v := range vals {
			switch {
			case k == "*":
				return true
			case strings.EqualFold(k, "AWS") && v == "*":
				return true
			case strings.EqualFold(k, "Service") && strings.EqualFold(v, service):
				return true
			}
		}
	}
	return false
}
