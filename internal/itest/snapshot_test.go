package itest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/sim"
)

// TestSnapshotRoundTrip: a snapshot of a diagnosis in moto, written as
// JSON, read back and replayed offline in the simulator, diagnoses to the
// same findings, with secret-looking values redacted.
func TestSnapshotRoundTrip(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			b := build(t, sc)
			live, _ := b.diagnose(t, b.target())
			raw, err := json.Marshal(scenario.FromFacts(live.Facts, time.Now(), nil))
			if err != nil {
				t.Fatal(err)
			}
			snap, err := scenario.Parse(raw)
			if err != nil {
				t.Fatalf("the snapshot does not parse as a scenario: %v\n%s", err, raw)
			}
			acct, err := sim.New(sim.Options{Replay: true}, snap)
			if err != nil {
				t.Fatal(err)
			}
			be := &backend.Backend{R: acct.Readers()}
			offline, err := be.Diagnose(context.Background(), b.target(), nil)
			if err != nil {
				t.Fatal(err)
			}
			got, want := normalized(offline, nil), normalized(live, nil)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("offline diagnosis of the snapshot differs.\nlive:\n  %s\noffline:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
			}
		})
	}
}

func TestSnapshotRedactsSecrets(t *testing.T) {
	for name, want := range map[string]string{"DB_PASSWORD": "REDACTED", "API_TOKEN": "REDACTED", "DB_HOST": "db.example.com"} {
		if got := scenario.RedactValue(name, map[string]string{"DB_HOST": "db.example.com"}[name]+"x"); (want == "REDACTED") != (got == "REDACTED") {
			t.Errorf("RedactValue(%s) = %q", name, got)
		}
	}
	if got := scenario.RedactValue("DATABASE_URL", "postgres://app:hunter2@db:5432/x"); strings.Contains(got, "hunter2") {
		t.Errorf("the password in a URL must be redacted: %s", got)
	}
	if got := scenario.RedactValue("SIGNING_SEED", "q3V9dXJ1bmRvbUtleVRoYXRMb29rc0xpa2VBU2VjcmV0"); got != "REDACTED" {
		t.Errorf("a high-entropy value must be redacted: %s", got)
	}
}
