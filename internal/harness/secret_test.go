package harness

import (
	"context"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/spec"
)

// TestRegistrationWithoutSecretKeepsTheRunSecret: a webhook registration
// that issues no secret (the on-premises client's settings PATCH) used to
// blank the receiver's secret, so the simulator's Cloud API envelope,
// signed with the run's secret, went unverified and a bad signature
// passed. The receiver must keep the secret and catch the bad signature.
func TestRegistrationWithoutSecretKeepsTheRunSecret(t *testing.T) {
	d, err := dialect.Get("onprem")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := spec.Load(spec.Options{Source: d.Spec()})
	if err != nil {
		t.Fatal(err)
	}
	for _, fault := range []string{"", "webhook-bad-signature"} {
		o := Options{Dialect: d, Doc: doc, SimConfig: func(c *sim.Config) { c.Options = map[string]string{"webhook-format": "cloud"} }}
		if fault != "" {
			o.Faults = []sim.FaultSetting{{Name: fault, Ratio: 1}}
		}
		h, err := Start(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		id, err := h.Sim.InjectInbound(context.Background(), sim.InboundRequest{Type: "text"})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err = h.Receiver.WaitReply(ctx, func(e callbacks.Event) bool { return e.MessageID == id })
		cancel()
		if err != nil {
			t.Fatalf("fault %q: no inbound callback: %v", fault, err)
		}
		got := h.Receiver.Summary().SignatureFailures
		_ = h.Close(context.Background())
		if want := int64(0); fault != "" && got == want {
			t.Errorf("fault %s: no signature failure: the receiver verified nothing", fault)
		} else if fault == "" && got != 0 {
			t.Errorf("no fault: %d signature failures with the run's own secret", got)
		}
	}
}
