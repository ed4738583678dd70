package onpremsim

import (
	"slices"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// TestLawfulDisorder: on by default; a duplicate repeats the final status,
// a reorder posts read before delivered, a skip never posts the delivered
// a read implies. Each message goes out in order (BatchMax 1: one POST per
// status, delivered in order per message).
func TestLawfulDisorder(t *testing.T) {
	if (New().Walks().Disorder == sim.Disorder{}) {
		t.Fatal("no lawful disorder by default")
	}
	for _, tc := range []struct {
		name string
		dis  sim.Disorder
		to   string
		want []string
	}{
		{"duplicate", sim.Disorder{Duplicate: 1}, "+16315550100", []string{"sent", "delivered", "delivered"}},
		{"reorder", sim.Disorder{Reorder: 1}, MagicRead, []string{"sent", "read", "delivered"}},
		{"skip", sim.Disorder{Skip: 1}, MagicRead, []string{"sent", "read"}},
		{"none", sim.Disorder{}, MagicRead, []string{"sent", "delivered", "read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rcv := simtest.NewReceiver(t)
			cfg := formatConfig(onprem.KindOnprem, rcv)
			cfg.Disorder, cfg.BatchMax = &tc.dis, 1
			sm := newSim(t, cfg)
			id := sm.send(t, tc.to)
			simtest.WaitFor(t, "the statuses", func() bool { return len(statuses(t, rcv, onprem.KindOnprem, id)) == len(tc.want) })
			drained(t, sm.Server)
			if got := statuses(t, rcv, onprem.KindOnprem, id); !slices.Equal(got, tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
			checkPosts(t, rcv, onprem.KindOnprem)
		})
	}
}
