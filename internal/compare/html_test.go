package compare

import (
	"bytes"
	"io"
	"strings"
	"testing"

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
	c := readFixtures(t)
	want := map[string]int{"#runs tr.run": 3, "#conform-metrics tr.metric": len(c.ConformMetrics()),
		"#scenarios tr.scenario": 5, "#scenarios tr.differs": 5, "#scenarios td.outcome.failed": 2,
		"#scenarios td.outcome.missing": 2, "#scenarios .reason": 2, "#load-metrics tr.metric": len(c.LoadMetrics()),
		"#filter": 1, "#only-differences": 1, "#verdict": 1}
	res := browsercheck.Check(t, "compare.html", func(w io.Writer) error { return WriteHTML(w, c) }, want)
	if !strings.Contains(res.Title, "FAILED") {
		t.Errorf("title %q, want it to say FAILED", res.Title)
	}
}
