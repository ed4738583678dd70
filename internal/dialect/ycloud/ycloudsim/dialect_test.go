package ycloudsim

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// handlerDoer executes dialect requests against a simulator's handler,
// authorised as the dialect's Auth does it.
type handlerDoer struct {
	t    *testing.T
	s    *sim.Server
	auth dialect.Auth
}

func (h handlerDoer) Do(ctx context.Context, r dialect.Request) (dialect.Answer, error) {
	req := httptest.NewRequestWithContext(ctx, r.Method, base+r.Path, bytes.NewReader(r.Body))
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if err := dialect.Authorize(ctx, h.auth, req); err != nil {
		return dialect.Answer{}, err
	}
	rec := simtest.Serve(h.s, req)
	testSpec.CheckResponse(h.t, r.Method, base+r.Path, rec)
	return dialect.Answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, nil
}

// The dialect and the simulator agree: the webhook the dialect registers
// gets events signed with the secret it read, its sends (both routes) are
// accepted and read back, inbound messages are marked read, and Undo
// deletes the endpoint.
func TestDialectAgainstSimulator(t *testing.T) {
	ctx := context.Background()
	rcv := simtest.NewReceiver(t)
	s, w := newServer(t, testConfig())
	d := ycloud.New()
	auth, err := d.NewAuth(dialect.Credentials{APIKey: sim.DefaultAPIKey}, dialect.AuthEnv{})
	if err != nil {
		t.Fatal(err)
	}
	do := handlerDoer{t: t, s: s, auth: auth}
	wh, err := d.RegisterWebhook(ctx, do, rcv.URL+"/ycloud")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, via := range []string{"", ycloud.ViaDirect} {
		var req dialect.Request
		if err := d.SendRequest(&req, &dialect.Message{To: MagicRead, Reference: "ref-" + via, Text: "hi", Via: via}); err != nil {
			t.Fatal(err)
		}
		a, _ := do.Do(ctx, req)
		acc, err := d.ReadSend(a)
		if err != nil || acc.Status != ycloud.Accepted || acc.To != MagicRead {
			t.Fatalf("send via %q: %+v, %v", via, acc, err)
		}
		ids[acc.ID] = true
		simtest.WaitFor(t, "read", func() bool { return len(statuses(rcv, acc.ID)) == 3 })
		a, _ = do.Do(ctx, d.RetrieveRequest(acc.ID))
		got, err := d.ReadRetrieve(a)
		if err != nil || got != (dialect.Retrieved{ID: acc.ID, To: MagicRead, Reference: "ref-" + via, Status: ycloud.Read, Text: "hi"}) {
			t.Errorf("retrieve %+v, %v", got, err)
		}
	}
	in, err := s.InjectInbound(ctx, sim.InboundRequest{Type: "text"})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := do.Do(ctx, d.MarkReadRequest(in)); a.Status != 200 {
		t.Errorf("mark read: %d %s", a.Status, a.Body)
	}
	simtest.WaitFor(t, "inbound event", func() bool { return len(rcv.All()) == 7 })
	for _, h := range rcv.All() {
		if err := d.Verify(h.Header, h.Body, wh.Secret, h.At); err != nil {
			t.Errorf("signature: %v", err)
		}
	}
	for _, e := range events(rcv) {
		if e.Type == dialect.EventStatus && !ids[e.MessageID] || e.Type == dialect.EventInbound && e.MessageID != in {
			t.Errorf("event %+v for a message not sent", e)
		}
	}
	if err := wh.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(w.hooks.all()); n != 0 {
		t.Errorf("%d endpoints left after Undo", n)
	}
}
