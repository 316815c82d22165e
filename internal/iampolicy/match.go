package iampolicy

import "strings"

// Wildcards are compiled to negative values, which no decoded rune can take,
// so that a compiled pattern can also carry a literal '*' or '?' (from the
// ${*} and ${?} policy-variable escapes).
const (
	tokStar     rune = -1 // '*': any run of characters, including ':' and '/'
	tokQuestion rune = -2 // '?': exactly one character
)

// matchTokens reports whether the compiled pattern p matches all of s.
//
// It is the greedy scan that remembers only the last '*': on a mismatch it
// lets that star swallow one more character and retries from there. Earlier
// stars never need revisiting, because anything they could absorb the last
// star can absorb too. That bounds the work by len(p)*len(s), where naive
// recursion is exponential on patterns like "a*a*a*a*b".
func matchTokens(p, s []rune) bool {
	pi, si := 0, 0
	star, resume := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == tokStar:
			star, resume = pi, si
			pi++
		case pi < len(p) && (p[pi] == tokQuestion || p[pi] == s[si]):
			pi++
			si++
		case star >= 0:
			resume++
			pi, si = star+1, resume
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == tokStar {
		pi++
	}
	return pi == len(p)
}

// compileGlob turns a pattern where '*' and '?' are wildcards into tokens.
func compileGlob(pattern string) []rune {
	out := make([]rune, 0, len(pattern))
	for _, r := range pattern {
		out = append(out, globToken(r))
	}
	return out
}

func globToken(r rune) rune {
	switch r {
	case '*':
		return tokStar
	case '?':
		return tokQuestion
	}
	return r
}

// wildcardMatch is the plain IAM glob: case-sensitive, '*' and '?' wildcards.
func wildcardMatch(pattern, s string) bool {
	return matchTokens(compileGlob(pattern), []rune(s))
}

// matchAction compares an Action pattern with an action. IAM action names
// are case-insensitive ("ECR:getauthorizationtoken" is the same action);
// they are ASCII, so ASCII folding avoids Unicode surprises such as the
// Kelvin sign lowering to 'k'.
func matchAction(pattern, action string) bool {
	return wildcardMatch(asciiLower(pattern), asciiLower(action))
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// compileResource compiles a Resource/NotResource pattern. With variables
// on (policy language 2012-10-17), "${*}", "${?}" and "${$}" are the literal
// characters and any other "${...}" is a policy variable whose value the
// evaluator does not know: it becomes a '*' and hasVar is set, so a match
// means "might match". With variables off (Version missing or 2008-10-17)
// IAM reads "${...}" literally, and so does this.
func compileResource(pattern string, variables bool) (tokens []rune, hasVar bool) {
	if !variables || !strings.Contains(pattern, "${") {
		return compileGlob(pattern), false
	}
	out := make([]rune, 0, len(pattern))
	for rest := pattern; rest != ""; {
		open := strings.Index(rest, "${")
		if open < 0 {
			out = append(out, compileGlob(rest)...)
			break
		}
		closing := strings.IndexByte(rest[open:], '}')
		if closing < 0 {
			// An unterminated "${" is not a variable: plain text.
			out = append(out, compileGlob(rest)...)
			break
		}
		out = append(out, compileGlob(rest[:open])...)
		switch name := rest[open+2 : open+closing]; name {
		case "*", "?", "$":
			out = append(out, rune(name[0]))
		default:
			out = append(out, tokStar)
			hasVar = true
		}
		rest = rest[open+closing+1:]
	}
	return out, hasVar
}
