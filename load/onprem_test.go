package load

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/load/profiles"
)

// runOnprem runs p against the in-process on-premises simulator.
func runOnprem(t *testing.T, p *profiles.Profile, o Options) *Result {
	t.Helper()
	o.Profile, o.Dialect, o.Doc, o.ReportDir = p, onprem.New(), onpremspec.MustDoc(), t.TempDir()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// onpremProfile loads an on-premises built-in and checks it is the
// vendor's own.
func onpremProfile(t *testing.T, name string) *profiles.Profile {
	t.Helper()
	p, err := profiles.Load(name, onprem.Name)
	if err != nil {
		t.Fatal(err)
	}
	if p.Source != "builtin:onprem/"+name {
		t.Fatalf("%s comes from %s, want the on-premises folder", name, p.Source)
	}
	return p
}

// TestOnpremProfilesAgainstSimulator runs the on-premises send and soak
// profiles scaled down (in time and rate) against the simulator with its
// limits on as the profiles set them: every message delivered over
// batched webhooks, every answer valid, no send refused.
func TestOnpremProfilesAgainstSimulator(t *testing.T) {
	for _, name := range []string{"send", "soak"} {
		t.Run(name, func(t *testing.T) {
			p := onpremProfile(t, name)
			if p.SimOptions["throughput"] != "80" || p.SimOptions["pair-interval"] != "6s" {
				t.Errorf("sim options %v: the documented limits should be on", p.SimOptions)
			}
			if err := p.Scale(1500*time.Millisecond, 30); err != nil {
				t.Fatal(err)
			}
			s := runOnprem(t, p, Options{ValidateSample: 1}).Summary
			if s.Requests < 10 || s.Success < 0.99 || s.RateLimit.Limited != 0 {
				t.Errorf("requests %d, success %v, refused %d, codes %v, errors %v", s.Requests, s.Success, s.RateLimit.Limited, s.StatusCodes, s.Errors)
			}
			if s.Validation.Violations != 0 {
				t.Errorf("spec violations: %v %v", s.Validation.ByCode, s.Validation.Examples)
			}
			d := s.Delivery
			if !d.Enabled || d.Accepted == 0 || d.Missing != 0 || d.Unknown != 0 || d.Terminal != d.Accepted {
				t.Errorf("delivery: %+v", d)
			}
			if d.Posts == 0 || d.BatchedPosts == 0 || d.MaxBatch < 2 || d.Callbacks <= d.Posts {
				t.Errorf("batched webhooks: %d events in %d posts, %d batched, most %d in one", d.Callbacks, d.Posts, d.BatchedPosts, d.MaxBatch)
			}
		})
	}
}

// TestOnpremRateLimitProfile runs the throughput profile at its real
// rates (half to three times 80/s) for a few seconds: the sends over the
// throughput are refused 400 with error 130429, counted as rate-limit
// refusals, valid against the spec; the rate the client kept taking is
// the configured 80/s (the onset threshold passes) and every accepted
// message is delivered.
func TestOnpremRateLimitProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs at up to 240 sends a second for 6 s")
	}
	p := onpremProfile(t, "ratelimit")
	if err := p.Scale(6*time.Second, 0); err != nil {
		t.Fatal(err)
	}
	res := runOnprem(t, p, Options{ValidateSample: 1})
	s := res.Summary
	rl := s.RateLimit
	if rl.Limited == 0 || rl.Reference() != onprem.DocumentedThroughput || math.Abs(rl.Onset-80)/80 > 0.1 {
		t.Errorf("refusals %d, reference %d, onset %.1f/s; want refusals and an onset within 10%% of 80/s", rl.Limited, rl.Reference(), rl.Onset)
	}
	if s.StatusCodes["400"] != int(rl.Limited) || s.StatusCodes["429"] != 0 {
		t.Errorf("status codes %v, %d refusals: every refusal should be a 400", s.StatusCodes, rl.Limited)
	}
	if s.Validation.Violations != 0 || s.Validation.Validated == 0 {
		t.Errorf("validated %d, violations %v %v", s.Validation.Validated, s.Validation.ByCode, s.Validation.Examples)
	}
	if d := s.Delivery; d.Missing != 0 || d.Unknown != 0 || d.Accepted == 0 {
		t.Errorf("delivery: %+v", d)
	}
	if !s.Pass {
		for _, th := range s.Thresholds {
			if !th.Pass {
				t.Errorf("threshold %s: %v %s", th.Expr, th.Observed, th.Note)
			}
		}
	}
}

// TestOnpremThroughputBodyMissingIsAViolation: with the simulator's
// throughput-error-body-missing fault the refusals lack Meta's error body;
// the run counts spec violations and fails its violations threshold.
func TestOnpremThroughputBodyMissingIsAViolation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs at up to 240 sends a second for 3 s")
	}
	p := onpremProfile(t, "ratelimit")
	if err := p.Scale(3*time.Second, 0); err != nil {
		t.Fatal(err)
	}
	fault := func(c *sim.Config) { c.Faults = []sim.FaultSetting{{Name: "throughput-error-body-missing", Ratio: 1}} }
	s := runOnprem(t, p, Options{ValidateSample: 1, SimConfig: fault}).Summary
	if s.Validation.Violations == 0 || s.Pass {
		t.Errorf("violations %d (%v), pass %v: the missing error bodies went unnoticed", s.Validation.Violations, s.Validation.ByCode, s.Pass)
	}
}

// TestProfileSimOptions: sim.options sets the simulator's wire options;
// a value that is not a single scalar is refused naming the line.
func TestProfileSimOptions(t *testing.T) {
	p, err := profiles.Parse("t.yaml", []byte("name: x\nstages:\n  - {duration: 1s, rate: 1}\nsim:\n  options:\n    throughput: \"5\"\n    pair-interval: 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.SimOptions["throughput"] != "5" || p.SimOptions["pair-interval"] != "0" {
		t.Errorf("SimOptions %v", p.SimOptions)
	}
	for yaml, want := range map[string]string{
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nsim:\n  options: 5\n":                    "line 5: sim.options: expected a mapping",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nsim:\n  options:\n    throughput: [1]\n": "sim.options.throughput: expected a single value",
	} {
		if _, err := profiles.Parse("t.yaml", []byte(yaml)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", yaml, err, want)
		}
	}
}

// TestOnpremBuiltinProfiles: the on-premises folder replaces send,
// ratelimit and soak (no broadcast: the client has none), each described
// and with thresholds.
func TestOnpremBuiltinProfiles(t *testing.T) {
	ps, err := profiles.Builtin(onprem.Name)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
		if !strings.HasPrefix(p.Source, "builtin:onprem/") || p.Description == "" || len(p.Thresholds) == 0 {
			t.Errorf("%s (%s): needs to be the vendor's own, with a description and thresholds", p.Name, p.Source)
		}
	}
	if got := strings.Join(names, ","); got != "ratelimit,send,soak" {
		t.Errorf("built-ins = %s", got)
	}
}
