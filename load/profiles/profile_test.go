package profiles

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseBadProfiles(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown top key", "name: x\nstages:\n  - {duration: 1s, rate: 1}\nratee: 5\n",
			`profile t.yaml: line 4: unknown key "ratee" in the top level (known: name, description, stages, mix, payload, timeout, workers, max_workers, grace, ratelimit, sim, thresholds)`},
		{"unknown stage key", "name: x\nstages:\n  - duration: 1s\n    rat: 1\n",
			`profile t.yaml: line 4: unknown key "rat" in stages[0] (known: duration, rate, from, to)`},
		{"bad duration", "name: x\nstages:\n  - duration: 10 s\n    rate: 1\n",
			`profile t.yaml: line 3: stages[0].duration: bad duration "10 s" (write it like 500ms, 10s, 2m)`},
		{"negative rate", "name: x\nstages:\n  - duration: 1s\n    rate: -5\n",
			`profile t.yaml: line 4: stages[0].rate: impossible rate "-5" (must be between 0 and 1000000 per second)`},
		{"huge rate", "name: x\nstages:\n  - duration: 1s\n    rate: 5000000\n",
			`profile t.yaml: line 4: stages[0].rate: impossible rate "5000000" (must be between 0 and 1000000 per second)`},
		{"rate and ramp", "name: x\nstages:\n  - duration: 1s\n    rate: 5\n    from: 1\n    to: 2\n",
			`profile t.yaml: line 4: stages[0].rate: give either rate (constant) or from and to (ramp), not both`},
		{"half ramp", "name: x\nstages:\n  - duration: 1s\n    from: 5\n",
			`profile t.yaml: line 3: stages[0]: a ramp needs both from and to`},
		{"zero ramp", "name: x\nstages:\n  - {duration: 1s, from: 0, to: 0}\n",
			`profile t.yaml: line 3: stages[0].from: impossible ramp from 0 to 0 (use rate: 0 for as fast as possible)`},
		{"unknown op", "name: x\nstages:\n  - {duration: 1s, rate: 1}\nmix:\n  sned: 1\n",
			`profile t.yaml: line 5: unknown key "sned" in mix (known: send, broadcast, get, healthz)`},
		{"bad threshold", "name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - p99 < 300\n",
			`profile t.yaml: line 5: thresholds[0]: threshold "p99 < 300": bad duration "300" (give a unit: 300ms, 1.5s)`},
		{"workers above max", "name: x\nstages:\n  - {duration: 1s, rate: 1}\nworkers: 50\nmax_workers: 10\n",
			`profile t.yaml: line 5: max_workers: 10 is below workers (50)`},
		{"relative without ratelimit", "name: x\nstages:\n  - {duration: 1s, from: 0.5x, to: 2x}\n",
			`profile t.yaml: line 1: stages: rates relative to the advertised limit (x) need a ratelimit section`},
		{"rate 0 not alone", "name: x\nstages:\n  - {duration: 1s, rate: 0}\n  - {duration: 1s, rate: 5}\n",
			`profile t.yaml: line 3: stages[0].rate: rate 0 (as fast as possible) must be the only stage`},
		{"missing name", "stages:\n  - {duration: 1s, rate: 1}\n",
			`profile t.yaml: line 1: name: missing (every profile needs a name)`},
		{"stages not a list", "name: x\nstages: 5\n",
			`profile t.yaml: line 2: stages: expected a list`},
		{"payload key", "name: x\nstages:\n  - {duration: 1s, rate: 1}\npayload:\n  broadcast: 5\n",
			`profile t.yaml: line 5: unknown key "broadcast" in payload (known: first_destination, destinations, broadcast_size, reference_prefix, via, variants)`},
		{"broadcast size", "name: x\nstages:\n  - {duration: 1s, rate: 1}\npayload:\n  broadcast_size: 5000\n",
			`profile t.yaml: line 5: payload.broadcast_size: "5000" is not a whole number between 1 and 1000`},
		{"bad variant", "name: x\nstages:\n  - {duration: 1s, rate: 1}\npayload:\n  variants: {video: 1}\n",
			`profile t.yaml: line 5: unknown key "video" in payload.variants (known: text, template, media)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatalf("expected error %q, got none", c.want)
			}
			if err.Error() != c.want {
				t.Errorf("error:\n got %s\nwant %s", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestBuiltinProfilesParse(t *testing.T) {
	ps, err := Builtin("modica")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
		if p.Description == "" || len(p.Thresholds) == 0 {
			t.Errorf("%s: needs a description and thresholds", p.Name)
		}
	}
	if got := strings.Join(names, ","); got != "broadcast,ratelimit,send,soak" {
		t.Errorf("built-ins = %s", got)
	}
}

func TestScale(t *testing.T) {
	p, err := Parse("t", []byte("name: x\nstages:\n  - {duration: 10s, from: 10, to: 100}\n  - {duration: 30s, rate: 100}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Scale(4*time.Second, 20); err != nil {
		t.Fatal(err)
	}
	if p.Stages[0].Duration != time.Second || p.Stages[1].Duration != 3*time.Second {
		t.Errorf("durations %v %v", p.Stages[0].Duration, p.Stages[1].Duration)
	}
	if p.Stages[0].From.Value != 2 || p.Stages[0].To.Value != 20 || p.Stages[1].To.Value != 20 {
		t.Errorf("rates %+v", p.Stages)
	}
	if err := p.Scale(0, -1); err == nil || !strings.Contains(err.Error(), "--rate") {
		t.Errorf("negative --rate: %v", err)
	}
}

func TestResolveRelative(t *testing.T) {
	p, err := Load("ratelimit", "modica")
	if err != nil {
		t.Fatal(err)
	}
	p.Resolve(100)
	if s := p.Stages[0]; s.From != (Rate{Value: 50}) || s.To != (Rate{Value: 300}) {
		t.Errorf("resolved %+v", s)
	}
}

// TestLoadProfileFromDeviceIsBounded: --profile /dev/zero once read until
// the machine ran out of memory; the read is now bounded.
func TestLoadProfileFromDeviceIsBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Load("/dev/zero", "modica")
	if err == nil || !strings.Contains(err.Error(), "--profile: read /dev/zero: more than") {
		t.Fatalf("Load(/dev/zero) = %v", err)
	}
}

// TestRateLimitLimitParses: ratelimit.limit is the documented per-second
// limit of a vendor that advertises none (relative rates are multiples of
// it; the summary's ratelimit_onset compares with it: see
// TestDocumentedLimitIsTheReference in load/summary).
func TestRateLimitLimitParses(t *testing.T) {
	p, err := Parse("t.yaml", []byte("name: t\nstages:\n  - duration: 1s\n    from: 1x\n    to: 2x\nmix:\n  send: 1\nratelimit:\n  limit: 50\n  recovery: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.RateLimit.Limit != 50 {
		t.Fatalf("limit %d", p.RateLimit.Limit)
	}
	if _, err := Parse("t.yaml", []byte("name: t\nstages:\n  - duration: 1s\n    rate: 1\nmix:\n  send: 1\nratelimit:\n  limit: none\n")); err == nil || !strings.Contains(err.Error(), "ratelimit.limit") {
		t.Errorf("a bad limit: %v", err)
	}
}
