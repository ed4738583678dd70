package probe

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestPatternMatchAndMismatch: generated values match (or do not match)
// a pattern with its ECMA-262 meaning, within the length bounds asked.
func TestPatternMatchAndMismatch(t *testing.T) {
	ps := newPatterns()
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		pattern       string
		lo, hi, want  int
		mismatchLo    int
		matchExamples []string
	}{
		{`^\+[1-9]\d{1,14}$`, 0, 16, 16, 0, nil},
		{`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, 0, 36, 36, 0, nil},
		{`^[a-zA-Z0-9]+$`, 0, 255, 255, 0, nil},
		{`^(cat|dog)s?$`, 0, -1, 4, 0, nil},
		// the published Modica source pattern: a literal "[1-9]" prefix in
		// ECMA (legacy mode), never a plain number
		{`^\[1-9]\d{1,19}$`, 0, 50, 8, 0, []string{"[1-9]12"}},
		{`^[ -_.a-zA-Z0-9]*$`, 3, 100, 3, 3, nil},
	} {
		p := ps.get(tc.pattern)
		if p == nil {
			t.Fatalf("%s: not compiled", tc.pattern)
		}
		s, ok := p.match(rnd, tc.lo, tc.hi, tc.want, false)
		if !ok || !p.re.MatchString(s) || utf8.RuneCountInString(s) != tc.want {
			t.Errorf("%s: match %q (ok %v), want a match of length %d", tc.pattern, s, ok, tc.want)
		}
		bad, ok := p.mismatch(rnd, tc.mismatchLo, tc.hi)
		if !ok || p.re.MatchString(bad) || utf8.RuneCountInString(bad) < tc.mismatchLo {
			t.Errorf("%s: mismatch %q (ok %v)", tc.pattern, bad, ok)
		}
		for _, ex := range tc.matchExamples {
			if !p.re.MatchString(ex) {
				t.Errorf("%s: ECMA meaning lost, %q does not match", tc.pattern, ex)
			}
		}
	}
	if ps.get(`(?=a)a`) != nil {
		t.Error("a lookahead pattern compiled; the probe cannot generate for it")
	}
}
