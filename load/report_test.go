package load

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/browsercheck"
	"github.com/wabcheck/wabcheck/load/profiles"
)

// checkReport opens load.html in headless Chromium: no console errors, and
// at least wantCharts charts with drawn content.
func checkReport(t *testing.T, dir string, wantCharts int) {
	t.Helper()
	path := filepath.Join(dir, "load.html")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{`src="http`, `href="http`, `url(http`, `@import`, `src="//`, `href="//`} {
		if strings.Contains(string(b), ref) {
			t.Errorf("load.html loads something from outside (%s)", ref)
		}
	}
	if _, err := browsercheck.Browser(); errors.Is(err, browsercheck.ErrNoBrowser) {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := browsercheck.Open(ctx, path, 200*time.Millisecond, "svg.chart", "svg.chart rect", "svg.chart polyline", "#thresholds tr")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ConsoleErrors) > 0 {
		t.Errorf("console errors: %v", r.ConsoleErrors)
	}
	if r.Counts["svg.chart"] < wantCharts || r.Counts["svg.chart rect"] == 0 || r.Counts["svg.chart polyline"] == 0 {
		t.Errorf("charts did not render: %v", r.Counts)
	}
	if r.Counts["#thresholds tr"] < 2 {
		t.Errorf("threshold table is empty: %v", r.Counts)
	}
	if !strings.Contains(r.Title, "wabcheck load") {
		t.Errorf("title %q", r.Title)
	}
}

// TestReportInBrowser runs the send profile briefly against the simulator
// and checks its page: throughput, latency, histogram, lag and two DLR charts.
func TestReportInBrowser(t *testing.T) {
	p, err := profiles.Load("send", "modica")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Scale(time.Second, 20); err != nil {
		t.Fatal(err)
	}
	res := runProfile(t, context.Background(), p, Options{ValidateSample: 1})
	checkReport(t, res.Dir, 6)
}
