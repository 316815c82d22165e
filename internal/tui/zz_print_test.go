package tui

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/report"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

func TestZZPrint(t *testing.T) {
	for _, n := range []string{"no-endpoints", "policy-not-attached", "healthcheck-curl-alpine", "db-sg-blocked"} {
		b, _ := os.ReadFile("testdata/facts/" + n + ".json")
		var fx factsFixture
		json.Unmarshal(b, &fx)
		d := workflow.Diagnose(fx.Facts)
		report.WriteText(os.Stdout, d, report.Options{Width: 120})
		e, _ := json.MarshalIndent(d.Evidence, "", " ")
		os.Stdout.Write(e[:min(len(e), 2500)])
	}
}
