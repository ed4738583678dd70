package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/load/summary"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// TestWriteHTMLDrawsTheChartsASummaryHas: load.html draws throughput,
// latency and the histogram always, and the lag, 429-onset and two DLR
// charts only when the summary measured them; the threshold table lists
// every result. (The engine's TestReportInBrowser renders a real run.)
func TestWriteHTMLDrawsTheChartsASummaryHas(t *testing.T) {
	tl := make([]summary.Second, 3)
	for i := range tl {
		tl[i] = summary.Second{OK: 10, Limited: 2, PlanRate: 12, LatencyP: [3]time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}}
	}
	base := summary.Summary{Profile: "p", Requests: 36, Timeline: tl, StatusCodes: map[string]int{"202": 30, "429": 6},
		Histogram:  []summary.HistogramBucket{{From: 0, To: time.Millisecond, Count: 30}, {From: time.Millisecond, Count: 6}},
		Thresholds: []threshold.Result{{Expr: "p99 < 1s", Observed: "3ms", Pass: true, Status: "pass"}}, Pass: true}
	full := base
	full.ScheduleLag = &summary.Percentiles{P99: time.Millisecond}
	full.RateLimit = summary.RateLimitSummary{Checked: true, Advertised: 10, Limited: 6}
	full.Delivery = summary.DeliverySummary{Enabled: true, Accepted: 30, Terminal: 30, ByStatus: map[string]uint64{"delivered": 30}, P99: time.Second}
	for name, c := range map[string]struct {
		s      summary.Summary
		charts int
	}{"bare": {base, 3}, "full": {full, 7}} {
		path := filepath.Join(t.TempDir(), "load.html")
		if err := WriteHTML(&c.s, path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		if n := strings.Count(page, `<svg class="chart"`); n != c.charts {
			t.Errorf("%s: %d charts, want %d", name, n, c.charts)
		}
		if !strings.Contains(page, "p99 &lt; 1s") || !strings.Contains(page, "<title>wabcheck load: p passed</title>") {
			t.Errorf("%s: the page lacks its title or the threshold row", name)
		}
	}
}
