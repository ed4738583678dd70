package dispatch

import (
	"context"
	"encoding/pem"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

func TestBasicAuthFromURL(t *testing.T) {
	rec := &recorder{}
	srv := serve(t, rec, func(n int, _ seenRequest) int {
		if n == 1 {
			return http.StatusInternalServerError // so the URL gets logged
		}
		return http.StatusOK
	})
	clk := newFakeClock()
	cfg := testConfig(clk)
	logs := captureLogs(&cfg)
	d := mustNew(t, cfg)

	cbURL := strings.Replace(srv.URL, "http://", "http://user:p%40ss@", 1) + "/cb?x=1"
	enqueue(t, d, Delivery{Key: "m1", URL: cbURL, Body: []byte(`{}`), Kind: "status",
		Header: http.Header{"Authorization": {"Bearer not-this"}}})
	advanceRetry(t, d, clk, 1)
	flush(t, d)
	d.Close(context.Background())

	for i, r := range rec.all() {
		req := &http.Request{Header: r.header}
		user, pass, ok := req.BasicAuth()
		if !ok || user != "user" || pass != "p@ss" {
			t.Errorf("attempt %d: basic auth: expected user/p@ss, got %q/%q (ok=%v)", i+1, user, pass, ok)
		}
		if r.requestURI != "/cb?x=1" || strings.Contains(r.host, "@") {
			t.Errorf("attempt %d: receiver saw URI %q host %q; want no userinfo", i+1, r.requestURI, r.host)
		}
	}
	out := logs.String()
	for _, secret := range []string{"p@ss", "p%40ss", "cEBzcw", "dXNlcjpwQHNz"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains the credential %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "user:REDACTED@") {
		t.Errorf("log should show the redacted URL:\n%s", out)
	}
}

func TestBadURLRefused(t *testing.T) {
	tests := []struct{ name, url string }{
		{"not-http", "ftp://host/cb"},
		{"no-host", "http:///cb"},
		{"relative", "/cb"},
		{"bad-escape-in-password", "https://user:s3cr%zzet@host/cb"},
		{"control-char", "http://host/\x7f"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(nil)
			logs := captureLogs(&cfg)
			d := mustNew(t, cfg)
			err := d.Enqueue(context.Background(), Delivery{URL: tc.url, Kind: "status"})
			if !errors.Is(err, ErrBadURL) {
				t.Fatalf("expected ErrBadURL, got %v", err)
			}
			if d.TryEnqueue(Delivery{URL: tc.url, Kind: "status"}) {
				t.Error("TryEnqueue accepted a bad URL")
			}
			if s := d.Stats(); s.Rejected != 2 || s.Enqueued != 0 {
				t.Errorf("stats: %+v", s)
			}
			if strings.Contains(err.Error()+logs.String(), "s3cr") {
				t.Errorf("credential leaked: %v\n%s", err, logs)
			}
		})
	}
}

// writeCA writes the test server's certificate as a PEM file.
func writeCA(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHTTPSWithPrivateCA(t *testing.T) {
	var got atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
	}))
	t.Cleanup(srv.Close)
	tlsCfg, err := LoadCA(writeCA(t, srv))
	if err != nil {
		t.Fatalf("LoadCA: %v", err)
	}

	t.Run("trusted", func(t *testing.T) {
		cfg := testConfig(nil)
		cfg.TLS = tlsCfg
		d := mustNew(t, cfg)
		enqueue(t, d, Delivery{Key: "m1", URL: srv.URL + "/dlr", Body: []byte(`{}`), Kind: "status"})
		flush(t, d)
		if s := d.Stats(); s.Delivered != 1 || got.Load() != 1 {
			t.Errorf("delivered %d, receiver got %d; stats %+v", s.Delivered, got.Load(), s)
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		cfg := testConfig(nil)
		cfg.MaxAttempts = 1
		logs := captureLogs(&cfg)
		d := mustNew(t, cfg)
		enqueue(t, d, Delivery{Key: "m1", URL: srv.URL + "/dlr", Body: []byte(`{}`), Kind: "status"})
		flush(t, d)
		if s := d.Stats(); s.GivenUp != 1 || s.Delivered != 0 {
			t.Errorf("without the CA: expected a give-up, got %+v", s)
		}
		simtest.WaitFor(t, "certificate error logged", func() bool { return strings.Contains(logs.String(), "certificate") })
	})
}

func TestLoadCAErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	tests := []struct {
		name, path, want string
		is               error
	}{
		{"missing", missing, "no such file", fs.ErrNotExist},
		{"not-pem", garbage, "no PEM certificate found", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCA(tc.path)
			if err == nil {
				t.Fatal("expected an error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error should be one line naming %s and saying %q: %q", tc.path, tc.want, msg)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("expected errors.Is(%v), got %v", tc.is, err)
			}
		})
	}
}
