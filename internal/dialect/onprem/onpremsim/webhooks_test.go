package onpremsim

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// formatConfig is testConfig posting webhooks in format to rcv.
func formatConfig(format string, rcv *simtest.Receiver) sim.Config {
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{format: rcv.URL + "/hook"}
	cfg.Options[OptWebhookFormat] = format
	cfg.Options[OptAppSecret] = testSecret
	cfg.Options[OptSentStatus] = "true"
	return cfg
}

// TestWebhooksBothFormats: every status path (magic numbers) and every
// inbound type, in both formats: each POST valid against its callback,
// cloud POSTs signed with the app secret, on-premises ones unsigned; each
// message's statuses as its path says, failures with their error.
func TestWebhooksBothFormats(t *testing.T) {
	paths := map[string][]string{
		"+16315550100":     {"delivered", "sent"},
		MagicRead:          {"delivered", "read", "sent"},
		MagicUndeliverable: {"failed", "sent"},
		MagicWindowClosed:  {"failed"},
		MagicWarning:       {"delivered", "sent", "warning"},
		MagicInvalid:       {"failed"},
		"0211234567":       {"failed"},
		"wabcheck":         {"failed"},
	}
	wantErr := map[string]string{MagicUndeliverable: "131026 Message Undeliverable", MagicWindowClosed: "131047 Re-engagement message",
		MagicInvalid: "131026 Message Undeliverable", "0211234567": "131026 Message Undeliverable", "wabcheck": "131026 Message Undeliverable"}
	for _, format := range []string{onprem.KindOnprem, onprem.KindCloud} {
		t.Run(format, func(t *testing.T) {
			rcv := simtest.NewReceiver(t)
			sm := newSim(t, formatConfig(format, rcv))
			ids, nStatuses := map[string]string{}, 0
			for to, want := range paths {
				ids[to] = sm.send(t, to)
				nStatuses += len(want)
			}
			for _, typ := range InboundTypes {
				if _, err := sm.InjectInbound(t.Context(), sim.InboundRequest{Type: typ}); err != nil {
					t.Fatalf("inbound %s: %v", typ, err)
				}
			}
			simtest.WaitFor(t, "every status and message", func() bool {
				n := 0
				for _, e := range events(t, rcv, format) {
					if e.Type == dialect.EventStatus || e.Type == dialect.EventInbound {
						n++
					}
				}
				return n == nStatuses+len(InboundTypes)
			})
			checkPosts(t, rcv, format)
			checkSignatures(t, format, rcv)
			for to, want := range paths {
				got := statuses(t, rcv, format, ids[to])
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s: statuses %v, want %v", to, got, want)
				}
			}
			for _, e := range events(t, rcv, format) {
				checkEvent(t, e, ids, wantErr)
			}
		})
	}
}

// checkSignatures: cloud POSTs verify under the app secret; on-premises
// POSTs carry no signature.
func checkSignatures(t *testing.T, format string, rcv *simtest.Receiver) {
	t.Helper()
	for _, p := range rcv.All() {
		err := onprem.New().Verify(p.Header, p.Body, testSecret, time.Now())
		if format == onprem.KindCloud && err != nil {
			t.Errorf("cloud POST: %v", err)
		}
		if format == onprem.KindOnprem && p.Header.Get(onprem.SignatureHeader) != "" {
			t.Errorf("on-premises POST signed")
		}
	}
}

// checkEvent: a status names its recipient and time, a failure its error;
// an inbound message its sender.
func checkEvent(t *testing.T, e dialect.Event, ids, wantErr map[string]string) {
	t.Helper()
	switch e.Type {
	case dialect.EventStatus:
		for to, id := range ids {
			if id != e.MessageID {
				continue
			}
			want := onprem.WAID(to)
			if want == "" {
				want = to // no digits: the recipient as sent
			}
			if e.Recipient != want || e.Time.IsZero() {
				t.Errorf("status %+v: recipient or time wrong (sent to %s)", e, to)
			}
			if e.Status == onprem.Failed && (len(e.Errors) != 1 || e.Errors[0] != wantErr[to]) {
				t.Errorf("failed status of %s: errors %v, want %s", to, e.Errors, wantErr[to])
			}
		}
	case dialect.EventInbound:
		if e.From != onprem.WAID(DefaultCustomer) || !slices.Contains(InboundTypes, e.InboundType) {
			t.Errorf("inbound %+v", e)
		}
	default:
		t.Errorf("unexpected event %+v", e)
	}
}

