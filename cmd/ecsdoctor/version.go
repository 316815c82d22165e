package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// Set at release time with -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func newVersionCmd(s *streams) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Long: "version prints the version, commit and build date (\"dev\" for a build from source).\n" +
			"With --verbose it also prints the Go version and the paths in use: the configuration file,\n" +
			"the state directory, the audit log and the AWS shared config and credentials files.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if _, err := fmt.Fprintf(s.Out, "ecsdoctor %s (commit %s, built %s)\n", version, commit, date); err != nil {
				return err
			}
			if verbose {
				return writePaths(s.Out)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also print the Go version and the configuration, state and audit-log paths")
	return cmd
}
