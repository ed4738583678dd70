package load

// Regression tests for the acceptance audit of `wabcheck load`, one per
// bug, named after it.

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// acceptServer answers every request 202 and counts them.
func acceptServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func tinyProfile(t *testing.T, yaml string) *profiles.Profile {
	t.Helper()
	p, err := profiles.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const shortProfile = "name: short\nstages:\n  - {duration: 300ms, rate: 20}\nthresholds:\n  - success >= 0.99\n  - sent_ratio >= 0.5\n"

// TestZeroResultsSummaryDoesNotPanic: a run that ends before any result
// (Ctrl-C within ~50 ms) panicked in (*Summary).fill's histogram loop. The
// summary, the page and the plot must be written, and thresholds on the
// missing data must fail as documented ("no data").
func TestZeroResultsSummaryDoesNotPanic(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "results.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pacer := NewStagePacer([]profiles.Stage{{Duration: time.Second, From: profiles.Rate{Value: 10}, To: profiles.Rate{Value: 10}}})
	c := NewCollector(CollectorConfig{Pacer: pacer, Budget: time.Second, Results: f})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	s := &summary.Summary{Profile: "p", Stages: []summary.StageSummary{{Duration: time.Second, From: 10, To: 10}}}
	fillSummary(s, c, pacer.Rate)
	plan(s, pacer, 40*time.Millisecond)
	ths := []threshold.Threshold{mustThreshold(t, "p99 < 1s"), mustThreshold(t, "success >= 0.99"), mustThreshold(t, "sent_ratio >= 0.99")}
	s.Evaluate(ths)
	if s.Pass {
		t.Errorf("a run with no results passed: %+v", s.Thresholds)
	}
	for _, th := range s.Thresholds[:2] {
		if th.Status != threshold.StateNoData {
			t.Errorf("%s: %s, want %q", th.Expr, th.Status, threshold.StateNoData)
		}
	}
	if s.RequestsPlanned != 1 || s.SentRatio != 0 || s.Thresholds[2].Status != "fail" {
		t.Errorf("planned %d, sent ratio %v, %+v", s.RequestsPlanned, s.SentRatio, s.Thresholds[2])
	}
	if err := writeReports(s, nil, dir); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "load.html"))
	if !strings.Contains(string(b), "No request completed") {
		t.Error("load.html does not say that no request completed")
	}
}

