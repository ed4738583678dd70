package load

// Regression tests for issue 13 (hardening), named after its items.

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/spec"
)

// TestNaNInProfileIsRejected (issue 13 item 10): strconv.ParseFloat reads
// "NaN" and every `v < lo || v > hi` check lets it through, so a profile
// with `rate: NaN` (or a NaN threshold) ran with a NaN pacer. Every float
// field of a profile refuses NaN and infinities, naming key and line.
func TestNaNInProfileIsRejected(t *testing.T) {
	cases := map[string]string{
		"name: x\nstages:\n  - {duration: 1s, rate: NaN}\n":                                 "line 3: stages[0].rate",
		"name: x\nstages:\n  - {duration: 1s, from: 1, to: NaN}\n":                          "line 3: stages[0].to",
		"name: x\nstages:\n  - {duration: 1s, from: NaNx, to: 2x}\nratelimit: {}\n":         "line 3: stages[0].from",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - success >= NaN\n":  "line 5: thresholds[0]",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - success >= NaN%\n": "line 5: thresholds[0]",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - errors <= NaN\n":   "line 5: thresholds[0]",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - rate >= Inf/s\n":   "line 5: thresholds[0]",
	}
	for yaml, want := range cases {
		_, err := Parse("t.yaml", []byte(yaml))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one naming %q", yaml, err, want)
		}
	}
	p := tinyProfile(t, "name: x\nstages:\n  - {duration: 1s, rate: 1}\n")
	for _, r := range []float64{math.NaN(), math.Inf(1)} {
		if err := p.Scale(0, r); err == nil || !strings.Contains(err.Error(), "--rate") {
			t.Errorf("Scale(rate %v) = %v, want an error naming --rate", r, err)
		}
	}
	_, err := Run(context.Background(), Options{Profile: p, Doc: spec.MustEmbedded(), ValidateSample: math.NaN(), ReportDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "ValidateSample") {
		t.Errorf("Run with ValidateSample NaN = %v, want an error before the attack", err)
	}
}
