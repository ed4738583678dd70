package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/wabcheck/wabcheck/internal/specdiff"
	"github.com/wabcheck/wabcheck/spec"
)

func init() { specSubcommands = append(specSubcommands, newSpecDiffCmd) }

// embeddedArg is the OLD/NEW argument that selects the vendor's embedded spec.
const embeddedArg = "embedded"

// specDiffOpts are the flags of `wabcheck spec diff`.
type specDiffOpts struct {
	vendor    string
	format    string
	failOn    string
	color     string
	reportDir string
}

func newSpecDiffCmd() *cobra.Command {
	o := &specDiffOpts{}
	c := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "List the changes between two spec versions, breaking ones first",
		Long: `Compare two OpenAPI 3.x specs (OLD, the version clients are built against,
and NEW, the vendor's new version) and classify every change as breaking or
not for a client of the API. Rules are direction-aware: tightening what a
client sends (request) or loosening what it receives (response) breaks it;
callbacks flip the two. docs/diff-rules.md lists every rule and its code.

Each change has a stable kebab-case code, breaking yes/no, the path
(paths./messages.post.requestBody...), its file:line:col in OLD and in NEW,
and a one-line message. Either argument may be the word "embedded" for the
embedded spec of --vendor (default modica; as published, without errata). The report
is also written to the run folder (diff.json, diff.txt).

Exit 1 when --fail-on is met (breaking: any breaking change; any: any change;
none: never), 0 otherwise, 2 when a spec cannot be read (missing, not YAML,
Swagger 2.0, not OpenAPI 3.x).`,
		Example: `  wabcheck spec diff embedded vendor-v1.3.0.yaml
  wabcheck spec diff old.yaml new.yaml --format json > diff.json
  wabcheck spec diff old.yaml new.yaml --fail-on any
  wabcheck spec diff old.yaml new.yaml --fail-on none
  wabcheck spec diff old.yaml new.yaml --color never
  wabcheck spec diff embedded new.yaml --report-dir out/diff
  wabcheck spec diff --vendor ycloud embedded ycloud-next.yaml`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			return o.run(args[0], args[1], c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.vendor, "vendor", defaultVendor, "whose embedded spec the word \"embedded\" means (`NAME`; `wabcheck vendors` lists them)")
	f.StringVar(&o.format, "format", "text", "output `FORMAT`: text (for people) or json (for machines)")
	f.StringVar(&o.failOn, "fail-on", "breaking", "exit 1 `WHEN` there is: breaking (a breaking change), any (any change) or none (never)")
	f.StringVar(&o.color, "color", "auto", "colour text output: auto (only on a terminal, never with NO_COLOR set), always or never (`WHEN`)")
	f.StringVar(&o.reportDir, "report-dir", "", "write diff.json and diff.txt to `DIR` instead of reports/diff-<timestamp>/")
	return c
}

func (o *specDiffOpts) validate() (specdiff.FailOn, error) {
	if o.format != "text" && o.format != "json" {
		return "", fmt.Errorf("--format %q: want text or json", o.format)
	}
	if err := checkColor(o.color); err != nil {
		return "", err
	}
	return specdiff.ParseFailOn(o.failOn)
}

func (o *specDiffOpts) run(oldArg, newArg string, stdout, stderr io.Writer) error {
	level, err := o.validate()
	if err != nil {
		return err
	}
	oldIn, err := o.input(oldArg)
	if err != nil {
		return fmt.Errorf("spec diff: OLD: %w", err)
	}
	newIn, err := o.input(newArg)
	if err != nil {
		return fmt.Errorf("spec diff: NEW: %w", err)
	}
	r, err := specdiff.Diff(oldIn, newIn)
	if err != nil {
		return fmt.Errorf("spec diff: %w", err)
	}
	dir, err := o.writeReport(r)
	if err != nil {
		return err
	}
	if err := o.print(r, dir, stdout, stderr); err != nil {
		return err
	}
	if r.Fails(level) {
		return failed("spec diff: %d changes, %d breaking (--fail-on %s)", r.Summary.Total, r.Summary.Breaking, level)
	}
	return nil
}

func (o *specDiffOpts) print(r *specdiff.Report, dir string, stdout, stderr io.Writer) error {
	return printReport(o.format, dir, stdout, stderr,
		func(w io.Writer) error { return specdiff.WriteJSON(w, r) },
		func(w io.Writer) error { return specdiff.WriteText(w, r, useColor(o.color, stdout)) })
}

// input reads one argument: a spec file, or "embedded".
func (o *specDiffOpts) input(arg string) (specdiff.Input, error) {
	if arg == embeddedArg {
		d, err := (&specFlags{vendor: o.vendor}).dialect()
		if err != nil {
			return specdiff.Input{}, err
		}
		data, err := spec.Embedded(d.Spec().Name)
		return specdiff.Input{Name: d.Spec().Name, Data: data}, err
	}
	data, err := spec.ReadFile(arg)
	if err != nil {
		return specdiff.Input{}, err
	}
	return specdiff.Input{Name: arg, Data: data}, nil
}

// writeReport writes diff.json and diff.txt to the run folder.
func (o *specDiffOpts) writeReport(r *specdiff.Report) (string, error) {
	return writeReportFiles(o.reportDir, "diff",
		func(w io.Writer) error { return specdiff.WriteJSON(w, r) },
		func(w io.Writer) error { return specdiff.WriteText(w, r, false) })
}
