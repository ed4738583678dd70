// Command onpremseed regenerates spec/whatsapp-business-api-onprem.yaml
// from seed 003:
//
//	go run ./spec/internal/onpremseed/cmd/onpremseed \
//	  -seed ../shared/seeds/003_7ce61b42ce2c6a00.txt -out spec/whatsapp-business-api-onprem.yaml
//
// With -out empty it writes to standard output. Exit 2 on bad flags or an
// unreadable seed, 1 when the output cannot be written.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wabcheck/wabcheck/spec/internal/onpremseed"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError marks errors that are the caller's (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func run(args []string, stdout, stderr io.Writer) int {
	if err := generate(args, stdout); err != nil {
		fmt.Fprintln(stderr, "onpremseed:", err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

func generate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("onpremseed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seed := fs.String("seed", "", "seed 003 `FILE` (required)")
	out := fs.String("out", "", "output `FILE` (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if *seed == "" || fs.NArg() > 0 {
		return usageError{errors.New("usage: onpremseed -seed FILE [-out FILE]")}
	}
	data, err := os.ReadFile(*seed)
	if err != nil {
		return usageError{fmt.Errorf("-seed: %w", err)}
	}
	s, err := onpremseed.Parse(data)
	if err != nil {
		return usageError{fmt.Errorf("-seed %s: %w", *seed, err)}
	}
	y, err := onpremseed.Render(s)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(y)
		return err
	}
	if err := os.WriteFile(*out, y, 0o644); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	return nil
}
