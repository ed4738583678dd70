package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// countResults decodes dir/results.bin and counts the results by code.
func countResults(t *testing.T, dir string) (int, map[uint16]int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "results.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.DecoderFor(bufio.NewReader(f))
	codes := map[uint16]int{}
	n := 0
	if dec == nil {
		return 0, codes
	}
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			if errors.Is(err, io.EOF) {
				return n, codes
			}
			t.Fatalf("decode results.bin: %v", err)
		}
		n++
		codes[r.Code]++
	}
}

func runProfile(t *testing.T, ctx context.Context, p *profiles.Profile, o Options) *Result {
	t.Helper()
	o.Profile, o.Dialect, o.Doc = p, modica.New(), modicaspec.MustDoc()
	if o.ReportDir == "" {
		o.ReportDir = t.TempDir()
	}
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, f := range []string{"load.html", "plot.html", "summary.json", "results.bin"} {
		if _, err := os.Stat(filepath.Join(res.Dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	n, _ := countResults(t, res.Dir)
	if uint64(n) != res.Summary.Requests {
		t.Errorf("results.bin holds %d results, summary says %d requests", n, res.Summary.Requests)
	}
	return res
}

// TestBuiltinProfilesAgainstSimulator runs send, broadcast and soak scaled
// down against the in-process simulator.
func TestBuiltinProfilesAgainstSimulator(t *testing.T) {
	for _, name := range []string{"send", "broadcast", "soak"} {
		t.Run(name, func(t *testing.T) {
			p, err := profiles.Load(name, "modica")
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Scale(1500*time.Millisecond, 20); err != nil {
				t.Fatal(err)
			}
			res := runProfile(t, context.Background(), p, Options{ValidateSample: 1})
			s := res.Summary
			if s.Requests < 10 || s.Success < 0.99 {
				t.Errorf("requests %d, success %v, codes %v, errors %v", s.Requests, s.Success, s.StatusCodes, s.Errors)
			}
			if s.Validation.Violations != 0 {
				t.Errorf("spec violations against our own simulator: %v %v", s.Validation.ByCode, s.Validation.Examples)
			}
			d := s.Delivery
			if !d.Enabled || d.Accepted == 0 || d.Missing != 0 || d.Unknown != 0 || d.Terminal != d.Accepted {
				t.Errorf("delivery: %+v", d)
			}
			if name == "broadcast" && d.Accepted != s.Requests*50 {
				t.Errorf("broadcast: %d accepted items for %d requests of 50", d.Accepted, s.Requests)
			}
			if s.ScheduleLag == nil {
				t.Error("no schedule lag measured")
			}
		})
	}
}

// limitedServer answers 429 with Retry-After beyond limit requests per
// second (a token bucket holding one second's worth), and 202 otherwise.
type limitedServer struct {
	limit      int
	retryAfter string
	mu         sync.Mutex
	tokens     float64
	last       time.Time
}

func (l *limitedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	l.mu.Lock()
	if l.last.IsZero() {
		l.tokens = float64(l.limit)
	} else {
		l.tokens = min(float64(l.limit), l.tokens+now.Sub(l.last).Seconds()*float64(l.limit))
	}
	l.last = now
	over := l.tokens < 1
	if !over {
		l.tokens--
	}
	l.mu.Unlock()
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
	w.Header().Set("Content-Type", "application/json")
	if over {
		w.Header().Set("Retry-After", l.retryAfter)
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"errors":[{"field":"Authorization","code":"rate_limited","description":"slow down"}]}`)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`)
}

// TestRateLimitLogic runs the ratelimit profile against a fake server whose
// Retry-After (1 s) is below the spec's minimum of 10 s, so the run stays
// short; the real simulator run (≥10 s wait) is `make demo`.
func TestRateLimitLogic(t *testing.T) {
	srv := httptest.NewServer(&limitedServer{limit: 20, retryAfter: "1"})
	defer srv.Close()
	p, err := profiles.Load("ratelimit", "modica")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Scale(6*time.Second, 0); err != nil {
		t.Fatal(err)
	}
	res := runProfile(t, context.Background(), p, Options{Target: srv.URL})
	rl := res.Summary.RateLimit
	if rl.Advertised != 20 || rl.Limited == 0 {
		t.Fatalf("ratelimit: %+v", rl)
	}
	if rl.Onset < 16 || rl.Onset > 24 {
		t.Errorf("onset %v, want about 20", rl.Onset)
	}
	if rl.BadRetryAfter != rl.Limited {
		t.Errorf("Retry-After 1 is outside 10-1000: %d of %d flagged", rl.BadRetryAfter, rl.Limited)
	}
	if !rl.Recovery.Checked || !rl.Recovery.OK || rl.Recovery.Waited != time.Second {
		t.Errorf("recovery: %+v", rl.Recovery)
	}
	want := map[string]string{"ratelimit_onset within 10%": "pass", "retry_after_ok == 1": "fail", "ratelimit_recovered == 1": "pass", "violations == 0": threshold.StateOff}
	for _, th := range res.Summary.Thresholds {
		if w, ok := want[th.Expr]; ok && th.Status != w {
			t.Errorf("%s: %s (%+v), want %s", th.Expr, th.Status, th, w)
		}
	}
	if res.Summary.Pass {
		t.Error("a bad Retry-After must fail the run")
	}
	checkReport(t, res.Dir, 4) // throughput, latency, histogram, lag, 429 onset
}

// TestInterruptedRunWritesPartialReport cancels the run once the server
// has seen 50 requests.
func TestInterruptedRunWritesPartialReport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" && seen.Add(1) == 50 { // not the preflight
			cancel()
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	p, err := profiles.Parse("t", []byte("name: long\nstages:\n  - {duration: 60s, rate: 200}\nthresholds:\n  - success >= 0.99\n"))
	if err != nil {
		t.Fatal(err)
	}
	res := runProfile(t, ctx, p, Options{Target: srv.URL})
	s := res.Summary
	if !s.Interrupted || s.Requests < 50 || s.Requests > 2000 {
		t.Errorf("interrupted %v after %d requests", s.Interrupted, s.Requests)
	}
	if s.End.Sub(s.Start) > 30*time.Second {
		t.Errorf("the run went on for %v after cancel", s.End.Sub(s.Start))
	}
}

// TestShardMerge runs three shards against one trivial server and checks
// that the merge recomputes totals equal to the sum of the shards.
func TestShardMerge(t *testing.T) {
	srv := httptest.NewServer(&limitedServer{limit: 1 << 30, retryAfter: "10"})
	defer srv.Close()
	p, err := profiles.Parse("t", []byte("name: sharded\nstages:\n  - {duration: 1s, rate: 60}\nthresholds:\n  - success >= 0.99\n  - p99 < 1s\n"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dirs := make([]string, 3)
	results := make([]*Result, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		dirs[i] = filepath.Join(root, fmt.Sprintf("shard-%d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL,
				ReportDir: dirs[i], Shard: Shard{Index: i, Count: 3}})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = res
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	merged, err := Merge(MergeOptions{Dirs: dirs, ReportDir: filepath.Join(root, "merged")})
	if err != nil {
		t.Fatal(err)
	}
	var sum uint64
	codes := map[string]int{}
	for i, r := range results {
		sum += r.Summary.Requests
		if got := r.Summary.Stages[0].To; got != 20 {
			t.Errorf("shard %d ran at %v/s, want its third of 60", i, got)
		}
		if r.Summary.Attack != fmt.Sprintf("sharded/shard-%d", i) {
			t.Errorf("attack name %q", r.Summary.Attack)
		}
		for k, v := range r.Summary.StatusCodes {
			codes[k] += v
		}
	}
	m := merged.Summary
	if m.Requests != sum || m.StatusCodes["202"] != codes["202"] || len(m.Shards) != 3 {
		t.Errorf("merged %d requests %v, shards sum to %d %v", m.Requests, m.StatusCodes, sum, codes)
	}
	if n, _ := countResults(t, merged.Dir); uint64(n) != sum {
		t.Errorf("merged results.bin holds %d results, want %d", n, sum)
	}
	if m.ScheduleLag == nil || len(m.Thresholds) != 2 {
		t.Errorf("merged lag %v thresholds %v", m.ScheduleLag, m.Thresholds)
	}
}
