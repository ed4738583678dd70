package simtest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Spec is a dialect's spec and a validator for it that knows the
// dialect's callback kinds, loaded on first use and then shared by every
// test of the binary.
type Spec struct {
	load func() *spec.Doc
	d    dialect.Dialect
	once sync.Once
	doc  *spec.Doc
	v    *validate.Validator
	err  error
}

// NewSpec returns the Spec of d, whose document load returns (the
// vendor's MustDoc: the embedded spec with its errata).
func NewSpec(load func() *spec.Doc, d dialect.Dialect) *Spec {
	return &Spec{load: load, d: d}
}

// Get returns the document and its validator; a validator that cannot be
// built fails the test.
func (s *Spec) Get(t testing.TB) (*spec.Doc, *validate.Validator) {
	t.Helper()
	s.once.Do(func() {
		s.doc = s.load()
		s.v, s.err = validate.New(s.doc, validate.Callbacks(s.d.Callbacks().Kinds()))
	})
	if s.err != nil {
		t.Fatalf("validator of %s: %v", s.d.Info().Name, s.err)
	}
	return s.doc, s.v
}

// Validator is Get's validator.
func (s *Spec) Validator(t testing.TB) *validate.Validator {
	t.Helper()
	_, v := s.Get(t)
	return v
}

// CheckResponse asserts that rec answers a spec operation (method and
// path, the path under the API's base path) and is valid against it: each
// finding is a test error.
func (s *Spec) CheckResponse(t testing.TB, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, v := s.Get(t)
	if _, ok := v.OperationID(method, path); !ok {
		t.Fatalf("%s %s is not a spec operation", method, path)
	}
	for _, f := range v.Response(method, path, rec.Code, rec.Header(), rec.Body.Bytes()) {
		t.Errorf("%s %s → %d: %s\nbody: %s", method, path, rec.Code, f, rec.Body.String())
	}
}

// ResponseFindings returns the findings of rec as an answer to method
// path.
func (s *Spec) ResponseFindings(t testing.TB, method, path string, rec *httptest.ResponseRecorder) []validate.Finding {
	t.Helper()
	_, v := s.Get(t)
	return v.Response(method, path, rec.Code, rec.Header(), rec.Body.Bytes())
}

// CheckRequest asserts that the dialect request r, sent under base (the
// API's base path, "/v2"), is the spec operation it names and is valid
// against it: each finding is a test error. header adds headers (a
// credential the spec declares as a parameter).
func (s *Spec) CheckRequest(t testing.TB, base string, r dialect.Request, header http.Header) {
	t.Helper()
	_, v := s.Get(t)
	req := httptest.NewRequest(r.Method, base+r.Path, bytes.NewReader(r.Body))
	for k, vs := range header {
		req.Header[k] = vs
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if op, ok := v.OperationID(r.Method, req.URL.Path); !ok || op != r.Operation {
		t.Errorf("%s %s: spec operation %q (%v), the request names %q", r.Method, r.Path, op, ok, r.Operation)
	}
	for _, f := range v.Request(req, r.Body) {
		t.Errorf("%s %s: %s\nbody: %s", r.Method, r.Path, f, r.Body)
	}
}
