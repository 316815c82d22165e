package scenario

import (
	"regexp"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Redacted replaces a value a snapshot must not carry.
const Redacted = "REDACTED"

// secretName matches environment variable names that usually hold secrets.
var secretName = regexp.MustCompile(`(?i)(pass(word|wd)?|pwd|secret|token|api_?key|access_?key|private|credential|auth|signing|salt|cookie)`)

// urlCredentials matches the user:password part of a URL.
var urlCredentials = regexp.MustCompile(`(://[^:/@\s]+:)[^@/\s]+@`)

// highEntropy matches long runs that look like keys or tokens.
var highEntropy = regexp.MustCompile(`^[A-Za-z0-9+/=_\-]{32,}$`)

// redactContainers copies container definitions with secret-looking
// environment values replaced. Secret references (valueFrom ARNs) are kept:
// they name where a secret lives, not what it is.
func redactContainers(cs []facts.ContainerDefinition) []facts.ContainerDefinition {
	out := make([]facts.ContainerDefinition, len(cs))
	for i, c := range cs {
		c.Environment = append([]facts.KeyValue(nil), c.Environment...)
		for j, kv := range c.Environment {
			c.Environment[j].Value = RedactValue(kv.Name, kv.Value)
		}
		out[i] = c
	}
	return out
}

// RedactValue returns the value to keep for an environment variable.
func RedactValue(name, value string) string {
	if value == "" {
		return value
	}
	if secretName.MatchString(name) || highEntropy.MatchString(value) {
		return Redacted
	}
	return urlCredentials.ReplaceAllString(value, "${1}"+Redacted+"@")
}

// redactLine removes credentials from a log line (URLs with passwords).
func redactLine(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlCredentials.ReplaceAllString(s, "${1}"+Redacted+"@")
}
