package load

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/load/profiles"
)

// FuzzProfileYAML feeds arbitrary bytes to the profile parser (a profile
// file is input wabcheck does not control). It must never panic, every
// error must be one line, and a profile it accepts must be one a run can
// use: bounded durations, finite rates within MaxRate, a bounded timeline.
// Seeds: testdata/fuzz/FuzzProfileYAML (the built-in profiles and a few
// edge cases).
func FuzzProfileYAML(f *testing.F) {
	f.Add([]byte("name: x\nstages:\n  - {duration: 1s, rate: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := profiles.Parse("fuzz.yaml", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		checkParsedProfile(t, p)
		if err := p.Scale(time.Minute, 100); err == nil {
			checkParsedProfile(t, p)
		}
	})
}

// checkParsedProfile asserts what Run relies on in an accepted profile.
func checkParsedProfile(t *testing.T, p *profiles.Profile) {
	t.Helper()
	if p.Name == "" || len(p.Stages) == 0 || len(p.Mix) == 0 {
		t.Fatalf("accepted an incomplete profile: %+v", p)
	}
	if d := p.Duration(); d <= 0 || d > profiles.MaxDuration || p.Budget() > profiles.MaxBudget {
		t.Fatalf("duration %v, budget %v out of bounds", d, p.Budget())
	}
	for i, s := range p.Stages {
		for _, r := range []profiles.Rate{s.From, s.To} {
			if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || r.Value < 0 || r.Value > profiles.MaxRate {
				t.Fatalf("stage %d: rate %v", i, r.Value)
			}
		}
	}
	for _, th := range p.Thresholds {
		if math.IsNaN(th.Value) || math.IsInf(th.Value, 0) {
			t.Fatalf("threshold %q: value %v", th.Expr, th.Value)
		}
	}
	if n, _ := timelineShape(p.Budget()); n > maxTimelineSlots {
		t.Fatalf("timeline of %d slots", n)
	}
}
