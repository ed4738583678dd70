package compare

import (
	"fmt"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/load/threshold"
)

// fmtDur prints a latency: µs below a millisecond, ms with one decimal
// below a second, seconds with two.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// p50 and p99 print a latency's percentile, or "—" with no data.
func p50(l Latency) string { return latencyCell(l, l.P50) }
func p99(l Latency) string { return latencyCell(l, l.P99) }

func latencyCell(l Latency, d time.Duration) string {
	if l.N == 0 {
		return "—"
	}
	return fmtDur(d)
}

// pct prints a ratio in [0, 1] as a percentage with two decimals.
func pct(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// verdictText is "passed" or "FAILED (exit N)".
func verdictText(s Source) string {
	if s.Passed() {
		return "passed"
	}
	return fmt.Sprintf("FAILED (exit %d)", s.ExitCode)
}

// oneLine is s with its runs of white space (newlines too) made single
// spaces, cut to n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// orDash is s, or "—" when empty.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// timeText prints a start time in UTC to the second.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// rateLimitText is a conform run's rate-limit findings on one line.
func rateLimitText(fs []FindingCount) string {
	if len(fs) == 0 {
		return "none"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.String()
	}
	return strings.Join(parts, "; ")
}

// thresholdsText is "N of M passed" for a load run.
func thresholdsText(ts []threshold.Result) string {
	if len(ts) == 0 {
		return "none"
	}
	n := 0
	for _, t := range ts {
		if t.Pass {
			n++
		}
	}
	return fmt.Sprintf("%d of %d passed", n, len(ts))
}
