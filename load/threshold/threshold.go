package threshold

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/finite"
)

// Kind is what a metric measures, which decides the units it accepts.
type Kind int

// Metric kinds.
const (
	KindDuration Kind = iota // needs a unit: ns, us, µs, ms, s, m
	KindRatio                // 0.99 or 99%
	KindCount                // a whole number
	KindRate                 // per second
)

// metricKinds lists every metric a threshold may name.
var metricKinds = map[string]Kind{
	"p50": KindDuration, "p90": KindDuration, "p95": KindDuration, "p99": KindDuration,
	"max": KindDuration, "mean": KindDuration, "min": KindDuration,
	"schedule_lag_p50": KindDuration, "schedule_lag_p95": KindDuration,
	"schedule_lag_p99": KindDuration, "schedule_lag_max": KindDuration,
	"dlr_p50": KindDuration, "dlr_p95": KindDuration, "dlr_p99": KindDuration, "dlr_max": KindDuration,
	"success": KindRatio, "sent_ratio": KindRatio, "dlr_complete": KindRatio, "retry_after_ok": KindRatio,
	"requests": KindCount, "violations": KindCount, "errors": KindCount,
	"status_5xx": KindCount, "status_429": KindCount, "dlr_missing": KindCount,
	"dlr_duplicates": KindCount, "dlr_unknown": KindCount, "ratelimit_recovered": KindCount,
	"callback_findings": KindCount, "signature_failures": KindCount,
	"validation_skipped": KindCount, "validation_truncated": KindCount,
	"rate": KindRate, "throughput": KindRate, "ratelimit_onset": KindRate,
}

// Metrics returns the names thresholds may use, sorted.
func Metrics() []string {
	out := make([]string, 0, len(metricKinds))
	for k := range metricKinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Threshold is one parsed expression: Metric Op Value, or Metric within
// Value (a fraction) of the metric's reference (for ratelimit_onset, the
// advertised X-RateLimit-Limit).
type Threshold struct {
	Expr   string
	Metric string
	Op     string // <, <=, >, >=, ==, !=, within
	Value  float64
	Kind   Kind
}

var ops = []string{"<=", ">=", "==", "!=", "<", ">", "within"}

// Parse parses "p99 < 300ms", "success >= 0.99", "success >= 99%",
// "ratelimit_onset within 10%", "violations == 0", "rate >= 500".
func Parse(expr string) (Threshold, error) {
	f := strings.Fields(expr)
	if len(f) != 3 {
		return Threshold{}, fmt.Errorf("threshold %q: want `metric op value` like `p99 < 300ms`", expr)
	}
	t := Threshold{Expr: strings.Join(f, " "), Metric: f[0], Op: f[1]}
	kind, ok := metricKinds[t.Metric]
	if !ok {
		return Threshold{}, fmt.Errorf("threshold %q: unknown metric %q (known: %s)", expr, t.Metric, strings.Join(Metrics(), ", "))
	}
	t.Kind = kind
	if !slices.Contains(ops, t.Op) {
		return Threshold{}, fmt.Errorf("threshold %q: unknown operator %q (use <, <=, >, >=, ==, !=, within)", expr, t.Op)
	}
	if t.Op == "within" {
		if t.Metric != "ratelimit_onset" {
			return Threshold{}, fmt.Errorf("threshold %q: within only applies to ratelimit_onset", expr)
		}
		kind = KindRatio
	}
	v, err := parseValue(f[2], kind)
	if err != nil {
		return Threshold{}, fmt.Errorf("threshold %q: %w", expr, err)
	}
	t.Value = v
	return t, nil
}

// parseValue reads a threshold value; durations come back in seconds.
func parseValue(s string, kind Kind) (float64, error) {
	switch kind {
	case KindDuration:
		d, err := time.ParseDuration(strings.ReplaceAll(s, "µ", "u"))
		if err != nil {
			return 0, fmt.Errorf("bad duration %q (give a unit: 300ms, 1.5s)", s)
		}
		return d.Seconds(), nil
	case KindRatio:
		if p, ok := strings.CutSuffix(s, "%"); ok {
			v, err := finite.Parse(p)
			if err != nil || v < 0 || v > 100 {
				return 0, fmt.Errorf("bad percentage %q", s)
			}
			return v / 100, nil
		}
		v, err := finite.Parse(s)
		if err != nil || v < 0 || v > 1 {
			return 0, fmt.Errorf("bad ratio %q (between 0 and 1, or a percentage like 99%%)", s)
		}
		return v, nil
	}
	v, err := finite.Parse(strings.TrimSuffix(s, "/s"))
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return v, nil
}

// Value is a measured metric for threshold evaluation.
type Value struct {
	V float64
	// Ref is the reference a `within` compares against.
	Ref float64
	// State is "" when measured, else why there is no value: StateOff
	// (the measurement was not enabled) or StateNoData.
	State string
}

// Threshold outcomes other than pass and fail.
const (
	StateOff    = "skipped"
	StateNoData = "no data"
)

// Result is one evaluated threshold.
type Result struct {
	Expr     string `json:"expr"`
	Observed string `json:"observed"`
	Pass     bool   `json:"pass"`
	Status   string `json:"status"` // pass, fail, skipped, no data
	Note     string `json:"note,omitempty"`
}

// Evaluate checks every threshold against the measured values. A metric
// whose measurement was turned off is "skipped" (passes, with a note); one
// that was on but has no data fails.
func Evaluate(ts []Threshold, values map[string]Value) []Result {
	out := make([]Result, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.eval(values[t.Metric]))
	}
	return out
}

func (t Threshold) eval(v Value) Result {
	r := Result{Expr: t.Expr}
	switch v.State {
	case StateOff:
		r.Pass, r.Status, r.Note = true, StateOff, "not measured in this run"
		return r
	case StateNoData:
		r.Status, r.Observed, r.Note = StateNoData, "-", "measurement was on but saw no data"
		return r
	}
	r.Observed = format(v.V, t.Kind)
	if t.Op == "within" {
		if v.Ref <= 0 {
			r.Status, r.Note = "fail", "no advertised limit to compare with"
			return r
		}
		dev := math.Abs(v.V-v.Ref) / v.Ref
		r.Pass = dev <= t.Value
		r.Note = fmt.Sprintf("reference %s, off by %.1f%%", format(v.Ref, t.Kind), dev*100)
	} else {
		r.Pass = compare(v.V, t.Op, t.Value)
	}
	r.Status = map[bool]string{true: "pass", false: "fail"}[r.Pass]
	return r
}

func compare(a float64, op string, b float64) bool {
	const eps = 1e-9
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b+eps
	case ">":
		return a > b
	case ">=":
		return a >= b-eps
	case "==":
		return math.Abs(a-b) <= eps
	}
	return math.Abs(a-b) > eps // !=
}

// format renders a value of the given kind for tables.
func format(v float64, k Kind) string {
	switch k {
	case KindDuration:
		return time.Duration(v * float64(time.Second)).Round(10 * time.Microsecond).String()
	case KindRatio:
		return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
	case KindRate:
		return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
