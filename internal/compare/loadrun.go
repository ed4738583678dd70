package compare

import (
	"github.com/wabcheck/wabcheck/load/summary"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// LoadRun is what compare shows of one load run.
type LoadRun struct {
	Source
	Profile     string  `json:"profile"`
	Interrupted bool    `json:"interrupted,omitempty"`
	Requests    uint64  `json:"requests"`
	Throughput  float64 `json:"throughput"`
	Success     float64 `json:"success"`
	// Latency is the response latency (the run's own percentiles).
	Latency Latency `json:"latency"`
	// Delivery is the delivery-receipt accounting.
	Delivery Delivery `json:"delivery"`
	// RateLimit is what the run saw of rate limiting.
	RateLimit LoadRateLimit `json:"ratelimit"`
	// Thresholds are the run's thresholds and how each fared.
	Thresholds []threshold.Result `json:"thresholds"`
}

// Delivery is a load run's delivery-receipt (DLR) accounting.
type Delivery struct {
	Enabled    bool   `json:"enabled"`
	Accepted   uint64 `json:"accepted"`
	Final      uint64 `json:"final"`
	Missing    uint64 `json:"missing"`
	Duplicates uint64 `json:"duplicates"`
	// Complete is the share of accepted messages whose final receipt
	// came (1 when none was accepted).
	Complete float64 `json:"complete"`
	// Latency is send → first final receipt.
	Latency Latency `json:"latency"`
}

// LoadRateLimit is a load run's rate-limit record.
type LoadRateLimit struct {
	// Limited counts 429 answers.
	Limited uint64 `json:"limited"`
	// Advertised is the limit the target announced, 0 when none.
	Advertised int `json:"advertised"`
	// BadRetryAfter and NoLimitHeader count 429s with a Retry-After out
	// of bounds or missing, and answers without the limit header.
	BadRetryAfter uint64 `json:"bad_retry_after"`
	NoLimitHeader uint64 `json:"no_limit_header"`
	// Recovery is "ok", "failed" or "" (not checked).
	Recovery string `json:"recovery,omitempty"`
}

// NewLoadRun takes the comparison figures of a load run from its
// summary.json. Its verdict fails when a threshold failed or the run was
// interrupted, as `wabcheck load` exits.
func NewLoadRun(src Source, s *summary.Summary) *LoadRun {
	src.Kind, src.Vendor, src.Target, src.Spec, src.Errata, src.Started = KindLoad, s.Vendor, s.Target, s.Spec, s.Errata, s.Start
	if !s.Pass || s.Interrupted {
		src.ExitCode = 1
	}
	l := &LoadRun{Source: src, Profile: s.Profile, Interrupted: s.Interrupted, Requests: s.Requests,
		Throughput: s.Throughput, Success: s.Success, Thresholds: s.Thresholds,
		Latency: Latency{N: int(s.Requests), P50: s.Latency.P50, P99: s.Latency.P99}}
	d := s.Delivery
	l.Delivery = Delivery{Enabled: d.Enabled, Accepted: d.Accepted, Final: d.Terminal, Missing: d.Missing,
		Duplicates: d.Duplicates, Complete: 1, Latency: Latency{N: int(d.Terminal), P50: d.P50, P99: d.P99}}
	if d.Accepted > 0 {
		l.Delivery.Complete = float64(d.Accepted-min(d.Missing, d.Accepted)) / float64(d.Accepted)
	}
	rl := s.RateLimit
	l.RateLimit = LoadRateLimit{Limited: rl.Limited, Advertised: rl.Advertised, BadRetryAfter: rl.BadRetryAfter, NoLimitHeader: rl.NoLimitHeader}
	if rl.Recovery.Checked {
		l.RateLimit.Recovery = map[bool]string{true: "ok", false: "failed"}[rl.Recovery.OK]
	}
	return l
}
