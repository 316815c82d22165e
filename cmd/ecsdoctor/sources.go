package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/sim"
)

// demoCluster is the cluster of the demo account; each scenario is a
// service of it, named after the scenario.
const demoCluster = "demo"

// demoAll is --demo without a scenario name: every scenario at once.
const demoAll = "all"

// usingSimulator reports whether the flags select the demo account or a
// snapshot instead of AWS.
func (g *globalFlags) usingSimulator() bool { return g.demo != "" || g.from != "" }

// simBackend builds a backend on the simulated account: the demo scenarios
// (--demo [NAME]) or a snapshot file (--from FILE). No credentials, no network.
func (g *globalFlags) simBackend() (*backend.Backend, error) {
	var acct *sim.Account
	switch {
	case g.from != "":
		sc, err := scenario.Load(g.from)
		if err != nil {
			return nil, &exitError{code: exitInput, msg: fmt.Sprintf("cannot read --from %s: %v", g.from, oneLine(err))}
		}
		acct, err = sim.New(sim.Options{Replay: true}, sc)
		if err != nil {
			return nil, &exitError{code: exitInput, msg: fmt.Sprintf("cannot load snapshot %s: %v", g.from, oneLine(err))}
		}
		if len(sc.World.Clusters) > 0 && len(sc.World.Clusters[0].Services) > 0 {
			if g.cluster == "" {
				g.cluster = sc.World.Clusters[0].Name
			}
			if g.service == "" && g.task == "" {
				g.service = sc.World.Clusters[0].Services[0].Name
			}
		}
	default:
		scs, err := demoScenarios(g.demo)
		if err != nil {
			return nil, err
		}
		// A learner watches a fix take effect: run at four times AWS's pace.
		acct, err = sim.NewDemo(sim.Options{Speed: 0.25}, scs...)
		if err != nil {
			return nil, err
		}
		if g.cluster == "" {
			g.cluster = demoCluster
		}
		if g.service == "" && g.task == "" && g.demo != demoAll {
			g.service = g.demo
		}
	}
	return &backend.Backend{R: acct.Readers(), W: acct.Writers(), Profile: "demo", Demo: true, ReadOnly: g.readOnly, AuditPath: os.DevNull}, nil
}

// demoScenarios returns the scenario named, or all of them.
func demoScenarios(name string) ([]*scenario.Scenario, error) {
	if name == demoAll {
		return scenario.All()
	}
	sc, err := scenario.ByName(name)
	if err != nil {
		return nil, &exitError{code: exitInput, msg: fmt.Sprintf("unknown demo scenario %q: list them with `ecsdoctor demo --list`", name)}
	}
	return []*scenario.Scenario{sc}, nil
}

// open returns the source the flags select (AWS, the demo account or a
// snapshot) and the validated target in it. The simulator may fill in the
// target's defaults, so the target is read after the source is opened.
func (g *globalFlags) open(cmd *cobra.Command) (*backend.Backend, awsx.Request, func(), error) {
	b, closeLog, err := g.anyBackend(cmd)
	if err != nil {
		return nil, awsx.Request{}, closeLog, err
	}
	req, err := g.target()
	if err != nil {
		closeLog()
		return nil, awsx.Request{}, func() {}, err
	}
	return b, req, closeLog, nil
}

// anyBackend is the simulated account when the flags ask for it, else AWS.
func (g *globalFlags) anyBackend(cmd *cobra.Command) (*backend.Backend, func(), error) {
	if g.usingSimulator() {
		b, err := g.simBackend()
		return b, func() {}, err
	}
	return g.backend(cmd.Context())
}

// demoArgs takes the scenario name of `--demo NAME`: with --demo's value
// optional, the name arrives as the command's extra positional argument.
// want is how many positional arguments the command itself takes.
func (g *globalFlags) demoArgs(args []string, want int) ([]string, error) {
	if len(args) == want {
		return args, nil
	}
	if len(args) == want+1 && g.demo == demoAll {
		g.demo = args[want]
		return args[:want], nil
	}
	return nil, &exitError{code: exitInput, msg: fmt.Sprintf("unexpected argument %q (see --help)", args[len(args)-1])}
}

// targetFlags repeats the flags that select the current target, for the
// commands ecsdoctor suggests next.
func (g *globalFlags) targetFlags() string {
	var parts []string
	switch {
	case g.from != "":
		parts = append(parts, "--from "+g.from)
	case g.demo != "" && g.demo != demoAll:
		return "--demo " + g.demo
	case g.demo != "":
		parts = append(parts, "--demo")
	}
	if g.cluster != "" && g.demo == "" {
		parts = append(parts, "--cluster "+g.cluster)
	}
	if g.service != "" {
		parts = append(parts, "--service "+g.service)
	}
	if g.profile != "" {
		parts = append(parts, "--profile "+g.profile)
	}
	if g.region != "" {
		parts = append(parts, "--region "+g.region)
	}
	return strings.Join(parts, " ")
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
