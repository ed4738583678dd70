package compare

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/wabcheck/wabcheck/internal/report"
)

// maxErrorText bounds a failed step's error in the text table.
const maxErrorText = 160

// WriteText writes the comparison as aligned text tables: the runs, the
// conform runs' figures, their scenarios (those that differ first, skip
// reasons as numbered notes, failures with their first failed step) and
// the load runs' figures.
func WriteText(w io.Writer, c *Comparison) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "wabcheck report compare: %d conform, %d load runs — %s\n\n", len(c.Conform), len(c.Load), c.Verdict())
	writeRuns(bw, c)
	if len(c.Conform) > 0 {
		fmt.Fprintln(bw, "\nCONFORM")
		writeMetrics(bw, c.ConformMetrics(), headers(c.Conform))
		fmt.Fprintf(bw, "\nSCENARIOS: %d of %d differ (marked *)\n", c.Differing, len(c.Scenarios))
		writeScenarios(bw, c)
	}
	if len(c.Load) > 0 {
		fmt.Fprintln(bw, "\nLOAD")
		writeMetrics(bw, c.LoadMetrics(), headers(c.Load))
	}
	return bw.Flush()
}

// indexed is a run with a command-line position.
type indexed interface{ position() int }

func (s Source) position() int { return s.Index }

// headers are the column titles "#1", "#2", … of runs.
func headers[R indexed](runs []R) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = "#" + strconv.Itoa(r.position())
	}
	return out
}

func newTab(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// row writes cells as one tab-separated line (the last cell unpadded).
func row(w io.Writer, cells ...string) {
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

func writeRuns(w io.Writer, c *Comparison) {
	tw := newTab(w)
	row(tw, "RUN", "KIND", "FOLDER", "VENDOR", "TARGET", "SPEC", "FAULT/PROFILE", "STARTED", "VERDICT")
	for _, s := range c.Runs() {
		row(tw, "#"+strconv.Itoa(s.Index), string(s.Kind), s.Name, orDash(s.Vendor), s.Target, s.Spec, orDash(variant(c, s)), timeText(s.Started), verdictText(s))
	}
	_ = tw.Flush()
}

// variant is what sets a run apart beyond vendor and spec: the conform
// run's simulator fault, the load run's profile.
func variant(c *Comparison, s Source) string {
	for _, r := range c.Conform {
		if r.Index == s.Index {
			return r.Fault
		}
	}
	for _, r := range c.Load {
		if r.Index == s.Index {
			return r.Profile
		}
	}
	return ""
}

func writeMetrics(w io.Writer, ms []Metric, heads []string) {
	tw := newTab(w)
	row(tw, append([]string{"METRIC"}, heads...)...)
	for _, m := range ms {
		cells := []string{m.Name}
		for _, c := range m.Cells {
			cells = append(cells, c.Text)
		}
		row(tw, cells...)
	}
	_ = tw.Flush()
}

// writeScenarios writes the aligned scenario table, the skip reasons it
// refers to by number, and the failures of the rows that differ.
func writeScenarios(w io.Writer, c *Comparison) {
	var reasons []string
	note := map[string]int{}
	tw := newTab(w)
	row(tw, append([]string{" ", "FEATURE", "SCENARIO"}, headers(c.Conform)...)...)
	for _, r := range c.Scenarios {
		cells := []string{map[bool]string{true: "*", false: " "}[r.Differs], r.Feature, r.Scenario}
		for _, o := range r.Outcomes {
			cells = append(cells, scenarioCell(o, note, &reasons))
		}
		row(tw, cells...)
	}
	_ = tw.Flush()
	if len(reasons) > 0 {
		fmt.Fprintln(w, "\nskip reasons:")
		for i, r := range reasons {
			fmt.Fprintf(w, "  [%d] %s\n", i+1, r)
		}
	}
	writeFailures(w, c)
}

// scenarioCell is an outcome; a skip names its reason's note number.
func scenarioCell(o *Outcome, note map[string]int, reasons *[]string) string {
	if o == nil || o.Status != report.Skipped || o.Reason == "" {
		return outcomeText(o)
	}
	n, ok := note[o.Reason]
	if !ok {
		*reasons = append(*reasons, o.Reason)
		n = len(*reasons)
		note[o.Reason] = n
	}
	return fmt.Sprintf("skipped [%d]", n)
}

// writeFailures lists, for the rows that differ, each failed outcome's
// first failed step and error.
func writeFailures(w io.Writer, c *Comparison) {
	first := true
	for _, r := range c.Scenarios {
		if !r.Differs {
			continue
		}
		for i, o := range r.Outcomes {
			if o == nil || o.Status != report.Failed {
				continue
			}
			if first {
				fmt.Fprintln(w, "\nfailures where the runs differ (first failed step):")
				first = false
			}
			fmt.Fprintf(w, "  #%d %s / %s\n      %s\n      %s\n", c.Conform[i].Index, r.Feature, r.Scenario,
				orDash(o.Step), orDash(oneLine(o.Error, maxErrorText)))
		}
	}
}