// TestSentStatusSetting: no sent notifications by default; PATCH
// sent_status true switches them on.
func TestSentStatusSetting(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	cfg := formatConfig(onprem.KindOnprem, rcv)
	delete(cfg.Options, OptSentStatus)
	sm := newSim(t, cfg)
	first := sm.send(t, "+16315550100")
	simtest.WaitFor(t, "delivered", func() bool { return len(statuses(t, rcv, onprem.KindOnprem, first)) == 1 })
	if rec := sm.call("PATCH", "/v1/settings/application", "application/json", `{"sent_status":true}`); rec.Code != 200 {
		t.Fatalf("PATCH: %d %s", rec.Code, rec.Body.String())
	}
	second := sm.send(t, "+16315550100")
	simtest.WaitFor(t, "sent and delivered", func() bool { return len(statuses(t, rcv, onprem.KindOnprem, second)) == 2 })
	drained(t, sm.Server)
	if got := statuses(t, rcv, onprem.KindOnprem, first); !slices.Equal(got, []string{"delivered"}) {
		t.Errorf("with sent_status off: %v", got)
	}
	if got := sm.Stats().Reached["sent"]; got != 2 {
		t.Errorf("reached sent %d, want 2 (the message walks through sent even when it is not notified)", got)
	}
}

// TestBatching: statuses are merged into POSTs of at most BatchMax; with
// BatchMax 1 every POST carries one.
func TestBatching(t *testing.T) {
	for _, tc := range []struct {
		max, posts, perPost int
	}{{4, 2, 4}, {1, 8, 1}} {
		rcv := simtest.NewReceiver(t)
		cfg := formatConfig(onprem.KindCloud, rcv)
		cfg.BatchMax, cfg.BatchWindow = tc.max, time.Hour
		sm := newSim(t, cfg)
		for range 4 {
			sm.send(t, "+16315550100")
		}
		simtest.WaitFor(t, "8 statuses", func() bool { return len(events(t, rcv, onprem.KindCloud)) == 8 })
		drained(t, sm.Server)
		posts := rcv.All()
		if len(posts) != tc.posts {
			t.Fatalf("BatchMax %d: %d POSTs, want %d", tc.max, len(posts), tc.posts)
		}
		for _, p := range posts {
			evs, _ := onprem.New().Callbacks().Events(onprem.KindCloud, p.Body, nil)
			if len(evs) != tc.perPost {
				t.Errorf("BatchMax %d: a POST with %d statuses", tc.max, len(evs))
			}
		}
		checkPosts(t, rcv, onprem.KindCloud)
		checkSignatures(t, onprem.KindCloud, rcv)
	}
}

// TestWebhookURLSetting: with no URL nothing is posted; PATCH
// webhooks.url points the webhooks at it and GET shows it; the dialect's
// registrar does the same through the API and restores the old URL.
func TestWebhookURLSetting(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.Options[OptSentStatus] = "true"
	sm := newSim(t, cfg)
	before := sm.send(t, "+16315550100")
	simtest.WaitFor(t, "delivered", func() bool { return sm.State(sm.Get(mustID(t, sm, before))).Status == "delivered" })
	url := rcv.URL + "/hook"
	wh, err := onprem.New().RegisterWebhook(t.Context(), doer{sm}, url)
	if err != nil {
		t.Fatal(err)
	}
	if got := readURL(t, sm); got != url {
		t.Fatalf("GET shows %q", got)
	}
	after := sm.send(t, "+16315550100")
	simtest.WaitFor(t, "statuses", func() bool { return len(statuses(t, rcv, onprem.KindOnprem, after)) == 2 })
	if len(statuses(t, rcv, onprem.KindOnprem, before)) != 0 {
		t.Error("statuses of a message sent before the URL was set arrived")
	}
	if err := wh.Undo(t.Context()); err != nil || readURL(t, sm) != "" {
		t.Errorf("Undo: %v, URL %q", err, readURL(t, sm))
	}
}

