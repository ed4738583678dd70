package browsercheck

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// RequireEnv, when set in the environment, makes a missing browser fail
// the tests that need one instead of skipping them (CI sets it).
const RequireEnv = "WABCHECK_REQUIRE_BROWSER"

// SkipWithoutBrowser skips t where no Chromium is found, or fails it when
// RequireEnv is set.
func SkipWithoutBrowser(t testing.TB) {
	t.Helper()
	if _, err := Browser(); errors.Is(err, ErrNoBrowser) {
		if os.Getenv(RequireEnv) != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// Check is a report test's visit to its page: it writes the page with
// write into a file named name in a temporary directory of t, opens it
// (settling 200 ms, within a minute), fails t on console errors and on
// each selector of want whose count differs, and returns the result for
// further checks (the title; more, selectors counted but judged by the
// caller). It skips t as SkipWithoutBrowser does.
func Check(t testing.TB, name string, write func(io.Writer) error, want map[string]int, more ...string) *Result {
	t.Helper()
	SkipWithoutBrowser(t)
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("writing %s: %v", name, err)
	}
	selectors := append(append([]string(nil), more...), keys(want)...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := Open(ctx, path, 200*time.Millisecond, selectors...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ConsoleErrors) > 0 {
		t.Errorf("%s: console errors: %v", name, res.ConsoleErrors)
	}
	for _, sel := range keys(want) {
		if res.Counts[sel] != want[sel] {
			t.Errorf("%s %s: %d elements, want %d", name, sel, res.Counts[sel], want[sel])
		}
	}
	return res
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
