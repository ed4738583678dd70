package dispatch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

func TestCloseDrains(t *testing.T) {
	srv := serve(t, &recorder{}, func(int, seenRequest) int { return http.StatusOK })
	cfg := testConfig(nil)
	logs := captureLogs(&cfg)
	d := mustNew(t, cfg)
	for i := range 50 {
		enqueue(t, d, Delivery{Key: fmt.Sprint("m", i%7), URL: srv.URL, Body: []byte(`{}`), Kind: "reply"})
	}
	if left := d.Close(context.Background()); left != 0 {
		t.Fatalf("Close: %d undelivered, want 0", left)
	}
	if s := d.Stats(); s.Delivered != 50 {
		t.Errorf("delivered %d, want 50", s.Delivered)
	}
	if err := d.Enqueue(context.Background(), Delivery{URL: srv.URL}); !errors.Is(err, ErrClosed) {
		t.Errorf("Enqueue after Close: expected ErrClosed, got %v", err)
	}
	if d.TryEnqueue(Delivery{URL: srv.URL}) {
		t.Error("TryEnqueue after Close: expected false")
	}
	if s := d.Stats(); s.Rejected != 2 || s.Dropped != 0 {
		t.Errorf("after Close: %+v", s)
	}
	if !strings.Contains(logs.String(), "undelivered=0") {
		t.Errorf("Close summary missing:\n%s", logs)
	}
}

func TestCloseReportsUndelivered(t *testing.T) {
	srv := hangingServer(t)

	cfg := testConfig(nil)
	cfg.Workers = 1
	logs := captureLogs(&cfg)
	d := mustNew(t, cfg)
	url := strings.Replace(srv.URL, "http://", "http://u:hunter2@", 1)
	for i := range 5 {
		enqueue(t, d, Delivery{Key: fmt.Sprint("m", i%2), URL: url, Body: []byte(`{}`), Kind: "status"})
	}
	simtest.WaitFor(t, "one attempt in flight", func() bool { return d.Stats().InFlight == 1 })

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if left := d.Close(ctx); left != 5 {
		t.Fatalf("Close: %d undelivered, want 5", left)
	}
	if left := d.Close(context.Background()); left != 5 {
		t.Errorf("second Close: %d, want the same 5", left)
	}
	out := logs.String()
	for _, want := range []string{"undelivered=5", "drained=false", "undelivered_by_kind=map[status:5]", "u:REDACTED@"} {
		if !strings.Contains(out, want) {
			t.Errorf("Close log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("Close log leaks the password:\n%s", out)
	}
}

func TestCloseReleasesBlockedEnqueue(t *testing.T) {
	srv := hangingServer(t)
	cfg := testConfig(nil)
	cfg.Workers, cfg.QueueSize = 1, 1
	d := mustNew(t, cfg)
	enqueue(t, d, Delivery{URL: srv.URL, Kind: "status"})

	blocked := make(chan error, 1)
	go func() { blocked <- d.Enqueue(context.Background(), Delivery{URL: srv.URL, Kind: "status"}) }()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if left := d.Close(ctx); left != 1 {
		t.Errorf("Close: %d undelivered, want 1", left)
	}
	if err := <-blocked; !errors.Is(err, ErrClosed) {
		t.Errorf("blocked Enqueue after Close: expected ErrClosed, got %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		field string
		mod   func(*Config)
	}{
		{"Workers", func(c *Config) { c.Workers = 0 }},
		{"QueueSize", func(c *Config) { c.QueueSize = -1 }},
		{"MaxAttempts", func(c *Config) { c.MaxAttempts = 0 }},
		{"InitialBackoff", func(c *Config) { c.InitialBackoff = 0 }},
		{"MaxBackoff", func(c *Config) { c.MaxBackoff = time.Millisecond }},
		{"Timeout", func(c *Config) { c.Timeout = 0 }},
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.field, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.mod(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), "dispatch: "+tc.field+" ") {
				t.Errorf("expected an error naming %s, got %v", tc.field, err)
			}
			if _, err := New(cfg); err == nil {
				t.Error("New accepted an invalid config")
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	cfg := testConfig(nil) // 100ms doubling, capped at 1s
	d := mustNew(t, cfg)
	for n := 1; n <= 70; n++ {
		step := min(cfg.InitialBackoff<<min(n-1, 20), cfg.MaxBackoff)
		for range 50 {
			d.mu.Lock()
			got := d.backoff(n, -1)
			d.mu.Unlock()
			if got < step/2 || got > step {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, got, step/2, step)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", -1},
		{"12", 12 * time.Second},
		{"-3", -1},
		{"soon", -1},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	}
	for _, tc := range tests {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q): expected %v, got %v", tc.in, tc.want, got)
		}
	}
}
