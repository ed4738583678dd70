package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/compare"
)

func init() { subcommands = append(subcommands, newReportCmd) }

// newReportCmd is `wabcheck report`, the parent of commands that read run
// folders written earlier.
func newReportCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "report",
		Short: "Read and compare run folders written earlier",
		Long: `Commands over run folders that conform and load wrote earlier (reports/…):
` + "`wabcheck report compare`" + ` puts two or more runs side by side.`,
	}
	c.AddCommand(newReportCompareCmd())
	return c
}

// compareFlags are the flags of `wabcheck report compare`.
type compareFlags struct {
	reportDir string
	format    string
}

func newReportCompareCmd() *cobra.Command {
	f := &compareFlags{}
	c := &cobra.Command{
		Use:   "compare DIR DIR [DIR...]",
		Short: "Put two or more conform and load runs side by side",
		Long: `Compare two or more run folders — different vendors, spec versions, faults or
days — side by side: for conform runs each scenario's outcome (passed,
failed, skipped with its reason; the scenarios that differ first), spec
coverage, response latency p50/p99, send → final-status latency p50/p99,
rate-limit findings and the verdict; for load runs throughput, success,
latency, delivery-receipt completeness and latency, rate limiting and the
thresholds. Conform and load runs may be mixed: they get separate sections.

Writes compare.html (one self-contained page), compare.txt and compare.json
to reports/compare-<time>/ (and reports/latest), and prints the text table
(or, with --format json, the JSON). See docs/compare.md.

Exit 0 when every run compared passed, 1 when any failed (its own
verdict), 2 on usage errors: fewer than two folders, a folder that is not
a wabcheck conform or load run, a file that cannot be read.`,
		Example: `  wabcheck report compare reports/conform-20260101T000000.000Z reports/latest
  wabcheck conform --report-dir out/clean
  wabcheck conform --fault dlr-duplicate --report-dir out/dup
  wabcheck report compare out/clean out/dup
  wabcheck report compare --format json --report-dir out/cmp out/vendor-a out/vendor-b out/load-a`,
		RunE: func(c *cobra.Command, args []string) error {
			return f.run(args, c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	c.Flags().StringVar(&f.reportDir, "report-dir", "", "write the comparison to `DIR` instead of reports/compare-<time>/")
	c.Flags().StringVar(&f.format, "format", "text", "printed output: text or json (`FORMAT`)")
	return c
}

// run reads the folders, writes the comparison's files and prints it; the
// exit code follows the runs' verdicts.
func (f *compareFlags) run(dirs []string, stdout, stderr io.Writer) error {
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("--format %q: want text or json", f.format)
	}
	if len(dirs) < 2 {
		return fmt.Errorf("report compare: want two or more run folders, got %d (see wabcheck report compare --help)", len(dirs))
	}
	cmp, err := compare.Read(dirs)
	if err != nil {
		return fmt.Errorf("report compare: %w", err)
	}
	writeJSON := func(w io.Writer) error { return writeCompareJSON(w, cmp) }
	writeText := func(w io.Writer) error { return compare.WriteText(w, cmp) }
	files, err := compareFiles(cmp, writeJSON, writeText)
	if err != nil {
		return err
	}
	dir, err := writeRunFiles(f.reportDir, "compare", files)
	if err != nil {
		return err
	}
	if err := printReport(f.format, dir, stdout, stderr, writeJSON, writeText); err != nil {
		return err
	}
	if !cmp.Passed() {
		return failed("%s", cmp.Verdict())
	}
	return nil
}

// compareFiles renders compare.json, compare.txt and compare.html.
func compareFiles(cmp *compare.Comparison, writeJSON, writeText reportWriter) (map[string][]byte, error) {
	var js, txt, page bytes.Buffer
	for _, w := range []struct {
		write reportWriter
		buf   *bytes.Buffer
	}{{writeJSON, &js}, {writeText, &txt}, {func(w io.Writer) error { return compare.WriteHTML(w, cmp) }, &page}} {
		if err := w.write(w.buf); err != nil {
			return nil, err
		}
	}
	return map[string][]byte{"compare.json": js.Bytes(), "compare.txt": txt.Bytes(), "compare.html": page.Bytes()}, nil
}

func writeCompareJSON(w io.Writer, cmp *compare.Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(cmp)
}
