package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/wabcheck/wabcheck/spec"
)

// specFlags are the --spec/--errata flags every command takes.
type specFlags struct {
	file   string
	errata string
	cmd    *cobra.Command // for the warnings load prints
}

func (f *specFlags) register(c *cobra.Command) {
	f.cmd = c
	c.Flags().StringVar(&f.file, "spec", "", "OpenAPI 3.x spec `FILE` to check against (default: the embedded Modica WAB v1.2.0 spec)")
	c.Flags().StringVar(&f.errata, "errata", "", "errata overlay `FILE`, or \"none\" for strict mode (default: the shipped errata, for the Modica v1.2.0 spec)")
}

// load loads the selected spec; its errors are configuration errors (exit 2).
// What the spec's Notes say wabcheck leaves unchecked (the keywords of an
// OpenAPI 3.1 document) is printed once to stderr as a warning.
func (f *specFlags) load() (*spec.Doc, error) {
	d, err := spec.Load(spec.Options{File: f.file, Errata: f.errata})
	var le *spec.LoadError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("--%s: %w", le.Input, err)
	}
	if err == nil && f.cmd != nil {
		for _, n := range d.Notes {
			fmt.Fprintf(f.cmd.ErrOrStderr(), "wabcheck: warning: %s\n", n)
		}
	}
	return d, err
}
