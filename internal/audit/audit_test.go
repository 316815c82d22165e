package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

func TestAppendWritesPrivateJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ecsdoctor", "audit.log")
	calls := []awsx.CallRecord{{Operation: "ec2:CreateSecurityGroup", Outcome: awsx.OutcomeApplied, Undo: "undo-1"}, {Operation: "ec2:CreateVpcEndpoint", Outcome: awsx.OutcomeApplied, Undo: "undo-2"}}
	for i := 0; i < 2; i++ {
		if err := Append(path, Entry{Time: time.Unix(0, 0).UTC(), FixID: "create-interface-endpoint:logs", Result: "applied", Calls: calls, Undo: UndoCommands(calls)}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v, want 0600", st.Mode().Perm())
	}
	f, _ := os.Open(path)
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d is not JSON: %v", n, err)
		}
		if e.Undo[0] != "undo-2" {
			t.Errorf("undo must reverse the calls in reverse order: %v", e.Undo)
		}
	}
	if n != 2 {
		t.Errorf("%d lines, want 2 (appended, not overwritten)", n)
	}
}

func TestDefaultPathHonoursXDG(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if got := DefaultPath(); got != "/x/state/ecsdoctor/audit.log" {
		t.Errorf("DefaultPath = %s", got)
	}
}
