package scenario

import "testing"

// Every built-in scenario must parse, validate, and carry what the demo
// (a Lesson) and the tests (an Expect) need.
func TestEmbeddedScenarios(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no embedded scenarios")
	}
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.Name] {
			t.Errorf("two scenarios are named %q", s.Name)
		}
		seen[s.Name] = true
		if s.Title == "" {
			t.Errorf("%s: no title", s.Name)
		}
		if l := s.Lesson; l == nil || l.WhatWentWrong == "" || l.WhereToLook == "" || l.FixTeaches == "" || l.AWSError == "" {
			t.Errorf("%s: lesson missing or incomplete", s.Name)
		}
		if e := s.Expect; e == nil || (len(e.Findings) == 0 && !e.NoErrors) {
			t.Errorf("%s: expect missing or empty", s.Name)
		}
		got, err := ByName(s.Name)
		if err != nil || got.Name != s.Name {
			t.Errorf("ByName(%q) = %v, %v", s.Name, got, err)
		}
	}
	if _, err := ByName("no-such-scenario"); err == nil {
		t.Error("ByName of an unknown name did not fail")
	}
}
