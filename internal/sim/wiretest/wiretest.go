package wiretest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// closeTimeout bounds the wait for a simulator to drain when its test
// ends.
const closeTimeout = 5 * time.Second

// Start builds a simulator of wire w on the spec and validator of sp with
// cfg, and closes it when the test ends.
func Start(t testing.TB, sp *simtest.Spec, w sim.Wire, cfg sim.Config) *sim.Server {
	t.Helper()
	doc, v := sp.Get(t)
	s, err := sim.New(doc, v, w, cfg)
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		_, _ = s.Close(ctx)
	})
	return s
}

// FaultNames checks w's fault catalogue (sim.Faults): every fault says
// what it does and what a conformant API does instead, switches on by its
// name (sim.ParseFault NAME=0.5), appears once, and is none of lawful (the
// behaviours the vendor's documentation allows, which are no defect). It
// returns the names, in catalogue order.
func FaultNames(t testing.TB, w sim.Wire, lawful ...string) []string {
	t.Helper()
	list, err := sim.Faults(w)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range list {
		if f.Does == "" || f.Conformant == "" {
			t.Errorf("fault %s lacks a description", f.Name)
		}
		if _, err := sim.ParseFault(f.Name + "=0.5"); err != nil {
			t.Errorf("sim.ParseFault(%s): %v", f.Name, err)
		}
		if slices.Contains(names, f.Name) {
			t.Errorf("fault %s is in the catalogue twice", f.Name)
		}
		if slices.Contains(lawful, f.Name) {
			t.Errorf("%s is lawful for %s, yet in the catalogue", f.Name, w.Dialect().Info().Name)
		}
		names = append(names, f.Name)
	}
	return names
}

// Lacks returns the names of want that are not in names.
func Lacks(names, want []string) []string {
	var out []string
	for _, n := range want {
		if !slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	return out
}
