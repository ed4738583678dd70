package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/sim"
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
// OpenAPI 3.1 document) and what loading could not check (its Warnings)
// are printed once to stderr as warnings.
func (f *specFlags) load() (*spec.Doc, error) {
	d, err := f.dialect()
	if err != nil {
		return nil, err
	}
	doc, err := d.Spec().Load(f.file, f.errata)
	var le *spec.LoadError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("--%s: %w", le.Input, err)
	}
	if err == nil && f.cmd != nil {
		notes := doc.Notes
		if f.file != "" { // the embedded specs' warnings are known (spec/*DEFECTS.md)
			notes = append(slices.Clone(notes), doc.Warnings...)
		}
		for _, n := range notes {
			fmt.Fprintf(f.cmd.ErrOrStderr(), "wabcheck: warning: %s\n", n)
		}
	}
	return doc, err
}

// credFlags are the credential flags of the commands that talk to a real
// target; each falls back to its WABCHECK_… variable. They are never
// echoed.
type credFlags struct {
	user, password, apiKey string
}

func (f *credFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.user, "user", "", "`USER` for --target, HTTP Basic or a login call (default $WABCHECK_USER)")
	fl.StringVar(&f.password, "password", "", "`PASSWORD` for --target (default $WABCHECK_PASSWORD; prefer the variable)")
	fl.StringVar(&f.apiKey, "api-key", "", "API `KEY` for --target, for a vendor that uses API keys (default $WABCHECK_API_KEY; prefer the variable)")
}

// credentials completes the flags from the environment.
func (f *credFlags) credentials() dialect.Credentials {
	return dialect.Credentials{
		User:     firstNonEmpty(f.user, os.Getenv(dialect.FieldUser.Env)),
		Password: firstNonEmpty(f.password, os.Getenv(dialect.FieldPassword.Env)),
		APIKey:   firstNonEmpty(f.apiKey, os.Getenv(dialect.FieldAPIKey.Env)),
	}
}

// webhookFlags are the flags that say how the vendor's callbacks reach a
// run: the signing secret of a webhook set up by hand, whether to
// register one through the API, and the in-process simulator's own
// options.
type webhookFlags struct {
	secret     string
	setWebhook string
	simOptions []string
}

func (f *webhookFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.secret, "webhook-secret", "", "`SECRET` that signs the vendor's callbacks, for a webhook set up by hand (YCloud whsec_…, the Cloud API's app secret; default $WABCHECK_WEBHOOK_SECRET)")
	fl.StringVar(&f.setWebhook, "set-webhook", "auto", "register the callback receiver through the vendor's API (`WHEN`): auto (when the vendor adds webhooks and no --webhook-secret is given), yes (also when it replaces the account's webhook, restored at the end) or no")
	fl.StringArrayVar(&f.simOptions, "sim-option", nil, "in-process simulator option `NAME=VALUE` (repeatable; see `wabcheck vendors`)")
}

// check names a bad value.
func (f *webhookFlags) check() error {
	switch f.setWebhook {
	case harness.RegisterAuto, harness.RegisterYes, harness.RegisterNo:
	default:
		return fmt.Errorf("--set-webhook %q: want auto, yes or no", f.setWebhook)
	}
	_, err := keyValues("--sim-option", f.simOptions)
	return err
}

// webhookSecret is the flag or $WABCHECK_WEBHOOK_SECRET.
func (f *webhookFlags) webhookSecret() string {
	return firstNonEmpty(f.secret, os.Getenv("WABCHECK_WEBHOOK_SECRET"))
}

// simConfig returns the hook that applies --sim-option to the in-process
// simulator, each over the option of that name a load profile set.
func (f *webhookFlags) simConfig() func(*sim.Config) {
	opts, _ := keyValues("--sim-option", f.simOptions)
	return func(c *sim.Config) {
		if len(opts) == 0 {
			return
		}
		if c.Options == nil {
			c.Options = map[string]string{}
		}
		maps.Copy(c.Options, opts)
	}
}
