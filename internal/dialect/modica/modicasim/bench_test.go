package modicasim

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

var benchBody = []byte(`{"destination":"+64211234567","type":"text","text":{"body":"Hello from the benchmark"},"reference":"bench-ref-0001"}`)

// benchServer is a simulator with rate limiting off and the given status
// callback URL.
func benchServer(b *testing.B, statusURL string) *sim.Server {
	cfg := sim.DefaultConfig()
	cfg.RateLimit = 0
	cfg.CallbackURLs = map[string]string{"status": statusURL}
	cfg.MessageTTL = time.Second
	return newServer(b, cfg)
}

// BenchmarkPostMessages: POST /messages through the handler (auth, full
// request validation, storage, lifecycle scheduling, DLRs to a local
// receiver), in parallel.
func BenchmarkPostMessages(b *testing.B) {
	for _, tc := range []struct {
		name     string
		callback bool
	}{{"no-callbacks", false}, {"callbacks", true}} {
		b.Run(tc.name, func(b *testing.B) {
			url := ""
			if tc.callback {
				url = newCountingReceiver(b) + "/status"
			}
			s := benchServer(b, url)
			auth := "Basic d2FiY2hlY2s6d2FiY2hlY2s="
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				req, _ := http.NewRequest("POST", "http://sim"+base+"/messages", nil)
				req.Header.Set("Authorization", auth)
				req.Header.Set("Content-Type", "application/json")
				rd := bytes.NewReader(benchBody)
				w := simtest.NewNopWriter()
				for pb.Next() {
					rd.Reset(benchBody)
					req.Body = io.NopCloser(rd)
					req.ContentLength = int64(len(benchBody))
					w.Reset()
					s.ServeHTTP(w, req)
					if w.Code != http.StatusAccepted {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}

// newCountingReceiver is a loopback callback receiver that only counts.
func newCountingReceiver(b *testing.B) string {
	var n atomic.Int64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n.Add(1)
	})}
	ln := listenLoopback(b)
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// BenchmarkPostMessagesLoopback: the same over real HTTP on loopback
// (keep-alive clients, one per parallel goroutine).
func BenchmarkPostMessagesLoopback(b *testing.B) {
	d, _ := testSpec.Get(b)
	cfg := sim.DefaultConfig()
	cfg.RateLimit = 0
	cfg.MessageTTL = time.Second
	cfg.CallbackURLs = map[string]string{"status": newCountingReceiver(b) + "/status"}
	r, err := sim.Start(context.Background(), d, nil, New(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = r.Close(context.Background()) })
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	client := &http.Client{Transport: tr}
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", r.URL+"/messages", bytes.NewReader(benchBody))
			req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkMemoryPerMessage reports the heap held per in-flight message
// (stored, with its next lifecycle step scheduled).
func BenchmarkMemoryPerMessage(b *testing.B) {
	const n = 100_000
	for range b.N {
		cfg := sim.DefaultConfig()
		cfg.RateLimit = 0
		cfg.Lifecycle = sim.Lifecycle{Submit: time.Hour}
		s, w := newServerWire(b, cfg)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range n {
			req := sendRequest{Destination: "+6421" + strconv.Itoa(1000000+i), Type: "text", Reference: "ref-" + strconv.Itoa(i),
				Text: &textPart{Body: "Hello from the benchmark"}}
			if !s.Reserve(1) {
				b.Fatal("store full")
			}
			s.Accept(w.newMessage(req.Destination, &req), time.Now())
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-bytes/msg")
		runtime.KeepAlive(s)
	}
}
