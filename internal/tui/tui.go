// Package tui is the interactive troubleshooter: cluster and service
// pickers, the seven-step workflow with its evidence and findings, drill-downs,
// a log viewer and the fix dialog. It renders workflow.Diagnosis values that
// a Source streams in; it never talks to an AWS SDK client itself.
package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Source is what the UI asks of AWS. *backend.Backend implements it; tests
// use fakes. Services and Diagnose stream: onRows and progress may be called
// from several goroutines at once, and must not be called after the call
// returns.
type Source interface {
	Identity(ctx context.Context) (facts.Caller, error)
	Clusters(ctx context.Context) ([]backend.ClusterSummary, error)
	Services(ctx context.Context, cluster string, onRows func([]backend.ServiceSummary)) error
	Diagnose(ctx context.Context, req awsx.Request, progress func(*workflow.Diagnosis)) (*workflow.Diagnosis, error)
	TaskLogs(ctx context.Context, group, stream, token string, limit int32) (backend.LogPage, error)
	// Apply applies (or dry-runs) a fix of d. The context carries the
	// approval the fix dialog gives when the user presses y (or d).
	Apply(ctx context.Context, req awsx.Request, d *workflow.Diagnosis, fix *workflow.Fix, dryRun bool) (*backend.FixResult, error)
}

// The product's backend is the Source the commands pass.
var _ Source = (*backend.Backend)(nil)

// Options set what the UI opens on and how it behaves.
type Options struct {
	// Cluster, Service and Task skip the pickers: with Cluster the UI opens
	// on the service picker, with Service (or Task) on the workflow.
	Cluster, Service, Task string
	// Refresh re-diagnoses the service this often; 0 turns it off.
	Refresh time.Duration
	// ReadOnly hides the fix key; the fix dialog shows fixes but refuses
	// to apply them.
	ReadOnly bool
	// NoColor renders without colour (bold and reverse still mark the
	// selection). NO_COLOR in the environment has the same effect in Run.
	NoColor bool
	// Profile and Region are shown in the header.
	Profile, Region string
	// Demo marks the header: the account is the built-in simulation.
	Demo bool
	// CallTimeout bounds each list or log call (default 30 s); a whole
	// diagnosis gets four times as long.
	CallTimeout time.Duration
	// Now is the clock for ages and the refresh time (tests fix it).
	Now func() time.Time
	// Theme is the palette: ThemeDark or ThemeLight forces it; ThemeAuto
	// (or "") follows the terminal's background. NoColor outranks it.
	Theme string
	// Profiles lists the profile names P offers (the shared config and
	// credentials files).
	Profiles func() ([]string, error)
	// Switch opens the account of another profile and region; the UI then
	// asks the new source who it is before leaving the current one. nil:
	// switching is unavailable (the demo account).
	Switch func(ctx context.Context, profile, region string) (Source, error)
}

// The themes Options.Theme accepts (the configuration file's theme key).
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
)

func (o Options) callTimeout() time.Duration {
	if o.CallTimeout > 0 {
		return o.CallTimeout
	}
	return 30 * time.Second
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Run shows the UI on the terminal until the user quits. Every AWS call the
// UI started is cancelled when it returns. ctx cancelled ends the UI too.
func Run(ctx context.Context, src Source, opts Options) error {
	if noColorEnv() {
		opts.NoColor = true
	}
	m := newModel(ctx, src, opts)
	defer m.cancel()
	p := tea.NewProgram(m, tea.WithContext(ctx))
	_, err := p.Run()
	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted):
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ctx.Err()
	}
	return err
}
