package ycloud

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// HeaderSignature carries a webhook's signature: t=<Unix seconds>,s=<hex
// HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint's secret>
// ("Implement a webhook receiver",
// https://docs.ycloud.com/en/api-reference/guides/api-fundamentals/implement-a-webhook-receiver).
const HeaderSignature = "YCloud-Signature"

// SignatureTolerance is how far a signature's timestamp may be from the
// receiver's clock before it is stale (a replay): the common receiver
// policy the docs' samples use.
const SignatureTolerance = 5 * time.Minute

// SignatureHeader implements dialect.Verifier.
func (*Dialect) SignatureHeader() string { return HeaderSignature }

// Sign implements dialect.Verifier.
func (*Dialect) Sign(body []byte, secret string, now time.Time) string {
	return string(AppendSignature(make([]byte, 0, 96), body, secret, now.Unix()))
}

// AppendSignature appends the YCloud-Signature value for body signed with
// secret at Unix second t.
func AppendSignature(dst, body []byte, secret string, t int64) []byte {
	ts := strconv.AppendInt(make([]byte, 0, 20), t, 10)
	dst = append(dst, "t="...)
	dst = append(dst, ts...)
	dst = append(dst, ",s="...)
	return hex.AppendEncode(dst, mac(secret, ts, body))
}

// mac is HMAC-SHA256(secret, "<t>.<body>").
func mac(secret string, ts, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(ts)
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify implements dialect.Verifier: the header must carry t and at least
// one s (several are allowed) that matches, compared in constant time; a
// timestamp more than SignatureTolerance from now is stale.
func (*Dialect) Verify(h http.Header, body []byte, secret string, now time.Time) error {
	v := h.Get(HeaderSignature)
	if v == "" {
		return &dialect.SignatureError{Code: dialect.CodeSignatureMissing, Message: "no " + HeaderSignature + " header"}
	}
	ts, sigs, ok := parseSignature(v)
	if !ok {
		return &dialect.SignatureError{Code: dialect.CodeSignatureInvalid,
			Message: HeaderSignature + " is not t=<unix seconds>,s=<64 hex digits>"}
	}
	want := mac(secret, []byte(ts), body)
	match := false
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err == nil && hmac.Equal(got, want) {
			match = true
		}
	}
	if !match {
		return &dialect.SignatureError{Code: dialect.CodeSignatureInvalid,
			Message: "the signature does not match the body signed with the endpoint's secret"}
	}
	return checkFresh(ts, now)
}

// parseSignature splits "t=…,s=…[,s=…]" into the timestamp and signatures.
func parseSignature(v string) (ts string, sigs []string, ok bool) {
	for _, part := range strings.Split(v, ",") {
		k, val, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return "", nil, false
		}
		switch k {
		case "t":
			ts = val
		case "s":
			sigs = append(sigs, val)
		}
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil || len(sigs) == 0 {
		return "", nil, false
	}
	return ts, sigs, true
}

// checkFresh reports a timestamp further than SignatureTolerance from now.
func checkFresh(ts string, now time.Time) error {
	t, _ := strconv.ParseInt(ts, 10, 64)
	age := now.Sub(time.Unix(t, 0))
	if age > SignatureTolerance || age < -SignatureTolerance {
		return &dialect.SignatureError{Code: dialect.CodeSignatureStale,
			Message: "the signature's timestamp is " + age.Round(time.Second).String() + " from the receiver's clock (tolerance " + SignatureTolerance.String() + ")"}
	}
	return nil
}
