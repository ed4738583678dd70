package load

// Regression tests for issue 13 (hardening), named after its items.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// TestNaNInProfileIsRejected (issue 13 item 10): strconv.ParseFloat reads
// "NaN" and every `v < lo || v > hi` check lets it through, so a profile
// with `rate: NaN` (or a NaN threshold) ran with a NaN pacer. Every float
// field of a profile refuses NaN and infinities, naming key and line.
func TestNaNInProfileIsRejected(t *testing.T) {
	cases := map[string]string{
		"name: x\nstages:\n  - {duration: 1s, rate: NaN}\n":                                 "line 3: stages[0].rate",
		"name: x\nstages:\n  - {duration: 1s, from: 1, to: NaN}\n":                          "line 3: stages[0].to",
		"name: x\nstages:\n  - {duration: 1s, from: NaNx, to: 2x}\nratelimit: {}\n":         "line 3: stages[0].from",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - success >= NaN\n":  "line 5: thresholds[0]",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - success >= NaN%\n": "line 5: thresholds[0]",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - errors <= NaN\n":   "line 5: thresholds[0]",
		"name: x\nstages:\n  - {duration: 1s, rate: 1}\nthresholds:\n  - rate >= Inf/s\n":   "line 5: thresholds[0]",
	}
	for yaml, want := range cases {
		_, err := profiles.Parse("t.yaml", []byte(yaml))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one naming %q", yaml, err, want)
		}
	}
	p := tinyProfile(t, "name: x\nstages:\n  - {duration: 1s, rate: 1}\n")
	for _, r := range []float64{math.NaN(), math.Inf(1)} {
		if err := p.Scale(0, r); err == nil || !strings.Contains(err.Error(), "--rate") {
			t.Errorf("Scale(rate %v) = %v, want an error naming --rate", r, err)
		}
	}
	_, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), ValidateSample: math.NaN(), ReportDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "ValidateSample") {
		t.Errorf("Run with ValidateSample NaN = %v, want an error before the attack", err)
	}
}

