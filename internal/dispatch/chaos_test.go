package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// chaosReceiver fails ~20% of attempts with 500 and hangs ~3% until the
// sender times out. It de-duplicates by id and checks per-key order: an
// attempt for seq n of a key may only arrive after seq n-1 was acknowledged.
type chaosReceiver struct {
	mu        sync.Mutex
	rng       *rand.Rand
	acked     map[string]int // key -> highest acknowledged seq
	delivered map[string]int // id -> 2xx answers given
	attempts  int
	hangs     int
	disorder  []string
}

type chaosBody struct {
	ID  string `json:"id"`
	Key string `json:"key"`
	Seq int    `json:"seq"`
}

func (c *chaosReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b chaosBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.attempts++
	if last := c.acked[b.Key]; last != b.Seq-1 && last != b.Seq {
		c.disorder = append(c.disorder, fmt.Sprintf("%s seq %d attempted after seq %d acked", b.Key, b.Seq, last))
	}
	roll := c.rng.Float64()
	switch {
	case roll < 0.20:
		c.mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
		return
	case roll < 0.23:
		c.hangs++
		c.mu.Unlock()
		<-r.Context().Done() // the sender's timeout ends it
		return
	}
	c.acked[b.Key] = max(c.acked[b.Key], b.Seq)
	c.delivered[b.ID]++
	c.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func TestChaos10kAtLeastOnceInOrder(t *testing.T) {
	rcv := &chaosReceiver{
		rng:       rand.New(rand.NewPCG(7, 11)),
		acked:     make(map[string]int),
		delivered: make(map[string]int),
	}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)

	cfg := DefaultConfig()
	cfg.Workers = 64
	cfg.QueueSize = 2000 // smaller than the load: Enqueue must block at times
	cfg.MaxAttempts = 40
	cfg.Timeout = 100 * time.Millisecond
	cfg.Seed = 3
	clk := &instantClock{now: time.Unix(0, 0)}
	cfg.Now, cfg.After = clk.Now, clk.After
	d := mustNew(t, cfg)

	const keys, perKey, producers = 2500, 4, 4
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for seq := 1; seq <= perKey; seq++ {
				for k := p; k < keys; k += producers {
					key := fmt.Sprint("msg-", k)
					body, _ := json.Marshal(chaosBody{ID: fmt.Sprint(key, "/", seq), Key: key, Seq: seq})
					if err := d.Enqueue(context.Background(), Delivery{Key: key, URL: srv.URL, Body: body, Kind: "status"}); err != nil {
						t.Errorf("Enqueue: %v", err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if left := d.Close(ctx); left != 0 {
		t.Fatalf("Close: %d undelivered", left)
	}

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	s := d.Stats()
	const total = keys * perKey
	if len(rcv.delivered) != total {
		t.Errorf("receiver got %d distinct deliveries, want %d", len(rcv.delivered), total)
	}
	if s.Enqueued != total || s.Delivered != total || s.GivenUp != 0 {
		t.Errorf("stats: %+v", s)
	}
	if s.Attempts != s.Delivered+s.Retried+s.GivenUp {
		t.Errorf("attempts %d != delivered %d + retried %d + given up %d", s.Attempts, s.Delivered, s.Retried, s.GivenUp)
	}
	if rcv.hangs == 0 || s.Retried < total/10 {
		t.Errorf("the chaos did not happen: %d hangs, %d retries", rcv.hangs, s.Retried)
	}
	for i, msg := range rcv.disorder {
		if i == 10 {
			t.Errorf("... %d order violations in all", len(rcv.disorder))
			break
		}
		t.Error(msg)
	}
	t.Logf("%d attempts at the receiver, %d hangs, %d retries", rcv.attempts, rcv.hangs, s.Retried)
}
