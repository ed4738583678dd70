package ycloudsim

import (
	"slices"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// disorderCounts are the messages showing each lawful disorder.
type disorderCounts struct{ duplicate, reorder, skip int }

// sendAndCount sends n ordinary messages and counts, from the events
// received, those whose final event came twice (with the same event id),
// whose delivered came before sent, and whose sent never came.
func sendAndCount(t *testing.T, s *sim.Server, rcv *simtest.Receiver, n int) disorderCounts {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = send(t, s, ycloud.SimRecipient, "")
	}
	simtest.WaitFor(t, "final events", func() bool {
		got := map[string]bool{}
		for _, e := range events(rcv) {
			if e.Status == ycloud.Delivered {
				got[e.MessageID] = true
			}
		}
		return len(got) == n
	})
	drained(t, s)
	byID := map[string][]dialect.Event{}
	for _, e := range events(rcv) {
		byID[e.MessageID] = append(byID[e.MessageID], e)
	}
	var c disorderCounts
	for _, id := range ids {
		evs := byID[id]
		var sts, finalIDs []string
		for _, e := range evs {
			sts = append(sts, e.Status)
			if e.Status == ycloud.Delivered {
				finalIDs = append(finalIDs, e.EventID)
			}
		}
		switch {
		case len(finalIDs) == 2 && finalIDs[0] == finalIDs[1]:
			c.duplicate++
		case len(finalIDs) != 1:
			t.Errorf("message %s: delivered events %v", id, finalIDs)
		}
		si, di := slices.Index(sts, ycloud.Sent), slices.Index(sts, ycloud.Delivered)
		switch {
		case si < 0:
			c.skip++
		case di < si:
			c.reorder++
		}
	}
	return c
}

func disorderServer(t *testing.T, dis *sim.Disorder) (*sim.Server, *simtest.Receiver) {
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.Disorder = dis
	cfg.Options = map[string]string{"enqueue-rate": "0"}
	s, _ := newServer(t, cfg)
	register(t, s, rcv.URL, ycloud.EventMessageUpdated)
	return s, rcv
}

// Lawful disorder is on by default (5 % of messages each: a duplicated
// final event, delivered before sent, sent skipped) and follows a
// configured ratio; the admin API changes it at run time.
func TestLawfulDisorderAtItsRatio(t *testing.T) {
	const n = 400
	within := func(name string, got int, lo, hi int) {
		if got < lo || got > hi {
			t.Errorf("%s: %d of %d messages, want %d..%d", name, got, n, lo, hi)
		}
	}
	t.Run("default", func(t *testing.T) {
		s, rcv := disorderServer(t, nil)
		c := sendAndCount(t, s, rcv, n)
		t.Logf("%+v of %d", c, n)
		// 5 % of 400 is 20 (σ ≈ 4.4); a reorder of a skipped sent shows as the skip.
		within("duplicate", c.duplicate, 6, 40)
		within("reorder", c.reorder, 6, 40)
		within("skip", c.skip, 6, 40)
	})
	t.Run("configured", func(t *testing.T) {
		s, rcv := disorderServer(t, &sim.Disorder{Duplicate: 0.5})
		c := sendAndCount(t, s, rcv, n)
		within("duplicate", c.duplicate, 160, 240)
		within("reorder", c.reorder, 0, 0)
		within("skip", c.skip, 0, 0)
	})
	t.Run("admin API", func(t *testing.T) {
		s, rcv := disorderServer(t, &sim.Disorder{})
		rec := call(t, s, "PATCH", "/_sim/config", `{"disorder":{"duplicate":0,"reorder":1,"skip":0}}`)
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		if c := sendAndCount(t, s, rcv, 5); c != (disorderCounts{reorder: 5}) {
			t.Errorf("after PATCH reorder 1: %+v", c)
		}
	})
}
