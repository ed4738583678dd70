package speclint

import (
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/spec"
)

// FuzzLint: linting arbitrary bytes never panics, hangs or overflows the
// stack; its error and every finding's message are one line. Seed corpus:
// testdata/fuzz/FuzzLint (the schema cycles of issue 13, a 3.1 document,
// patterns), plus the embedded Modica spec.
func FuzzLint(f *testing.F) {
	for _, name := range spec.EmbeddedSpecs() {
		data, err := spec.Embedded(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r *Report
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			r, err = Lint(Input{Path: "fuzz.yaml", Data: data}, Options{})
		}()
		select {
		case <-done:
		case <-time.After(fuzzHang):
			t.Fatalf("no answer after %v: the input hangs (Go's fuzzing has no hang detection of its own)", fuzzHang)
		}
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

// fuzzHang is how long linting one fuzz input may take before it counts
// as a hang: far above the Modica spec's time under -race on a loaded
// machine.
const fuzzHang = time.Minute
