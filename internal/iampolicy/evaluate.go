package iampolicy

// Decision is the outcome of evaluating a request against policies.
type Decision string

const (
	// Allowed: an unconditional Allow matches and no Deny can match.
	Allowed Decision = "allowed"
	// ImplicitDeny: nothing allows it.
	ImplicitDeny Decision = "implicitDeny"
	// ExplicitDeny: an unconditional Deny matches.
	ExplicitDeny Decision = "explicitDeny"
	// Conditional: the outcome depends on a Condition or a policy variable
	// the evaluator cannot decide. Never report this as allowed.
	Conditional Decision = "conditional"
)

// Source is one policy document and where it came from.
type Source struct {
	Name string // policy ARN or "inline:NAME"
	Doc  *Document
}

// StatementRef points at a statement that decided a verdict.
type StatementRef struct {
	Source string
	Index  int
	Sid    string
	Effect string
}

// Verdict is a decision and the statements that made it.
type Verdict struct {
	Decision Decision
	// Deciding holds the matching unconditional Allows (Allowed), the
	// matching unconditional Denies (ExplicitDeny), or the Denies whose
	// Condition could not be decided followed by the Allows they would
	// override, or the conditional Allows (Conditional). It is empty for
	// ImplicitDeny.
	Deciding []StatementRef
}

// Pair is an action on a resource.
type Pair struct{ Action, Resource string }

// level orders how sure a match is; a set of policies allows at the level of
// its best Allow.
type level int

const (
	noMatch level = iota
	maybeMatch
	sureMatch
)

// setResult is what one set of policies (identity, or boundary) says.
type setResult struct {
	sureDeny, maybeDeny, sureAllow, maybeAllow []StatementRef
}

func (r setResult) allowLevel() level {
	switch {
	case len(r.sureAllow) > 0:
		return sureMatch
	case len(r.maybeAllow) > 0:
		return maybeMatch
	}
	return noMatch
}

// allows is the Allows that carry the set's allow level.
func (r setResult) allows() []StatementRef {
	if len(r.sureAllow) > 0 {
		return r.sureAllow
	}
	return r.maybeAllow
}

// Evaluate decides action on resource under the identity policies and, when
// boundary is non-nil, the permissions boundary: the action must be allowed
// by both, and a Deny in either denies. A non-nil empty boundary allows
// nothing, as IAM does with a boundary that grants nothing.
func Evaluate(identity []Source, boundary []Source, action, resource string) Verdict {
	sets := []setResult{evalSet(identity, action, resource)}
	if boundary != nil {
		sets = append(sets, evalSet(boundary, action, resource))
	}
	return decide(sets)
}

// Grants reports which pairs doc alone would allow, in the order given. It
// is how an unattached customer managed policy is recognised as the fix for
// a missing permission.
func Grants(doc *Document, pairs []Pair) []Pair {
	var out []Pair
	src := []Source{{Doc: doc}}
	for _, p := range pairs {
		if Evaluate(src, nil, p.Action, p.Resource).Decision == Allowed {
			out = append(out, p)
		}
	}
	return out
}

// decide combines the sets the way IAM's evaluation logic does: an explicit
// Deny anywhere wins; otherwise every set must allow. An undecidable Deny
// turns what would be allowed into Conditional; when nothing would be
// allowed anyway, the answer stays ImplicitDeny (denied either way).
func decide(sets []setResult) Verdict {
	var sureDeny, maybeDeny, allows []StatementRef
	allow := sureMatch
	for _, s := range sets {
		sureDeny = append(sureDeny, s.sureDeny...)
		maybeDeny = append(maybeDeny, s.maybeDeny...)
		allow = min(allow, s.allowLevel())
		allows = append(allows, s.allows()...)
	}
	switch {
	case len(sureDeny) > 0:
		return Verdict{Decision: ExplicitDeny, Deciding: sureDeny}
	case allow == noMatch:
		return Verdict{Decision: ImplicitDeny}
	case len(maybeDeny) > 0:
		return Verdict{Decision: Conditional, Deciding: append(maybeDeny, allows...)}
	case allow == maybeMatch:
		return Verdict{Decision: Conditional, Deciding: allows}
	}
	return Verdict{Decision: Allowed, Deciding: allows}
}

// evalSet sorts the statements of a set of policies that apply to the
// request into sure and conditional Allows and Denies.
func evalSet(sources []Source, action, resource string) setResult {
	var r setResult
	for _, src := range sources {
		if src.Doc == nil {
			continue
		}
		variables := usesVariables(src.Doc.Version)
		for i := range src.Doc.Statements {
			st := &src.Doc.Statements[i]
			if !actionMatches(st, action) {
				continue
			}
			m := resourceMatches(st, variables, resource)
			if m == noMatch {
				continue
			}
			if st.HasCondition {
				m = maybeMatch
			}
			ref := StatementRef{Source: src.Name, Index: st.Index, Sid: st.Sid, Effect: st.Effect}
			switch {
			case st.Effect == "Deny" && m == sureMatch:
				r.sureDeny = append(r.sureDeny, ref)
			case st.Effect == "Deny":
				r.maybeDeny = append(r.maybeDeny, ref)
			case st.Effect == "Allow" && m == sureMatch:
				r.sureAllow = append(r.sureAllow, ref)
			case st.Effect == "Allow":
				r.maybeAllow = append(r.maybeAllow, ref)
			}
			// Any other Effect cannot come from Parse; a hand-built
			// statement with one is ignored rather than guessed at.
		}
	}
	return r
}

// usesVariables reports whether a document's policy language interprets
// ${...} as policy variables. Only 2008-10-17 (the default when Version is
// missing) reads them literally; an unknown Version is read as the current
// language, which is the more cautious reading.
func usesVariables(version string) bool {
	return version != "" && version != "2008-10-17"
}

// actionMatches applies Action, or NotAction ("every action but these").
func actionMatches(st *Statement, action string) bool {
	if len(st.NotActions) > 0 {
		for _, p := range st.NotActions {
			if matchAction(p, action) {
				return false
			}
		}
		return true
	}
	for _, p := range st.Actions {
		if matchAction(p, action) {
			return true
		}
	}
	return false
}

// resourceMatches applies Resource, or NotResource ("every resource but
// these"), returning maybeMatch where a policy variable leaves it open.
//
// A statement with neither cannot be attached to an identity (IAM refuses
// it), so this only matters for hand-built or trust-policy documents: it is
// read as matching for a Deny and not for an Allow, so that it can only make
// the answer less permissive.
func resourceMatches(st *Statement, variables bool, resource string) level {
	switch {
	case len(st.Resources) > 0:
		return bestMatch(st.Resources, variables, resource)
	case len(st.NotResources) > 0:
		// The statement applies when the resource is not excluded: surely
		// if no pattern can match it, maybe if only a variable one can.
		switch bestMatch(st.NotResources, variables, resource) {
		case sureMatch:
			return noMatch
		case maybeMatch:
			return maybeMatch
		}
		return sureMatch
	case st.Effect == "Deny":
		return sureMatch
	}
	return noMatch
}

// bestMatch is how surely any of the patterns matches resource.
func bestMatch(patterns []string, variables bool, resource string) level {
	s := []rune(resource)
	best := noMatch
	for _, p := range patterns {
		tokens, hasVar := compileResource(p, variables)
		if !matchTokens(tokens, s) {
			continue
		}
		if !hasVar {
			return sureMatch
		}
		best = maybeMatch
	}
	return best
}
