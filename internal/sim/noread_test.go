package sim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/spec"
)

// toyNoReadWire is the toy wire of a vendor that reports no read status.
type toyNoReadWire struct{ toyWire }

func (w *toyNoReadWire) Walks() Walks {
	ws := w.toyWire.Walks()
	ws.Read, ws.ReadStep = ws.Delivered, Step{}
	return ws
}

// TestWireWithoutReadStatus (seam, TestToyDialect's first finding): a
// vendor without a read status has a simulator — New once refused a wire
// whose Walks.ReadStep named no status. Its messages are delivered, and a
// read is refused as unsupported, by MarkRead and by the admin API.
func TestWireWithoutReadStatus(t *testing.T) {
	rec := simtest.NewReceiver(t)
	cfg := DefaultConfig()
	cfg.Lifecycle, cfg.Seed, cfg.ReadRatio = Lifecycle{}, 1, 1
	s, err := New(&spec.Doc{T: toySpec(t)}, nil, &toyNoReadWire{toyWire{url: rec.URL}}, cfg)
	if err != nil {
		t.Fatalf("New refused a wire without a read status: %v", err)
	}
	id := accept(s)
	waitStatuses(t, rec, id, 2)
	uid, _ := ParseUUID(id)
	if got := s.MarkRead(s.Get(uid)); got != ReadUnsupported {
		t.Errorf("MarkRead = %v, want ReadUnsupported", got)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/_sim/messages/"+id+"/read", nil))
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "reports no read status") {
		t.Errorf("admin read: %d %s, want 409 saying there is no read status", w.Code, w.Body.String())
	}
	if _, err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := statuses(rec, id); !slices.Equal(got, []string{"sent", "delivered"}) {
		t.Errorf("posted %v, want sent, delivered", got)
	}
}
