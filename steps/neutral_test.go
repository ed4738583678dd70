package steps

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cucumber/godog"
)

// TestMediaIDIsWhatTheSpecsDownloadTakes pins "the response field … is a
// media id" to the spec: an id is one the spec's download operation takes
// (Modica: ^[a-zA-Z0-9]+$, at most 255), not a pattern the steps know.
func TestMediaIDIsWhatTheSpecsDownloadTakes(t *testing.T) {
	s := New(testEnv(t))
	tests := []struct {
		id string
		ok bool
	}{
		{"abc123XYZ", true}, {strings.Repeat("a", 255), true},
		{"not-a-valid-id!", false}, {strings.Repeat("a", 256), false}, {"", false},
	}
	for _, tt := range tests {
		body, _ := json.Marshal(map[string]string{"id": tt.id})
		s.last, s.mediaID = &response{method: "POST", path: "/media", status: 200, body: body}, ""
		err := s.fieldMediaID("id")
		if (err == nil) != tt.ok {
			t.Errorf("media id %.20q: error %v, want ok=%v", tt.id, err, tt.ok)
		}
		if tt.ok && s.mediaID != tt.id {
			t.Errorf("media id %.20q: kept %q", tt.id, s.mediaID)
		}
	}
}

// fakeTarget answers every request as Modica accepts a send, and keeps the
// request bodies.
type fakeTarget struct {
	mu     sync.Mutex
	bodies []string
}

func (f *fakeTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies = append(f.bodies, string(b))
	f.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-RateLimit-Limit", "100")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`)
}

func fakeTargetScenario(t *testing.T) (*Scenario, *fakeTarget) {
	t.Helper()
	f := &fakeTarget{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	e := testEnv(t)
	e.BaseURL = srv.URL + "/rest/wab/v1"
	return New(e), f
}

// TestSpelledOutSendIsCorrelatedWhereTheDialectSays: a send body a
// feature spells out is registered with the recipient and reference found
// where the dialect says a send carries them (Explorer.Sends,
// ReferenceFielder), not by guessing field names.
func TestSpelledOutSendIsCorrelatedWhereTheDialectSays(t *testing.T) {
	s, _ := fakeTargetScenario(t)
	doc := &godog.DocString{Content: `{"destination": "+64211000002", "type": "text", "reference": "raw-{{ref}}", "text": {"body": "hi"}}`}
	if err := s.sendRaw(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	m, err := s.lastMessage()
	if err != nil {
		t.Fatal(err)
	}
	if m.dest != "+64211000002" || m.ref != "raw-"+s.ref {
		t.Errorf("registered to %q with reference %q; want +64211000002, raw-%s", m.dest, m.ref, s.ref)
	}
}

// TestSpecExampleGoesToTheTestRecipient: the spec's send example has its
// recipient (where the dialect's Explorer says: Modica's examples use the
// deprecated to) replaced by the test recipient, who is registered.
func TestSpecExampleGoesToTheTestRecipient(t *testing.T) {
	s, f := fakeTargetScenario(t)
	if err := s.sendExample(context.Background(), "text"); err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(f.bodies[0]), &sent); err != nil {
		t.Fatal(err)
	}
	m, _ := s.lastMessage()
	if sent["to"] != s.env.To[0] || m == nil || m.dest != s.env.To[0] {
		t.Errorf("sent %s, registered %+v; want the recipient %s", f.bodies[0], m, s.env.To[0])
	}
}
