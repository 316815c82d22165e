package main

import (
	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/awsprofiles"
	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// registerCompletions adds dynamic completion of flag values to the tree:
// regions, the profiles of the AWS shared config and credentials files,
// output formats, demo scenarios and snapshot files. cobra's own
// `completion bash|zsh|fish|powershell` command prints the scripts.
func registerCompletions(root *cobra.Command) {
	noFiles := cobra.ShellCompDirectiveNoFileComp
	must(root.RegisterFlagCompletionFunc("region", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return awsx.KnownRegions(), noFiles
	}))
	must(root.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return awsprofiles.Names(), noFiles
	}))
	for _, name := range []string{"refresh", "cluster", "service", "task", "endpoint-url"} {
		must(root.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions))
	}
	for _, c := range root.Commands() {
		if c.Flags().Lookup("output") != nil {
			must(c.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{
				"text\thuman-readable, the default", "json\tfor scripts (schema: docs/contract.md)", "markdown\tfor an incident ticket",
			}, noFiles)))
		}
		if c.Flags().Lookup("demo") != nil {
			must(c.RegisterFlagCompletionFunc("demo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return scenarioNames(), noFiles
			}))
		}
		if c.Flags().Lookup("from") != nil {
			must(c.MarkFlagFilename("from", "json"))
		}
	}
}

// scenarioNames are the demo scenarios, each with its title as the
// description shells show next to it.
func scenarioNames() []string {
	all, _ := scenario.All()
	names := make([]string, 0, len(all))
	for _, sc := range all {
		names = append(names, sc.Name+"\t"+sc.Title)
	}
	return names
}

// must panics on a programming error in the command tree (a flag name that
// does not exist), which every test run would catch at once.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