// TestHugeDurationIsBounded (issue 13 item 4): `load --duration 100000h`
// died with "fatal error: runtime: out of memory" in 0.07 s, allocating a
// timeline slot per planned second. Past MaxDuration it is one line naming
// the flag or key; below it, the timeline stays bounded whatever the budget.
func TestHugeDurationIsBounded(t *testing.T) {
	p := tinyProfile(t, "name: x\nstages:\n  - {duration: 1s, rate: 1}\n")
	if err := p.Scale(100000*time.Hour, 0); err == nil || !strings.Contains(err.Error(), "--duration 100000h0m0s") {
		t.Errorf("Scale(100000h) = %v, want an error naming --duration", err)
	}
	_, err := profiles.Parse("t.yaml", []byte("name: x\nstages:\n  - {duration: 100000h, rate: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3: stages[0].duration") {
		t.Errorf("a 100000h stage: %v", err)
	}
	_, err = profiles.Parse("t.yaml", []byte("name: x\nstages:\n  - {duration: 100h, rate: 1}\n  - {duration: 100h, rate: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 4: stages[1].duration") {
		t.Errorf("stages adding up past the maximum: %v", err)
	}
	for _, key := range []string{"timeout", "grace"} {
		_, err = profiles.Parse("t.yaml", []byte("name: x\nstages:\n  - {duration: 1s, rate: 1}\n"+key+": 100000h\n"))
		if err == nil || !strings.Contains(err.Error(), "line 4: "+key) {
			t.Errorf("%s 100000h: %v", key, err)
		}
	}
	for _, budget := range []time.Duration{time.Minute, profiles.MaxDuration + time.Hour, 1 << 62} {
		tl := NewTimeline(budget)
		if len(tl.Seconds) > maxTimelineSlots {
			t.Errorf("budget %v: %d timeline slots, want at most %d", budget, len(tl.Seconds), maxTimelineSlots)
		}
		if covered := time.Duration(len(tl.Seconds)) * tl.Step; covered < min(budget, profiles.MaxDuration) {
			t.Errorf("budget %v: the timeline covers only %v", budget, covered)
		}
	}
	if tl := NewTimeline(time.Minute); tl.Step != time.Second {
		t.Errorf("a one-minute run has %v slots, want per-second ones", tl.Step)
	}
}

// TestCoarseTimelineKeepsRates: with slots of several seconds (a long
// run), the rate-limit onset and the first 429 are still per second.
func TestCoarseTimelineKeepsRates(t *testing.T) {
	tl := NewTimeline(profiles.MaxDuration)
	if tl.Step <= time.Second {
		t.Fatalf("a one-week budget kept %v slots", tl.Step)
	}
	perSlot := uint64(100 * tl.Step / time.Second) // 100/s accepted
	for i := range 4 {
		for range perSlot {
			tl.Add(time.Duration(i+2)*tl.Step, 202, time.Millisecond, 0, false)
		}
		tl.Add(time.Duration(i+2)*tl.Step, 429, time.Millisecond, 0, false)
	}
	s := &summary.Summary{Timeline: tl.Used(nil), TimelineStep: tl.Step}
	s.DeriveOnset()
	if s.RateLimit.Onset != 100 || s.RateLimit.FirstAt != 2*tl.Step {
		t.Errorf("onset %v/s first at %v; want 100/s at %v", s.RateLimit.Onset, s.RateLimit.FirstAt, 2*tl.Step)
	}
}

// TestCallbackListenWithoutHostNeedsAllowRemote (issue 13 item 8):
// `--callback-listen :48555` listened on every interface without
// --allow-remote, because an empty host was taken for loopback.
func TestCallbackListenWithoutHostNeedsAllowRemote(t *testing.T) {
	srv, hits := acceptServer(t)
	p := tinyProfile(t, shortProfile)
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "example.com:0"} {
		_, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL,
			CallbackListen: addr, ReportRoot: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), "--callback-listen "+addr) || !strings.Contains(err.Error(), "--allow-remote") {
			t.Errorf("--callback-listen %s: %v; want a refusal naming the flag and --allow-remote", addr, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the target got %d requests before the refusal", n)
	}
}

// padded202 answers every request 202 with body, and the headers the spec
// declares for it when conformantHead.
func padded202(t *testing.T, body []byte, conformantHead bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		if conformantHead {
			h.Set("X-RateLimit-Limit", "100")
			h.Set("Content-Security-Policy", "default-src 'none'")
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestUncheckableTargetDoesNotPass (issue 13 item 9): 202s whose body is
// invalid ("NOT-A-UUID", "queued") padded past the validation size cap,
// without the security and rate-limit headers, gave "validated 0,
// truncated 60, violations 0" and a pass; so did a 100k-deep body. Status
// and headers are now checked without the body, and the missing headers
// are violations.
func TestUncheckableTargetDoesNotPass(t *testing.T) {
	bad := append([]byte(`{"message_id":"NOT-A-UUID","status":"queued"}`), bytes.Repeat([]byte(" "), 64<<10)...)
	deep := append(bytes.Repeat([]byte("["), 100_000), bytes.Repeat([]byte("]"), 100_000)...)
	p := tinyProfile(t, "name: v\nstages:\n  - {duration: 300ms, rate: 20}\nthresholds:\n  - violations == 0\n")
	for name, body := range map[string][]byte{"padded": bad, "deep": deep} {
		res, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: padded202(t, body, false),
			ValidateSample: 1, ReportRoot: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		v := res.Summary.Validation
		if res.Summary.Pass || v.Validated == 0 || v.Violations == 0 || v.ByCode["header-missing"] == 0 || v.Truncated != v.Validated {
			t.Errorf("%s: pass %v, validated %d, truncated %d, violations %d %v; want the heads checked and failing",
				name, res.Summary.Pass, v.Validated, v.Truncated, v.Violations, v.ByCode)
		}
	}
}

// TestUnmeasuredViolationsAreNoData (issue 13 item 9): when no response
// body could be validated (every one over the cap), a threshold on
// violations has nothing to judge the bodies by: it reads "no data" and
// fails, as k6 treats a threshold on a metric without samples.
func TestUnmeasuredViolationsAreNoData(t *testing.T) {
	bad := append([]byte(`{"message_id":"NOT-A-UUID","status":"queued"}`), bytes.Repeat([]byte(" "), 64<<10)...)
	p := tinyProfile(t, "name: v\nstages:\n  - {duration: 300ms, rate: 20}\nthresholds:\n  - violations == 0\n")
	res, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: padded202(t, bad, true),
		ValidateSample: 1, ReportRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Pass || len(s.Thresholds) != 1 || s.Thresholds[0].Status != threshold.StateNoData {
		t.Errorf("pass %v, thresholds %+v, validation %+v; want violations == 0 to read no data and fail", s.Pass, s.Thresholds, s.Validation)
	}
	for k, v := range (&summary.Summary{Validation: summary.ValidationSummary{Enabled: true}}).Values() {
		if strings.HasPrefix(k, "violations") && v.State != threshold.StateNoData {
			t.Errorf("%s with nothing validated = %+v, want no data", k, v)
		}
	}
}

// TestInterruptCancelsInFlightRequests (issue 13 item 11): Ctrl-C waited
// for in-flight requests to reach their timeout (120 s in a profile with
// `timeout: 120s`), so users reached for kill -9 and lost the report. A
// cancelled run now cancels its requests and writes the report; the bound
// below is half the profile's timeout, which the old code always reached.
func TestInterruptCancelsInFlightRequests(t *testing.T) {
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/healthz") {
			return // the preflight
		}
		select {
		case arrived <- struct{}{}:
		default:
		}
		select { // never answers: only the client going away ends it
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	p := tinyProfile(t, "name: hang\nstages:\n  - {duration: 60s, rate: 5}\ntimeout: 120s\nthresholds:\n  - success >= 0.99\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := Run(ctx, Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL, ReportRoot: t.TempDir()})
		done <- outcome{res, err}
	}()
	<-arrived
	cancel()
	var o outcome
	select {
	case o = <-done:
	case <-time.After(p.Timeout / 2):
		t.Fatalf("Run still waiting %v after the interrupt: in-flight requests were not cancelled", p.Timeout/2)
	}
	if o.err != nil {
		t.Fatal(o.err)
	}
	if !o.res.Summary.Interrupted || o.res.Summary.Requests == 0 {
		t.Errorf("interrupted %v, requests %d", o.res.Summary.Interrupted, o.res.Summary.Requests)
	}
	for _, f := range []string{"load.html", "summary.json", "results.bin"} {
		if _, err := os.Stat(filepath.Join(o.res.Dir, f)); err != nil {
			t.Errorf("missing %s after the interrupt: %v", f, err)
		}
	}
}

// TestErrorTallyIsBounded (issue 13 item 14): against a dead target every
// failed request added an entry to the error list (the URL fragment made
// each message unique), so memory grew with the run. Errors are counted
// per normalised message; a bounded number of kinds is kept.
func TestErrorTallyIsBounded(t *testing.T) {
	c := NewCollector(CollectorConfig{Budget: time.Minute})
	for i := range 5000 {
		c.Add(&vegeta.Result{Seq: uint64(i), Timestamp: time.Now(), Method: "POST",
			URL:   fmt.Sprintf("http://127.0.0.1:1/rest/wab/v1/messages#wabcheck-%d", i),
			Error: fmt.Sprintf(`Post "http://127.0.0.1:1/rest/wab/v1/messages#wabcheck-%d": dial tcp 127.0.0.1:1: connect: connection refused`, i)})
		c.Add(&vegeta.Result{Seq: uint64(i), Timestamp: time.Now(), Method: "GET",
			URL:   fmt.Sprintf("http://127.0.0.1:8080/rest/wab/v1/messages?id=%08x-1111-2222-3333-444444444444#g-%d", i, i),
			Error: fmt.Sprintf(`Get "http://127.0.0.1:8080/rest/wab/v1/messages?id=%08x-1111-2222-3333-444444444444#g-%d": read tcp 127.0.0.1:%d->127.0.0.1:8080: read: connection reset by peer`, i, i, 30000+i)})
		c.Add(&vegeta.Result{Seq: uint64(i), Timestamp: time.Now(), Error: fmt.Sprintf("odd error %d", i)})
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(c.Metrics.Errors); n > maxErrorKinds {
		t.Errorf("vegeta's error list holds %d entries", n)
	}
	var s summary.Summary
	fillSummary(&s, c, nil)
	if len(s.Errors) > maxErrorKinds || len(s.ErrorCounts) > maxErrorKinds {
		t.Fatalf("summary keeps %d errors, %d kinds", len(s.Errors), len(s.ErrorCounts))
	}
	want := map[string]uint64{
		`Post "http://127.0.0.1:1/rest/wab/v1/messages": dial tcp 127.0.0.1:1: connect: connection refused`:                      5000,
		`Get "http://127.0.0.1:8080/rest/wab/v1/messages": read tcp 127.0.0.1:*->127.0.0.1:8080: read: connection reset by peer`: 5000,
	}
	var total uint64
	for _, e := range s.ErrorCounts {
		total += e.Count
		if w, ok := want[e.Message]; ok && e.Count != w {
			t.Errorf("%q counted %d, want %d", e.Message, e.Count, w)
		}
		delete(want, e.Message)
	}
	if len(want) > 0 {
		t.Errorf("kinds missing: %v; got %+v", want, s.ErrorCounts)
	}
	if total+s.ErrorsOther != 15000 {
		t.Errorf("counted %d + %d other errors, want 15000", total, s.ErrorsOther)
	}
}

// TestFinalProgressLineCountsEveryRequest (issue 13 item 14): the last
// progress line was whatever the last tick printed, so it could read
// "0 req/s  0 requests" after 60 requests (or stop at 41 of 60). When the
// progress ends, a final line gives the whole attack's count and rate.
func TestFinalProgressLineCountsEveryRequest(t *testing.T) {
	srv, _ := acceptServer(t)
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		res, err := Run(context.Background(), Options{Profile: tinyProfile(t, shortProfile), Dialect: modica.New(), Doc: modicaspec.MustDoc(),
			Target: srv.URL, ReportRoot: t.TempDir(), Progress: &out, TTY: tty, ProgressEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		text := strings.TrimRight(out.String(), "\n")
		last := text[strings.LastIndexAny(text, "\r\n")+1:]
		want := fmt.Sprintf("  %d requests  ", res.Summary.Requests)
		if res.Summary.Requests == 0 || !strings.Contains(last, want) || strings.Contains(last, " 0 req/s") {
			t.Errorf("tty %v: last progress line %q; want it to count the %d requests at a non-zero rate", tty, last, res.Summary.Requests)
		}
	}
}

// TestAttackClientClosesIdleConnections: the attack client kept idle
// keep-alive connections forever (vegeta's transport has no idle
// timeout), so every stall that added workers left their connections, and
// their buffers and goroutines, in memory to the end of a soak. Idle
// connections are now closed after idleConnTimeout.
func TestAttackClientClosesIdleConnections(t *testing.T) {
	c := attackClient(context.Background(), time.Second)
	ct, ok := c.Transport.(*cancelTransport)
	if !ok {
		t.Fatalf("transport %T, want *cancelTransport", c.Transport)
	}
	tr, ok := ct.next.(*http.Transport)
	if !ok {
		t.Fatalf("inner transport %T, want *http.Transport", ct.next)
	}
	if tr.IdleConnTimeout <= 0 || tr.IdleConnTimeout != idleConnTimeout {
		t.Errorf("IdleConnTimeout = %v, want %v (idle connections must not stay for the whole run)", tr.IdleConnTimeout, idleConnTimeout)
	}
}
