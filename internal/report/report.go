// Package report renders a diagnosis for people (text, Markdown) and for
// scripts (JSON, the schema in contract.md).
package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Format is an output format of diagnose.
type Format string

const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

// ParseFormat validates --output.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case FormatText, FormatJSON, FormatMarkdown:
		return Format(s), nil
	}
	return "", fmt.Errorf("invalid --output %q: use text, json or markdown", s)
}

// Options tune the human formats.
type Options struct {
	Color bool
	Width int // wrap width for text; 0 means 100
}

// Write renders d in the format.
func Write(w io.Writer, d *workflow.Diagnosis, f Format, o Options) error {
	switch f {
	case FormatJSON:
		return WriteJSON(w, d)
	case FormatMarkdown:
		return WriteMarkdown(w, d)
	}
	return WriteText(w, d, o)
}

// WriteJSON writes the contract's JSON document.
func WriteJSON(w io.Writer, d *workflow.Diagnosis) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}
