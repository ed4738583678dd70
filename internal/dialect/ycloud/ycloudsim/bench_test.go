//go:build unix

package ycloudsim_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	_ "github.com/wabcheck/wabcheck/internal/dialect/ycloud/ycloudsim"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/spec"
)

// countingReceiver is a loopback webhook receiver that only counts.
func countingReceiver(b *testing.B) (string, *atomic.Int64) {
	var n atomic.Int64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n.Add(1)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String(), &n
}

// cpuTime is the process's CPU time (user and system) in nanoseconds: on
// a shared machine, CPU per operation compares vendors more steadily than
// wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// vendorBench is one vendor's send through the simulator's handler.
type vendorBench struct {
	name, path, auth, authValue string
	body                        []byte
	want                        int
	server                      func(b *testing.B, hook string) *sim.Server
}

func newSim(b *testing.B, vendor string, doc *spec.Doc, cfg sim.Config) *sim.Server {
	w, ok := sim.WireFor(vendor)
	if !ok {
		b.Fatalf("no %s wire", vendor)
	}
	s, err := sim.New(doc, nil, w, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { // callbacks still queued do not matter here
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, _ = s.Close(ctx)
	})
	return s
}

func benchConfig() sim.Config {
	cfg := sim.DefaultConfig()
	cfg.RateLimit = 0
	cfg.MessageTTL = time.Second
	cfg.APIKey = sim.DefaultAPIKey
	return cfg
}

var vendors = []vendorBench{
	{name: "modica-post-messages", path: "/rest/wab/v1/messages", auth: "Authorization", authValue: "Basic d2FiY2hlY2s6d2FiY2hlY2s=",
		body: []byte(`{"destination":"+64211234567","type":"text","text":{"body":"Hello from the benchmark"},"reference":"bench-ref-0001"}`),
		want: http.StatusAccepted,
		server: func(b *testing.B, hook string) *sim.Server {
			cfg := benchConfig()
			cfg.CallbackURLs = map[string]string{"status": hook + "/status"}
			return newSim(b, "modica", modicaspec.MustDoc(), cfg)
		}},
	{name: "ycloud-enqueue-signed", path: "/v2/whatsapp/messages", auth: "X-Api-Key", authValue: sim.DefaultAPIKey,
		body: []byte(`{"from":"+16315551111","to":"+16315550100","type":"text","text":{"body":"Hello from the benchmark"},"externalId":"bench-ref-0001"}`),
		want: http.StatusOK,
		server: func(b *testing.B, hook string) *sim.Server {
			cfg := benchConfig()
			cfg.Options = map[string]string{"enqueue-rate": "0"}
			s := newSim(b, "ycloud", ycloud.MustDoc(), cfg)
			req := httptest.NewRequest("POST", "/v2/webhookEndpoints", strings.NewReader(
				`{"url":"`+hook+`/ycloud","enabledEvents":["whatsapp.message.updated","whatsapp.inbound_message.received"]}`))
			req.Header.Set("X-API-Key", sim.DefaultAPIKey)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"secret":"whsec_`) {
				b.Fatalf("register the endpoint: %d %s", rec.Code, rec.Body.String())
			}
			return s
		}},
}

// BenchmarkEnqueue compares the simulator's send throughput across
// vendors in one run: Modica's POST /messages with DLRs to a loopback
// receiver, and YCloud's POST /whatsapp/messages with signed
// whatsapp.message.updated events to a registered loopback endpoint. Both
// through the handler (auth, full request validation, storage, lifecycle,
// callbacks), in parallel. The target: YCloud at least 80 % of
// Modica's rate.
//
// "accept" times the sends alone (callbacks run concurrently and mostly
// queue up: see callbacks/op); "delivered" also waits until every
// callback of every message was posted, so each event's signing is paid
// for inside the timer. cpu-ns/op is the process's CPU time per send,
// steadier than wall time on a shared machine.
func BenchmarkEnqueue(b *testing.B) {
	for _, mode := range []string{"accept", "delivered"} {
		for _, v := range vendors {
			b.Run(mode+"/"+v.name, func(b *testing.B) { runVendor(b, v, mode == "delivered") })
		}
	}
}

func runVendor(b *testing.B, v vendorBench, drain bool) {
	hook, posted := countingReceiver(b)
	s := v.server(b, hook)
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("POST", "http://sim"+v.path, nil)
		req.Header.Set(v.auth, v.authValue)
		req.Header.Set("Content-Type", "application/json")
		rd := bytes.NewReader(v.body)
		w := simtest.NewNopWriter()
		for pb.Next() {
			rd.Reset(v.body)
			req.Body = io.NopCloser(rd)
			req.ContentLength = int64(len(v.body))
			w.Reset()
			s.ServeHTTP(w, req)
			if w.Code != v.want {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
	if drain {
		for !idle(s) {
			time.Sleep(time.Millisecond)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(posted.Load())/float64(b.N), "callbacks/op")
}

// idle reports whether every lifecycle step ran and every callback was
// posted.
func idle(s *sim.Server) bool {
	st := s.Stats()
	d := st.Callbacks.Delivery
	return st.InFlightSteps == 0 && d.QueueDepth == 0 && d.InFlight == 0
}
