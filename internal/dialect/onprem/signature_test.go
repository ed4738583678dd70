package onprem

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// TestVerify: a correct signature verifies; a tampered body, another
// secret, a malformed or missing header do not, each with its code.
func TestVerify(t *testing.T) {
	d := New()
	body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
	const secret = "app-secret"
	sig := d.Sign(body, secret, time.Time{})
	// A known vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
	if got := Sign([]byte("The quick brown fox jumps over the lazy dog"), "key"); got != "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Fatalf("Sign = %s", got)
	}
	h := func(v string) http.Header { return http.Header{SignatureHeader: {v}} }
	if err := d.Verify(h(sig), body, secret, time.Now()); err != nil {
		t.Fatalf("correct signature: %v", err)
	}
	if err := d.Verify(h(sig), body, secret, time.Now().Add(30*24*time.Hour)); err != nil {
		t.Errorf("never stale: %v", err)
	}
	for name, tc := range map[string]struct {
		h      http.Header
		body   []byte
		secret string
		code   string
	}{
		"tampered":    {h(sig), append(body[:len(body):len(body)], ' '), secret, dialect.CodeSignatureInvalid},
		"other key":   {h(sig), body, "another", dialect.CodeSignatureInvalid},
		"upper case":  {h("sha256=" + strings.ToUpper(sig[7:])), body, secret, dialect.CodeSignatureInvalid},
		"no prefix":   {h(sig[7:]), body, secret, dialect.CodeSignatureInvalid},
		"sha1":        {h("sha1=" + sig[7:47]), body, secret, dialect.CodeSignatureInvalid},
		"short":       {h(sig[:len(sig)-2]), body, secret, dialect.CodeSignatureInvalid},
		"no secret":   {h(sig), body, "", dialect.CodeSignatureInvalid},
		"missing":     {http.Header{}, body, secret, dialect.CodeSignatureMissing},
		"empty value": {h(""), body, secret, dialect.CodeSignatureMissing},
	} {
		err := d.Verify(tc.h, tc.body, tc.secret, time.Now())
		var se *dialect.SignatureError
		if !errors.As(err, &se) || se.Code != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if d.SignatureHeader() != "X-Hub-Signature-256" {
		t.Error("SignatureHeader")
	}
}
