package kb

import (
	"bytes"
	"regexp"
)

// pattern is one known message. A pattern is tried only when one of its
// keywords occurs in the text (lowercased, whitespace runs collapsed), which
// keeps the common case (a text matching nothing) free of regex work; re,
// when set, then confirms the match against the collapsed text.
type pattern struct {
	name string
	id   string
	any  []string // lowercase keywords; at least one must occur
	re   *regexp.Regexp

	attrs func(text string) map[string]string // qualifiers from the collapsed text
	fixed map[string]string                   // qualifiers implied by the pattern itself

	// fallback patterns describe a family ("some ResourceInitializationError")
	// and are dropped when any more specific pattern also matched.
	fallback bool
	// overrides lists ids this pattern is more specific than: AWS nests one
	// message inside another ("unable to pull secrets or registry auth: ...
	// connection issue ... Secrets Manager"), and only the innermost cause
	// helps the user.
	overrides []string

	title, explanation, next, ref string

	kw [][]byte // any, as bytes, built at init
}

// rx compiles a case-insensitive pattern. Patterns are written with single
// spaces because texts are whitespace-collapsed before matching.
func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

var stopPatterns = concat(stopPullPatterns, stopInitPatterns, stopRuntimePatterns)

func concat(lists ...[]pattern) []pattern {
	var out []pattern
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func init() {
	for _, ps := range [][]pattern{stopPatterns, eventPatterns, logPatterns} {
		for i := range ps {
			for _, k := range ps[i].any {
				ps[i].kw = append(ps[i].kw, []byte(k))
			}
		}
	}
}

// fold appends s to dst lowercased (ASCII only: every keyword is ASCII) with
// each whitespace run turned into one space and the ends trimmed. Doing both
// in one pass lets callers pass a stack buffer and stay allocation-free.
func fold(dst []byte, s string) []byte {
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			space = len(dst) > 0
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// collapse returns s with whitespace runs turned into single spaces and the
// ends trimmed, keeping the original case so extracted names stay intact.
func collapse(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSpace(c) && (c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (p *pattern) keywordHit(lower []byte) bool {
	for _, k := range p.kw {
		if bytes.Contains(lower, k) {
			return true
		}
	}
	return false
}

// confirm runs the regex, if any, on the collapsed original text, which the
// caller computes lazily because most texts never get past the keywords.
func (p *pattern) confirm(text string) bool {
	return p.re == nil || p.re.MatchString(text)
}

func (p *pattern) toMatch(text string) Match {
	m := Match{
		ID: p.id, Pattern: p.name, Title: p.title,
		Explanation: p.explanation, Next: p.next, Reference: p.ref,
	}
	for k, v := range p.fixed {
		m.Attrs = setAttr(m.Attrs, k, v)
	}
	if p.attrs != nil {
		for k, v := range p.attrs(text) {
			if v != "" {
				m.Attrs = setAttr(m.Attrs, k, v)
			}
		}
	}
	return m
}

func setAttr(a map[string]string, k, v string) map[string]string {
	if a == nil {
		a = map[string]string{}
	}
	if _, ok := a[k]; !ok {
		a[k] = v
	}
	return a
}

// scan returns the indexes of the patterns in ps whose keywords occur in raw
// and whose regex confirms, plus the collapsed text. first stops at the
// first hit.
func scan(ps []pattern, raw string, first bool) ([]int, string) {
	var buf [1024]byte
	lower := fold(buf[:0], raw)
	var hits []int
	text := ""
	collapsed := false
	for i := range ps {
		p := &ps[i]
		if !p.keywordHit(lower) {
			continue
		}
		if !collapsed {
			text, collapsed = collapse(raw), true
		}
		if !p.confirm(text) {
			continue
		}
		hits = append(hits, i)
		if first {
			break
		}
	}
	return hits, text
}

func matchFirst(ps []pattern, raw string) (Match, bool) {
	hits, text := scan(ps, raw, true)
	if len(hits) == 0 {
		return Match{}, false
	}
	return ps[hits[0]].toMatch(text), true
}

// matchAll returns one Match per distinct id, in table order, after dropping
// fallbacks and overridden ids. Two patterns with the same id (the same
// problem worded twice) merge their attrs into the first.
func matchAll(ps []pattern, raw string) []Match {
	hits, text := scan(ps, raw, false)
	if len(hits) == 0 {
		return nil
	}
	specific := false
	dropped := map[string]bool{}
	for _, i := range hits {
		if !ps[i].fallback {
			specific = true
		}
		for _, id := range ps[i].overrides {
			dropped[id] = true
		}
	}
	var out []Match
	for _, i := range hits {
		p := &ps[i]
		if (p.fallback && specific) || dropped[p.id] {
			continue
		}
		out = mergeMatch(out, p.toMatch(text))
	}
	return out
}

// mergeMatch appends m unless a match with the same id is already there, in
// which case only m's missing attrs are added to it.
func mergeMatch(ms []Match, m Match) []Match {
	for i := range ms {
		if ms[i].ID == m.ID {
			for k, v := range m.Attrs {
				ms[i].Attrs = setAttr(ms[i].Attrs, k, v)
			}
			return ms
		}
	}
	return append(ms, m)
}
