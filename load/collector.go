package load

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// ResponseValidator checks a response against the spec
// (*validate.Validator satisfies it).
type ResponseValidator interface {
	Response(method, path string, status int, h http.Header, body []byte) []validate.Finding
}

// Expecter registers accepted message ids with the callback receiver
// (*callbacks.Receiver satisfies it).
type Expecter interface {
	Expect(id, reference string, sentAt time.Time)
}

// CollectorConfig configures a Collector.
type CollectorConfig struct {
	// Dialect reads the answers of sends and broadcasts.
	Dialect   dialect.Dialect
	Pacer     *StagePacer
	Start     time.Time // just before vegeta's Attack was called
	Budget    time.Duration
	Results   io.Writer // results.bin (buffered inside); nil = discard
	Validator ResponseValidator
	// Sample is the share of responses validated (0 = off, 1 = all).
	Sample   float64
	MaxBody  int
	Expecter Expecter
	Recent   *Recent
	// Forget, when set, is told each accepted id that "get" will never ask
	// for (every one when Recent is nil; Recent tells it the others), so
	// that the in-process simulator need not keep the message.
	Forget func(id string)
	// Schedules, when set (merge), gives each attack name its own pacer
	// and start for the schedule lag; Pacer and Start are then ignored for
	// lag (Start still anchors the timeline).
	Schedules map[string]Schedule
}

// Schedule is one attack's plan: its pacer and when it started.
type Schedule struct {
	Pacer *StagePacer
	Start time.Time
}

// Collector consumes vegeta results off the attack's hot path: vegeta
// Metrics, a bounded per-second Timeline, schedule lag, rate-limit header
// checks, delivery registration and results.bin. Validation runs on a pool
// of goroutines fed through a bounded queue; when the queue is full the
// response is counted as skipped rather than slowing the attack.
type Collector struct {
	cfg      CollectorConfig
	Metrics  vegeta.Metrics
	Lag      vegeta.LatencyMetrics
	Timeline *Timeline
	RL       RateLimitTally
	Errors   ErrorTally
	Accepted uint64 // message ids registered with the receiver
	lagged   uint64

	w       *bufio.Writer
	enc     vegeta.Encoder
	scratch vegeta.Result
	encErr  error

	valQ     chan *vegeta.Result
	valWG    sync.WaitGroup
	Findings *FindingTally
	// Validated counts responses whose status and headers were checked;
	// Truncated those of them whose body was over MaxBody and so not
	// checked; Skipped the sampled responses the queue had no room for.
	Validated atomic.Uint64
	Skipped   atomic.Uint64
	Truncated atomic.Uint64
	live      liveStats
}

// liveStats are read by the progress line from another goroutine.
type liveStats struct {
	requests, ok, limited atomic.Uint64
	p99                   atomic.Int64 // of the last complete timeline slot
	sec                   int          // the current timeline slot
	// phase is what the run does after the attack (recovery probe, DLR
	// grace); nil while attacking.
	phase atomic.Pointer[string]
}

// setPhase tells the progress line what the run is doing now that the
// attack is over.
func (c *Collector) setPhase(p string) { c.live.phase.Store(&p) }

// NewCollector starts the validation workers.
func NewCollector(cfg CollectorConfig) *Collector {
	c := &Collector{cfg: cfg, RL: RateLimitTally{model: rateLimitModel(cfg.Dialect)}, Timeline: NewTimeline(cfg.Budget), Findings: newFindingTally()}
	c.Metrics.Histogram = &vegeta.Histogram{Buckets: defaultHistBuckets}
	if cfg.Results != nil {
		c.w = bufio.NewWriterSize(cfg.Results, 256<<10)
		c.enc = vegeta.NewEncoder(c.w)
	}
	if cfg.Validator != nil && cfg.Sample > 0 {
		c.valQ = make(chan *vegeta.Result, 16384)
		for range max(runtime.GOMAXPROCS(0), 1) {
			c.valWG.Add(1)
			go c.validateLoop()
		}
	}
	return c
}

// defaultHistBuckets are the latency histogram's bucket edges.
var defaultHistBuckets = vegeta.Buckets{0, 1 * time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond,
	200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second}

