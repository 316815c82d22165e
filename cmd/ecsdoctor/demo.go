package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

func newDemoCmd(s *streams, g *globalFlags) *cobra.Command {
	var list bool
	cmd := &cobra.Command{
		Use:   "demo [SCENARIO]",
		Short: "Explore ecsdoctor on a built-in simulated AWS account with broken services",
		Long: "demo opens the troubleshooter on a simulated account (no credentials, no network) holding\n" +
			"one service per scenario in cluster \"demo\": each reproduces a real failure from the field\n" +
			"notes ecsdoctor comes from. Fix a scenario and watch its service recover.",
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			all, _ := scenario.All()
			var names []string
			for _, sc := range all {
				names = append(names, sc.Name+"\t"+sc.Title)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				all, err := scenario.All()
				if err != nil {
					return err
				}
				for _, sc := range all {
					fmt.Fprintf(s.Out, "%-26s %s\n", sc.Name, sc.Title)
				}
				return nil
			}
			g.demo = demoAll
			if len(args) == 1 {
				g.demo = args[0]
			}
			b, err := g.simBackend()
			if err != nil {
				return err
			}
			return runInteractive(cmd, s, g, b)
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the scenarios, one per line: name, then title")
	return cmd
}
