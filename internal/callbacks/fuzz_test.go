package callbacks

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// fuzzExpected is an id the fuzz receiver expects, so that DLRs for it
// take the correlated path.
const fuzzExpected = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

// parseHeader reads "Name: value" lines into a header.
func parseHeader(s string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	return h
}

// FuzzReceiverIngest posts an arbitrary callback (path, header lines,
// body) several times: the receiver must not panic, must count every one,
// and must keep no more than its bounds allow.
func FuzzReceiverIngest(f *testing.F) {
	f.Add("/cb/status", "Content-Type: application/json", []byte(`{"id":"`+fuzzExpected+`","reference":"ref","status":"sent"}`))
	f.Add("/cb/reply", "Content-Type: application/json", []byte(moBody))
	f.Add("/", "Authorization: Basic c2VjcmV0", []byte(`{"hello":1}`))
	f.Add("/status", "", []byte("\xde\xad\xbe\xef"))
	v := validator(f)
	const posts = 5
	f.Fuzz(func(t *testing.T, path, header string, body []byte) {
		opts := Options{Now: (&clock{}).now, KeepBodies: true, MaxKeptBody: 64, MaxKeptHeader: 64, MaxPerMessage: 2,
			MaxUnknown: 2, MaxPending: 2, MaxReplies: 2, Settle: time.Millisecond, Remember: 64}
		r := NewReceiver(v, modica.New(), opts)
		r.Expect(fuzzExpected, "ref", t0)
		h := parseHeader(header)
		for range posts {
			r.Ingest(path, h, body)
		}
		s := r.Summary()
		if counted := s.Replies + s.DLRTotal + s.NoID; counted != posts || s.Unknown > s.DLRTotal+s.NoID {
			t.Fatalf("counted %d callbacks of %d: %+v", counted, posts, s)
		}
		checkKept(t, r, opts)
	})
}

// checkKept fails t when the receiver keeps more than opts allow.
func checkKept(t *testing.T, r *Receiver, opts Options) {
	t.Helper()
	unknown, replies, events := r.Unknown(), r.Replies(), r.Events(fuzzExpected)
	if len(unknown) > opts.MaxUnknown || len(replies) > opts.MaxReplies || len(events) > opts.MaxPerMessage {
		t.Fatalf("kept %d unknown, %d replies, %d events: over the bounds", len(unknown), len(replies), len(events))
	}
	for _, e := range append(append(unknown, replies...), events...) {
		size := 0
		for k, vs := range e.Header {
			for _, v := range vs {
				size += len(k) + len(v)
			}
		}
		if len(e.Body) > opts.MaxKeptBody || size > opts.MaxKeptHeader || len(e.Findings) > maxKeptFindings ||
			len(e.MessageID) > maxIDLen+len("…") || len(e.Status) > maxFieldLen+len("…") || len(e.Path) > maxFieldLen+len("…") {
			t.Fatalf("kept event over the bounds: body %d, header %d, findings %d, id %d, status %d, path %d",
				len(e.Body), size, len(e.Findings), len(e.MessageID), len(e.Status), len(e.Path))
		}
	}
}
