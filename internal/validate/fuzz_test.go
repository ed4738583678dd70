package validate

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/spec"
)

// The fuzz targets of this package; their seed corpora are in
// testdata/fuzz/<name>/ (real specs and bodies, and the schema cycles of
// issue 13). `make fuzz` runs each for a minute, `make test` for a few
// seconds.

// fuzzBodies are the bodies FuzzLoadSpec checks against every operation of
// a spec it could load.
var fuzzBodies = [][]byte{nil, []byte(`{}`), []byte(`[]`), []byte(`null`), []byte(`"x"`), []byte(good202),
	[]byte(goodDLR), []byte(strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200)),
	[]byte(strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200))}

// FuzzLoadSpec: spec.Load of arbitrary bytes, then New, then messages
// checked against every operation must never panic, hang or overflow the
// stack; every error and finding is one line.
func FuzzLoadSpec(f *testing.F) {
	for _, name := range spec.EmbeddedSpecs() {
		data, err := spec.Embedded(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "spec.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		fuzzWithin(t, func() {
			doc, err := spec.Load(spec.Options{File: path})
			if err != nil {
				oneLineError(t, "spec.Load", err)
				return
			}
			v, err := New(doc, Callbacks(everyCallback(doc)))
			if err != nil {
				oneLineError(t, "New", err)
				return
			}
			exerciseOperations(t, v)
		})
	})
}

// fuzzHang is how long one fuzz input may take before it counts as a hang:
// far above the slowest seed (the Modica spec, about a second under -race
// on a loaded machine). Go's fuzzing has no hang detection of its own.
const fuzzHang = time.Minute

// fuzzWithin runs fn and fails the input when fn has not returned after
// fuzzHang. A panic in fn still crashes the worker, which the fuzzer
// records as a failing input.
func fuzzWithin(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(fuzzHang):
		t.Fatalf("no answer after %v: the input hangs", fuzzHang)
	}
}

// oneLineError and oneLineFindings report with Errorf: they run on
// fuzzWithin's goroutine, where FailNow must not be called.
func oneLineError(t *testing.T, what string, err error) {
	t.Helper()
	if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
		t.Errorf("%s: expected a one-line error, got %q", what, msg)
	}
}

// exerciseOperations checks requests, responses and callbacks with
// fuzzBodies against the first operations of v's spec.
func exerciseOperations(t *testing.T, v *Validator) {
	n := 0
	for _, pe := range append(v.templated, mapValues(v.exact)...) {
		for method := range pe.ops {
			if n++; n > 24 {
				return
			}
			path := v.base + strings.NewReplacer("{", "", "}", "").Replace(pe.template)
			for _, body := range fuzzBodies {
				oneLineFindings(t, v.Response(method, path, 200, jsonCT, body))
				r := httptest.NewRequest(http.MethodPost, "http://h/", bytes.NewReader(body))
				r.Method, r.URL.Path = method, path
				r.Header.Set("Content-Type", "application/json")
				oneLineFindings(t, v.Request(r, body))
				for _, k := range v.CallbackKinds() {
					oneLineFindings(t, v.Callback(Kind(k), jsonCT, body))
				}
			}
		}
	}
}

// everyCallback names each expression of each callback of doc's
// operations as a callback kind (kinds are the dialect's to say; a fuzzed
// spec has no dialect, so every callback it declares is compiled).
func everyCallback(doc *spec.Doc) []dialect.CallbackKind {
	if doc.T == nil || doc.T.Paths == nil {
		return nil
	}
	var out []dialect.CallbackKind
	for _, tmpl := range doc.T.Paths.InMatchingOrder() {
		item := doc.T.Paths.Value(tmpl)
		if item == nil {
			continue
		}
		for _, op := range item.Operations() {
			for name, ref := range op.Callbacks {
				if ref == nil || ref.Value == nil {
					continue
				}
				for expr := range ref.Value.Map() {
					out = append(out, dialect.CallbackKind{Name: name + " " + expr, SpecCallback: name, SpecExpression: expr})
				}
			}
		}
	}
	return out
}

func mapValues(m map[string]*pathEntry) []*pathEntry {
	out := make([]*pathEntry, 0, len(m))
	for _, pe := range m {
		out = append(out, pe)
	}
	return out
}

func oneLineFindings(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Code == "" || strings.Contains(f.String(), "\n") {
			t.Errorf("expected a coded one-line finding, got %q", f.String())
			return
		}
	}
}

var (
	treeOnce sync.Once
	treeV    *Validator
)

// treeValidator is the Validator of treeSpec (recursive schemas).
func treeValidator(t *testing.T) *Validator {
	treeOnce.Do(func() { treeV = inline(t, treeSpec) })
	if treeV == nil {
		t.Fatal("tree spec did not build")
	}
	return treeV
}

// FuzzResponse: Validator.Response on any method, path, status, headers
// and body never panics, and every finding is coded and one line; against
// the Modica spec and against recursive schemas.
func FuzzResponse(f *testing.F) {
	f.Add("POST", msgPath, 202, "application/json", "X-RateLimit-Limit", "100", []byte(good202))
	f.Add("GET", "/typed", 200, "application/json; charset=utf-8", "", "", []byte(`{"name":"root","children":[{"name":"toolong"}]}`))
	f.Fuzz(func(t *testing.T, method, path string, status int, ct, name, value string, body []byte) {
		h := goodHeaders()
		h.Set("Content-Type", ct)
		if name != "" {
			h[name] = append(h[name], value)
		}
		m, tr := modica(t), treeValidator(t)
		fuzzWithin(t, func() {
			oneLineFindings(t, m.Response(method, path, status, h, body))
			oneLineFindings(t, tr.Response(method, path, status, h, body))
		})
	})
}

// TestFindingsEscapeControlCharacters: found by FuzzResponse. A path with
// a newline (a %0A in a request to the simulator) or a JSON key with an
// escape sequence reached findings raw and broke their one line (and a
// terminal's state).
func TestFindingsEscapeControlCharacters(t *testing.T) {
	v := modica(t)
	r := httptest.NewRequest(http.MethodGet, "http://h/rest/wab/v1/messages%0Aforged-line", nil)
	body := []byte("{\"message_id\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\",\"status\":\"accepted\",\"\\u001b[31mkey\\n\":1}")
	for _, fs := range [][]Finding{v.Request(r, nil), v.Response("\n", "\r", 202, goodHeaders(), body),
		v.Response("POST", msgPath, 202, goodHeaders(), []byte("{\"message_id\":\"x\\u2028y\",\"status\":\"accepted\"}"))} {
		if len(fs) == 0 {
			t.Fatal("expected findings")
		}
		for _, f := range fs {
			if s := f.String(); strings.ContainsAny(s, "\n\r\x1b\u2028") {
				t.Errorf("expected control characters escaped, got %q", s)
			}
		}
	}
	if fs := v.Request(r, nil); !strings.Contains(fs[0].Message, `messages\nforged-line`) {
		t.Errorf("expected the path shown with \\n, got %q", fs[0].Message)
	}
}
