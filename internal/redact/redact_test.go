package redact

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestHeader(t *testing.T) {
	h := http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}, "Content-Type": {"application/json"}}
	got := Header(h)
	if got.Get("Authorization") != "Basic REDACTED" {
		t.Errorf("Authorization = %q", got.Get("Authorization"))
	}
	if got.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type changed: %q", got.Get("Content-Type"))
	}
	if h.Get("Authorization") != "Basic dXNlcjpwYXNz" {
		t.Error("input header was modified")
	}
}

func TestURLAndString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:p%40ss@cb.example.com/dlr", "https://user:REDACTED@cb.example.com/dlr"},
		{"http://127.0.0.1:9000/dlr", "http://127.0.0.1:9000/dlr"},
		{"http://onlyuser@host/x", "http://onlyuser@host/x"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	s := String("posting to https://a:secret@h/x with Authorization: Basic dXNlcjpwYXNz")
	if strings.Contains(s, "secret") || strings.Contains(s, "dXNlcjpwYXNz") {
		t.Errorf("String leaked a secret: %q", s)
	}
}

func TestError(t *testing.T) {
	inner := errors.New(`listen tcp: lookup acme:TargetPw123@host: no such host`)
	err := Error(inner)
	if strings.Contains(err.Error(), "TargetPw123") || !strings.Contains(err.Error(), "acme:REDACTED@host") {
		t.Errorf("Error().Error() = %q", err)
	}
	if !errors.Is(err, inner) {
		t.Error("errors.Is does not see the wrapped error")
	}
	if Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
}

// Credential members of JSON bodies are masked wherever they are, and
// nothing else is.
func TestJSONSecrets(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"id":"wh1","secret":"whsec_abc","status":"active"}`, `{"id":"wh1","secret":"REDACTED","status":"active"}`},
		{`{"users":[{"token": "eyJ\"x", "expires_after":"2026"}]}`, `{"users":[{"token": "REDACTED", "expires_after":"2026"}]}`},
		{`{"Password":"p","apiKey":"k","api_key":"k2"}`, `{"Password":"REDACTED","apiKey":"REDACTED","api_key":"REDACTED"}`},
		{`{"secrets":"no","description":"a secret"}`, `{"secrets":"no","description":"a secret"}`},
		{`plain text`, `plain text`},
	} {
		if got := JSONSecrets(tc.in); got != tc.want {
			t.Errorf("JSONSecrets(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
