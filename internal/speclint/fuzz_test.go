package speclint

import (
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/spec"
)

// FuzzLint: linting arbitrary bytes never panics, hangs or overflows the
// stack; its error and every finding's message are one line. Seed corpus:
// testdata/fuzz/FuzzLint (the schema cycles of issue 13, a 3.1 document,
// patterns), plus the embedded Modica spec.
func FuzzLint(f *testing.F) {
	f.Add(spec.Embedded())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Lint(Input{Path: "fuzz.yaml", Data: data}, Options{})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("expected a one-line error, got %q", err)
			}
			return
		}
		for _, fd := range r.Findings {
			if fd.Code == "" || strings.Contains(fd.Message, "\n") || strings.Contains(fd.String(), "\n") {
				t.Fatalf("expected a coded one-line finding, got %q", fd.String())
			}
		}
	})
}
