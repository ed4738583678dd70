package browsercheck

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenCatchesConsoleErrors(t *testing.T) {
	SkipWithoutBrowser(t)
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

// errorsOf keeps the errors a helper reports instead of failing.
type errorsOf struct {
	testing.TB
	errs []string
}

func (e *errorsOf) Errorf(format string, a ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, a...))
}

func TestCheckReportsConsoleErrorsAndWrongCounts(t *testing.T) {
	SkipWithoutBrowser(t)
	page := func(body string) func(io.Writer) error {
		return func(w io.Writer) error {
			_, err := io.WriteString(w, `<!doctype html><title>t</title><body>`+body)
			return err
		}
	}
	rec := &errorsOf{TB: t}
	res := Check(rec, "good.html", page(`<p class="a"></p><p class="a"></p>`), map[string]int{"p.a": 2}, "p.b")
	if len(rec.errs) != 0 || res.Title != "t" || res.Counts["p.b"] != 0 {
		t.Errorf("good page: errors %q, result %+v", rec.errs, res)
	}
	rec = &errorsOf{TB: t}
	Check(rec, "bad.html", page(`<p class="a"></p><script>console.error("boom")</script>`), map[string]int{"p.a": 2})
	if len(rec.errs) != 2 || !strings.Contains(rec.errs[0], "boom") || !strings.Contains(rec.errs[1], "p.a: 1 elements, want 2") {
		t.Errorf("bad page: errors %q, want the console error and the count", rec.errs)
	}
}
