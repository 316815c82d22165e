//go:build capture

package tui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/motoworld"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// TestCaptureFixtures rebuilds testdata/facts/*.json: every embedded
// scenario built in moto and gathered through the product's own path. The
// TUI's tests read these files so that they need no server; run it with
// `go test -tags capture -run TestCaptureFixtures ./internal/tui/` after a
// scenario changes (until the demo account replaces it).
func TestCaptureFixtures(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	// Dummy credentials for moto, and no user configuration.
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_SESSION_TOKEN", "testing")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	srv := moto.Shared(t)
	for _, sc := range all {
		t.Run(sc.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := srv.Reset(ctx); err != nil {
				t.Fatal(err)
			}
			w, err := motoworld.Build(ctx, srv, sc)
			if err != nil {
				t.Fatal(err)
			}
			sess, err := awsx.Load(ctx, awsx.Options{Region: sc.Region, EndpointURL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			c := sc.World.Clusters[0]
			g := &awsx.Gatherer{R: awsx.NewReaders(sess), Needs: workflow.RequiredPermissions}
			f, err := g.Gather(ctx, awsx.Request{Cluster: c.Name, Service: c.Services[0].Name})
			if err != nil {
				t.Fatal(err)
			}
			fx := factsFixture{Scenario: sc.Name, Title: sc.Title, CapturedAt: w.Now, Facts: f}
			b, err := json.MarshalIndent(fx, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata", "facts", sc.Name+".json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}
