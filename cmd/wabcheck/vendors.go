package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/sim"
)

func init() { subcommands = append(subcommands, newVendorsCmd) }

// vendorView is one dialect as `wabcheck vendors` shows it.
type vendorView struct {
	dialect.Info
	Spec          string       `json:"spec"`
	Errata        string       `json:"errata,omitempty"`
	Capabilities  []string     `json:"capabilities"`
	CallbackKinds []string     `json:"callback_kinds"`
	Statuses      []string     `json:"statuses"`
	Ordered       bool         `json:"ordered"`
	Simulator     bool         `json:"simulator"`
	SimOptions    []sim.Option `json:"sim_options,omitempty"`
	SimFaults     int          `json:"sim_faults,omitempty"`
}

func newVendorsCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "vendors",
		Short: "List the vendor APIs wabcheck speaks, with their capabilities and credentials",
		Long: `vendors lists every dialect: its --vendor name, the API and spec, what it can
do (a scenario that needs a capability a vendor lacks is skipped with the
reason in the report), the credentials a real target needs (flag and
environment variable; never printed), its callback kinds, its delivery
statuses and whether the vendor promises their order, and its simulator's
own options and number of faults.`,
		Example: `  wabcheck vendors
  wabcheck vendors --format json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			views := vendorViews()
			switch format {
			case "json":
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(views)
			case "text":
				return printVendors(c.OutOrStdout(), views)
			}
			return fmt.Errorf("--format %q: want text or json", format)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output `FORMAT`: text or json")
	return c
}

func vendorViews() []vendorView {
	var out []vendorView
	for _, d := range dialect.All() {
		v := vendorView{Info: d.Info(), Spec: d.Spec().Name, Errata: d.Spec().Errata, Capabilities: dialect.Capabilities(d),
			Statuses: d.Statuses().Names(), Ordered: d.Statuses().Ordered}
		for _, k := range d.Callbacks().Kinds() {
			v.CallbackKinds = append(v.CallbackKinds, k.Name)
		}
		if w, ok := sim.WireFor(v.Name); ok {
			v.Simulator, v.SimOptions = true, sim.WireOptions(w)
			if list, err := sim.Faults(w); err == nil {
				v.SimFaults = len(list)
			}
		}
		out = append(out, v)
	}
	return out
}

func printVendors(w io.Writer, views []vendorView) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s\t%s\n", v.Name, v.Title)
		fmt.Fprintf(tw, "  spec\t%s (errata: %s)\n", v.Spec, orNone(v.Errata))
		fmt.Fprintf(tw, "  can\t%s\n", strings.Join(v.Capabilities, ", "))
		var creds []string
		for _, c := range v.Credentials {
			creds = append(creds, c.Flag+" / $"+c.Env)
		}
		fmt.Fprintf(tw, "  credentials\t%s\n", strings.Join(creds, ", "))
		fmt.Fprintf(tw, "  callbacks\t%s\n", strings.Join(v.CallbackKinds, ", "))
		order := "no ordering guarantee: disorder and duplicates are lawful"
		if v.Ordered {
			order = "in order: a reversal or a repeat is a defect"
		}
		fmt.Fprintf(tw, "  statuses\t%s (%s)\n", strings.Join(v.Statuses, ", "), order)
		fmt.Fprintf(tw, "  simulator\t%s\n", simLine(v))
	}
	return tw.Flush()
}

func simLine(v vendorView) string {
	if !v.Simulator {
		return "none"
	}
	s := fmt.Sprintf("yes, %d faults (wabcheck sim faults --vendor %s)", v.SimFaults, v.Name)
	for _, o := range v.SimOptions {
		s += fmt.Sprintf("; --sim-option %s=… (%s, default %s)", o.Name, o.What, o.Default)
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
