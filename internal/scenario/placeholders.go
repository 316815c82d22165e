package scenario

import (
	"regexp"
	"strings"
)

var placeholder = regexp.MustCompile(`\{\{\s*([a-z0-9]+)(?::([^}]*))?\s*\}\}`)

// Resolver answers a placeholder: kind is the part before the colon
// ("secret", "account", ...), name the part after it (empty for bare kinds).
type Resolver func(kind, name string) (string, bool)

// Resolve replaces every placeholder the resolver knows; unknown ones stay
// as they are so that a later pass (or a test failure message) shows them.
func Resolve(s string, r Resolver) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		if v, ok := r(sub[1], strings.TrimSpace(sub[2])); ok {
			return v
		}
		return m
	})
}

// Placeholders lists the placeholders in s as kind:name pairs.
func Placeholders(s string) [][2]string {
	var out [][2]string
	for _, sub := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, [2]string{sub[1], strings.TrimSpace(sub[2])})
	}
	return out
}