func mustThreshold(t *testing.T, expr string) threshold.Threshold {
	t.Helper()
	th, err := threshold.Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// TestInterruptedAtStartWritesReportAndPublishes: Ctrl-C right at the start
// used to exit 2 with a run folder holding only results.bin.
func TestInterruptedAtStartWritesReportAndPublishes(t *testing.T) {
	srv, _ := acceptServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := t.TempDir()
	long := tinyProfile(t, "name: long\nstages:\n  - {duration: 60s, rate: 20}\nthresholds:\n  - success >= 0.99\n")
	res, err := Run(ctx, Options{Profile: long, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL, ReportRoot: root})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	s := res.Summary
	if !s.Interrupted || !strings.Contains(s.PlannedNote, "interrupted") || s.RequestsPlanned >= 1200 || s.RequestsPlanned < s.Requests {
		t.Errorf("interrupted %v, planned %d (%s); want the few due by the interruption", s.Interrupted, s.RequestsPlanned, s.PlannedNote)
	}
	for _, f := range []string{"load.html", "plot.html", "summary.json", "results.bin"} {
		if _, err := os.Stat(filepath.Join(res.Dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if got, _ := os.Readlink(filepath.Join(root, "latest")); got != filepath.Base(res.Dir) {
		t.Errorf("latest -> %q, want the interrupted run %s", got, filepath.Base(res.Dir))
	}
}

// writeShard writes a shard folder: a summary.json and the given results.bin.
func writeShard(t *testing.T, dir string, results []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &summary.Summary{Profile: "p", Attack: "p/shard-0", Start: time.Now(), End: time.Now(), RequestsPlanned: 10,
		Stages:     []summary.StageSummary{{Duration: time.Second, From: 10, To: 10}},
		Thresholds: []threshold.Result{{Expr: "success >= 0.99"}, {Expr: "sent_ratio >= 0.99"}}}
	if err := s.WriteJSON(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "results.bin"), results, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMergeGarbageResultsIsAnErrorNotAPanic: a shard whose results.bin is
// garbage panicked the merge; it must be one error naming the file, and
// the merge's run folder must not be left behind (nor reports/latest).
func TestMergeGarbageResultsIsAnErrorNotAPanic(t *testing.T) {
	shard := filepath.Join(t.TempDir(), "shard-0")
	writeShard(t, shard, []byte("this is not a results file\x00\x01\x02"))
	root := t.TempDir()
	_, err := Merge(MergeOptions{Dirs: []string{shard}, ReportRoot: root})
	want := filepath.Join(shard, "results.bin")
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %v, want one line naming %s", err, want)
	}
	if left, _ := os.ReadDir(root); len(left) != 0 {
		t.Errorf("failed merge left %v in the reports root", left)
	}
}

// TestMergeEmptyResultsDoesNotPanic: a shard that sent nothing merges into
// a report whose thresholds fail for lack of data.
func TestMergeEmptyResultsDoesNotPanic(t *testing.T) {
	shard := filepath.Join(t.TempDir(), "shard-0")
	writeShard(t, shard, nil)
	res, err := Merge(MergeOptions{Dirs: []string{shard}, ReportDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Requests != 0 || s.Pass || s.RequestsPlanned != 10 || len(s.Thresholds) != 2 {
		t.Errorf("requests %d pass %v planned %d thresholds %+v", s.Requests, s.Pass, s.RequestsPlanned, s.Thresholds)
	}
}

// TestSentRatioCatchesAGeneratorThatFellBehind: a run that sent far fewer
// requests than planned passed. One worker against a server that never
// answers (each request ends at the 200 ms timeout) sends a handful of
// the 40 planned.
func TestSentRatioCatchesAGeneratorThatFellBehind(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return // the preflight
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release) // before Close, which waits for the handlers
	p := tinyProfile(t, "name: behind\nstages:\n  - {duration: 1s, rate: 40}\ntimeout: 200ms\nworkers: 1\nmax_workers: 1\nthresholds:\n  - sent_ratio >= 0.99\n")
	res := runProfile(t, context.Background(), p, Options{Target: srv.URL})
	s := res.Summary
	if s.RequestsPlanned != 40 || s.SentRatio > 0.5 || s.SentRatio != float64(s.Requests)/40 {
		t.Errorf("planned %d, sent %d, ratio %v", s.RequestsPlanned, s.Requests, s.SentRatio)
	}
	if s.Pass || s.Thresholds[0].Status != "fail" {
		t.Errorf("thresholds %+v", s.Thresholds)
	}
	b, _ := os.ReadFile(filepath.Join(res.Dir, "summary.json"))
	if !bytes.Contains(b, []byte(`"requests_planned": 40`)) || !bytes.Contains(b, []byte(`"sent_ratio"`)) {
		t.Error("summary.json lacks requests_planned/sent_ratio")
	}
}

func TestPacerHitsBy(t *testing.T) {
	p := NewStagePacer([]profiles.Stage{{Duration: 2 * time.Second, From: profiles.Rate{Value: 0}, To: profiles.Rate{Value: 10}},
		{Duration: time.Second, From: profiles.Rate{Value: 10}, To: profiles.Rate{Value: 10}}})
	for at, want := range map[time.Duration]uint64{0: 0, time.Second: 3, 2 * time.Second: 10, 2500 * time.Millisecond: 15, 3 * time.Second: 20, time.Hour: 20} {
		if got := p.HitsBy(at); got != want {
			t.Errorf("HitsBy(%v) = %d, want %d", at, got, want)
		}
	}
	if p.HitsBy(p.Total()) != p.Hits() {
		t.Errorf("HitsBy(total) %d != Hits %d", p.HitsBy(p.Total()), p.Hits())
	}
}

// TestLatestMovesOnlyAfterReportsWritten: reports/latest moved when the
// run folder was created, so a run that failed to write its reports was
// "latest".
func TestLatestMovesOnlyAfterReportsWritten(t *testing.T) {
	srv, _ := acceptServer(t)
	root := t.TempDir()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := func() time.Time { return t0 }
	// Run folders are created exclusively (issue 13 item 12), so no folder
	// can be planted in a run's way any more: block load.html in a run
	// folder made the way Run makes it, and publish into it.
	run, err := newRunDir(root, "", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(run.Dir, "load.html"), 0o755); err != nil { // a folder where load.html goes
		t.Fatal(err)
	}
	s := &summary.Summary{Profile: "p", Stages: []summary.StageSummary{{Duration: time.Second, From: 10, To: 10}}}
	if _, err := publish(s, nil, run); err == nil {
		t.Fatal("publish wrote load.html over a folder")
	}
	o := Options{Profile: tinyProfile(t, shortProfile), Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL, ReportRoot: root, Now: now}
	if _, err := os.Lstat(filepath.Join(root, "latest")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("latest exists after a run whose reports failed: %v", err)
	}
	t0 = t0.Add(time.Second)
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Readlink(filepath.Join(root, "latest")); got != filepath.Base(res.Dir) {
		t.Errorf("latest -> %q, want %s", got, filepath.Base(res.Dir))
	}
}

// TestReportNamesSpecAndErrata: load reports did not say which spec and
// errata the responses were validated against.
func TestReportNamesSpecAndErrata(t *testing.T) {
	srv, _ := acceptServer(t)
	doc := modicaspec.MustDoc()
	res := runProfile(t, context.Background(), tinyProfile(t, shortProfile), Options{Target: srv.URL})
	s := res.Summary
	if s.Spec != doc.Name || s.Errata != doc.Errata.Summary() || s.Spec == "" || s.Errata == "" {
		t.Errorf("spec %q errata %q, want %q and %q", s.Spec, s.Errata, doc.Name, doc.Errata.Summary())
	}
	back, err := summary.Read(res.Dir)
	if err != nil || back.Spec != s.Spec || back.Errata != s.Errata {
		t.Errorf("summary.json: %+v %v", back, err)
	}
	page, _ := os.ReadFile(filepath.Join(res.Dir, "load.html"))
	for _, want := range []string{"spec " + htmlText(doc.Name), "errata: " + htmlText(doc.Errata.Summary())} {
		if !strings.Contains(string(page), want) {
			t.Errorf("load.html lacks %q", want)
		}
	}
}

// htmlText escapes s the way html/template escapes text.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// TestRedirectIsAResultNotAHopOffHost: vegeta followed up to 10 redirects,
// so a loopback --target could bounce the load anywhere. The redirect must
// be the result; the host it points at must see nothing (nor the
// preflight).
func TestRedirectIsAResultNotAHopOffHost(t *testing.T) {
	elsewhere, hits := acceptServer(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	res := runProfile(t, context.Background(), tinyProfile(t, shortProfile), Options{Target: srv.URL})
	s := res.Summary
	if hits.Load() != 0 {
		t.Errorf("the redirect target got %d requests", hits.Load())
	}
	if s.Requests == 0 || uint64(s.StatusCodes["302"]) != s.Requests {
		t.Errorf("requests %d, codes %v: want every result to be the 302", s.Requests, s.StatusCodes)
	}
}

// TestCallbackURLIsAnnouncedAndRecorded: --callback-url did nothing.
func TestCallbackURLIsAnnouncedAndRecorded(t *testing.T) {
	srv, _ := acceptServer(t)
	var out bytes.Buffer
	res := runProfile(t, context.Background(), tinyProfile(t, shortProfile),
		Options{Target: srv.URL, CallbackURL: "https://cb:s3cret@cb.example/wab/", Progress: &out})
	want := "https://cb:" + redact.Mask + "@cb.example/wab"
	if !strings.Contains(out.String(), want+"/status") || !strings.Contains(out.String(), want+"/reply") {
		t.Errorf("start output does not give the callback URLs:\n%s", out.String())
	}
	if res.Summary.CallbackURL != want {
		t.Errorf("summary callback_url %q, want %q", res.Summary.CallbackURL, want)
	}
	for _, f := range []string{"summary.json", "load.html"} {
		b, _ := os.ReadFile(filepath.Join(res.Dir, f))
		if !strings.Contains(string(b), "cb.example/wab") || strings.Contains(string(b), "s3cret") {
			t.Errorf("%s: callback URL missing or unredacted", f)
		}
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Error("the password was printed")
	}
}

// TestPreflightStopsOnWrongCredentials: a wrong --user/--password was only
// visible as a run full of 401s.
func TestPreflightStopsOnWrongCredentials(t *testing.T) {
	var attacked atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "right" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/healthz" {
			attacked.Add(1)
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	root := t.TempDir()
	o := Options{Profile: tinyProfile(t, shortProfile), Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL, Credentials: dialect.Credentials{User: "u", Password: "wrong"}, ReportRoot: root}
	_, err := Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "--user/--password: the target answered 401") || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("error %v", err)
	}
	if left, _ := os.ReadDir(root); len(left) != 0 {
		t.Errorf("a run that never started left %v", left)
	}
	o.Credentials.Password = "right"
	if _, err := Run(context.Background(), o); err != nil || attacked.Load() == 0 {
		t.Errorf("right credentials: %v, %d requests", err, attacked.Load())
	}
}

// TestProgressShowsRecoveryPhase: while waiting for Retry-After the
// progress line read "load 10s/4s", past the end of the attack.
func TestProgressShowsRecoveryPhase(t *testing.T) {
	c := NewCollector(CollectorConfig{Budget: time.Second})
	defer c.Close()
	env := &environment{base: "http://127.0.0.1:1"}
	rl := &RateLimitTally{Limited: 1, MaxRetryAfter: 10, LastLimited: time.Now()}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan summary.RecoverySummary)
	go func() { done <- probeRecovery(ctx, env, rl, time.Minute, c.setPhase) }()
	deadline := time.Now().Add(10 * time.Second)
	var line string
	for time.Now().Before(deadline) {
		if line = progressLine(c, -1, liveHead(c, 14*time.Second, 4*time.Second, 0), 0); strings.Contains(line, "recovery probe, waiting Retry-After 10s") {
			break
		}
		runtime.Gosched()
	}
	cancel()
	<-done
	if !strings.Contains(line, "recovery probe, waiting Retry-After 10s") || strings.Contains(line, "14s/4s") {
		t.Errorf("progress line while waiting: %q", line)
	}
}

// TestSimConfigBoundsMessageTTL: the in-process simulator kept finished
// messages for 10 minutes, so a soak's memory grew for its whole length.
func TestSimConfigBoundsMessageTTL(t *testing.T) {
	cfg := sim.DefaultConfig()
	harnessOptions(Options{}, &profiles.Profile{}, &cbReceiver{}).SimConfig(&cfg)
	if cfg.MessageTTL <= 0 || cfg.MessageTTL > time.Minute {
		t.Errorf("MessageTTL %v, want at most a minute", cfg.MessageTTL)
	}
	if recentMaxAge >= cfg.MessageTTL {
		t.Errorf("get asks for ids up to %v old, but the simulator forgets them after %v", recentMaxAge, cfg.MessageTTL)
	}
}

// TestRecentGetSkipsExpiredIDs: with the shorter simulator TTL, "get" must
// not ask for ids the simulator has forgotten (a slow run keeps ids in the
// ring for minutes).
func TestRecentGetSkipsExpiredIDs(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	r := &Recent{now: func() time.Time { return now }}
	r.Put("old-1")
	r.Put("old-2")
	now = t0.Add(time.Minute)
	r.Put("new-1")
	r.Put("new-2")
	for n := range uint64(20) {
		if id, ok := r.Get(n); !ok || !strings.HasPrefix(id, "new-") {
			t.Fatalf("Get(%d) = %q, %v: want a fresh id", n, id, ok)
		}
	}
	now = t0.Add(10 * time.Minute)
	if id, ok := r.Get(7); !ok || id != "new-2" {
		t.Errorf("all stale: Get = %q, %v; want the newest", id, ok)
	}
}
