// Package browsercheck opens an HTML report in headless Chromium and reports
// what a person would see go wrong: console errors, uncaught exceptions, and
// charts that did not render. Report tests use it, only from _test.go
// files: Check writes a report, opens it and judges the console and the
// element counts in one call. It needs Debian's chromium (which .ci/run
// installs) and skips cleanly where it is absent (SkipWithoutBrowser).
package browsercheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is returned when no Chromium binary is found.
var ErrNoBrowser = errors.New("no chromium binary found (install Debian's chromium, or set WABCHECK_CHROMIUM)")

// Result is what the page did while it loaded.
type Result struct {
	// ConsoleErrors holds console.error messages and uncaught exceptions.
	ConsoleErrors []string
	// Counts maps each CSS selector asked for to the number of matching
	// elements after load.
	Counts map[string]int
	// Title is the document title.
	Title string
}

// Browser finds the Chromium binary: $WABCHECK_CHROMIUM, then chromium,
// chromium-browser, google-chrome on PATH.
func Browser() (string, error) {
	if p := os.Getenv("WABCHECK_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Open loads the file at path (a self-contained HTML report) in a fresh
// headless Chromium with a throwaway profile, waits for the load event plus
// settle, and counts the elements matching each selector.
func Open(ctx context.Context, path string, settle time.Duration, selectors ...string) (*Result, error) {
	bin, err := Browser()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("browsercheck %s: %w", path, err)
	}
	profile, err := os.MkdirTemp("", "wabcheck-chromium-")
	if err != nil {
		return nil, fmt.Errorf("browsercheck profile: %w", err)
	}
	defer os.RemoveAll(profile)

	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, launchOptions(bin, profile)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	res := &Result{Counts: map[string]int{}}
	var mu sync.Mutex
	listenErr := chromedp.Listen(bctx, collectErrors(res, &mu))
	if listenErr != nil {
		return nil, fmt.Errorf("browsercheck: start chromium %s: %w", bin, listenErr)
	}
	if _, err := chromedp.Run(bctx, chromedp.Navigate("file://"+abs)); err != nil {
		return nil, fmt.Errorf("browsercheck %s: %w", path, err)
	}
	if _, err := chromedp.Run(bctx, chromedp.WaitReady("body")); err != nil {
		return nil, fmt.Errorf("browsercheck %s: %w", path, err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Sleep(settle)); err != nil {
		return nil, fmt.Errorf("browsercheck %s: %w", path, err)
	}
	if res.Title, err = chromedp.Run(bctx, chromedp.Title()); err != nil {
		return nil, fmt.Errorf("browsercheck %s: %w", path, err)
	}
	counts := make([]int, len(selectors))
	for i, sel := range selectors {
		js := fmt.Sprintf("document.querySelectorAll(%q).length", sel)
		if counts[i], err = chromedp.Run(bctx, chromedp.Evaluate[int](js)); err != nil {
			return nil, fmt.Errorf("browsercheck %s: count %s: %w", path, sel, err)
		}
	}
	for i, sel := range selectors {
		res.Counts[sel] = counts[i]
	}
	mu.Lock()
	defer mu.Unlock()
	res.ConsoleErrors = append([]string(nil), res.ConsoleErrors...)
	return res, nil
}

func consoleText(args []*runtime.RemoteObject) string {
	s := ""
	for i, a := range args {
		if i > 0 {
			s += " "
		}
		if a.Description != "" {
			s += a.Description
		} else {
			s += string(a.Value)
		}
	}
	return s
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "exception"
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return fmt.Sprintf("%s (line %d)", d.Text, d.LineNumber)
}

// launchOptions are the flags for a quiet, sandbox-free, throwaway
// headless Chromium on a machine with no network but loopback.
func launchOptions(bin, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	}
}

// collectErrors returns a listener that appends console errors and
// uncaught exceptions to res under mu.
func collectErrors(res *Result, mu *sync.Mutex) func(ev any) {
	return func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				res.ConsoleErrors = append(res.ConsoleErrors, consoleText(e.Args))
			}
		case *runtime.EventExceptionThrown:
			res.ConsoleErrors = append(res.ConsoleErrors, exceptionText(e.ExceptionDetails))
		}
	}
}
