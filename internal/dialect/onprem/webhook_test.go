package onprem

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// fakeDoer answers GET /settings/application with the URL it holds and
// PATCHes it; every request it gets is checked against the spec.
type fakeDoer struct {
	t        *testing.T
	url      string
	getFail  bool
	failFrom int // fail PATCHes from this call on (0: never)
	calls    []string
}

func (f *fakeDoer) Do(_ context.Context, r dialect.Request) (dialect.Answer, error) {
	checkRequest(f.t, r)
	f.calls = append(f.calls, r.Method+" "+string(r.Body))
	switch r.Method {
	case "GET":
		if f.getFail {
			return answer(401, `{"errors":[{"code":1005,"title":"Access denied"}]}`), nil
		}
		return answer(200, `{"settings":{"application":{"webhooks":{"url":"`+f.url+`"},"sent_status":false}},"meta":{"api_status":"stable","version":"v2"}}`), nil
	case "PATCH":
		if f.failFrom > 0 && len(f.calls) >= f.failFrom {
			return dialect.Answer{}, errors.New("connection refused")
		}
		var p struct {
			Webhooks struct{ URL string } `json:"webhooks"`
		}
		_ = jsonUnmarshal(r.Body, &p)
		f.url = p.Webhooks.URL
		return answer(200, `{}`), nil
	}
	return answer(404, `{"errors":[{"code":1006,"title":"Resource not found"}]}`), nil
}

// TestRegisterWebhook sets the URL and Undo restores the old one.
func TestRegisterWebhook(t *testing.T) {
	d := New()
	f := &fakeDoer{t: t, url: "https://old.example.com/hook"}
	wh, err := d.RegisterWebhook(context.Background(), f, "http://127.0.0.1:9999/cb")
	if err != nil {
		t.Fatal(err)
	}
	if f.url != "http://127.0.0.1:9999/cb" || wh.Secret != "" {
		t.Fatalf("url %q secret %q", f.url, wh.Secret)
	}
	if !strings.Contains(wh.Description, "http://127.0.0.1:9999/cb") || !strings.Contains(wh.Description, "old.example.com") {
		t.Errorf("description %q", wh.Description)
	}
	if err := wh.Undo(context.Background()); err != nil || f.url != "https://old.example.com/hook" {
		t.Errorf("Undo: %v, url %q", err, f.url)
	}
	// No webhook before: Undo clears it.
	f = &fakeDoer{t: t}
	wh, err = d.RegisterWebhook(context.Background(), f, "https://new.example.com/cb")
	if err != nil || !strings.Contains(wh.Description, "(was none)") {
		t.Fatalf("%v %q", err, wh.Description)
	}
	if err := wh.Undo(context.Background()); err != nil || f.url != "" {
		t.Errorf("Undo to none: %v, url %q", err, f.url)
	}
}

// TestRegisterWebhookFailures: a failed read changes nothing; a failed
// PATCH is an error.
func TestRegisterWebhookFailures(t *testing.T) {
	d := New()
	f := &fakeDoer{t: t, url: "https://old.example.com/hook", getFail: true}
	if _, err := d.RegisterWebhook(context.Background(), f, "https://x.example.com"); err == nil || !strings.Contains(err.Error(), "1005 Access denied") {
		t.Errorf("GET refused: %v", err)
	}
	if len(f.calls) != 1 {
		t.Errorf("calls after a failed read: %v", f.calls)
	}
	f = &fakeDoer{t: t, failFrom: 2}
	if _, err := d.RegisterWebhook(context.Background(), f, "https://x.example.com"); err == nil {
		t.Error("PATCH failed: no error")
	}
}
