package compare

import (
	"fmt"
	"strconv"
	"strings"
)

// Metric is one row of a metrics table: a name and one cell per run.
type Metric struct {
	Name  string
	Cells []Cell
	// Differs is true when the cells are not all the same text, for
	// metrics where a difference is news (counts, coverage, findings,
	// verdicts); measurements that vary from run to run (latencies,
	// durations, rates) never set it.
	Differs bool
}

// Cell is one run's value of a metric; Bad marks a value that fails or
// points at a defect (a failed verdict, failed scenarios, findings).
type Cell struct {
	Text string
	Bad  bool
}

// metricRow builds a row from one cell function applied to each run.
func metricRow[R any](name string, runs []R, cell func(R) Cell) Metric {
	m := Metric{Name: name}
	for _, r := range runs {
		c := cell(r)
		m.Differs = m.Differs || (len(m.Cells) > 0 && c.Text != m.Cells[0].Text)
		m.Cells = append(m.Cells, c)
	}
	return m
}

// measured marks a row whose values vary by nature: it is never
// highlighted as a difference.
func measured(m Metric) Metric {
	m.Differs = false
	return m
}

func plain(s string) Cell { return Cell{Text: s} }

// ConformMetrics are the conform runs' figures, one row per metric.
func (c *Comparison) ConformMetrics() []Metric {
	rs := c.Conform
	n := func(v int) string { return strconv.Itoa(v) }
	return []Metric{
		metricRow("verdict", rs, func(r *ConformRun) Cell { return Cell{verdictText(r.Source), !r.Passed()} }),
		metricRow("scenarios passed", rs, func(r *ConformRun) Cell { return plain(n(r.Scenarios.Passed)) }),
		metricRow("scenarios failed", rs, func(r *ConformRun) Cell { return Cell{n(r.Scenarios.Failed), r.Scenarios.Failed > 0} }),
		metricRow("scenarios skipped", rs, func(r *ConformRun) Cell { return plain(n(r.Scenarios.Skipped)) }),
		metricRow("spec coverage", rs, func(r *ConformRun) Cell {
			return plain(fmt.Sprintf("%.1f%% (%d of %d)", r.Coverage.Percent, r.Coverage.Seen, r.Coverage.Total))
		}),
		measured(metricRow("response latency p50", rs, func(r *ConformRun) Cell { return plain(p50(r.Response)) })),
		measured(metricRow("response latency p99", rs, func(r *ConformRun) Cell { return plain(p99(r.Response)) })),
		measured(metricRow("responses", rs, func(r *ConformRun) Cell { return plain(n(r.Response.N)) })),
		measured(metricRow("send → final status p50", rs, func(r *ConformRun) Cell { return plain(p50(r.Final.Latency)) })),
		measured(metricRow("send → final status p99", rs, func(r *ConformRun) Cell { return plain(p99(r.Final.Latency)) })),
		measured(metricRow("final status reached", rs, func(r *ConformRun) Cell {
			if r.Final.Rule == RuleUnknown {
				return plain(fmt.Sprintf("unknown (%d messages with receipts)", r.Final.Messages))
			}
			return plain(fmt.Sprintf("%d of %d messages with receipts", r.Final.N, r.Final.Messages))
		})),
		metricRow("final statuses known from", rs, func(r *ConformRun) Cell { return plain(r.Final.Rule) }),
		metricRow("rate-limit findings", rs, func(r *ConformRun) Cell { return Cell{rateLimitText(r.RateLimit), len(r.RateLimit) > 0} }),
		metricRow("findings (all)", rs, func(r *ConformRun) Cell { return Cell{n(r.Findings), r.Findings > 0} }),
		measured(metricRow("duration", rs, func(r *ConformRun) Cell { return plain(fmtDur(r.Duration)) })),
	}
}

// LoadMetrics are the load runs' figures, one row per metric.
func (c *Comparison) LoadMetrics() []Metric {
	rs := c.Load
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	dlr := func(f func(*LoadRun) Cell) func(*LoadRun) Cell {
		return func(r *LoadRun) Cell {
			if !r.Delivery.Enabled {
				return plain("off")
			}
			return f(r)
		}
	}
	return []Metric{
		metricRow("verdict", rs, func(r *LoadRun) Cell { return Cell{verdictText(r.Source), !r.Passed()} }),
		metricRow("profile", rs, func(r *LoadRun) Cell { return plain(r.Profile) }),
		measured(metricRow("requests", rs, func(r *LoadRun) Cell { return plain(u(r.Requests)) })),
		measured(metricRow("throughput", rs, func(r *LoadRun) Cell { return plain(fmt.Sprintf("%.1f/s", r.Throughput)) })),
		metricRow("success", rs, func(r *LoadRun) Cell { return Cell{pct(r.Success), r.Success < 1} }),
		metricRow("response latency p50", rs, func(r *LoadRun) Cell { return plain(p50(r.Latency)) }),
		metricRow("response latency p99", rs, func(r *LoadRun) Cell { return plain(p99(r.Latency)) }),
		metricRow("receipts complete", rs, dlr(func(r *LoadRun) Cell {
			d := r.Delivery
			return Cell{fmt.Sprintf("%s (%d of %d)", pct(d.Complete), d.Accepted-min(d.Missing, d.Accepted), d.Accepted), d.Missing > 0}
		})),
		metricRow("receipt duplicates", rs, dlr(func(r *LoadRun) Cell { return Cell{u(r.Delivery.Duplicates), r.Delivery.Duplicates > 0} })),
		measured(metricRow("send → final receipt p50", rs, dlr(func(r *LoadRun) Cell { return plain(p50(r.Delivery.Latency)) }))),
		measured(metricRow("send → final receipt p99", rs, dlr(func(r *LoadRun) Cell { return plain(p99(r.Delivery.Latency)) }))),
		metricRow("rate limiting", rs, func(r *LoadRun) Cell { return loadRateLimitCell(r.RateLimit) }),
		metricRow("thresholds", rs, func(r *LoadRun) Cell { return Cell{thresholdsText(r.Thresholds), failedThresholds(r) != ""} }),
		metricRow("failed thresholds", rs, func(r *LoadRun) Cell { f := failedThresholds(r); return Cell{orDash(f), f != ""} }),
	}
}

// loadRateLimitCell says what a load run saw of rate limiting: 429s,
// the advertised limit, and defects (bad or missing Retry-After, missing
// limit header, no recovery).
func loadRateLimitCell(rl LoadRateLimit) Cell {
	parts := []string{fmt.Sprintf("%d × 429", rl.Limited)}
	if rl.Advertised > 0 {
		parts = append(parts, fmt.Sprintf("limit %d/s advertised", rl.Advertised))
	}
	bad := false
	for _, d := range []struct {
		n    uint64
		what string
	}{{rl.BadRetryAfter, "bad Retry-After"}, {rl.NoLimitHeader, "no limit header"}} {
		if d.n > 0 {
			parts, bad = append(parts, fmt.Sprintf("%s ×%d", d.what, d.n)), true
		}
	}
	if rl.Recovery != "" {
		parts = append(parts, "recovery "+rl.Recovery)
		bad = bad || rl.Recovery != "ok"
	}
	return Cell{strings.Join(parts, ", "), bad}
}

// failedThresholds lists a load run's failed thresholds with what was
// observed.
func failedThresholds(r *LoadRun) string {
	var out []string
	for _, t := range r.Thresholds {
		if !t.Pass {
			out = append(out, fmt.Sprintf("%s (observed %s)", t.Expr, t.Observed))
		}
	}
	return strings.Join(out, "; ")
}
