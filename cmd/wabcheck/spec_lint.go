package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/wabcheck/wabcheck/internal/speclint"
)

func init() { specSubcommands = append(specSubcommands, newSpecLintCmd) }

// specLintOpts are the flags of `wabcheck spec lint`.
type specLintOpts struct {
	spec      specFlags
	format    string
	group     string
	color     string
	reportDir string
}

func newSpecLintCmd() *cobra.Command {
	o := &specLintOpts{}
	c := &cobra.Command{
		Use:   "lint",
		Short: "Find defects in an OpenAPI spec itself",
		Long: `Lint the spec as published: examples that fail their own schemas, regex
patterns that do not compile or mean different things in Go (RE2) and
JavaScript (ECMA-262, as ajv uses them), unknown or ill-typed formats,
equivalent fields with conflicting limits, enums that disagree, error
responses that accept any body, missing 4XX responses, undeclared tags,
missing operationIds, invalid callback runtime expressions, dangling $refs
and more (docs/lint-rules.md lists every rule).

Each finding has file:line:col in the published file, a JSON pointer, a
stable code, a severity and a one-line message. --errata only selects the
overlay used to say which findings an erratum fixes. The report is also
written to the run folder (lint.json, lint.txt).

Exit 0 when there are no error-level findings, 1 when there are, 2 when the
spec cannot be read (missing, not YAML, Swagger 2.0, too large, ...).`,
		Example: `  wabcheck spec lint
  wabcheck spec lint --spec ../shared/reference/ycloud-api-v2.yaml
  wabcheck spec lint --errata none
  wabcheck spec lint --errata my-errata.yaml
  wabcheck spec lint --format json > lint.json
  wabcheck spec lint --group code
  wabcheck spec lint --color never
  wabcheck spec lint --report-dir out/lint`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return o.run(c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	o.spec.register(c)
	f := c.Flags()
	f.StringVar(&o.format, "format", "text", "output `FORMAT`: text (for people) or json (for machines)")
	f.StringVar(&o.group, "group", "severity", "group text output by `KEY`: severity or code")
	f.StringVar(&o.color, "color", "auto", "colour text output: auto (only on a terminal, never with NO_COLOR set), always or never (`WHEN`)")
	f.StringVar(&o.reportDir, "report-dir", "", "write lint.json and lint.txt to `DIR` instead of reports/lint-<timestamp>/")
	return c
}

func (o *specLintOpts) validate() error {
	switch {
	case o.format != "text" && o.format != "json":
		return fmt.Errorf("--format %q: want text or json", o.format)
	case o.group != "severity" && o.group != "code":
		return fmt.Errorf("--group %q: want severity or code", o.group)
	}
	return checkColor(o.color)
}

func (o *specLintOpts) run(stdout, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	d, err := o.spec.dialect()
	if err != nil {
		return err
	}
	in, lopts, err := speclint.Load(speclint.Source{Embedded: d.Spec(), File: o.spec.file, Errata: o.spec.errata})
	if err != nil {
		return fmt.Errorf("spec lint: %w", err)
	}
	r, err := speclint.Lint(in, lopts)
	if err != nil {
		return fmt.Errorf("spec lint: %w", err)
	}
	dir, err := o.writeReport(r)
	if err != nil {
		return err
	}
	err = printReport(o.format, dir, stdout, stderr, r.WriteJSON, func(w io.Writer) error {
		return r.WriteText(w, speclint.TextOptions{GroupBy: o.group, Color: useColor(o.color, stdout)})
	})
	if err != nil {
		return err
	}
	if r.HasErrors() {
		return failed("spec lint: %d errors, %d warnings, %d info in %s", r.Summary.Errors, r.Summary.Warnings, r.Summary.Infos, r.Spec)
	}
	return nil
}

// writeReport writes lint.json and lint.txt to the run folder.
func (o *specLintOpts) writeReport(r *speclint.Report) (string, error) {
	return writeReportFiles(o.reportDir, "lint", r.WriteJSON, func(w io.Writer) error {
		return r.WriteText(w, speclint.TextOptions{GroupBy: o.group})
	})
}
