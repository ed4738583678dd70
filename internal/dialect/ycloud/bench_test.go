package ycloud

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// BenchmarkReceiveEvent is the receiver's work per webhook that the
// dialect does (issue 9: signatures checked under load at ≥ 20,000
// events/s): classify the POST, verify its signature, extract its event.
func BenchmarkReceiveEvent(b *testing.B) {
	d := New()
	cb := d.Callbacks()
	body := []byte(deliveredPayload)
	now := time.Unix(1700000000, 0)
	h := http.Header{"Ycloud-Signature": {d.Sign(body, testSecret, now)}}
	decoded, err := validate.DecodeJSON(body)
	if err != nil {
		b.Fatal(err)
	}
	// "decoded": the harness validated the body and passes the value on;
	// "raw": the dialect decodes it itself.
	for _, in := range []struct {
		name string
		v    any
	}{{"decoded", decoded}, {"raw", nil}} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				kind := cb.Classify("/hook", h, body)
				if err := d.Verify(h, body, testSecret, now); err != nil {
					b.Fatal(err)
				}
				if evs, err := cb.Events(kind, body, in.v); err != nil || len(evs) != 1 {
					b.Fatal(evs, err)
				}
			}
		})
	}
}

// BenchmarkReceiverSignedIngest is issue 9's "signature checked under
// load, at ≥ 20,000 events/s ingest": the harness's callback receiver
// (lean, as load runs it) taking signed whatsapp.message.updated events
// through its HTTP handler from all cores — classify, verify the
// YCloud-Signature, validate the envelope against the spec, correlate
// with an expected message.
func BenchmarkReceiverSignedIngest(b *testing.B) {
	d := New()
	now := time.Unix(1700000000, 0)
	r := callbacks.NewReceiver(testSpec.Validator(b), d, callbacks.Options{Lean: true, Secret: testSecret, Now: func() time.Time { return now }})
	const n = 1 << 14
	bodies, sigs := make([][]byte, n), make([]string, n)
	for i := range bodies {
		id := fmt.Sprintf("63f5d602367ea403%08x", i)
		r.Expect(id, "order-42", now.Add(-time.Second))
		bodies[i] = []byte(strings.Replace(deliveredPayload, "63f5d602367ea403f8175a6d", id, 1))
		sigs[i] = d.Sign(bodies[i], testSecret, now)
	}
	h := r.Handler()
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rd := bytes.NewReader(nil)
		for pb.Next() {
			i := int(next.Add(1)) % n
			rd.Reset(bodies[i])
			req := httptest.NewRequest(http.MethodPost, "/hook", rd)
			req.Header = http.Header{"Content-Type": {"application/json"}, "Ycloud-Signature": {sigs[i]}}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code/100 != 2 {
				b.Fatal(w.Code, w.Body.String())
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if s := r.Summary(); s.SignatureFailures != 0 || s.Unknown != 0 {
		b.Fatalf("%d signature failures, %d unknown", s.SignatureFailures, s.Unknown)
	}
}
