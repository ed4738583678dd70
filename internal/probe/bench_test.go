package probe

import (
	"context"
	"testing"

	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// BenchmarkProbeModica2000 is the yardstick: a whole run over the
// Modica spec with --max-cases 2000 against the in-process simulator
// (planning, sending, links, receipts, checks, reports' data). One
// iteration is one run; docs/probe.md has the figure.
func BenchmarkProbeModica2000(b *testing.B) {
	doc := spec.MustEmbedded()
	v, err := validate.New(doc)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		st, err := StartSim(doc, v, nil)
		if err != nil {
			b.Fatal(err)
		}
		o := DefaultOptions()
		o.Doc, o.Validator, o.Dialect, o.Simulated, o.BaseURL, o.Receiver = doc, v, st.Dialect, true, st.BaseURL, st.Receiver
		o.MaxCases, o.Timeout, o.MaxLatency, o.ReceiptTimeout = 2000, 10e9, 1e9, 3e9
		res, err := Run(context.Background(), o)
		st.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Cases) < 1900 {
			b.Fatalf("%d cases, want about 2000", len(res.Cases))
		}
	}
}
