// Package backend is what the interactive UI asks of AWS, in the UI's terms:
// lists of clusters and services that arrive page by page, a diagnosis that
// streams in part by part, and a task's log lines. It only wires the awsx
// readers (all AWS I/O) to the workflow, so the UI never touches an SDK
// client and every call it makes has a timeout.
package backend

import (
	"context"
	"sort"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// The rows and pages the UI shows.
type (
	ClusterSummary = facts.ClusterSummary
	ServiceSummary = facts.ServiceSummary
	LogPage        = facts.LogPage
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
	// ReadOnly refuses every fix (--read-only).
	ReadOnly bool
	// AuditPath is where applied fixes are logged (default audit.DefaultPath()).
	AuditPath string
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
	return awsx.Identity(ctx, b.R)
}

// Clusters lists every cluster with its counts.
func (b *Backend) Clusters(ctx context.Context) ([]ClusterSummary, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout())
	defer cancel()
	return awsx.ListClusters(ctx, b.R)
}

// Services lists a cluster's services, handing rows to onRows as they arrive.
func (b *Backend) Services(ctx context.Context, cluster string, onRows func([]ServiceSummary)) error {
	return awsx.ListServices(ctx, b.R, cluster, b.timeout(), onRows)
}

// SortServices puts unhealthy services first, then by name.
func SortServices(rows []ServiceSummary) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Unhealthy != rows[j].Unhealthy {
			return rows[i].Unhealthy
		}
		return rows[i].Name < rows[j].Name
	})
}

// TaskLogs reads a log stream (the latest lines, or after token to follow).
func (b *Backend) TaskLogs(ctx context.Context, group, stream, token string, limit int32) (LogPage, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout())
	defer cancel()
	return awsx.ReadLogStream(ctx, b.R, group, stream, token, limit)
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
