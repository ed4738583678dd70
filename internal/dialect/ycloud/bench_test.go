package ycloud

import (
	"net/http"
	"testing"
	"time"

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
