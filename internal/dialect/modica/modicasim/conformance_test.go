package modicasim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// multipartFile builds a POST /media body with one `file` part.
func multipartFile(t testing.TB, field, ctype string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="f"`, field))
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = pw.Write(data)
	_ = mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// TestEveryResponseValid drives every operation and error path through the
// handler and validates each response against the spec: zero findings.
func TestEveryResponseValid(t *testing.T) {
	s := newServer(t, testConfig())
	id := send(t, s, "+6421555010", "ref-1")
	pngType, png := multipartFile(t, "file", "image/png", []byte("\x89PNG\r\n\x1a\n0000"))
	rec := call(t, s, "POST", base+"/media", pngType, png)
	var media struct{ ID string }
	_ = json.Unmarshal(rec.Body.Bytes(), &media)
	badType, bad := multipartFile(t, "file", "application/x-msdownload", []byte("MZ"))
	bigType, big := multipartFile(t, "file", "text/plain", bytes.Repeat([]byte("a"), maxUploadBytes+1))
	noFileType, noFile := multipartFile(t, "other", "text/plain", []byte("x"))
	tooMany := `{"type":"text","text":{"body":"x"},"destination":[` + strings.Repeat(`"+6421555000",`, 1000) + `"+6421555000"]}`
	far := time.Now().Add(70 * 24 * time.Hour).UTC().Format(time.RFC3339)
	const j = "application/json"
	cases := []struct {
		name, method, path, ctype, body string
		want                            int
	}{
		{"send text", "POST", "/messages", j, `{"destination":"+6421555011","type":"text","text":{"body":"hi"}}`, 202},
		{"send to (deprecated)", "POST", "/messages", j, `{"to":"+6421555011","type":"text","text":{"body":"hi"}}`, 202},
		{"send template", "POST", "/messages", j, `{"destination":"+6421555011","type":"template","template":{"name":"hello_world","language":"en_US","body_params":["a","b"]}}`, 202},
		{"send media", "POST", "/messages", j, `{"destination":"+6421555011","type":"media","media":{"type":"image","url":"https://example.com/a.png"}}`, 202},
		{"send malformed JSON", "POST", "/messages", j, `{"destination":`, 400},
		{"send schema invalid", "POST", "/messages", j, `{"destination":"12","type":"text","text":{}}`, 400},
		{"send wrong content type", "POST", "/messages", "text/plain", `hi`, 415},
		{"send no destination", "POST", "/messages", j, `{"type":"text","text":{"body":"hi"}}`, 400},
		{"send refused", "POST", "/messages", j, `{"destination":"` + MagicRefused + `","type":"text","text":{"body":"hi"}}`, 422},
		{"send scheduled too far", "POST", "/messages", j, `{"destination":"+6421555011","type":"text","text":{"body":"hi"},"scheduled":"` + far + `"}`, 422},
		{"send too large", "POST", "/messages", j, `{"x":"` + strings.Repeat("a", 3<<20) + `"}`, 413},
		{"get", "GET", "/messages?id=" + id, "", "", 200},
		{"get unknown", "GET", "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "", "", 404},
		{"get bad id", "GET", "/messages?id=nope", "", "", 400},
		{"get no id", "GET", "/messages", "", "", 400},
		{"patch", "PATCH", "/messages", j, `{"message_id":"` + id + `"}`, 200},
		{"patch unknown", "PATCH", "/messages", j, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`, 404},
		{"patch invalid", "PATCH", "/messages", j, `{}`, 400},
		{"broadcast", "POST", "/messages/broadcast", j, `{"destination":["+6421555012","` + MagicRefused + `","+6421555013"],"type":"text","text":{"body":"hi"}}`, 202},
		{"broadcast bad item", "POST", "/messages/broadcast", j, `{"destination":["+6421555012","12x"],"type":"text","text":{"body":"hi"}}`, 202},
		{"broadcast over 1000", "POST", "/messages/broadcast", j, tooMany, 400},
		{"broadcast malformed", "POST", "/messages/broadcast", j, `[`, 400},
		{"media upload", "POST", "/media", pngType, string(png), 200},
		{"media wrong type", "POST", "/media", badType, string(bad), 415},
		{"media too big", "POST", "/media", bigType, string(big), 413},
		{"media no file", "POST", "/media", noFileType, string(noFile), 400},
		{"media not multipart", "POST", "/media", j, `{}`, 415},
		{"media download", "GET", "/media?media_id=" + media.ID, "", "", 200},
		{"media unknown", "GET", "/media?media_id=abc123", "", "", 404},
		{"media bad id", "GET", "/media?media_id=a-b", "", "", 400},
		{"source", "POST", "/source", j, `{"business_number_id":"102046588645210","business_id":"b1","omni_customer_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","waba_id":"w1","gw_application_id":"g1"}`, 200},
		{"source invalid", "POST", "/source", j, `{"business_number_id":""}`, 400},
		{"healthz", "GET", "/healthz", "", "", 200},
		{"method not allowed", "DELETE", "/messages", "", "", 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(t, s, c.method, base+c.path, c.ctype, []byte(c.body))
			if rec.Code != c.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, c.want, rec.Body.String())
			}
			if c.want == 405 {
				if rec.Header().Get("Allow") == "" {
					t.Error("405 without Allow")
				}
				return // DELETE /messages is no operation to validate against
			}
			testSpec.CheckResponse(t, c.method, base+c.path, rec)
		})
	}
	t.Run("unauthorized", func(t *testing.T) {
		for _, p := range []string{"/messages?id=" + id, "/healthz", "/media?media_id=abc"} {
			req, _ := http.NewRequest("GET", base+p, nil)
			req.SetBasicAuth("wabcheck", "wrong")
			rec := simtest.Serve(s, req)
			if rec.Code != 401 {
				t.Fatalf("%s: %d, want 401", p, rec.Code)
			}
			testSpec.CheckResponse(t, "GET", base+p, rec)
		}
	})
}
