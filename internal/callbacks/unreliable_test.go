package callbacks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// flakyFront fails 20% of deliveries in front of a receiver: every tenth
// third is a 500 (not recorded), every tenth seventh is recorded and then
// answered 500 (as if the 200 were lost), so the simulator retries a DLR
// the receiver already has (at-least-once).
type flakyFront struct {
	h        http.Handler
	n        atomic.Int64
	active   atomic.Int64 // handlers running
	mu       sync.Mutex
	received map[string]int // "id status" -> deliveries recorded
}

func (f *flakyFront) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	f.active.Add(1)
	defer f.active.Add(-1)
	k := f.n.Add(1)
	if k%10 == 3 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	body, _ := io.ReadAll(req.Body)
	var b struct{ ID, Status string }
	_ = json.Unmarshal(body, &b)
	f.mu.Lock()
	f.received[b.ID+" "+b.Status]++
	f.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if k%10 == 7 {
		w.WriteHeader(http.StatusInternalServerError) // recorded, but the simulator will retry
		return
	}
	w.WriteHeader(rec.Code)
}

// TestTenThousandUnreliableReceiverSettled is issue 12 item 1's "same
// correctness as today": 10,000 messages (singles and broadcasts) from the
// simulator to a settling receiver behind a front that fails 20% of
// deliveries. Every message is accounted for, every re-delivery counted as
// a duplicate (late ones from the settled table), nothing is unknown.
func TestTenThousandUnreliableReceiverSettled(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var shift atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
	r := NewReceiver(validator(t), modica.New(), Options{Lean: true, Settle: time.Millisecond, Now: now})
	front := &flakyFront{h: r.Handler(), received: map[string]int{}}
	cbSrv := httptest.NewServer(front)
	defer cbSrv.Close()
	s := unreliableSim(t, cbSrv.URL)
	ids := sendTenThousand(t, s, r)
	waitQuiet(t, s, front)
	shift.Store(int64(time.Hour)) // every final message is now past its settle window
	sum := r.Summary()
	deliveries, dups := 0, 0
	for _, n := range front.received {
		deliveries += n
		dups += n - 1
	}
	if sum.Expected != len(ids) || sum.Terminal != len(ids) || sum.NoTerminal != 0 || sum.Unknown != 0 || sum.Illegal != 0 {
		t.Fatalf("accounting: expected %d terminal %d missing %d unknown %d illegal %d", sum.Expected, sum.Terminal, sum.NoTerminal, sum.Unknown, sum.Illegal)
	}
	if sum.DLRTotal != deliveries || sum.Duplicates != dups || sum.Latency.Count != len(ids) || sum.Settled != len(ids) {
		t.Errorf("dlrs %d (want %d), duplicates %d (want %d), latencies %d, settled %d", sum.DLRTotal, deliveries, sum.Duplicates, dups, sum.Latency.Count, sum.Settled)
	}
	t.Logf("%d DLRs, %d duplicates, %d of them late (after the message settled)", sum.DLRTotal, sum.Duplicates, sum.Late)
	// Every message has settled: one more copy of a DLR it had is a late
	// duplicate, never unknown.
	had := map[string]string{}
	for k := range front.received {
		id, st, _ := strings.Cut(k, " ")
		had[id] = st
	}
	for id := range ids {
		r.Ingest("/status", jsonHeader, dlrBody(id, ids[id], had[id]))
	}
	after := r.Summary()
	if after.Late-sum.Late != len(ids) || after.Duplicates-sum.Duplicates != len(ids) || after.Unknown != 0 || after.Illegal != 0 {
		t.Errorf("after settling: late +%d, duplicates +%d (want +%d each), unknown %d, illegal %d",
			after.Late-sum.Late, after.Duplicates-sum.Duplicates, len(ids), after.Unknown, after.Illegal)
	}
}

func unreliableSim(t *testing.T, cbURL string) *sim.Server {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.Lifecycle, cfg.RateLimit, cfg.Seed = sim.Lifecycle{}, 0, 42
	cfg.CallbackURLs = map[string]string{"status": cbURL + "/status"}
	cfg.CallbackTimeout, cfg.CallbackMaxAttempts, cfg.CallbackWorkers = 10*time.Second, 20, 64
	cfg.CallbackBackoff, cfg.CallbackMaxBackoff = time.Millisecond, 5*time.Millisecond
	cfg.FailRatio, cfg.RejectRatio, cfg.ExpireRatio = 0.05, 0.05, 0.05
	s, err := sim.New(modicaspec.MustDoc(), nil, modicasim.New(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = s.Close(ctx)
	})
	return s
}

// sendTenThousand sends 5,000 singles and 5 broadcasts of 1,000 and
// expects each accepted id; it returns id → reference.
func sendTenThousand(t *testing.T, s *sim.Server, r *Receiver) map[string]string {
	t.Helper()
	cfg := sim.DefaultConfig()
	ids := map[string]string{}
	post := func(path, body string) ([]byte, time.Time) {
		req := httptest.NewRequest(http.MethodPost, "/rest/wab/v1"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(cfg.User, cfg.Password)
		rec := httptest.NewRecorder()
		sentAt := time.Now()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body.Bytes(), sentAt
	}
	for i := range 5000 {
		ref := fmt.Sprintf("ref-%d", i)
		var out struct {
			MessageID string `json:"message_id"`
		}
		b, at := post("/messages", fmt.Sprintf(`{"destination":"+64220%07d","type":"text","text":{"body":"x"},"reference":%q}`, i, ref))
		_ = json.Unmarshal(b, &out)
		ids[out.MessageID] = ref
		r.Expect(out.MessageID, ref, at)
	}
	for b := range 5 {
		dests := make([]string, 1000)
		for i := range dests {
			dests[i] = fmt.Sprintf(`"+64230%03d%04d"`, b, i)
		}
		var items []struct{ ID string }
		b, at := post("/messages/broadcast", `{"destination":[`+strings.Join(dests, ",")+`],"type":"text","text":{"body":"x"}}`)
		_ = json.Unmarshal(b, &items)
		for _, it := range items {
			ids[it.ID] = ""
			r.Expect(it.ID, "", at)
		}
	}
	if len(ids) != 10000 {
		t.Fatalf("%d ids accepted, want 10000", len(ids))
	}
	return ids
}

// waitQuiet waits until the simulator has no lifecycle step or callback
// left to deliver and the front no handler running (or fails the test
// after five minutes).
func waitQuiet(t *testing.T, s *sim.Server, f *flakyFront) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		st := s.Stats()
		d := st.Callbacks.Delivery
		if st.InFlightSteps == 0 && d.QueueDepth == 0 && d.InFlight == 0 && d.BackingOff == 0 && f.active.Load() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator still busy after five minutes: %+v", st.Callbacks)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