// Add consumes one result; call it from one goroutine.
func (c *Collector) Add(r *vegeta.Result) {
	if r.Error != "" {
		// vegeta's Metrics keeps every distinct message: a dead target
		// makes one per request. The tally counts them in bounded memory.
		c.Errors.add(r.Error)
		msg := r.Error
		r.Error = ""
		c.Metrics.Add(r)
		r.Error = msg
	} else {
		c.Metrics.Add(r)
	}
	c.live.requests.Add(1)
	lag, lagged := c.lag(r)
	off := r.Timestamp.Sub(c.cfg.Start)
	limited := c.RL.model.Limited(int(r.Code), r.Body)
	code := r.Code
	if limited {
		code = 429 // the timeline counts the vendor's refusals with the 429s
	}
	c.Timeline.Add(off, code, r.Latency, lag, lagged)
	if sec := c.Timeline.slot(off); sec > c.live.sec {
		c.live.p99.Store(int64(c.Timeline.Seconds[c.live.sec].Latency.Quantile(0.99)))
		c.live.sec = sec
	}
	switch {
	case r.Code >= 200 && r.Code < 400:
		c.live.ok.Add(1)
		c.register(r)
	case limited:
		c.live.limited.Add(1)
	}
	c.RL.observe(r, limited)
	c.encode(r)
	if c.valQ != nil && r.Code != 0 && sampled(r.Seq, c.cfg.Sample) {
		select {
		case c.valQ <- r:
		default:
			c.Skipped.Add(1)
		}
	}
}

func (c *Collector) lag(r *vegeta.Result) (time.Duration, bool) {
	pacer, start := c.cfg.Pacer, c.cfg.Start
	if c.cfg.Schedules != nil {
		sc := c.cfg.Schedules[r.Attack]
		pacer, start = sc.Pacer, sc.Start
	}
	if pacer == nil || pacer.Unpaced() {
		return 0, false
	}
	due, ok := pacer.PlannedAt(r.Seq)
	if !ok {
		return 0, false
	}
	lag := max(r.Timestamp.Sub(start.Add(due)), 0)
	c.Lag.Add(lag)
	c.lagged++
	return lag, true
}

// encode writes r to results.bin without body and headers (they stay in
// memory only as long as validation needs them).
func (c *Collector) encode(r *vegeta.Result) {
	if c.enc == nil || c.encErr != nil {
		return
	}
	c.scratch = *r
	c.scratch.Body, c.scratch.Headers = nil, nil
	c.encErr = c.enc(&c.scratch)
}

// sampled picks a deterministic share of sequence numbers.
func sampled(seq uint64, share float64) bool {
	if share >= 1 {
		return true
	}
	return float64((seq*2654435761)%1_000_000) < share*1_000_000
}

// register tells the receiver about the message ids of an accepted send or
// broadcast (the operation the generator built it as, read by the
// dialect), and feeds "get".
func (c *Collector) register(r *vegeta.Result) {
	if r.Code/100 != 2 || c.cfg.Dialect == nil || (c.cfg.Expecter == nil && c.cfg.Recent == nil && c.cfg.Forget == nil) {
		return
	}
	code, ref := fragmentOf(r.URL)
	a := dialect.Answer{Status: int(r.Code), Header: r.Headers, Body: r.Body}
	switch code {
	case codeSend:
		if acc, err := c.cfg.Dialect.ReadSend(a); err == nil && acc.ID != "" {
			c.expect(acc.ID, ref, r.Timestamp)
		}
	case codeBroadcast:
		b, ok := c.cfg.Dialect.(dialect.Broadcaster)
		if !ok {
			return
		}
		items, err := b.ReadBroadcast(a)
		if err != nil {
			return
		}
		for _, it := range items {
			if it.ID != "" && !it.Refused {
				c.expect(it.ID, ref, r.Timestamp)
			}
		}
	}
}

func (c *Collector) expect(id, ref string, at time.Time) {
	c.Accepted++
	if c.cfg.Expecter != nil {
		c.cfg.Expecter.Expect(id, ref, at)
	}
	if c.cfg.Recent != nil {
		c.cfg.Recent.Put(id)
	} else if c.cfg.Forget != nil {
		c.cfg.Forget(id)
	}
}

// validateLoop checks sampled responses. A body over the kept bound is cut
// short, so it cannot be judged: the status, the headers and the content
// type are still checked, the body's own findings dropped and the response
// counted in Truncated.
func (c *Collector) validateLoop() {
	defer c.valWG.Done()
	for r := range c.valQ {
		fs := c.cfg.Validator.Response(r.Method, pathOf(r.URL), int(r.Code), r.Headers, r.Body)
		if c.cfg.MaxBody > 0 && len(r.Body) >= c.cfg.MaxBody {
			c.Truncated.Add(1)
			fs = withoutBodyFindings(fs)
		}
		c.Validated.Add(1)
		c.Findings.add(fs)
	}
}

