package ycloud

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

const testSecret = "whsec_abc4147651944f02baf3be1eb45d33f1"

// reference computes the documented signature independently:
// hex(HMAC-SHA256(secret, "<t>.<body>")).
func reference(secret string, t int64, body string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(strconv.FormatInt(t, 10) + "." + body))
	return hex.EncodeToString(h.Sum(nil))
}

// The errata's pattern of the header (Y9).
var signaturePattern = regexp.MustCompile(`^t=[0-9]+,s=[0-9a-fA-F]{64}$`)

func TestSignMatchesTheDocumentedScheme(t *testing.T) {
	d := New()
	now := time.Unix(1654084800, 0)
	got := d.Sign([]byte(deliveredPayload), testSecret, now)
	if want := "t=1654084800,s=" + reference(testSecret, 1654084800, deliveredPayload); got != want {
		t.Errorf("Sign = %s\nwant   %s", got, want)
	}
	if !signaturePattern.MatchString(got) {
		t.Errorf("%s does not match the errata's pattern", got)
	}
	if d.SignatureHeader() != "YCloud-Signature" {
		t.Errorf("header %s", d.SignatureHeader())
	}
}

func TestVerify(t *testing.T) {
	d := New()
	now := time.Unix(1700000000, 0)
	body := []byte(deliveredPayload)
	sig := func(at time.Time, b string, secret string) http.Header {
		return http.Header{"Ycloud-Signature": {"t=" + strconv.FormatInt(at.Unix(), 10) + ",s=" + reference(secret, at.Unix(), b)}}
	}
	tests := []struct {
		name string
		h    http.Header
		want string // "" = valid, else the SignatureError code
	}{
		{"valid", sig(now, deliveredPayload, testSecret), ""},
		{"valid, upper-case hex", http.Header{"Ycloud-Signature": {"t=1700000000,s=" + upper(reference(testSecret, 1700000000, deliveredPayload))}}, ""},
		{"valid, 4 minutes old", sig(now.Add(-4*time.Minute), deliveredPayload, testSecret), ""},
		{"valid among several s", http.Header{"Ycloud-Signature": {"t=1700000000,s=" + reference("whsec_old", 1700000000, deliveredPayload) +
			",s=" + reference(testSecret, 1700000000, deliveredPayload)}}, ""},
		{"missing", http.Header{}, dialect.CodeSignatureMissing},
		{"wrong secret", sig(now, deliveredPayload, "whsec_other"), dialect.CodeSignatureInvalid},
		{"tampered body", sig(now, failedPayload, testSecret), dialect.CodeSignatureInvalid},
		{"timestamp changed", http.Header{"Ycloud-Signature": {"t=1700000001,s=" + reference(testSecret, 1700000000, deliveredPayload)}}, dialect.CodeSignatureInvalid},
		{"no timestamp", http.Header{"Ycloud-Signature": {"s=" + reference(testSecret, 1700000000, deliveredPayload)}}, dialect.CodeSignatureInvalid},
		{"sha256= form", http.Header{"Ycloud-Signature": {"sha256=" + reference(testSecret, 1700000000, deliveredPayload)}}, dialect.CodeSignatureInvalid},
		{"not hex", http.Header{"Ycloud-Signature": {"t=1700000000,s=zz"}}, dialect.CodeSignatureInvalid},
		{"stale: 6 minutes old", sig(now.Add(-6*time.Minute), deliveredPayload, testSecret), dialect.CodeSignatureStale},
		{"stale: 6 minutes ahead", sig(now.Add(6*time.Minute), deliveredPayload, testSecret), dialect.CodeSignatureStale},
		{"stale and wrong is wrong", sig(now.Add(-time.Hour), deliveredPayload, "whsec_other"), dialect.CodeSignatureInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := d.Verify(tt.h, body, testSecret, now)
			var se *dialect.SignatureError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Verify: %v, want valid", err)
			case tt.want != "" && (!errors.As(err, &se) || se.Code != tt.want):
				t.Errorf("Verify: %v, want %s", err, tt.want)
			}
		})
	}
	// What Sign makes, Verify accepts.
	h := http.Header{}
	h.Set(HeaderSignature, d.Sign(body, testSecret, now))
	if err := d.Verify(h, body, testSecret, now.Add(time.Minute)); err != nil {
		t.Errorf("round trip: %v", err)
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
