package browsercheck

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// skipWithoutBrowser skips where Chromium is absent (CI installs it).
func skipWithoutBrowser(t *testing.T) {
	t.Helper()
	if _, err := Browser(); errors.Is(err, ErrNoBrowser) {
		if os.Getenv("WABCHECK_REQUIRE_BROWSER") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

func TestOpenCatchesConsoleErrors(t *testing.T) {
	skipWithoutBrowser(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.html")
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(good, []byte(`<!doctype html><title>ok</title><body><svg class="chart"></svg><script>document.body.appendChild(document.createElement("canvas"))</script>`), 0o644)
	os.WriteFile(bad, []byte(`<!doctype html><title>bad</title><body><script>console.error("boom"); undefinedFn();</script>`), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	r, err := Open(ctx, good, 100*time.Millisecond, "svg.chart", "canvas")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ConsoleErrors) != 0 || r.Counts["svg.chart"] != 1 || r.Counts["canvas"] != 1 || r.Title != "ok" {
		t.Errorf("good page: %+v", r)
	}
	r, err = Open(ctx, bad, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ConsoleErrors) != 2 {
		t.Errorf("bad page: want 2 console errors (console.error + exception), got %q", r.ConsoleErrors)
	}
}
