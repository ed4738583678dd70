package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startReceive runs `sim receive` on a free loopback port until the test
// ends and returns its URL and output.
func startReceive(t *testing.T) (string, *simBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &simBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"sim", "receive", "--listen", "127.0.0.1:0"}, out, out) }()
	t.Cleanup(func() { cancel(); <-done })
	addr := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+) `)
	for deadline := time.Now().Add(10 * time.Second); ; <-time.After(10 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		if time.Now().After(deadline) {
			t.Fatalf("receiver not listening within 10s: %q", out.String())
		}
	}
}

// waitOutput waits until the output holds want (a synchronisation point,
// not a timing assertion).
func waitOutput(t *testing.T, out *simBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), want); <-time.After(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("output lacks %q within 10s: %q", want, out.String())
		}
	}
}

// TestIssue13Item13SimReceiveEscapesAndBounds: `sim receive` used to print
// callback bodies raw, so escape sequences in a body reached the terminal,
// and answered 200 to a body of any size. Now control characters are
// escaped and a body over 1 MiB is answered 413.
func TestIssue13Item13SimReceiveEscapesAndBounds(t *testing.T) {
	url, out := startReceive(t)
	hostile := "{\"id\":\"x\x1b]0;pwned\x07\",\"t\":\"\x1b[2J\x9b31m\u202eevil\r\nline\"}"
	resp, err := http.Post(url+"/status%1b[31m", "application/json", strings.NewReader(hostile))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitOutput(t, out, `/status\x1b[31m {"id":"x\x1b]0;pwned\x07","t":"\x1b[2J\x9b31m\u202eevil\x0d\x0aline"}`)
	if strings.ContainsAny(out.String(), "\x1b\x07\r\u202e") || strings.Contains(out.String(), "\x9b") {
		t.Errorf("output holds raw control characters: %q", out.String())
	}
	big := strings.NewReader("{\"pad\":\"" + strings.Repeat("x", 2<<20) + "\"}")
	resp, err = http.Post(url+"/status", "application/json", big)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB body was answered %d, want 413", resp.StatusCode)
	}
	waitOutput(t, out, "/status (body over 1048576 bytes: answered 413, not read)")
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":"b"}`, `{"a":"b"}`},
		{"caf\u00e9 \U0001F468\u200d\U0001F469 \u0645", "caf\u00e9 \U0001F468\u200d\U0001F469 \u0645"},
		{"\x1b[31m\x00\x7f", `\x1b[31m\x00\x7f`},
		{"\u0085\u009b\u2066\u200f", `\u0085\u009b\u2066\u200f`},
		{"\xff\xfe", `\xff\xfe`},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