// doer runs dialect requests against the simulator's handler.
type doer struct{ sm *simulator }

func (d doer) Do(_ context.Context, r dialect.Request) (dialect.Answer, error) {
	rec := d.sm.do(r)
	return dialect.Answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, nil
}

func readURL(t *testing.T, sm *simulator) string {
	t.Helper()
	rec := sm.do(onprem.New().SettingsRequest())
	u, err := onprem.ReadWebhookURL(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustID(t *testing.T, sm *simulator, s string) sim.ID {
	t.Helper()
	id, ok := sm.w.ParseID(s)
	if !ok {
		t.Fatalf("id %q does not parse", s)
	}
	return id
}

// TestInboundContentAndRead: Content is sent verbatim as the type's
// object; the business reading an inbound message posts nothing.
func TestInboundContentAndRead(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	sm := newSim(t, formatConfig(onprem.KindOnprem, rcv))
	id, err := sm.InjectInbound(t.Context(), sim.InboundRequest{Type: "text", Source: "+64 21 555 0100",
		Content: json.RawMessage(`{"body":"verbatim"}`)})
	if err != nil {
		t.Fatal(err)
	}
	simtest.WaitFor(t, "the inbound POST", func() bool { return len(rcv.All()) == 1 })
	body := string(rcv.All()[0].Body)
	if !strings.Contains(body, `"text":{"body":"verbatim"}`) || !strings.Contains(body, `"from":"64215550100"`) ||
		!strings.Contains(body, `"contacts":[{"wa_id":"64215550100"`) {
		t.Errorf("batch %s", body)
	}
	if rec := sm.do(onprem.New().MarkReadRequest(id)); rec.Code != 200 {
		t.Fatalf("mark read: %d %s", rec.Code, rec.Body.String())
	}
	// The read is reached and its notification skipped: nothing went to
	// the batcher, so no POST can follow.
	simtest.WaitFor(t, "read, not notified", func() bool {
		return sm.State(sm.Get(mustID(t, sm, id))).Status == "read" && sm.Stats().Callbacks.Skipped == 1
	})
	if n := len(rcv.All()); n != 1 {
		t.Errorf("%d POSTs after the business read an inbound message, want 1", n)
	}
	if _, err := sm.InjectInbound(t.Context(), sim.InboundRequest{Type: "hologram"}); err == nil {
		t.Error("an unknown inbound type is injected")
	}
}

// TestIDs: outbound and inbound ids look like Meta's and parse back.
func TestIDs(t *testing.T) {
	w := New().(*api)
	for _, id := range []sim.ID{outboundID(), inboundID()} {
		s := w.FormatID(id)
		back, ok := w.ParseID(s)
		if len(s) != 27 || !ok || back != id {
			t.Errorf("%s: %v %v", s, ok, back == id)
		}
		if want := map[bool]string{false: "gBGG", true: "ABGG"}[isInbound(id)]; !strings.HasPrefix(s, want) {
			t.Errorf("%s does not start %s", s, want)
		}
	}
	for _, s := range []string{"", "gBGGEgZHMlEfAgkM1RBkhDRr7t8X", "zzzzzzzzzzzzzzzzzzzzzzzzzzz", "3fa85f64-5717-4562-b3fc-2c963f66afa6"} {
		if _, ok := w.ParseID(s); ok {
			t.Errorf("%q parses", s)
		}
	}
}
