package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// newManCmd generates the man pages from the command tree, one per command
// (ecsdoctor.1, ecsdoctor-diagnose.1, ...). It is hidden: release builds run
// it (scripts/release-assets.sh) and ship the pages in the archives and packages.
// SOURCE_DATE_EPOCH sets the date in the pages, for reproducible builds.
func newManCmd(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write the man pages (section 1) into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return &exitError{code: exitInput, msg: fmt.Sprintf("cannot create %s: %v", dir, err)}
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			root.InitDefaultCompletionCmd()
			escapeFlagUsages(root)
			header := &doc.GenManHeader{Section: "1", Source: "ecsdoctor " + version, Manual: "ecsdoctor manual"}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return &exitError{code: exitInput, msg: fmt.Sprintf("writing man pages to %s: %v", dir, err)}
			}
			pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
			_, err := fmt.Fprintf(s.Err, "wrote %d man pages to %s\n", len(pages), dir)
			return err
		},
	}
}

// escapeFlagUsages makes flag help safe for the Markdown cobra/doc renders
// man pages from: AWS_ENDPOINT_URL_<SERVICE> would otherwise lose its
// underscore to emphasis and <SERVICE> to HTML. Text in backticks (pflag's
// `NAME` placeholders) is code and stays as it is. The process ends after
// writing the pages, so changing the flags in place is harmless.
func escapeFlagUsages(root *cobra.Command) {
	esc := strings.NewReplacer(`_`, `\_`, `<`, `\<`, `>`, `\>`, `*`, `\*`)
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				parts := strings.Split(f.Usage, "`")
				for i := 0; i < len(parts); i += 2 {
					parts[i] = esc.Replace(parts[i])
				}
				f.Usage = strings.Join(parts, "`")
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
