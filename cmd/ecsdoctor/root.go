package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
)

// globalFlags are the flags every command takes (contract.md).
type globalFlags struct {
	profile, region, endpointURL string
	cluster, service, task       string
	readOnly, noColor            bool
	debugLog                     string
	// demo selects the built-in demo account (a scenario name, or "all");
	// from selects a snapshot file. Either replaces AWS with the simulator.
	demo, from string
	// refresh is the TUI's automatic refresh period in seconds (0: off).
	refresh float64
	// theme is the TUI's colour theme from the config file (auto, dark,
	// light; "" is auto).
	theme string
}

func newRootCmd(s *streams) *cobra.Command { return newRootCmdFor(s, &globalFlags{}) }

// newRootCmdFor builds the command tree around g, which the flags and the
// configuration file fill before a command runs.
func newRootCmdFor(s *streams, g *globalFlags) *cobra.Command {
	root := &cobra.Command{
		Use:   "ecsdoctor",
		Short: "Find why an ECS task will not start, and fix it",
		Long: "ecsdoctor walks the ECS debugging workflow (service events, stopped tasks, stop reason,\n" +
			"logs, VPC endpoints, IAM, security groups) against your AWS account, explains each problem\n" +
			"with its evidence, and offers fixes you apply only after seeing exactly what they change.\n\n" +
			"Defaults for --profile, --region, --refresh, --read-only and --no-color can live in\n" +
			"$XDG_CONFIG_HOME/ecsdoctor/config.yaml (~/.config/ecsdoctor/config.yaml); flags override it.\n" +
			"`ecsdoctor version --verbose` shows the paths in use.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		// The configuration file fills in what the flags leave unset.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if skipsConfig(cmd) {
				return nil
			}
			return g.applyConfig(cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !s.inTTY || !s.outTTY {
				return runInteractive(cmd, s, g, &backend.Backend{Demo: false})
			}
			b, closeLog, err := g.backend(cmd.Context())
			if err != nil {
				return err
			}
			defer closeLog()
			return runInteractive(cmd, s, g, b)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.profile, "profile", "", "AWS shared config profile (default: AWS_PROFILE or the default profile)")
	pf.StringVar(&g.region, "region", "", "AWS region (default: AWS_REGION or the profile's region)")
	pf.StringVar(&g.endpointURL, "endpoint-url", "", "base URL for every AWS service (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> work too)")
	pf.StringVar(&g.cluster, "cluster", "", "ECS cluster name or ARN")
	pf.StringVar(&g.service, "service", "", "ECS service name or ARN")
	pf.StringVar(&g.task, "task", "", "task ARN or id to diagnose instead of the service's latest stopped task")
	pf.BoolVar(&g.readOnly, "read-only", false, "never apply fixes; hide fix keys")
	pf.BoolVar(&g.noColor, "no-color", false, "disable colour (NO_COLOR is honoured too)")
	pf.StringVar(&g.debugLog, "debug-log", "", "append one line per AWS request to `FILE`")
	pf.Float64Var(&g.refresh, "refresh", 5, "interactive: re-diagnose every `SECONDS` (0 turns it off)")
	addSourceFlags := func(c *cobra.Command) {
		c.Flags().StringVar(&g.demo, "demo", "", "use the built-in demo account instead of AWS: a scenario `NAME` (see `ecsdoctor demo --list`)")
		c.Flags().Lookup("demo").NoOptDefVal = demoAll
		c.Flags().StringVar(&g.from, "from", "", "diagnose a snapshot `FILE` (from `ecsdoctor snapshot`) offline")
	}
	diagnose, fix, snapshot := newDiagnoseCmd(s, g), newFixCmd(s, g), newSnapshotCmd(s, g)
	for _, c := range []*cobra.Command{diagnose, fix, snapshot} {
		addSourceFlags(c)
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitInput, msg: err.Error() + " (see --help)"}
	})
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.AddCommand(diagnose, fix, snapshot, newDemoCmd(s, g), newVersionCmd(s), newManCmd(s))
	registerCompletions(root)
	return root
}

// session loads the AWS configuration the flags select.
func (g *globalFlags) session(ctx context.Context) (*awsx.Session, func(), error) {
	opts := awsx.Options{Profile: g.profile, Region: g.region, EndpointURL: g.endpointURL}
	closer := func() {}
	if g.debugLog != "" {
		f, err := os.OpenFile(g.debugLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, closer, &exitError{code: exitInput, msg: fmt.Sprintf("cannot open --debug-log: %v", err)}
		}
		opts.DebugLog = f
		closer = func() { f.Close() }
	}
	sess, err := awsx.Load(ctx, opts)
	if err != nil {
		closer()
		return nil, func() {}, err
	}
	return sess, closer, nil
}

// backend builds the AWS-backed backend the flags select.
func (g *globalFlags) backend(ctx context.Context) (*backend.Backend, func(), error) {
	sess, closeLog, err := g.session(ctx)
	if err != nil {
		return nil, closeLog, err
	}
	return &backend.Backend{R: awsx.NewReaders(sess), W: awsx.NewWriters(sess), Profile: sess.Profile, ReadOnly: g.readOnly}, closeLog, nil
}

// target validates the target flags: a cluster and a service, or a task.
// A task ARN names its cluster, so --cluster may be left out then.
func (g *globalFlags) target() (awsx.Request, error) {
	req := awsx.Request{Cluster: g.cluster, Service: g.service, Task: g.task}
	if req.Cluster == "" && strings.HasPrefix(req.Task, "arn:") {
		// arn:aws:ecs:region:account:task/CLUSTER/ID
		if parts := strings.Split(req.Task, "/"); len(parts) == 3 {
			req.Cluster = parts[1]
		}
	}
	if req.Cluster == "" {
		return req, &exitError{code: exitInput, msg: "--cluster is required (or a --task ARN that names its cluster)"}
	}
	if req.Service == "" && req.Task == "" {
		return req, &exitError{code: exitInput, msg: "--service or --task is required"}
	}
	return req, nil
}
