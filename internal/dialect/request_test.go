package dialect

import (
	"context"
	"io"
	"net/http"
	"testing"
)

// TestNewHTTPRequest: the HTTP request of a dialect request goes to the
// base URL joined with its path (query kept), with its body, headers and
// content type, asking for JSON, and with no credentials.
func TestNewHTTPRequest(t *testing.T) {
	r := Request{Method: http.MethodPost, Path: "/messages?x=1", ContentType: "application/json", Body: []byte(`{"a":1}`),
		Header: http.Header{"X-Extra": {"e"}}}
	for _, base := range []string{"http://h/rest/wab/v1", "http://h/rest/wab/v1/"} {
		req, err := NewHTTPRequest(context.Background(), base, r)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(req.Body)
		if req.URL.String() != "http://h/rest/wab/v1/messages?x=1" || req.Method != "POST" || string(body) != `{"a":1}` {
			t.Errorf("base %s: %s %s %s", base, req.Method, req.URL, body)
		}
		h := req.Header
		if h.Get("Content-Type") != "application/json" || h.Get("X-Extra") != "e" || h.Get("Accept") != "application/json, */*" || h.Get("Authorization") != "" {
			t.Errorf("base %s: headers %v", base, h)
		}
	}
	if _, err := NewHTTPRequest(context.Background(), "http://h", Request{Method: "BAD METHOD", Path: "/"}); err == nil {
		t.Error("a bad method built a request")
	}
}
