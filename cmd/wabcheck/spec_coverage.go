package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/rundir"
)

func init() { specSubcommands = append(specSubcommands, newSpecCoverageCmd) }

func newSpecCoverageCmd() *cobra.Command {
	var dir string
	var min float64
	c := &cobra.Command{
		Use:   "coverage",
		Short: "Print the spec coverage of a conform run",
		Long: `Print which operations × declared status codes (a range such as 4XX counts
once) and callback kinds a ` + "`wabcheck conform`" + ` run exercised and validated, and
which it never saw, from the run folder's summary.json.

Exit 1 when coverage is below --min-coverage, 2 when the report cannot be
read.`,
		Example: `  wabcheck spec coverage
  wabcheck spec coverage --report reports/conform-20260101T000000.000Z
  wabcheck spec coverage --report reports/latest --min-coverage 60`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return specCoverage(c.OutOrStdout(), dir, min)
		},
	}
	c.Flags().StringVar(&dir, "report", filepath.Join(rundir.DefaultRoot, "latest"), "conform run folder `DIR` holding summary.json")
	c.Flags().Var(finite.New(&min, 0), "min-coverage", "exit 1 when coverage is below `PERCENT`")
	return c
}

func specCoverage(out io.Writer, dir string, min float64) error {
	if min < 0 || min > 100 {
		return fmt.Errorf("--min-coverage %v: want a percentage in [0, 100]", min)
	}
	s, err := report.ReadSummary(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "spec: %s\nerrata: %s\ntarget: %s\n\n", s.Spec, s.Errata, s.Target)
	if err := report.WriteCoverageTable(out, s.Coverage); err != nil {
		return err
	}
	if s.Coverage.Percent < min {
		return failed("spec coverage %.1f%% is below --min-coverage %.1f%%", s.Coverage.Percent, min)
	}
	return nil
}
