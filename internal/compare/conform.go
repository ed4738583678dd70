package compare

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/report"
)

// Source is where a run came from and what it says about itself.
type Source struct {
	// Index is the folder's 1-based position on the command line.
	Index int `json:"index"`
	// Dir is the folder as given; Name its own name (links resolved).
	Dir  string `json:"dir"`
	Name string `json:"name"`
	// Kind is conform or load.
	Kind    Kind      `json:"kind"`
	Vendor  string    `json:"vendor,omitempty"`
	Target  string    `json:"target"`
	Spec    string    `json:"spec"`
	Errata  string    `json:"errata,omitempty"`
	Started time.Time `json:"started"`
	// ExitCode is the run's verdict: 0 passed, 1 failed.
	ExitCode int `json:"exit_code"`
}

// Passed reports whether the run's verdict was a pass.
func (s Source) Passed() bool { return s.ExitCode == 0 }

// ConformRun is what compare shows of one conform run.
type ConformRun struct {
	Source
	Fault     string        `json:"fault,omitempty"`
	Tags      string        `json:"tags"`
	Simulated bool          `json:"simulated"`
	Duration  time.Duration `json:"duration_ns"`
	Scenarios report.Counts `json:"scenarios"`
	// Coverage is the spec coverage: cells seen of the total.
	Coverage Coverage `json:"coverage"`
	// Response is the latency of every answered HTTP exchange.
	Response Latency `json:"response_latency"`
	// Final is send → final-status latency over the messages sent.
	Final FinalLatency `json:"final_status_latency"`
	// RateLimit lists the rate-limit findings (see IsRateLimitFinding).
	RateLimit []FindingCount `json:"ratelimit_findings"`
	// Findings counts every validation finding of the run.
	Findings int `json:"findings"`
	// outcomes maps scenario keys to outcomes; keys lists them in order.
	outcomes map[string]*Outcome
	keys     []scenarioKey
}

// Coverage is a run's spec coverage.
type Coverage struct {
	Percent float64 `json:"percent"`
	Seen    int     `json:"seen"`
	Total   int     `json:"total"`
}

// Outcome is one scenario's result in one run.
type Outcome struct {
	Status report.Status `json:"status"`
	// Reason says why a skipped scenario was skipped.
	Reason string `json:"reason,omitempty"`
	// Step and Error are the first failed step and its error, for a
	// failed scenario.
	Step  string `json:"step,omitempty"`
	Error string `json:"error,omitempty"`
}

// scenarioKey names a scenario across runs.
type scenarioKey struct{ Feature, Scenario string }

func (k scenarioKey) String() string { return k.Feature + "\x00" + k.Scenario }

// NewConformRun computes the comparison figures of a conform run from its
// summary.json and run.json.
func NewConformRun(src Source, sum report.Summary, run *report.Run) *ConformRun {
	src.Kind, src.Vendor, src.Target, src.Spec, src.Errata = KindConform, sum.Vendor, sum.Target, sum.Spec, sum.Errata
	src.Started, src.ExitCode = sum.Started, sum.ExitCode
	if src.Vendor == "" {
		src.Vendor = run.Vendor
	}
	c := &ConformRun{Source: src, Fault: sum.Fault, Tags: sum.Tags, Simulated: sum.Simulated,
		Duration: time.Duration(sum.DurationMS) * time.Millisecond, Scenarios: sum.Scenarios,
		Coverage: Coverage{Percent: sum.Coverage.Percent, Seen: sum.Coverage.Seen, Total: sum.Coverage.Total},
		Response: responseLatency(run), Final: finalLatency(run, src.Vendor), outcomes: map[string]*Outcome{}}
	c.RateLimit, c.Findings = rateLimitFindings(run)
	c.addOutcomes(run)
	return c
}

// addOutcomes records every scenario's outcome under its feature and
// scenario name; a name repeated within a feature gets " (2)", " (3)", …
// in the order the run lists them.
func (c *ConformRun) addOutcomes(run *report.Run) {
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			k := scenarioKey{f.Name, s.Name}
			for n := 2; c.outcomes[k.String()] != nil; n++ {
				k.Scenario = s.Name + " (" + strconv.Itoa(n) + ")"
			}
			c.outcomes[k.String()] = outcome(s)
			c.keys = append(c.keys, k)
		}
	}
}

func outcome(s *report.Scenario) *Outcome {
	o := &Outcome{Status: s.Status}
	if s.Status == report.Skipped {
		o.Reason = s.Reason
	}
	if s.Status != report.Failed {
		return o
	}
	for _, st := range s.Steps {
		if st.Status == report.Failed {
			o.Step = strings.TrimSpace(st.Keyword) + " " + st.Text
			o.Error = st.Error
			break
		}
	}
	return o
}

// responseLatency is the latency of every exchange that got an answer.
func responseLatency(run *report.Run) Latency {
	var ds []time.Duration
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, x := range s.Exchanges {
				if x.Status != 0 {
					ds = append(ds, x.Duration)
				}
			}
		}
	}
	return NewLatency(ds)
}

// Latency is the 50th and 99th percentile of N durations (nearest rank:
// the smallest duration at least that share of the N is not above).
type Latency struct {
	N   int           `json:"n"`
	P50 time.Duration `json:"p50_ns"`
	P99 time.Duration `json:"p99_ns"`
}

// NewLatency computes the percentiles of ds (which it sorts).
func NewLatency(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return Latency{N: len(ds), P50: rank(ds, 50), P99: rank(ds, 99)}
}

// rank is the nearest-rank percentile p of sorted ds.
func rank(ds []time.Duration, p int) time.Duration {
	i := (p*len(ds)+99)/100 - 1
	return ds[max(i, 0)]
}
