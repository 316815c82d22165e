package main

import (
	"context"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/awsprofiles"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/tui"
)

// runInteractive opens the troubleshooter on b. Without a terminal it says
// so and points at the headless command.
func runInteractive(cmd *cobra.Command, s *streams, g *globalFlags, b *backend.Backend) error {
	if !s.inTTY || !s.outTTY {
		hint := "ecsdoctor diagnose --cluster C --service S"
		if b.Demo {
			hint = "ecsdoctor diagnose --demo SCENARIO"
		}
		return &exitError{code: exitInput, msg: "the interactive troubleshooter needs a terminal; for scripts and CI use `" + hint + "` (text, json or markdown)"}
	}
	var logs closers
	defer logs.close()
	return tui.Run(cmd.Context(), b, interactiveOptions(s, g, b, &logs))
}

// interactiveOptions are the UI's settings from the flags and the
// configuration file. The demo account (and a snapshot) cannot switch
// profile: there is only the one simulated account.
func interactiveOptions(s *streams, g *globalFlags, b *backend.Backend, logs *closers) tui.Options {
	opts := tui.Options{
		Cluster: g.cluster, Service: g.service, Task: g.task,
		Refresh:  time.Duration(g.refresh * float64(time.Second)),
		ReadOnly: g.readOnly, NoColor: g.noColor || !s.colorEnabled(g.noColor),
		Profile: b.Profile, Region: b.R.Region, Demo: b.Demo,
		Theme: g.theme,
	}
	if !b.Demo {
		opts.Profiles = profileNames
		opts.Switch = switchAccount(g, logs)
	}
	return opts
}

// profileNames are the profiles of the shared config and credentials files
// (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), as --profile completes
// them; a file that cannot be read is reported with the others' names.
func profileNames() ([]string, error) {
	ps, err := awsprofiles.Load()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names, err
}

// switchAccount opens another profile and region exactly as the flags
// would have: every other setting (--endpoint-url, --read-only,
// --debug-log, the call timeouts) stays as given.
func switchAccount(g *globalFlags, logs *closers) func(ctx context.Context, profile, region string) (tui.Source, error) {
	return func(ctx context.Context, profile, region string) (tui.Source, error) {
		to := *g
		to.profile, to.region = profile, region
		b, closeLog, err := to.backend(ctx)
		if err != nil {
			return nil, err
		}
		// The UI may still be finishing a call of this backend after the
		// next switch, so its debug log stays open until the UI ends.
		logs.add(closeLog)
		return b, nil
	}
}

// closers are files to close when the UI ends; switches add to them from
// the UI's goroutines.
type closers struct {
	mu  sync.Mutex
	fns []func()
}

func (c *closers) add(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = append(c.fns, f)
}

func (c *closers) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.fns {
		f()
	}
	c.fns = nil
}
