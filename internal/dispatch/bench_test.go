package dispatch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// dlrBody is a typical DLR callback payload.
var dlrBody = []byte(`{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","reference":"ref-0001","status":"delivered","timestamp":"2025-01-02T03:04:05Z"}`)

// BenchmarkDispatchLoopback delivers b.N callbacks across 10,000 keys to a
// loopback net/http receiver answering 200 and reports callbacks/s.
func BenchmarkDispatchLoopback(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg := DefaultConfig()
	d, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = fmt.Sprint("msg-", i)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime(b)
	start := time.Now()
	for i := range b.N {
		del := Delivery{Key: keys[i%len(keys)], URL: srv.URL + "/dlr", Body: dlrBody, Kind: "status"}
		if err := d.Enqueue(ctx, del); err != nil {
			b.Fatal(err)
		}
	}
	if err := d.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "callbacks/s")
	// CPU per callback (sender and receiver together) is steadier than
	// callbacks/s on a shared machine: 2 cores / this = the CPU-bound ceiling.
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/callback")
	if s := d.Stats(); s.Delivered != uint64(b.N) {
		b.Fatalf("delivered %d of %d", s.Delivered, b.N)
	}
	d.Close(ctx)
}

// cpuTime is the process's user+system CPU time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkQueuedMemory measures the heap held per queued delivery (the
// body and key are the caller's and are not counted): b.N deliveries on
// distinct keys wait behind one worker stuck on a receiver that never
// answers.
func BenchmarkQueuedMemory(b *testing.B) {
	srv := hangingServer(b)
	cfg := DefaultConfig()
	cfg.Workers = 1
	cfg.QueueSize = b.N + 1
	d, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, b.N)
	for i := range keys {
		keys[i] = fmt.Sprint("msg-", i)
	}
	url := srv.URL + "/dlr"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := range b.N {
		if !d.TryEnqueue(Delivery{Key: keys[i], URL: url, Body: dlrBody, Kind: "status"}) {
			b.Fatal("queue full")
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(b.N), "B/queued")
	runtime.KeepAlive(keys)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d.Close(ctx)
}

// BenchmarkNetHTTPBaseline is the ceiling to compare BenchmarkDispatchLoopback
// with: 64 goroutines POSTing the same body with a bare tuned client, no
// queue, keys or retries.
func BenchmarkNetHTTPBaseline(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg := DefaultConfig()
	client, tr := newClient(cfg)
	defer tr.CloseIdleConnections()
	next := make(chan struct{}, cfg.Workers)
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.Workers {
		wg.Go(func() {
			for range next {
				req, err := http.NewRequest(http.MethodPost, srv.URL+"/dlr", bytes.NewReader(dlrBody))
				if err != nil {
					b.Error(err)
					return
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
	for range b.N {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "callbacks/s")
}
