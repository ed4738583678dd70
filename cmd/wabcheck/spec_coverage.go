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
	var dirs []string
	var min float64
	c := &cobra.Command{
		Use:   "coverage",
		Short: "Print the spec coverage of conform and probe runs",
		Long: `Print which operations × declared status codes (a range such as 4XX counts
once) and callback kinds a ` + "`wabcheck conform`" + ` or ` + "`wabcheck probe`" + ` run exercised and
validated, and which it never saw, from the run folder's summary.json.

Repeat --report to combine runs of the same spec (for example a conform run
and a probe run): a cell counts as exercised when any of them exercised it,
and its counts add up.

Exit 1 when coverage is below --min-coverage, 2 when a report cannot be
read or the runs checked different specs.`,
		Example: `  wabcheck spec coverage
  wabcheck spec coverage --report reports/conform-20260101T000000.000Z
  wabcheck spec coverage --report reports/probe-20260101T000100.000Z
  wabcheck spec coverage --report reports/conform-20260101T000000.000Z --report reports/probe-20260101T000100.000Z
  wabcheck spec coverage --report reports/latest --min-coverage 60`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return specCoverage(c.OutOrStdout(), dirs, min)
		},
	}
	c.Flags().StringArrayVar(&dirs, "report", []string{filepath.Join(rundir.DefaultRoot, "latest")},
		"conform or probe run folder `DIR` holding summary.json; repeat to combine runs")
	c.Flags().Var(finite.New(&min, 0), "min-coverage", "exit 1 when coverage is below `PERCENT`")
	return c
}

func specCoverage(out io.Writer, dirs []string, min float64) error {
	if min < 0 || min > 100 {
		return fmt.Errorf("--min-coverage %v: want a percentage in [0, 100]", min)
	}
	runs := make([]report.RunCoverage, 0, len(dirs))
	for _, dir := range dirs {
		rc, err := report.ReadCoverage(dir)
		if err != nil {
			return err
		}
		if len(runs) > 0 && (rc.Spec != runs[0].Spec || rc.Errata != runs[0].Errata) {
			return fmt.Errorf("--report %s: checked %s (%s), but %s checked %s (%s); only runs of the same spec and errata combine",
				dir, rc.Spec, rc.Errata, runs[0].Dir, runs[0].Spec, runs[0].Errata)
		}
		runs = append(runs, rc)
	}
	cov := runs[0].Coverage
	fmt.Fprintf(out, "spec: %s\nerrata: %s\n", runs[0].Spec, runs[0].Errata)
	if len(runs) == 1 {
		fmt.Fprintf(out, "target: %s\n\n", runs[0].Target)
	} else {
		covs := make([]report.Coverage, len(runs))
		fmt.Fprintln(out, "runs:")
		for i, rc := range runs {
			covs[i] = rc.Coverage
			fmt.Fprintf(out, "  %s %s (%s): %.1f%%\n", rc.Tool, rc.Dir, rc.Target, rc.Coverage.Percent)
		}
		cov = report.MergeCoverage(covs...)
		fmt.Fprintln(out)
	}
	if err := report.WriteCoverageTable(out, cov); err != nil {
		return err
	}
	if cov.Percent < min {
		return failed("spec coverage %.1f%% is below --min-coverage %.1f%%", cov.Percent, min)
	}
	return nil
}
