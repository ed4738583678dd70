package load

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/load/profiles"
)

// trivial answers every request with a conformant 202 of POST /messages.
var trivial = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["X-Ratelimit-Limit"] = []string{"100"}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`)
})

// benchAttack runs the max-rate profile (rate 0, 64 workers) for 2 s per
// iteration against an in-process trivial server and reports req/s. The
// server shares the CPU, so compare with load/bench/compare.sh figures.
func benchAttack(b *testing.B, sample float64) {
	srv := httptest.NewServer(trivial)
	defer srv.Close()
	p, err := profiles.Parse("max", []byte("name: max\nstages:\n  - {duration: 2s, rate: 0}\nworkers: 64\nmax_workers: 64\ngrace: 1s\n"))
	if err != nil {
		b.Fatal(err)
	}
	var reqs float64
	var secs float64
	for b.Loop() {
		res, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), Target: srv.URL + "/rest/wab/v1",
			ReportDir: b.TempDir(), ValidateSample: sample})
		if err != nil {
			b.Fatal(err)
		}
		reqs += float64(res.Summary.Requests)
		secs += res.Summary.Planned.Seconds()
	}
	b.ReportMetric(reqs/secs, "req/s")
}

func BenchmarkAttackMaxRate(b *testing.B)          { benchAttack(b, 0) }
func BenchmarkAttackMaxRateValidated(b *testing.B) { benchAttack(b, 1) }

// BenchmarkCollectorAdd is the per-result cost of the results consumer
// (metrics, timeline, lag, rate-limit headers, results.bin encoding).
func BenchmarkCollectorAdd(b *testing.B) {
	start := time.Now()
	pacer := NewStagePacer([]profiles.Stage{{Duration: time.Hour, From: profiles.Rate{Value: 1000}, To: profiles.Rate{Value: 1000}}})
	c := NewCollector(CollectorConfig{Pacer: pacer, Start: start, Budget: time.Hour, Results: io.Discard})
	r := &vegeta.Result{Attack: "send", Code: 202, Latency: time.Millisecond, Method: "POST",
		URL: "http://127.0.0.1:1/rest/wab/v1/messages#wabcheck-x-s0-1", Headers: http.Header{"X-Ratelimit-Limit": {"100"}}}
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		r.Seq = i
		r.Timestamp = start.Add(time.Duration(i) * time.Millisecond)
		c.Add(r)
		i++
	}
	_ = c.Close()
}

// BenchmarkValidateResponse is the validation cost per response, paid off
// the hot path by the collector's validator pool.
func BenchmarkValidateResponse(b *testing.B) {
	v, err := validate.New(modicaspec.MustDoc(), validate.Dialect(modica.New()))
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Limit": {"100"}}
	body := []byte(`{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = v.Response("POST", "/rest/wab/v1/messages", 202, h, body)
	}
}

// BenchmarkTargeter is the cost of generating one request with a unique
// reference and body.
func BenchmarkTargeter(b *testing.B) {
	tr := shardGen(0, 1, []profiles.OpWeight{{Op: profiles.OpSend, Weight: 1}}).Targeter()
	var t vegeta.Target
	b.ReportAllocs()
	for b.Loop() {
		_ = tr(&t)
	}
}
