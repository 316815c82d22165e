package awsx

import (
	"errors"
	"testing"

	"github.com/aws/smithy-go"
)

// TestSendModes: how one plan call is made in each mode, and what is
// recorded. A dry run must never call an API that has no DryRun flag.
func TestSendModes(t *testing.T) {
	dryRunOK := &smithy.GenericAPIError{Code: "DryRunOperation", Message: "Request would have succeeded"}
	refused := &smithy.GenericAPIError{Code: "UnauthorizedOperation"}
	cases := []struct {
		name        string
		dryRun      bool
		flag        bool
		answer      error
		wantCalled  bool
		wantApplied bool
		wantOutcome string
		wantErr     bool
	}{
		{"dry run, no DryRun flag: not called", true, noDryRun, nil, false, false, OutcomeWouldCall, false},
		{"dry run, AWS says it would succeed", true, hasDryRun, dryRunOK, true, false, OutcomeDryRunOK, false},
		{"dry run, AWS refuses", true, hasDryRun, refused, true, false, "", true},
		{"dry run ignored by the API: it ran", true, hasDryRun, nil, true, true, OutcomeApplied, false},
		{"real call applied", false, noDryRun, nil, true, true, OutcomeApplied, false},
		{"real call refused", false, hasDryRun, refused, true, false, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := &applyState{dryRun: c.dryRun}
			var rec CallRecord
			called := false
			params := struct{ ID string }{"x"}
			applied, err := st.send(&rec, params, c.flag, func() error {
				called = true
				return c.answer
			})
			if called != c.wantCalled || applied != c.wantApplied || rec.Outcome != c.wantOutcome || (err != nil) != c.wantErr {
				t.Errorf("called=%v applied=%v outcome=%q err=%v; want called=%v applied=%v outcome=%q err=%v",
					called, applied, rec.Outcome, err, c.wantCalled, c.wantApplied, c.wantOutcome, c.wantErr)
			}
			if rec.Params != params {
				t.Errorf("params not recorded: %v", rec.Params)
			}
			if c.wantErr && !errors.Is(err, refused) {
				t.Errorf("error %v is not AWS's answer", err)
			}
		})
	}
}
