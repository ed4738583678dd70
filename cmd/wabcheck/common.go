package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/spec"
)

// defaultVendor is the dialect used when --vendor is not given.
const defaultVendor = "modica"

// specFlags are the --vendor/--spec/--errata flags every command takes.
type specFlags struct {
	vendor string
	file   string
	errata string
	cmd    *cobra.Command // for the warnings load prints
}

func (f *specFlags) register(c *cobra.Command) {
	f.cmd = c
	c.Flags().StringVar(&f.vendor, "vendor", defaultVendor, "the vendor's API `NAME` ("+strings.Join(dialect.Names(), ", ")+"; `wabcheck vendors` lists them)")
	c.Flags().StringVar(&f.file, "spec", "", "OpenAPI 3.x spec `FILE` to check against (default: the vendor's embedded spec)")
	c.Flags().StringVar(&f.errata, "errata", "", "errata overlay `FILE`, or \"none\" for strict mode (default: the vendor's shipped errata, when the spec is the version they were written for)")
}

// dialect returns the selected dialect; an unknown name is a usage error.
func (f *specFlags) dialect() (dialect.Dialect, error) {
	d, err := dialect.Get(f.vendor)
	if err != nil {
		return nil, fmt.Errorf("--vendor: %w", err)
	}
	return d, nil
}

// load loads the selected spec; its errors are configuration errors (exit 2).
// What the spec's Notes say wabcheck leaves unchecked (the keywords of an
// OpenAPI 3.1 document) is printed once to stderr as a warning.
func (f *specFlags) load() (*spec.Doc, error) {
	d, err := f.dialect()
	if err != nil {
		return nil, err
	}
	doc, err := spec.Load(spec.Options{Source: d.Spec(), File: f.file, Errata: f.errata})
	var le *spec.LoadError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("--%s: %w", le.Input, err)
	}
	if err == nil && f.cmd != nil {
		for _, n := range doc.Notes {
			fmt.Fprintf(f.cmd.ErrOrStderr(), "wabcheck: warning: %s\n", n)
		}
	}
	return doc, err
}
