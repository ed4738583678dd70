package callbacks

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// benchBodies pre-builds n DLR bodies for expected ids, cycling through
// sent, received and read so that every message sees a normal life.
func benchBodies(b *testing.B, r *Receiver, n int) [][]byte {
	b.Helper()
	bodies := make([][]byte, n)
	statuses := []string{"sent", "received", "read"}
	for i := range bodies {
		id := uuid(i / 3)
		if i%3 == 0 {
			r.Expect(id, "ref", t0)
		}
		bodies[i] = dlrBody(id, "ref", statuses[i%3])
	}
	return bodies
}

// BenchmarkReceiverIngest: the handler's ServeHTTP with validation of every
// DLR, from all cores.
func BenchmarkReceiverIngest(b *testing.B) {
	for _, lean := range []bool{false, true} {
		name := "headers"
		if lean {
			name = "lean"
		}
		b.Run(name, func(b *testing.B) {
			r := NewReceiver(validator(b), modica.New(), Options{Lean: lean})
			bodies := benchBodies(b, r, 1<<16)
			h := r.Handler()
			var next atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			u, _ := url.Parse("http://127.0.0.1/cb/status")
			b.RunParallel(func(pb *testing.PB) {
				rd := bytes.NewReader(nil)
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					body := bodies[int(next.Add(1))%len(bodies)]
					rd.Reset(body)
					// A request as net/http's server hands it over: fresh
					// header map, body reader.
					req := &http.Request{Method: http.MethodPost, URL: u, Header: http.Header{
						"Content-Type": {"application/json"}, "Authorization": {"Basic dXNlcjpwYXNzd29yZA=="}},
						Body: io.NopCloser(rd), ContentLength: int64(len(body))}
					clear(w.h)
					h.ServeHTTP(w, req)
					if w.code != 200 {
						b.Fatal(w.code)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "callbacks/s")
		})
	}
}

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// BenchmarkReceiverLoopback: a real net/http server on 127.0.0.1 and
// keep-alive clients posting DLRs from several goroutines.
func BenchmarkReceiverLoopback(b *testing.B) {
	addr, bodies := benchLoopback(b)
	url := "http://" + addr + "/cb/status"
	workers := 4 * runtime.GOMAXPROCS(0)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	var next atomic.Int64
	postConcurrently(b, workers, func(per int) {
		for i := 0; i < per; i++ {
			body := bodies[int(next.Add(1))%len(bodies)]
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkReceiverLoopbackRaw: the same server, with a lean client that
// writes pre-built HTTP/1.1 requests on keep-alive connections and parses
// the responses with http.ReadResponse; it shows the server's ingest
// capacity with less of the shared CPU spent on the client.
func BenchmarkReceiverLoopbackRaw(b *testing.B) {
	addr, bodies := benchLoopback(b)
	reqs := make([][]byte, len(bodies))
	for i, body := range bodies {
		reqs[i] = fmt.Appendf(nil, "POST /cb/status HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			addr, len(body), body)
	}
	var next atomic.Int64
	postConcurrently(b, 4*runtime.GOMAXPROCS(0), func(per int) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		for i := 0; i < per; i++ {
			if _, err := conn.Write(reqs[int(next.Add(1))%len(reqs)]); err != nil {
				b.Error(err)
				return
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil || resp.StatusCode != 200 {
				b.Errorf("response %v %v", resp, err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// benchLoopback serves a Lean, validating receiver on 127.0.0.1 for the
// rest of the benchmark and returns its address and 1<<16 DLR bodies it
// expects.
func benchLoopback(b *testing.B) (addr string, bodies [][]byte) {
	b.Helper()
	r := NewReceiver(validator(b), modica.New(), Options{Lean: true})
	bodies = benchBodies(b, r, 1<<16)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: r.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), bodies
}

// postConcurrently times workers goroutines each running post(per), with
// per chosen so that together they post at least b.N callbacks, and
// reports the rate as callbacks/s.
func postConcurrently(b *testing.B, workers int, post func(per int)) {
	per := b.N/workers + 1
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			post(per)
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(per*workers)/b.Elapsed().Seconds(), "callbacks/s")
}

// BenchmarkReceiverMemory reports the heap a Lean receiver holds per
// message with three DLRs (sent, received, read), for sizing load runs.
func BenchmarkReceiverMemory(b *testing.B) {
	const n = 200_000
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := NewReceiver(nil, modica.New(), Options{Lean: true})
		for i := 0; i < n; i++ {
			id := uuid(i)
			r.Expect(id, "ref-0001", t0)
			for _, st := range []string{"sent", "received", "read"} {
				r.Ingest("/status", jsonHeader, dlrBody(id, "ref-0001", st))
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/message")
		runtime.KeepAlive(r)
	}
}
