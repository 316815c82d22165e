package main

import (
	"os"
	"strings"
	"testing"
)

// The README's first screen (what a terminal shows before scrolling) is
// where a newcomer starts: it must hold the two commands that work on a
// fresh machine, and warn that the first of them compiles silently for
// minutes, with the faster way for repeated use.
func TestReadmeFirstScreen(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	if len(lines) > 35 {
		lines = lines[:35]
	}
	screen := strings.Join(lines, "\n")
	for _, want := range []string{
		"go run ./cmd/ecsdoctor demo",
		"go test ./...",
		"minutes",                               // the cold compile is announced
		"go build -o ecsdoctor ./cmd/ecsdoctor", // and the faster way shown
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the README's first screen does not say %q", want)
		}
	}
}
