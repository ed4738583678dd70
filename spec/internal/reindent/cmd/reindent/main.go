// Command reindent restores the indentation of a flush-left OpenAPI 3.0 YAML
// file (see package reindent) and writes the result to stdout.
//
//	go run ./spec/internal/reindent/cmd/reindent -skip 1 SEED > spec/ycloud-api-v2.yaml
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wabcheck/wabcheck/spec/internal/reindent"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reindent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	skip := fs.Int("skip", 0, "number of leading lines to drop (a page header, not part of the spec)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *skip < 0 {
		fmt.Fprintln(stderr, "usage: reindent [-skip N] FILE")
		return 2
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "reindent: %v\n", err)
		return 2
	}
	out, err := reindent.Reindent([]byte(dropLines(string(data), *skip)))
	if err != nil {
		fmt.Fprintf(stderr, "reindent: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "reindent: %v\n", err)
		return 1
	}
	return 0
}

// dropLines removes the first n lines of s.
func dropLines(s string, n int) string {
	for ; n > 0 && s != ""; n-- {
		_, s, _ = strings.Cut(s, "\n")
	}
	return s
}
