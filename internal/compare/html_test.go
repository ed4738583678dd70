package compare

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/browsercheck"
)

// TestHTMLSelfContained: compare.html loads nothing from outside.
func TestHTMLSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, readFixtures(t)); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{`src="http`, `href="http`, `url(http`, `@import`, `src="//`, `href="//`, "<link "} {
		if strings.Contains(buf.String(), ref) {
			t.Errorf("compare.html loads something from outside (%s)", ref)
		}
	}
}

// TestHTMLInBrowser opens compare.html of the three recorded runs in
// headless Chromium: no console errors, every run, metric and scenario
// row there, the differences and failures marked.
func TestHTMLInBrowser(t *testing.T) {
	if _, err := browsercheck.Browser(); errors.Is(err, browsercheck.ErrNoBrowser) {
		if os.Getenv("WABCHECK_REQUIRE_BROWSER") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	path := filepath.Join(t.TempDir(), "compare.html")
	var buf bytes.Buffer
	c := readFixtures(t)
	if err := WriteHTML(&buf, c); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := browsercheck.Open(ctx, path, 200*time.Millisecond, "#runs tr.run", "#conform-metrics tr.metric",
		"#scenarios tr.scenario", "#scenarios tr.differs", "#scenarios td.outcome.failed", "#scenarios td.outcome.missing",
		"#scenarios .reason", "#load-metrics tr.metric", "#filter", "#only-differences", "#verdict")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ConsoleErrors) > 0 {
		t.Errorf("console errors: %v", res.ConsoleErrors)
	}
	want := map[string]int{"#runs tr.run": 3, "#conform-metrics tr.metric": len(c.ConformMetrics()),
		"#scenarios tr.scenario": 5, "#scenarios tr.differs": 5, "#scenarios td.outcome.failed": 2,
		"#scenarios td.outcome.missing": 2, "#scenarios .reason": 2, "#load-metrics tr.metric": len(c.LoadMetrics()),
		"#filter": 1, "#only-differences": 1, "#verdict": 1}
	for sel, n := range want {
		if res.Counts[sel] != n {
			t.Errorf("%s: %d elements, want %d", sel, res.Counts[sel], n)
		}
	}
	if !strings.Contains(res.Title, "FAILED") {
		t.Errorf("title %q, want it to say FAILED", res.Title)
	}
}
