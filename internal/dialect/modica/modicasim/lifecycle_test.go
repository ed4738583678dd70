package modicasim

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// TestLifecyclePaths drives each walk (magic numbers) to its end and checks
// the DLR sequence, the final GET status and every callback's validity.
func TestLifecyclePaths(t *testing.T) {
	tests := []struct {
		dest string
		want []string
	}{
		{"+6421555000", []string{"submitted", "sent", "received"}},
		{MagicRejected, []string{"rejected"}},
		{MagicFailed, []string{"submitted", "failed"}},
		{MagicExpired, []string{"submitted", "sent", "expired"}},
		{MagicDead, []string{"submitted", "dead"}},
		{MagicFrozen, []string{"submitted", "frozen", "sent", "received"}},
		{MagicRead, []string{"submitted", "sent", "received", "read"}},
	}
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
	s := newServer(t, cfg)
	_, v := testSpec.Get(t)
	for _, tt := range tests {
		t.Run(tt.dest, func(t *testing.T) {
			id := send(t, s, tt.dest, "ref-"+strings.TrimPrefix(tt.dest, "+"))
			simtest.WaitFor(t, "DLRs of "+tt.dest, func() bool { return len(statuses(rcv, id)) >= len(tt.want) })
			if got := statuses(rcv, id); !slices.Equal(got, tt.want) {
				t.Errorf("DLRs = %v, want %v", got, tt.want)
			}
			if got := status(t, s, id); got != tt.want[len(tt.want)-1] {
				t.Errorf("GET status = %q, want %q", got, tt.want[len(tt.want)-1])
			}
		})
	}
	for _, c := range rcv.Delivered() {
		for _, f := range v.Callback(validate.Kind(modica.KindStatus), c.Header, c.Body) {
			t.Errorf("callback %s: %s", c.Body, f)
		}
		var b struct{ Reference string }
		_ = json.Unmarshal(c.Body, &b)
		if !strings.HasPrefix(b.Reference, "ref-") {
			t.Errorf("callback %s does not echo the reference", c.Body)
		}
	}
}

// TestLifecycleTiming uses a fake clock: nothing happens until the clock
// passes each step's delay.
func TestLifecycleTiming(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Lifecycle = sim.Lifecycle{Submit: time.Second, Send: 2 * time.Second, Deliver: 3 * time.Second, Read: 4 * time.Second}
	s := newServer(t, cfg)
	id := send(t, s, MagicRead, "")
	steps := []struct {
		advance time.Duration
		want    string
	}{{999 * time.Millisecond, "accepted"}, {time.Millisecond, "submitted"}, {2 * time.Second, "sent"},
		{3 * time.Second, "received"}, {4 * time.Second, "read"}}
	for _, st := range steps {
		clk.Advance(st.advance)
		s.Kick()
		simtest.WaitFor(t, "status "+st.want, func() bool { return status(t, s, id) == st.want })
		// Stays there until the next step is due.
		if st.want != "read" {
			s.Kick()
			if got := status(t, s, id); got != st.want {
				t.Fatalf("status moved to %q before its time", got)
			}
		}
	}
}

// TestScheduled delivers at the scheduled time, rejects beyond 60 days and
// sends a past time at once.
func TestScheduled(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	s := newServer(t, cfg)
	at := clk.Now().Add(time.Hour).Format(time.RFC3339)
	rec := call(t, s, "POST", base+"/messages", "application/json",
		[]byte(`{"destination":"+6421555001","type":"text","text":{"body":"later"},"scheduled":"`+at+`"}`))
	testSpec.CheckResponse(t, "POST", base+"/messages", rec)
	var out struct {
		MessageID string `json:"message_id"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	s.Kick()
	if got := status(t, s, out.MessageID); got != "accepted" {
		t.Fatalf("before the scheduled time: status %q, want accepted", got)
	}
	clk.Advance(time.Hour)
	s.Kick()
	simtest.WaitFor(t, "received after the scheduled time", func() bool { return status(t, s, out.MessageID) == "received" })

	far := clk.Now().Add(61 * 24 * time.Hour).Format(time.RFC3339)
	rec = call(t, s, "POST", base+"/messages", "application/json",
		[]byte(`{"destination":"+6421555001","type":"text","text":{"body":"x"},"scheduled":"`+far+`"}`))
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "scheduled") {
		t.Errorf("61 days ahead: %d %s, want 422 naming scheduled", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "POST", base+"/messages", rec)
	past := clk.Now().Add(-time.Hour).Format(time.RFC3339)
	rec = call(t, s, "POST", base+"/messages", "application/json",
		[]byte(`{"destination":"+6421555001","type":"text","text":{"body":"x"},"scheduled":"`+past+`"}`))
	if rec.Code != 202 {
		t.Errorf("past scheduled: %d, want 202 (sent now)", rec.Code)
	}
}

// TestReadRatioAndAdminRead: a read ratio of 1 reads every message; admin
// read makes the recipient read a received message.
func TestReadRatioAndAdminRead(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
	cfg.ReadRatio = 1
	s := newServer(t, cfg)
	id := send(t, s, "+6421555002", "")
	simtest.WaitFor(t, "read", func() bool { return status(t, s, id) == "read" })

	if err := s.ApplyConfig(sim.AdminConfig{ReadRatio: new(float64)}); err != nil {
		t.Fatal(err)
	}
	id2 := send(t, s, "+6421555003", "")
	simtest.WaitFor(t, "received", func() bool { return status(t, s, id2) == "received" })
	rec := call(t, s, "POST", "/_sim/messages/"+id2+"/read", "", nil)
	if rec.Code != 202 {
		t.Fatalf("admin read: %d %s", rec.Code, rec.Body.String())
	}
	simtest.WaitFor(t, "read DLR", func() bool { return slices.Contains(statuses(rcv, id2), "read") })
	if got := statuses(rcv, id2); !slices.Equal(got, []string{"submitted", "sent", "received", "read"}) {
		t.Errorf("DLRs = %v", got)
	}
	failed := send(t, s, MagicFailed, "")
	simtest.WaitFor(t, "failed", func() bool { return status(t, s, failed) == "failed" })
	if rec := call(t, s, "POST", "/_sim/messages/"+failed+"/read", "", nil); rec.Code != 409 {
		t.Errorf("admin read of a failed message: %d, want 409", rec.Code)
	}
}