// withoutBodyFindings drops the findings about a body's content (not
// JSON, schema), which a truncated body would raise whatever it held.
func withoutBodyFindings(fs []validate.Finding) []validate.Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Code != validate.CodeBodyNotJSON && f.Code != validate.CodeBodySchema {
			out = append(out, f)
		}
	}
	return out
}

// pathOf strips scheme, host and fragment from a result URL.
func pathOf(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

// Close stops validation (waiting for the queue to drain), closes the
// metrics and flushes results.bin.
func (c *Collector) Close() error {
	if c.valQ != nil {
		close(c.valQ)
		c.valWG.Wait()
	}
	c.Metrics.Close()
	if c.w != nil {
		if err := c.w.Flush(); err != nil && c.encErr == nil {
			c.encErr = err
		}
	}
	return c.encErr
}

// FindingTally counts validation findings by code and keeps a few examples.
type FindingTally struct {
	mu       sync.Mutex
	ByCode   map[string]uint64
	Examples map[string][]string
}

func newFindingTally() *FindingTally {
	return &FindingTally{ByCode: map[string]uint64{}, Examples: map[string][]string{}}
}

const examplesPerCode = 5

func (t *FindingTally) add(fs []validate.Finding) {
	if len(fs) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range fs {
		t.ByCode[f.Code]++
		if len(t.Examples[f.Code]) < examplesPerCode {
			t.Examples[f.Code] = append(t.Examples[f.Code], f.String())
		}
	}
}

// Total is the number of findings.
func (t *FindingTally) Total() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	var n uint64
	for _, c := range t.ByCode {
		n += c
	}
	return n
}

// RateLimitTally checks the rate-limit headers of every response.
type RateLimitTally struct {
	// Advertised is the first X-RateLimit-Limit seen (0 = none); Changed
	// counts responses that advertised a different value.
	Advertised int
	Changed    uint64
	// Limited counts 429s (and the vendor's other rate-limit refusals,
	// RateLimitModel.Refusal); BadRetryAfter those whose Retry-After is
	// missing or outside 10–1000 s; NoLimitHeader those without
	// X-RateLimit-Limit.
	Limited, BadRetryAfter, NoLimitHeader uint64
	// MaxRetryAfter is the longest Retry-After asked for, in seconds
	// (in range or not);
	// LastLimited is when the last 429 arrived.
	MaxRetryAfter int
	LastLimited   time.Time
	// Examples holds a few descriptions of bad 429s.
	Examples []string

	// model is the vendor's rate-limit contract: the advertised-limit
	// header (none: nothing to count missing) and Retry-After bounds
	// (none: no Retry-After is promised).
	model dialect.RateLimitModel
}

// observe checks one answer; limited says it is a rate-limit refusal (a
// 429, or the vendor's own, RateLimitModel.Refusal).
func (t *RateLimitTally) observe(r *vegeta.Result, limited bool) {
	lim := ""
	if t.model.LimitHeader != "" {
		lim = r.Headers.Get(t.model.LimitHeader)
	}
	if lim != "" {
		if n, err := strconv.Atoi(lim); err == nil {
			if t.Advertised == 0 {
				t.Advertised = n
			} else if n != t.Advertised {
				t.Changed++
			}
		}
	}
	if !limited {
		return
	}
	t.Limited++
	t.LastLimited = r.End()
	ra := r.Headers.Get("Retry-After")
	n, err := strconv.Atoi(ra)
	if err == nil && n > 0 {
		t.MaxRetryAfter = max(t.MaxRetryAfter, n) // honoured even when out of range
	}
	if b := t.model.RetryAfter; b != nil && (err != nil || !b.Contains(n)) {
		t.BadRetryAfter++
		t.example(fmt.Sprintf("429 at seq %d: Retry-After %q is not %d–%d seconds", r.Seq, ra, b.Min, b.Max))
	}
	if t.model.LimitHeader != "" && lim == "" {
		t.NoLimitHeader++
		t.example(fmt.Sprintf("429 at seq %d: no %s header", r.Seq, t.model.LimitHeader))
	}
}

func (t *RateLimitTally) example(s string) {
	if len(t.Examples) < 10 {
		t.Examples = append(t.Examples, s)
	}
}

// rateLimitModel is the dialect's rate-limit contract (none without one).
func rateLimitModel(d dialect.Dialect) dialect.RateLimitModel {
	if d == nil {
		return dialect.RateLimitModel{}
	}
	return d.RateLimit()
}
