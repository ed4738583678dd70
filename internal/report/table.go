package report

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteCoverageTable prints cov as an aligned text table, then the total.
func WriteCoverageTable(w io.Writer, cov Coverage) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tMETHOD\tPATH\tSTATUS\tSEEN\tINVALID\t")
	for _, c := range cov.Cells {
		mark := ""
		if c.Seen == 0 {
			mark = "never seen"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", c.Operation, c.Method, c.Path, c.Status, c.Seen, c.Invalid, mark)
	}
	for _, c := range cov.Undeclared {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\tundeclared status\n", c.Operation, c.Method, c.Path, c.Status, c.Seen, c.Invalid)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "coverage: %.1f%% (%d of %d operation × status and callback cells exercised)\n", cov.Percent, cov.Seen, cov.Total)
	return err
}
