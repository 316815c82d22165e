package backend

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/audit"
	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// ErrReadOnly is returned when a fix is applied in read-only mode.
var ErrReadOnly = errors.New("read-only mode: ecsdoctor applies no fix (started with --read-only)")

// FixResult is what applying (or dry-running) one fix did.
type FixResult struct {
	Fix     *workflow.Fix
	Finding *workflow.Finding
	DryRun  bool
	Calls   []awsx.CallRecord
	// Err is AWS refusing the change (an *awsx.ApplyError), or nil.
	Err error
	// After is the diagnosis re-run once the change was made; Resolved says
	// whether the finding the fix addresses is gone.
	After    *workflow.Diagnosis
	Resolved bool
	// Redeploy is the follow-up fix when the change reaches only new tasks.
	Redeploy *workflow.Fix
	// AuditError is set when the audit log could not be written.
	AuditError error
}

// InPlace reports whether every call found its change already made.
func (r *FixResult) InPlace() bool {
	for _, c := range r.Calls {
		if c.Outcome != awsx.OutcomeInPlace {
			return false
		}
	}
	return len(r.Calls) > 0
}

// ApplyFix applies one fix of diagnosis d, or dry-runs it. The context must
// carry the user's approval (awsx.WithApproval, or WithDryRunApproval for a
// dry run) given after they saw the change: without it the AWS layer
// refuses every mutating call. The outcome is appended to the audit log,
// and after a real change the diagnosis is run again to see whether the
// finding is gone.
func (b *Backend) ApplyFix(ctx context.Context, req awsx.Request, d *workflow.Diagnosis, fixID string, dryRun bool) (*FixResult, error) {
	fix, _ := d.Fix(fixID)
	if fix == nil || fix.Plan == nil {
		return nil, fmt.Errorf("fix %s is not offered by this diagnosis", fixID)
	}
	return b.Apply(ctx, req, d, fix, dryRun)
}

// Apply applies (or dry-runs) a fix of diagnosis d given as a value: one
// the diagnosis offers, or a follow-up such as the redeploy a FixResult
// offers. The same approval rule holds: the context must carry it.
func (b *Backend) Apply(ctx context.Context, req awsx.Request, d *workflow.Diagnosis, fix *workflow.Fix, dryRun bool) (*FixResult, error) {
	if fix == nil || fix.Plan == nil {
		return nil, fmt.Errorf("nothing to apply")
	}
	if b.W == nil {
		return nil, fmt.Errorf("this source cannot apply fixes")
	}
	_, finding := d.Fix(fix.ID)
	if finding == nil {
		finding = &workflow.Finding{ID: fix.Kind, Title: fix.Title}
	}
	if b.ReadOnly && !dryRun {
		return nil, ErrReadOnly
	}
	res := &FixResult{Fix: fix, Finding: finding, DryRun: dryRun}
	applier := &awsx.Applier{W: b.W, R: b.R, Region: d.Target.Region}
	actx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	res.Calls, res.Err = applier.Apply(actx, fix.Plan, dryRun)
	res.AuditError = b.audit(d, fix, finding, res)
	if dryRun || res.Err != nil {
		return res, nil
	}
	after, err := b.Diagnose(ctx, req, nil)
	if err != nil {
		return res, fmt.Errorf("the change was made, but the diagnosis could not run again: %w", err)
	}
	res.After = after
	res.Resolved = !stillReported(after, finding)
	if fix.Redeploy && !serviceSteady(after) {
		res.Redeploy = workflow.RedeployFix(after)
	}
	return res, nil
}

// stillReported reports whether the finding (same id and attrs) is in d.
func stillReported(d *workflow.Diagnosis, f *workflow.Finding) bool {
	for _, g := range d.Findings {
		if g.ID != f.ID || len(g.Attrs) != len(f.Attrs) {
			continue
		}
		same := true
		for k, v := range f.Attrs {
			if g.Attrs[k] != v {
				same = false
			}
		}
		if same {
			return true
		}
	}
	return false
}

func serviceSteady(d *workflow.Diagnosis) bool {
	s := d.Facts.Service
	return s != nil && s.RunningCount >= s.DesiredCount && !d.HasErrors()
}

func (b *Backend) audit(d *workflow.Diagnosis, fix *workflow.Fix, finding *workflow.Finding, res *FixResult) error {
	e := audit.Entry{
		Time: time.Now().UTC(), Account: d.Target.Account, Region: d.Target.Region,
		Cluster: d.Target.Cluster, Service: d.Target.Service, FixID: fix.ID, DryRun: res.DryRun,
		Calls: res.Calls, Undo: audit.UndoCommands(res.Calls),
	}
	if finding != nil {
		e.Finding = finding.ID
	}
	if d.Facts != nil && d.Facts.Caller != nil {
		e.CallerARN = d.Facts.Caller.ARN
	}
	switch {
	case res.Err != nil:
		e.Result, e.Error = "failed", res.Err.Error()
	case res.DryRun:
		e.Result = "dry run"
	case res.InPlace():
		e.Result = "already in place"
	default:
		e.Result = "applied"
	}
	path := b.AuditPath
	if path == "" {
		path = audit.DefaultPath()
	}
	return audit.Append(path, e)
}
