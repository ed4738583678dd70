package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	_ "github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// notesDoc loads testdata/planted.yaml, a small API with every rule kind.
func notesDoc(t testing.TB) *spec.Doc {
	t.Helper()
	doc, err := spec.Load(spec.Options{File: "testdata/planted.yaml", Errata: spec.ErrataNone})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// notesDialect is a dialect for the notes API: Modica's, with no sends
// and no links beyond the spec's (the API has neither). Its credentials
// are notesAuth.
type notesDialect struct{ *modica.Dialect }

func (notesDialect) Sends(string) ([]string, bool)            { return nil, false }
func (notesDialect) Links() []Link                            { return nil }
func (notesDialect) MessageIDs(string, []byte) []string       { return nil }
func (notesDialect) ItemRejected(string, string, []byte) bool { return false }

var notesAuth = dialect.NewBasicAuth("u", "p")

// modicaSim starts the in-process Modica simulator and its receiver, as
// the CLI does (tune adjusts the simulator's configuration last), and
// returns options pointing at it.
func modicaSim(t testing.TB, tune func(*sim.Config)) (Options, *harness.Harness) {
	t.Helper()
	doc := modicaspec.MustDoc()
	h, err := harness.Start(context.Background(), harness.Options{Dialect: modica.New(), Doc: doc, Timeout: 10 * time.Second,
		SimConfig: func(c *sim.Config) {
			c.RateLimit, c.Seed = 0, 1
			c.CallbackBackoff, c.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
			if tune != nil {
				tune(c)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	o := DefaultOptions()
	o.Doc, o.Dialect, o.Auth, o.Simulated, o.BaseURL, o.Receiver = doc, h.Dialect, h.Auth, true, h.BaseURL, h.Receiver
	return o, h
}

// notesServer serves the notes API, refusing what the spec forbids (by the
// validator) except the findings plant lets through; it can also crash on
// malformed bodies or ignore credentials.
type notesServer struct {
	v                *validate.Validator
	plant            func(validate.Finding) bool
	crashOnMalformed bool
	ignoreAuth       bool

	mu    sync.Mutex
	notes map[string]map[string]any
}

func newNotesServer(t testing.TB, doc *spec.Doc) *notesServer {
	v, err := validate.New(doc, validate.Callbacks(nil)) // the notes API declares no callbacks
	if err != nil {
		t.Fatal(err)
	}
	return &notesServer{v: v, plant: func(validate.Finding) bool { return false }, notes: map[string]map[string]any{}}
}

func (s *notesServer) start(t testing.TB) string {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/api"
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *notesServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if u, p, ok := r.BasicAuth(); !s.ignoreAuth && (!ok || u != "u" || p != "p") {
		reply(w, http.StatusUnauthorized, map[string]any{"message": "who are you"})
		return
	}
	body, _ := io.ReadAll(r.Body)
	if s.crashOnMalformed && r.Method == http.MethodPost && len(body) > 0 && !json.Valid(body) {
		reply(w, http.StatusInternalServerError, map[string]any{"message": "boom"})
		return
	}
	if allowed := s.v.Allowed(r.URL.Path); len(allowed) > 0 && !contains(allowed, r.Method) {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		reply(w, http.StatusMethodNotAllowed, map[string]any{"message": "no"})
		return
	}
	for _, f := range s.v.Request(r, body) {
		if !s.plant(f) {
			reply(w, http.StatusBadRequest, map[string]any{"message": f.Code})
			return
		}
	}
	s.route(w, r, body)
}

func (s *notesServer) route(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodPost {
		var n map[string]any
		_ = json.Unmarshal(body, &n)
		id := fmt.Sprintf("n%d", len(s.notes)+1)
		note := map[string]any{"id": id, "text": fmt.Sprint(n["text"]), "kind": fmt.Sprint(n["kind"])}
		s.notes[id] = note
		reply(w, http.StatusCreated, note)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/api/notes/")
	if n := s.notes[id]; n != nil {
		reply(w, http.StatusOK, n)
		return
	}
	reply(w, http.StatusNotFound, map[string]any{"message": "no such note"})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// notesOptions probes the notes API at base as a real target with every
// positive case allowed.
func notesOptions(doc *spec.Doc, base string) Options {
	o := DefaultOptions()
	o.Doc, o.Dialect, o.Auth, o.BaseURL, o.Positive = doc, notesDialect{modica.New()}, notesAuth, base, PositiveAll
	o.MaxCases, o.Concurrency, o.Timeout = 300, 4, 10*time.Second
	return o
}

func mustRun(t testing.TB, o Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// findingsOf lists the findings of one check.
func findingsOf(res *Result, check string) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if f.Check == check {
			out = append(out, f)
		}
	}
	return out
}

// everyCheckRan fails t for each check of a probe against a simulator
// that examined no case, and returns the cases per operation.
func everyCheckRan(t *testing.T, res *Result) map[string]int {
	t.Helper()
	perCheck, perOp := map[string]int{}, map[string]int{}
	for _, c := range res.Counts {
		perCheck[c.Check] += c.Cases
		perOp[c.Operation] += c.Cases
	}
	for _, check := range []string{CheckNotAServerError, CheckStatusCodeConformance, CheckResponseSchema, CheckNegativeDataRejection,
		CheckPositiveDataAcceptance, CheckIgnoredAuth, CheckUnsupportedMethod, CheckResourceAvailability, CheckDeliveryReceipts} {
		if perCheck[check] == 0 {
			t.Errorf("check %s examined no case", check)
		}
	}
	return perOp
}
