package simtest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestReceiverRecordsEveryPostAndWhatItAnswered(t *testing.T) {
	r := NewReceiver(t)
	r.SetFail(func(n int) int {
		if n == 2 {
			return http.StatusServiceUnavailable
		}
		return 0
	})
	for i, path := range []string{"/status", "/reply", "/status"} {
		resp, err := http.Post(r.URL+path, "application/json", strings.NewReader(`{"n":`+string(rune('1'+i))+`}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[bool]int{true: 503, false: 200}[i == 1]; resp.StatusCode != want {
			t.Errorf("POST %d answered %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	all, done := r.All(), r.Delivered()
	if len(all) != 3 || all[1].Path != "/reply" || all[1].Status != 503 || string(all[2].Body) != `{"n":3}` {
		t.Errorf("All = %+v", all)
	}
	if len(done) != 2 || done[0].Path != "/status" || done[1].Path != "/status" {
		t.Errorf("Delivered = %+v, want the two answered 200", done)
	}
	if all[0].Header.Get("Content-Type") != "application/json" {
		t.Errorf("header not kept: %v", all[0].Header)
	}
}

func TestClockStandsStillUntilAdvanced(t *testing.T) {
	c := NewClock()
	if !c.Now().Equal(Epoch) {
		t.Fatalf("Now = %v, want %v", c.Now(), Epoch)
	}
	c.Advance(90 * time.Second)
	if got := c.Now().Sub(Epoch); got != 90*time.Second {
		t.Errorf("after Advance(90s) the clock moved %v", got)
	}
}

func TestNopWriterKeepsStatusAndHeaderUntilReset(t *testing.T) {
	w := NewNopWriter()
	w.Header().Set("X", "1")
	w.WriteHeader(http.StatusAccepted)
	if n, err := w.Write([]byte("body")); n != 4 || err != nil || w.Code != http.StatusAccepted {
		t.Errorf("Write = %d, %v; Code %d", n, err, w.Code)
	}
	w.Reset()
	if w.Code != 0 || len(w.Header()) != 0 {
		t.Errorf("after Reset: Code %d, header %v", w.Code, w.Header())
	}
	_, _ = w.Write(nil)
	if w.Code != http.StatusOK {
		t.Errorf("a body without WriteHeader: Code %d, want 200", w.Code)
	}
}
