package onprem

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// SignatureHeader carries the Cloud API webhook signature.
const SignatureHeader = "X-Hub-Signature-256"

const sigPrefix = "sha256="

// SignatureHeader implements dialect.Verifier.
func (*Dialect) SignatureHeader() string { return SignatureHeader }

// Verify implements dialect.Verifier for the Cloud envelope:
// X-Hub-Signature-256 must be "sha256=" and the lower-case hex
// HMAC-SHA256 of the raw body keyed with the app secret, compared in
// constant time. The signature carries no time, so it is never stale; now
// is unused. On-premises batches are unsigned: verify only cloud POSTs.
func (*Dialect) Verify(h http.Header, body []byte, secret string, _ time.Time) error {
	v := h.Get(SignatureHeader)
	if v == "" {
		return &dialect.SignatureError{Code: dialect.CodeSignatureMissing, Message: "no " + SignatureHeader + " header"}
	}
	if secret == "" {
		return &dialect.SignatureError{Code: dialect.CodeSignatureInvalid, Message: "no app secret to verify " + SignatureHeader + " with"}
	}
	hexSig, ok := strings.CutPrefix(v, sigPrefix)
	got, err := hex.DecodeString(hexSig)
	if !ok || err != nil || len(got) != sha256.Size || hexSig != strings.ToLower(hexSig) {
		return &dialect.SignatureError{Code: dialect.CodeSignatureInvalid,
			Message: SignatureHeader + " is not sha256= and 64 lower-case hex digits"}
	}
	if !hmac.Equal(got, mac(body, secret)) {
		return &dialect.SignatureError{Code: dialect.CodeSignatureInvalid,
			Message: SignatureHeader + " does not match the HMAC-SHA256 of the body with the app secret"}
	}
	return nil
}

// Sign implements dialect.Verifier: "sha256=<hex HMAC-SHA256(secret,
// body)>".
func (*Dialect) Sign(body []byte, secret string, _ time.Time) string { return Sign(body, secret) }

// Sign is the X-Hub-Signature-256 value of body under secret.
func Sign(body []byte, secret string) string {
	return sigPrefix + hex.EncodeToString(mac(body, secret))
}

func mac(body []byte, secret string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}
