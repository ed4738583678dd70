package steps

import (
	"context"
	"testing"
	"time"
)

// TestUnknownCallbackCheckWaitsForSendsInFlight pins the flaky "callbacks
// for unknown ids" failure under load: a send whose callbacks came before
// it registered its id must end before the check judges; sends begun
// after the check started are not waited for.
func TestUnknownCallbackCheckWaitsForSendsInFlight(t *testing.T) {
	var tr sendTracker
	end := tr.begin()
	settled := make(chan error, 1)
	go func() { settled <- tr.settle(context.Background()) }()
	select {
	case err := <-settled:
		t.Fatalf("settle returned (%v) while a send was in flight", err)
	case <-time.After(20 * time.Millisecond):
	}
	later := tr.begin() // begun after the check: not waited for
	defer later()
	end()
	if err := <-settled; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tr.settle(ctx); err == nil {
		t.Error("settle with a send in flight and a cancelled context returned nil")
	}
}
