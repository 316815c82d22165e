package workflow

import "testing"

// A deleted (INACTIVE) service is diagnosed: step 1 says it is gone.
func TestInactiveServiceIsNotFound(t *testing.T) {
	f := newFacts()
	f.Service.Status = "INACTIVE"
	d := Diagnose(f)
	if s := d.Step(StepEvents); s.Status != StatusFail || len(s.Findings) != 1 || s.Findings[0] != "service.not-found" {
		t.Fatalf("events step %+v", s)
	}
}
