// Package backend is what the interactive UI asks of AWS, in the UI's terms:
// lists of clusters and services that arrive page by page, a diagnosis that
// streams in part by part, and a task's log lines. It wires the awsx
// readers to the workflow so the UI never touches an SDK client.
package backend

import (
	"context"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Backend serves one account and region.
type Backend struct {
	R *awsx.Readers
	W *awsx.Writers
	// Profile and Demo are shown in the UI's header.
	Profile string
	Demo    bool
	// CallTimeout bounds each call the UI makes (default 15 s).
	CallTimeout time.Duration
}

func (b *Backend) timeout() time.Duration {
	if b.CallTimeout > 0 {
		return b.CallTimeout
	}
	return 15 * time.Second
}

// Identity returns the account the credentials belong to.
func (b *Backend) Identity(ctx context.Context) (facts.Caller, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout())
	defer cancel()
	return identity(ctx, b.R)
}

// Diagnose gathers the facts for req and runs the workflow. progress, when
// set, receives a diagnosis of the partial facts each time a part arrives,
// so the UI can fill in steps as their data comes.
func (b *Backend) Diagnose(ctx context.Context, req awsx.Request, progress func(*workflow.Diagnosis)) (*workflow.Diagnosis, error) {
	g := &awsx.Gatherer{R: b.R, Needs: workflow.RequiredPermissions}
	if progress != nil {
		g.Progress = func(f facts.Facts) { progress(workflow.Diagnose(&f)) }
	}
	f, err := g.Gather(ctx, req)
	if err != nil {
		return nil, err
	}
	return workflow.Diagnose(f), nil
}
