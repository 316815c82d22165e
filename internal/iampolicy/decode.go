package iampolicy

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// errEmpty is returned for documents that hold nothing but whitespace.
var errEmpty = errors.New("iampolicy: empty policy document")

// decodeDocument returns the JSON text of a policy document as IAM or an
// emulator returned it. Real IAM percent-encodes documents (RFC 3986), some
// emulators return plain JSON, and callers may already have decoded them.
// A document whose first character is '{' is plain JSON and is never decoded:
// a '%' inside it (say in a Condition value) is just a character.
func decodeDocument(doc string) (string, error) {
	s := trimDoc(doc)
	if s == "" {
		return "", errEmpty
	}
	if s[0] != '%' {
		return s, nil
	}
	decoded, err := url.PathUnescape(s)
	if err != nil {
		return "", fmt.Errorf("iampolicy: policy document looks URL-encoded but does not decode: %w", err)
	}
	// RFC 3986 encoding writes a space as %20, form encoding as '+'. If the
	// RFC reading is not JSON and form decoding gives JSON, the producer
	// used form encoding.
	if !json.Valid([]byte(decoded)) && strings.Contains(s, "+") {
		if alt, err := url.QueryUnescape(s); err == nil && json.Valid([]byte(alt)) {
			decoded = alt
		}
	}
	decoded = trimDoc(decoded)
	if decoded == "" {
		return "", errEmpty
	}
	if decoded[0] == '%' {
		// Decoding once more could only help a doubly encoded document,
		// and guessing here risks corrupting a real one: say so instead.
		return "", errors.New("iampolicy: policy document is still URL-encoded after decoding once (encoded twice?)")
	}
	return decoded, nil
}

// trimDoc drops surrounding whitespace and a UTF-8 byte order mark, which
// files saved by some editors carry and which JSON parsing rejects.
func trimDoc(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "\ufeff")
	return strings.TrimSpace(s)
}
