package probe

import (
	"context"
	"testing"
)

// BenchmarkProbeModica2000 is the yardstick: a whole run over the
// Modica spec with --max-cases 2000 against the in-process simulator
// (planning, sending, links, receipts, checks, reports' data). One
// iteration is one run; docs/probe.md has the figure.
func BenchmarkProbeModica2000(b *testing.B) {
	for b.Loop() {
		o, h := modicaSim(b, nil)
		o.MaxCases, o.Timeout, o.MaxLatency, o.ReceiptTimeout = 2000, 10e9, 1e9, 3e9
		res, err := Run(context.Background(), o)
		_ = h.Close(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Cases) < 1900 {
			b.Fatalf("%d cases, want about 2000", len(res.Cases))
		}
	}
}
